"""Citizens never reach the Wagtail admin: a signed-in user without admin access gets a clear 403."""

from django.shortcuts import render
from django.utils.translation import gettext as _


class CitizenAdminGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            if not (request.user.is_superuser or request.user.has_perm("wagtailadmin.access_admin")):
                return render(
                    request,
                    "errors/403.html",
                    {"message": _("This area is for municipal staff. Your citizen account cannot open it.")},
                    status=403,
                )
        return self.get_response(request)
