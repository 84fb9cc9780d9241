"""Demo users: an editor, a moderator and an NGO publisher in their groups, and two citizens, all with confirmed
email addresses and profiles. Loaded after `home.demo` (it needs the settlements)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from home.models import MunicipalitySettings

from .models import Profile

DEMO_USERS = [
    # role, email, password, group, display name, settlement index
    ("editor", "editor@zornitsa.example", "demo-editor-2026", "Editors", "Мария Петрова", 0),
    ("moderator", "moderator@zornitsa.example", "demo-moderator-2026", "Moderators", "Георги Иванов", 0),
    ("NGO publisher", "ngo@zornitsa.example", "demo-ngo-2026", "NGO publishers", "Сдружение „Зелена Зорница“", 0),
    ("citizen", "citizen@zornitsa.example", "demo-citizen-2026", None, "Елена Д.", 1),
    ("citizen", "citizen2@zornitsa.example", "demo-citizen2-2026", None, "Олександр К.", 4),
]
DEMO_LOGINS = [(role, email, password) for role, email, password, *_rest in DEMO_USERS]


def load(stdout):
    _users(MunicipalitySettings.load())
    stdout.write("Accounts: demo staff and citizens.")


def _users(municipality):
    User = get_user_model()
    settlements = list(municipality.settlements.order_by("sort_order"))
    ngo_group, created = Group.objects.get_or_create(name="NGO publishers")
    if created:
        ngo_group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for role, email, password, group_name, display_name, settlement_index in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(username=email.split("@")[0], email=email, password=password)
            if role == "editor":
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
