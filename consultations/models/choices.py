"""The choices consultations use in several models (and in views, forms and the admin)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open for comments")
    AWAITING_REPORT = "awaiting", _("Closed, report awaited")
    REPORTED = "reported", _("Report published")


class ModerationMode(models.TextChoices):
    POST = "post", _("Comments appear at once; moderators may hide them with a reason")
    PRE = "pre", _("Comments wait for a moderator's approval")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "rejected", _("Not accepted")
    NOTED = "noted", _("Noted")


class QuestionType(models.TextChoices):
    SINGLELINE = "singleline", _("Short text")
    MULTILINE = "multiline", _("Long text")
    RADIO = "radio", _("Choice (one answer)")
    CHECKBOXES = "checkboxes", _("Multiple choice")
    DROPDOWN = "dropdown", _("Choice from a list")
    SCALE = "scale", _("Scale from 1 to 5")
    SETTLEMENT = "settlement", _("Settlement")


CHOICE_TYPES = {QuestionType.RADIO, QuestionType.CHECKBOXES, QuestionType.DROPDOWN, QuestionType.SCALE, QuestionType.SETTLEMENT}


class ResultsVisibility(models.TextChoices):
    AFTER_VOTE = "vote", _("After voting")
    AFTER_CLOSE = "close", _("After the poll closes")
