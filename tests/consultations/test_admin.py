"""The admin: statutory minimum period on publish, the comment moderation listing (flagged first, shared
moderation action, export), decisions with bulk actions, the report, answers with export, the Consultations
menu group."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from consultations import services
from consultations.models import Comment, ConsultationPage, QuestionnaireAnswer, ReportPublication
from participation import services as core
from tests.factories.consultations import comment, consultation, meeting, meeting_proposal
from tests.factories.users import CitizenFactory, UserFactory
from tests.helpers import assert_queries_constant

pytestmark = pytest.mark.django_db


def _edit_data(page, opens, closes, reason="", publish=True):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "question": page.question,
            "introduction": rich_text(""),
            "topics": "",
            "draft": streamfield(
                [("paragraph", {"label": "Чл. 1", "text": rich_text("<p>Текст</p>")})]
            ),
            "documents": streamfield([]),
            "extra": streamfield([]),
            "opens_at": opens.strftime("%Y-%m-%d %H:%M"),
            "closes_at": closes.strftime("%Y-%m-%d %H:%M"),
            "shortened_period_reason": reason,
            "verification_level": "account",
            "moderation_mode": "post",
            "questionnaire_intro": "",
            "questions": inline_formset([]),
            "report_due_days": 30,
            "report_summary": rich_text(""),
            "final_text_changes": rich_text(""),
            "seo_title": "",
            "search_description": "",
            "slug": page.slug,
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


@pytest.mark.parametrize(
    "days,reason,published",
    [(30, "", True), (20, "", False), (20, "Спешна промяна в закона.", True), (10, "Спешно.", False)],
)
def test_publishing_requires_the_statutory_period_or_a_reason(client, index, days, reason, published):
    page = consultation(index, phase="upcoming")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    opens = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    closes = opens + datetime.timedelta(days=days)
    before = page.latest_revision_id
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), _edit_data(page, opens, closes, reason))
    page = ConsultationPage.objects.get(pk=page.pk)
    if published:
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert page.closes_at == closes and page.shortened_period_reason == reason
    else:
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "closes_at" in errors or "shortened_period_reason" in errors
        assert page.latest_revision_id == before and page.closes_at != closes


def test_saving_a_draft_with_a_short_period_is_allowed(client, index, editor):
    page = consultation(index, phase="upcoming")
    client.force_login(editor)
    opens = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), _edit_data(page, opens, opens + datetime.timedelta(days=5), publish=False)
    )
    assert response.status_code == 302


def test_reason_is_shown_publicly(client, index):
    page = consultation(index, shortened_period_reason="Спешна промяна в закона.")
    assert "Спешна промяна в закона." in client.get(page.url).content.decode()


COMMENTS = "consultation_comments:index"


def _download(client, url):
    """The bytes of a listing's export (Wagtail streams CSV, sends XLSX at once)."""
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_moderation_queue_flagged_first_and_actions_logged(client, index, moderator):
    page = consultation(index)
    plain = comment(page, CitizenFactory(), body="Обикновен")
    flagged = comment(page, CitizenFactory(), body="Докладван")
    services.flag_comment(comment=flagged, user=CitizenFactory())
    client.force_login(moderator)
    url = reverse(COMMENTS)
    html = client.get(url).content.decode()
    assert html.index("Докладван") < html.index("Обикновен")
    flagged_only = client.get(url + "?flagged=true").content.decode()
    assert "Докладван" in flagged_only and "Обикновен" not in flagged_only
    exported = _download(client, url + f"?page={page.pk}&export=csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert len(rows) == 3 and rows[1][4] == "Докладван" and rows[1][7] == "1" and rows[2][4] == "Обикновен"
    # Hiding without a reason is refused; with a reason it is done, logged, and the flags are resolved.
    moderate = reverse("consultation_comments:moderate", args=[flagged.pk])
    client.post(moderate, {"status": "hidden", "reason": ""})
    flagged.refresh_from_db()
    assert flagged.moderation_status == "published"
    for item in (flagged, plain):
        response = client.post(reverse("consultation_comments:moderate", args=[item.pk]), {"status": "hidden", "reason": "Спам"})
        assert response.status_code == 302
    assert set(Comment.objects.values_list("moderation_status", flat=True)) == {"hidden"}
    assert ModelLogEntry.objects.filter(action="veche.moderation.hide").count() == 2
    assert not flagged.flag_rows.filter(resolved=False).exists()


def test_moderate_several_comments_with_one_decision(client, index, moderator, citizen):
    """The core's bulk action: flagged and waiting comments, one decision and one reason, all or none."""
    page = consultation(index)
    waiting = comment(page, CitizenFactory(), body="Чака", moderation_status="pending")
    flagged = comment(page, CitizenFactory(), body="Докладван")
    services.flag_comment(comment=flagged, user=CitizenFactory())
    settled = comment(page, CitizenFactory(), body="Без сигнал")
    url = reverse("consultation_comments:bulk_moderate")
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    client.force_login(moderator)
    assert url in client.get(reverse(COMMENTS)).content.decode()  # "Moderate several" in the listing's header
    html = client.get(url).content.decode()
    assert html.index("Докладван") < html.index("Чака") and "Без сигнал" not in html
    refused = client.post(url, {"selected": [waiting.pk, flagged.pk], "status": "hidden", "reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    response = client.post(url, {"selected": [waiting.pk, flagged.pk], "status": "hidden", "reason": "Обиден език"})
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "moderation_status"))
    assert statuses == {waiting.pk: "hidden", flagged.pk: "hidden", settled.pk: "published"}
    assert ModelLogEntry.objects.filter(action="veche.moderation.hide").count() == 2
    assert not flagged.flag_rows.filter(resolved=False).exists()
    assert client.post(url, {"selected": [settled.pk], "status": "hidden", "reason": "x"}).status_code == 200  # not offered


def test_comment_export_keeps_formulas_as_text(client, index, moderator):
    page = consultation(index)
    comment(page, CitizenFactory(), body='=HYPERLINK("https://evil.example","x")')
    client.force_login(moderator)
    url = reverse(COMMENTS) + f"?page={page.pk}&export="
    rows = list(csv.reader(io.StringIO(_download(client, url + "csv").decode("utf-8-sig"))))
    assert rows[1][4] == """'=HYPERLINK("https://evil.example","x")"""
    sheet = load_workbook(io.BytesIO(_download(client, url + "xlsx"))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if "HYPERLINK" in str(cell.value)]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_queue_is_for_moderators_only(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse(COMMENTS))
    assert response.status_code in (302, 403)
    assert client.get(reverse("consultation_answers:index")).status_code in (302, 403)


def test_decisions_bulk_then_publish_report_emails_followers(client, index, editor):
    page = consultation(index, phase="closed")
    a = comment(page, CitizenFactory(), paragraph=0, body="Първо")
    b = comment(page, CitizenFactory(), paragraph=1, body="Второ")
    proposal = meeting_proposal(meeting(page), "От срещата")
    follower = CitizenFactory()
    core.follow(page=page, user=follower)
    client.force_login(editor)
    url = reverse("consultations_admin:decisions", args=[page.pk])
    html = client.get(url).content.decode()
    assert "Първо" in html and "Второ" in html and "От срещата" in html
    # Filter: undecided only.
    client.post(url, {"selected": [f"c-{a.pk}", f"m-{proposal.pk}"], "decision": "accepted", "reason": "Приема се."})
    html = client.get(url + "?show=none").content.decode()
    assert "Второ" in html and "Първо" not in html and "От срещата" not in html
    # Publishing with an undecided proposal is refused.
    client.post(url, {"action": "publish_report"})
    assert not ReportPublication.objects.exists()
    client.post(url, {"selected": [f"c-{b.pk}"], "decision": "rejected", "reason": "Противоречи на закона."})
    mail.outbox = []
    client.post(url, {"action": "publish_report"})
    assert ReportPublication.objects.filter(page=page).exists()
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert client.get(page.url + "report/").status_code == 200


def test_answers_listing_and_export(client, index, editor):
    page = consultation(index, questions=True)
    names = [q.clean_name for q in page.questions.all()]
    QuestionnaireAnswer.objects.create(page=page, respondent="u1", data={names[0]: "Рядко", names[1]: ["Пейки", "Чешми"], names[4]: "Сянка"})
    client.force_login(editor)
    url = reverse("consultation_answers:index") + f"?page={page.pk}"
    html = client.get(url).content.decode()
    assert "Сянка" in html
    rows = list(csv.reader(io.StringIO(_download(client, url + "&export=csv").decode("utf-8-sig"))))
    assert rows[0][2:] == [q.label for q in page.questions.all()]
    assert rows[1][2:] == ["Рядко", "Пейки; Чешми", "", "", "Сянка"]


def test_answers_export_keeps_formulas_as_text(client, index, editor):
    page = consultation(index, questions=True)
    names = [q.clean_name for q in page.questions.all()]
    QuestionnaireAnswer.objects.create(page=page, respondent="u1", data={names[4]: "=1+2"})
    client.force_login(editor)
    exported = _download(client, reverse("consultation_answers:index") + f"?page={page.pk}&export=csv")
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[1][-1] == "'=1+2"


def test_menu_group_and_snippets(client, editor, index):
    page = consultation(index)
    meeting(page, title="Среща в Бреза")
    comment(page, CitizenFactory(), body="Публикуван")
    comment(page, CitizenFactory(), body="Чака", moderation_status="pending")
    client.force_login(editor)
    response = client.get(reverse("consultations_pages:index"))
    assert response.status_code == 200 and page.title in response.content.decode()
    listed = {item.pk: item for item in response.context["object_list"]}
    assert (listed[page.pk].n_comments, listed[page.pk].n_pending, listed[page.pk].n_answers) == (1, 1, 0)
    response = client.get(reverse("wagtailsnippets_consultations_meeting:list"))
    assert response.status_code == 200 and "Среща в Бреза" in response.content.decode()
    assert client.get(reverse("wagtailsnippets_consultations_meeting:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_consultations_poll:add")).status_code == 200
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(COMMENTS) in html and reverse("consultation_answers:index") in html


def test_page_header_links_to_comments_decisions_and_answers(client, index, editor):
    page = consultation(index)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("consultations_admin:decisions", args=[page.pk]) in html
    assert f"{reverse('consultation_answers:index')}?page={page.pk}" in html
    assert f"{reverse(COMMENTS)}?page={page.pk}" in html


def test_digest_command(index, citizen):
    page = consultation(index)
    core.follow(page=page, user=citizen, digest=True)
    mine = comment(page, citizen)
    services.post_comment(page=page, author=CitizenFactory(), body="Отговор", parent=mine)
    mail.outbox = []
    out = io.StringIO()
    call_command("send_consultation_digests", stdout=out)
    assert out.getvalue().strip() == "Consultation digests queued: 1" and len(mail.outbox) == 1


def test_moderate_several_reads_flags_once_whatever_the_number_of_comments(client, index, moderator):
    page = consultation(index)
    client.force_login(moderator)
    url = reverse("consultation_comments:bulk_moderate")

    def grow():
        for n in range(5):
            flagged = comment(page, CitizenFactory(), body=f"Коментар {n}")
            services.flag_comment(comment=flagged, user=CitizenFactory(), reason="Спам")

    comment(page, CitizenFactory(), body="Чака", moderation_status="pending")
    assert_queries_constant(client, url, grow)
