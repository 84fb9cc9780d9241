"""The system's state of a petition (stage, dates, threshold): never a page field, so publishing an old
revision cannot roll it back (DESIGN.md §4)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models import working_days_after

from .choices import RejectionReason, Stage, Status


class PetitionState(models.Model):
    """The system's state of one petition (its canonical page). Never a page field (DESIGN.md §4)."""

    page = models.OneToOneField(
        "petitions.PetitionPage", on_delete=models.PROTECT, primary_key=True, related_name="petition_state", verbose_name=_("petition")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT, db_index=True)
    sponsor_token = models.CharField(max_length=64, unique=True)
    sponsors_required = models.PositiveSmallIntegerField(_("co-sponsors needed"), default=0)
    submitted_at = models.DateTimeField(_("sent to moderation"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True, db_index=True)
    threshold = models.PositiveIntegerField(_("threshold"), default=0)
    response_working_days = models.PositiveSmallIntegerField(_("response deadline (working days)"), default=10)
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    responded_at = models.DateTimeField(_("response published"), null=True, blank=True)
    response_notified_at = models.DateTimeField(null=True, blank=True)
    closed_notified_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("signatories anonymised"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=16, choices=RejectionReason.choices, blank=True)
    rejection_details = models.TextField(_("details"), blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("petition state")
        verbose_name_plural = _("petition states")

    def __str__(self):
        return f"{self.page_id}: {self.stage}"

    def status(self, *, page=None, now=None):
        now = now or timezone.now()
        if self.stage != Stage.PUBLISHED:
            return {
                Stage.DRAFT: Status.DRAFT,
                Stage.SPONSORING: Status.SPONSORING,
                Stage.MODERATION: Status.MODERATION,
                Stage.CHANGES: Status.CHANGES,
                Stage.REJECTED: Status.REJECTED,
            }[Stage(self.stage)]
        page = page or self.page
        if page.has_response:
            return Status.RESPONDED
        if self.threshold_reached_at:
            return Status.AWAITING
        if self.closes_at and now >= self.closes_at:
            return Status.CLOSED
        return Status.OPEN

    def is_collecting(self, now=None):
        """Signatures are accepted from publication until the closing date, and not after a response."""
        now = now or timezone.now()
        return (
            self.stage == Stage.PUBLISHED
            and self.opened_at is not None
            and self.opened_at <= now
            and (self.closes_at is None or now < self.closes_at)
            and self.responded_at is None
        )

    @property
    def response_due(self):
        if not self.threshold_reached_at:
            return None
        start = timezone.localtime(self.threshold_reached_at).date()
        return working_days_after(start, self.response_working_days)

    def is_overdue(self, now=None, page=None):
        due = self.response_due
        if due is None or self.responded_at is not None or (page is not None and page.has_response):
            return False
        return timezone.localtime(now or timezone.now()).date() > due

    def days_waiting_for_response(self, now=None):
        if not self.threshold_reached_at:
            return None
        end = self.responded_at or now or timezone.now()
        return (timezone.localtime(end).date() - timezone.localtime(self.threshold_reached_at).date()).days

    def moderation_days(self, now=None):
        """Whole days a petition has waited in moderation (None when it is not in moderation)."""
        if self.stage != Stage.MODERATION or not self.submitted_at:
            return None
        return ((now or timezone.now()) - self.submitted_at).days
