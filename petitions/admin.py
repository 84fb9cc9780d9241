"""The "Petitions" admin menu group: the petitions queue (with rejection, a real action with a reason) and
the signatures of every petition (a read-only listing with filters, CSV/XLSX export and moderation that
keeps the counts right); and the dashboard panels: drafts waiting for moderation, overdue responses."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.viewsets.base import ViewSet

from participation.admin import AppMenuGroup, CitizenRecordViewSet, DashboardPanel, PermissionMenuItem
from participation.exceptions import ParticipationError
from participation.views import require_admin

from . import queries, services
from .forms import RejectForm
from .models import PetitionPage, Signature

MODERATE = "petitions.moderate_petition"
RESPOND = "petitions.respond_petition"


def petition_list(request):
    require_admin(request, MODERATE)
    return TemplateResponse(request, "petitions/admin/petition_list.html", queries.moderation_queue(request.GET))


def reject_petition(request, page_id):
    require_admin(request, MODERATE)
    page = get_object_or_404(PetitionPage, pk=page_id)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reject(page=page, actor=request.user, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"])
        except ParticipationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The petition was rejected and the author was told why."))
            return redirect("petitions_admin:list")
    context = {"page": page, "form": form, "draft": page.get_latest_revision_as_object()}
    return TemplateResponse(request, "petitions/admin/reject.html", context)


class PetitionQueueViewSet(ViewSet):
    """All petitions with their stage, waiting time in moderation and response clock."""

    name = "petitions_admin"
    icon = "form"
    menu_label = gettext_lazy("Petitions")
    add_to_admin_menu = False

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label,
            self.menu_url,
            name="petitions-queue",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permission=MODERATE,
        )

    @property
    def menu_url(self):
        return reverse("petitions_admin:list")

    def get_urlpatterns(self):
        return [
            path("", petition_list, name="list"),
            path("<int:page_id>/reject/", reject_petition, name="reject"),
        ]


class SignatureViewSet(CitizenRecordViewSet):
    """Signatures are never added, edited or deleted in the admin: staff view, export, and moderate them
    (invalidate with a reason, approve one that waited for review), logged and recounted."""

    model = Signature
    name = "petitions_signature"
    menu_label = gettext_lazy("Signatures")
    moderate_permission = "petitions.moderate_signature"
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
    form_fields = ["moderation_reason"]

    @property
    def list_display(self):
        return ["created_at", "petition", "settlement", "name", "email", "is_sponsor", "confirmed_at", self.moderation_column()]

    def moderation_details(self, record):
        return [
            (_("Petition"), record.petition.title),
            (_("Name"), record.name or "—"),
            (_("Email"), record.email or "—"),
            (_("Settlement"), record.settlement or "—"),
            (_("Signed"), date_format(timezone.localtime(record.created_at), "DATETIME_FORMAT")),
            (_("Confirmed"), date_format(timezone.localtime(record.confirmed_at), "DATETIME_FORMAT") if record.confirmed_at else "—"),
        ]

    def moderate_record(self, *, record, status, actor, reason):
        return services.moderate_signature(signature=record, status=status, actor=actor, reason=reason)


class PetitionsGroup(AppMenuGroup):
    menu_label = gettext_lazy("Petitions")
    menu_icon = "form"
    menu_order = 210
    items = (PetitionQueueViewSet, SignatureViewSet)


# --- The admin dashboard (registered by wagtail_hooks.construct_homepage_panels) ------------------------------


class PetitionDraftsPanel(DashboardPanel):
    """Petition drafts waiting for moderation, how long each has waited, and a link to review it."""

    name = "veche_petition_drafts"
    dom_id = "veche-petition-drafts"
    order = 100
    permission = MODERATE
    heading = gettext_lazy("Petitions waiting for moderation")
    icon = "form"
    caption = gettext_lazy("Petition drafts waiting for moderation, the longest waiting first")
    columns = (gettext_lazy("Kind"), gettext_lazy("Title"), gettext_lazy("Waiting"), gettext_lazy("Actions"))
    empty_text = gettext_lazy("No petition is waiting for moderation.")
    row_template = "petitions/admin/panels/draft_row.html"

    def rows(self, request):
        return queries.dashboard_drafts()

    def see_all(self, request, total):
        text = ngettext(
            "See all %(counter)s petition waiting for moderation", "See all %(counter)s petitions waiting for moderation", total
        )
        return reverse("petitions_admin:list") + "?stage=moderation", text % {"counter": total}


class OverdueResponsesPanel(DashboardPanel):
    """Petitions whose official response is overdue, with a link to edit the response."""

    name = "veche_petition_overdue"
    dom_id = "veche-petition-overdue"
    order = 130
    permission = RESPOND
    heading = gettext_lazy("Petition responses overdue")
    icon = "warning"
    caption = gettext_lazy("Petitions whose official response is overdue, the most overdue first")
    columns = (gettext_lazy("Title"), gettext_lazy("Response due"), gettext_lazy("Actions"))
    empty_text = gettext_lazy("No petition response is overdue.")
    row_template = "petitions/admin/panels/overdue_row.html"

    def rows(self, request):
        return queries.dashboard_overdue()

    def see_all(self, request, total):
        return reverse("petitions_admin:list") + "?stage=published", _("All petitions (%(counter)s overdue)") % {"counter": total}


def dashboard_panels(user):
    """The petitions panels `user`'s rules let them see."""
    return DashboardPanel.for_user(user, (PetitionDraftsPanel, OverdueResponsesPanel))
