from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


class AccountsConfig(FeatureAppConfig):
    name = "accounts"
    verbose_name = _("Citizen accounts")
    ready_modules = ()
    # Resident verification at the office: the citizens listing, and the "verified resident" box.
    role_permissions = {"Office staff": ["view_profile", "change_profile"]}
