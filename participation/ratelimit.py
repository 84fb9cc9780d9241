"""Rate limits on every citizen POST, counted in the cache per IP address (hashed) and per account.

Limits are settings (`VECHE_RATE_LIMITS`): {"scope": {"ip": "N/S", "user": "N/S"}} meaning N requests per
S seconds. The middleware applies the scope a view declares with `@rate_limit_scope("sign")` (or
"default") to every POST outside the admin; a service can call `check()` itself for finer scopes.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

EXEMPT_PREFIXES = ("/admin/", "/static/", "/media/")


def client_ip(request):
    # Behind a proxy, the app server (gunicorn forwarded_allow_ips) or the proxy sets REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "")


def _digest(value):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:24]


def _parse(spec):
    count, seconds = spec.split("/")
    return int(count), int(seconds)


def limits_for(scope):
    limits = getattr(settings, "VECHE_RATE_LIMITS", {})
    return limits.get(scope) or limits.get("default") or {}


def check(request, scope="default"):
    """Count this request against `scope`. Returns True when it is within every limit."""
    allowed = True
    now = int(time.time())
    user = getattr(request, "user", None)
    for kind, spec in limits_for(scope).items():
        if kind == "ip":
            who = _digest(client_ip(request))
        elif kind == "user":
            if not (user and user.is_authenticated):
                continue
            who = f"u{user.pk}"
        else:
            continue
        count, seconds = _parse(spec)
        window = now // seconds
        key = f"veche:rl:{scope}:{kind}:{who}:{window}"
        if cache.add(key, 1, timeout=seconds + 1):
            current = 1
        else:
            try:
                current = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds + 1)
                current = 1
        if current > count:
            allowed = False
    return allowed


def rate_limit_scope(scope):
    """Mark a view with the rate-limit scope its POSTs count against."""

    def decorator(view):
        view.veche_rate_scope = scope
        return view

    return decorator


def too_many_requests(request):
    return render(
        request,
        "errors/429.html",
        {"message": _("You have sent too many requests in a short time. Please wait a minute and try again.")},
        status=429,
    )


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.path.startswith(EXEMPT_PREFIXES):
            return None
        scope = getattr(view_func, "veche_rate_scope", "default")
        if not check(request, scope):
            return too_many_requests(request)
        return None
