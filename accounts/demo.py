"""Demo users: an editor, a moderator, office staff and an NGO publisher, each an ordinary member of their group
(participation/roles.py), two citizens, and an administrator (superuser), all with confirmed email addresses and
profiles. Loaded after `home.demo` (it needs the settlements)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from home.models import MunicipalitySettings

from .models import Profile

DEMO_USERS = [
    # role, email, password, group, display name, settlement index
    ("editor", "editor@zornitsa.example", "demo-editor-2026", "Editors", "Мария Петрова", 0),
    ("moderator", "moderator@zornitsa.example", "demo-moderator-2026", "Moderators", "Георги Иванов", 0),
    ("office staff", "office@zornitsa.example", "demo-office-2026", "Office staff", "Петя Колева", 0),
    ("NGO publisher", "ngo@zornitsa.example", "demo-ngo-2026", "NGO publishers", "Сдружение „Зелена Зорница“", 0),
    ("citizen", "citizen@zornitsa.example", "demo-citizen-2026", None, "Елена Д.", 1),
    ("citizen", "citizen2@zornitsa.example", "demo-citizen2-2026", None, "Олександр К.", 4),
    # For the person who runs the site: every permission. Staff above are ordinary members of their groups.
    ("administrator", "admin@zornitsa.example", "demo-admin-2026", None, "Администратор", 0),
]
DEMO_LOGINS = [(role, email, password) for role, email, password, *_rest in DEMO_USERS]


def load(stdout):
    _users(MunicipalitySettings.load())
    stdout.write("Accounts: demo staff and citizens.")


def _users(municipality):
    User = get_user_model()
    settlements = list(municipality.settlements.order_by("sort_order"))
    for role, email, password, group_name, display_name, settlement_index in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(username=email.split("@")[0], email=email, password=password)
            if role == "administrator":
                user.is_superuser = True
                user.is_staff = True
                user.save()
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        Profile.objects.get_or_create(
            user=user,
            defaults={"display_name": display_name, "settlement": settlements[settlement_index], "language": "bg"},
        )
