"""HTTP: the consultation page, threads without JavaScript, bad input, query counts, downloads, open data."""

import csv
import datetime
import io
import json
import re
import uuid

import pytest
import time_machine
from django.utils import timezone, translation
from openpyxl import load_workbook

from consultations import services
from consultations.forms import CommentForm
from consultations.models import Comment, CommentFlag, CommentSupport, PollVote, QuestionnaireAnswer, ReportPublication
from participation.models import Follow
from consultations.templatetags.consultations_tags import consultation_clock
from tests.factories.consultations import comment, consultation, meeting, meeting_proposal, paragraph_ids, poll
from tests.factories.users import CitizenFactory
from tests.helpers import assert_queries_constant

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _post_comment(client, page, body="Предлагам повече пейки.", **extra):
    data = {"body": body, "consent": "on", "token": str(uuid.uuid4()), **extra}
    return client.post(page.url + "comments/new/", data)


def test_page_shows_draft_counts_and_threads_links(client, index, citizen):
    page = consultation(index)
    ids = paragraph_ids(page)
    comment(page, citizen, paragraph=1, body="Коментар по чл. 2")
    comment(page, citizen, paragraph=1, body="Втори по чл. 2", moderation_status="pending")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Паркингът в парковете е забранен." in html
    assert f'href="{page.url}paragraph/{ids[1]}/"' in html  # works without JavaScript
    link = re.search(rf'href="{page.url}paragraph/{ids[1]}/"[^>]*>([^<]*)<', html).group(1)
    assert link.strip().startswith("1 ") and "Чл. 2" in link
    assert "Коментар по чл. 2" in html and "Втори по чл. 2" not in html  # pending is not shown


def test_thread_page_without_javascript_and_partial(client, index, citizen):
    page = consultation(index)
    pid = paragraph_ids(page)[0]
    comment(page, citizen, paragraph=0, body="В нишката")
    comment(page, citizen, paragraph=2, body="Друга нишка")
    response = client.get(f"{page.url}paragraph/{pid}/")
    html = response.content.decode()
    assert response.status_code == 200 and "В нишката" in html and "Друга нишка" not in html
    assert "<html" in html
    partial = client.get(f"{page.url}paragraph/{pid}/?partial=1").content.decode()
    assert "В нишката" in partial and "<html" not in partial
    assert client.get(f"{page.url}paragraph/unknown/").status_code == 404
    assert client.get(f"{page.url}paragraph/general/").status_code == 200


