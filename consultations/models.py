"""Consultations: a draft text commented paragraph by paragraph, a questionnaire, public meetings, polls and
the outcome report.

Editors write page fields; everything citizens or the system write (comments, supports, flags, answers,
votes, decisions, the report's publication, follows) lives in its own table with a real foreign key to the
canonical page, `on_delete=PROTECT` (DESIGN.md sections 4 and 5).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailgeowidget.panels import LeafletPanel

from home.blocks import DocumentListBlock
from participation.models import Contribution, ModerationStatus, ParticipationPage, Phase

from .blocks import ConsultationExtraBlock, DraftBlock


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open for comments")
    AWAITING_REPORT = "awaiting", _("Closed, report awaited")
    REPORTED = "reported", _("Report published")


class ModerationMode(models.TextChoices):
    POST = "post", _("Comments appear at once; moderators may hide them with a reason")
    PRE = "pre", _("Comments wait for a moderator's approval")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "rejected", _("Not accepted")
    NOTED = "noted", _("Noted")


# --- Pages -----------------------------------------------------------------------------------------------


class ConsultationIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["consultations.ConsultationPage"]
    template = "consultations/consultation_index_page.html"

    class Meta:
        verbose_name = _("consultations index")

    def get_context(self, request, *args, **kwargs):
        from .views import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class ConsultationPageTag(TaggedItemBase):
    content_object = ParentalKey("consultations.ConsultationPage", on_delete=models.CASCADE, related_name="tagged_items")


class ConsultationPageForm(WagtailAdminPageForm):
    """Refuses to publish a consultation shorter than the statutory minimum unless a reason is given."""

    def clean(self):
        cleaned = super().clean()
        from home.models import MunicipalitySettings

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


class ConsultationPage(RoutablePageMixin, ParticipationPage):
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
        from .views import consultation_context

        context.update(consultation_context(self, request))
        return context

    # Routes: each one hands over to a small view in views.py.
    @path("paragraph/<str:paragraph_id>/", name="thread")
    def thread_route(self, request, paragraph_id):
        from . import views

        return views.thread(request, self, paragraph_id)

    @path("comments/new/", name="comment")
    def comment_route(self, request):
        from . import views

        return views.post_comment(request, self)

    @path("comments/<int:comment_id>/support/", name="support")
    def support_route(self, request, comment_id):
        from . import views

        return views.support(request, self, comment_id)

    @path("comments/<int:comment_id>/flag/", name="flag")
    def flag_route(self, request, comment_id):
        from . import views

        return views.flag(request, self, comment_id)

    @path("questionnaire/", name="questionnaire")
    def questionnaire_route(self, request):
        from . import views

        return views.questionnaire(request, self)

    @path("results/", name="results")
    def results_route(self, request):
        from . import views

        return views.results(request, self)

    @path("follow/", name="follow")
    def follow_route(self, request):
        from . import views

        return views.follow(request, self)

    @path("report/", name="report")
    def report_route(self, request):
        from . import views

        return views.report(request, self)

    # <page url>data.json and data.csv reach this route through participation.views.page_data.
    @path("data.<str:fmt>/", name="data")
    def data_route(self, request, fmt):
        from . import views

        return views.open_data(request, self, fmt)


class QuestionType(models.TextChoices):
    SINGLELINE = "singleline", _("Short text")
    MULTILINE = "multiline", _("Long text")
    RADIO = "radio", _("Choice (one answer)")
    CHECKBOXES = "checkboxes", _("Multiple choice")
    DROPDOWN = "dropdown", _("Choice from a list")
    SCALE = "scale", _("Scale from 1 to 5")
    SETTLEMENT = "settlement", _("Settlement")


CHOICE_TYPES = {QuestionType.RADIO, QuestionType.CHECKBOXES, QuestionType.DROPDOWN, QuestionType.SCALE, QuestionType.SETTLEMENT}


class ConsultationQuestion(AbstractFormField):
    """A question of the questionnaire, built with Wagtail's form builder fields."""

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="questions")
    field_type = models.CharField(_("field type"), max_length=16, choices=QuestionType.choices)
    field_type.required_on_save = True

    class Meta(AbstractFormField.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")


# --- Comments --------------------------------------------------------------------------------------------


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Comments shown in threads: published ones, and hidden ones as a placeholder with the reason."""
        return self.filter(moderation_status__in=[ModerationStatus.PUBLISHED, ModerationStatus.HIDDEN])

    def visible(self):
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)

    def with_counts(self):
        return self.annotate(
            supports=Count("support_rows", distinct=True),
            flags=Count("flag_rows", filter=Q(flag_rows__resolved=False), distinct=True),
        )

    def proposals(self):
        """What the report answers: every published citizen comment (not official replies)."""
        return self.visible().filter(is_official=False)


class Comment(Contribution):
    page = models.ForeignKey(ConsultationPage, on_delete=models.PROTECT, related_name="comments", verbose_name=_("consultation"))
    paragraph_id = models.CharField(
        _("paragraph"), max_length=64, blank=True, db_index=True, help_text=_("Empty for the whole document.")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies", verbose_name=_("reply to")
    )
    body = models.TextField(_("comment"), max_length=5000)
    is_official = models.BooleanField(_("official reply"), default=False)
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True, db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "moderation_status", "created_at"], name="consult_comment_page_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "author", "client_token"], name="consult_comment_once_per_submit"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="consult_comment_not_own_parent"),
        ]

    def __str__(self):
        return Truncator(self.body).chars(60)

    @property
    def author_name(self):
        if self.author_id is None or self.is_anonymised:
            return _("Citizen")
        profile = getattr(self.author, "profile", None)
        return profile.public_name if profile else _("Citizen")

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(_("You can reply to a comment, not to a reply."))


class CommentSupport(models.Model):
    """One "I agree" per person per comment (the constraint is the guard)."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="support_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="consult_support_once_per_person")]


