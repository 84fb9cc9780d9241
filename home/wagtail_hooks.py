"""Registration only: the site shell fills the core's hooks."""

import re
from email.utils import parseaddr

from django.conf import settings
from wagtail import hooks

from participation.tasks import SENDER_HOOK

from .models import MunicipalitySettings


@hooks.register(SENDER_HOOK)
def municipality_sender():
    """Every email comes from the municipality by name, from the sender address in its settings."""
    municipality = MunicipalitySettings.load()
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = municipality.name or default_name
    address = municipality.sender_email or default_address
    if not name:
        return address
    if re.search(r'[,;:"<>()\[\]@\\]', name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # Django encodes a non-ASCII display name itself when it sends the message.
    return f"{name} <{address}>"
