"""Petitions: an index page per petitions service, a page per petition, and the signatures (DESIGN.md §4, §5).

Pages hold what people write (the citizen's text, the editors' response and updates). What the system
writes (stage, dates of opening and closing, threshold reached, counters) lives in `PetitionState` and
`SignatureTally`, keyed by the canonical petition page, so publishing an old revision never rolls it back.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from participation.models import (
    CitizenAuthoredPage,
    Contribution,
    ModerationStatus,
    ParticipationPage,
    VerificationLevel,
    working_days_after,
)

from .routes import IndexRoutes, PetitionRoutes


class PetitionIndexPage(IndexRoutes, RoutablePageMixin, Page):
    """A petitions service: lists petitions, takes new drafts, and holds the rules every petition follows.

    Empty numbers fall back to the municipality's statutory settings (DESIGN.md §8).
    """

    intro = models.TextField(_("introduction"), blank=True)
    threshold = models.PositiveIntegerField(
        _("signature threshold"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the municipality's statutory threshold."),
    )
    collection_days = models.PositiveIntegerField(
        _("collection period (days)"), null=True, blank=True, help_text=_("Leave empty to use the statutory period.")
    )
    response_working_days = models.PositiveIntegerField(
        _("response deadline (working days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the statutory deadline."),
    )
    sponsors_required = models.PositiveSmallIntegerField(
        _("co-sponsors needed before moderation"),
        default=5,
        help_text=_("Supporters who must sign the author's private link first. Zero sends drafts straight to moderation."),
    )
    signature_level = models.CharField(
        _("who may sign"),
        max_length=16,
        choices=VerificationLevel.choices,
        default=VerificationLevel.ACCOUNT,
        help_text=_("With the lowest level, visitors without an account may also sign by confirming their email address."),
    )
    confirmation_hours = models.PositiveIntegerField(
        _("hours to confirm an email signature"),
        default=48,
        help_text=_("An unconfirmed signature expires after this time and never counts."),
    )
    moderation_overdue_days = models.PositiveSmallIntegerField(
        _("moderation is overdue after (days)"), default=5
    )
    anonymise_after_months = models.PositiveSmallIntegerField(
        _("anonymise signatories after (months)"),
        default=6,
        help_text=_("Names and email addresses of signatories are erased this long after a petition closes. Counts stay."),
    )
    review_domains = models.TextField(
        _("email domains that need staff review"),
        blank=True,
        help_text=_("One domain per line (for example disposable email services). Signatures from them count only after a moderator approves them."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("threshold"), FieldPanel("collection_days"), FieldPanel("response_working_days")]),
                FieldPanel("sponsors_required"),
                FieldPanel("signature_level"),
                FieldPanel("confirmation_hours"),
                FieldPanel("moderation_overdue_days"),
                FieldPanel("anonymise_after_months"),
                FieldPanel("review_domains"),
            ],
            heading=_("Rules for petitions"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("sponsors_required"), APIField("signature_level")]

    subpage_types = ["petitions.PetitionPage"]

    class Meta:
        verbose_name = _("petitions index")

    # Effective rules: the page's own value, or the municipality's statutory default.
    def municipality(self):
        from home.models import MunicipalitySettings

        if not hasattr(self, "_municipality_cache"):
            self._municipality_cache = MunicipalitySettings.load()
        return self._municipality_cache

    @property
    def effective_threshold(self):
        return self.threshold or self.municipality().petition_threshold

    @property
    def effective_collection_days(self):
        return self.collection_days or self.municipality().petition_collection_days

    @property
    def effective_response_working_days(self):
        return self.response_working_days or self.municipality().petition_response_working_days

    def review_domain_set(self):
        return {line.strip().lower().lstrip("@") for line in self.review_domains.splitlines() if line.strip()}

    @property
    def canonical(self):
        from wagtail.models import Locale

        if self.locale_id == Locale.get_default().pk:
            return self
        return PetitionIndexPage.objects.filter(translation_key=self.translation_key, locale=Locale.get_default()).first() or self



class PetitionTag(TaggedItemBase):
    content_object = ParentalKey("petitions.PetitionPage", on_delete=models.CASCADE, related_name="tagged_items")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded to the municipal council")


class Status(models.TextChoices):
    """What the public sees. Derived from the stage and the dates, never stored (DESIGN.md §5.5)."""

    DRAFT = "draft", _("Draft")
    CHANGES = "changes", _("Changes requested")
    SPONSORING = "sponsoring", _("Collecting co-sponsors")
    MODERATION = "moderation", _("Waiting for moderation")
    REJECTED = "rejected", _("Rejected")
    OPEN = "open", _("Open for signatures")
    AWAITING = "awaiting", _("Awaiting response")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


class PetitionPage(PetitionRoutes, RoutablePageMixin, CitizenAuthoredPage, ParticipationPage):
    """One petition. `summary` is what the municipality should do; `background` says why."""

    background = models.TextField(_("why"), max_length=4000)
    tags = ClusterTaggableManager(through=PetitionTag, blank=True, verbose_name=_("topics"))

    response_decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    response_text = RichTextField(_("official response"), blank=True)
    response_date = models.DateField(_("response date"), null=True, blank=True)
    council_decision_url = models.URLField(_("link to the council decision"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary", heading=_("What the municipality should do")),
        FieldPanel("background"),
        FieldPanel("settlements"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("response_decision"),
                FieldPanel("response_date"),
                FieldPanel("response_text"),
                FieldPanel("council_decision_url"),
            ],
            heading=_("Official response"),
            help_text=_("Publishing the page with a decision and a response text emails every signatory who asked for updates."),
        ),
        InlinePanel("updates", heading=_("Implementation updates"), label=_("update")),
    ]
    search_fields = ParticipationPage.search_fields + [index.SearchField("background"), index.FilterField("live")]
    api_fields = [
        APIField("summary"),
        APIField("background"),
        APIField("status"),
        APIField("signature_count"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("response_decision"),
        APIField("response_date"),
        APIField("response_text"),
        APIField("council_decision_url"),
    ]

    parent_page_types = ["petitions.PetitionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    @property
    def has_response(self):
        return bool(self.response_decision and self.response_text)

    @cached_property
    def index(self):
        return PetitionIndexPage.objects.get(pk=self.get_parent().pk) if self.pk else None

    @cached_property
    def state(self):
        """The system's record of this petition (shared by every translation); None before it exists."""
        return PetitionState.objects.filter(page_id=self.canonical.pk).first()

    def status(self, now=None):
        return self.state.status(page=self, now=now) if self.state else Status.DRAFT

    @property
    def signature_count(self):
        return SignatureTally.objects.total(self.canonical.pk)


