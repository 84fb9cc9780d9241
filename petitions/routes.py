"""Page routes of the petitions index and of each petition: permission, form, service, message, redirect."""

import csv
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.models import path

from participation import ratelimit
from participation.exceptions import AlreadyDone, ParticipationError

PER_PAGE = 12
SIGN_SCOPE = ratelimit.declare("petition_sign", ip="30/60", user="10/60")  # signing and co-sponsoring
DRAFT_SCOPE = ratelimit.declare("petition_draft", ip="10/3600", user="5/3600")


def _login_url(request):
    return f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"


def _too_many(request):
    return ratelimit.too_many_requests(request)


class IndexRoutes:
    """Routes of PetitionIndexPage."""

    @path("")
    def listing(self, request):
        from . import queries

        params = request.GET
        status = params.get("status", "") if params.get("status", "") in queries.STATUS_FILTERS else ""
        sort = params.get("sort", "signatures") if params.get("sort") in queries.SORTS else "signatures"
        topic = params.get("topic", "")[:100]
        settlement = params.get("settlement", "")
        settlement = settlement if settlement.isdigit() else ""
        q = params.get("q", "").strip()[:200]
        now = timezone.now()
        queryset = queries.index_queryset(self, status=status, topic=topic, settlement=settlement, q=q, sort=sort, now=now)
        page_obj = Paginator(queryset, PER_PAGE).get_page(params.get("page"))
        items = list(page_obj.object_list)
        for item in items:
            item.listing_status = queries.listing_status(item, now)
            item.listing_state = queries.state_from_annotations(item)
            item.listing_overdue = item.listing_state.is_overdue(now, page=item)
            item.listing_waiting = item.listing_state.days_waiting_for_response(now)
        total, answered = queries.summary_counts(self)
        from taggit.models import Tag

        topics = (
            Tag.objects.filter(petitions_petitiontag_items__content_object__in=queries.petitions_of(self).live())
            .distinct()
            .order_by("name")
        )
        filters = {key: value for key, value in (("status", status), ("topic", topic), ("settlement", settlement), ("q", q), ("sort", sort if sort != "signatures" else "")) if value}
        return self.render(
            request,
            context_overrides={
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
                "settlement_choices": list(queries.settlements_by_id().values()),
                "total": total,
                "answered": answered,
                "now": now,
            },
        )

    @path("start/", name="start")
    def start(self, request):
        from .forms import DraftForm
        from .services import can_draft, create_draft

        template = "petitions/petition_start.html"
        context = {"page": self, "self": self, "sponsors_required": self.sponsors_required}
        if not request.user.is_authenticated:
            context["login_url"] = _login_url(request)
            return TemplateResponse(request, template, context)
        if not can_draft(request.user, self):
            context["not_verified"] = True
            return TemplateResponse(request, template, context)
        if request.method != "POST":
            context["form"] = DraftForm()
            return TemplateResponse(request, template, context)
        form = DraftForm(request.POST)
        action = request.POST.get("action", "check")
        if form.is_valid() and action == "check":
            from .queries import similar

            context.update({"form": form, "similar": similar(self, form.cleaned_data["title"])})
            return TemplateResponse(request, "petitions/petition_check.html", context)
        if form.is_valid() and action == "submit":
            if not ratelimit.check(request, "petition_draft"):
                return _too_many(request)
            data = form.cleaned_data
            try:
                create_draft(
                    index=self,
                    author=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    background=data["background"],
                    settlement=data.get("settlement"),
                    tags=data["tags"],
                )
            except ParticipationError as error:
                messages.error(request, str(error))
                context["form"] = form
                return TemplateResponse(request, template, context)
            messages.success(request, _("Your petition was saved. See below what happens next."))
            return redirect(self.url + self.reverse_subpage("mine"))
        context["form"] = form if not form.is_honeypot() else DraftForm()
        return TemplateResponse(request, template, context)

    @path("similar/", name="similar")
    def similar_json(self, request):
        from .queries import similar

        title = request.GET.get("title", "")[:200]
        results = [{"title": page.title, "url": page.url, "signatures": page.st_count} for page in similar(self, title)]
        return JsonResponse({"results": results})

    @path("mine/", name="mine")
    def mine(self, request):
        from . import queries
        from .models import PetitionPage

        if not request.user.is_authenticated:
            return redirect(_login_url(request))
        items = list(
            queries.annotated(PetitionPage.objects.child_of(self).filter(citizen_author=request.user)).order_by("-pk")
        )
        rows = []
        for item in items:
            state = queries.state_from_annotations(item)
            sponsor_token = None
            needed = 0
            if item.st_stage == "sponsoring":
                sponsor_token = item.petition_state.sponsor_token
                needed = max(0, item.petition_state.sponsors_required - item.signatures.filter(is_sponsor=True).count())
            rows.append(
                {
                    "page": item,
                    "status": queries.listing_status(item),
                    "state": state,
                    "count": item.st_count,
                    "state_sponsors_needed": needed,
                    "sponsor_url": self.full_url + self.reverse_subpage("sponsor", args=[sponsor_token]) if sponsor_token else "",
                    "edit_url": self.url + self.reverse_subpage("edit", args=[item.pk]) if item.st_stage in ("sponsoring", "changes") else "",
                }
            )
        return TemplateResponse(request, "petitions/petition_mine.html", {"page": self, "self": self, "rows": rows})

    @path("sponsor/<str:token>/", name="sponsor")
    def sponsor_view(self, request, token):
        from .forms import SponsorForm
        from .models import PetitionState, Signature, Stage
        from .services import sponsor

        state = PetitionState.objects.select_related("page").filter(sponsor_token=token, page__path__startswith=self.path).first()
        if state is None:
            raise Http404
        draft = state.page.get_latest_revision_as_object()
        context = {"page": self, "self": self, "draft": draft, "state": state, "login_url": _login_url(request)}
        context["sponsors"] = Signature.objects.filter(petition_id=state.page_id, is_sponsor=True).count()
        if request.method == "POST" and request.user.is_authenticated:
            form = SponsorForm(request.POST)
            if form.is_valid():
                if not ratelimit.check(request, "petition_sign"):
                    return _too_many(request)
                try:
                    sponsor(state=state, user=request.user)
                    messages.success(request, _("Thank you for supporting this petition."))
                except AlreadyDone as error:
                    messages.info(request, str(error))
                except ParticipationError as error:
                    messages.error(request, str(error))
                return redirect(request.path)
        else:
            form = SponsorForm()
        context["form"] = form
        context["is_open"] = state.stage == Stage.SPONSORING
        context["has_signed"] = request.user.is_authenticated and Signature.objects.filter(petition_id=state.page_id, author=request.user).exists()
        context["is_author"] = request.user.is_authenticated and state.page.citizen_author_id == request.user.pk
        return TemplateResponse(request, "petitions/petition_sponsor.html", context)

    @path("edit/<int:page_id>/", name="edit")
    def edit(self, request, page_id):
        from .forms import EditDraftForm
        from .models import PetitionPage
        from .services import edit_draft

        page = PetitionPage.objects.child_of(self).filter(pk=page_id).first()
        if page is None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect(_login_url(request))
        if not request.user.has_perm("petitions.edit_petition", page):
            messages.error(request, _("This petition cannot be changed now."))
            return redirect(self.url + self.reverse_subpage("mine"))
        draft = page.get_latest_revision_as_object()
        comment = ""
        workflow_state = page.current_workflow_state
        if workflow_state is not None and workflow_state.current_task_state is not None:
            comment = workflow_state.current_task_state.comment
        if request.method == "POST":
            form = EditDraftForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    edit_draft(page=page, author=request.user, title=data["title"], summary=data["summary"], background=data["background"])
                except ParticipationError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, _("Your changes were saved."))
                    return redirect(self.url + self.reverse_subpage("mine"))
        else:
            form = EditDraftForm(initial={"title": draft.title, "summary": draft.summary, "background": draft.background})
        return TemplateResponse(
            request, "petitions/petition_edit.html", {"page": self, "self": self, "form": form, "draft": draft, "comment": comment}
        )

    @path("data.json/", name="data_json")
    def data_json(self, request):
        from .opendata import index_records

        response = JsonResponse({"index": self.title, "url": self.full_url, "petitions": index_records(self)}, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Access-Control-Allow-Origin"] = "*"
        return response

    @path("data.csv/", name="data_csv")
    def data_csv(self, request):
        from .opendata import INDEX_COLUMNS, index_records

        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="petitions-{self.slug}.csv"'
        response.write("\ufeff")
        writer = csv.DictWriter(response, fieldnames=INDEX_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in index_records(self):
            writer.writerow({**record, "counts_by_settlement": json.dumps(record["counts_by_settlement"], ensure_ascii=False)})
        return response


class PetitionRoutes:
    """Routes of PetitionPage. Every language version signs into the canonical page's records."""

    def petition_context(self, request, form=None):
        from . import queries
        from .forms import EmailSignForm, SignForm
        from .models import Signature

        canonical = self.canonical
        state = self.state
        now = timezone.now()
        context = {
            "state": state,
            "status": self.status(now),
            "count": queries.SignatureTally.objects.total(canonical.pk),
            "by_settlement": queries.counts_by_settlement(canonical.pk),
            "signatories": queries.public_signatories(canonical.pk),
            "now": now,
            "overdue": bool(state and state.is_overdue(now, page=self)),
            "index_page": self.get_parent(),
        }
        context["has_signed"] = bool(
            request.user.is_authenticated and Signature.objects.filter(petition_id=canonical.pk, author=request.user).exists()
        )
        context["can_sign"] = request.user.has_perm("petitions.sign_petition", self)
        if form is None and context["can_sign"] and not context["has_signed"]:
            if request.user.is_authenticated:
                profile = getattr(request.user, "profile", None)
                form = SignForm(initial={"settlement": profile.settlement_id if profile else None, "notify": True})
            else:
                form = EmailSignForm(initial={"notify": True})
        context["form"] = form
        context["login_url"] = _login_url(request)
        context["sign_url"] = self.url + self.reverse_subpage("sign")
        return context

    @path("")
    def petition(self, request):
        return self.render(request, context_overrides=self.petition_context(request))

    @path("sign/", name="sign")
    def sign_view(self, request):
        from .forms import EmailSignForm, SignForm
        from .services import SignResult, sign

        if request.method != "POST":
            return TemplateResponse(request, "petitions/petition_sign.html", {"page": self, "self": self, **self.petition_context(request)})
        form_class = SignForm if request.user.is_authenticated else EmailSignForm
        form = form_class(request.POST)
        if not form.is_valid():
            if form.is_honeypot():
                messages.error(request, str(form.honeypot_error))
                return redirect(self.url)
            return TemplateResponse(request, "petitions/petition_sign.html", {"page": self, "self": self, **self.petition_context(request, form=form)})
        if not ratelimit.check(request, "petition_sign"):
            return _too_many(request)
        data = form.cleaned_data
        try:
            result = sign(
                page=self,
                user=request.user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                settlement=data.get("settlement"),
                show_name=data.get("show_name", False),
                notify=data.get("notify", False),
                ip_hash=ratelimit._digest(ratelimit.client_ip(request)),
            )
        except AlreadyDone as error:
            messages.info(request, str(error))
            return redirect(self.url)
        except ParticipationError as error:
            messages.error(request, str(error))
            return redirect(self.url)
        if result.outcome == SignResult.CHECK_EMAIL:
            return TemplateResponse(request, "petitions/petition_check_email.html", {"page": self, "self": self, "email": data.get("email", "")})
        if result.outcome == SignResult.REVIEW:
            messages.info(request, _("Thank you. Your signature will count once our staff have checked it."))
        else:
            messages.success(request, _("Thank you for signing. Your signature is counted."))
        return redirect(self.url)

    @path("confirm/<str:token>/", name="confirm")
    def confirm_view(self, request, token):
        from .services import confirm, signature_for_token

        if request.method == "POST":
            try:
                confirm(page=self, token=token)
            except AlreadyDone as error:
                messages.info(request, str(error))
            except ParticipationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Thank you. Your signature is confirmed and counted."))
            return redirect(self.url)
        signature = signature_for_token(page=self, token=token)
        return TemplateResponse(
            request, "petitions/petition_confirm.html", {"page": self, "self": self, "signature": signature, "valid": signature is not None}
        )

    @path("data.json/", name="data_json")
    def data_json(self, request):
        from .opendata import petition_record

        response = JsonResponse(petition_record(self, detail=True), json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Access-Control-Allow-Origin"] = "*"
        return response

    @path("data.csv/", name="data_csv")
    def data_csv(self, request):
        from .opendata import petition_record

        record = petition_record(self, detail=True)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="petition-{self.canonical.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["petition_id", "title", "status", "settlement", "signatures"])
        for row in record["counts_by_settlement"]:
            writer.writerow([record["id"], record["title"], record["status"], row["settlement"] or "", row["signatures"]])
        writer.writerow([record["id"], record["title"], record["status"], "TOTAL", record["signatures"]])
        return response
