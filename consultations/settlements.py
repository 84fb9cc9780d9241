"""Records of consultations that name a settlement, for the shell's "merge settlements" (the core's hook,
participation.settlements): meetings held there, and questionnaire answers to a settlement question (stored
as the settlement's name, counted by name in the results)."""

from home.models import Settlement

from .models import ConsultationQuestion, Meeting, QuestionnaireAnswer, QuestionType


def _settlement_questions():
    """{canonical page id: {question names}} of every settlement question (any language version)."""
    names = {}
    for question in ConsultationQuestion.objects.filter(field_type=QuestionType.SETTLEMENT).select_related("page"):
        names.setdefault(question.page.canonical.pk, set()).add(question.clean_name)
    return names


def _answers_naming(name):
    for page_id, questions in _settlement_questions().items():
        for answer in QuestionnaireAnswer.objects.filter(page_id=page_id).iterator():
            found = [q for q in questions if answer.data.get(q) == name]
            if found:
                yield answer, found


def count_records(settlement_id):
    name = Settlement.objects.filter(pk=settlement_id).values_list("name", flat=True).first()
    answers = sum(1 for _answer in _answers_naming(name)) if name else 0
    return Meeting.objects.filter(settlement_id=settlement_id).count() + answers


def move_records(from_id, to_id):
    names = dict(Settlement.objects.filter(pk__in=[from_id, to_id]).values_list("pk", "name"))
    moved = Meeting.objects.filter(settlement_id=from_id).update(settlement_id=to_id)
    for answer, questions in list(_answers_naming(names[from_id])):
        answer.data.update({question: names[to_id] for question in questions})
        answer.save(update_fields=["data"])
        moved += 1
    return moved
