from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from participation.exceptions import ParticipationError
from participation.settlements import usage
from participation.views import require_admin

from . import services
from .admin_forms import MergeSettlementsForm
from .models import Settlement


def _home_for_language(request, language):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise Http404
    root = site.root_page
    try:
        locale = Locale.objects.get(language_code=language)
        return root.get_translation(locale).specific
    except (Locale.DoesNotExist, Page.DoesNotExist):
        return root.specific


def root(request):
    """Serve the home page at "/" in the visitor's language, with a canonical link to its prefixed URL."""
    language = translation.get_language_from_request(request, check_path=False)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    page = _home_for_language(request, language)
    if not page.live:
        raise Http404
    return page.serve(request)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: answer with the shipped icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        locale = Locale.get_active()
        results = Page.objects.live().public().filter(locale=locale).specific().search(query)
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "search.html", {"query": query, "results": page})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": _("You do not have permission to see this page.")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def merge_settlements(request):
    """Admin: merge one settlement into another (every record moves, every count stays right)."""
    require_admin(request, "participation.merge_settlements")
    settlements = Settlement.objects.order_by("sort_order", "name")
    form = MergeSettlementsForm(request.POST or None, settlements=settlements)
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        try:
            moved = services.merge_settlements(source=source, target=target, actor=request.user)
        except ParticipationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("“%(source)s” was merged into “%(target)s”: %(count)s records moved.")
                % {"source": source.name, "target": target.name, "count": sum(moved.values())},
            )
            return redirect("home_admin:merge_settlements")
    rows = [{"settlement": s, "usage": usage(s.pk)} for s in settlements]
    context = {"page_title": _("Merge settlements"), "header_icon": "site", "form": form, "rows": rows}
    return render(request, "home/admin/merge_settlements.html", context)
