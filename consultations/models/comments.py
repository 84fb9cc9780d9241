"""Comments on the draft text (paragraph by paragraph, one level of replies), with supports and flags."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from participation.models import Contribution, ModerationStatus

from .choices import Decision
from .pages import ConsultationPage


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Comments shown in threads: published ones, and hidden ones as a placeholder with the reason."""
        return self.filter(moderation_status__in=[ModerationStatus.PUBLISHED, ModerationStatus.HIDDEN])

    def visible(self):
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)

    def with_counts(self):
        return self.annotate(
            supports=Count("support_rows", distinct=True),
            flags=Count("flag_rows", filter=Q(flag_rows__resolved=False), distinct=True),
        )

    def proposals(self):
        """What the report answers: every published citizen comment (not official replies)."""
        return self.visible().filter(is_official=False)


class Comment(Contribution):
    page = models.ForeignKey(ConsultationPage, on_delete=models.PROTECT, related_name="comments", verbose_name=_("consultation"))
    paragraph_id = models.CharField(
        _("paragraph"), max_length=64, blank=True, db_index=True, help_text=_("Empty for the whole document.")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies", verbose_name=_("reply to")
    )
    body = models.TextField(_("comment"), max_length=5000)
    is_official = models.BooleanField(_("official reply"), default=False)
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True, db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "moderation_status", "created_at"], name="consult_comment_page_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "author", "client_token"], name="consult_comment_once_per_submit"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="consult_comment_not_own_parent"),
        ]

    def __str__(self):
        return Truncator(self.body).chars(60)

    @property
    def author_name(self):
        if self.author_id is None or self.is_anonymised:
            return _("Citizen")
        profile = getattr(self.author, "profile", None)
        return profile.public_name if profile else _("Citizen")

    def where(self):
        """The paragraph's label (its id when the paragraph was removed from the draft), or the whole document."""
        if not self.paragraph_id:
            return _("Whole document")
        return self.page.paragraph_labels.get(self.paragraph_id, self.paragraph_id)

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(_("You can reply to a comment, not to a reply."))


class CommentSupport(models.Model):
    """One "I agree" per person per comment (the constraint is the guard)."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="support_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="consult_support_once_per_person")]


class CommentFlag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flag_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("flag")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="consult_flag_once_per_person")]


def new_token():
    return uuid.uuid4()
