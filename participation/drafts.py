"""Content a citizen authors becomes a draft child page in Wagtail's moderation workflow (DESIGN.md §4)."""

from django.db import transaction
from wagtail.users.models import UserProfile


def _silence_admin_notifications(user):
    """Wagtail's workflow emails link to the admin; citizens get our own emails instead."""
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications or profile.updated_comments_notifications:
        profile.approved_notifications = False
        profile.rejected_notifications = False
        profile.updated_comments_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications", "updated_comments_notifications"])


def create_citizen_draft(*, parent, page, author, submit_for_moderation=True):
    """Add `page` (a CitizenAuthoredPage, not saved yet) as a draft child of `parent`, authored by `author`.

    With `submit_for_moderation`, the page enters the workflow that applies to it (Wagtail's default
    "Moderators approval" unless editors chose another), so editors approve (publish), request changes or
    reject it with their usual tools. Returns the saved page.
    """
    with transaction.atomic():
        page.live = False
        page.has_unpublished_changes = True
        page.owner = None
        page.citizen_author = author
        parent.add_child(instance=page)
        revision = page.save_revision(user=author, log_action=True)
        if submit_for_moderation:
            submit_draft(page=page, author=author)
    return page, revision


def submit_draft(*, page, author):
    """Send an existing citizen draft (again) to moderation. Returns the workflow state or None."""
    workflow = page.get_workflow()
    if workflow is None or page.workflow_in_progress:
        return None
    _silence_admin_notifications(author)
    return workflow.start(page, author)
