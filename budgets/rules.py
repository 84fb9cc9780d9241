"""Who may do what in a budget cycle: the core's requirements combined (participation/rules.py), and one of
our own, "lives in the budget's area". Phases come from the page's dates (the services check them again).

A refusal's message lives here, in the requirement that failed; views ask `participation.views.require`.
"""

from django.utils.translation import gettext_lazy as _

from participation.rules import (
    Requirement,
    add_rule,
    in_phase,
    is_moderator,
    is_office_staff,
    must_be_office_staff,
    must_edit,
    must_log_in,
    must_moderate,
    page_level,
)

from .models import BudgetPhase
from .queries import settlement_ids


def lives_in_budget_area(user, budget):
    allowed = settlement_ids(budget)
    if not allowed:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.settlement_id in allowed)


must_live_in_area = Requirement(
    lives_in_budget_area,
    _("Only residents of the settlements this budget is for can take part. Check the settlement in your profile."),
    code="area",
)
proposals_open = in_phase(BudgetPhase.PROPOSALS, of="budget_phase", message=_("Proposals for this budget are not open now."))
voting_open = in_phase(BudgetPhase.VOTING, of="budget_phase", message=_("Voting in this budget is not open now."))
paper_entry_open = in_phase(
    BudgetPhase.VOTING, BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION,
    of="budget_phase", message=_("Paper ballots can be entered from the start of voting."),
)
voting_closed = in_phase(
    BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION,
    of="budget_phase", message=_("Results can be published once voting has closed."),
)

# Who may take part at all (the phase aside): the services check these again, as defence in depth.
ELIGIBLE = (must_log_in, page_level(), must_live_in_area)

add_rule("budgets.propose_project", *ELIGIBLE, proposals_open)
add_rule("budgets.vote_budget", *ELIGIBLE, voting_open)
add_rule("budgets.review_proposal", must_log_in, must_moderate)
add_rule("budgets.enter_paper_ballot", must_log_in, must_be_office_staff, paper_entry_open)
add_rule("budgets.publish_results", must_log_in, must_edit, voting_closed)

# The cycles screen in the admin: moderators and editors review, office staff enter paper ballots there.
must_work_on_cycles = Requirement(is_moderator | is_office_staff, _("Only moderators, editors and office staff can open budget cycles."))
add_rule("budgets.open_cycles", must_log_in, must_work_on_cycles)
