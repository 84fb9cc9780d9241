from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from participation import views as participation_views

from .api import api_router

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("healthz", home_views.healthz, name="healthz"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    # "/" shows the home page in the visitor's language (cookie, then browser, then the default).
    path("", home_views.root, name="root"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("search/", home_views.search, name="search"),
    # Open data of participation pages: <page url>data.json / data.csv (participation/views.py).
    re_path(r"^(?P<path>(?:[\w\-]+/)*)data\.(?P<fmt>json|csv)/?$", participation_views.page_data, name="page_data"),
    # Earlier addresses of the same data (budgets served data/json/): a permanent redirect.
    re_path(r"^(?P<path>(?:[\w\-]+/)*)data/(?P<fmt>json|csv)/$", participation_views.legacy_data, name="legacy_page_data"),
    path("consultations/", include("consultations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
