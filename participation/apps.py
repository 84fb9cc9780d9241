import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")


class FeatureAppConfig(AppConfig):
    """The app config of every feature app (docs/architecture.md).

    `ready()` is Django's documented place for loading modules that need the app registry: it loads the app's
    `rules` (its permissions), `signals` (Wagtail events it listens to) and `views` (which page route stubs call
    as `self.views.<name>(request, self)` through `participation.routing.AppViews`). That is how a page in
    `models.py` reaches `views.py` without importing it: views import models, never the reverse.
    """

    default_auto_field = "django.db.models.BigAutoField"
    ready_modules = ("rules", "signals", "views")
    # Django picks the one AppConfig subclass an app's apps.py holds; this base class, imported there, must not
    # count as a candidate, and every subclass must.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self):
        for name in self.ready_modules:
            setattr(self, name, importlib.import_module(f"{self.name}.{name}"))
