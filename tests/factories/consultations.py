"""Consultations for tests: pages with a draft text, comments, meetings and polls."""

import datetime
import uuid

from django.utils import timezone
from wagtail.models import Site

from consultations.models import (
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationQuestion,
    Meeting,
    MeetingProposal,
    Poll,
    PollChoice,
)

PARAGRAPHS = [
    ("Чл. 1", "Наредбата урежда опазването на обществените паркове."),
    ("Чл. 2", "Паркингът в парковете е забранен."),
    ("Чл. 3", "Кучетата се разхождат на повод."),
]


def draft_blocks(paragraphs=PARAGRAPHS, section="Общи положения"):
    blocks = [{"type": "section", "value": {"heading": section}, "id": str(uuid.uuid4())}]
    for label, text in paragraphs:
        blocks.append({"type": "paragraph", "value": {"label": label, "text": f"<p>{text}</p>"}, "id": str(uuid.uuid4())})
    return blocks


def consultation_index(parent=None, slug="konsultatsii"):
    parent = parent or Site.objects.get(is_default_site=True).root_page.specific
    existing = ConsultationIndexPage.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    index = ConsultationIndexPage(title="Консултации", slug=slug)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def consultation(index=None, *, phase="open", slug=None, questions=False, **fields):
    """A published consultation. `phase`: upcoming, open or closed (dates relative to now)."""
    index = index or consultation_index()
    now = timezone.now()
    opens, closes = {
        "upcoming": (now + datetime.timedelta(days=5), now + datetime.timedelta(days=40)),
        "open": (now - datetime.timedelta(days=5), now + datetime.timedelta(days=30)),
        "closed": (now - datetime.timedelta(days=40), now - datetime.timedelta(days=5)),
    }[phase]
    defaults = {
        "title": "Наредба за парковете",
        "slug": slug or f"naredba-{uuid.uuid4().hex[:8]}",
        "summary": "Нови правила за парковете.",
        "question": "Съгласни ли сте?",
        "opens_at": opens,
        "closes_at": closes,
        "draft": draft_blocks(),
    }
    defaults.update(fields)
    page = ConsultationPage(**defaults)
    index.add_child(instance=page)
    if questions:
        for order, (label, kind, choices, required) in enumerate(QUESTIONS):
            ConsultationQuestion.objects.create(page=page, sort_order=order, label=label, field_type=kind, choices=choices, required=required)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


QUESTIONS = [
    ("Колко често ходите в парка?", "radio", "Всеки ден\nВсяка седмица\nРядко", True),
    ("Какво липсва?", "checkboxes", "Пейки\nЧешми\nОсветление", False),
    ("Оценка на поддръжката", "scale", "", True),
    ("Населено място", "settlement", "", False),
    ("Други предложения", "multiline", "", False),
]


def paragraph_ids(page):
    return [block.id for block in page.draft if block.block_type == "paragraph"]


def comment(page, author, *, paragraph=0, body="Предлагам промяна.", **fields):
    ids = paragraph_ids(page)
    paragraph_id = "" if paragraph is None else ids[paragraph]
    return Comment.objects.create(page=page, author=author, paragraph_id=paragraph_id, body=body, **fields)


def meeting(page, **fields):
    defaults = {
        "title": "Обществено обсъждане",
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "address": "пл. „Съединение“ 1",
        "location": "SRID=4326;POINT(25.6345 42.4258)",
    }
    defaults.update(fields)
    return Meeting.objects.create(page=page, **defaults)


def meeting_proposal(meeting_obj, text="Повече пейки.", **fields):
    return MeetingProposal.objects.create(meeting=meeting_obj, text=text, **fields)


def poll(question="Кое е най-важно?", choices=("Осветление", "Алеи", "Чешми"), *, days=7, **fields):
    obj = Poll(question=question, closes_at=timezone.now() + datetime.timedelta(days=days), **fields)
    obj.choices = [PollChoice(text=text, sort_order=i) for i, text in enumerate(choices)]
    obj.save()
    return obj
