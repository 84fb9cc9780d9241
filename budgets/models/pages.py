"""Pages of a budget cycle: the cycle (BudgetPage) with its categories, and its projects (ProposalPage) with
their implementation updates. Page fields hold what editors (or, for a proposal, its citizen author) write.

Route stubs call `budgets/views.py` through `self.views` (participation.routing.AppViews): models never import
views.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from participation.geo import parse_point
from participation.models import CitizenAuthoredPage, ParticipationPage
from participation.opendata import OpenDataRoutes
from participation.routing import AppViews

from .choices import PHASE_ORDER, BallotRule, BudgetPhase, Currency, Feasibility, ImplementationStatus, OutcomeRule


class BudgetPage(OpenDataRoutes, RoutablePageMixin, ParticipationPage):
    """One participatory budget cycle (one year or round)."""

    views = AppViews()

    body = RichTextField(_("about this budget"), blank=True)
    amount = models.PositiveBigIntegerField(_("total amount"), help_text=_("In whole currency units."))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)

    proposals_opens_at = models.DateTimeField(_("proposals open"))
    proposals_closes_at = models.DateTimeField(_("proposals close"))
    voting_opens_at = models.DateTimeField(_("voting opens"), help_text=_("Feasibility review runs until then."))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    implementation_starts_at = models.DateTimeField(_("implementation starts"), null=True, blank=True)

    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("Leave empty when there is no age limit.")
    )
    identity_check = models.BooleanField(
        _("ask voters for their identity document number"),
        default=False,
        help_text=_(
            "Name, settlement and document number are hashed (never stored in clear) so that nobody votes both "
            "online and on paper."
        ),
    )
    proposals_per_citizen = models.PositiveSmallIntegerField(_("proposals per citizen"), default=3)

    ballot_rule = models.CharField(
        _("ballot rule"), max_length=20, choices=BallotRule.choices, default=BallotRule.APPROVAL
    )
    approval_max = models.PositiveSmallIntegerField(
        _("most projects a voter may choose"), default=5, help_text=_("Per category when there are categories.")
    )
    approval_min = models.PositiveSmallIntegerField(_("fewest projects a voter must choose"), default=1)
    knapsack_min_percent = models.PositiveSmallIntegerField(
        _("minimum share of the amount a ballot must use (%)"),
        default=0,
        help_text=_("For example 70 (Decidim's default). 0 means no minimum."),
    )
    outcome_rule = models.CharField(
        _("outcome rule"), max_length=10, choices=OutcomeRule.choices, default=OutcomeRule.GREEDY
    )
    allow_ballot_changes = models.BooleanField(_("voters may change their ballot until voting closes"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("currency")]),
        InlinePanel("categories", label=_("Categories or districts")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("proposals_opens_at"), FieldPanel("proposals_closes_at")]),
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
                FieldPanel("implementation_starts_at"),
            ],
            heading=_("Phases"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("verification_level"),
                FieldPanel("settlements"),
                FieldPanel("minimum_age"),
                FieldPanel("identity_check"),
                FieldPanel("proposals_per_citizen"),
            ],
            heading=_("Who may take part"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("ballot_rule"),
                FieldRowPanel([FieldPanel("approval_min"), FieldPanel("approval_max")]),
                FieldPanel("knapsack_min_percent"),
                FieldPanel("allow_ballot_changes"),
                FieldPanel("outcome_rule"),
            ],
            heading=_("Ballot and outcome rules"),
        ),
    ]
    search_fields = ParticipationPage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["budgets.ProposalPage"]

    class Meta:
        verbose_name = _("participatory budget")
        verbose_name_plural = _("participatory budgets")

    def save(self, *args, **kwargs):
        # The home page lists participation pages open between opens_at and closes_at: the whole active cycle.
        self.opens_at = self.proposals_opens_at
        self.closes_at = self.voting_closes_at
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        dates = [self.proposals_opens_at, self.proposals_closes_at, self.voting_opens_at, self.voting_closes_at]
        if all(dates) and not (dates[0] < dates[1] <= dates[2] < dates[3]):
            raise ValidationError(_("Phases must follow each other: proposals open, proposals close, voting opens, voting closes."))
        if self.implementation_starts_at and self.voting_closes_at and self.implementation_starts_at < self.voting_closes_at:
            raise ValidationError({"implementation_starts_at": _("Implementation starts after voting closes.")})
        if self.approval_min > self.approval_max:
            raise ValidationError({"approval_min": _("The minimum cannot be more than the maximum.")})
        if self.knapsack_min_percent > 100:
            raise ValidationError({"knapsack_min_percent": _("Give a percentage between 0 and 100.")})

    # Phases come from the dates on the page (DESIGN.md §5.5).
    def budget_phase(self, now=None):
        now = now or timezone.now()
        if now < self.proposals_opens_at:
            return BudgetPhase.UPCOMING
        if now < self.proposals_closes_at:
            return BudgetPhase.PROPOSALS
        if now < self.voting_opens_at:
            return BudgetPhase.REVIEW
        if now < self.voting_closes_at:
            return BudgetPhase.VOTING
        if self.implementation_starts_at and now >= self.implementation_starts_at:
            return BudgetPhase.IMPLEMENTATION
        return BudgetPhase.RESULTS

    def timeline(self, now=None):
        current = self.budget_phase(now)
        ends = {
            BudgetPhase.PROPOSALS: (self.proposals_opens_at, self.proposals_closes_at),
            BudgetPhase.REVIEW: (self.proposals_closes_at, self.voting_opens_at),
            BudgetPhase.VOTING: (self.voting_opens_at, self.voting_closes_at),
            BudgetPhase.RESULTS: (self.voting_closes_at, self.implementation_starts_at),
            BudgetPhase.IMPLEMENTATION: (self.implementation_starts_at, None),
        }
        current_index = PHASE_ORDER.index(current) if current in PHASE_ORDER else -1
        steps = []
        for position, phase in enumerate(PHASE_ORDER):
            start, end = ends[phase]
            state = "current" if position == current_index else ("done" if position < current_index else "next")
            steps.append({"phase": phase, "label": phase.label, "start": start, "end": end, "state": state})
        return steps

    def category_list(self):
        """The canonical page's categories (proposals point at them), cached per instance."""
        if not hasattr(self, "_category_cache"):
            self._category_cache = list(self.canonical.categories.all())
        return self._category_cache

    @property
    def has_categories(self):
        return bool(self.category_list())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.views.budget_context(self, request))
        return context

    # Routes: one-line stubs; each view is about ten lines in views.py.
    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("propose/")
    def propose_route(self, request):
        return self.views.propose(request, self)

    @path("vote/")
    def vote_route(self, request):
        return self.views.vote(request, self)

    @path("vote/check/")
    def check_route(self, request):
        return self.views.check(request, self)

    @path("receipt/")
    def receipt_route(self, request):
        return self.views.receipt(request, self)

    @path("verify/")
    def verify_route(self, request):
        return self.views.verify(request, self)

    @path("results/")
    def results_route(self, request):
        return self.views.results(request, self)

    @path("data/pabulib/")
    def export_pb_route(self, request):
        return self.views.export_pb(request, self)

    def open_data(self, request):
        """`<page url>data.json` / `data.csv` (participation.opendata.OpenDataRoutes)."""
        return self.views.open_data(self, request)


