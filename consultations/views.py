"""Small views of consultations: each checks the permission, validates the form, calls a service, redirects.

The page routes (ConsultationPage) hand over to the functions here; polls have their own URLs (urls.py).
"""

import csv
import datetime
import hashlib
import io
import uuid
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation import ratelimit
from participation.exceptions import ParticipationError
from participation.forms import HONEYPOT_FIELD

COMMENT_SCOPE = ratelimit.declare("comment", ip="30/60", user="10/60")
ANSWER_SCOPE = ratelimit.declare("answer", ip="30/60", user="10/60")
POLL_SCOPE = ratelimit.declare("poll", ip="30/60", user="10/60")

from .forms import CommentForm, FlagForm, FollowForm, questionnaire_form_class
from .models import (
    CHOICE_TYPES,
    Comment,
    CommentSupport,
    ConsultationPage,
    Decision,
    Follow,
    Meeting,
    MeetingProposal,
    Poll,
    PollVote,
    QuestionnaireAnswer,
    ResultsVisibility,
)
from . import services

COMMENTS_PER_PAGE = 20
ORDERS = ("paragraph", "newest", "supported")


# --- helpers ---------------------------------------------------------------------------------------------


def _login_url(request):
    return f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _sub_url(page, name, *args, **kwargs):
    return page.url + page.reverse_subpage(name, args=args, kwargs=kwargs)


