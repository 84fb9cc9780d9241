"""Petitions in every stage, made through the same services and workflow citizens and moderators use."""

import datetime

from django.utils import timezone
from wagtail.models import Site

from participation.models import VerificationLevel
from petitions import services
from petitions.models import PetitionIndexPage, PetitionPage, PetitionState, Signature, Stage
from tests.factories.users import CitizenFactory, ModeratorFactory

TEXT = "Общината да направи нещо полезно за жителите на селото."
WHY = "Защото жителите на селото го искат от много години и това е важно."


def petition_index(parent=None, **fields):
    parent = parent or Site.objects.get(is_default_site=True).root_page.specific
    defaults = {
        "title": "Петиции",
        "slug": "petitsii",
        "sponsors_required": 0,
        "signature_level": VerificationLevel.EMAIL,
        "threshold": 3,
        "collection_days": 30,
        "response_working_days": 10,
    }
    defaults.update(fields)
    existing = PetitionIndexPage.objects.child_of(parent).filter(slug=defaults["slug"]).first()
    if existing:
        return existing
    index = PetitionIndexPage(**defaults)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def draft(index, *, author=None, title="Нова детска площадка в Бреза", **kwargs):
    author = author or CitizenFactory()
    return services.create_draft(
        index=index, author=author, title=title, summary=kwargs.pop("summary", TEXT), background=kwargs.pop("background", WHY), **kwargs
    )


def approve(page, moderator=None):
    """Approve through Wagtail's moderation workflow, as a moderator does in the admin."""
    moderator = moderator or ModeratorFactory()
    task_state = page.current_workflow_task_state
    task_state.specific.approve(user=moderator)
    return PetitionPage.objects.get(pk=page.pk)


def request_changes(page, moderator=None, comment="Моля, уточнете мястото."):
    moderator = moderator or ModeratorFactory()
    page.current_workflow_task_state.specific.reject(user=moderator, comment=comment)
    return PetitionPage.objects.get(pk=page.pk)


def open_petition(index, **kwargs):
    return approve(draft(index, **kwargs))


def close(page, *, days_ago=1):
    """Move the petition's closing date into the past (as time passing would)."""
    closes = timezone.now() - datetime.timedelta(days=days_ago)
    PetitionState.objects.filter(page=page).update(closes_at=closes, opened_at=closes - datetime.timedelta(days=30))
    PetitionPage.objects.filter(pk=page.pk).update(closes_at=closes)
    return PetitionPage.objects.get(pk=page.pk)


def respond(page, *, decision="accepted", text="<p>Общината ще го направи до края на годината.</p>", editor=None):
    page = PetitionPage.objects.get(pk=page.pk)
    page.response_decision = decision
    page.response_text = text
    page.response_date = timezone.localdate()
    page.save_revision(user=editor).publish(user=editor)
    return PetitionPage.objects.get(pk=page.pk)


def bulk_signatures(page, count, settlements=(None,), start=0):
    """Counted signatures inserted directly (as an import would), then counters brought in line."""
    now = timezone.now()
    rows = [
        Signature(
            petition=page,
            name=f"Подписал {start + n}",
            email=f"s{start + n}-{page.pk}@example.org",
            settlement=settlements[n % len(settlements)],
            show_name=n % 3 == 0,
            confirmed_at=now,
        )
        for n in range(count)
    ]
    Signature.objects.bulk_create(rows, batch_size=2000)
    services.recount(petition_id=page.pk)


def state(page):
    return PetitionState.objects.get(page_id=page.pk)


__all__ = ["petition_index", "draft", "approve", "request_changes", "open_petition", "close", "respond", "bulk_signatures", "state", "Stage"]
