"""The choices of the budgets app: currencies, ballot and outcome rules, phases, feasibility, channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..counting import ballot_rules


class Currency(models.TextChoices):
    EUR = "EUR", _("euro (€)")
    BGN = "BGN", _("Bulgarian lev (лв.)")
    UAH = "UAH", _("Ukrainian hryvnia (грн)")
    PLN = "PLN", _("Polish złoty (zł)")


class BallotRule(models.TextChoices):
    APPROVAL = ballot_rules.APPROVAL, _("Approval: choose up to N projects")
    KNAPSACK = ballot_rules.KNAPSACK, _("Budget-limited: choose projects whose total cost fits the amount")
    ONE_PER_CATEGORY = ballot_rules.ONE_PER_CATEGORY, _("One project per category")


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


class Feasibility(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    ASSISTED = "assisted", _("Assisted at the municipal office")
    IMPORTED = "imported", _("Imported from an election file")