class PetitionUpdate(Orderable):
    """A dated entry about what happened after the response (implementation, council votes)."""

    page = ParentalKey(PetitionPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=datetime.date.today)
    text = RichTextField(_("update"))

    panels = [FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")


class Stage(models.TextChoices):
    """Where a petition is in its life before and after publication (written by services only)."""

    DRAFT = "draft", _("Draft")
    SPONSORING = "sponsoring", _("Collecting co-sponsors")
    MODERATION = "moderation", _("In moderation")
    CHANGES = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("It duplicates a petition that is already open")
    NOT_COMPETENT = "competence", _("It is not something the municipality is responsible for")
    UNCLEAR = "unclear", _("It does not say clearly what the municipality should do")
    OFFENSIVE = "offensive", _("It is offensive, defamatory or includes personal data")
    ADVERTISING = "advertising", _("It advertises a product or service, or is a joke")
    OTHER = "other", _("Other reason")


class PetitionState(models.Model):
    """The system's state of one petition (its canonical page). Never a page field (DESIGN.md §4)."""

    page = models.OneToOneField(
        PetitionPage, on_delete=models.PROTECT, primary_key=True, related_name="petition_state", verbose_name=_("petition")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT, db_index=True)
    sponsor_token = models.CharField(max_length=64, unique=True)
    sponsors_required = models.PositiveSmallIntegerField(_("co-sponsors needed"), default=0)
    submitted_at = models.DateTimeField(_("sent to moderation"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True, db_index=True)
    threshold = models.PositiveIntegerField(_("threshold"), default=0)
    response_working_days = models.PositiveSmallIntegerField(_("response deadline (working days)"), default=10)
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    responded_at = models.DateTimeField(_("response published"), null=True, blank=True)
    response_notified_at = models.DateTimeField(null=True, blank=True)
    closed_notified_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("signatories anonymised"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=16, choices=RejectionReason.choices, blank=True)
    rejection_details = models.TextField(_("details"), blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("petition state")
        verbose_name_plural = _("petition states")

    def __str__(self):
        return f"{self.page_id}: {self.stage}"

    def status(self, *, page=None, now=None):
        now = now or timezone.now()
        if self.stage != Stage.PUBLISHED:
            return {
                Stage.DRAFT: Status.DRAFT,
                Stage.SPONSORING: Status.SPONSORING,
                Stage.MODERATION: Status.MODERATION,
                Stage.CHANGES: Status.CHANGES,
                Stage.REJECTED: Status.REJECTED,
            }[Stage(self.stage)]
        page = page or self.page
        if page.has_response:
            return Status.RESPONDED
        if self.threshold_reached_at:
            return Status.AWAITING
        if self.closes_at and now >= self.closes_at:
            return Status.CLOSED
        return Status.OPEN

    def is_collecting(self, now=None):
        """Signatures are accepted from publication until the closing date, and not after a response."""
        now = now or timezone.now()
        return (
            self.stage == Stage.PUBLISHED
            and self.opened_at is not None
            and self.opened_at <= now
            and (self.closes_at is None or now < self.closes_at)
            and self.responded_at is None
        )

    @property
    def response_due(self):
        if not self.threshold_reached_at:
            return None
        start = timezone.localtime(self.threshold_reached_at).date()
        return working_days_after(start, self.response_working_days)

    def is_overdue(self, now=None, page=None):
        due = self.response_due
        if due is None or self.responded_at is not None or (page is not None and page.has_response):
            return False
        return timezone.localtime(now or timezone.now()).date() > due

    def days_waiting_for_response(self, now=None):
        if not self.threshold_reached_at:
            return None
        end = self.responded_at or now or timezone.now()
        return (timezone.localtime(end).date() - timezone.localtime(self.threshold_reached_at).date()).days

    def moderation_days(self, now=None):
        """Whole days a petition has waited in moderation (None when it is not in moderation)."""
        if self.stage != Stage.MODERATION or not self.submitted_at:
            return None
        return ((now or timezone.now()) - self.submitted_at).days


class TallyQuerySet(models.QuerySet):
    def total(self, petition_id):
        return self.filter(petition_id=petition_id).aggregate(total=models.Sum("count"))["total"] or 0

    def by_settlement(self, petition_id):
        """{settlement_key: count}; key 0 is "settlement not given"."""
        rows = self.filter(petition_id=petition_id).values("settlement_key").annotate(total=models.Sum("count"))
        return {row["settlement_key"]: row["total"] for row in rows if row["total"]}


class SignatureTally(models.Model):
    """Counted signatures of a petition by settlement, spread over a few shard rows so that a viral
    petition's signers do not all queue on one hot row (DESIGN.md §5.2, §14). The total is the sum."""

    petition = models.ForeignKey(PetitionPage, on_delete=models.PROTECT, related_name="tallies")
    settlement_key = models.PositiveIntegerField(default=0, help_text="Settlement id, 0 when not given.")
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    objects = TallyQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("signature tally")
        constraints = [
            models.UniqueConstraint(fields=["petition", "settlement_key", "shard"], name="petitions_tally_unique"),
        ]


class SignatureQuerySet(models.QuerySet):
    def counted(self):
        """Signatures that count: confirmed and not invalidated or awaiting review."""
        return self.filter(confirmed_at__isnull=False, moderation_status=ModerationStatus.PUBLISHED)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Signature(Contribution):
    """One person's signature on one petition (the canonical page). Personal data is erased later;
    the row, its settlement and so every count stay."""

    petition = models.ForeignKey(
        PetitionPage, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("petition")
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    settlement = models.ForeignKey(
        "home.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("settlement")
    )
    show_name = models.BooleanField(_("name shown publicly"), default=False)
    notify = models.BooleanField(_("wants updates"), default=False)
    is_sponsor = models.BooleanField(_("co-sponsor"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hash = models.CharField(max_length=24, blank=True)

    personal_fields = ("name", "email", "token_hash", "ip_hash")
    # Signatures are high-volume rows, not content: keep them out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "author"], condition=Q(author__isnull=False), name="petitions_one_signature_per_account"
            ),
            models.UniqueConstraint(
                fields=["petition", "email"], condition=~Q(email=""), name="petitions_one_signature_per_email"
            ),
        ]
        indexes = [
            models.Index(fields=["petition", "confirmed_at", "moderation_status"], name="petitions_sig_counted"),
            # The page lists the latest signatories who chose to show their name.
            models.Index(fields=["petition", "-confirmed_at"], condition=Q(show_name=True), name="petitions_sig_public"),
        ]

    def __str__(self):
        return f"{self.pk}: {self.petition_id}"

    def anonymise(self, *, now=None):
        super().anonymise(now=now)
        self.show_name = False
        self.notify = False

    @property
    def settlement_key(self):
        return self.settlement_id or 0

    @property
    def counts(self):
        return self.confirmed_at is not None and self.moderation_status == ModerationStatus.PUBLISHED

    @property
    def public_name(self):
        return self.name if self.show_name else ""

