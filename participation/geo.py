"""Points on the map, stored as text the way wagtailgeowidget writes them: `SRID=4326;POINT(lng lat)`."""

import re

_POINT = re.compile(r"^\s*(?:SRID=(?P<srid>\d+);)?\s*POINT\s*\(\s*(?P<lng>[-+]?\d+(?:\.\d+)?)\s+(?P<lat>[-+]?\d+(?:\.\d+)?)\s*\)\s*$", re.I)


def parse_point(value):
    """(lat, lng) as floats from `SRID=4326;POINT(lng lat)` (or plain `POINT(lng lat)`), None when empty or
    malformed or outside the globe."""
    match = _POINT.match(value or "")
    if not match or (match.group("srid") and match.group("srid") != "4326"):
        return None
    lat, lng = float(match.group("lat")), float(match.group("lng"))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def format_point(lat, lng):
    """The stored text for a point; the inverse of `parse_point`."""
    return f"SRID=4326;POINT({float(lng):.6f} {float(lat):.6f})"
