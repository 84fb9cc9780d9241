"""allauth as a municipality's site: log in by email, emails from the municipality in the citizen's language,
links to the public address (VECHE_BASE_URL), and never a username the citizen did not choose."""

from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from home.models import MunicipalitySettings
from participation.tasks import sender_address

from .models import Profile


def public_url(url):
    """`url` moved onto the public address: scheme and host from VECHE_BASE_URL, path and query kept."""
    base = urlsplit(getattr(settings, "VECHE_BASE_URL", ""))
    if not base.scheme or not base.netloc:
        return url
    parts = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def user_display(user):
    """What allauth shows for a person: the display name they chose, else their email address."""
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile and profile.display_name else "") or user.email


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

    # Emails ----------------------------------------------------------------------------------------------

    def format_email_subject(self, subject):
        return f"{MunicipalitySettings.load().name}: {subject}"

    def get_from_email(self):
        return sender_address()

    def send_mail(self, template_prefix, email, context):
        # allauth's templates name the "site": the municipality, at its public address (not the request's host).
        base = urlsplit(getattr(settings, "VECHE_BASE_URL", ""))
        context = {
            **context,
            "current_site": SimpleNamespace(name=MunicipalitySettings.load().name, domain=base.netloc or ""),
        }
        return super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return public_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return public_url(super().get_reset_password_from_key_url(key))
