from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .models import Profile


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        data = getattr(form, "cleaned_data", {})
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": data.get("display_name", ""),
                "settlement": data.get("settlement"),
                "language": translation.get_language() or "",
            },
        )
        return user

    def get_login_redirect_url(self, request):
        # Back to the home page in the language the citizen was using.
        return f"/{translation.get_language()}/"
