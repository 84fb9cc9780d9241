"""Template helpers of the design system: language links, deadline clocks, progress toward a threshold."""

import datetime

from django import template
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.dateformat import format as date_format

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per UI language to this page in that language (its translation, or that language's home)."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    current = translation.get_language()
    links = []
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated
    for code, name in context.get("LANGUAGE_CHOICES", []):
        if code in translations:
            url = translations[code].url
        elif page is not None and hasattr(page, "get_translations"):
            url = f"/{code}/"
        elif request is not None:
            url = translate_url(request.path, code)
        else:
            url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.inclusion_tag("includes/deadline.html")
def deadline(closes_at, opens_at=None, now=None):
    """A clock: "12 days left", "Closes today", "Closed on 3 March", "Opens on 1 May"."""
    now = now or timezone.now()
    state = "none"
    text = ""
    if opens_at and now < opens_at:
        state = "upcoming"
        text = _("Opens on %(date)s") % {"date": _date(opens_at)}
    elif closes_at:
        if now >= closes_at:
            state = "closed"
            text = _("Closed on %(date)s") % {"date": _date(closes_at)}
        else:
            days = (timezone.localtime(closes_at).date() - timezone.localtime(now).date()).days
            state = "soon" if days <= 3 else "open"
            if days == 0:
                text = _("Closes today at %(time)s") % {"time": timezone.localtime(closes_at).strftime("%H:%M")}
            else:
                text = ngettext("%(count)s day left", "%(count)s days left", days) % {"count": days}
    return {"state": state, "text": text, "closes_at": closes_at}


@register.filter
def iso(value):
    """A machine-readable date or time for `<time datetime>`: HTML allows at most three digits of a fraction of a
    second, and `date:'c'` writes six. Times are given to the second, in the municipality's time zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def _date(value):
    return date_format(timezone.localtime(value), "j E Y")


@register.inclusion_tag("includes/progress.html")
def progress(count, target, label=""):
    """A progress bar toward a threshold, with the numbers in text (never colour alone)."""
    count = count or 0
    target = target or 0
    percent = min(100, round(count * 100 / target)) if target else 0
    return {
        "count": count,
        "target": target,
        "percent": percent,
        "label": label,
        "text": _("%(count)s of %(target)s") % {"count": number_format(count, force_grouping=True), "target": number_format(target, force_grouping=True)},
    }


@register.inclusion_tag("includes/status_badge.html")
def status_badge(status, label):
    return {"status": status, "label": label}


@register.filter
def grouped(value):
    """A number with the locale's thousands separator."""
    return number_format(value, force_grouping=True)


@register.filter
def verbose_name(obj):
    return obj._meta.verbose_name


@register.filter
def aria(field):
    """Render a field's widget linked to its hint and error message, marked invalid when it has errors."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    if field.errors:
        described_by.append(f"{field.id_for_label}-error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
