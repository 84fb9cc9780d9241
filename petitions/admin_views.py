"""Admin views of the "Petitions" menu group: the moderation queue with waiting times, rejection with a
reason, and invalidation or approval of single signatures. Permission, form, service, message, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.exceptions import ParticipationError

from . import queries, services
from .forms import InvalidateForm, RejectForm
from .models import PetitionIndexPage, PetitionPage, PetitionState, Signature, Stage

STAGE_FILTERS = [choice for choice in Stage.choices]


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def petition_list(request):
    _require(request, "petitions.moderate_petition")
    now = timezone.now()
    stage = request.GET.get("stage", "")
    states = PetitionState.objects.select_related("page").order_by("-page_id")
    if stage in Stage.values:
        states = states.filter(stage=stage)
    page_obj = Paginator(states, 50).get_page(request.GET.get("p"))
    ids = [state.page_id for state in page_obj.object_list]
    counts = dict(
        queries.SignatureTally.objects.filter(petition_id__in=ids)
        .values("petition_id")
        .order_by()
        .annotate(total=queries.Sum("count"))
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
                "can_reject": state.stage in (Stage.SPONSORING, Stage.MODERATION, Stage.CHANGES, Stage.DRAFT),
            }
        )
    return TemplateResponse(
        request,
        "petitions/admin/petition_list.html",
        {"rows": rows, "page_obj": page_obj, "stage": stage, "stages": STAGE_FILTERS},
    )


def reject_petition(request, page_id):
    _require(request, "petitions.moderate_petition")
    page = get_object_or_404(PetitionPage, pk=page_id)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reject(page=page, actor=request.user, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"])
        except ParticipationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The petition was rejected and the author was told why."))
            return redirect("petitions_admin:list")
    return TemplateResponse(request, "petitions/admin/reject.html", {"page": page, "form": form, "draft": page.get_latest_revision_as_object()})


def invalidate_signature(request, pk):
    _require(request, "petitions.change_signature")
    signature = get_object_or_404(Signature.objects.select_related("petition", "settlement"), pk=pk)
    form = InvalidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invalidate(signature=signature, actor=request.user, reason=form.cleaned_data["reason"])
        except ParticipationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The signature no longer counts. The counts were recomputed."))
        return redirect(reverse("petitions_signature:index") + f"?petition={signature.petition_id}")
    return TemplateResponse(request, "petitions/admin/invalidate.html", {"signature": signature, "form": form})


def approve_signature(request, pk):
    _require(request, "petitions.change_signature")
    if request.method != "POST":
        raise PermissionDenied
    signature = get_object_or_404(Signature, pk=pk)
    try:
        services.approve(signature=signature, actor=request.user)
    except ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The signature was approved and counts now."))
    return redirect(reverse("petitions_signature:index") + f"?petition={signature.petition_id}")
