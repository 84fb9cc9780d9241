"""Input shape and validation messages of the budgets app."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.forms import settlement_field
from participation.forms import CitizenForm
from participation.geo import format_point, parse_point

from .models import Channel, Feasibility, OutcomeRule


def _check_upload(upload):
    if upload and upload.size > settings.VECHE_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The photo is too large. Choose one smaller than %(size)s MB.")
            % {"size": settings.VECHE_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    return upload


class ProposalForm(CitizenForm):
    title = forms.CharField(label=_("Project title"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: what should be done, and where."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=8000, widget=forms.Textarea,
        help_text=_("Who will benefit, why it is needed and what it includes."),
    )
    category = forms.TypedChoiceField(label=_("Category or district"), coerce=int, required=True)
    estimated_cost = forms.IntegerField(
        label=_("Estimated cost"), min_value=1, help_text=_("In whole units of the budget's currency, for example 25000."),
        error_messages={"invalid": _("Enter the cost as a whole number, for example 25000.")},
    )
    whole_municipality = forms.BooleanField(label=_("The project is for the whole municipality"), required=False)
    address = forms.CharField(
        label=_("Address or place"), max_length=255, required=False,
        help_text=_("For example: the park behind the school on ul. Rakovski."),
    )
    location = forms.CharField(
        label=_("Place on the map"), max_length=80, required=False, widget=forms.HiddenInput,
        error_messages={"max_length": _("The place on the map could not be read. Mark it again, or describe it in words.")},
    )
    photo = forms.ImageField(label=_("Photo"), required=False)
    co_authors = forms.CharField(
        label=_("Co-authors"), max_length=255, required=False, help_text=_("Names of people who propose this with you.")
    )

    field_order = ["title", "summary", "description", "category", "estimated_cost", "whole_municipality", "address",
                   "location", "photo", "co_authors"]

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = budget
        categories = budget.category_list()
        if categories:
            self.fields["category"].choices = [("", _("Choose…"))] + [(c.pk, c.name) for c in categories]
            self.categories = {c.pk: c for c in categories}
        else:
            del self.fields["category"]
            self.categories = {}
        self.fields["title"].error_messages["required"] = _("Give your project a title.")
        self.fields["summary"].error_messages["required"] = _("Write a short summary.")
        self.fields["description"].error_messages["required"] = _("Describe your project.")
        self.fields["estimated_cost"].error_messages["required"] = _("Enter an estimated cost.")
        if "category" in self.fields:
            self.fields["category"].error_messages["required"] = _("Choose a category.")
        self.fields["estimated_cost"].max_value = budget.amount

    def clean_photo(self):
        return _check_upload(self.cleaned_data.get("photo"))

    def clean_location(self):
        """The optional point marked on the map (with JavaScript): `SRID=4326;POINT(longitude latitude)`."""
        text = (self.cleaned_data.get("location") or "").strip()
        if not text:
            return ""
        point = parse_point(text) if text.upper().startswith("SRID=4326;") else None
        if point is None:
            raise forms.ValidationError(
                _("The place on the map could not be read. Mark it again, or describe it in words."), code="location"
            )
        return format_point(*point)

    def clean_estimated_cost(self):
        cost = self.cleaned_data["estimated_cost"]
        if cost > self.budget.amount:
            raise forms.ValidationError(_("The cost cannot be more than the whole budget."))
        return cost

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("whole_municipality") and not cleaned.get("address"):
            self.add_error("address", _("Say where the project would be, or tick “the whole municipality”."))
        return cleaned

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("consent", None)
        data.pop("website", None)
        category = data.pop("category", None)
        data["category"] = self.categories.get(category) if category else None
        return data


class CastForm(CitizenForm):
    """The "check your answers" step: consent, and when the cycle asks for it, identity and age."""

    consent_label = _("I cast this ballot myself and agree that it is processed as the privacy notice says.")
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        if budget.identity_check:
            self.fields["full_name"] = forms.CharField(
                label=_("Your full name"), max_length=200, error_messages={"required": _("Enter your full name.")}
            )
            self.fields["settlement"] = settlement_field(required=True, label=_("Your settlement"))
            self.fields["document"] = forms.CharField(
                label=_("Identity document number"), max_length=40,
                help_text=_("Only a code made from it is kept, so that nobody votes twice (online and on paper)."),
                error_messages={"required": _("Enter your identity document number.")},
            )
        if budget.minimum_age:
            self.fields["age"] = forms.BooleanField(
                label=_("I am at least %(age)s years old.") % {"age": budget.minimum_age},
                error_messages={"required": _("Only people of at least %(age)s can vote.") % {"age": budget.minimum_age}},
            )
        # Consent last, right above the button.
        self.order_fields([name for name in self.fields if name != "consent"] + ["consent"])

    def identity(self):
        if "document" not in self.cleaned_data:
            return None
        return {
            "name": self.cleaned_data["full_name"],
            "settlement_id": self.cleaned_data["settlement"].pk,
            "document": self.cleaned_data["document"],
        }


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"), max_length=20, help_text=_("For example ABCDE-23456."),
        error_messages={"required": _("Enter the code from your receipt.")},
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace(" ", "")


# --- staff forms (admin) ------------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    feasibility = forms.ChoiceField(label=_("Decision"), choices=[c for c in Feasibility.choices if c[0] != "pending"])
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    final_cost = forms.IntegerField(label=_("Final cost"), min_value=0, required=False)


class PaperBallotForm(forms.Form):
    channel = forms.ChoiceField(label=_("How the ballot was cast"), choices=[c for c in Channel.choices if c[0] != "online"])
    name = forms.CharField(label=_("Voter's full name"), max_length=200)
    settlement = settlement_field(required=True, label=_("Voter's settlement"))
    document = forms.CharField(label=_("Identity document number"), max_length=40)
    projects = forms.TypedMultipleChoiceField(label=_("Projects chosen"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(p.pk, p.title) for p in projects]


class PaperImportForm(forms.Form):
    channel = forms.ChoiceField(label=_("How the ballots were cast"), choices=[c for c in Channel.choices if c[0] != "online"])
    file = forms.FileField(
        label=_("CSV file"), help_text=_("Columns: name, settlement, document, projects (project ids separated by spaces).")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VECHE_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class PublishForm(forms.Form):
    rule = forms.ChoiceField(label=_("Publish the result of"), choices=OutcomeRule.choices)
