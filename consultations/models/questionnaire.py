"""The questionnaire: its questions (Wagtail form builder fields on the page) and one answer per respondent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractFormField

from participation.models import Contribution

from .choices import QuestionType
from .pages import ConsultationPage


class ConsultationQuestion(AbstractFormField):
    """A question of the questionnaire, built with Wagtail's form builder fields."""

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="questions")
    field_type = models.CharField(_("field type"), max_length=16, choices=QuestionType.choices)
    field_type.required_on_save = True

    class Meta(AbstractFormField.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")


class QuestionnaireAnswer(Contribution):
    """One answer per respondent per consultation, changeable until closing.

    `respondent` is "u<user id>" for an account, or a keyed hash of a random id kept in the browser session
    when the page allows answers without an account. The unique constraint is the guard.
    """

    page = models.ForeignKey(ConsultationPage, on_delete=models.PROTECT, related_name="answers")
    respondent = models.CharField(max_length=80, editable=False)
    data = models.JSONField(_("answers"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [models.UniqueConstraint(fields=["page", "respondent"], name="consult_answer_once")]
