"""Admin views of consultations: the moderation queue, the decisions listing, questionnaire answers.

Each checks the permission, validates, calls a service and redirects (POST/redirect/GET).
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from participation.exceptions import ParticipationError
from participation.models import ModerationStatus

from . import services
from .forms import DecisionForm
from .models import CHOICE_TYPES, Comment, ConsultationPage, Decision, MeetingProposal, QuestionnaireAnswer


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def consultations_list(request):
    _require(request, "consultations.moderate_comment")
    pages = (
        ConsultationPage.objects.filter(locale__language_code=_default_language())
        .annotate(
            n_comments=Count("comments", filter=Q(comments__moderation_status=ModerationStatus.PUBLISHED), distinct=True),
            n_pending=Count("comments", filter=Q(comments__moderation_status=ModerationStatus.PENDING), distinct=True),
            n_answers=Count("answers", distinct=True),
        )
        .select_related("report_publication")
        .order_by("-closes_at")
    )
    return TemplateResponse(
        request, "consultations/admin/consultations.html", {"page_title": _("Consultations"), "header_icon": "comment", "pages": pages}
    )


def _default_language():
    from wagtail.models import Locale

    return Locale.get_default().language_code


QUEUE_STATES = [
    ("flagged", gettext_lazy("Flagged")),
    ("pending", gettext_lazy("Waiting for moderation")),
    ("published", gettext_lazy("Published")),
    ("hidden", gettext_lazy("Hidden")),
    ("rejected", gettext_lazy("Rejected")),
    ("all", gettext_lazy("All")),
]


def moderation_queue(request):
    _require(request, "consultations.moderate_comment")
    if request.method == "POST":
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        ids = [int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()]
        status = {"publish": ModerationStatus.PUBLISHED, "hide": ModerationStatus.HIDDEN, "reject": ModerationStatus.REJECTED}.get(action)
        if status is None or not ids:
            messages.error(request, _("Choose at least one comment and an action."))
        else:
            done = 0
            try:
                for comment in Comment.objects.filter(pk__in=ids):
                    services.moderate_comment(comment=comment, status=status, actor=request.user, reason=reason)
                    done += 1
            except ParticipationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, ngettext("%(count)s comment updated.", "%(count)s comments updated.", done) % {"count": done})
        return redirect(request.get_full_path())
    state = request.GET.get("state") or "flagged_first"
    page_id = request.GET.get("consultation", "")
    comments = (
        Comment.objects.select_related("page", "author", "author__profile", "parent")
        .annotate(open_flags=Count("flag_rows", filter=Q(flag_rows__resolved=False)))
    )
    if page_id.isdigit():
        comments = comments.filter(page_id=int(page_id))
    if state == "flagged":
        comments = comments.filter(open_flags__gt=0)
    elif state in ("pending", "published", "hidden", "rejected"):
        comments = comments.filter(moderation_status=state)
    pending_first = Count("pk", filter=Q(moderation_status=ModerationStatus.PENDING))
    comments = comments.annotate(is_pending=pending_first).order_by("-open_flags", "-is_pending", "-created_at")
    if request.GET.get("format") == "csv":
        return _comments_csv(comments)
    paginator = Paginator(comments, 50)
    page_obj = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "consultations/admin/queue.html",
        {
            "page_title": _("Comment moderation"),
            "header_icon": "comment",
            "page_obj": page_obj,
            "states": QUEUE_STATES,
            "state": state,
            "consultation": page_id,
            "consultations": ConsultationPage.objects.filter(locale__language_code=_default_language()).order_by("title"),
        },
    )


def _comments_csv(comments):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="comments.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Consultation"), _("Paragraph"), _("Author"), _("Created"), _("Comment"), _("Status"), _("Reason"), _("Flags"), _("Decision")]
    )
    labels = {}
    for comment in comments.iterator(chunk_size=500):
        if comment.page_id not in labels:
            labels[comment.page_id] = comment.page.paragraph_labels
        where = labels[comment.page_id].get(comment.paragraph_id, comment.paragraph_id) if comment.paragraph_id else _("Whole document")
        writer.writerow(
            [
                comment.page.title,
                where,
                comment.author_name,
                comment.created_at.isoformat(),
                comment.body,
                comment.get_moderation_status_display(),
                comment.moderation_reason,
                comment.open_flags,
                comment.get_decision_display() if comment.decision else "",
            ]
        )
    return response


def decisions(request, page_id):
    _require(request, "consultations.decide_proposal")
    page = get_object_or_404(ConsultationPage, pk=page_id).canonical
    if request.method == "POST":
        if request.POST.get("action") == "publish_report":
            try:
                services.publish_report(page=page, actor=request.user)
            except ParticipationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The report is published and followers are being emailed."))
            return redirect(request.get_full_path())
        form = DecisionForm(request.POST)
        selected = request.POST.getlist("selected")
        comment_ids = [int(v[2:]) for v in selected if v.startswith("c-") and v[2:].isdigit()]
        proposal_ids = [int(v[2:]) for v in selected if v.startswith("m-") and v[2:].isdigit()]
        if not selected:
            messages.error(request, _("Choose at least one proposal."))
        elif form.is_valid():
            items = list(Comment.objects.proposals().filter(page=page, pk__in=comment_ids))
            items += list(MeetingProposal.objects.filter(meeting__page=page, pk__in=proposal_ids))
            try:
                count = services.decide(
                    items=items, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"], actor=request.user
                )
            except ParticipationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    ngettext("Decision saved for %(count)s proposal.", "Decision saved for %(count)s proposals.", count)
                    % {"count": count},
                )
        else:
            messages.error(request, _("Choose a decision."))
        return redirect(request.get_full_path())

    decision_filter = request.GET.get("show", "")
    source = request.GET.get("source", "")
    paragraph = request.GET.get("paragraph", "")
    labels = page.paragraph_labels
    comments = Comment.objects.proposals().filter(page=page).select_related("author__profile").annotate(
        supports=Count("support_rows")
    )
    proposals = MeetingProposal.objects.filter(meeting__page=page).select_related("meeting")
    if decision_filter == "none":
        comments, proposals = comments.filter(decision=""), proposals.filter(decision="")
    elif decision_filter in Decision.values:
        comments, proposals = comments.filter(decision=decision_filter), proposals.filter(decision=decision_filter)
    if paragraph:
        comments = comments.filter(paragraph_id="" if paragraph == "whole" else paragraph)
        proposals = proposals.none()
    rows = []
    if source in ("", "online"):
        for comment in comments.order_by("created_at", "pk"):
            rows.append(
                {
                    "key": f"c-{comment.pk}",
                    "where": labels.get(comment.paragraph_id, _("Paragraph removed")) if comment.paragraph_id else _("Whole document"),
                    "author": comment.author_name,
                    "text": comment.body,
                    "supports": comment.supports,
                    "decision": comment.get_decision_display() if comment.decision else "",
                    "reason": comment.decision_reason,
                    "is_reply": bool(comment.parent_id),
                }
            )
    if source in ("", "meetings"):
        for proposal in proposals.order_by("meeting__starts_at", "sort_order"):
            rows.append(
                {
                    "key": f"m-{proposal.pk}",
                    "where": proposal.meeting.title,
                    "author": proposal.proposed_by or _("Citizen"),
                    "text": proposal.text,
                    "supports": None,
                    "decision": proposal.get_decision_display() if proposal.decision else "",
                    "reason": proposal.decision_reason,
                    "is_reply": False,
                }
            )
    return TemplateResponse(
        request,
        "consultations/admin/decisions.html",
        {
            "page_title": _("Decisions: %(title)s") % {"title": page.title},
            "header_icon": "tasks",
            "consultation": page,
            "rows": rows,
            "form": DecisionForm(),
            "decisions": Decision.choices,
            "paragraphs": [(pid, label) for pid, _n, label, _t in page.paragraphs()],
            "filters": {"decision": decision_filter, "source": source, "paragraph": paragraph},
            "undecided": services.undecided_count(page),
            "report": page.report,
            "is_closed": page.phase() == "closed",
            "public_report_url": page.url + page.reverse_subpage("report") if page.url else "",
        },
    )


def answers(request, page_id):
    _require(request, "consultations.decide_proposal")
    page = get_object_or_404(ConsultationPage, pk=page_id).canonical
    questions = list(page.questions.all())
    text_questions = [q for q in questions if q.field_type not in CHOICE_TYPES]
    queryset = QuestionnaireAnswer.objects.filter(page=page).order_by("created_at", "pk")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="answers-{page.slug}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("Answered"), _("Updated")] + [q.label for q in questions])
        for answer in queryset.iterator(chunk_size=500):
            writer.writerow(
                [answer.created_at.isoformat(), answer.updated_at.isoformat()]
                + [_cell(answer.data.get(q.clean_name)) for q in questions]
            )
        return response
    paginator = Paginator(queryset, 100)
    page_obj = paginator.get_page(request.GET.get("p"))
    rows = [[_cell(answer.data.get(q.clean_name)) for q in text_questions] for answer in page_obj.object_list]
    return TemplateResponse(
        request,
        "consultations/admin/answers.html",
        {
            "page_title": _("Questionnaire answers: %(title)s") % {"title": page.title},
            "header_icon": "form",
            "consultation": page,
            "questions": text_questions,
            "rows": rows,
            "page_obj": page_obj,
            "total": paginator.count,
            "csv_url": f"{reverse('consultations_admin:answers', args=[page.pk])}?{urlencode({'format': 'csv'})}",
        },
    )


def _cell(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