def _comment_queryset(canonical):
    replies = Comment.objects.public().select_related("author__profile").with_counts().order_by("created_at", "pk")
    return (
        Comment.objects.public()
        .filter(page=canonical, parent__isnull=True)
        .select_related("author__profile")
        .with_counts()
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def _ordered(queryset, order, paragraph_ids):
    if order == "newest":
        return queryset.order_by("-created_at", "-pk")
    if order == "supported":
        return queryset.order_by("-supports", "-created_at", "-pk")
    positions = [When(paragraph_id=pid, then=Value(i + 1)) for i, pid in enumerate(paragraph_ids)]
    position = Case(When(paragraph_id="", then=Value(0)), *positions, default=Value(len(paragraph_ids) + 1), output_field=IntegerField())
    return queryset.annotate(position=position).order_by("position", "created_at", "pk")


def _supported_ids(user, comments):
    if not user.is_authenticated:
        return set()
    ids = [c.pk for c in comments] + [r.pk for c in comments for r in c.replies.all()]
    if not ids:
        return set()
    return set(CommentSupport.objects.filter(user=user, comment_id__in=ids).values_list("comment_id", flat=True))


def _annotate_comments(comments, labels, supported):
    for comment in comments:
        comment.paragraph_label = labels.get(comment.paragraph_id) if comment.paragraph_id else None
        comment.paragraph_removed = bool(comment.paragraph_id) and comment.paragraph_id not in labels
        comment.supported_by_me = comment.pk in supported
        comment.reply_token = uuid.uuid4()
        for reply in comment.replies.all():
            reply.supported_by_me = reply.pk in supported
    return comments


def _permissions(request, page):
    user = request.user
    return {
        "can_comment": user.has_perm("consultations.comment_consultation", page),
        "can_answer": user.has_perm("consultations.answer_questionnaire", page),
        "is_moderator": user.has_perm("consultations.moderate_comment"),
    }


def _draft_items(page, counts):
    items = []
    number = 0
    for block in page.draft:
        if block.block_type == "section":
            items.append({"kind": "section", "id": block.id, "heading": block.value["heading"]})
        elif block.block_type == "paragraph":
            number += 1
            items.append(
                {
                    "kind": "paragraph",
                    "id": block.id,
                    "number": number,
                    "label": block.value.get("label") or _("Paragraph %(number)s") % {"number": number},
                    "text": block.value["text"],
                    "count": counts.get(block.id, 0),
                    "url": _sub_url(page, "thread", block.id),
                }
            )
    return items


def _paragraph_counts(canonical):
    rows = (
        Comment.objects.visible()
        .filter(page=canonical)
        .values("paragraph_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["paragraph_id"]: row["n"] for row in rows}


def page_urls(page):
    names = ["comment", "questionnaire", "results", "follow", "report"]
    urls = {name: _sub_url(page, name) for name in names}
    urls.update(
        {
            "report_csv": reverse("consultations:report_download", args=[page.pk, "csv"]),
            "report_xlsx": reverse("consultations:report_download", args=[page.pk, "xlsx"]),
            "data_json": page.url + "data.json",
            "data_csv": page.url + "data.csv",
        }
    )
    return urls


def consultation_context(page, request, comment_form=None):
    canonical = page.canonical
    order = request.GET.get("order") if request.GET.get("order") in ORDERS else "paragraph"
    counts = _paragraph_counts(canonical)
    paragraph_ids = [pid for pid, *_rest in page.paragraphs()]
    paginator = Paginator(_ordered(_comment_queryset(canonical), order, paragraph_ids), COMMENTS_PER_PAGE)
    comments_page = paginator.get_page(request.GET.get("page"))
    comments = list(comments_page.object_list)
    _annotate_comments(comments, page.paragraph_labels, _supported_ids(request.user, comments))
    meetings = list(canonical.meetings.select_related("settlement", "minutes").order_by("starts_at"))
    for meeting in meetings:
        meeting.ics_url = reverse("consultations:meeting_ics", args=[meeting.pk])
    following = None
    if request.user.is_authenticated:
        following = Follow.objects.filter(page=canonical, user=request.user).first()
    report = canonical.report
    context = {
        "state": page.state(),
        "draft_items": _draft_items(page, counts),
        "whole_document_count": counts.get("", 0),
        "total_comments": sum(counts.values()),
        "comments": comments,
        "comments_page": comments_page,
        "order": order,
        "orders": [("paragraph", _("By paragraph")), ("newest", _("Newest first")), ("supported", _("Most supported"))],
        "query_string": urlencode({"order": order}),
        "comment_form": comment_form or CommentForm(),
        "return_url": page.url,
        "meetings": meetings,
        "has_map": any(meeting.point for meeting in meetings),
        "has_questions": bool(page.questions.all()),
        "following": following,
        "follow_form": FollowForm(initial={"digest": following.digest if following else False}),
        "report": report,
        "urls": page_urls(page),
        "login_url": _login_url(request),
        **_permissions(request, page),
    }
    if report:
        context["decision_counts"] = decision_counts(canonical)
    return context


def decision_counts(canonical):
    counter = Counter(Comment.objects.proposals().filter(page=canonical).values_list("decision", flat=True))
    counter.update(MeetingProposal.objects.filter(meeting__page=canonical).values_list("decision", flat=True))
    return [{"value": value, "label": label, "count": counter.get(value, 0)} for value, label in Decision.choices]


def _render_page(request, page, **extra):
    context = page.get_context(request)
    context.update(extra)
    return TemplateResponse(request, page.get_template(request), context)


# --- threads and comments --------------------------------------------------------------------------------


GENERAL = "general"


def thread_context(request, page, paragraph_id, form=None, reply_form=None, reply_to=None):
    """A paragraph's comment thread; paragraph "general" (or "") is the thread of the whole document."""
    if paragraph_id == GENERAL:
        paragraph_id = ""
    canonical = page.canonical
    labels = page.paragraph_labels
    item = next((i for i in _draft_items(page, {}) if i["kind"] == "paragraph" and i["id"] == paragraph_id), None)
    queryset = _comment_queryset(canonical).filter(paragraph_id=paragraph_id).order_by("created_at", "pk")
    if paragraph_id and item is None and not queryset.exists():
        raise Http404
    paginator = Paginator(queryset, 50)
    comments_page = paginator.get_page(request.GET.get("page"))
    comments = list(comments_page.object_list)
    _annotate_comments(comments, labels, _supported_ids(request.user, comments))
    return {
        "page": page,
        "self": page,
        "paragraph": item,
        "paragraph_id": paragraph_id,
        "comments": comments,
        "comments_page": comments_page,
        "comment_form": form or CommentForm(initial={"paragraph": paragraph_id}, auto_id=f"t{paragraph_id[:8]}-%s"),
        "in_thread": True,
        "return_url": _sub_url(page, "thread", paragraph_id or GENERAL),
        "reply_form": reply_form,
        "reply_to": reply_to,
        "state": page.state(),
        "urls": page_urls(page),
        "thread_url": _sub_url(page, "thread", paragraph_id or GENERAL),
        "login_url": _login_url(request),
        **_permissions(request, page),
    }


def thread(request, page, paragraph_id):
    context = thread_context(request, page, paragraph_id)
    template = "consultations/thread_partial.html" if request.GET.get("partial") else "consultations/thread.html"
    return TemplateResponse(request, template, context)


def post_comment(request, page):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if not ratelimit.check(request, "comment"):
        return ratelimit.too_many_requests(request)
    parent = None
    parent_id = request.POST.get("parent") or None
    form = CommentForm(request.POST, reply=bool(parent_id))
    paragraph_id = request.POST.get("paragraph", "")
    error = None
    if form.is_valid():
        if not request.user.has_perm("consultations.comment_consultation", page):
            try:
                services._require_open(page)
            except ParticipationError as exc:
                error = str(exc)
            else:
                error = _(
                    "Commenting needs an account with a confirmed email address (or the verification this consultation asks for)."
                )
        else:
            if form.cleaned_data.get("parent"):
                parent = Comment.objects.filter(pk=form.cleaned_data["parent"], page=page.canonical).first()
                if parent is None:
                    error = _("The comment you replied to does not exist.")
            if error is None:
                try:
                    comment, created = services.post_comment(
                        page=page,
                        author=request.user,
                        body=form.cleaned_data["body"],
                        paragraph_id=form.cleaned_data.get("paragraph") or "",
                        parent=parent,
                        client_token=form.cleaned_data.get("token"),
                    )
                except ParticipationError as exc:
                    error = str(exc)
                else:
                    if comment.moderation_status == "pending":
                        messages.success(request, _("Thank you. Your comment will appear after a moderator approves it."))
                    elif created:
                        messages.success(request, _("Thank you. Your comment is published."))
                    else:
                        messages.info(request, _("Your comment had already been received."))
                    if comment.paragraph_id:
                        return redirect(_sub_url(page, "thread", comment.paragraph_id) + f"#comment-{comment.pk}")
                    return redirect(page.url + f"#comment-{comment.pk}")
        if error:
            form.add_error(None, error)
    elif form.is_honeypot():
        messages.error(request, str(form.honeypot_error))
        return redirect(page.url)
    # Show the form again with what was written, and the errors.
    if paragraph_id or parent_id:
        if parent_id:
            # The form is shown again under the top-level comment (a reply to a reply is shown under its thread).
            target = _int(parent_id)
            top = Comment.objects.filter(pk=target, page=page.canonical).values_list("parent_id", flat=True).first()
            context = thread_context(request, page, paragraph_id, reply_form=form, reply_to=top or target)
        else:
            form.auto_id = f"t{paragraph_id[:8]}-%s"
            context = thread_context(request, page, paragraph_id, form=form)
        return TemplateResponse(request, "consultations/thread.html", context, status=400)
    response = _render_page(request, page, comment_form=form)
    response.status_code = 400
    return response


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _comment_redirect(request, page, comment):
    default = (
        _sub_url(page, "thread", comment.paragraph_id) if comment.paragraph_id else page.url
    ) + f"#comment-{comment.pk}"
    return redirect(_safe_next(request, default))


def support(request, page, comment_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    comment = get_object_or_404(Comment.objects.select_related("page"), pk=comment_id, page=page.canonical)
    try:
        if not request.user.has_perm("consultations.support_comment", comment):
            if comment.author_id == request.user.pk:
                raise ParticipationError(_("You cannot support your own comment."))
            services._require_open(comment.page)
            raise ParticipationError(_("Supporting comments needs an account with a confirmed email address."))
        services.support_comment(comment=comment, user=request.user)
    except ParticipationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your support is counted."))
    return _comment_redirect(request, page, comment)


def flag(request, page, comment_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    comment = get_object_or_404(Comment, pk=comment_id, page=page.canonical)
    form = FlagForm(request.POST)
    try:
        if not request.user.has_perm("consultations.flag_comment", comment):
            raise ParticipationError(_("You cannot report this comment."))
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.flag_comment(comment=comment, user=request.user, reason=reason)
    except ParticipationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you. A moderator will look at this comment."))
    return _comment_redirect(request, page, comment)


def follow(request, page):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if request.POST.get("action") == "unfollow":
        services.unfollow(page=page, user=request.user)
        messages.success(request, _("You no longer follow this consultation."))
    else:
        form = FollowForm(request.POST)
        form.is_valid()
        services.follow(page=page, user=request.user, digest=form.cleaned_data.get("digest", False))
        messages.success(request, _("You follow this consultation: we will email you when the report is published."))
    return redirect(page.url + "#follow")


# --- questionnaire ---------------------------------------------------------------------------------------


def respondent_for(request, page):
    """Who answers: the account, or (when the page allows it) a random id kept in the session."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    if not page.allow_anonymous_answers:
        return None
    session_id = request.session.get("veche_respondent")
    if not session_id:
        session_id = uuid.uuid4().hex
        request.session["veche_respondent"] = session_id
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:respondent:{session_id}".encode()).hexdigest()[:40]
    return f"s{digest}"


def questionnaire(request, page):
    questions = list(page.questions.all())
    if not questions:
        raise Http404
    form_class = questionnaire_form_class(questions)
    canonical = page.canonical
    respondent = respondent_for(request, page) if (request.user.is_authenticated or page.allow_anonymous_answers) else None
    existing = QuestionnaireAnswer.objects.filter(page=canonical, respondent=respondent).first() if respondent else None
    allowed = request.user.has_perm("consultations.answer_questionnaire", page)
    if request.method == "POST":
        if not ratelimit.check(request, "answer"):
            return ratelimit.too_many_requests(request)
        form = form_class(request.POST, page=page, user=request.user)
        if form.is_valid():
            if not allowed or respondent is None:
                if not page.is_open():
                    form.add_error(None, _("This consultation is closed: comments and answers are no longer accepted."))
                else:
                    return redirect(_login_url(request))
            else:
                data = {
                    name: value for name, value in form.cleaned_data.items() if name not in ("consent", HONEYPOT_FIELD)
                }
                try:
                    _answer, created = services.answer_questionnaire(
                        page=page,
                        respondent=respondent,
                        author=request.user if request.user.is_authenticated else None,
                        data=data,
                    )
                except ParticipationError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("Thank you: your answers are saved.") if created else _("Your answers are updated."),
                    )
                    return redirect(_sub_url(page, "questionnaire"))
        status = 400
    else:
        form = form_class(initial=existing.data if existing else None, page=page, user=request.user)
        status = 200
    return TemplateResponse(
        request,
        "consultations/questionnaire.html",
        {
            "page": page,
            "self": page,
            "form": form,
            "existing": existing,
            "allowed": allowed,
            "state": page.state(),
            "urls": page_urls(page),
            "login_url": _login_url(request),
        },
        status=status,
    )


def questionnaire_results(page):
    """[{question, type, total, options: [{label, count, percent}]}] for every choice question."""
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
    from .forms import QuestionnaireFormBuilder

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


def results(request, page):
    return TemplateResponse(
        request,
        "consultations/results.html",
        {"page": page, "self": page, "results": questionnaire_results(page), "state": page.state(), "urls": page_urls(page)},
    )


# --- meetings --------------------------------------------------------------------------------------------


def _ics_text(value):
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


def _ics_time(value):
    return timezone.localtime(value, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ") if value else ""


def _live_consultation(page_id):
    return get_object_or_404(ConsultationPage.objects.live().public(), pk=page_id).specific


def meeting_ics(request, meeting_id):
    meeting = get_object_or_404(Meeting.objects.select_related("page", "settlement"), pk=meeting_id, page__live=True)
    page = meeting.page
    ends = meeting.ends_at or meeting.starts_at + timezone.timedelta(hours=2)
    location = ", ".join(filter(None, [meeting.address, meeting.settlement.name if meeting.settlement else ""]))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Veche//Consultations//BG",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:consultation-meeting-{meeting.pk}@{request.get_host().split(':')[0]}",
        f"DTSTAMP:{_ics_time(timezone.now())}",
        f"DTSTART:{_ics_time(meeting.starts_at)}",
        f"DTEND:{_ics_time(ends)}",
        f"SUMMARY:{_ics_text(meeting.title)}",
        f"LOCATION:{_ics_text(location)}",
        f"DESCRIPTION:{_ics_text((page.title + chr(10) + meeting.agenda).strip())}",
        f"URL:{request.build_absolute_uri(page.url)}",
    ]
    if meeting.point:
        lines.append(f"GEO:{meeting.point[0]:.6f};{meeting.point[1]:.6f}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    response = HttpResponse("\r\n".join(_fold(line) for line in lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- report ----------------------------------------------------------------------------------------------


def report_rows(page):
    """Every proposal in the report: comments, then meeting proposals. Never an email address."""
    canonical = page.canonical
    labels = page.paragraph_labels
    rows = []
    comments = Comment.objects.proposals().filter(page=canonical).select_related("author__profile").order_by("created_at", "pk")
    for comment in comments.iterator(chunk_size=500):
        if comment.paragraph_id:
            where = labels.get(comment.paragraph_id) or _("Paragraph removed from the text")
        else:
            where = _("Whole document")
        rows.append(
            {
                "source": _("Online comment"),
                "paragraph": str(where),
                "author": str(comment.author_name),
                "date": timezone.localtime(comment.created_at).date(),
                "text": comment.body,
                "decision": comment.get_decision_display() if comment.decision else "",
                "decision_value": comment.decision,
                "reason": comment.decision_reason,
                "is_reply": comment.parent_id is not None,
            }
        )
    proposals = MeetingProposal.objects.filter(meeting__page=canonical).select_related("meeting", "meeting__settlement").order_by("meeting__starts_at", "sort_order", "pk")
    for proposal in proposals:
        rows.append(
            {
                "source": _("Public meeting: %(title)s") % {"title": proposal.meeting.title},
                "paragraph": "",
                "author": proposal.proposed_by or str(_("Citizen")),
                "date": timezone.localtime(proposal.meeting.starts_at).date(),
                "text": proposal.text,
                "decision": proposal.get_decision_display() if proposal.decision else "",
                "decision_value": proposal.decision,
                "reason": proposal.decision_reason,
                "is_reply": False,
            }
        )
    return rows


def _report_visible(request, page):
    return bool(page.canonical.report) or request.user.has_perm("consultations.decide_proposal")


def report(request, page):
    if not _report_visible(request, page):
        raise Http404
    canonical = page.canonical
    return TemplateResponse(
        request,
        "consultations/report.html",
        {
            "page": page,
            "self": page,
            "rows": report_rows(page),
            "report": canonical.report,
            "decision_counts": decision_counts(canonical),
            "results": questionnaire_results(page),
            "meetings": canonical.meetings.select_related("settlement", "minutes").order_by("starts_at"),
            "urls": page_urls(page),
            "state": page.state(),
        },
    )


REPORT_COLUMNS = ["source", "paragraph", "author", "date", "text", "decision", "reason"]


def _report_headers():
    return [_("Source"), _("Paragraph"), _("Author"), _("Date"), _("Proposal"), _("Decision"), _("Reason")]


def report_download(request, page_id, fmt):
    page = _live_consultation(page_id)
    if fmt not in ("csv", "xlsx") or not _report_visible(request, page):
        raise Http404
    rows = report_rows(page)
    filename = f"report-{page.canonical.slug}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly.
        writer = csv.writer(response)
        writer.writerow(_report_headers())
        for row in rows:
            writer.writerow([row[c].isoformat() if c == "date" else row[c] for c in REPORT_COLUMNS])
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Report"))[:31]
        sheet.append([str(h) for h in _report_headers()])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[c] for c in REPORT_COLUMNS])
        for column, width in zip("ABCDEFG", (22, 18, 18, 12, 60, 16, 50)):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- open data -------------------------------------------------------------------------------------------


def open_data_payload(page):
    canonical = page.canonical
    counts = Counter()
    supports = Counter()
    decisions = {}
    rows = (
        Comment.objects.visible()
        .filter(page=canonical)
        .values("paragraph_id", "decision", "is_official")
        .annotate(n=Count("id", distinct=True), s=Count("support_rows", distinct=True))
        .order_by()
    )
    for row in rows:
        counts[row["paragraph_id"]] += row["n"]
        supports[row["paragraph_id"]] += row["s"]
        if not row["is_official"] and row["decision"]:
            decisions.setdefault(row["paragraph_id"], Counter())[row["decision"]] += row["n"]
    paragraphs = [
        {
            "id": "",
            "label": "whole document",
            "comments": counts.get("", 0),
            "supports": supports.get("", 0),
            "decisions": dict(decisions.get("", {})),
        }
    ]
    for block_id, number, label, _text in page.paragraphs():
        paragraphs.append(
            {
                "id": block_id,
                "number": number,
                "label": label,
                "comments": counts.get(block_id, 0),
                "supports": supports.get(block_id, 0),
                "decisions": dict(decisions.get(block_id, {})),
            }
        )
    report = canonical.report
    meetings = []
    for meeting in canonical.meetings.select_related("settlement").annotate(n=Count("proposals")).order_by("starts_at"):
        meetings.append(
            {
                "title": meeting.title,
                "starts_at": meeting.starts_at.isoformat(),
                "settlement": meeting.settlement.name if meeting.settlement else "",
                "address": meeting.address,
                "attendees": meeting.attendees,
                "proposals": meeting.n,
            }
        )
    results = questionnaire_results(page)
    return {
        "consultation": {
            "title": page.title,
            "url": page.full_url,
            "opens_at": page.opens_at.isoformat() if page.opens_at else None,
            "closes_at": page.closes_at.isoformat() if page.closes_at else None,
            "state": page.state().value,
            "report_published_at": report.published_at.isoformat() if report else None,
        },
        "paragraphs": paragraphs,
        "meetings": meetings,
        "meeting_proposal_decisions": dict(
            Counter(MeetingProposal.objects.filter(meeting__page=canonical).exclude(decision="").values_list("decision", flat=True))
        ),
        "questionnaire": results or {"total": 0, "questions": []},
        "licence": "CC BY 4.0",
    }


def open_data(request, page, fmt):
    if fmt not in ("json", "csv"):
        raise Http404
    payload = open_data_payload(page)
    if fmt == "json":
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        decision_values = [value for value, _label in Decision.choices]
        writer.writerow(["paragraph_id", "label", "comments", "supports"] + [f"decision_{v}" for v in decision_values])
        for row in payload["paragraphs"]:
            writer.writerow(
                [row["id"], row["label"], row["comments"], row["supports"]] + [row["decisions"].get(v, 0) for v in decision_values]
            )
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{page.canonical.slug}-data.{fmt}"'
    return response


# --- index -----------------------------------------------------------------------------------------------


def index_context(index_page, request):
    from home.models import MunicipalitySettings

    from .models import ConsultationPage, ReportPublication

    now = timezone.now()
    pages = ConsultationPage.objects.child_of(index_page).live().public().prefetch_related("tagged_items__tag")
    topic = request.GET.get("topic", "")
    settlement = request.GET.get("settlement", "")
    state = request.GET.get("state", "")
    if topic:
        pages = pages.filter(tagged_items__tag__slug=topic)
    if settlement.isdigit():
        pages = pages.filter(Q(settlements__id=int(settlement)) | Q(settlements__isnull=True))
    reported_keys = set(ReportPublication.objects.values_list("page__translation_key", flat=True))
    reported_q = Q(translation_key__in=reported_keys)
    if state == "open":
        pages = pages.filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now)).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    elif state == "awaiting":
        pages = pages.filter(closes_at__lte=now).exclude(reported_q)
    elif state == "reported":
        pages = pages.filter(closes_at__lte=now).filter(reported_q)
    pages = list(pages.distinct().order_by("-closes_at"))
    for page in pages:
        page.reported = page.translation_key in reported_keys
    from taggit.models import Tag

    topics = Tag.objects.filter(consultations_consultationpagetag_items__content_object__locale_id=index_page.locale_id).distinct().order_by("name")
    return {
        "consultations": pages,
        "topics": topics,
        "settlement_choices": list(MunicipalitySettings.load().settlements.all()),
        "filters": {"topic": topic, "settlement": settlement, "state": state},
        "states": [
            ("open", _("Open for comments")),
            ("awaiting", _("Closed, report awaited")),
            ("reported", _("Report published")),
        ],
        "now": now,
    }


# --- polls -----------------------------------------------------------------------------------------------


def poll_context(poll, request, now=None):
    now = now or timezone.now()
    user = getattr(request, "user", None)
    choices = list(poll.choices.annotate(n=Count("vote_rows")).order_by("sort_order", "pk"))
    total_votes = poll.votes.count()
    my_vote = None
    if user is not None and user.is_authenticated:
        vote = PollVote.objects.filter(poll=poll, user=user).prefetch_related("choice_rows").first()
        if vote:
            my_vote = {row.choice_id for row in vote.choice_rows.all()}
    closed = not poll.is_open(now)
    show_results = closed or (poll.results_visibility == ResultsVisibility.AFTER_VOTE and my_vote is not None)
    for choice in choices:
        choice.percent = round(choice.n * 100 / total_votes) if total_votes else 0
        choice.mine = bool(my_vote and choice.pk in my_vote)
    return {
        "poll": poll,
        "choices": choices,
        "total_votes": total_votes,
        "my_vote": my_vote,
        "closed": closed,
        "show_results": show_results,
        "vote_url": reverse("consultations:poll_vote", args=[poll.pk]),
        "poll_url": reverse("consultations:poll", args=[poll.pk]),
        "current_path": request.get_full_path() if request else "",
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}" if request else "",
    }


def poll_detail(request, poll_id):
    poll = get_object_or_404(Poll, pk=poll_id)
    return TemplateResponse(request, "consultations/poll_page.html", poll_context(poll, request))


@require_POST
@ratelimit.rate_limit_scope("poll")
def poll_vote(request, poll_id):
    poll = get_object_or_404(Poll, pk=poll_id)
    back = _safe_next(request, reverse("consultations:poll", args=[poll.pk]))
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': back})}")
    try:
        if not request.user.has_perm("consultations.vote_poll", poll):
            if not poll.is_open():
                raise ParticipationError(_("This poll is closed."))
            raise ParticipationError(_("Voting needs an account with a confirmed email address."))
        services.vote_poll(poll=poll, user=request.user, choice_ids=[v for v in request.POST.getlist("choice") if v.isdigit()])
    except ParticipationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your vote is counted."))
    return HttpResponseRedirect(back.split("#")[0] + f"#poll-{poll.pk}")
