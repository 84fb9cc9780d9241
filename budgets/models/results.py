"""The published result of a cycle (a snapshot the counting wrote once; never recomputed on display)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OutcomeRule
from .pages import BudgetPage


class BudgetResult(models.Model):
    """The published result of a cycle: computed once from the stored ballots by a documented rule."""

    budget = models.OneToOneField(BudgetPage, on_delete=models.PROTECT, related_name="result")
    rule = models.CharField(max_length=10, choices=OutcomeRule.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        verbose_name = _("published result")

    @property
    def funded_ids(self):
        return {project["id"] for project in self.data.get("projects", []) if project["selected"]}
