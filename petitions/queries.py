"""Reads for listings, pages, the admin queue and open data, and the page contexts built from them. Every
function makes a fixed number of queries, however many petitions or signatures there are (DESIGN.md §13).
Nothing here writes, and nothing here imports rules or services (rules call `has_signed`)."""

import re

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import urlencode
from taggit.models import Tag

from home.models import Settlement

from .models import PetitionIndexPage, PetitionPage, PetitionState, Signature, SignatureTally, Stage, Status

STATUS_FILTERS = ("open", "awaiting", "responded", "closed", "rejected")
SORTS = ("signatures", "newest", "closing")
PER_PAGE = 12
QUEUE_PER_PAGE = 50
REJECTABLE = (Stage.SPONSORING, Stage.MODERATION, Stage.CHANGES, Stage.DRAFT)


def petitions_of(index):
    """Petitions listed on an index: its own children, plus, on a translated index, the petitions of the
    default-language index that have no translation here (shown in the language they were written in)."""
    own = PetitionPage.objects.child_of(index)
    canonical = index.canonical
    if canonical.pk == index.pk:
        return own
    untranslated = PetitionPage.objects.child_of(canonical).exclude(
        translation_key__in=PetitionPage.objects.child_of(index).values("translation_key")
    )
    return own | untranslated


def _state(field):
    return Subquery(PetitionState.objects.filter(page__translation_key=OuterRef("translation_key")).values(field)[:1])


def annotated(queryset):
    """Petition pages with their system state and count (joined through the translation key, so every
    language version shows the canonical page's numbers)."""
    count = (
        SignatureTally.objects.filter(petition__translation_key=OuterRef("translation_key"))
        .values("petition__translation_key")
        .annotate(total=Sum("count"))
        .values("total")[:1]
    )
    responded = ~Q(response_decision="") & ~Q(response_text="")
    return queryset.annotate(
        st_stage=_state("stage"),
        st_opened=_state("opened_at"),
        st_closes=_state("closes_at"),
        st_reached=_state("threshold_reached_at"),
        st_threshold=_state("threshold"),
        st_rejected_at=_state("rejected_at"),
        st_reason=_state("rejection_reason"),
        st_details=_state("rejection_details"),
        st_wd=_state("response_working_days"),
        st_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
    ).annotate(is_responded=Q(responded))


def filter_status(queryset, status, now):
    responded = ~Q(response_decision="") & ~Q(response_text="")
    if status == "rejected":
        return queryset.filter(st_stage=Stage.REJECTED)
    queryset = queryset.live().filter(st_stage=Stage.PUBLISHED)
    if status == "responded":
        return queryset.filter(responded)
    if status == "awaiting":
        return queryset.filter(st_reached__isnull=False).exclude(responded)
    if status == "closed":
        return queryset.filter(st_reached__isnull=True, st_closes__lte=now).exclude(responded)
    if status == "open":
        return queryset.filter(st_reached__isnull=True, st_closes__gt=now).exclude(responded)
    return queryset


def listing_status(item, now=None):
    """The public status of an annotated petition, without another query."""
    now = now or timezone.now()
    if item.st_stage != Stage.PUBLISHED:
        return Status(item.st_stage) if item.st_stage in Status.values else Status.DRAFT
    if item.is_responded:
        return Status.RESPONDED
    if item.st_reached:
        return Status.AWAITING
    if item.st_closes and now >= item.st_closes:
        return Status.CLOSED
    return Status.OPEN


def state_from_annotations(item):
    """A PetitionState built from the annotations (not saved), for its date arithmetic."""
    return PetitionState(
        page_id=item.pk,
        stage=item.st_stage or Stage.DRAFT,
        opened_at=item.st_opened,
        closes_at=item.st_closes,
        threshold_reached_at=item.st_reached,
        threshold=item.st_threshold or 0,
        response_working_days=item.st_wd or 10,
        rejected_at=item.st_rejected_at,
        rejection_reason=item.st_reason or "",
        rejection_details=item.st_details or "",
    )


