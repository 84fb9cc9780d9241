"""Who may do what in a budget cycle. Phases come from the page's dates (checked again in the services)."""

import rules

from participation.rules import is_authenticated, is_moderator, is_staff_member, meets_page_level

from .models import BudgetPhase


def _phase_is(phase):
    @rules.predicate(name=f"budget_phase_is_{phase}")
    def predicate(user, budget):
        return budget is not None and budget.budget_phase() == phase

    return predicate


@rules.predicate
def lives_in_budget_area(user, budget):
    from .services import _settlement_ids

    allowed = _settlement_ids(budget)
    if not allowed:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.settlement_id in allowed)


@rules.predicate
def is_editor(user):
    return bool(user and user.is_authenticated and (user.is_superuser or user.groups.filter(name="Editors").exists()))


proposals_open = _phase_is(BudgetPhase.PROPOSALS)
voting_open = _phase_is(BudgetPhase.VOTING)
results_phase = _phase_is(BudgetPhase.RESULTS) | _phase_is(BudgetPhase.IMPLEMENTATION)
eligible = is_authenticated & meets_page_level & lives_in_budget_area

rules.add_perm("budgets.propose_project", eligible & proposals_open)
rules.add_perm("budgets.vote_budget", eligible & voting_open)
rules.add_perm("budgets.review_proposal", is_moderator)
rules.add_perm("budgets.enter_paper_ballot", is_staff_member & is_moderator & (voting_open | results_phase))
rules.add_perm("budgets.publish_results", is_editor & results_phase)
