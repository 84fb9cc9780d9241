from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from participation.settlements import SETTLEMENT_RECORDS_HOOK, SettlementRecords

from participation.admin import SafeIndexView

from .admin_forms import ProfileAdminForm
from .models import Profile
from .settlements import count_profiles, move_profiles


class CitizenViewSet(ModelViewSet):
    model = Profile
    menu_label = _("Citizens")
    icon = "user"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["public_name", "email", "settlement", "resident_verified_at"]
    list_filter = ["settlement", "language"]
    search_fields = ["display_name", "user__email"]
    inspect_view_enabled = True
    index_view_class = SafeIndexView  # CSV with a byte-order mark, cells never read as formulas
    list_export = ["display_name", "settlement", "language", "resident_verified_at"]
    edit_handler = ObjectList(
        [FieldPanel("display_name"), FieldPanel("settlement"), FieldPanel("resident_verified")],
        base_form_class=ProfileAdminForm,
    )

    def get_queryset(self, request):
        return Profile.objects.select_related("user", "settlement")


@hooks.register("register_admin_viewset")
def register_citizen_viewset():
    return CitizenViewSet("citizens")


@hooks.register(SETTLEMENT_RECORDS_HOOK)
def profile_settlement_records():
    return SettlementRecords(label=_("citizen profiles"), count=count_profiles, move=move_profiles)
