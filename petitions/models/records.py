"""Signatures and their counters. A signature belongs to the canonical petition page; the counters
(`SignatureTally`) are updated in the signature's own transaction (DESIGN.md §5.2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participation.models import Contribution, ModerationStatus


class TallyQuerySet(models.QuerySet):
    def total(self, petition_id):
        return self.filter(petition_id=petition_id).aggregate(total=models.Sum("count"))["total"] or 0

    def by_settlement(self, petition_id):
        """{settlement_key: count}; key 0 is "settlement not given"."""
        rows = self.filter(petition_id=petition_id).values("settlement_key").annotate(total=models.Sum("count"))
        return {row["settlement_key"]: row["total"] for row in rows if row["total"]}


class SignatureTally(models.Model):
    """Counted signatures of a petition by settlement, spread over a few shard rows so that a viral
    petition's signers do not all queue on one hot row (DESIGN.md §5.2, §14). The total is the sum."""

    petition = models.ForeignKey("petitions.PetitionPage", on_delete=models.PROTECT, related_name="tallies")
    settlement_key = models.PositiveIntegerField(default=0, help_text="Settlement id, 0 when not given.")
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    objects = TallyQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("signature tally")
        constraints = [
            models.UniqueConstraint(fields=["petition", "settlement_key", "shard"], name="petitions_tally_unique"),
        ]


class SignatureQuerySet(models.QuerySet):
    def counted(self):
        """Signatures that count: confirmed and not invalidated or awaiting review."""
        return self.filter(confirmed_at__isnull=False, moderation_status=ModerationStatus.PUBLISHED)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Signature(Contribution):
    """One person's signature on one petition (the canonical page). Personal data is erased later;
    the row, its settlement and so every count stay."""

    petition = models.ForeignKey(
        "petitions.PetitionPage", on_delete=models.PROTECT, related_name="signatures", verbose_name=_("petition")
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    settlement = models.ForeignKey(
        "home.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    show_name = models.BooleanField(_("name shown publicly"), default=False)
    notify = models.BooleanField(_("wants updates"), default=False)
    is_sponsor = models.BooleanField(_("co-sponsor"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hash = models.CharField(max_length=24, blank=True)

    personal_fields = ("name", "email", "token_hash", "ip_hash")
    # Signatures are high-volume rows, not content: keep them out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "author"], condition=Q(author__isnull=False), name="petitions_one_signature_per_account"
            ),
            models.UniqueConstraint(
                fields=["petition", "email"], condition=~Q(email=""), name="petitions_one_signature_per_email"
            ),
        ]
        indexes = [
            models.Index(fields=["petition", "confirmed_at", "moderation_status"], name="petitions_sig_counted"),
            # The page lists the latest signatories who chose to show their name.
            models.Index(fields=["petition", "-confirmed_at"], condition=Q(show_name=True), name="petitions_sig_public"),
        ]

    def __str__(self):
        return f"{self.pk}: {self.petition_id}"

    def anonymise(self, *, now=None):
        super().anonymise(now=now)
        self.show_name = False
        self.notify = False

    @property
    def settlement_key(self):
        return self.settlement_id or 0

    @property
    def counts(self):
        return self.confirmed_at is not None and self.moderation_status == ModerationStatus.PUBLISHED

    @property
    def public_name(self):
        return self.name if self.show_name else ""
