"""Page route stubs call their app's views without importing them (views import models, never the reverse).

    class BudgetPage(OpenDataRoutes, RoutablePageMixin, ParticipationPage):
        views = AppViews()

        @path("vote/")
        def vote_route(self, request):
            return self.views.vote(request, self)

The app's `FeatureAppConfig.ready()` loads `views.py`; `AppViews` hands it to the page.
"""

from django.apps import apps


class AppViews:
    def __get__(self, instance, owner):
        return apps.get_app_config(owner._meta.app_label).views