class CommentFlag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flag_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("flag")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="consult_flag_once_per_person")]


# --- Questionnaire answers -------------------------------------------------------------------------------


class QuestionnaireAnswer(Contribution):
    """One answer per respondent per consultation, changeable until closing.

    `respondent` is "u<user id>" for an account, or a keyed hash of a random id kept in the browser session
    when the page allows answers without an account. The unique constraint is the guard.
    """

    page = models.ForeignKey(ConsultationPage, on_delete=models.PROTECT, related_name="answers")
    respondent = models.CharField(max_length=80, editable=False)
    data = models.JSONField(_("answers"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [models.UniqueConstraint(fields=["page", "respondent"], name="consult_answer_once")]


# --- Meetings --------------------------------------------------------------------------------------------


class Meeting(ClusterableModel):
    page = models.ForeignKey(
        ConsultationPage, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("consultation")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    settlement = models.ForeignKey(
        "home.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("settlement")
    )
    address = models.CharField(_("address"), max_length=250)
    location = models.CharField(_("location"), max_length=250, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True, help_text=_("Step-free access, hearing loop, parking, help on request."))
    minutes = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("minutes")
    )
    attendees = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)

    panels = [
        FieldPanel("page"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("settlement"),
        FieldPanel("address"),
        LeafletPanel("location", address_field="address"),
        FieldPanel("agenda"),
        FieldPanel("accessibility"),
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("attendees"), InlinePanel("proposals", label=_("Proposals made at the meeting"))],
            heading=_("After the meeting"),
        ),
    ]

    class Meta:
        verbose_name = _("public meeting")
        verbose_name_plural = _("public meetings")
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"

    def save(self, *args, **kwargs):
        # Meetings belong to the canonical page, whichever language version the editor chose.
        if self.page_id:
            self.page = self.page.canonical
        super().save(*args, **kwargs)

    @property
    def point(self):
        """(lat, lng) from `SRID=4326;POINT(lng lat)`, or None."""
        value = (self.location or "").split(";")[-1].strip()
        if not value.upper().startswith("POINT("):
            return None
        try:
            lng, lat = (float(part) for part in value[6:].rstrip(")").split())
        except ValueError:
            return None
        return lat, lng


class MeetingProposal(Orderable):
    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="proposals")
    text = models.TextField(_("proposal"))
    proposed_by = models.CharField(_("proposed by"), max_length=120, blank=True, help_text=_("Leave empty to show \"citizen\"."))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True, db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("text"), FieldPanel("proposed_by")]

    class Meta(Orderable.Meta):
        verbose_name = _("meeting proposal")
        verbose_name_plural = _("meeting proposals")

    def __str__(self):
        return Truncator(self.text).chars(60)


# --- Report and following --------------------------------------------------------------------------------


class ReportPublication(models.Model):
    """The outcome report's publication: system state, so never a page field (DESIGN.md section 4)."""

    page = models.OneToOneField(ConsultationPage, on_delete=models.PROTECT, related_name="report_publication")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("published report")


class Follow(models.Model):
    page = models.ForeignKey(ConsultationPage, on_delete=models.PROTECT, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.BooleanField(_("daily digest of replies to my comments"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="consult_follow_once")]


class EmailLog(models.Model):
    """When we last emailed a person about consultations: never more than one email a day by default."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_sent_at = models.DateTimeField()


# --- Polls -----------------------------------------------------------------------------------------------


class ResultsVisibility(models.TextChoices):
    AFTER_VOTE = "vote", _("After voting")
    AFTER_CLOSE = "close", _("After the poll closes")


class Poll(ClusterableModel):
    question = models.CharField(_("question"), max_length=300)
    multiple = models.BooleanField(_("allow several answers"), default=False)
    closes_at = models.DateTimeField(_("closes"))
    results_visibility = models.CharField(
        _("show results"), max_length=8, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_VOTE
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("multiple"),
        FieldPanel("closes_at"),
        FieldPanel("results_visibility"),
        InlinePanel("choices", label=_("Answers"), min_num=2),
    ]

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self):
        return self.question

    def is_open(self, now=None):
        return (now or timezone.now()) < self.closes_at


class PollChoice(Orderable):
    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=200)

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll vote")
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="consult_poll_vote_once")]


class PollVoteChoice(models.Model):
    vote = models.ForeignKey(PollVote, on_delete=models.CASCADE, related_name="choice_rows")
    choice = models.ForeignKey(PollChoice, on_delete=models.PROTECT, related_name="vote_rows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "choice"], name="consult_poll_choice_once")]


def new_token():
    return uuid.uuid4()
