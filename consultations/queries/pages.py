"""Page contexts of consultations: the consultation page with its paginated comments, a paragraph's thread,
the index with its filters. Constant query counts whatever the number of comments."""

import uuid

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from taggit.models import Tag

from home.models import MunicipalitySettings
from participation.services import is_following
from participation.views import login_url, subpage_url

from ..forms import CommentForm, FollowForm
from ..models import Comment, CommentSupport, ConsultationPage, ReportPublication
from .report import decision_counts

COMMENTS_PER_PAGE = 20
THREAD_PER_PAGE = 50
ORDERS = ("paragraph", "newest", "supported")
GENERAL = "general"  # the thread of the whole document (paragraph id "")


def comment_queryset(canonical):
    replies = Comment.objects.public().select_related("author__profile").with_counts().order_by("created_at", "pk")
    return (
        Comment.objects.public()
        .filter(page=canonical, parent__isnull=True)
        .select_related("author__profile")
        .with_counts()
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def ordered(queryset, order, paragraph_ids):
    if order == "newest":
        return queryset.order_by("-created_at", "-pk")
    if order == "supported":
        return queryset.order_by("-supports", "-created_at", "-pk")
    positions = [When(paragraph_id=pid, then=Value(i + 1)) for i, pid in enumerate(paragraph_ids)]
    position = Case(When(paragraph_id="", then=Value(0)), *positions, default=Value(len(paragraph_ids) + 1), output_field=IntegerField())
    return queryset.annotate(position=position).order_by("position", "created_at", "pk")


def supported_ids(user, comments):
    if not user.is_authenticated:
        return set()
    ids = [c.pk for c in comments] + [r.pk for c in comments for r in c.replies.all()]
    if not ids:
        return set()
    return set(CommentSupport.objects.filter(user=user, comment_id__in=ids).values_list("comment_id", flat=True))


def annotate_comments(comments, labels, supported):
    for comment in comments:
        comment.paragraph_label = labels.get(comment.paragraph_id) if comment.paragraph_id else None
        comment.paragraph_removed = bool(comment.paragraph_id) and comment.paragraph_id not in labels
        comment.supported_by_me = comment.pk in supported
        comment.reply_token = uuid.uuid4()
        for reply in comment.replies.all():
            reply.supported_by_me = reply.pk in supported
    return comments


def permissions(request, page):
    user = request.user
    return {
        "can_comment": user.has_perm("consultations.comment_consultation", page),
        "can_answer": user.has_perm("consultations.answer_questionnaire", page),
        "is_moderator": user.has_perm("consultations.moderate_comment"),
    }


def draft_items(page, counts):
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
                    "url": subpage_url(page, "thread", block.id),
                }
            )
    return items


def paragraph_counts(canonical):
    rows = Comment.objects.visible().filter(page=canonical).values("paragraph_id").annotate(n=Count("id")).order_by()
    return {row["paragraph_id"]: row["n"] for row in rows}


def page_urls(page):
    urls = {name: subpage_url(page, name) for name in ("comment", "questionnaire", "results", "follow", "report")}
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
    counts = paragraph_counts(canonical)
    paragraph_ids = [pid for pid, *_rest in page.paragraphs()]
    paginator = Paginator(ordered(comment_queryset(canonical), order, paragraph_ids), COMMENTS_PER_PAGE)
    comments_page = paginator.get_page(request.GET.get("page"))
    comments = list(comments_page.object_list)
    annotate_comments(comments, page.paragraph_labels, supported_ids(request.user, comments))
    meetings = list(canonical.meetings.select_related("settlement", "minutes").order_by("starts_at"))
    for meeting in meetings:
        meeting.ics_url = reverse("consultations:meeting_ics", args=[meeting.pk])
    following = is_following(page=canonical, user=request.user)
    report = canonical.report
    context = {
        "state": page.state(),
        "draft_items": draft_items(page, counts),
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
        "login_url": login_url(request),
        **permissions(request, page),
    }
    if report:
        context["decision_counts"] = decision_counts(canonical)
    return context


def thread_context(request, page, paragraph_id, form=None, reply_form=None, reply_to=None):
    """A paragraph's comment thread; paragraph "general" (or "") is the thread of the whole document."""
    if paragraph_id == GENERAL:
        paragraph_id = ""
    canonical = page.canonical
    item = next((i for i in draft_items(page, {}) if i["kind"] == "paragraph" and i["id"] == paragraph_id), None)
    queryset = comment_queryset(canonical).filter(paragraph_id=paragraph_id).order_by("created_at", "pk")
    if paragraph_id and item is None and not queryset.exists():
        raise Http404
    comments_page = Paginator(queryset, THREAD_PER_PAGE).get_page(request.GET.get("page"))
    comments = list(comments_page.object_list)
    annotate_comments(comments, page.paragraph_labels, supported_ids(request.user, comments))
    thread_url = subpage_url(page, "thread", paragraph_id or GENERAL)
    return {
        "page": page,
        "self": page,
        "paragraph": item,
        "paragraph_id": paragraph_id,
        "comments": comments,
        "comments_page": comments_page,
        "comment_form": form or CommentForm(initial={"paragraph": paragraph_id}, auto_id=f"t{paragraph_id[:8]}-%s"),
        "in_thread": True,
        "return_url": thread_url,
        "reply_form": reply_form,
        "reply_to": reply_to,
        "state": page.state(),
        "urls": page_urls(page),
        "thread_url": thread_url,
        "login_url": login_url(request),
        **permissions(request, page),
    }


def top_comment_id(page, comment_id):
    """The thread's top-level comment for a reply form shown again (a reply to a reply shows under its thread)."""
    top = Comment.objects.filter(pk=comment_id, page=page.canonical).values_list("parent_id", flat=True).first()
    return top or comment_id


def index_context(index_page, request):
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
    topics = (
        Tag.objects.filter(consultations_consultationpagetag_items__content_object__locale_id=index_page.locale_id)
        .distinct()
        .order_by("name")
    )
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
