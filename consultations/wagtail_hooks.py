"""Registration only: the "Consultations" admin menu group with its viewsets, the decisions screen, the page
header buttons, the log actions, the dashboard panels, the poll embed (the core's `register_veche_embed` hook),
and the records a settlement has (the core's settlement hook)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from participation.settlements import SETTLEMENT_RECORDS_HOOK, SettlementRecords

from . import admin, settlements
from .models import ConsultationPage, Poll
from .queries import poll_context

# The group holds snippet viewsets (meetings, polls) too: register_snippet registers the whole group.
register_snippet(admin.ConsultationsMenu)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [path("<int:page_id>/decisions/", admin.decisions, name="decisions")]
    return [path("consultations/", include((urls, "consultations_admin"), namespace="consultations_admin"))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("veche.consultation.decide", _("Decide on a proposal"), _("Decision on a proposal recorded"))
    actions.register_action("veche.consultation.report", _("Publish the outcome report"), _("Outcome report published"))


@hooks.register("register_page_header_buttons")
def consultation_page_buttons(page, user, view_name, next_url=None):
    """From a consultation's page in the admin: its comments, decisions and report, and answers."""
    if not isinstance(page.specific_deferred, ConsultationPage) or not user.has_perm("consultations.moderate_comment"):
        return []
    links = admin.admin_links(page.specific_deferred)
    return [Button(label, url, icon_name=icon, priority=80 + i) for i, (label, url, icon) in enumerate(links)]


@hooks.register("register_veche_embed")
def poll_embed():
    # The home page (or any page) shows a poll through the core's EmbedBlock without importing this app.
    return Poll, "consultations/blocks/poll.html", poll_context


@hooks.register(SETTLEMENT_RECORDS_HOOK)
def consultation_settlement_records():
    return SettlementRecords(
        label=_("public meetings and questionnaire answers"), count=settlements.count_records, move=settlements.move_records
    )


@hooks.register("construct_homepage_panels")
def add_consultation_panels(request, panels):
    panels.extend(admin.dashboard_panels(request.user))
