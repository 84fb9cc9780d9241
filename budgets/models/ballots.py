"""Citizen records of a cycle: ballots (online, paper, assisted, imported), their choices and their history."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models import Contribution, ModerationStatus

from .choices import Channel
from .pages import BudgetPage, ProposalPage


def new_receipt_code():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class BallotQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)


class Ballot(Contribution):
    """One voter's ballot in one cycle. Online ballots belong to an account; paper ballots to a hashed identity."""

    budget = models.ForeignKey(BudgetPage, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("budget"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    identity_hash = models.CharField(_("identity hash"), max_length=64, blank=True, editable=False)
    settlement = models.ForeignKey(
        "home.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    receipt_code = models.CharField(_("receipt code"), max_length=11, unique=True, default=new_receipt_code)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)
    submission_token = models.CharField(max_length=64, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entered by")
    )
    projects = models.ManyToManyField(ProposalPage, through="BallotChoice", related_name="+")

    personal_fields = ("identity_hash", "submission_token")
    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "author"], condition=Q(author__isnull=False), name="budgets_one_ballot_per_account"
            ),
            models.UniqueConstraint(
                fields=["budget", "identity_hash"], condition=~Q(identity_hash=""), name="budgets_one_ballot_per_identity"
            ),
        ]
        indexes = [models.Index(fields=["budget", "channel"])]

    def __str__(self):
        return self.receipt_code

    @property
    def is_counted(self):
        return self.moderation_status == ModerationStatus.PUBLISHED

    @property
    def project_list(self):
        """The chosen projects' ids, separated by spaces (prefetch `choices` when listing many ballots).

        Empty until voting closes: votes per project stay sealed until then, for staff too (docs/budgets.md).
        """
        if self.budget.voting_closes_at > timezone.now():
            return ""
        return " ".join(str(pk) for pk in sorted(choice.project_id for choice in self.choices.all()))


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(ProposalPage, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot choice")
        constraints = [models.UniqueConstraint(fields=["ballot", "project"], name="budgets_choice_once")]


class BallotChange(models.Model):
    """The history of a ballot: the choices it had before each change."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="history")
    version = models.PositiveIntegerField()
    project_ids = models.JSONField(default=list)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ballot", "version"]
        verbose_name = _("ballot change")
