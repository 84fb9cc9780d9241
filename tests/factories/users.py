import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Profile

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        user.save()
        if extracted is not False:
            EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


class CitizenFactory(UserFactory):
    @factory.post_generation
    def profile(user, create, extracted, **kwargs):
        Profile.objects.get_or_create(user=user, defaults={"display_name": f"Citizen {user.pk}", **kwargs})


def UnverifiedCitizenFactory(**kwargs):  # noqa: N802 (reads like the other factories)
    """A citizen who signed up but never confirmed their email address."""
    return CitizenFactory(verified=False, **kwargs)


def _group(name):
    return Group.objects.get(name=name)


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(_group("Editors"))


class ModeratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"moderator{n}")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(_group("Moderators"))


class OfficeStaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"office{n}")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(_group("Office staff"))


class NGOPublisherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"ngo{n}")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(_group("NGO publishers"))
