"""Work the budgets app does outside a request, taking ids: computing a cycle's outcome, writing and reading
pabulib files. The management commands call these (and nothing else)."""

from django.core.exceptions import ObjectDoesNotExist
from wagtail.models import Page

from participation.exceptions import ParticipationError

from .counting import pabulib
from .exports import election_for, import_election
from .models import BudgetPage
from .results import compute


class NotFound(ParticipationError):
    """No page with that id (the command turns it into a CommandError)."""


def _budget(budget_id):
    try:
        return BudgetPage.objects.get(pk=budget_id)
    except BudgetPage.DoesNotExist:
        raise NotFound(f"No budget page with id {budget_id}.") from None


def compute_results(budget_id, rule):
    """The outcome of `rule` ("greedy" or "mes") from the stored ballots, as the JSON-ready snapshot."""
    return compute(_budget(budget_id), rule)


def export_pabulib(budget_id):
    """The cycle's projects and anonymous ballots as pabulib .pb text."""
    return pabulib.dumps(election_for(_budget(budget_id)))


def import_pabulib(source, *, parent_id, title=None):
    """A closed cycle under page `parent_id` with the projects and ballots of a .pb file. Returns the cycle.

    Raises NotFound, or OSError / ValueError for a file that cannot be read or parsed.
    """
    try:
        parent = Page.objects.get(pk=parent_id).specific
    except ObjectDoesNotExist:
        raise NotFound(f"No page with id {parent_id}.") from None
    return import_election(pabulib.load(source), parent=parent, title=title)
