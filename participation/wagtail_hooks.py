from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry

from .models import Contribution


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
    actions.register_action("veche.moderation.publish", _("Publish contribution"), _("Contribution published"))
    actions.register_action("veche.moderation.hide", _("Hide contribution"), _("Contribution hidden"))
    actions.register_action("veche.moderation.reject", _("Reject contribution"), _("Contribution rejected"))
    actions.register_action("veche.moderation.pending", _("Return to moderation"), _("Contribution sent back to moderation"))
    actions.register_action("veche.anonymise", _("Anonymise"), _("Personal data anonymised"))
    # Every concrete citizen record is logged with Wagtail's model log entries.
    for model in apps.get_models():
        if issubclass(model, Contribution):
            actions.register_model(model, ModelLogEntry)
