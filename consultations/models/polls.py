"""Quick polls (snippets), shown on any page through the core's embed block; one vote per person."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from .choices import ResultsVisibility


class Poll(ClusterableModel):
    question = models.CharField(_("question"), max_length=300)
    multiple = models.BooleanField(_("allow several answers"), default=False)
    closes_at = models.DateTimeField(_("closes"))
    results_visibility = models.CharField(
        _("show results"), max_length=8, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_VOTE
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("multiple"),
        FieldPanel("closes_at"),
        FieldPanel("results_visibility"),
        InlinePanel("choices", label=_("Answers"), min_num=2),
    ]

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self):
        return self.question

    def is_open(self, now=None):
        return (now or timezone.now()) < self.closes_at


class PollChoice(Orderable):
    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=200)

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll vote")
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="consult_poll_vote_once")]


class PollVoteChoice(models.Model):
    vote = models.ForeignKey(PollVote, on_delete=models.CASCADE, related_name="choice_rows")
    choice = models.ForeignKey(PollChoice, on_delete=models.PROTECT, related_name="vote_rows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "choice"], name="consult_poll_choice_once")]
