"""Reads of consultations: page contexts (pages.py), aggregates and the report (report.py), polls (polls.py),
the admin dashboard's panels (dashboard.py). Never a write; never imports rules or services."""

from .dashboard import flagged_comments, meetings_this_week
from .pages import (
    GENERAL,
    consultation_context,
    draft_items,
    index_context,
    page_urls,
    thread_context,
    top_comment_id,
)
from .polls import poll_context
from .report import (
    answer_text,
    decision_counts,
    decision_rows,
    questionnaire_results,
    report_context,
    report_rows,
    report_table,
    report_visible,
    selected_items,
    undecided_count,
)

__all__ = [
    "GENERAL",
    "answer_text",
    "consultation_context",
    "decision_counts",
    "decision_rows",
    "draft_items",
    "flagged_comments",
    "index_context",
    "meetings_this_week",
    "page_urls",
    "poll_context",
    "questionnaire_results",
    "report_context",
    "report_rows",
    "report_table",
    "report_visible",
    "selected_items",
    "thread_context",
    "top_comment_id",
    "undecided_count",
]
