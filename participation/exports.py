"""Spreadsheets: one helper for every download, public or admin (CSV with a byte-order mark, XLSX).

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice
("CSV injection"): a citizen who types `=HYPERLINK(...)` into a comment must not get code run on an editor's
machine. `safe_cell` prefixes such text with an apostrophe, which spreadsheets show as plain text. Numbers stay
numbers (a negative amount is not text a citizen wrote).
"""

import csv
import datetime
import io
import json
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from django.utils.encoding import force_str
from django.utils.text import slugify

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def safe_cell(value):
    """A value ready for a spreadsheet cell: plain types kept, text never read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    text = force_str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def filename(*parts, extension):
    """`parts` joined as a safe ASCII file name: filename("budget", 12, "ballots", extension="csv")."""
    stem = "-".join(slugify(force_str(part), allow_unicode=False) or "data" for part in parts if part not in (None, ""))
    stem = re.sub(r"-{2,}", "-", stem).strip("-") or "data"
    return f"{stem}.{extension}"


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + buffer.getvalue()


def xlsx_bytes(header, rows, *, title="Data"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]\*\?/\\:]", " ", force_str(title))[:31] or "Data"
    sheet.append([safe_cell(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads "=..." as a formula; safe_cell already prefixed it
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(header, rows, *, name, fmt="csv", title="Data", inline=False):
    """A download of `rows` under `header` as CSV (UTF-8 with BOM, so Excel reads Cyrillic) or XLSX."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows, title=title), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(csv_text(header, rows), content_type=CSV_TYPE)
    else:
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename(name, extension=fmt)}"'
    return response


class SafeSpreadsheetExportMixin:
    """For Wagtail listings with `list_export`: Wagtail guards XLSX cells, this guards CSV cells too."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV)) for field, value in row_dict.items()}
        )

    def stream_csv(self, queryset):
        yield BOM
        yield from super().stream_csv(queryset)