def test_comment_reply_support_flag_without_javascript(client, index, citizen):
    page = consultation(index)
    pid = paragraph_ids(page)[1]
    _login(client, citizen)
    response = _post_comment(client, page, paragraph=pid)
    created = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"paragraph/{pid}/#comment-{created.pk}")
    assert created.paragraph_id == pid and created.author == citizen

    other = _login(client.__class__(), CitizenFactory())
    response = _post_comment(other, page, body="Съгласен.", parent=created.pk, paragraph=pid)
    assert response.status_code == 302
    reply = Comment.objects.get(parent=created)
    assert reply.paragraph_id == pid

    response = other.post(f"{page.url}comments/{created.pk}/support/", {"next": f"{page.url}#comment-{created.pk}"})
    assert response.status_code == 302 and response["Location"] == f"{page.url}#comment-{created.pk}"
    assert CommentSupport.objects.filter(comment=created).count() == 1
    # Second support: a clear message, still one support.
    response = other.post(f"{page.url}comments/{created.pk}/support/", follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert CommentSupport.objects.filter(comment=created).count() == 1

    other.post(f"{page.url}comments/{created.pk}/flag/", {"reason": "Спам"})
    assert CommentFlag.objects.get().reason == "Спам"

    thread = client.get(f"{page.url}paragraph/{pid}/").content.decode()
    assert "Съгласен." in thread


def test_reply_to_a_reply_is_refused_with_a_message_and_keeps_the_text(client, index, citizen):
    page = consultation(index)
    top = comment(page, CitizenFactory(), paragraph=0)
    reply = comment(page, CitizenFactory(), paragraph=0, parent=top)
    _login(client, citizen)
    response = _post_comment(client, page, body="Моят отговор тук", parent=reply.pk, paragraph=top.paragraph_id)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Моят отговор тук" in html
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("body,code", [("", "required"), ("x" * 5001, "max_length")])
def test_empty_and_huge_comments_get_a_clear_error(client, index, citizen, body, code):
    page = consultation(index)
    _login(client, citizen)
    response = client.post(page.url + "comments/new/", {"body": body, "consent": "on"})
    assert response.status_code == 400
    assert Comment.objects.count() == 0
    html = response.content.decode()
    with translation.override("bg"):
        message = str(CommentForm.base_fields["body"].error_messages[code]).split("%")[0].strip()
    assert message and message in html
    assert "error-summary" in html and 'aria-invalid="true"' in html
    if body:
        assert body in html  # nothing is lost


def test_missing_consent_keeps_the_comment_text(client, index, citizen):
    page = consultation(index)
    _login(client, citizen)
    response = client.post(page.url + "comments/new/", {"body": "Текстът ми остава"})
    assert response.status_code == 400
    assert "Текстът ми остава" in response.content.decode()
    assert Comment.objects.count() == 0


def test_double_submit_makes_one_comment(client, index, citizen):
    page = consultation(index)
    _login(client, citizen)
    data = {"body": "Само веднъж", "consent": "on", "token": str(uuid.uuid4())}
    client.post(page.url + "comments/new/", data)
    client.post(page.url + "comments/new/", data)
    assert Comment.objects.count() == 1


def test_honeypot_is_refused_quietly(client, index, citizen):
    page = consultation(index)
    _login(client, citizen)
    response = client.post(page.url + "comments/new/", {"body": "Бот", "consent": "on", "website": "http://spam"})
    assert response.status_code == 302 and Comment.objects.count() == 0


def test_closed_consultation_refuses_comments_and_keeps_text(client, index, citizen):
    page = consultation(index, phase="closed")
    _login(client, citizen)
    response = _post_comment(client, page, body="Закъснях")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Закъснях" in html
    assert Comment.objects.count() == 0


def test_anonymous_post_goes_to_login(client, index):
    page = consultation(index)
    response = _post_comment(client, page)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(page.url + "comments/new/").status_code == 405


def test_forged_support_on_another_consultation_is_404(client, index, citizen):
    page, other = consultation(index), consultation(index)
    foreign = comment(other, CitizenFactory())
    _login(client, citizen)
    assert client.post(f"{page.url}comments/{foreign.pk}/support/").status_code == 404
    assert not CommentSupport.objects.exists()


def test_unsafe_next_is_ignored(client, index, citizen):
    page = consultation(index)
    c = comment(page, CitizenFactory(), paragraph=None)
    _login(client, citizen)
    response = client.post(f"{page.url}comments/{c.pk}/support/", {"next": "https://evil.example/"})
    assert "evil" not in response["Location"]


def test_ordering_newest_and_most_supported(client, index):
    page = consultation(index)
    old = comment(page, CitizenFactory(), paragraph=2, body="СТАР", created_at=timezone.now() - datetime.timedelta(days=2))
    comment(page, CitizenFactory(), paragraph=0, body="НОВ")
    CommentSupport.objects.create(comment=old, user=CitizenFactory())
    html = client.get(page.url + "?order=newest").content.decode()
    assert html.index("НОВ") < html.index("СТАР")
    html = client.get(page.url + "?order=supported").content.decode()
    assert html.index("СТАР") < html.index("НОВ")
    html = client.get(page.url + "?order=paragraph").content.decode()
    assert html.index("НОВ") < html.index("СТАР")


def test_hidden_comment_shows_reason_not_text(client, index, moderator):
    page = consultation(index)
    c = comment(page, CitizenFactory(), body="Обидни думи")
    services.moderate_comment(comment=c, status="hidden", actor=moderator, reason="Нарушава правилата")
    html = client.get(page.url).content.decode()
    assert "Обидни думи" not in html and "Нарушава правилата" in html


def _grow_comments(page, total):
    ids = paragraph_ids(page) + [""]
    authors = [CitizenFactory() for _ in range(5)]
    comments = Comment.objects.bulk_create(
        [Comment(page=page, author=authors[i % 5], paragraph_id=ids[i % len(ids)], body=f"Коментар {i}") for i in range(total)]
    )
    Comment.objects.bulk_create(
        [Comment(page=page, author=authors[(i + 1) % 5], paragraph_id=c.paragraph_id, parent=c, body="Отговор") for i, c in enumerate(comments[:200])]
    )
    CommentSupport.objects.bulk_create([CommentSupport(comment=c, user=authors[(i + 2) % 5]) for i, c in enumerate(comments)])


@pytest.mark.parametrize("logged_in", [False, True])
def test_query_count_is_constant_with_10_or_2000_comments(client, index, citizen, logged_in):
    page = consultation(index)
    meeting(page)
    if logged_in:
        _login(client, citizen)
    _grow_comments(page, 10)
    count = assert_queries_constant(client, page.url, lambda: _grow_comments(page, 1990))
    assert Comment.objects.filter(page=page, parent__isnull=True).count() == 2000
    assert count < 40
    pid = paragraph_ids(page)[0]
    assert_queries_constant(client, f"{page.url}paragraph/{pid}/", lambda: _grow_comments(page, 500))
    assert_queries_constant(client, f"{page.url}?order=supported", lambda: _grow_comments(page, 100))


def test_questionnaire_answer_change_and_results(client, index, citizen, settlements):
    page = consultation(index, questions=True)
    questions = list(page.questions.all())
    names = [q.clean_name for q in questions]
    url = page.url + "questionnaire/"
    assert client.get(url).status_code == 200  # anonymous sees the questions and a login link
    _login(client, citizen)
    response = client.post(url, {names[0]: "Рядко", "consent": "on"})
    assert response.status_code == 400  # the scale is required
    assert re.search(r'value="Рядко"[^>]*checked', response.content.decode())  # what was chosen is kept
    response = client.post(url, {names[0]: "Рядко", names[1]: ["Пейки", "Чешми"], names[2]: "4", names[3]: settlements[1].name, names[4]: "Повече сянка", "consent": "on"})
    assert response.status_code == 302
    answer = QuestionnaireAnswer.objects.get()
    assert answer.data[names[1]] == ["Пейки", "Чешми"] and answer.data[names[2]] == "4" and answer.respondent == f"u{citizen.pk}"
    # Change the answer: still one row.
    client.post(url, {names[0]: "Всеки ден", names[2]: "5", "consent": "on"})
    assert QuestionnaireAnswer.objects.count() == 1 and QuestionnaireAnswer.objects.get().data[names[0]] == "Всеки ден"
    # Prefilled with the saved answer.
    form_html = client.get(url).content.decode()
    assert re.search(r'value="Всеки ден"[^>]*checked', form_html) and not re.search(r'value="Рядко"[^>]*checked', form_html)
    results = client.get(page.url + "results/").content.decode()
    assert "Всеки ден" in results and "Повече сянка" not in results  # free text only in the admin
    # A bad choice is refused.
    response = client.post(url, {names[0]: "Никога", names[2]: "9", "consent": "on"})
    assert response.status_code == 400


def test_questionnaire_closed_refuses(client, index, citizen):
    page = consultation(index, phase="closed", questions=True)
    names = [q.clean_name for q in page.questions.all()]
    _login(client, citizen)
    response = client.post(page.url + "questionnaire/", {names[0]: "Рядко", names[2]: "3", "consent": "on"})
    assert response.status_code == 400 and not QuestionnaireAnswer.objects.exists()


def test_anonymous_answers_keyed_by_session(client, index):
    page = consultation(index, questions=True, allow_anonymous_answers=True)
    names = [q.clean_name for q in page.questions.all()]
    url = page.url + "questionnaire/"
    client.post(url, {names[0]: "Рядко", names[2]: "3", "consent": "on"})
    client.post(url, {names[0]: "Всеки ден", names[2]: "3", "consent": "on"})
    assert QuestionnaireAnswer.objects.count() == 1
    answer = QuestionnaireAnswer.objects.get()
    assert answer.author is None and answer.respondent.startswith("s")
    client.__class__().post(url, {names[0]: "Рядко", names[2]: "3", "consent": "on"})
    assert QuestionnaireAnswer.objects.count() == 2


def test_poll_vote_without_javascript(client, citizen, home_page):
    p = poll()
    choice = p.choices.first()
    url = f"/bg/consultations/polls/{p.pk}/"
    html = client.get(url).content.decode()
    assert p.question in html and "/accounts/login/?next=" in html
    _login(client, citizen)
    response = client.post(url + "vote/", {"choice": [str(choice.pk)], "next": url})
    assert response.status_code == 302 and response["Location"] == f"{url}#poll-{p.pk}"
    client.post(url + "vote/", {"choice": [str(choice.pk)]})
    assert PollVote.objects.filter(poll=p).count() == 1
    html = client.get(url).content.decode()
    assert "100%" in html  # results after voting


def test_poll_results_hidden_until_close_when_configured(client, citizen, home_page):
    p = poll(results_visibility="close")
    choice = p.choices.first()
    _login(client, citizen)
    client.post(f"/bg/consultations/polls/{p.pk}/vote/", {"choice": [str(choice.pk)]})
    html = client.get(f"/bg/consultations/polls/{p.pk}/").content.decode()
    assert "100%" not in html
    with time_machine.travel(p.closes_at + datetime.timedelta(minutes=1)):
        assert "100%" in client.get(f"/bg/consultations/polls/{p.pk}/").content.decode()


def test_poll_block_on_home_page(client, home_page, citizen):
    p = poll()
    home_page.body.append(("poll", {"poll": p}))
    home_page.save_revision().publish()
    html = client.get(home_page.url).content.decode()
    assert p.question in html
    _login(client, citizen)
    html = client.get(home_page.url).content.decode()
    assert f'action="/bg/consultations/polls/{p.pk}/vote/"' in html


def test_meeting_ics(client, index, settlements):
    page = consultation(index)
    m = meeting(page, title="Среща в Бреза", settlement=settlements[1], agenda="Точка 1, точка 2")
    response = client.get(f"/bg/consultations/meetings/{m.pk}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "SUMMARY:Среща в Бреза" in text and "Точка 1\\, точка 2" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert m.starts_at.astimezone(datetime.timezone.utc).strftime("DTSTART:%Y%m%dT%H%M%SZ") in text


def test_meetings_list_and_map_on_the_page(client, index, settlements):
    page = consultation(index)
    meeting(page, title="Среща в Бреза", settlement=settlements[1])
    meeting(page, title="Среща в Липово", settlement=settlements[2], location="")
    html = client.get(page.url).content.decode()
    assert "Среща в Бреза" in html and "Среща в Липово" in html
    assert html.count("data-point") == 1 and "data-map" in html


def _closed_with_report(index, editor):
    page = consultation(index, phase="closed")
    c = comment(page, CitizenFactory(), paragraph=1, body="Предлагам 3 метра.")
    c.author.profile.display_name = "Иван П."
    c.author.profile.save()
    comment(page, CitizenFactory(), paragraph=None, body="За целия текст.", decision="noted")
    m = meeting(page, attendees=12)
    meeting_proposal(m, "Пейки до чешмата", decision="accepted", decision_reason="Добавено в чл. 5.")
    Comment.objects.filter(pk=c.pk).update(decision="partly", decision_reason="Приемаме 2,8 м.")
    ReportPublication.objects.create(page=page, published_by=editor)
    return page, c


def test_report_page_and_downloads(client, index, editor):
    page, c = _closed_with_report(index, editor)
    html = client.get(page.url + "report/").content.decode()
    assert "Предлагам 3 метра." in html and "Приемаме 2,8 м." in html and "Пейки до чешмата" in html and "Иван П." in html
    response = client.get(f"/bg/consultations/{page.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and any("Приемаме 2,8 м." in row for row in rows)
    assert c.author.email not in response.content.decode()
    response = client.get(f"/bg/consultations/{page.pk}/report.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 4 and any("Пейки до чешмата" in row for row in values)


def test_report_is_not_public_before_publication(client, index, editor):
    page = consultation(index, phase="closed")
    assert client.get(page.url + "report/").status_code == 404
    assert client.get(f"/bg/consultations/{page.pk}/report.csv").status_code == 404
    _login(client, editor)
    assert client.get(page.url + "report/").status_code == 200  # editors preview it


def test_open_data_has_counts_and_no_personal_data(client, index, editor):
    page, c = _closed_with_report(index, editor)
    response = client.get(page.url + "data.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    text = response.content.decode()
    assert c.author.email not in text and "Иван П." not in text and "Предлагам 3 метра." not in text
    assert set(data) == {"meta", "columns", "rows"}
    assert data["columns"][:4] == ["paragraph_id", "label", "comments", "supports"]
    by_id = {row["paragraph_id"]: row for row in data["rows"]}
    assert len(data["rows"]) == 1 + 3  # the whole document, then every paragraph
    assert by_id[c.paragraph_id]["comments"] == 1 and by_id[c.paragraph_id]["decision_partly"] == 1
    assert by_id[c.paragraph_id]["decision_accepted"] == 0 and by_id[c.paragraph_id]["number"] == 2
    assert by_id[""]["comments"] == 1 and by_id[""]["decision_noted"] == 1
    meta = data["meta"]
    assert meta["title"] == page.title and meta["licence"] == "CC BY 4.0"
    assert meta["consultation"]["state"] == "reported" and meta["consultation"]["report_published_at"]
    assert meta["meetings"][0]["attendees"] == 12 and meta["meetings"][0]["proposals"] == 1
    assert meta["meeting_proposal_decisions"] == {"accepted": 1}
    assert meta["questionnaire"] == {"total": 0, "questions": []}
    response = client.get(page.url + "data.csv")
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == data["columns"] and len(rows) == 1 + 1 + 3
    partly = rows[0].index("decision_partly")
    assert [row[partly] for row in rows[1:]] == ["0", "0", "1", "0"]


def test_old_open_data_address_redirects(client, index, editor):
    page, _c = _closed_with_report(index, editor)
    response = client.get(page.url + "data/json/")
    assert response.status_code == 301 and response["Location"].endswith(page.url + "data.json")


def test_report_downloads_keep_formulas_as_text(client, index, editor):
    page, c = _closed_with_report(index, editor)
    Comment.objects.filter(pk=c.pk).update(body='=HYPERLINK("https://evil.example","x")')
    text = client.get(f"/bg/consultations/{page.pk}/report.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert """'=HYPERLINK("https://evil.example","x")""" in cells
    response = client.get(f"/bg/consultations/{page.pk}/report.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    formula = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert len(formula) == 1 and formula[0].data_type == "s" and str(formula[0].value).startswith("'=")


def test_follow_and_unfollow(client, index, citizen):
    page = consultation(index)
    _login(client, citizen)
    client.post(page.url + "follow/", {"digest": "on", "action": "follow"})
    assert Follow.objects.get(user=citizen).digest is True
    client.post(page.url + "follow/", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_index_states_filters_and_clocks(client, index, settlements, editor):
    with time_machine.travel(timezone.now(), tick=False):
        open_page = consultation(index, title="Алфа-наредба", closes_at=timezone.now() + datetime.timedelta(days=21, hours=1))
        open_page.topics.add("паркове")
        open_page.settlements.add(settlements[1])
        open_page.save_revision().publish()
        awaiting = consultation(index, phase="closed", title="Бета-наредба")
        reported = consultation(index, phase="closed", title="Гама-наредба")
        ReportPublication.objects.create(page=reported, published_by=editor)
        html = client.get(index.url).content.decode()
        assert "Алфа-наредба" in html and "Бета-наредба" in html and "Гама-наредба" in html
        assert "21" in html
        assert "Алфа-наредба" in client.get(index.url + "?state=open").content.decode()
        html = client.get(index.url + "?state=awaiting").content.decode()
        assert "Бета-наредба" in html and "Алфа-наредба" not in html and "Гама-наредба" not in html
        html = client.get(index.url + "?state=reported").content.decode()
        assert "Гама-наредба" in html and "Бета-наредба" not in html
        tag_slug = open_page.topics.first().slug
        html = client.get(index.url + f"?topic={tag_slug}").content.decode()
        assert "Алфа-наредба" in html and "Бета-наредба" not in html
        html = client.get(index.url + f"?settlement={settlements[2].pk}").content.decode()
        assert "Алфа-наредба" not in html and "Бета-наредба" in html  # no settlements = the whole municipality


def test_clock_texts(index, editor):
    page = consultation(index)
    with translation.override("en"):
        now = page.closes_at - datetime.timedelta(days=21)
        assert consultation_clock(page, now=now)["text"] == "21 days left to comment"
        after = page.closes_at + datetime.timedelta(days=1)
        assert consultation_clock(page, now=after)["text"].startswith("Closed. Report due by")
        late = page.report_due_at + datetime.timedelta(days=1)
        assert consultation_clock(page, now=late)["text"].startswith("Report overdue")
        ReportPublication.objects.create(page=page, published_by=editor)
        page = type(page).objects.get(pk=page.pk)
        assert consultation_clock(page, now=after)["text"].startswith("Report published")


def test_translations_share_one_set_of_comments(client, index, citizen, locales):
    page = consultation(index)
    index_uk = index.copy_for_translation(locales["uk"], copy_parents=True)
    index_uk.save_revision().publish()
    page_uk = page.copy_for_translation(locales["uk"])
    page_uk.save_revision().publish()
    page_uk = type(page).objects.get(pk=page_uk.pk)
    pid = paragraph_ids(page)[0]
    assert paragraph_ids(page_uk)[0] == pid  # block ids are kept by translation
    _login(client, citizen)
    response = _post_comment(client, page_uk, body="Коментар от украинската версия", paragraph=pid)
    assert response.status_code == 302
    stored = Comment.objects.get()
    assert stored.page_id == page.pk  # the canonical (default-locale) page
    assert "Коментар от украинската версия" in client.get(page.url).content.decode()
    assert "Коментар от украинската версия" in client.get(page_uk.url).content.decode()


def test_commenting_is_rate_limited(client, index, citizen, settings):
    settings.VECHE_RATE_LIMITS = {"default": {"ip": "100/60", "user": "100/60"}, "comment": {"user": "2/60"}}
    page = consultation(index)
    _login(client, citizen)
    assert _post_comment(client, page, body="Първи").status_code == 302
    assert _post_comment(client, page, body="Втори").status_code == 302
    response = _post_comment(client, page, body="Трети")
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_answering_is_rate_limited(client, index, citizen, settings):
    settings.VECHE_RATE_LIMITS = {"default": {"ip": "100/60", "user": "100/60"}, "answer": {"user": "1/60"}}
    page = consultation(index, questions=True)
    names = [q.clean_name for q in page.questions.all()]
    _login(client, citizen)
    data = {names[0]: "Рядко", names[2]: "3", "consent": "on"}
    assert client.post(page.url + "questionnaire/", data).status_code == 302
    assert client.post(page.url + "questionnaire/", data).status_code == 429
