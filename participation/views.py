"""Shared view helpers of participation pages: the permission check, the log-in redirect, safe `next` URLs,
sub-page URLs, and the open-data address (`<page url>data.json`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from wagtail.views import serve

from .exceptions import NotAllowed
from .rules import refusal


def login_url(request, next_url=None):
    """The log-in page, returning to `next_url` (by default where the visitor is now)."""
    return f"{reverse('account_login')}?{urlencode({'next': next_url or request.get_full_path()})}"


def safe_next(request, default):
    """The `next` parameter when it points into this site, else `default` (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def subpage_url(page, name, *args, request=None, **kwargs):
    """The URL of one of a routable page's routes (as `{% routablepageurl %}` gives in templates)."""
    return page.get_url(request) + page.reverse_subpage(name, args=args or None, kwargs=kwargs or None)


def require(request, perm, obj=None):
    """Raise `NotAllowed` with the rule's own message when `request.user` lacks `perm` on `obj`.

    The message comes from the requirement that failed (`participation.rules.refusal`), so every app refuses
    with the same words for the same reason; `error.code` is "login" when logging in would help.
    """
    user = request.user
    if user.has_perm(perm, obj):
        return
    failed = refusal(user, perm, obj)
    code = failed.code if failed else "not_allowed"
    if code != "login" and not user.is_authenticated and failed is not None and failed.code == "level":
        code = "login"  # an anonymous visitor can meet the level by logging in
    raise NotAllowed(failed.explain(user, obj) if failed else "", code=code)


def require_admin(request, perm, obj=None):
    """`require()` for admin screens: a refusal is a 403 (Wagtail answers it with a redirect and the message)."""
    try:
        require(request, perm, obj)
    except NotAllowed as error:
        messages.error(request, str(error))  # Wagtail's dashboard shows it beside its own generic refusal
        raise PermissionDenied(str(error)) from error


def refusal_message(request, perm, obj=None):
    """The rule's message when `request.user` may not do `perm` on `obj`; None when allowed, or when logging in
    is all it takes (the page then offers the action, and the log-in page follows)."""
    try:
        require(request, perm, obj)
    except NotAllowed as error:
        return None if error.code == "login" else str(error)
    return None


def refuse(request, error, back):
    """The one answer to a refusal: the log-in page when logging in would help; "you did this already" as
    information; anything else as an error message; then back to `back`."""
    code = getattr(error, "code", None)
    if code == "login" and not request.user.is_authenticated:
        return redirect(login_url(request, back))
    if code == "duplicate":
        messages.info(request, str(error))
    else:
        messages.error(request, str(error))
    return redirect(back)


def page_data(request, path, fmt):
    """`<page url>data.json` and `<page url>data.csv`: open data of any participation page.

    Wagtail's page URLs cannot contain a dot, so this URL pattern hands the request to Wagtail's own
    `serve` with the route `data.<fmt>/`, which `participation.opendata.OpenDataRoutes` declares.
    """
    return serve(request, f"{path}data.{fmt}/")


def legacy_data(request, path, fmt):
    """Old open-data addresses (`<page url>data/json/`) answer with a permanent redirect to the current one."""
    return HttpResponsePermanentRedirect(f"{request.path.rsplit('data/', 1)[0]}data.{fmt}")
