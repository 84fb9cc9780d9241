import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import DeleteAccountForm, ProfileForm
from .models import profile_for
from .services import delete_account, export_personal_data


@login_required
def profile(request):
    profile = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            profile = form.save()
            target = translate_url(request.path, profile.language)
            translation.activate(profile.language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect(target)
            response.set_cookie("django_language", profile.language, samesite="Lax", max_age=365 * 24 * 3600)
            return response
    else:
        form = ProfileForm(instance=profile, initial={"language": profile.language or translation.get_language()})
    return render(request, "accounts/profile.html", {"form": form, "profile": profile})


@login_required
@require_POST
def download_data(request):
    """Everything we store about the citizen, as a JSON file (POST so that no link can trigger it)."""
    data = export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"veche-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user=user)
        messages.success(request, _("Your account has been deleted. What you signed or voted stays counted, without your name."))
        return redirect(f"/{translation.get_language()}/")
    return render(request, "accounts/delete.html", {"form": form})
