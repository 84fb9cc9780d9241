"""Template helpers of the budgets app."""

from django import template

from budgets.counting.money import group_digits
from budgets.counting.money import money as format_money
from budgets.queries import ballots_of

register = template.Library()


@register.filter
def money(value, currency="EUR"):
    return format_money(value, currency)


@register.filter
def percent_of(value, total):
    try:
        return max(0, min(100, round(float(value) * 100 / float(total))))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0


@register.simple_tag(takes_context=True)
def my_ballots(context):
    """The signed-in citizen's ballots, newest first, for "did my vote count?" on the profile page."""
    request = context.get("request")
    return ballots_of(getattr(request, "user", None))


@register.filter
def digits(value):
    """A whole number with the locale's digit grouping ("12 500", "12,500")."""
    try:
        return group_digits(value)
    except (TypeError, ValueError):
        return value
