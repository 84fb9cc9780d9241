"""Template helpers of consultations: the clock of a consultation's state."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _date(value):
    return date_format(timezone.localtime(value), "j E Y")


@register.inclusion_tag("consultations/includes/clock.html")
def consultation_clock(page, now=None):
    """"21 days left to comment", "Report due on 3 May", "Report overdue", "Report published on 1 June"."""
    now = now or timezone.now()
    state = page.state(now)
    css = state.value
    if state == "upcoming":
        text = _("Opens for comments on %(date)s") % {"date": _date(page.opens_at)}
    elif state == "open":
        if page.closes_at is None:
            text = _("Open for comments")
        else:
            days = page.days_left(now)
            if days == 0:
                text = _("Last day to comment: closes at %(time)s") % {"time": timezone.localtime(page.closes_at).strftime("%H:%M")}
                css = "soon"
            else:
                text = ngettext("%(count)s day left to comment", "%(count)s days left to comment", days) % {"count": days}
                css = "soon" if days <= 3 else "open"
    elif state == "awaiting":
        due = page.report_due_at
        if due and now > due:
            text = _("Report overdue since %(date)s") % {"date": _date(due)}
            css = "overdue"
        else:
            text = _("Closed. Report due by %(date)s") % {"date": _date(due)} if due else _("Closed. Report awaited")
    else:
        text = _("Report published on %(date)s") % {"date": _date(page.report.published_at)}
    return {"text": text, "css": css}


@register.simple_tag
def state_label(page):
    return page.state().label
