"""Open data of every participation page: `<page url>data.json` and `<page url>data.csv`.

A page class mixes in `OpenDataRoutes` (before `RoutablePageMixin`) and implements `open_data(request)`,
returning an `OpenData`: the columns, one row per item (a dict keyed by column) and metadata about the whole.
The routes, the headers, the encoding and CORS are the same for every page type:

- JSON: `{"meta": {...}, "columns": [...], "rows": [{...}, ...]}`, UTF-8, not ASCII-escaped;
- CSV: the columns as a header row, one line per row, UTF-8 with a byte-order mark, every text cell guarded
  against formula injection; nested values (lists, dicts) as JSON text in their cell;
- both: `Access-Control-Allow-Origin: *`, a file name `<slug>-data.<fmt>`, a short public cache.

Aggregates only: never personal data (DESIGN.md §11).
"""

import dataclasses

from django.http import JsonResponse
from django.utils import timezone
from wagtail.contrib.routable_page.models import path

from .exports import spreadsheet_response

LICENCE = "CC BY 4.0"
CACHE_SECONDS = 60


@dataclasses.dataclass
class OpenData:
    columns: list[str]
    rows: list[dict]
    meta: dict = dataclasses.field(default_factory=dict)


def _with_headers(response, page, fmt):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Content-Disposition"] = f'inline; filename="{page.slug}-data.{fmt}"'
    return response


def json_response(page, data: OpenData):
    meta = {
        "title": page.title,
        "url": page.full_url,
        "language": page.locale.language_code,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "licence": LICENCE,
        **data.meta,
    }
    payload = {"meta": meta, "columns": list(data.columns), "rows": [{key: row.get(key) for key in data.columns} for row in data.rows]}
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _with_headers(response, page, "json")


def csv_response(page, data: OpenData):
    rows = ([row.get(key) for key in data.columns] for row in data.rows)
    response = spreadsheet_response(data.columns, rows, name=f"{page.slug}-data", fmt="csv", inline=True)
    return _with_headers(response, page, "csv")


class OpenDataRoutes:
    """Routes `data.json/` and `data.csv/` (reached from `<page url>data.json` through
    `participation.views.page_data`, since Wagtail page paths cannot contain a dot).

    The page class that mixes this in gives `open_data(self, request) -> OpenData`."""

    @path("data.json/", name="data_json")
    def data_json_route(self, request):
        return json_response(self, self.open_data(request))

    @path("data.csv/", name="data_csv")
    def data_csv_route(self, request):
        return csv_response(self, self.open_data(request))
