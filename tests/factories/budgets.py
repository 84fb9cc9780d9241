"""Budget cycles and projects for tests: a cycle in any phase, with dates relative to now."""

import datetime

from django.utils import timezone

from budgets.models import BallotRule, BudgetCategory, BudgetPage, Feasibility, ProposalPage

DAY = datetime.timedelta(days=1)

# Offsets (days from now) of proposals open/close, voting open/close for a cycle currently in each phase.
PHASE_DATES = {
    "upcoming": (5, 20, 30, 40),
    "proposals": (-5, 10, 20, 30),
    "review": (-20, -10, 5, 15),
    "voting": (-30, -20, -2, 10),
    "results": (-40, -30, -20, -2),
}


def budget_page(parent, *, phase="voting", categories=(), slug=None, now=None, **fields):
    now = now or timezone.now()
    offsets = PHASE_DATES[phase]
    values = {
        "title": fields.pop("title", f"Бюджет {phase}"),
        "summary": "Граждански бюджет",
        "amount": 100000,
        "currency": "EUR",
        "proposals_opens_at": now + offsets[0] * DAY,
        "proposals_closes_at": now + offsets[1] * DAY,
        "voting_opens_at": now + offsets[2] * DAY,
        "voting_closes_at": now + offsets[3] * DAY,
        "ballot_rule": BallotRule.APPROVAL,
        "approval_max": 3,
        "approval_min": 1,
        **fields,
    }
    page = BudgetPage(slug=slug or f"budget-{phase}-{BudgetPage.objects.count() + 1}", **values)
    parent.add_child(instance=page)
    if categories:
        for index, (name, amount) in enumerate(categories):
            BudgetCategory.objects.create(page=page, name=name, amount=amount, sort_order=index)
    page.save_revision().publish()
    return BudgetPage.objects.get(pk=page.pk)


def proposal(budget, title="Проект", cost=10000, *, category=None, feasibility=Feasibility.FEASIBLE, live=True,
             author=None, **fields):
    """A project of `budget`; a live one was published before voting opened (the ballot is fixed then)."""
    if live:
        fields.setdefault("first_published_at", min(timezone.now(), budget.voting_opens_at - DAY))
    page = ProposalPage(
        title=title,
        slug=f"p-{ProposalPage.objects.count() + 1}",
        summary=fields.pop("summary", f"{title}: кратко описание"),
        description="Описание",
        category=category,
        estimated_cost=cost,
        final_cost=cost,
        feasibility=feasibility,
        address="ул. „Раковски“ 1",
        citizen_author=author,
        live=live,
        **fields,
    )
    budget.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return ProposalPage.objects.get(pk=page.pk)
