import importlib
import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeatureAppConfig(AppConfig):
    """The app config of every feature app (docs/architecture.md).

    `ready()` is Django's documented place for loading modules that need the app registry: it loads the app's
    `rules` (its permissions), `signals` (Wagtail events it listens to) and `views` (which page route stubs call
    as `self.views.<name>(request, self)` through `participation.routing.AppViews`). That is how a page in
    `models.py` reaches `views.py` without importing it: views import models, never the reverse.
    """

    default_auto_field = "django.db.models.BigAutoField"
    ready_modules = ("rules", "signals", "views")
    # The model permissions each staff role needs for this app's admin screens, by group name, e.g.
    # {"Moderators": ["view_signature"]}; granted after every `migrate` (participation/roles.py). Who may do
    # what beyond viewing is decided by the app's rules.
    role_permissions: dict[str, list[str]] = {}
    # Django picks the one AppConfig subclass an app's apps.py holds; this base class, imported there, must not
    # count as a candidate, and every subclass must.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self):
        for name in self.ready_modules:
            dotted = f"{self.name}.{name}"
            if name == "signals" and importlib.util.find_spec(dotted) is None:
                continue  # an app that listens to no Wagtail event has no signals module
            setattr(self, name, importlib.import_module(dotted))


class ParticipationConfig(FeatureAppConfig):
    name = "participation"
    verbose_name = _("Participation")
    ready_modules = ("roles",)
