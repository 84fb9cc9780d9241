"""The three ballot rules a cycle can choose (DESIGN.md §6). Pure checks: they return translated messages.

No database access: callers pass the cycle (anything with the ballot-rule fields and `category_list()`) and
the chosen projects (anything with `cost` and `category_id`); `budgets.queries.ballot_projects` reads them.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .money import money

# The values of budgets.models.BallotRule (this package imports no Django model).
APPROVAL = "approval"
KNAPSACK = "knapsack"
ONE_PER_CATEGORY = "one_per_category"


def limits(budget):
    """The amounts a ballot may spend: {category id or None: amount}."""
    categories = budget.category_list()
    if categories:
        return {category.pk: category.amount for category in categories}
    return {None: budget.amount}


def describe(budget):
    """One sentence telling the voter what the ballot rule asks."""
    rule = budget.ballot_rule
    if rule == APPROVAL:
        if budget.has_categories:
            text = ngettext(
                "Choose up to %(max)s project in each category.", "Choose up to %(max)s projects in each category.", budget.approval_max
            )
        else:
            text = ngettext("Choose up to %(max)s project.", "Choose up to %(max)s projects.", budget.approval_max)
        text = text % {"max": budget.approval_max}
        if budget.approval_min > 1:
            text += " " + ngettext(
                "Choose at least %(min)s project.", "Choose at least %(min)s projects.", budget.approval_min
            ) % {"min": budget.approval_min}
        return text
    if rule == KNAPSACK:
        if budget.has_categories:
            text = _("Choose projects whose total cost fits the amount of each category.")
        else:
            text = _("Choose projects whose total cost is at most %(amount)s.") % {
                "amount": money(budget.amount, budget.currency)
            }
        if budget.knapsack_min_percent:
            text += " " + _("Your choices must use at least %(percent)s%% of the amount.") % {
                "percent": budget.knapsack_min_percent
            }
        return text
    return _("Choose one project in each category (or in the categories you care about).")


def validate(budget, projects):
    """Check a selection against the cycle's ballot rule. Returns a list of messages (empty when valid)."""
    errors = []
    if not projects:
        return [_("Choose at least one project.")]
    categories = {category.pk: category for category in budget.category_list()}
    by_category = defaultdict(list)
    for project in projects:
        by_category[project.category_id if categories else None].append(project)
    rule = budget.ballot_rule
    if rule == APPROVAL:
        for key, chosen in by_category.items():
            if len(chosen) > budget.approval_max:
                if key is None:
                    errors.append(
                        ngettext(
                            "You chose %(count)s projects; you may choose at most %(max)s.",
                            "You chose %(count)s projects; you may choose at most %(max)s.",
                            budget.approval_max,
                        )
                        % {"count": len(chosen), "max": budget.approval_max}
                    )
                else:
                    errors.append(
                        ngettext(
                            "In “%(category)s” you chose %(count)s projects; you may choose at most %(max)s.",
                            "In “%(category)s” you chose %(count)s projects; you may choose at most %(max)s.",
                            budget.approval_max,
                        )
                        % {"category": categories[key].name, "count": len(chosen), "max": budget.approval_max}
                    )
        if len(projects) < budget.approval_min:
            errors.append(
                ngettext(
                    "Choose at least %(min)s project.", "Choose at least %(min)s projects.", budget.approval_min
                )
                % {"min": budget.approval_min}
            )
    elif rule == KNAPSACK:
        amounts = limits(budget)
        for key, chosen in by_category.items():
            total = sum(project.cost for project in chosen)
            amount = amounts.get(key, 0)
            name = categories[key].name if key is not None else None
            if total > amount:
                values = {
                    "total": money(total, budget.currency),
                    "amount": money(amount, budget.currency),
                    "over": money(total - amount, budget.currency),
                    "category": name,
                }
                if name:
                    errors.append(
                        _("In “%(category)s” your projects cost %(total)s, %(over)s more than the %(amount)s available.") % values
                    )
                else:
                    errors.append(_("Your projects cost %(total)s, %(over)s more than the %(amount)s available.") % values)
            elif budget.knapsack_min_percent and total * 100 < amount * budget.knapsack_min_percent:
                values = {
                    "total": money(total, budget.currency),
                    "minimum": money(-(-amount * budget.knapsack_min_percent // 100), budget.currency),
                    "percent": budget.knapsack_min_percent,
                    "category": name,
                }
                if name:
                    errors.append(
                        _("In “%(category)s” your projects cost %(total)s; use at least %(minimum)s (%(percent)s%%).") % values
                    )
                else:
                    errors.append(_("Your projects cost %(total)s; use at least %(minimum)s (%(percent)s%%).") % values)
    else:
        for key, chosen in by_category.items():
            if len(chosen) > 1:
                name = categories[key].name if key is not None else _("the ballot")
                errors.append(
                    _("In “%(category)s” you chose %(count)s projects; choose only one.")
                    % {"category": name, "count": len(chosen)}
                )
    return errors


def spent_by_limit(budget, projects):
    """[(label, amount, spent)] per category (or the whole budget) for the "money left" summary."""
    amounts = limits(budget)
    categories = {category.pk: category for category in budget.category_list()}
    spent = defaultdict(int)
    for project in projects:
        spent[project.category_id if categories else None] += project.cost
    rows = []
    for key, amount in amounts.items():
        label = categories[key].name if key is not None else None
        rows.append({"key": key, "label": label, "amount": amount, "spent": spent.get(key, 0), "left": amount - spent.get(key, 0)})
    return rows
