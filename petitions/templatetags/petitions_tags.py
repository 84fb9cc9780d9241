"""Template helpers of the petitions templates."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def subpage_url(context, page, name, *args):
    """The URL of a route of a routable page (like Wagtail's routablepageurl, without that app)."""
    request = context.get("request")
    base = page.get_url(request=request) or page.url
    return base + page.reverse_subpage(name, args=args or None)
