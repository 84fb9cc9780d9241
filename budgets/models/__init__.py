"""Participatory budgets: one cycle (BudgetPage), its projects (ProposalPage), ballots and published results.

Page fields hold what editors (or, for a proposal, its citizen author) write. What the system writes lives in
its own tables keyed by the page: ballots and their history, published results (DESIGN.md §4).
"""

from .ballots import Ballot, BallotChange, BallotChoice, BallotQuerySet, new_receipt_code
from .choices import (
    PHASE_ORDER,
    BallotRule,
    BudgetPhase,
    Channel,
    Currency,
    Feasibility,
    ImplementationStatus,
    OutcomeRule,
)
from .pages import BudgetCategory, BudgetPage, ImplementationUpdate, ProposalPage
from .results import BudgetResult

__all__ = [
    "PHASE_ORDER",
    "Ballot",
    "BallotChange",
    "BallotChoice",
    "BallotQuerySet",
    "BallotRule",
    "BudgetCategory",
    "BudgetPage",
    "BudgetPhase",
    "BudgetResult",
    "Channel",
    "Currency",
    "Feasibility",
    "ImplementationStatus",
    "ImplementationUpdate",
    "OutcomeRule",
    "ProposalPage",
    "new_receipt_code",
]