class BudgetCategory(Orderable):
    """A category or district of a cycle, with its own amount (the amounts usually add up to the total)."""

    page = ParentalKey(BudgetPage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)
    amount = models.PositiveBigIntegerField(_("amount"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("amount"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class ProposalPage(CitizenAuthoredPage, Page):
    """A project proposed by a citizen; a draft child of its budget until a moderator publishes it."""

    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        BudgetCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("category")
    )
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost"))
    whole_municipality = models.BooleanField(_("the whole municipality"), default=False)
    address = models.CharField(_("address or place"), max_length=255, blank=True)
    location = models.CharField(
        _("location on the map"), max_length=80, blank=True, help_text=_("SRID=4326;POINT(longitude latitude)")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("photo")
    )
    co_authors = models.CharField(_("co-authors"), max_length=255, blank=True)

    feasibility = models.CharField(
        _("feasibility"), max_length=16, choices=Feasibility.choices, default=Feasibility.PENDING, db_index=True
    )
    feasibility_reason = models.TextField(_("public reason"), blank=True)
    final_cost = models.PositiveBigIntegerField(_("final cost"), null=True, blank=True)

    implementation_status = models.CharField(
        _("implementation status"), max_length=16, choices=ImplementationStatus.choices, default=ImplementationStatus.PLANNED
    )
    implementation_progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("category"),
        FieldPanel("estimated_cost"),
        MultiFieldPanel(
            [FieldPanel("whole_municipality"), FieldPanel("address"), FieldPanel("location")], heading=_("Place")
        ),
        FieldPanel("photo"),
        FieldPanel("co_authors"),
        MultiFieldPanel(
            [FieldPanel("feasibility"), FieldPanel("feasibility_reason"), FieldPanel("final_cost")],
            heading=_("Feasibility review"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("implementation_status"),
                FieldPanel("implementation_progress"),
                FieldPanel("cancellation_reason"),
                InlinePanel("updates", label=_("Implementation updates")),
            ],
            heading=_("Implementation"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("description")]

    parent_page_types = ["budgets.BudgetPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")

    @property
    def cost(self):
        """What the project costs on the ballot: the reviewed cost when there is one."""
        return self.final_cost if self.final_cost is not None else self.estimated_cost

    @property
    def lat_lng(self):
        """(latitude, longitude) from the location, or None."""
        return parse_point(self.location)

    @property
    def is_on_ballot(self):
        return self.live and self.feasibility == Feasibility.FEASIBLE

    def ballot_refusal(self, *, publishing=False, now=None):
        """Why this change may not be saved, or None: once voting opens the ballot is fixed (docs/budgets.md).

        No project joins the ballot (a first publication, a feasibility decision) and no project on it changes
        its cost. `publishing` asks about the page as it will be once published.
        """
        parent = self.get_parent() if self.path else None
        budget = parent.specific if parent is not None else None
        if not isinstance(budget, BudgetPage) or (now or timezone.now()) < budget.voting_opens_at:
            return None
        opens = budget.voting_opens_at
        live = True if publishing else self.live
        first = self.first_published_at or (timezone.now() if live else None)
        before = ProposalPage.objects.filter(pk=self.pk).first() if self.pk else None
        if live and not (before and before.live) and (first is None or first >= opens):
            return _("Voting in this budget has opened, so the projects on the ballot are fixed: this proposal "
                     "can no longer be published in this cycle. It can be proposed again in the next cycle.")
        on_after = live and self.feasibility == Feasibility.FEASIBLE and first is not None and first < opens
        if before is None:
            return None  # a new record of a project published before voting opened (an imported past cycle)
        on_before = bool(before.is_on_ballot and before.first_published_at and before.first_published_at < opens)
        if on_after and not on_before:
            return _("Voting in this budget has opened, so the projects on the ballot are fixed: no project can "
                     "be added to it now.")
        if on_after and on_before and before.cost != self.cost:
            return _("Voting in this budget has opened, so the cost of a project on the ballot can no longer change.")
        return None

    def clean(self):
        super().clean()
        refusal = self.ballot_refusal()
        if refusal:
            raise ValidationError(refusal)

    views = AppViews()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.views.proposal_context(self, request))
        return context


class ImplementationUpdate(Orderable):
    """A dated note on how a funded project is being carried out, with an optional photo."""

    page = ParentalKey(ProposalPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what happened"))
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("photo")
    )

    panels = [FieldPanel("date"), FieldPanel("text"), FieldPanel("photo")]

    class Meta(Orderable.Meta):
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")
