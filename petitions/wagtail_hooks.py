"""The "Petitions" admin menu group: the petitions queue and every petition's signatures (filters, CSV)."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from participation.models import ModerationStatus

from . import admin_views
from .models import Signature


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class PetitionQueueViewSet(ViewSet):
    """All petitions with their stage, waiting time in moderation and response clock."""

    name = "petitions_admin"
    icon = "form"
    menu_label = _("Petitions")
    add_to_admin_menu = False

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label,
            self.menu_url,
            name="petitions-queue",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permission="petitions.moderate_petition",
        )

    @property
    def menu_url(self):
        return reverse("petitions_admin:list")

    def get_urlpatterns(self):
        return [
            path("", admin_views.petition_list, name="list"),
            path("<int:page_id>/reject/", admin_views.reject_petition, name="reject"),
            path("signature/<int:pk>/invalidate/", admin_views.invalidate_signature, name="invalidate"),
            path("signature/<int:pk>/approve/", admin_views.approve_signature, name="approve"),
        ]


class ReadOnlySignaturePolicy(ModelPermissionPolicy):
    """Signatures are never created, edited or deleted in the admin: staff view, export, and use the
    invalidate/approve actions, which are logged and keep the counts right."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Signature, ReadOnlySignaturePolicy(Signature))


class ActionsColumn(Column):
    def get_value(self, instance):
        if instance.moderation_status == ModerationStatus.REJECTED:
            return format_html("<span>{}</span>", _("Invalid: %(reason)s") % {"reason": instance.moderation_reason})
        links = [
            format_html(
                '<a class="button button-small button-secondary" href="{}">{}</a>',
                reverse("petitions_admin:invalidate", args=[instance.pk]),
                _("Invalidate"),
            )
        ]
        if instance.moderation_status == ModerationStatus.PENDING:
            links.append(
                format_html(
                    '<a class="button button-small" href="{}">{}</a>',
                    reverse("petitions_admin:invalidate", args=[instance.pk]),
                    _("Review"),
                )
            )
        return format_html(" ".join(["{}"] * len(links)), *links)


class SignatureViewSet(ModelViewSet):
    model = Signature
    icon = "list-ul"
    menu_label = _("Signatures")
    name = "petitions_signature"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    list_display = [
        "created_at",
        "petition",
        "settlement",
        "name",
        "email",
        "is_sponsor",
        "confirmed_at",
        "moderation_status",
        ActionsColumn("actions", label=_("Actions")),
    ]
    list_filter = ["moderation_status", "is_sponsor", "petition", "settlement"]
    list_export = [
        "pk",
        "petition_id",
        "created_at",
        "confirmed_at",
        "settlement",
        "name",
        "email",
        "show_name",
        "notify",
        "is_sponsor",
        "moderation_status",
        "moderation_reason",
        "is_anonymised",
    ]
    export_filename = "signatures"
    search_fields = ["name", "email"]
    search_backend_name = None
    form_fields = ["moderation_reason"]


class PetitionsGroup(ViewSetGroup):
    menu_label = _("Petitions")
    menu_icon = "form"
    menu_order = 210
    items = (PetitionQueueViewSet, SignatureViewSet)


@hooks.register("register_admin_viewset")
def register_petitions_group():
    return PetitionsGroup()


@hooks.register("register_log_actions")
def register_petition_actions(actions):
    actions.register_action("veche.petition.drafted", _("Petition drafted"), _("Petition drafted by a citizen"))
    actions.register_action("veche.petition.rejected", _("Reject petition"), _("Petition rejected"))
    actions.register_action("veche.petition.threshold", _("Threshold reached"), _("Petition reached its threshold"))
    actions.register_action("veche.petition.responded", _("Response published"), _("Official response published"))
