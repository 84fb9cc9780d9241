"""Admin scaffolding every app's `admin.py` builds on (DESIGN.md §3: viewsets, not hand-built admin pages).

- `AppMenuGroup`: an app's admin menu group; it shows only the items the user may open, and disappears
  when there is none (a publisher never sees the moderators' menu).
- `PermissionMenuItem`: a single admin link shown to users with one permission.
- `CitizenRecordViewSet`: a read-only listing of citizen records (signatures, ballots, comments) with
  filters, search and `list_export` (CSV guarded against formula injection, and XLSX). Nobody adds, edits or
  deletes a citizen record in the admin: they moderate it.
- Moderation actions on any `Contribution`: publish, hide or reject with a reason, logged through
  `participation.services.moderate` (or the app's own service, which may also recount).
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .exceptions import ParticipationError
from .exports import SafeSpreadsheetExportMixin
from .models import ModerationStatus
from .services import moderate


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users with `permission` (a django-rules or model permission)."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class AppMenuGroup(ViewSetGroup):
    """An app's admin menu group. Wagtail hides a submenu whose items are all hidden, so the group appears
    exactly for the users who may open one of its items."""

    menu_order = 250


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Citizen records are viewed and exported, never added, edited or deleted in the admin.

    With `view_permission` (a rule such as "petitions.moderate_petition") viewing follows that rule; without
    it, Django's `view_<model>` permission.
    """

    def __init__(self, model, view_permission=None, **kwargs):
        super().__init__(model, **kwargs)
        self.view_permission = view_permission

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        if self.view_permission:
            return user.has_perm(self.view_permission)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SafeIndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    """A citizen-record listing: guarded exports, and a "Moderate several" button where moderation applies."""

    bulk_moderate_url_name = None
    moderate_permission = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.bulk_moderate_url_name and self.moderate_permission and self.request.user.has_perm(self.moderate_permission):
            buttons.append(HeaderButton(_("Moderate several"), url=reverse(self.bulk_moderate_url_name), icon_name="tasks"))
        return buttons


class ModerationForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=ModerationStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you hide or reject: the author and the public are told why."),
        max_length=1000,
    )


class BulkModerationForm(ModerationForm):
    field_order = ["selected", "status", "reason"]
    selected = forms.MultipleChoiceField(label=_("Records"), widget=forms.CheckboxSelectMultiple, required=True,
                                         error_messages={"required": _("Choose at least one record.")})

    def __init__(self, *args, records=(), label=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(str(record.pk), label(record)) for record in records]
        self.fields["status"].initial = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in (ModerationStatus.HIDDEN, ModerationStatus.REJECTED) and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason when you hide or reject a contribution."))
        return cleaned


class ModerateColumn(Column):
    """A "Moderate" link in a citizen-record listing."""

    def __init__(self, name, *, url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name

    def get_value(self, instance):
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a> <span>{}</span>',
            reverse(self.url_name, args=[instance.pk]),
            _("Moderate"),
            instance.get_moderation_status_display(),
        )


