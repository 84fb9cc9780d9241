"""The consultations admin: comment moderation (flagged first), questionnaire answers, the consultations with
their decisions screen, meetings and polls, in one "Consultations" menu group (registered in wagtail_hooks).

Listings are the core's read-only viewsets (participation.admin); the one hand-written screen is an action:
deciding on proposals in bulk and publishing the report (`decisions`). The dashboard panels: flagged comments
with the flags' reasons, and this week's public meetings."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Prefetch, Q, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from participation.admin import AppMenuGroup, CitizenRecordViewSet, DashboardPanel, SafeIndexView
from participation.exceptions import ParticipationError
from participation.models import ModerationStatus

from . import queries, services
from .forms import DecisionForm
from .models import Comment, CommentFlag, ConsultationPage, Decision, Meeting, Poll, QuestionnaireAnswer

# --- Comments: the moderation queue -----------------------------------------------------------------------


class CommentFilterSet(WagtailFilterSet):
    flagged = django_filters.BooleanFilter(label=gettext_lazy("Flagged"), method="filter_flagged")

    class Meta:
        model = Comment
        fields = ["moderation_status", "page", "decision", "is_official"]

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(open_flags__gt=0) if value else queryset.filter(open_flags=0)


class CommentIndexView(SafeIndexView):
    """Flagged comments first, then those waiting for moderation, newest first (unless sorted otherwise)."""

    default_ordering = None

    def get_base_queryset(self):
        return (
            Comment.objects.select_related("page", "author__profile", "parent")
            .annotate(
                open_flags=Count("flag_rows", filter=Q(flag_rows__resolved=False), distinct=True),
                is_pending=Case(When(moderation_status=ModerationStatus.PENDING, then=1), default=0, output_field=IntegerField()),
            )
        )

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        return queryset.order_by("-open_flags", "-is_pending", "-created_at", "-pk")

    def to_row_dict(self, item):
        # Paragraph labels come from the page's draft: read once per page, not once per comment.
        pages = self.__dict__.setdefault("_pages", {})
        item.page = pages.setdefault(item.page_id, item.page)
        return super().to_row_dict(item)


class CommentViewSet(CitizenRecordViewSet):
    model = Comment
    name = "consultation_comments"
    url_prefix = "consultations/comments"
    icon = "comment"
    menu_label = gettext_lazy("Comment moderation")
    menu_order = 200
    index_view_class = CommentIndexView
    filterset_class = CommentFilterSet
    moderate_permission = "consultations.moderate_comment"
    list_export = ["page", "where", "author_name", "created_at", "body", "moderation_status", "moderation_reason", "open_flags", "decision"]
    export_headings = {
        "page": gettext_lazy("Consultation"),
        "where": gettext_lazy("Paragraph"),
        "author_name": gettext_lazy("Author"),
        "created_at": gettext_lazy("Created"),
        "body": gettext_lazy("Comment"),
        "moderation_status": gettext_lazy("Status"),
        "moderation_reason": gettext_lazy("Reason"),
        "open_flags": gettext_lazy("Flags"),
        "decision": gettext_lazy("Decision"),
    }

    @property
    def list_display(self):
        return [
            Column("body", label=_("Comment"), accessor=lambda comment: comment.body[:300]),
            Column("author", label=_("Author"), accessor="author_name"),
            "page",
            Column("open_flags", label=_("Flags"), accessor="open_flags", sort_key="open_flags"),
            "created_at",
            self.moderation_column(),
        ]

    def bulk_queryset(self, request):
        """Flagged comments first, then those waiting for moderation, oldest first within each."""
        return (
            Comment.objects.select_related("page", "author__profile")
            .annotate(open_flags=Count("flag_rows", filter=Q(flag_rows__resolved=False), distinct=True))
            .filter(Q(open_flags__gt=0) | Q(moderation_status=ModerationStatus.PENDING))
            .prefetch_related(Prefetch("flag_rows", queryset=CommentFlag.objects.filter(resolved=False), to_attr="open_flag_rows"))
            .order_by("-open_flags", "created_at", "pk")
        )

    def moderation_details(self, record):
        open_flags = getattr(record, "open_flag_rows", None)  # prefetched for "Moderate several"
        if open_flags is None:
            open_flags = record.flag_rows.filter(resolved=False)
        flags = [flag.reason or "—" for flag in open_flags]
        return [
            (_("Comment"), record.body),
            (_("Author"), record.author_name),
            (_("Consultation"), record.page.title),
            (_("Paragraph"), record.page.paragraph_labels.get(record.paragraph_id, "") or _("The whole document")),
            (_("Flags"), "\n".join(flags) if flags else _("None")),
        ]

    def moderate_record(self, *, record, status, actor, reason):
        # Moderating a comment also resolves the flags on it.
        return services.moderate_comment(comment=record, status=status, actor=actor, reason=reason)


# --- Questionnaire answers --------------------------------------------------------------------------------


class AnswerIndexView(SafeIndexView):
    """Filtered by one consultation, the export has a column per question; otherwise the answers as JSON."""

    def get_base_queryset(self):
        return QuestionnaireAnswer.objects.select_related("page")

    @property
    def questions(self):
        page_id = self.request.GET.get("page", "")
        if "_questions" not in self.__dict__:
            page = ConsultationPage.objects.filter(pk=page_id).first() if page_id.isdigit() else None
            self._questions = list(page.questions.all()) if page else []
        return self._questions

    @property
    def list_export(self):
        if not self.questions:
            return ["page", "created_at", "updated_at", "data"]
        return ["created_at", "updated_at"] + [f"q:{question.clean_name}" for question in self.questions]

    @list_export.setter
    def list_export(self, value):
        pass  # computed per request

    def get_heading(self, queryset, field):
        labels = {f"q:{question.clean_name}": question.label for question in self.questions}
        return labels.get(field) or super().get_heading(queryset, field)

    def to_row_dict(self, item):
        return {
            field: queries.answer_text(item.data.get(field[2:])) if field.startswith("q:") else getattr(item, field)
            for field in self.list_export
        }


def _answers_text(answer):
    return " · ".join(queries.answer_text(value) for value in answer.data.values() if value not in (None, "", []))


class AnswerViewSet(CitizenRecordViewSet):
    model = QuestionnaireAnswer
    form_fields = []
    name = "consultation_answers"
    url_prefix = "consultations/answers"
    icon = "form"
    menu_label = gettext_lazy("Questionnaire answers")
    menu_order = 300
    index_view_class = AnswerIndexView
    inspect_view_enabled = False
    list_filter = ["page"]
    list_display = ["page", "created_at", "updated_at", Column("data", label=gettext_lazy("Answers"), accessor=_answers_text)]
    export_headings = {"created_at": gettext_lazy("Answered"), "updated_at": gettext_lazy("Updated")}


# --- Consultations, with links to their comments, answers and decisions -----------------------------------


def admin_links(page):
    """Where an editor goes from a consultation: its comments, the decisions and report, the answers."""
    canonical_pk = page.canonical.pk
    return [
        (_("Comments"), f"{reverse('consultation_comments:index')}?page={canonical_pk}", "comment"),
        (_("Decisions and report"), reverse("consultations_admin:decisions", args=[canonical_pk]), "tasks"),
        (_("Answers"), f"{reverse('consultation_answers:index')}?page={canonical_pk}", "form"),
    ]


class LinksColumn(Column):
    cell_template_name = "consultations/admin/links_cell.html"

    def get_value(self, instance):
        return admin_links(instance)


class ConsultationIndexView(PageIndexView):
    """Consultations with their counts (citizen records belong to the default-locale page)."""

    def get_base_queryset(self):
        published = Q(comments__moderation_status=ModerationStatus.PUBLISHED)
        pending = Q(comments__moderation_status=ModerationStatus.PENDING)
        return (
            super()
            .get_base_queryset()
            .annotate(
                n_comments=Count("comments", filter=published, distinct=True),
                n_pending=Count("comments", filter=pending, distinct=True),
                n_answers=Count("answers", distinct=True),
            )
            .select_related("report_publication")
        )


def _report_date(page):
    publication = getattr(page, "report_publication", None)
    return publication.published_at if publication else None


class ConsultationListingViewSet(PageListingViewSet):
    model = ConsultationPage
    index_view_class = ConsultationIndexView
    name = "consultations_pages"
    url_prefix = "consultations"  # the address of the old overview
    icon = "doc-full"
    menu_label = gettext_lazy("Consultations and reports")
    menu_order = 100
    columns = PageListingViewSet.columns + [
        Column("n_comments", label=gettext_lazy("Comments"), sort_key="n_comments"),
        Column("n_pending", label=gettext_lazy("Waiting"), sort_key="n_pending"),
        Column("n_answers", label=gettext_lazy("Answers"), sort_key="n_answers"),
        DateColumn("report", label=gettext_lazy("Report"), accessor=_report_date),
        LinksColumn("links", label=gettext_lazy("Actions")),
    ]


# --- Meetings and polls stay snippets -----------------------------------------------------------------------


class MeetingViewSet(SnippetViewSet):
    model = Meeting
    icon = "group"
    menu_label = gettext_lazy("Public meetings")
    menu_order = 400
    list_display = ["title", "starts_at", "settlement", "page", "attendees"]
    list_filter = ["settlement", "page"]


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "list-ul"
    menu_label = gettext_lazy("Polls")
    menu_order = 500
    list_display = ["question", "closes_at", "results_visibility"]


class ConsultationsMenu(AppMenuGroup):
    menu_label = gettext_lazy("Consultations")
    menu_icon = "comment"
    menu_order = 320
    items = (ConsultationListingViewSet, CommentViewSet, AnswerViewSet, MeetingViewSet, PollViewSet)


# --- The decisions screen: an action (bulk decisions with a reason, then the report) --------------------------


def _decide(request, page):
    form = DecisionForm(request.POST)
    selected = request.POST.getlist("selected")
    if not selected:
        messages.error(request, _("Choose at least one proposal."))
    elif not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        count = services.decide(
            items=queries.selected_items(page, selected),
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(
            request,
            ngettext("Decision saved for %(count)s proposal.", "Decision saved for %(count)s proposals.", count) % {"count": count},
        )


def decisions(request, page_id):
    if not request.user.has_perm("consultations.decide_proposal"):
        raise PermissionDenied
    page = get_object_or_404(ConsultationPage, pk=page_id).canonical
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish_report":
                services.publish_report(page=page, actor=request.user)
                messages.success(request, _("The report is published and followers are being emailed."))
            else:
                _decide(request, page)
        except ParticipationError as error:
            messages.error(request, str(error))
        return redirect(request.get_full_path())
    filters = {"decision": request.GET.get("show", ""), "source": request.GET.get("source", ""), "paragraph": request.GET.get("paragraph", "")}
    context = {
        "page_title": _("Decisions: %(title)s") % {"title": page.title},
        "header_icon": "tasks",
        "consultation": page,
        "rows": queries.decision_rows(page, **filters),
        "form": DecisionForm(),
        "decisions": Decision.choices,
        "paragraphs": [(pid, label) for pid, _n, label, _t in page.paragraphs()],
        "filters": filters,
        "undecided": queries.undecided_count(page),
        "report": page.report,
        "is_closed": page.phase() == "closed",
        "public_report_url": page.url + page.reverse_subpage("report") if page.url else "",
    }
    return TemplateResponse(request, "consultations/admin/decisions.html", context)


# --- The admin dashboard (registered by wagtail_hooks.construct_homepage_panels) ------------------------------


class FlaggedCommentsPanel(DashboardPanel):
    """Comments citizens flagged, with the flags' reasons and a link to the comment's moderation page."""

    name = "veche_flagged_comments"
    dom_id = "veche-flagged-comments"
    order = 110
    permission = "consultations.moderate_comment"
    heading = gettext_lazy("Flagged comments")
    icon = "comment"
    caption = gettext_lazy("Comments citizens flagged, with the reasons they gave, the most flagged first")
    columns = (gettext_lazy("Comment"), gettext_lazy("Consultation"), gettext_lazy("Flag reasons"), gettext_lazy("Actions"))
    empty_text = gettext_lazy("No comment is flagged.")
    row_template = "consultations/admin/panels/flagged_row.html"

    def rows(self, request):
        return queries.flagged_comments()

    def see_all(self, request, total):
        text = ngettext("See all %(counter)s flagged comment", "See all %(counter)s flagged comments", total)
        return reverse("consultation_comments:index") + "?flagged=true", text % {"counter": total}


class MeetingsPanel(DashboardPanel):
    """This week's public meetings: date, place and consultation."""

    name = "veche_meetings_this_week"
    dom_id = "veche-meetings-this-week"
    order = 140
    permission = "consultations.decide_proposal"
    heading = gettext_lazy("Meetings this week")
    icon = "group"
    caption = gettext_lazy("Public meetings of consultations this week, in the order they happen")
    columns = (gettext_lazy("Date"), gettext_lazy("Meeting"), gettext_lazy("Place"), gettext_lazy("Consultation"))
    empty_text = gettext_lazy("No public meeting this week.")
    row_template = "consultations/admin/panels/meeting_row.html"

    def rows(self, request):
        return queries.meetings_this_week()

    def row_context(self, request):
        return {"can_edit": request.user.has_perm("consultations.change_meeting")}

    def see_all(self, request, total):
        if not request.user.has_perm("consultations.change_meeting"):
            return None
        return reverse("wagtailsnippets_consultations_meeting:list"), _("All public meetings (%(counter)s this week)") % {"counter": total}


def dashboard_panels(user):
    """The consultations panels `user`'s rules let them see."""
    return DashboardPanel.for_user(user, (FlaggedCommentsPanel, MeetingsPanel))
