"""Records that refer to a settlement, across apps: how many there are, and moving them to another settlement.

The shell (`home`) owns the settlements; the records that refer to them live in feature apps, which the shell
never imports. So the core names a hook, each app fills it in its `wagtail_hooks.py`, and the shell's services
ask every app through `usage()` and `move_records()`:

    @hooks.register(SETTLEMENT_RECORDS_HOOK)
    def settlement_records():
        return SettlementRecords(label=_("petition signatures"), count=count_fn, move=move_fn)

`count(settlement_id)` returns how many of the app's records use the settlement; `move(from_id, to_id)` moves
them (and recomputes whatever counters the app keeps by settlement) inside the caller's transaction. The core
registers its own: the settlements a participation page is for.
"""

import dataclasses
from collections.abc import Callable

from wagtail import hooks
from wagtail.models import get_page_models

from .models import ParticipationPage

SETTLEMENT_RECORDS_HOOK = "register_veche_settlement_records"


@dataclasses.dataclass(frozen=True)
class SettlementRecords:
    label: str
    count: Callable[[int], int]
    move: Callable[[int, int], int]


def registered():
    return [fn() for fn in hooks.get_hooks(SETTLEMENT_RECORDS_HOOK)]


def usage(settlement_id):
    """[(label, count)] of every kind of record that uses the settlement (kinds without records left out)."""
    found = [(str(records.label), records.count(settlement_id)) for records in registered()]
    return [(label, count) for label, count in found if count]


def move_records(from_id, to_id):
    """Move every record from one settlement to the other; {label: records moved}. Call inside a transaction."""
    return {str(records.label): records.move(from_id, to_id) for records in registered()}


# --- the core's own records: the settlements a participation page is for ------------------------------------


def _page_links():
    """The through model of every concrete participation page type's `settlements`."""
    return [model.settlements.through for model in get_page_models() if issubclass(model, ParticipationPage)]


def count_pages(settlement_id):
    return sum(link.objects.filter(settlement_id=settlement_id).count() for link in _page_links())


def move_pages(from_id, to_id):
    moved = 0
    for link in _page_links():
        page_field = next(f.name for f in link._meta.concrete_fields if f.is_relation and f.name != "settlement")
        already = link.objects.filter(settlement_id=to_id).values_list(f"{page_field}_id", flat=True)
        rows = link.objects.filter(settlement_id=from_id)
        rows.filter(**{f"{page_field}_id__in": list(already)}).delete()
        moved += rows.update(settlement_id=to_id)
    return moved
