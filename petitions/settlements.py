"""Signatures of a settlement and their counters, for the shell's "merge settlements" (participation.settlements)."""

from django.db.models import Sum

from .models import Signature, SignatureTally
from .services import add_to_tally


def count_signatures(settlement_id):
    return Signature.objects.filter(settlement_id=settlement_id).count()


def move_signatures(from_id, to_id):
    """The signatures of one settlement become the other's; each petition's counter for the first settlement is
    added to its counter for the second and removed. Runs in the caller's transaction. Returns signatures moved."""
    moved = Signature.objects.filter(settlement_id=from_id).update(settlement_id=to_id)
    tallies = SignatureTally.objects.filter(settlement_key=from_id)
    for row in tallies.values("petition_id").annotate(total=Sum("count")).order_by("petition_id"):
        if row["total"]:
            add_to_tally(row["petition_id"], to_id, row["total"])
    tallies.delete()
    return moved
