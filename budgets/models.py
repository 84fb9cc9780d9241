"""Participatory budgets: one cycle (BudgetPage), its projects (ProposalPage), ballots and published results.

Page fields hold what editors (or, for a proposal, its citizen author) write. What the system writes lives in
its own tables keyed by the page: ballots and their history, published results (DESIGN.md §4).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from participation.models import CitizenAuthoredPage, Contribution, ParticipationPage


class Currency(models.TextChoices):
    EUR = "EUR", _("euro (€)")
    BGN = "BGN", _("Bulgarian lev (лв.)")
    UAH = "UAH", _("Ukrainian hryvnia (грн)")
    PLN = "PLN", _("Polish złoty (zł)")


class BallotRule(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose up to N projects")
    KNAPSACK = "knapsack", _("Budget-limited: choose projects whose total cost fits the amount")
    ONE_PER_CATEGORY = "one_per_category", _("One project per category")


class OutcomeRule(models.TextChoices):
    GREEDY = "greedy", _("Greedy by votes")
    MES = "mes", _("Method of Equal Shares")


class BudgetPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Not started yet")
    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Feasibility review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    IMPLEMENTATION = "implementation", _("Implementation")


PHASE_ORDER = [
    BudgetPhase.PROPOSALS,
    BudgetPhase.REVIEW,
    BudgetPhase.VOTING,
    BudgetPhase.RESULTS,
    BudgetPhase.IMPLEMENTATION,
]


class BudgetPage(RoutablePageMixin, ParticipationPage):
    """One participatory budget cycle (one year or round)."""

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
        from django.core.exceptions import ValidationError

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
        for index, phase in enumerate(PHASE_ORDER):
            start, end = ends[phase]
            state = "current" if index == current_index else ("done" if index < current_index else "next")
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
        from .views import budget_context

        context = super().get_context(request, *args, **kwargs)
        context.update(budget_context(self, request))
        return context

    # Routes: each is about ten lines in views.py.
    @route("")
    def index_route(self, request):
        return self.render(request)

    @route("propose/")
    def propose_route(self, request):
        from . import views

        return views.propose(request, self)

    @route("vote/")
    def vote_route(self, request):
        from . import views

        return views.vote(request, self)

    @route("vote/check/")
    def check_route(self, request):
        from . import views

        return views.check(request, self)

    @route("receipt/")
    def receipt_route(self, request):
        from . import views

        return views.receipt(request, self)

    @route("verify/")
    def verify_route(self, request):
        from . import views

        return views.verify(request, self)

    @route("results/")
    def results_route(self, request):
        from . import views

        return views.results(request, self)

    # `<page url>data.json` and `data.csv` (the open-data addresses every participation page has) reach these
    # routes through participation.views.page_data; `data/json/` and `data/csv/` are kept as aliases.
    @route("data.json/", name="data_json_dotted")
    @route("data/json/")
    def data_json_route(self, request):
        from . import views

        return views.data_json(request, self)

    @route("data.csv/", name="data_csv_dotted")
    @route("data/csv/")
    def data_csv_route(self, request):
        from . import views

        return views.data_csv(request, self)

    @route("data/pabulib/")
    def export_pb_route(self, request):
        from . import views

        return views.export_pb(request, self)



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


class Feasibility(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


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
        text = (self.location or "").upper()
        if "POINT(" not in text:
            return None
        try:
            lng, lat = (float(part) for part in text.split("POINT(", 1)[1].rstrip(")").split())
        except ValueError:
            return None
        return lat, lng

    @property
    def is_on_ballot(self):
        return self.live and self.feasibility == Feasibility.FEASIBLE

    def get_context(self, request, *args, **kwargs):
        from .views import proposal_context

        context = super().get_context(request, *args, **kwargs)
        context.update(proposal_context(self, request))
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


def new_receipt_code():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    ASSISTED = "assisted", _("Assisted at the municipal office")
    IMPORTED = "imported", _("Imported from an election file")


class BallotQuerySet(models.QuerySet):
    def counted(self):
        from participation.models import ModerationStatus

        return self.filter(moderation_status=ModerationStatus.PUBLISHED)


class Ballot(Contribution):
    """One voter's ballot in one cycle. Online ballots belong to an account; paper ballots to a hashed identity."""

    budget = models.ForeignKey(BudgetPage, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("budget"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    identity_hash = models.CharField(_("identity hash"), max_length=64, blank=True, editable=False)
    settlement = models.ForeignKey(
        "home.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("settlement")
    )
    receipt_code = models.CharField(_("receipt code"), max_length=11, unique=True, default=new_receipt_code)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)
    submission_token = models.CharField(max_length=64, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entered by")
    )
    projects = models.ManyToManyField(ProposalPage, through="BallotChoice", related_name="+")

    personal_fields = ("identity_hash", "submission_token")
    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "author"], condition=Q(author__isnull=False), name="budgets_one_ballot_per_account"
            ),
            models.UniqueConstraint(
                fields=["budget", "identity_hash"], condition=~Q(identity_hash=""), name="budgets_one_ballot_per_identity"
            ),
        ]
        indexes = [models.Index(fields=["budget", "channel"])]

    def __str__(self):
        return self.receipt_code


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(ProposalPage, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot choice")
        constraints = [models.UniqueConstraint(fields=["ballot", "project"], name="budgets_choice_once")]


class BallotChange(models.Model):
    """The history of a ballot: the choices it had before each change."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="history")
    version = models.PositiveIntegerField()
    project_ids = models.JSONField(default=list)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ballot", "version"]
        verbose_name = _("ballot change")


class BudgetResult(models.Model):
    """The published result of a cycle: computed once from the stored ballots by a documented rule."""

    budget = models.OneToOneField(BudgetPage, on_delete=models.PROTECT, related_name="result")
    rule = models.CharField(max_length=10, choices=OutcomeRule.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        verbose_name = _("published result")

    @property
    def funded_ids(self):
        return {project["id"] for project in self.data.get("projects", []) if project["selected"]}
