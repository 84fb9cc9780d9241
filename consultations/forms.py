"""Input shapes of consultations: comments, flags, the questionnaire (built from the form builder's fields)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from home.models import MunicipalitySettings
from participation.forms import HONEYPOT_FIELD, CitizenForm, HoneypotMixin

from .models import Decision

MAX_COMMENT = 5000


class CommentForm(CitizenForm):
    consent_label = _("I agree that my comment is published with my display name and kept in the consultation's report.")

    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write your comment before you send it."),
            "max_length": _("A comment can be at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
        help_text=_("Be specific: say what you would change and why. At most 5,000 characters."),
    )
    paragraph = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reply=False, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        if reply:
            self.fields["body"].label = _("Your reply")
            self.fields["body"].help_text = _("At most 5,000 characters.")
        # Move the consent box after the comment.
        self.order_fields(["body", "consent"])


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment? (optional)"), max_length=300, required=False
    )


class FollowForm(forms.Form):
    digest = forms.BooleanField(label=_("Also email me a daily digest of replies to my comments"), required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(label=_("Reason (published in the report)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class QuestionnaireFormBuilder(FormBuilder):
    def create_scale_field(self, field, options):
        options["choices"] = SCALE_CHOICES
        options.setdefault("widget", forms.RadioSelect)
        options["initial"] = None
        return forms.ChoiceField(**options)

    def create_settlement_field(self, field, options):
        # The answer keeps the settlement's name (answers are stored text, counted by value in the results).
        names = list(MunicipalitySettings.load().settlements.values_list("name", flat=True))
        options["choices"] = [(name, name) for name in names]
        options.setdefault("widget", forms.RadioSelect)
        options["initial"] = None
        return forms.ChoiceField(**options)

    def create_singleline_field(self, field, options):
        options["max_length"] = 255
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = 5000
        options.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        return forms.CharField(**options)

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", "—")] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)


class QuestionnaireBase(HoneypotMixin, BaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = forms.BooleanField(
            required=True,
            label=_("I agree that my answers are processed for this consultation as the privacy notice says."),
            error_messages={"required": _("Tick the box to agree, or we cannot accept your answers.")},
        )

    def answers(self):
        """What is stored: every answer, without the consent box and the honeypot."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("consent", HONEYPOT_FIELD)}


def questionnaire_form_class(questions):
    builder = QuestionnaireFormBuilder(questions)
    return type("QuestionnaireForm", (QuestionnaireBase,), builder.formfields)
