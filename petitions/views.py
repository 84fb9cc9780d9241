"""What the petition pages' routes do (the pages in models/pages.py hold one-line stubs that call these):
permission (the app's rule), form, service, message, redirect. Reads and contexts come from queries.py."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from participation import ratelimit
from participation.exceptions import AlreadyDone, NotAllowed, ParticipationError
from participation.views import login_url, refuse, require

from . import opendata, queries, services
from .forms import DraftForm, EditDraftForm, EmailSignForm, SignForm, SponsorForm
from .models import PetitionPage

SIGN_SCOPE = ratelimit.declare("petition_sign", ip="30/60", user="10/60")  # signing and co-sponsoring
DRAFT_SCOPE = ratelimit.declare("petition_draft", ip="10/3600", user="5/3600")


# --- Page contexts -------------------------------------------------------------------------------------------


def index_context(index, request):
    return queries.index_context(index, request.GET)


def petition_context(page, request, form=None):
    context = queries.petition_context(page, request.user)
    context["can_sign"] = request.user.has_perm("petitions.sign_petition", page)
    if form is None and context["can_sign"] and not context["has_signed"]:
        if request.user.is_authenticated:
            profile = getattr(request.user, "profile", None)
            form = SignForm(initial={"settlement": profile.settlement_id if profile else None, "notify": True})
        else:
            form = EmailSignForm(initial={"notify": True})
    context["form"] = form
    context["login_url"] = login_url(request)
    return context


def index_open_data(index, request):
    return opendata.index_open_data(index, request)


def petition_open_data(page, request):
    return opendata.petition_open_data(page, request)


# --- The index: starting a petition, the author's petitions, co-sponsoring, editing a draft ------------------


def start(request, index):
    template = "petitions/petition_start.html"
    context = {"page": index, "self": index, "sponsors_required": index.sponsors_required}
    try:
        require(request, "petitions.start_petition", index)
    except NotAllowed as error:  # the template explains: log in, or verify the account
        if error.code == "login":
            context["login_url"] = login_url(request)
        else:
            context["not_verified"] = True
        return TemplateResponse(request, template, context)
    if request.method != "POST":
        context["form"] = DraftForm()
        return TemplateResponse(request, template, context)
    form = DraftForm(request.POST)
    action = request.POST.get("action", "check")
    if form.is_valid() and action == "check":
        context.update({"form": form, "similar": queries.similar(index, form.cleaned_data["title"])})
        return TemplateResponse(request, "petitions/petition_check.html", context)
    if form.is_valid() and action == "submit":
        if not ratelimit.check(request, DRAFT_SCOPE):
            return ratelimit.too_many_requests(request)
        data = form.cleaned_data
        try:
            services.create_draft(
                index=index,
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
        return redirect(index.url + index.reverse_subpage("mine"))
    context["form"] = form if not form.is_honeypot() else DraftForm()
    return TemplateResponse(request, template, context)


def similar(request, index):
    title = request.GET.get("title", "")[:200]
    results = [{"title": page.title, "url": page.url, "signatures": page.st_count} for page in queries.similar(index, title)]
    return JsonResponse({"results": results})


def mine(request, index):
    if not request.user.is_authenticated:
        return redirect(login_url(request))
    rows = queries.my_petitions(index, request.user)
    return TemplateResponse(request, "petitions/petition_mine.html", {"page": index, "self": index, "rows": rows})


def sponsor(request, index, token):
    state = queries.sponsor_state(index, token)
    if state is None:
        raise Http404
    if request.method == "POST" and request.user.is_authenticated:
        form = SponsorForm(request.POST)
        if form.is_valid():
            try:
                require(request, "petitions.sponsor_petition", state.page)
            except NotAllowed as error:
                return refuse(request, error, request.path)
            if not ratelimit.check(request, SIGN_SCOPE):
                return ratelimit.too_many_requests(request)
            try:
                services.sponsor(state=state, user=request.user)
                messages.success(request, _("Thank you for supporting this petition."))
            except AlreadyDone as error:
                messages.info(request, str(error))
            except ParticipationError as error:
                messages.error(request, str(error))
            return redirect(request.path)
    else:
        form = SponsorForm()
    context = {"page": index, "self": index, "login_url": login_url(request), "form": form}
    context.update(queries.sponsor_context(state, request.user))
    return TemplateResponse(request, "petitions/petition_sponsor.html", context)


def edit(request, index, page_id):
    page = PetitionPage.objects.child_of(index).filter(pk=page_id).first()
    if page is None:
        raise Http404
    mine_url = index.url + index.reverse_subpage("mine")
    try:
        require(request, "petitions.edit_petition", page)
    except NotAllowed as error:
        return refuse(request, error, request.get_full_path() if error.code == "login" else mine_url)
    draft = page.get_latest_revision_as_object()
    if request.method == "POST":
        form = EditDraftForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.edit_draft(page=page, author=request.user, title=data["title"], summary=data["summary"], background=data["background"])
            except ParticipationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect(mine_url)
    else:
        form = EditDraftForm(initial={"title": draft.title, "summary": draft.summary, "background": draft.background})
    context = {"page": index, "self": index, "form": form, "draft": draft, "comment": queries.review_comment(page)}
    return TemplateResponse(request, "petitions/petition_edit.html", context)


# --- A petition: signing and the emailed confirmation ------------------------------------------------------


def sign(request, page):
    template = "petitions/petition_sign.html"
    if request.method != "POST":
        return TemplateResponse(request, template, {"page": page, "self": page, **petition_context(page, request)})
    try:
        require(request, "petitions.sign_petition", page)
    except NotAllowed as error:
        return refuse(request, error, page.url)
    form_class = SignForm if request.user.is_authenticated else EmailSignForm
    form = form_class(request.POST)
    if not form.is_valid():
        if form.is_honeypot():
            messages.error(request, str(form.honeypot_error))
            return redirect(page.url)
        return TemplateResponse(request, template, {"page": page, "self": page, **petition_context(page, request, form=form)})
    if not ratelimit.check(request, SIGN_SCOPE):
        return ratelimit.too_many_requests(request)
    data = form.cleaned_data
    try:
        result = services.sign(
            page=page,
            user=request.user,
            name=data.get("name", ""),
            email=data.get("email", ""),
            settlement=data.get("settlement"),
            show_name=data.get("show_name", False),
            notify=data.get("notify", False),
            ip_hash=ratelimit.client_hash(request),
        )
    except AlreadyDone as error:
        messages.info(request, str(error))
        return redirect(page.url)
    except ParticipationError as error:
        messages.error(request, str(error))
        return redirect(page.url)
    if result.outcome == services.SignResult.CHECK_EMAIL:
        return TemplateResponse(request, "petitions/petition_check_email.html", {"page": page, "self": page, "email": data.get("email", "")})
    if result.outcome == services.SignResult.REVIEW:
        messages.info(request, _("Thank you. Your signature will count once our staff have checked it."))
    else:
        messages.success(request, _("Thank you for signing. Your signature is counted."))
    return redirect(page.url)


def confirm(request, page, token):
    if request.method == "POST":
        try:
            services.confirm(page=page, token=token)
        except AlreadyDone as error:
            messages.info(request, str(error))
        except ParticipationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you. Your signature is confirmed and counted."))
        return redirect(page.url)
    signature = services.signature_for_token(page=page, token=token)
    context = {"page": page, "self": page, "signature": signature, "valid": signature is not None}
    return TemplateResponse(request, "petitions/petition_confirm.html", context)
