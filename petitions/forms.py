"""Input shape and validation messages of the petition forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from home.forms import settlement_field
from participation.forms import CitizenForm

from .models import RejectionReason


class DraftForm(CitizenForm):
    consent_label = _("I agree that my petition and my display name are published, and my signature is processed as the privacy notice says.")

    title = forms.CharField(
        label=_("Title of your petition"),
        max_length=120,
        min_length=10,
        help_text=_("Say in one line what you want, for example \"Build a pedestrian crossing at the school in Breza\"."),
        error_messages={
            "required": _("Enter a title for your petition."),
            "min_length": _("The title must be at least %(limit_value)d characters long."),
            "max_length": _("The title must be %(limit_value)d characters or fewer."),
        },
    )
    summary = forms.CharField(
        label=_("What should the municipality do?"),
        max_length=600,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 600 characters. One clear action the municipality can take."),
        error_messages={
            "required": _("Say what the municipality should do."),
            "min_length": _("Describe the action in at least %(limit_value)d characters."),
            "max_length": _("Keep the action to %(limit_value)d characters or fewer."),
        },
    )
    background = forms.CharField(
        label=_("Why?"),
        max_length=4000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Explain the problem and why this action would solve it. Up to 4,000 characters."),
        error_messages={
            "required": _("Explain why the municipality should do this."),
            "min_length": _("Explain the reasons in at least %(limit_value)d characters."),
            "max_length": _("Keep the explanation to %(limit_value)d characters or fewer."),
        },
    )
    tags = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=200,
        help_text=_("Separate topics with commas, for example: transport, schools."),
    )

    field_order = ["title", "summary", "background", "settlement", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"] = settlement_field(required=False, help_text=_("Only if the petition concerns one settlement."))
        self.order_fields(self.field_order)

    def clean_tags(self):
        names = [" ".join(name.split()).lower() for name in self.cleaned_data["tags"].split(",")]
        names = [name for name in names if name]
        if len(names) > 5:
            raise forms.ValidationError(_("Choose at most 5 topics."))
        if any(len(name) > 40 for name in names):
            raise forms.ValidationError(_("Each topic must be 40 characters or fewer."))
        return names


class EditDraftForm(DraftForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("settlement", "tags"):
            del self.fields[name]


class SignForm(CitizenForm):
    """Signing with an account: the account is the identity; the choices are about publicity and updates."""

    consent_label = _("I agree that my signature is stored and processed to count it, as the privacy notice says.")

    show_name = forms.BooleanField(
        label=_("Show my name in the public list of signatories"),
        required=False,
        help_text=_("Without this, your signature counts but your name is never shown."),
    )
    notify = forms.BooleanField(
        label=_("Email me when the municipality responds"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"] = settlement_field(required=False, help_text=_("Counted in the table of signatures by settlement."))
        self.order_fields(["settlement", "show_name", "notify"])


class EmailSignForm(SignForm):
    """Signing without an account: the signature counts after the emailed link is followed."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send you a link. Your signature counts only after you follow it."),
        error_messages={"required": _("Enter your email address."), "invalid": _("Enter an email address like name@example.com.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"] = settlement_field(required=True)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.order_fields(["name", "email", "settlement", "show_name", "notify"])


class SponsorForm(CitizenForm):
    consent_label = _("I support this petition and agree that my signature is stored and counted, as the privacy notice says.")


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Explanation for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for 'Other reason'. The author receives it by email and it is shown on the list of rejected petitions."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RejectionReason.OTHER and not (cleaned.get("details") or "").strip():
            self.add_error("details", _("Explain the reason when you choose 'Other reason'."))
        return cleaned
