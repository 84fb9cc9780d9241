from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.forms import settlement_field
from participation.forms import HoneypotMixin

from .models import Profile


class SignupForm(HoneypotMixin, AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=Profile._meta.get_field("display_name").help_text,
    )
    settlement = settlement_field(required=False, label=_("Where do you live?"), empty_label=_("Choose your settlement"))
    consent = forms.BooleanField(
        label=_("I agree that my account data is processed as the privacy notice says."),
        error_messages={"required": _("Tick the box to agree, or we cannot create your account.")},
    )

    field_order = ["email", "password1", "password2", "display_name", "settlement", "consent"]


class ProfileForm(forms.ModelForm):
    settlement = settlement_field(required=False, empty_label=_("Not stated"))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    class Meta:
        model = Profile
        fields = ["display_name", "settlement", "language", "notify_updates"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
