from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.log_actions import log


class ProfileAdminForm(WagtailAdminModelForm):
    """Staff verify a citizen as a resident at the office (identity document seen), or withdraw it."""

    resident_verified = forms.BooleanField(
        label=_("Verified resident"),
        required=False,
        help_text=_("Tick only after checking an identity document that shows an address in the municipality."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident_verified"].initial = bool(self.instance.resident_verified_at)

    def save(self, commit=True):
        profile = super().save(commit=False)
        verified = self.cleaned_data.get("resident_verified")
        changed = verified != bool(profile.resident_verified_at)
        if verified and not profile.resident_verified_at:
            profile.resident_verified_at = timezone.now()
            profile.resident_verified_by = self.for_user
        elif not verified:
            profile.resident_verified_at = None
            profile.resident_verified_by = None
        if commit:
            with transaction.atomic():
                profile.save()
                if changed:
                    log(
                        instance=profile,
                        action="veche.resident.verify",
                        user=self.for_user,
                        data={"verified": bool(verified)},
                    )
        return profile
