"""A public meeting as an iCalendar (RFC 5545) event, to add it to one's calendar."""

import datetime

from django.utils import timezone

PRODID = "-//Veche//Consultations//BG"
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def _text(value):
    return str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line, limit=75):
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (limit if not parts else limit - 1):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _time(value):
    return timezone.localtime(value, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ") if value else ""


def meeting_calendar(meeting, *, host, page_url, now=None):
    """The text of a VCALENDAR with the meeting as its one event."""
    ends = meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH
    location = ", ".join(filter(None, [meeting.address, meeting.settlement.name if meeting.settlement else ""]))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:consultation-meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_time(now or timezone.now())}",
        f"DTSTART:{_time(meeting.starts_at)}",
        f"DTEND:{_time(ends)}",
        f"SUMMARY:{_text(meeting.title)}",
        f"LOCATION:{_text(location)}",
        f"DESCRIPTION:{_text((meeting.page.title + chr(10) + meeting.agenda).strip())}",
        f"URL:{page_url}",
    ]
    if meeting.point:
        lines.append(f"GEO:{meeting.point[0]:.6f};{meeting.point[1]:.6f}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
