"""Form fields of the site shell that every feature app uses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Settlement


def settlement_field(*, required, label=None, help_text="", empty_label=None):
    """A choice of the municipality's settlements, in the editors' order."""
    return forms.ModelChoiceField(
        queryset=Settlement.objects.order_by("sort_order", "name"),
        required=required,
        label=label or _("Settlement"),
        help_text=help_text,
        empty_label=empty_label or (_("Choose your settlement") if required else _("Not given")),
        error_messages={
            "required": _("Choose the settlement where you live."),
            "invalid_choice": _("Choose a settlement from the list."),
        },
    )
