"""Form bases for citizen input: a consent checkbox and a honeypot against bots."""

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class HoneypotMixin:
    """Adds a field people never see; bots fill it in. A filled honeypot is refused quietly."""

    honeypot_error = _("This form could not be accepted. Please try again.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned = super().clean()
        if self.data.get(self.add_prefix(HONEYPOT_FIELD)):
            raise forms.ValidationError(self.honeypot_error, code="honeypot")
        return cleaned

    def is_honeypot(self):
        return any(error.code == "honeypot" for error in self.non_field_errors().as_data())


class CitizenForm(HoneypotMixin, forms.Form):
    """Base for every form a citizen submits to take part: consent to the processing of their data."""

    consent_label = _("I agree that my contribution and the data needed for it are processed as the privacy notice says.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = forms.BooleanField(
            required=True,
            label=self.consent_label,
            error_messages={"required": _("Tick the box to agree, or we cannot accept your contribution.")},
        )


class CitizenModelForm(HoneypotMixin, forms.ModelForm):
    consent_label = CitizenForm.consent_label

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = forms.BooleanField(
            required=True,
            label=self.consent_label,
            error_messages={"required": _("Tick the box to agree, or we cannot accept your contribution.")},
        )
