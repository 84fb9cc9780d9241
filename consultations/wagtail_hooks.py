"""The "Consultations" admin menu group: consultations with their decisions and answers, the comment
moderation queue across consultations (flagged first), public meetings and polls."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .views import poll_context
from .models import Meeting, Poll

MENU_HOOK = "register_consultations_menu_item"


class PermissionMenuItem(MenuItem):
    permission = "consultations.moderate_comment"

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class MeetingViewSet(SnippetViewSet):
    model = Meeting
    icon = "group"
    menu_label = _("Public meetings")
    menu_hook = MENU_HOOK
    menu_order = 300
    list_display = ["title", "starts_at", "settlement", "page", "attendees"]
    list_filter = ["settlement", "page"]


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "list-ul"
    menu_label = _("Polls")
    menu_hook = MENU_HOOK
    menu_order = 400
    list_display = ["question", "closes_at", "results_visibility"]


register_snippet(MeetingViewSet)
register_snippet(PollViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.consultations_list, name="index"),
        path("moderation/", admin_views.moderation_queue, name="queue"),
        path("<int:page_id>/decisions/", admin_views.decisions, name="decisions"),
        path("<int:page_id>/answers/", admin_views.answers, name="answers"),
    ]
    return [path("consultations/", include((urls, "consultations_admin"), namespace="consultations_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu():
    return SubmenuMenuItem(
        _("Consultations"), Menu(register_hook_name=MENU_HOOK), icon_name="comment", name="consultations", order=320
    )


@hooks.register(MENU_HOOK)
def consultations_item():
    return PermissionMenuItem(_("Consultations and reports"), reverse("consultations_admin:index"), icon_name="doc-full", order=100)


@hooks.register(MENU_HOOK)
def queue_item():
    return PermissionMenuItem(_("Comment moderation"), reverse("consultations_admin:queue"), icon_name="comment", order=200)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("veche.consultation.decide", _("Decide on a proposal"), _("Decision on a proposal recorded"))
    actions.register_action("veche.consultation.report", _("Publish the outcome report"), _("Outcome report published"))


@hooks.register("register_page_header_buttons")
def consultation_page_buttons(page, user, view_name, next_url=None):
    """From a consultation's page in the admin: its comments, decisions and report, and answers."""
    from wagtail.admin.widgets import Button

    from .models import ConsultationPage

    if not isinstance(page.specific_deferred, ConsultationPage) or not user.has_perm("consultations.moderate_comment"):
        return []
    canonical_pk = page.specific_deferred.canonical.pk
    return [
        Button(_("Comments"), f"{reverse('consultations_admin:queue')}?state=all&consultation={canonical_pk}", icon_name="comment", priority=80),
        Button(_("Decisions and report"), reverse("consultations_admin:decisions", args=[canonical_pk]), icon_name="tasks", priority=81),
        Button(_("Answers"), reverse("consultations_admin:answers", args=[canonical_pk]), icon_name="form", priority=82),
    ]


@hooks.register("register_veche_embed")
def poll_embed():
    # The home page (or any page) shows a poll through the core's EmbedBlock without importing this app.
    return Poll, "consultations/blocks/poll.html", poll_context
