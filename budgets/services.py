"""Every write a citizen or member of staff causes in a budget cycle (DESIGN.md §3, §5).

Views decide with the app's rules (budgets/rules.py); the services check the phase (with their own `now`) and
eligibility again, as defence in depth, with the same messages (the requirements of rules.py).
"""

import csv
import hashlib
import hmac
import io
import secrets
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log

from home.models import Settlement
from participation.drafts import create_citizen_draft
from participation.exceptions import AlreadyDone, NotAllowed, ParticipationError, PhaseClosed
from participation.i18n import email_language
from participation.rules import check_requirements
from participation.services import once
from participation.tasks import queue_email

from .counting import ballot_rules
from .models import Ballot, BallotChange, BallotChoice, BudgetPage, BudgetPhase, BudgetResult, Channel, Feasibility, ProposalPage
from .queries import ballot_projects, settlement_ids
from .results import compute
from .rules import ELIGIBLE


class InvalidBallot(ParticipationError):
    """The choices break the cycle's ballot rule; `errors` lists every problem."""

    def __init__(self, errors):
        super().__init__(errors[0], code="invalid_ballot")
        self.errors = errors


def _identity_voted():
    return AlreadyDone(_("A ballot has already been recorded for this person, online or on paper."), code="identity_voted")


# --- identity of paper and assisted voters -----------------------------------------------------------------


def _normalise(text):
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return " ".join(text.split())


def identity_hash(*, name, settlement_id, document):
    """A keyed hash of a voter's name, settlement and document number; the clear values are never stored."""
    document = "".join(ch for ch in _normalise(document) if ch.isalnum())
    name = _normalise(name)
    if not name or not document or not settlement_id:
        raise NotAllowed(_("Give the voter's full name, settlement and document number."), code="identity_required")
    key = getattr(settings, "VECHE_IDENTITY_KEY", "") or settings.SECRET_KEY
    message = f"{name}|{settlement_id}|{document}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


# --- proposals ---------------------------------------------------------------------------------------------


def _lock_budget(budget):
    return BudgetPage.objects.select_for_update().get(pk=budget.canonical.pk)