class CitizenRecordViewSet(ModelViewSet):
    """Read-only listing of an app's citizen records, with filters, search and export.

    Subclasses set `model`, `name`, `list_display`, `list_filter`, `list_export`, and for moderation
    `moderate_permission` (a rule name such as "consultations.moderate_comment"). `moderate_record()` may be
    overridden where moderation also has to recount or email.
    """

    icon = "list-ul"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    index_view_class = SafeIndexView
    search_backend_name = None
    moderate_permission = None
    view_permission = None  # a rule name; None: Django's view_<model> permission
    moderate_template_name = "participation/admin/moderate.html"
    # Nothing is ever added or edited here; Wagtail still wants to know the form's fields.
    form_fields = ["moderation_status"]

    def __init__(self, *args, **kwargs):
        register_permission_policy(self.model, ReadOnlyPolicy(self.model, view_permission=self.view_permission))
        super().__init__(*args, **kwargs)

    @property
    def export_filename(self):
        return self.name

    @property
    def moderate_url_name(self):
        return self.get_url_name("moderate")

    def moderation_column(self):
        return ModerateColumn("moderate", label=_("Moderation"), url_name=self.moderate_url_name)

    def moderate_record(self, *, record, status, actor, reason):
        return moderate(contribution=record, status=status, actor=actor, reason=reason)

    def bulk_label(self, record):
        """How one record reads in "Moderate several": the whole of it where it is short enough."""
        return " · ".join(f"{label}: {value}" for label, value in self.moderation_details(record))

    def moderation_details(self, record):
        """What a moderator reads before deciding: (label, value) pairs. Apps show the whole contribution."""
        return [(_("Contribution"), str(record))]

    def moderate_view(self, request, pk):
        if not (self.moderate_permission and request.user.has_perm(self.moderate_permission)):
            raise PermissionDenied
        record = get_object_or_404(self.model, pk=pk)
        form = ModerationForm(request.POST or None, initial={"status": record.moderation_status})
        if request.method == "POST" and form.is_valid():
            try:
                self.moderate_record(
                    record=record, status=form.cleaned_data["status"], actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ParticipationError as error:
                form.add_error("reason", str(error))
            else:
                messages.success(request, _("The decision was saved and logged."))
                return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            self.moderate_template_name,
            {"record": record, "form": form, "title": self.model._meta.verbose_name_plural, "header_icon": self.icon,
             "details": self.moderation_details(record),
             "index_url": reverse(self.get_url_name("index"))},
        )

    # Several at once: the records waiting for a decision, one decision and one reason for all of them.
    bulk_limit = 100

    def bulk_queryset(self, request):
        """What "Moderate several" offers: records waiting for moderation, oldest first. Apps may override it
        (consultations put flagged comments first)."""
        return self.model.objects.filter(moderation_status=ModerationStatus.PENDING).order_by("created_at", "pk")

    def bulk_moderate_view(self, request):
        if not (self.moderate_permission and request.user.has_perm(self.moderate_permission)):
            raise PermissionDenied
        records = list(self.bulk_queryset(request)[: self.bulk_limit])
        form = BulkModerationForm(request.POST or None, records=records, label=self.bulk_label)
        if request.method == "POST" and form.is_valid():
            chosen = {int(pk) for pk in form.cleaned_data["selected"]}
            try:
                with transaction.atomic():  # all or none: a refusal for one leaves every record as it was
                    for record in records:
                        if record.pk in chosen:
                            self.moderate_record(
                                record=record, status=form.cleaned_data["status"], actor=request.user,
                                reason=form.cleaned_data["reason"],
                            )
            except ParticipationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext("The decision was saved for %(count)s record.", "The decision was saved for %(count)s records.", len(chosen))
                    % {"count": len(chosen)},
                )
                return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            "participation/admin/bulk_moderate.html",
            {"records": records, "form": form, "title": self.model._meta.verbose_name_plural, "header_icon": self.icon,
             "index_url": reverse(self.get_url_name("index")), "limit": self.bulk_limit},
        )

    def get_index_view_kwargs(self, **kwargs):
        if self.moderate_permission:
            kwargs.setdefault("bulk_moderate_url_name", self.get_url_name("bulk_moderate"))
            kwargs.setdefault("moderate_permission", self.moderate_permission)
        return super().get_index_view_kwargs(**kwargs)

    def get_urlpatterns(self):
        urls = super().get_urlpatterns()
        if self.moderate_permission:
            urls.append(path("moderate/<int:pk>/", self.moderate_view, name="moderate"))
            urls.append(path("moderate/", self.bulk_moderate_view, name="bulk_moderate"))
        return urls


# --- The admin's home page: each role's own work ---------------------------------------------------------------


class DashboardPanel(Component):
    """A panel of work on the admin's home page, shown to the users whose rules allow `permission`.

    Subclasses give the words (heading, caption, column labels for screen readers, the empty state), the rows
    (a method `rows(request)` -> (rows, total), from the app's queries), one row's cells (`row_template`, the `<td>`s)
    and optionally a link to all of them (`see_all(request, total)` -> (url, text)). The table, the empty line
    and the link are the same for every app: `participation/admin/dashboard_panel.html`.
    """

    name = ""
    dom_id = ""
    order = 100
    permission = None
    heading = ""
    icon = "tasks"
    caption = ""
    columns = ()
    empty_text = ""
    row_template = ""
    template_name = "participation/admin/dashboard_panel.html"

    def see_all(self, request, total):
        return None

    def get_context_data(self, parent_context=None):
        request = (parent_context or {}).get("request")
        rows, total = self.rows(request)
        extra = self.row_context(request)
        return {"panel": self, "rows": rows, "total": total, "see_all": self.see_all(request, total) if rows else None, **extra}

    def row_context(self, request):
        """Anything else a row's template needs (for example what the user may open)."""
        return {}

    @staticmethod
    def for_user(user, panels):
        return [panel() for panel in panels if user.has_perm(panel.permission)]
