"""Consultation pages: the index, the consultation (draft text, questionnaire questions, report fields), and
the report's publication (system state, so never a page field).

Editors write page fields; everything citizens or the system write lives in its own table with a real foreign
key to the canonical page, `on_delete=PROTECT` (DESIGN.md sections 4 and 5).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import DocumentListBlock
from home.models import MunicipalitySettings
from participation.models import ParticipationPage, Phase
from participation.opendata import OpenDataRoutes
from participation.routing import AppViews

from ..blocks import ConsultationExtraBlock, DraftBlock
from .choices import ConsultationState, ModerationMode

class ConsultationIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["consultations.ConsultationPage"]
    template = "consultations/consultation_index_page.html"

    class Meta:
        verbose_name = _("consultations index")

    views = AppViews()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.views.index_context(self, request))
        return context


class ConsultationPageTag(TaggedItemBase):
    content_object = ParentalKey("consultations.ConsultationPage", on_delete=models.CASCADE, related_name="tagged_items")


class ConsultationPageForm(WagtailAdminPageForm):
    """Refuses to publish a consultation shorter than the statutory minimum unless a reason is given."""

    def clean(self):
        cleaned = super().clean()
        # Questions: the same duplicate-name check as Wagtail's form builder.
        formset = self.formsets.get("questions")
        if formset is not None:
            seen = set()
            for form in formset.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                name = form.instance.get_field_clean_name() if form.cleaned_data.get("label") else None
                if name and name in seen:
                    form.add_error("label", _("There is another question with this label."))
                seen.add(name)

        if "action-publish" not in self.data:
            return cleaned
        opens_at = cleaned.get("opens_at")
        closes_at = cleaned.get("closes_at")
        reason = (cleaned.get("shortened_period_reason") or "").strip()
        if not closes_at:
            self.add_error("closes_at", _("A consultation needs a closing date before it can be published."))
            return cleaned
        municipality = MunicipalitySettings.load()
        error = period_error(
            opens_at or timezone.now(),
            closes_at,
            reason,
            municipality.consultation_min_days,
            municipality.consultation_min_days_reasoned,
        )
        if error:
            field, message = error
            self.add_error(field, message)
        return cleaned


def period_error(opens_at, closes_at, reason, minimum, reasoned_minimum):
    """(field, message) when the period breaks the statute, else None. Days are whole calendar days."""
    days = (closes_at - opens_at) / datetime.timedelta(days=1)
    if days >= minimum:
        return None
    if days < reasoned_minimum:
        return (
            "closes_at",
            _("The consultation must stay open at least %(days)s days, even with a reason.") % {"days": reasoned_minimum},
        )
    if not reason:
        return (
            "shortened_period_reason",
            _("The period is shorter than %(days)s days: give the reason, which is shown to the public.")
            % {"days": minimum},
        )
    return None


class ConsultationPage(OpenDataRoutes, RoutablePageMixin, ParticipationPage):
    question = models.TextField(_("question asked"), help_text=_("What the municipality wants to know from citizens."))
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    draft = StreamField(
        DraftBlock(),
        blank=True,
        verbose_name=_("draft text"),
        help_text=_("Sections and paragraphs. Each paragraph keeps its comments when you edit its text."),
    )
    documents = StreamField(
        [("documents", DocumentListBlock())], blank=True, verbose_name=_("attached documents")
    )
    extra = StreamField(ConsultationExtraBlock(), blank=True, verbose_name=_("more content"))
    topics = ClusterTaggableManager(through=ConsultationPageTag, blank=True, verbose_name=_("topics"))
    shortened_period_reason = models.TextField(
        _("reason for a shortened period"),
        blank=True,
        help_text=_("Required when the period is shorter than the statutory minimum. Shown publicly."),
    )
    moderation_mode = models.CharField(
        _("comment moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    questionnaire_intro = models.TextField(_("questionnaire introduction"), blank=True)
    allow_anonymous_answers = models.BooleanField(
        _("allow answers without an account"),
        default=False,
        help_text=_("Visitors may answer the questionnaire without logging in (one answer per browser session)."),
    )
    report_summary = RichTextField(
        _("report summary"), blank=True, features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    final_text_changes = RichTextField(
        _("what changed in the final text"), blank=True, features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    report_due_days = models.PositiveIntegerField(
        _("report due (days after closing)"), default=30, help_text=_("Shown as the clock while the report is awaited.")
    )

    views = AppViews()
    base_form_class = ConsultationPageForm
    template = "consultations/consultation_page.html"
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("question"),
        FieldPanel("introduction"),
        FieldPanel("topics"),
        FieldPanel("draft"),
        FieldPanel("documents"),
        FieldPanel("extra"),
    ]
    participation_tab = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("shortened_period_reason"),
                FieldPanel("verification_level"),
            ],
            heading=_("Period and eligibility"),
        ),
        FieldPanel("settlements"),
        FieldPanel("moderation_mode"),
    ]
    questionnaire_tab = [
        FieldPanel("questionnaire_intro"),
        FieldPanel("allow_anonymous_answers"),
        InlinePanel("questions", label=_("Questions")),
    ]
    report_tab = [FieldPanel("report_due_days"), FieldPanel("report_summary"), FieldPanel("final_text_changes")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(participation_tab, heading=_("Participation")),
            ObjectList(questionnaire_tab, heading=_("Questionnaire")),
            ObjectList(report_tab, heading=_("Report")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = ParticipationPage.search_fields + [index.SearchField("question"), index.SearchField("draft")]

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    # --- the draft ---
    def paragraphs(self):
        """[(block id, number, label, plain text)] of every paragraph, in order."""
        items = []
        number = 0
        for block in self.draft:
            if block.block_type == "paragraph":
                number += 1
                label = block.value.get("label") or _("Paragraph %(number)s") % {"number": number}
                items.append((block.id, number, str(label), strip_tags(str(block.value.get("text").source))))
        return items

    @cached_property
    def paragraph_labels(self):
        return {block_id: label for block_id, _number, label, _text in self.paragraphs()}

    # --- state ---
    @property
    def report(self):
        canonical = self.canonical
        if not hasattr(canonical, "_report_cache"):
            canonical._report_cache = ReportPublication.objects.filter(page=canonical).first()
        return canonical._report_cache

    def state(self, now=None):
        phase = self.phase(now)
        if phase == Phase.UPCOMING:
            return ConsultationState.UPCOMING
        if phase == Phase.OPEN:
            return ConsultationState.OPEN
        return ConsultationState.REPORTED if self.report else ConsultationState.AWAITING_REPORT

    @property
    def report_due_at(self):
        if not self.closes_at:
            return None
        return self.closes_at + datetime.timedelta(days=self.report_due_days)

    def get_form_fields(self):
        return self.questions.all()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.views.consultation_context(self, request))
        return context

    # Routes: each one hands over to a small view in views.py.
    @path("paragraph/<str:paragraph_id>/", name="thread")
    def thread_route(self, request, paragraph_id):
        return self.views.thread(request, self, paragraph_id)

    @path("comments/new/", name="comment")
    def comment_route(self, request):
        return self.views.post_comment(request, self)

    @path("comments/<int:comment_id>/support/", name="support")
    def support_route(self, request, comment_id):
        return self.views.support(request, self, comment_id)

    @path("comments/<int:comment_id>/flag/", name="flag")
    def flag_route(self, request, comment_id):
        return self.views.flag(request, self, comment_id)

    @path("questionnaire/", name="questionnaire")
    def questionnaire_route(self, request):
        return self.views.questionnaire(request, self)

    @path("results/", name="results")
    def results_route(self, request):
        return self.views.results(request, self)

    @path("follow/", name="follow")
    def follow_route(self, request):
        return self.views.follow(request, self)

    @path("report/", name="report")
    def report_route(self, request):
        return self.views.report(request, self)

    # <page url>data.json and data.csv (participation.opendata.OpenDataRoutes).
    def open_data(self, request):
        return self.views.open_data(self, request)


class ReportPublication(models.Model):
    """The outcome report's publication: system state, so never a page field (DESIGN.md section 4)."""

    page = models.OneToOneField(ConsultationPage, on_delete=models.PROTECT, related_name="report_publication")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("published report")