def index_queryset(index, *, status="", topic="", settlement="", q="", sort="signatures", now=None):
    now = now or timezone.now()
    queryset = annotated(petitions_of(index).select_related("locale"))
    queryset = filter_status(queryset, status, now)
    if topic:
        queryset = queryset.filter(tags__slug=topic)
    if settlement:
        queryset = queryset.filter(settlements__id=settlement)
    if q:
        ids = search_ids(index, q)
        queryset = queryset.filter(pk__in=ids)
    if topic or settlement:
        queryset = queryset.distinct()
    order = {
        "signatures": ["-st_count", "-first_published_at"],
        "newest": [F("first_published_at").desc(nulls_last=True), "-pk"],
        "closing": [F("st_closes").asc(nulls_last=True), "-pk"],
    }.get(sort, ["-st_count", "-first_published_at"])
    return queryset.order_by(*order)


def summary_counts(index):
    """(published petitions, petitions with a response) under the index, in one query."""
    responded = ~Q(response_decision="") & ~Q(response_text="")
    row = annotated(petitions_of(index).live()).filter(st_stage=Stage.PUBLISHED).aggregate(
        total=Count("pk"), answered=Count("pk", filter=responded)
    )
    return row["total"], row["answered"]


WORD = re.compile(r"\w+", re.UNICODE)


def _stems(text):
    """Crude stems good enough for Bulgarian, Ukrainian and English titles: lower-case words of 3+ letters
    cut to 5 characters ("автобусна", "автобус" and "автобуси" meet)."""
    return {word[:5] for word in WORD.findall(text.lower()) if len(word) >= 3}


def similar(index, title, *, exclude_pk=None, limit=5, candidates=500):
    """Public petitions of the index with titles similar to `title` (shared word stems), best first."""
    wanted = _stems(title)
    if not wanted:
        return []
    pages = annotated(petitions_of(index).live()).filter(st_stage=Stage.PUBLISHED)
    if exclude_pk:
        pages = pages.exclude(pk=exclude_pk)
    scored = []
    for page in pages.order_by("-first_published_at")[:candidates]:
        stems = _stems(page.title)
        if not stems:
            continue
        shared = len(wanted & stems)
        score = shared / len(wanted | stems)
        if shared >= 2 or (shared and score >= 0.34):
            scored.append((score, page))
    scored.sort(key=lambda pair: -pair[0])
    return [page for _score, page in scored[:limit]]


def search_ids(index, q):
    """Ids of petitions under the index that match `q` in the title, action or reasons (Wagtail search),
    with a prefix match on word stems as a fallback for inflected words."""
    ids = set()
    for parent in {index.pk: index, index.canonical.pk: index.canonical}.values():
        ids.update(page.pk for page in PetitionPage.objects.child_of(parent).search(q, operator="and"))
    stems = _stems(q)
    if stems:
        for pk, title, summary in petitions_of(index).values_list("pk", "title", "summary")[:2000]:
            if stems <= _stems(f"{title} {summary}"):
                ids.add(pk)
    return ids


def settlements_by_id():
    return {settlement.pk: settlement for settlement in Settlement.objects.order_by("sort_order", "name")}


def counts_by_settlement(petition_id, settlements=None):
    """[(name, count, percent of the largest)] with "not given" last; one query (plus the settlements)."""
    settlements = settlements if settlements is not None else settlements_by_id()
    counts = SignatureTally.objects.by_settlement(petition_id)
    rows = [(settlements[key].name if key in settlements else None, key, value) for key, value in counts.items()]
    rows.sort(key=lambda row: (row[0] is None, -row[2], row[0] or ""))
    top = max((row[2] for row in rows), default=0)
    return [
        {"name": name, "key": key, "count": value, "percent": round(value * 100 / top) if top else 0}
        for name, key, value in rows
    ]


