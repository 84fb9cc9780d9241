from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .settlements import SETTLEMENT_RECORDS_HOOK, SettlementRecords, count_pages, move_pages


@hooks.register("register_log_actions")
def register_veche_actions(actions):
    # Wagtail logs any model with ModelLogEntry; these are the actions Veche adds to its audit trail.
    actions.register_action("veche.moderation.publish", _("Publish contribution"), _("Contribution published"))
    actions.register_action("veche.moderation.hide", _("Hide contribution"), _("Contribution hidden"))
    actions.register_action("veche.moderation.reject", _("Reject contribution"), _("Contribution rejected"))
    actions.register_action("veche.moderation.pending", _("Return to moderation"), _("Contribution sent back to moderation"))
    actions.register_action("veche.anonymise", _("Anonymise"), _("Personal data anonymised"))
    actions.register_action("veche.account.delete", _("Delete account"), _("Citizen account deleted (contributions anonymised)"))
    actions.register_action("veche.resident.verify", _("Verify resident"), _("Citizen verified as a resident"))


@hooks.register(SETTLEMENT_RECORDS_HOOK)
def participation_page_settlements():
    return SettlementRecords(label=_("pages for the settlement"), count=count_pages, move=move_pages)
