"""The shared core of citizen action: the abstract participation page and the abstract citizen record.

Each feature app (petitions, budgets, consultations) subclasses these. Counters and state written by code
never live on page rows (publishing a revision would roll them back): see DESIGN.md section 4.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Locale, Page
from wagtail.search import index


class VerificationLevel(models.TextChoices):
    """How sure we must be of who a participant is. Ordered from weakest to strongest."""

    EMAIL = "email", _("Anyone who confirms an email address")
    ACCOUNT = "account", _("Registered users with a confirmed email address")
    RESIDENT = "resident", _("Residents verified by the municipality")

    @classmethod
    def rank(cls, level):
        return [choice.value for choice in cls].index(level)


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ParticipationPage(Page):
    """Any page where citizens take part during a dated period (petition, budget cycle, consultation).

    The home page lists every live page of every subclass that is open now, without a registry.
    """

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences shown in lists and at the top of the page.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    settlements = ParentalManyToManyField(
        "home.Settlement",
        blank=True,
        related_name="+",
        verbose_name=_("settlements concerned"),
        help_text=_("Leave empty when the whole municipality is concerned."),
    )
    verification_level = models.CharField(
        _("required verification"),
        max_length=16,
        choices=VerificationLevel.choices,
        default=VerificationLevel.ACCOUNT,
    )

    participation_panels = [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]), FieldPanel("verification_level")],
            heading=_("Participation period and eligibility"),
        ),
        FieldPanel("settlements"),
    ]

    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        abstract = True

    # Translations share one set of citizen records: they point at the canonical page.
    @property
    def canonical(self):
        """The version of this page in the site's default locale (self when there is none)."""
        if not getattr(self, "_canonical_cache", None):
            default_locale = Locale.get_default()
            if self.locale_id == default_locale.pk:
                self._canonical_cache = self
            else:
                translation = type(self).objects.filter(
                    translation_key=self.translation_key, locale=default_locale
                ).first()
                self._canonical_cache = translation or self
        return self._canonical_cache

    def phase(self, now=None):
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return Phase.UPCOMING
        if self.closes_at and now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN

    def is_open(self, now=None):
        return self.phase(now) == Phase.OPEN

    def days_left(self, now=None):
        """Whole days left until closing (0 on the last day), None without a closing date."""
        if not self.closes_at:
            return None
        now = now or timezone.now()
        return max(0, (timezone.localtime(self.closes_at).date() - timezone.localtime(now).date()).days)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["phase"] = self.phase()
        return context


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REJECTED = "rejected", _("Rejected")


class ContributionQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)

    def for_author(self, user):
        return self.filter(author=user) if user.is_authenticated else self.none()


class Contribution(models.Model):
    """A record a citizen creates (signature, ballot, comment, answer).

    Subclasses add a real foreign key to their page with on_delete=PROTECT, and list in
    `personal_fields` what must be erased when the record is anonymised.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    moderation_status = models.CharField(
        _("moderation status"),
        max_length=16,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PUBLISHED,
        db_index=True,
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    is_anonymised = models.BooleanField(_("anonymised"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    personal_fields: tuple[str, ...] = ()

    objects = ContributionQuerySet.as_manager()

    class Meta:
        abstract = True

    def anonymise(self, *, now=None):
        """Erase personal data, keep the record (and so every count it is part of)."""
        for name in self.personal_fields:
            field = self._meta.get_field(name)
            setattr(self, name, None if field.null else field.get_default())
        self.author = None
        self.is_anonymised = True
        self.anonymised_at = now or timezone.now()


def working_days_after(start: datetime.date, days: int, holidays=frozenset()) -> datetime.date:
    """The date `days` working days (Monday to Friday, not a listed holiday) after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


class CitizenAuthoredPage(models.Model):
    """Mixin for pages a citizen writes (a petition, a budget proposal).

    The citizen is recorded here, never as the page owner: owners are editors, and citizens never see the
    admin. Set once when the draft is created (DESIGN.md §4).
    """

    citizen_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("citizen author"),
    )

    class Meta:
        abstract = True

    @property
    def author_public_name(self):
        if self.citizen_author_id is None:
            return _("A citizen")
        profile = getattr(self.citizen_author, "profile", None)
        return profile.public_name if profile else _("A citizen")


# --- Following and notifications (any participation page can be followed) ---------------------------------


class Follow(models.Model):
    """A person follows a page (the canonical version) to hear what happens next.

    A real foreign key to Wagtail's page table, never a GenericForeignKey; `PROTECT`, so deleting a page never
    silently drops who asked to be told about it.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="veche_follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="veche_follows")
    digest = models.BooleanField(_("daily digest of what is new"), default=False)
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="veche_follow_once")]

    def __str__(self):
        return f"{self.user_id} → {self.page_id}"


class NotificationLog(models.Model):
    """When Veche last emailed a person about what they follow: the daily cap is checked against it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="veche_notification_log")
    last_sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("notification log")