def submit_proposal(*, budget, author, title, summary, description, estimated_cost, category=None,
                    whole_municipality=False, address="", location="", co_authors="", photo=None, now=None):
    """A citizen proposes a project: a draft ProposalPage under the cycle, sent to moderation.

    The per-citizen limit is checked under a lock on the cycle's row; a resent form returns the first draft.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_budget(budget)
        if locked.budget_phase(now) != BudgetPhase.PROPOSALS:
            raise PhaseClosed(_("Proposals for this budget are not open now."), code="phase")
        check_requirements(author, locked, ELIGIBLE, code="not_eligible")  # defence in depth: the rule's own words
        mine = ProposalPage.objects.child_of(locked).filter(citizen_author=author)
        duplicate = mine.filter(title=title, latest_revision_created_at__gte=now - timezone.timedelta(minutes=10)).first()
        if duplicate:
            return duplicate
        if mine.count() >= locked.proposals_per_citizen:
            raise NotAllowed(
                _("You have already proposed %(count)s projects in this cycle, the most allowed.")
                % {"count": locked.proposals_per_citizen},
                code="limit",
            )
        if category is not None and category.page_id != locked.pk:
            raise NotAllowed(_("Choose one of this budget's categories."), code="category")
        image = None
        if photo is not None:
            image = get_image_model()(title=title[:255], file=photo)
            image.save()
        slug = (slugify(title, allow_unicode=True)[:60].strip("-") or "proekt") + "-" + secrets.token_hex(3)
        page = ProposalPage(
            title=title,
            slug=slug,
            summary=summary,
            description=description,
            category=category,
            estimated_cost=estimated_cost,
            whole_municipality=whole_municipality,
            address=address,
            location=location,
            co_authors=co_authors,
            photo=image,
            locale_id=locked.locale_id,
        )
        page, _revision = create_citizen_draft(parent=locked, page=page, author=author)
        queue_email(
            to=[author.email],
            template="budgets/proposal_received",
            context={"title": title, "budget": locked.title},
            language=email_language(user=author, page=locked),
        )
    return page


def review_proposal(*, proposal, feasibility, reason, final_cost, actor):
    """Editors mark a proposal feasible or not, with a public reason and a final cost; the author is emailed."""
    feasibility = Feasibility(feasibility)
    reason = (reason or "").strip()
    if feasibility == Feasibility.NOT_FEASIBLE and not reason:
        raise NotAllowed(_("Give a public reason when a proposal is not feasible."), code="reason_required")
    if feasibility == Feasibility.FEASIBLE and final_cost is None:
        raise NotAllowed(_("Give the final cost of a feasible proposal."), code="cost_required")
    with transaction.atomic():
        page = ProposalPage.objects.select_for_update().get(pk=proposal.pk)
        page = page.get_latest_revision_as_object() if page.has_unpublished_changes and page.live else page
        page.feasibility = feasibility
        page.feasibility_reason = reason
        page.final_cost = final_cost
        refusal = page.ballot_refusal()
        if refusal:
            raise NotAllowed(refusal, code="ballot_fixed")
        revision = page.save_revision(user=actor, log_action=True)
        if page.live:
            # Who may review is decided by budgets.review_proposal (the admin view checks it).
            revision.publish(user=actor, skip_permission_checks=True)
        author = page.citizen_author
        if author is not None:
            queue_email(
                to=[author.email],
                template="budgets/proposal_reviewed",
                context={
                    "title": page.title,
                    "feasible": feasibility == Feasibility.FEASIBLE,
                    "reason": reason,
                    "final_cost": final_cost,
                    "currency": page.get_parent().specific.currency,
                    "url": page.full_url or "",
                },
                language=email_language(user=author, page=page),
            )
    return ProposalPage.objects.get(pk=proposal.pk)


# --- ballots -----------------------------------------------------------------------------------------------


def projects_for_ids(budget, project_ids):
    """The ballot's projects for these ids; any id that is not on this cycle's ballot is refused."""
    try:
        wanted = {int(pk) for pk in project_ids}
    except (TypeError, ValueError):
        raise NotAllowed(_("That ballot contains a project that is not on this ballot."), code="foreign_project")
    on_ballot = {project.pk: project for project in ballot_projects(budget)}
    if not wanted <= set(on_ballot):
        raise NotAllowed(_("That ballot contains a project that is not on this ballot."), code="foreign_project")
    return [on_ballot[pk] for pk in sorted(wanted)]


def _check_voting_open(budget, now):
    if budget.budget_phase(now) != BudgetPhase.VOTING:
        raise PhaseClosed(_("Voting in this budget is not open now."), code="phase")


def cast_ballot(*, budget, voter, project_ids, token="", identity=None, now=None):
    """Cast (or, when the cycle allows it, change) a citizen's online ballot.

    One ballot per person per cycle: the database constraint is the guard, a race ends with one ballot and
    the same kind message. Resending the same submission returns the first result. Returns (ballot, changed).
    """
    now = now or timezone.now()
    budget = budget.canonical
    _check_voting_open(budget, now)
    check_requirements(voter, budget, ELIGIBLE, code="not_eligible")
    projects = projects_for_ids(budget, project_ids)
    errors = ballot_rules.validate(budget, projects)
    if errors:
        raise InvalidBallot(errors)
    existing = Ballot.objects.filter(budget=budget, author=voter).first()
    if existing is not None:
        return _change_ballot(budget, existing, projects, token, now), True
    digest = ""
    if budget.identity_check:
        digest = identity_hash(**(identity or {}))
        if Ballot.objects.filter(budget=budget, identity_hash=digest).exists():
            raise _identity_voted()
    profile = getattr(voter, "profile", None)
    try:
        with once(_("You have already voted in this budget."), code="already_voted"):
            ballot = Ballot.objects.create(
                budget=budget,
                author=voter,
                channel=Channel.ONLINE,
                identity_hash=digest,
                settlement_id=profile.settlement_id if profile else None,
                submission_token=token or "",
                created_at=now,
                updated_at=now,
            )
            BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, project=project) for project in projects])
    except AlreadyDone:
        # Another tab, another request: the first ballot wins; the same submission gets it back.
        first = Ballot.objects.filter(budget=budget, author=voter).first()
        if first is not None and token and first.submission_token == token:
            return first, False
        if first is None:
            raise _identity_voted() from None
        raise
    return ballot, False


def _change_ballot(budget, existing, projects, token, now):
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=existing.pk)
        if token and ballot.submission_token == token:
            return ballot  # the same submission again: nothing changes
        if not budget.allow_ballot_changes:
            raise AlreadyDone(_("You have already voted in this budget, and ballots cannot be changed."), code="already_voted")
        previous = sorted(ballot.choices.values_list("project_id", flat=True))
        BallotChange.objects.create(ballot=ballot, version=ballot.version, project_ids=previous, changed_at=now)
        ballot.choices.all().delete()
        BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, project=project) for project in projects])
        ballot.version += 1
        ballot.updated_at = now
        ballot.submission_token = token or ""
        ballot.save(update_fields=["version", "updated_at", "submission_token"])
    return ballot


def _paper_entry_open(budget, now):
    phase = budget.budget_phase(now)
    if phase not in (BudgetPhase.VOTING, BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION):
        raise PhaseClosed(_("Paper ballots can be entered from the start of voting."), code="phase")
    if BudgetResult.objects.filter(budget=budget).exists():
        raise PhaseClosed(_("The results are published; no more ballots can be entered."), code="published")


def enter_paper_ballot(*, budget, actor, name, settlement_id, document, project_ids, channel=Channel.PAPER, now=None):
    """Staff enter a paper or assisted ballot against the voter's hashed identity; the entry is logged."""
    now = now or timezone.now()
    budget = budget.canonical
    _paper_entry_open(budget, now)
    allowed = settlement_ids(budget)
    if allowed and int(settlement_id or 0) not in allowed:
        raise NotAllowed(_("The voter's settlement is not part of this budget."), code="not_eligible")
    digest = identity_hash(name=name, settlement_id=settlement_id, document=document)
    projects = projects_for_ids(budget, project_ids)
    errors = ballot_rules.validate(budget, projects)
    if errors:
        raise InvalidBallot(errors)
    if Ballot.objects.filter(budget=budget, identity_hash=digest).exists():
        raise _identity_voted()
    with once(_("A ballot has already been recorded for this person, online or on paper."), code="identity_voted"):
        ballot = Ballot.objects.create(
            budget=budget,
            author=None,
            channel=Channel(channel),
            identity_hash=digest,
            settlement_id=settlement_id,
            entered_by=actor,
            created_at=now,
            updated_at=now,
        )
        BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, project=project) for project in projects])
        log(
            instance=ballot,
            action="veche.budgets.paper_ballot",
            user=actor,
            data={"budget": budget.pk, "channel": ballot.channel, "receipt": ballot.receipt_code},
        )
    return ballot


