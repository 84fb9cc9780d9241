"""A settlement that records use cannot be deleted (settings form and database); it can be merged into
another through a service that keeps every count right (issue 9, section 3)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.models import profile_for
from budgets.models import Ballot
from consultations.models import QuestionnaireAnswer
from home import services
from home.models import MunicipalitySettings, Settlement
from petitions.models import PetitionPage, Signature, SignatureTally
from tests.factories import consultations as consult
from tests.factories.budgets import budget_page
from tests.factories.petitions import bulk_signatures, open_petition, petition_index
from tests.factories.site import municipality
from tests.factories.users import CitizenFactory, EditorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def settlements(locales):
    return list(municipality().settlements.order_by("sort_order"))


def _settings_form(settings_obj, delete=()):
    form_class = MunicipalitySettings.edit_handler.bind_to_model(MunicipalitySettings).get_form_class()
    rows = [
        {"id": s.pk, "name": s.name, "kind": s.kind, "population": "", "ORDER": i, "DELETE": "1" if s in delete else ""}
        for i, s in enumerate(settings_obj.settlements.order_by("sort_order"))
    ]
    data = nested_form_data(
        {
            "name": settings_obj.name,
            "country": settings_obj.country,
            "petition_threshold": 300,
            "petition_collection_days": 60,
            "petition_response_working_days": 10,
            "consultation_min_days": 30,
            "consultation_min_days_reasoned": 14,
            "settlements": inline_formset(rows, initial=len(rows)),
        }
    )
    return form_class(data, instance=settings_obj, for_user=EditorFactory())


def test_settings_refuse_to_delete_a_settlement_with_signatures(home_page, settlements):
    petition = open_petition(petition_index(home_page))
    bulk_signatures(petition, 10, settlements=[settlements[1]])
    settings_obj = MunicipalitySettings.load()
    form = _settings_form(settings_obj, delete=[settlements[1]])
    assert not form.is_valid()
    assert "Бреза" in str(form.non_field_errors()) and "10" in str(form.non_field_errors())
    assert Settlement.objects.filter(pk=settlements[1].pk).exists()
    call_command("verify_counts")  # nothing was deleted, nothing differs


def test_settings_delete_a_settlement_nobody_uses(home_page, settlements):
    settings_obj = MunicipalitySettings.load()
    form = _settings_form(settings_obj, delete=[settlements[2]])
    assert form.is_valid(), form.errors
    form.save()
    assert not Settlement.objects.filter(pk=settlements[2].pk).exists()


def test_the_database_refuses_to_delete_a_settlement_in_use(home_page, settlements):
    used = {
        "signature": lambda s: bulk_signatures(open_petition(petition_index(home_page)), 1, settlements=[s]),
        "ballot": lambda s: Ballot.objects.create(budget=budget_page(home_page), settlement=s),
        "meeting": lambda s: consult.meeting(consult.consultation(consult.consultation_index(home_page)), settlement=s),
        "profile": lambda s: Settlement.objects.none() or _profile_in(s),
    }
    for kind, make in used.items():
        settlement = Settlement.objects.create(municipality=MunicipalitySettings.load(), name=f"С {kind}")
        make(settlement)
        with pytest.raises(ProtectedError), transaction.atomic():
            settlement.delete()


def _profile_in(settlement):
    profile = profile_for(CitizenFactory())
    profile.settlement = settlement
    profile.save()


def test_merge_moves_every_record_and_keeps_every_count(home_page, settlements):
    zornitsa, breza, lipovo = settlements
    petitions = [open_petition(petition_index(home_page), title=f"Петиция {n}") for n in range(2)]
    for petition in petitions:
        bulk_signatures(petition, 10, settlements=[breza, zornitsa], start=petition.pk * 100)
    budget = budget_page(home_page)
    Ballot.objects.create(budget=budget, settlement=breza)
    citizen = CitizenFactory()
    _profile_in(breza)
    profile = profile_for(citizen)
    profile.settlement = breza
    profile.save()
    page = consult.consultation(consult.consultation_index(home_page), questions=True)
    meeting = consult.meeting(page, settlement=breza)
    question = page.questions.get(field_type="settlement").clean_name
    QuestionnaireAnswer.objects.create(page=page, respondent="u1", data={question: "Бреза"})
    budget.settlements = [breza, zornitsa]
    budget.save()
    petitions[0].settlements = [breza]
    petitions[0].save()

    moved = services.merge_settlements(source=breza, target=zornitsa, actor=EditorFactory())

    assert not Settlement.objects.filter(pk=breza.pk).exists()
    assert Signature.objects.filter(settlement=zornitsa).count() == 20
    assert not SignatureTally.objects.filter(settlement_key=breza.pk).exists()
    for petition in petitions:
        by_settlement = SignatureTally.objects.by_settlement(petition.pk)
        assert by_settlement[zornitsa.pk] == 10 and breza.pk not in by_settlement
    call_command("verify_counts")
    assert Ballot.objects.get(budget=budget).settlement == zornitsa
    profile.refresh_from_db()
    meeting.refresh_from_db()
    assert profile.settlement == zornitsa and meeting.settlement == zornitsa
    assert QuestionnaireAnswer.objects.get(page=page).data[question] == "Зорница"
    assert list(type(budget).objects.get(pk=budget.pk).settlements.all()) == [zornitsa]
    assert list(PetitionPage.objects.get(pk=petitions[0].pk).settlements.all()) == [zornitsa]
    # signatures, ballot, profiles, meeting and answer, the petition page (the budget was for both already)
    assert sum(moved.values()) == 10 + 1 + 2 + 2 + 1
    assert lipovo.pk in Settlement.objects.values_list("pk", flat=True)


def test_merge_screen_for_editors_only(client, home_page, settlements):
    client.force_login(CitizenFactory())
    assert client.get("/admin/settlements/merge/").status_code in (302, 403)
    client.force_login(EditorFactory())
    response = client.get("/admin/settlements/merge/")
    assert response.status_code == 200 and "Бреза" in response.content.decode()
    response = client.post(
        "/admin/settlements/merge/", {"source": settlements[2].pk, "target": settlements[0].pk, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Settlement.objects.filter(pk=settlements[2].pk).exists()
