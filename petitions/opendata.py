"""Open data of petitions (`<page url>data.json` / `data.csv`, served by `participation.opendata`): aggregates
only, never personal data (DESIGN.md §11).

- The index: one row per published petition, with its counts by settlement (a list; JSON text in the CSV).
- A petition: one row per settlement and a TOTAL row; `meta` holds the whole record with the texts.
"""

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from participation.opendata import OpenData

from . import queries
from .models import SignatureTally, Stage

INDEX_COLUMNS = [
    "id",
    "title",
    "url",
    "language",
    "status",
    "signatures",
    "threshold",
    "opened_at",
    "closes_at",
    "threshold_reached_at",
    "response_due",
    "overdue",
    "response_decision",
    "response_date",
    "council_decision_url",
    "counts_by_settlement",
]


def _iso(value):
    return (value.isoformat(timespec="seconds") if hasattr(value, "hour") else value.isoformat()) if value else None


def _record(item, state, status, count, by_settlement, now):
    return {
        "id": item.pk,
        "title": item.title,
        "url": item.full_url,
        "language": item.locale.language_code if hasattr(item, "locale") else None,
        "status": status.value,
        "signatures": count,
        "threshold": state.threshold,
        "opened_at": _iso(state.opened_at),
        "closes_at": _iso(state.closes_at),
        "threshold_reached_at": _iso(state.threshold_reached_at),
        "response_due": _iso(state.response_due),
        "overdue": state.is_overdue(now, page=item),
        "response_decision": item.response_decision or None,
        "response_date": _iso(item.response_date),
        "council_decision_url": item.council_decision_url or None,
        "counts_by_settlement": by_settlement,
    }


def index_records(index):
    """Every published petition under the index with its counts by settlement (three queries in all)."""
    now = timezone.now()
    items = list(
        queries.annotated(queries.petitions_of(index).live().select_related("locale"))
        .filter(st_stage=Stage.PUBLISHED)
        .order_by("first_published_at", "pk")
    )
    settlements = queries.settlements_by_id()
    keys = {item.translation_key for item in items}
    per_petition = {}
    rows = (
        SignatureTally.objects.filter(petition__translation_key__in=keys)
        .values("petition__translation_key", "settlement_key")
        .order_by()
        .annotate(total=Sum("count"))
    )
    for row in rows:
        if row["total"]:
            per_petition.setdefault(row["petition__translation_key"], []).append((row["settlement_key"], row["total"]))
    records = []
    for item in items:
        counts = sorted(per_petition.get(item.translation_key, []), key=lambda pair: (pair[0] == 0, -pair[1]))
        by_settlement = [
            {"settlement": settlements[key].name if key in settlements else None, "signatures": value} for key, value in counts
        ]
        state = queries.state_from_annotations(item)
        records.append(_record(item, state, queries.listing_status(item, now), item.st_count, by_settlement, now))
    return records


def petition_record(page, detail=False):
    now = timezone.now()
    state = page.state
    if state is None or state.stage != Stage.PUBLISHED:
        raise Http404
    by_settlement = [
        {"settlement": row["name"], "signatures": row["count"]} for row in queries.counts_by_settlement(page.canonical.pk)
    ]
    record = _record(page, state, page.status(now), SignatureTally.objects.total(page.canonical.pk), by_settlement, now)
    record["id"] = page.canonical.pk
    if detail:
        record.update(
            {
                "action": page.summary,
                "background": page.background,
                "topics": [tag.name for tag in page.tags.all()],
                "response_text": queries.plain(page.response_text) or None,
                "updates": [{"date": _iso(update.date), "text": queries.plain(update.text)} for update in page.updates.all()],
            }
        )
    return record


PETITION_COLUMNS = ["petition_id", "title", "status", "settlement", "signatures"]


def index_open_data(index, request):
    return OpenData(columns=INDEX_COLUMNS, rows=index_records(index), meta={"index": index.title})


def petition_open_data(page, request):
    record = petition_record(page, detail=True)
    base = {"petition_id": record["id"], "title": record["title"], "status": record["status"]}
    rows = [{**base, "settlement": row["settlement"], "signatures": row["signatures"]} for row in record["counts_by_settlement"]]
    rows.append({**base, "settlement": "TOTAL", "signatures": record["signatures"]})
    return OpenData(columns=PETITION_COLUMNS, rows=rows, meta={"petition": record})