CSV_COLUMNS = ("name", "settlement", "document", "projects")


def import_paper_ballots(*, budget, actor, file, channel=Channel.PAPER, now=None):
    """Import paper ballots from a CSV file (name, settlement, document, projects separated by spaces or commas).

    Every valid row becomes a ballot; every other row is reported with its line number and the reason.
    Returns {"accepted": n, "rejected": [(line, reason), ...]}.
    """
    budget = budget.canonical
    max_bytes = settings.VECHE_MAX_UPLOAD_BYTES
    raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise NotAllowed(_("The file is too large."), code="too_large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotAllowed(_("Save the file as CSV in UTF-8 and try again."), code="encoding")
    _paper_entry_open(budget, now or timezone.now())
    settlements = {_normalise(s.name): s.pk for s in Settlement.objects.all()}
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(_normalise(h)) for h in (reader.fieldnames or [])]
    if not set(CSV_COLUMNS) <= set(header):
        raise NotAllowed(
            _("The file needs the columns %(columns)s.") % {"columns": ", ".join(CSV_COLUMNS)}, code="columns"
        )
    reader.fieldnames = header
    accepted = 0
    rejected = []
    for line, row in enumerate(reader, start=2):
        settlement_id = settlements.get(_normalise(row.get("settlement")))
        if settlement_id is None:
            rejected.append((line, _("Unknown settlement “%(name)s”.") % {"name": row.get("settlement") or ""}))
            continue
        ids = [part for part in (row.get("projects") or "").replace(",", " ").replace(";", " ").split() if part]
        try:
            enter_paper_ballot(
                budget=budget,
                actor=actor,
                name=row.get("name"),
                settlement_id=settlement_id,
                document=row.get("document"),
                project_ids=ids,
                channel=channel,
                now=now,
            )
        except ParticipationError as error:
            rejected.append((line, str(error)))
            continue
        accepted += 1
    return {"accepted": accepted, "rejected": rejected}


# --- results -----------------------------------------------------------------------------------------------


def publish_results(*, budget, rule, actor, now=None):
    """Editors publish the result of the chosen rule once voting has closed. Returns the BudgetResult."""
    now = now or timezone.now()
    budget = budget.canonical
    if budget.budget_phase(now) not in (BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION):
        raise PhaseClosed(_("Results can be published once voting has closed."), code="phase")
    with transaction.atomic():
        BudgetPage.objects.select_for_update().get(pk=budget.pk)
        if BudgetResult.objects.filter(budget=budget).exists():
            raise AlreadyDone(_("The results of this budget are already published."), code="published")
        data = compute(budget, rule)
        result = BudgetResult.objects.create(budget=budget, rule=rule, data=data, published_by=actor, computed_at=now)
        log(instance=budget, action="veche.budgets.publish_results", user=actor, data={"rule": str(rule)})
    return result
