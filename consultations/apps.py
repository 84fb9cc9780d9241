from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig

# The admin listings of citizen records are read-only (participation.admin.ReadOnlyPolicy): viewing is all
# they need. Editors also keep the meetings and polls (snippets).
RECORDS = ["view_comment", "view_questionnaireanswer"]
SNIPPETS = [f"{action}_{model}" for model in ("meeting", "poll") for action in ("add", "change", "delete", "view")]


class ConsultationsConfig(FeatureAppConfig):
    name = "consultations"
    verbose_name = _("Consultations")
    role_permissions = {"Editors": RECORDS + SNIPPETS, "Moderators": RECORDS}
