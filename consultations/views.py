"""Small views of consultations: each checks the permission (the rule's own refusal), validates the form, calls
a service and redirects. Page routes (ConsultationPage) hand over to the functions here; polls, meeting
calendars and report downloads have their own URLs (urls.py). Reads live in queries.py."""

import hashlib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation import ratelimit
from participation import services as core
from participation.exceptions import ParticipationError
from participation.exports import spreadsheet_response
from participation.models import ModerationStatus
from participation.views import login_url, refuse, require, safe_next, subpage_url

from . import ics, queries, services
from .forms import CommentForm, FlagForm, FollowForm, questionnaire_form_class
from .models import Comment, ConsultationPage, Meeting, Poll, QuestionnaireAnswer
from .opendata import consultation_data

COMMENT_SCOPE = ratelimit.declare("comment", ip="30/60", user="10/60")
ANSWER_SCOPE = ratelimit.declare("answer", ip="30/60", user="10/60")
POLL_SCOPE = ratelimit.declare("poll", ip="30/60", user="10/60")

# Page contexts and open data: the page's get_context() and open_data() reach them through `self.views`.
consultation_context = queries.consultation_context
index_context = queries.index_context


def open_data(page, request):
    return consultation_data(page)


def _comment_url(page, comment):
    base = subpage_url(page, "thread", comment.paragraph_id) if comment.paragraph_id else page.url
    return f"{base}#comment-{comment.pk}"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _render_page(request, page, status=200, **extra):
    context = page.get_context(request)
    context.update(extra)
    return TemplateResponse(request, page.get_template(request), context, status=status)


# --- threads and comments --------------------------------------------------------------------------------


def thread(request, page, paragraph_id):
    context = queries.thread_context(request, page, paragraph_id)
    template = "consultations/thread_partial.html" if request.GET.get("partial") else "consultations/thread.html"
    return TemplateResponse(request, template, context)


def _comment_form_again(request, page, form):
    """The form shown again, with what was written and the errors, where it was sent from (status 400)."""
    paragraph_id = request.POST.get("paragraph", "")
    parent_id = _int(request.POST.get("parent"))
    if parent_id:
        reply_to = queries.top_comment_id(page, parent_id)
        context = queries.thread_context(request, page, paragraph_id, reply_form=form, reply_to=reply_to)
    elif paragraph_id:
        form.auto_id = f"t{paragraph_id[:8]}-%s"
        context = queries.thread_context(request, page, paragraph_id, form=form)
    else:
        return _render_page(request, page, status=400, comment_form=form)
    return TemplateResponse(request, "consultations/thread.html", context, status=400)


def _comment_message(comment, created):
    if comment.moderation_status == ModerationStatus.PENDING:
        return _("Thank you. Your comment will appear after a moderator approves it.")
    return _("Thank you. Your comment is published.") if created else _("Your comment had already been received.")


@require_POST
def post_comment(request, page):
    if not request.user.is_authenticated:
        return redirect(login_url(request))
    if not ratelimit.check(request, COMMENT_SCOPE):
        return ratelimit.too_many_requests(request)
    form = CommentForm(request.POST, reply=bool(request.POST.get("parent")))
    if not form.is_valid():
        if form.is_honeypot():
            messages.error(request, str(form.honeypot_error))
            return redirect(page.url)
        return _comment_form_again(request, page, form)
    try:
        comment, created = _save_comment(request, page, form)
    except ParticipationError as error:
        form.add_error(None, str(error))
        return _comment_form_again(request, page, form)
    messages.success(request, _comment_message(comment, created))
    return redirect(_comment_url(page, comment))


def _save_comment(request, page, form):
    require(request, "consultations.comment_consultation", page)
    return services.post_comment(
        page=page,
        author=request.user,
        body=form.cleaned_data["body"],
        paragraph_id=form.cleaned_data.get("paragraph") or "",
        parent=_parent(page, form.cleaned_data.get("parent")),
        client_token=form.cleaned_data.get("token"),
    )


def _parent(page, parent_id):
    if not parent_id:
        return None
    parent = Comment.objects.filter(pk=parent_id, page=page.canonical).first()
    if parent is None:
        raise ParticipationError(_("The comment you replied to does not exist."), code="no_parent")
    return parent


def _act_on_comment(request, page, comment_id, perm, action, success):
    """Support or flag: the rule, the service, a message, back to the comment (or a safe `next`)."""
    comment = get_object_or_404(Comment.objects.select_related("page"), pk=comment_id, page=page.canonical)
    back = safe_next(request, _comment_url(page, comment))
    try:
        require(request, perm, comment)
        action(comment)
    except ParticipationError as error:
        return refuse(request, error, back)
    messages.success(request, success)
    return redirect(back)


@require_POST
def support(request, page, comment_id):
    return _act_on_comment(
        request, page, comment_id, "consultations.support_comment",
        lambda comment: services.support_comment(comment=comment, user=request.user),
        _("Thank you: your support is counted."),
    )


