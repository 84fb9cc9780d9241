"""Aggregates of a consultation: decisions, the report's rows, the questionnaire's results, the decisions screen."""

from collections import Counter

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.names import public_person_name

from ..forms import QuestionnaireFormBuilder
from ..models import CHOICE_TYPES, Comment, Decision, MeetingProposal, QuestionnaireAnswer


def decision_counts(canonical):
    counter = Counter(Comment.objects.proposals().filter(page=canonical).values_list("decision", flat=True))
    counter.update(MeetingProposal.objects.filter(meeting__page=canonical).values_list("decision", flat=True))
    return [{"value": value, "label": label, "count": counter.get(value, 0)} for value, label in Decision.choices]


def undecided_count(page):
    page = page.canonical
    comments = Comment.objects.proposals().filter(page=page, decision="").count()
    proposals = MeetingProposal.objects.filter(meeting__page=page, decision="").count()
    return comments + proposals


def report_visible(user, page):
    """The report is public once published; moderators and editors preview it before."""
    return bool(page.canonical.report) or user.has_perm("consultations.decide_proposal")


def _where(labels, comment):
    if not comment.paragraph_id:
        return _("Whole document")
    return labels.get(comment.paragraph_id) or _("Paragraph removed from the text")


def report_rows(page):
    """Every proposal in the report: comments, then meeting proposals. Never an email address."""
    canonical = page.canonical
    labels = page.paragraph_labels
    rows = []
    comments = Comment.objects.proposals().filter(page=canonical).select_related("author__profile").order_by("created_at", "pk")
    for comment in comments.iterator(chunk_size=500):
        rows.append(
            {
                "source": _("Online comment"),
                "paragraph": str(_where(labels, comment)),
                "author": str(comment.author_name),
                "date": timezone.localtime(comment.created_at).date(),
                "text": comment.body,
                "decision": comment.get_decision_display() if comment.decision else "",
                "decision_value": comment.decision,
                "reason": comment.decision_reason,
                "is_reply": comment.parent_id is not None,
            }
        )
    proposals = (
        MeetingProposal.objects.filter(meeting__page=canonical)
        .select_related("meeting", "meeting__settlement")
        .order_by("meeting__starts_at", "sort_order", "pk")
    )
    for proposal in proposals:
        rows.append(
            {
                "source": _("Public meeting: %(title)s") % {"title": proposal.meeting.title},
                "paragraph": "",
                "author": public_person_name(proposal.proposed_by) or str(_("Citizen")),
                "date": timezone.localtime(proposal.meeting.starts_at).date(),
                "text": proposal.text,
                "decision": proposal.get_decision_display() if proposal.decision else "",
                "decision_value": proposal.decision,
                "reason": proposal.decision_reason,
                "is_reply": False,
            }
        )
    return rows


REPORT_COLUMNS = ["source", "paragraph", "author", "date", "text", "decision", "reason"]


def report_table(page):
    """(header, rows) of the report download."""
    header = [_("Source"), _("Paragraph"), _("Author"), _("Date"), _("Proposal"), _("Decision"), _("Reason")]
    return header, [[row[column] for column in REPORT_COLUMNS] for row in report_rows(page)]


def report_context(page):
    canonical = page.canonical
    return {
        "rows": report_rows(page),
        "report": canonical.report,
        "decision_counts": decision_counts(canonical),
        "results": questionnaire_results(page),
        "meetings": canonical.meetings.select_related("settlement", "minutes").order_by("starts_at"),
    }


def questionnaire_results(page):
    """{total, questions: [{question, name, type, answered, options: [{label, count, percent}]}]} for every
    choice question ([] when there is none)."""
    canonical = page.canonical
    questions = [q for q in page.questions.all() if q.field_type in CHOICE_TYPES]
    if not questions:
        return []
    counters = {q.clean_name: Counter() for q in questions}
    answered = Counter()
    total = 0
    for data in QuestionnaireAnswer.objects.filter(page=canonical).values_list("data", flat=True).iterator():
        total += 1
        for q in questions:
            value = data.get(q.clean_name)
            if value in (None, "", []):
                continue
            answered[q.clean_name] += 1
            for item in value if isinstance(value, list) else [value]:
                counters[q.clean_name][str(item)] += 1
    builder = QuestionnaireFormBuilder(questions)
    results = []
    for q in questions:
        field = builder.get_create_field_function(q.field_type)(q, builder.get_field_options(q))
        options = [(value, label) for value, label in field.choices if value != ""]
        n = answered[q.clean_name]
        results.append(
            {
                "question": q.label,
                "name": q.clean_name,
                "type": q.field_type,
                "answered": n,
                "options": [
                    {
                        "label": str(label),
                        "count": counters[q.clean_name][value],
                        "percent": round(counters[q.clean_name][value] * 100 / n) if n else 0,
                    }
                    for value, label in options
                ],
            }
        )
    return {"total": total, "questions": results}


def answer_text(value):
    """One answer as text: several choices joined with "; "."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def decision_rows(page, *, decision="", source="", paragraph=""):
    """The decisions screen: every proposal (online comments, meeting proposals) with its decision, filtered."""
    labels = page.paragraph_labels
    comments = Comment.objects.proposals().filter(page=page).select_related("author__profile").annotate(supports=Count("support_rows"))
    proposals = MeetingProposal.objects.filter(meeting__page=page).select_related("meeting")
    if decision == "none":
        comments, proposals = comments.filter(decision=""), proposals.filter(decision="")
    elif decision in Decision.values:
        comments, proposals = comments.filter(decision=decision), proposals.filter(decision=decision)
    if paragraph:
        comments = comments.filter(paragraph_id="" if paragraph == "whole" else paragraph)
        proposals = proposals.none()
    rows = []
    if source in ("", "online"):
        for comment in comments.order_by("created_at", "pk"):
            rows.append(
                {
                    "key": f"c-{comment.pk}",
                    "where": labels.get(comment.paragraph_id, _("Paragraph removed")) if comment.paragraph_id else _("Whole document"),
                    "author": comment.author_name,
                    "text": comment.body,
                    "supports": comment.supports,
                    "decision": comment.get_decision_display() if comment.decision else "",
                    "reason": comment.decision_reason,
                    "is_reply": bool(comment.parent_id),
                }
            )
    if source in ("", "meetings"):
        for proposal in proposals.order_by("meeting__starts_at", "sort_order"):
            rows.append(
                {
                    "key": f"m-{proposal.pk}",
                    "where": proposal.meeting.title,
                    "author": proposal.proposed_by or _("Citizen"),
                    "text": proposal.text,
                    "supports": None,
                    "decision": proposal.get_decision_display() if proposal.decision else "",
                    "reason": proposal.decision_reason,
                    "is_reply": False,
                }
            )
    return rows


def selected_items(page, selected):
    """The comments and meeting proposals of `page` picked on the decisions screen ("c-<pk>", "m-<pk>")."""
    comment_ids = [int(v[2:]) for v in selected if v.startswith("c-") and v[2:].isdigit()]
    proposal_ids = [int(v[2:]) for v in selected if v.startswith("m-") and v[2:].isdigit()]
    items = list(Comment.objects.proposals().filter(page=page, pk__in=comment_ids))
    return items + list(MeetingProposal.objects.filter(meeting__page=page, pk__in=proposal_ids))
