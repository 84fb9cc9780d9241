from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .models import profile_for


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
