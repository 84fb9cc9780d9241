"""`<page url>data.json` / `data.csv` of a consultation (participation.opendata): one row per paragraph (and one
for the whole document) with its comment, support and decision counts; the consultation's dates and state,
its meetings and the questionnaire's results in `meta`. Aggregates only, never personal data.

Decisions on proposals are drafts until the report is published: before that, the decision columns and
`meeting_proposal_decisions` are empty (null), and `meta.consultation.decisions_published` is false."""

from collections import Counter

from django.db.models import Count

from participation.opendata import OpenData

from .models import Comment, Decision, MeetingProposal
from .queries import questionnaire_results

DECISION_COLUMNS = [f"decision_{value}" for value in Decision.values]
COLUMNS = ["paragraph_id", "label", "comments", "supports", *DECISION_COLUMNS, "number"]


def _paragraph_rows(page, decisions_published):
    counts, supports, decisions = Counter(), Counter(), {}
    rows = (
        Comment.objects.visible()
        .filter(page=page.canonical)
        .values("paragraph_id", "decision", "is_official")
        .annotate(n=Count("id", distinct=True), s=Count("support_rows", distinct=True))
        .order_by()
    )
    for row in rows:
        counts[row["paragraph_id"]] += row["n"]
        supports[row["paragraph_id"]] += row["s"]
        if not row["is_official"] and row["decision"]:
            decisions.setdefault(row["paragraph_id"], Counter())[row["decision"]] += row["n"]
    paragraphs = [("", None, "whole document")] + [(pid, number, label) for pid, number, label, _text in page.paragraphs()]
    return [
        {
            "paragraph_id": pid,
            "number": number,
            "label": label,
            "comments": counts.get(pid, 0),
            "supports": supports.get(pid, 0),
            **{
                f"decision_{value}": decisions.get(pid, {}).get(value, 0) if decisions_published else None
                for value in Decision.values
            },
        }
        for pid, number, label in paragraphs
    ]


def _meetings(canonical):
    meetings = canonical.meetings.select_related("settlement").annotate(n=Count("proposals")).order_by("starts_at")
    return [
        {
            "title": meeting.title,
            "starts_at": meeting.starts_at.isoformat(timespec="seconds"),
            "settlement": meeting.settlement.name if meeting.settlement else "",
            "address": meeting.address,
            "attendees": meeting.attendees,
            "proposals": meeting.n,
        }
        for meeting in meetings
    ]


def consultation_data(page):
    canonical = page.canonical
    report = canonical.report
    published = report is not None
    proposal_decisions = None
    if published:
        decided = MeetingProposal.objects.filter(meeting__page=canonical).exclude(decision="")
        proposal_decisions = dict(Counter(decided.values_list("decision", flat=True)))
    meta = {
        "consultation": {
            "opens_at": page.opens_at.isoformat(timespec="seconds") if page.opens_at else None,
            "closes_at": page.closes_at.isoformat(timespec="seconds") if page.closes_at else None,
            "state": page.state().value,
            "report_published_at": report.published_at.isoformat(timespec="seconds") if report else None,
            "decisions_published": published,
        },
        "meetings": _meetings(canonical),
        "meeting_proposal_decisions": proposal_decisions,
        "questionnaire": questionnaire_results(page) or {"total": 0, "questions": []},
    }
    return OpenData(columns=COLUMNS, rows=_paragraph_rows(page, published), meta=meta)
