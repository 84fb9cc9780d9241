"""Petitions: an index page per petitions service and a page per petition (DESIGN.md §4, §5).

Pages hold what people write (the citizen's text, the editors' response and updates). What the system
writes (stage, dates of opening and closing, threshold reached, counters) lives in `PetitionState` and
`SignatureTally`, keyed by the canonical petition page, so publishing an old revision never rolls it back.
Routes are one-line stubs calling `petitions/views.py` (docs/architecture.md, "Routing convention").
"""

import datetime

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from home.models import MunicipalitySettings
from participation.models import CitizenAuthoredPage, ParticipationPage, VerificationLevel
from participation.opendata import OpenDataRoutes
from participation.routing import AppViews

from .choices import Decision, Status
from .records import SignatureTally
from .state import PetitionState


class PetitionIndexPage(OpenDataRoutes, RoutablePageMixin, Page):
    """A petitions service: lists petitions, takes new drafts, and holds the rules every petition follows.

    Empty numbers fall back to the municipality's statutory settings (DESIGN.md §8).
    """

    views = AppViews()

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
        if self.locale_id == Locale.get_default().pk:
            return self
        return PetitionIndexPage.objects.filter(translation_key=self.translation_key, locale=Locale.get_default()).first() or self

    @property
    def verification_level(self):
        """The level its petitions ask of signers; starting one needs at least an account (petitions/rules.py)."""
        return self.signature_level

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.views.index_context(self, request))
        return context

    @path("start/", name="start")
    def start_route(self, request):
        return self.views.start(request, self)

    @path("similar/", name="similar")
    def similar_route(self, request):
        return self.views.similar(request, self)

    @path("mine/", name="mine")
    def mine_route(self, request):
        return self.views.mine(request, self)

    @path("sponsor/<str:token>/", name="sponsor")
    def sponsor_route(self, request, token):
        return self.views.sponsor(request, self, token)

    @path("edit/<int:page_id>/", name="edit")
    def edit_route(self, request, page_id):
        return self.views.edit(request, self, page_id)

    def open_data(self, request):
        return self.views.index_open_data(self, request)


class PetitionTag(TaggedItemBase):
    content_object = ParentalKey("petitions.PetitionPage", on_delete=models.CASCADE, related_name="tagged_items")



class PetitionPage(OpenDataRoutes, RoutablePageMixin, CitizenAuthoredPage, ParticipationPage):
    """One petition. `summary` is what the municipality should do; `background` says why."""

    views = AppViews()

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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.views.petition_context(self, request))
        return context

    @path("sign/", name="sign")
    def sign_route(self, request):
        return self.views.sign(request, self)

    @path("confirm/<str:token>/", name="confirm")
    def confirm_route(self, request, token):
        return self.views.confirm(request, self, token)

    def open_data(self, request):
        return self.views.petition_open_data(self, request)


class PetitionUpdate(Orderable):
    """A dated entry about what happened after the response (implementation, council votes)."""

    page = ParentalKey(PetitionPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=datetime.date.today)
    text = RichTextField(_("update"))

    panels = [FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")
