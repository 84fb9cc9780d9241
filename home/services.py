"""Writes of the site shell: merging one settlement into another.

The records that refer to settlements live in feature apps, which the shell never imports; each app moves its
own records (and recomputes its counters) through the core's settlement hook (`participation.settlements`).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from participation.exceptions import NotAllowed
from participation.settlements import move_records, usage

from .models import MunicipalitySettings, Settlement


def merge_settlements(*, source, target, actor):
    """Move every record of `source` to `target`, then delete `source`; one transaction. Returns {kind: moved}."""
    if source.pk == target.pk:
        raise NotAllowed(_("Choose two different settlements."), code="same_settlement")
    with transaction.atomic():
        # Locking the settlement rows makes a concurrent signature or ballot for `source` wait, then fail cleanly.
        locked = {s.pk: s for s in Settlement.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")}
        if len(locked) != 2:
            raise NotAllowed(_("This settlement no longer exists."), code="missing_settlement")
        moved = move_records(source.pk, target.pk)
        left = usage(source.pk)
        if left:  # an app that moved nothing it counts: refuse rather than delete records' settlement
            raise NotAllowed(_("Some records could not be moved; nothing was changed."), code="not_moved")
        settings = MunicipalitySettings.load()
        log(
            instance=settings,
            action="veche.settlement.merge",
            user=actor,
            data={"source": source.pk, "source_name": locked[source.pk].name, "target": target.pk, "moved": moved},
        )
        locked[source.pk].delete()
    return moved
