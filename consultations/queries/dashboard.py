"""Reads of the admin dashboard's consultations panels (consultations/admin.py): (rows, total), each in a
constant number of queries whatever the number of comments, flags or meetings."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from ..models import Comment, CommentFlag, Meeting


def flagged_comments(limit=10):
    """Comments with open flags, the most flagged first, each with the reasons of its open flags (three queries)."""
    flagged = Comment.objects.annotate(open_flags=Count("flag_rows", filter=Q(flag_rows__resolved=False))).filter(open_flags__gt=0)
    open_flags = CommentFlag.objects.filter(resolved=False).order_by("created_at", "pk")
    comments = list(
        flagged.select_related("page")
        .prefetch_related(Prefetch("flag_rows", queryset=open_flags, to_attr="open_flag_rows"))
        .order_by("-open_flags", "-created_at", "-pk")[:limit]
    )
    rows = [
        {"comment": comment, "flags": comment.open_flags, "reasons": [flag.reason for flag in comment.open_flag_rows if flag.reason]}
        for comment in comments
    ]
    return rows, flagged.count()


def week_bounds(now=None):
    """Monday 00:00 and the next Monday 00:00 of the current week, in the municipality's time zone."""
    today = timezone.localdate(now or timezone.now())
    monday = today - datetime.timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min))


def meetings_this_week(limit=10, now=None):
    """Public meetings of this week (Monday to Sunday), in the order they happen (two queries)."""
    start, end = week_bounds(now)
    week = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return list(week.select_related("page", "settlement").order_by("starts_at", "pk")[:limit]), week.count()
