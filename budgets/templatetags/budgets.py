"""Template helpers of the budgets app."""

from django import template

from budgets.money import money as format_money

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
    from budgets.models import Ballot

    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    return list(Ballot.objects.filter(author=user).select_related("budget").order_by("-created_at")[:20])


@register.simple_tag(takes_context=True)
def subpage_url(context, page, name, *args):
    """The URL of one of a routable page's routes (wagtail.contrib.routable_page is not an installed app)."""
    request = context.get("request")
    return page.get_url(request) + page.reverse_subpage(name, args=args)


@register.filter
def digits(value):
    """A whole number with the locale's digit grouping ("12 500", "12,500")."""
    from budgets.money import group_digits

    try:
        return group_digits(value)
    except (TypeError, ValueError):
        return value
