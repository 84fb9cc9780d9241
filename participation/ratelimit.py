"""Rate limits on every citizen POST, counted in the cache per IP address (hashed) and per account.

Every scope is declared once, with its default limits, by the app that uses it:

    SIGN = ratelimit.declare("petition_sign", ip="30/60", user="10/60")  # N requests per S seconds

`VECHE_RATE_LIMITS` in the settings may override any declared scope ({"scope": {"ip": "N/S", "user": "N/S"}}).
Checking an undeclared scope raises `ImproperlyConfigured`: a typo never falls back to the default silently.
The middleware applies the scope a view declares with `@rate_limit_scope(SCOPE)` (or "default") to every POST
outside the admin; a view can call `check()` itself for a finer scope.
"""

import functools
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils.translation import gettext as _

EXEMPT_PREFIXES = ("/admin/", "/static/", "/media/")


@functools.lru_cache(maxsize=8)
def _networks(spec):
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request):
    """The visitor's address. `X-Forwarded-For` counts only when the request comes from a trusted proxy
    (`VECHE_TRUSTED_PROXIES`, addresses or networks): then the rightmost address that is not itself a trusted
    proxy is the client. From anywhere else the header is ignored, so nobody can forge their way past a limit,
    and behind the proxy a whole town does not share the proxy's one address."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "VECHE_TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header from the proxy: count against the proxy, never crash
    return remote


def _digest(value):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:24]


def client_hash(request):
    """The visitor's address, hashed with the secret key: what Veche stores (never the address in clear)."""
    return _digest(client_ip(request))


def _parse(spec):
    count, seconds = spec.split("/")
    return int(count), int(seconds)


_DECLARED: dict[str, dict[str, str]] = {}


def declare(scope, **limits):
    """Declare `scope` with its default limits (`ip="N/S"`, `user="N/S"`). Returns the scope's name."""
    for kind, spec in limits.items():
        if kind not in ("ip", "user"):
            raise ImproperlyConfigured(f"rate limit {scope!r}: unknown kind {kind!r} (use ip= or user=)")
        _parse(spec)
    if scope in _DECLARED and _DECLARED[scope] != limits:
        raise ImproperlyConfigured(f"rate limit {scope!r} is declared twice with different limits")
    _DECLARED[scope] = dict(limits)
    return scope


def declared_scopes():
    return dict(_DECLARED)


def limits_for(scope):
    if scope not in _DECLARED:
        raise ImproperlyConfigured(f"rate limit scope {scope!r} is not declared (participation.ratelimit.declare)")
    overrides = getattr(settings, "VECHE_RATE_LIMITS", {}) or {}
    return overrides.get(scope, _DECLARED[scope])


DEFAULT = declare("default", ip="60/60", user="60/60")


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
    """Mark a view with the rate-limit scope its POSTs count against (declared, or this fails at import)."""
    if scope not in _DECLARED:
        raise ImproperlyConfigured(f"rate limit scope {scope!r} is not declared (participation.ratelimit.declare)")

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