def public_signatories(petition_id, limit=30):
    return list(
        Signature.objects.counted()
        .filter(petition_id=petition_id, show_name=True)
        .exclude(name="")
        .order_by("-confirmed_at")
        .values_list("name", flat=True)[:limit]
    )


def plain(html):
    return strip_tags(html or "").strip()


def has_signed(page, user):
    """Has this account signed (or co-sponsored) the petition, in any language version?"""
    if not (user and user.is_authenticated):
        return False
    return Signature.objects.filter(petition_id=page.canonical.pk, author=user).exists()


# --- Page contexts -------------------------------------------------------------------------------------------


def index_context(index, params, now=None):
    """The listing of an index: filters from the query string, one page of petitions, the summary."""
    now = now or timezone.now()
    status = params.get("status", "") if params.get("status", "") in STATUS_FILTERS else ""
    sort = params.get("sort", "signatures") if params.get("sort") in SORTS else "signatures"
    topic = params.get("topic", "")[:100]
    settlement = params.get("settlement", "")
    settlement = settlement if settlement.isdigit() else ""
    q = params.get("q", "").strip()[:200]
    queryset = index_queryset(index, status=status, topic=topic, settlement=settlement, q=q, sort=sort, now=now)
    page_obj = Paginator(queryset, PER_PAGE).get_page(params.get("page"))
    items = list(page_obj.object_list)
    for item in items:
        item.listing_status = listing_status(item, now)
        item.listing_state = state_from_annotations(item)
        item.listing_overdue = item.listing_state.is_overdue(now, page=item)
        item.listing_waiting = item.listing_state.days_waiting_for_response(now)
    total, answered = summary_counts(index)
    topics = (
        Tag.objects.filter(petitions_petitiontag_items__content_object__in=petitions_of(index).live())
        .distinct()
        .order_by("name")
    )
    chosen = (("status", status), ("topic", topic), ("settlement", settlement), ("q", q), ("sort", sort if sort != "signatures" else ""))
    filters = {key: value for key, value in chosen if value}
    return {
        "items": items,
        "page_obj": page_obj,
        "query_string": urlencode(filters),
        "filters": filters,
        "status": status,
        "sort": sort,
        "q": q,
        "topic": topic,
        "settlement": settlement,
        "topics": list(topics),
        "settlement_choices": list(settlements_by_id().values()),
        "total": total,
        "answered": answered,
        "now": now,
    }


def petition_context(page, user, now=None):
    """What a petition page shows: its state, status, counts by settlement and public signatories."""
    now = now or timezone.now()
    canonical = page.canonical
    state = page.state
    return {
        "state": state,
        "status": page.status(now),
        "count": SignatureTally.objects.total(canonical.pk),
        "by_settlement": counts_by_settlement(canonical.pk),
        "signatories": public_signatories(canonical.pk),
        "now": now,
        "overdue": bool(state and state.is_overdue(now, page=page)),
        "index_page": page.get_parent(),
        "has_signed": has_signed(page, user),
    }


def my_petitions(index, user):
    """The author's petitions under the index, newest first, with what each still needs."""
    items = list(annotated(PetitionPage.objects.child_of(index).filter(citizen_author=user)).order_by("-pk"))
    sponsoring = [item.pk for item in items if item.st_stage == Stage.SPONSORING]
    states = {state.page_id: state for state in PetitionState.objects.filter(page_id__in=sponsoring)}
    sponsors = dict(
        Signature.objects.filter(petition_id__in=sponsoring, is_sponsor=True)
        .values("petition_id")
        .order_by()
        .annotate(total=Count("pk"))
        .values_list("petition_id", "total")
    )
    rows = []
    for item in items:
        state = states.get(item.pk)
        needed = max(0, state.sponsors_required - sponsors.get(item.pk, 0)) if state else 0
        rows.append(
            {
                "page": item,
                "status": listing_status(item),
                "state": state_from_annotations(item),
                "count": item.st_count,
                "state_sponsors_needed": needed,
                "sponsor_url": index.full_url + index.reverse_subpage("sponsor", args=[state.sponsor_token]) if state else "",
                "edit_url": index.url + index.reverse_subpage("edit", args=[item.pk]) if item.st_stage in (Stage.SPONSORING, Stage.CHANGES) else "",
            }
        )
    return rows


