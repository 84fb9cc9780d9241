"""Admin forms of the site shell: the municipality's settings refuse to delete a settlement that is in use, and
the form of "merge settlements". No home model is imported here (home.models uses the settings form)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm

from participation.settlements import usage


def in_use_message(settlement, found):
    total = sum(count for _label, count in found)
    details = ", ".join(f"{label}: {count}" for label, count in found)
    return ngettext(
        "“%(name)s” cannot be deleted: %(count)s record uses it (%(details)s). Rename it, or merge it into another"
        " settlement under Settings → Merge settlements.",
        "“%(name)s” cannot be deleted: %(count)s records use it (%(details)s). Rename it, or merge it into another"
        " settlement under Settings → Merge settlements.",
        total,
    ) % {"name": settlement.name, "count": total, "details": details}


class MunicipalitySettingsForm(WagtailAdminModelForm):
    """Deleting a settlement that records refer to is refused here, before anything is deleted."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("settlements")
        for form in formset.forms if formset is not None else []:
            # The raw DELETE box: a deleted row is not validated, and its data may be anything.
            if not form.instance.pk or not formset.can_delete or not form["DELETE"].value():
                continue
            found = usage(form.instance.pk)
            if found:
                message = in_use_message(form.instance, found)
                form.add_error(None, message)
                self.add_error(None, message)
        return cleaned


class MergeSettlementsForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=None, label=_("Merge this settlement"), help_text=_("It is deleted once its records have moved.")
    )
    target = forms.ModelChoiceField(queryset=None, label=_("into this settlement"))
    confirm = forms.BooleanField(
        label=_("I understand that every record of the first settlement moves to the second, and this cannot be undone.")
    )

    def __init__(self, *args, settlements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = settlements
        self.fields["target"].queryset = settlements

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("target"):
            self.add_error("target", _("Choose two different settlements."))
        return cleaned
