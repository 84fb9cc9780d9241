"""What a citizen can do with their own data (GDPR): download it, or delete the account.

Both work for every participation app without a registry: every concrete `Contribution` model and every
`CitizenAuthoredPage` type is found through the app registry.
"""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from participation.models import CitizenAuthoredPage, Contribution
from participation.services import anonymise

from .models import profile_for


def contribution_models():
    return [model for model in apps.get_models() if issubclass(model, Contribution)]


def authored_page_models():
    return [model for model in apps.get_models() if issubclass(model, CitizenAuthoredPage)]


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _record(instance):
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("moderated_by",):
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def export_personal_data(user):
    """Everything Veche stores about `user`, as plain JSON-ready data."""
    profile = profile_for(user)
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _plain(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in user.emailaddress_set.all()
            ],
        },
        "profile": {
            "display_name": profile.display_name,
            "settlement": profile.settlement.name if profile.settlement else None,
            "language": profile.language,
            "notify_updates": profile.notify_updates,
            "resident_verified_at": _plain(profile.resident_verified_at),
        },
        "contributions": {},
        "authored_pages": [],
    }
    for model in contribution_models():
        records = [_record(record) for record in model.objects.filter(author=user).order_by("pk")]
        if records:
            data["contributions"][model._meta.label] = records
    for model in authored_page_models():
        for page in model.objects.filter(citizen_author=user).order_by("pk"):
            data["authored_pages"].append(
                {"type": model._meta.label, "title": page.title, "url": page.url, "live": page.live}
            )
    return data


def delete_account(*, user):
    """Delete the account; every contribution stays counted, anonymised; authored pages stay, unsigned."""
    User = get_user_model()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        for model in contribution_models():
            anonymise(queryset=model.objects.filter(author=locked))
        for model in authored_page_models():
            model.objects.filter(citizen_author=locked).update(citizen_author=None)
        log(instance=locked, action="veche.account.delete", data={"user_id": locked.pk})
        locked.delete()
