"""Registration only: the "Petitions" admin menu group and dashboard panels (petitions/admin.py), the log
actions of petitions, and the signatures a settlement has (the core's settlement hook)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from participation.settlements import SETTLEMENT_RECORDS_HOOK, SettlementRecords

from .admin import PetitionsGroup, dashboard_panels
from .settlements import count_signatures, move_signatures


@hooks.register("register_admin_viewset")
def register_petitions_group():
    return PetitionsGroup()


@hooks.register("register_log_actions")
def register_petition_actions(actions):
    actions.register_action("veche.petition.drafted", _("Petition drafted"), _("Petition drafted by a citizen"))
    actions.register_action("veche.petition.rejected", _("Reject petition"), _("Petition rejected"))
    actions.register_action("veche.petition.threshold", _("Threshold reached"), _("Petition reached its threshold"))
    actions.register_action("veche.petition.responded", _("Response published"), _("Official response published"))


@hooks.register(SETTLEMENT_RECORDS_HOOK)
def petition_settlement_records():
    return SettlementRecords(label=_("petition signatures"), count=count_signatures, move=move_signatures)

@hooks.register("construct_homepage_panels")
def add_petition_panels(request, panels):
    panels.extend(dashboard_panels(request.user))