@require_POST
def flag(request, page, comment_id):
    form = FlagForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act_on_comment(
        request, page, comment_id, "consultations.flag_comment",
        lambda comment: services.flag_comment(comment=comment, user=request.user, reason=reason),
        _("Thank you. A moderator will look at this comment."),
    )


@require_POST
def follow(request, page):
    back = page.url + "#follow"
    try:
        require(request, "consultations.follow_consultation", page)
    except ParticipationError as error:
        return refuse(request, error, back)
    if request.POST.get("action") == "unfollow":
        core.unfollow(page=page, user=request.user)
        messages.success(request, _("You no longer follow this consultation."))
    else:
        form = FollowForm(request.POST)
        digest = form.cleaned_data["digest"] if form.is_valid() else False
        core.follow(page=page, user=request.user, digest=digest)
        messages.success(request, _("You follow this consultation: we will email you when the report is published."))
    return redirect(back)


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


def _questionnaire_page(request, page, form, existing, status=200):
    context = {
        "page": page,
        "self": page,
        "form": form,
        "existing": existing,
        "allowed": request.user.has_perm("consultations.answer_questionnaire", page),
        "state": page.state(),
        "urls": queries.page_urls(page),
        "login_url": login_url(request),
    }
    return TemplateResponse(request, "consultations/questionnaire.html", context, status=status)


def questionnaire(request, page):
    questions = list(page.questions.all())
    if not questions:
        raise Http404
    form_class = questionnaire_form_class(questions)
    respondent = respondent_for(request, page)
    existing = QuestionnaireAnswer.objects.filter(page=page.canonical, respondent=respondent).first() if respondent else None
    if request.method != "POST":
        return _questionnaire_page(request, page, form_class(initial=existing.data if existing else None, page=page, user=request.user), existing)
    if not ratelimit.check(request, ANSWER_SCOPE):
        return ratelimit.too_many_requests(request)
    form = form_class(request.POST, page=page, user=request.user)
    if form.is_valid():
        try:
            require(request, "consultations.answer_questionnaire", page)
            author = request.user if request.user.is_authenticated else None
            _answer, created = services.answer_questionnaire(page=page, respondent=respondent, author=author, data=form.answers())
        except ParticipationError as error:
            if error.code == "login" and not request.user.is_authenticated:
                return redirect(login_url(request))
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your answers are saved.") if created else _("Your answers are updated."))
            return redirect(subpage_url(page, "questionnaire"))
    return _questionnaire_page(request, page, form, existing, status=400)


def results(request, page):
    context = {"page": page, "self": page, "results": queries.questionnaire_results(page), "state": page.state(), "urls": queries.page_urls(page)}
    return TemplateResponse(request, "consultations/results.html", context)


# --- report, meetings ------------------------------------------------------------------------------------


def report(request, page):
    if not queries.report_visible(request.user, page):
        raise Http404
    context = {"page": page, "self": page, "urls": queries.page_urls(page), "state": page.state(), **queries.report_context(page)}
    return TemplateResponse(request, "consultations/report.html", context)


def report_download(request, page_id, fmt):
    page = get_object_or_404(ConsultationPage.objects.live().public(), pk=page_id).specific
    if fmt not in ("csv", "xlsx") or not queries.report_visible(request.user, page):
        raise Http404
    header, rows = queries.report_table(page)
    return spreadsheet_response(header, rows, name=f"report-{page.canonical.slug}", fmt=fmt, title=_("Report"))


def meeting_ics(request, meeting_id):
    meeting = get_object_or_404(Meeting.objects.select_related("page", "settlement"), pk=meeting_id, page__live=True)
    # The public address (the Site record, VECHE_BASE_URL), not whatever Host the request came with: the UID
    # stays the same for every visitor, and the link is the real one.
    page_url = meeting.page.get_full_url(request)
    text = ics.meeting_calendar(meeting, host=urlsplit(page_url).hostname or "localhost", page_url=page_url)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- polls -----------------------------------------------------------------------------------------------


def poll_detail(request, poll_id):
    poll = get_object_or_404(Poll, pk=poll_id)
    return TemplateResponse(request, "consultations/poll_page.html", queries.poll_context(poll, request))


@require_POST
@ratelimit.rate_limit_scope(POLL_SCOPE)
def poll_vote(request, poll_id):
    poll = get_object_or_404(Poll, pk=poll_id)
    back = safe_next(request, reverse("consultations:poll", args=[poll.pk])).split("#")[0] + f"#poll-{poll.pk}"
    try:
        require(request, "consultations.vote_poll", poll)
        choice_ids = [value for value in request.POST.getlist("choice") if value.isdigit()]
        services.vote_poll(poll=poll, user=request.user, choice_ids=choice_ids)
    except ParticipationError as error:
        return refuse(request, error, back)
    messages.success(request, _("Thank you: your vote is counted."))
    return redirect(back)