def sponsor_state(index, token):
    """The state of the draft under `index` whose private co-sponsor link holds `token` (None if none)."""
    return PetitionState.objects.select_related("page").filter(sponsor_token=token, page__path__startswith=index.path).first()


def sponsor_context(state, user):
    page = state.page
    return {
        "draft": page.get_latest_revision_as_object(),
        "state": state,
        "sponsors": Signature.objects.filter(petition_id=state.page_id, is_sponsor=True).count(),
        "is_open": state.stage == Stage.SPONSORING,
        "has_signed": has_signed(page, user),
        "is_author": bool(user.is_authenticated and page.citizen_author_id == user.pk),
    }


def review_comment(page):
    """The moderator's comment when changes were requested ("" when there is none)."""
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.current_task_state is not None:
        return workflow_state.current_task_state.comment
    return ""


def moderation_queue(params, now=None):
    """Every petition with its stage, waiting time in moderation and response clock (the admin queue)."""
    now = now or timezone.now()
    stage = params.get("stage", "")
    states = PetitionState.objects.select_related("page").order_by("-page_id")
    if stage in Stage.values:
        states = states.filter(stage=stage)
    page_obj = Paginator(states, QUEUE_PER_PAGE).get_page(params.get("p"))
    ids = [state.page_id for state in page_obj.object_list]
    counts = dict(
        SignatureTally.objects.filter(petition_id__in=ids)
        .values("petition_id")
        .order_by()
        .annotate(total=Sum("count"))
        .values_list("petition_id", "total")
    )
    overdue_days = {index.path: index.moderation_overdue_days for index in PetitionIndexPage.objects.all()}
    rows = []
    for state in page_obj.object_list:
        waiting = state.moderation_days(now)
        limit = next((days for path, days in overdue_days.items() if state.page.path.startswith(path)), 5)
        rows.append(
            {
                "state": state,
                "page": state.page,
                "status": state.status(page=state.page, now=now),
                "count": counts.get(state.page_id, 0),
                "waiting": waiting,
                "moderation_overdue": waiting is not None and waiting > limit,
                "response_overdue": state.is_overdue(now, page=state.page),
                "can_reject": state.stage in REJECTABLE,
            }
        )
    return {"rows": rows, "page_obj": page_obj, "stage": stage, "stages": list(Stage.choices)}


# --- The admin dashboard (petitions/admin.py panels): (rows, total), two queries at most -------------------


def dashboard_drafts(limit=10, now=None):
    """Drafts in moderation (in the workflow), the longest waiting first."""
    waiting = PetitionState.objects.filter(stage=Stage.MODERATION).select_related("page")
    states = waiting.order_by(F("submitted_at").asc(nulls_first=True), "page_id")[:limit]
    return [{"page": state.page, "since": state.submitted_at, "days": state.moderation_days(now)} for state in states], waiting.count()


def dashboard_overdue(limit=10, now=None):
    """Published petitions past their response deadline without a response, the most overdue first."""
    today = timezone.localtime(now or timezone.now()).date()
    candidates = PetitionState.objects.filter(
        Q(page__response_decision="") | Q(page__response_text=""),
        stage=Stage.PUBLISHED, threshold_reached_at__isnull=False, responded_at__isnull=True,
    ).select_related("page")
    overdue = sorted((state for state in candidates if state.is_overdue(now, page=state.page)), key=lambda state: state.response_due)
    return [{"page": state.page, "due": state.response_due, "days": (today - state.response_due).days} for state in overdue[:limit]], len(overdue)
