"""A citizen's profile next to Django's user (allauth handles the account itself)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown next to what you publish, for example your first name and the initial of your surname."),
    )
    settlement = models.ForeignKey(
        "home.Settlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("settlement"),
    )
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    notify_updates = models.BooleanField(
        _("email me about things I take part in"),
        default=True,
        help_text=_("For example when a petition you signed gets a response. Never more than one email a day."),
    )
    resident_verified_at = models.DateTimeField(_("resident verified"), null=True, blank=True)
    resident_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resident verified by"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.public_name

    @property
    def email(self):
        return self.user.email

    @property
    def public_name(self):
        return self.display_name or _("Citizen")


def profile_for(user):
    """The user's profile, created on first use (for accounts made outside the sign-up form)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile
