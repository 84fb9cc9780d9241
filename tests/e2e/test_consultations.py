"""Consultations in a real browser: read the draft on a phone, comment on a paragraph, reply, support, flag;
answer the questionnaire; vote in a poll; meetings; the editor decides and publishes the report. Every public
page type passes axe-core with zero violations."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from consultations import demo as consultations_demo_module
from consultations.models import Comment, CommentFlag, CommentSupport, ConsultationPage, PollVote, QuestionnaireAnswer, ReportPublication
from participation import services as core
from tests.e2e.conftest import ARTIFACTS, PHONE, axe_check, login, screenshot
from tests.factories.consultations import comment, consultation, consultation_index, meeting, meeting_proposal

CITIZEN = ("citizen@zornitsa.example", "demo-citizen-2026")
CITIZEN2 = ("citizen2@zornitsa.example", "demo-citizen2-2026")
EDITOR = ("editor@zornitsa.example", "demo-editor-2026")


@pytest.fixture
def consultations_demo(demo):
    consultations_demo_module.load(io.StringIO())
    return ConsultationPage.objects.get(slug="naredba-parkove")


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_read_comment_reply_support_flag_on_a_phone(page, new_page, live_server, consultations_demo):
    base = live_server.url
    parks = consultations_demo
    page.goto(f"{base}{parks.url}")
    assert page.viewport_size == PHONE
    assert page.locator(".draft-paragraph").count() == 9
    _no_overflow(page)
    axe_check(page, "consultation page")
    screenshot(page, "consultation-bg-390")

    # With JavaScript a paragraph's thread opens in place.
    toggle = page.locator("#p-" + parks.paragraphs()[2][0] + " [data-thread-toggle]")
    toggle.click()
    slot = page.locator("#thread-" + parks.paragraphs()[2][0])
    slot.locator(".comment").first.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert "инвалидни колички" in slot.inner_text()
    axe_check(page, "consultation page with a thread open")
    screenshot(page, "consultation-thread-open-390")

    # Log in and comment on the sixth paragraph (Чл. 5, playgrounds) from its thread, opened in place.
    login(page, base, *CITIZEN)
    page.goto(f"{base}{parks.url}")
    target_id = parks.paragraphs()[5][0]
    page.locator(f"#p-{target_id} [data-thread-toggle]").click()
    form_slot = page.locator(f"#thread-{target_id}")
    form_slot.locator("textarea[name=body]").wait_for()
    form_slot.locator("textarea[name=body]").fill("Предлагам проверките да са и след всяка буря.")
    form_slot.locator("input[name=consent]").check()
    form_slot.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert f"/paragraph/{target_id}/" in page.url
    assert page.locator(".notice--success").is_visible()
    mine = Comment.objects.get(body="Предлагам проверките да са и след всяка буря.")
    assert mine.paragraph_id == target_id
    axe_check(page, "thread page after commenting")
    screenshot(page, "thread-after-comment-390")

    # Someone else replies, supports and flags, using the keyboard for the support.
    other = new_page()
    login(other, base, *CITIZEN2)
    other.goto(f"{base}{parks.url}paragraph/{target_id}/")
    card = other.locator(f"#comment-{mine.pk}")
    card.locator(".comment__reply summary").click()  # the "Reply" disclosure
    card.locator("textarea[name=body]").fill("Съгласна съм, особено за люлките.")
    card.locator("input[name=consent]").check()
    card.locator(".comment__reply button[type=submit]").click()
    other.wait_for_load_state()
    reply = Comment.objects.get(parent=mine)
    assert reply.paragraph_id == target_id

    card = other.locator(f"#comment-{mine.pk}")
    support_button = card.locator(".comment__actions form.inline-form button")
    support_button.focus()
    with other.expect_navigation():
        other.keyboard.press("Enter")
    assert CommentSupport.objects.filter(comment=mine).count() == 1
    assert other.locator(f"#comment-{mine.pk} .comment__supported").is_visible()

    card = other.locator(f"#comment-{mine.pk}")
    card.locator(".comment__flag summary").click()
    card.locator(".comment__flag input[name=reason]").fill("Проверка на докладването")
    card.locator(".comment__flag button[type=submit]").click()
    other.wait_for_load_state()
    assert CommentFlag.objects.filter(comment=mine).count() == 1
    axe_check(other, "thread after reply, support and flag")
    screenshot(other, "thread-reply-support-flag-390")
    assert all("tiles.invalid" in url for url in page.blocked_requests + other.blocked_requests)


def test_commenting_works_without_javascript(browser, live_server, consultations_demo):
    context = browser.new_context(viewport=PHONE, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        base = live_server.url
        login(page, base, *CITIZEN)
        parks = consultations_demo
        page.goto(f"{base}{parks.url}")
        first_id = parks.paragraphs()[0][0]
        page.locator(f"#p-{first_id} [data-thread-toggle]").click()  # a plain link without JavaScript
        page.wait_for_load_state()
        assert page.url.endswith(f"/paragraph/{first_id}/")
        page.locator("main form textarea[name=body]").fill("Без JavaScript също става.")
        page.locator("main form input[name=consent]").check()
        page.locator("main form.panel button[type=submit]").click()
        page.wait_for_load_state()
        assert Comment.objects.filter(body="Без JavaScript също става.", paragraph_id=first_id).exists()
        # An empty comment: the error summary links to the field.
        page.locator("main form.panel button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible()
    finally:
        context.close()


def test_answer_the_questionnaire_and_see_results(page, live_server, consultations_demo):
    base = live_server.url
    parks = consultations_demo
    login(page, base, *CITIZEN)
    page.goto(f"{base}{parks.url}questionnaire/")
    axe_check(page, "questionnaire")
    # Submitting nothing shows the errors, linked to the fields.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    axe_check(page, "questionnaire with errors")
    page.locator(".field--radioselect").nth(0).locator("input").nth(1).check()
    page.locator(".field--checkboxselectmultiple input").nth(0).check()
    page.locator(".field--radioselect").nth(1).locator("input").nth(3).check()  # scale: 4
    page.locator(".field--radioselect").nth(2).locator("input").nth(1).check()  # settlement
    page.locator("main form textarea").fill("Повече пейки на сянка.")
    page.locator("input[name=consent]").check()
    screenshot(page, "questionnaire-390")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".notice--success").first.is_visible()
    answer = QuestionnaireAnswer.objects.get(page=parks, author__email=CITIZEN[0])
    assert "Повече пейки на сянка." in answer.data.values()
    page.goto(f"{base}{parks.url}results/")
    axe_check(page, "questionnaire results")
    screenshot(page, "questionnaire-results-390")
    assert page.locator(".chart").count() == 4


def test_vote_in_the_home_page_poll_with_the_keyboard(page, live_server, consultations_demo):
    base = live_server.url
    login(page, base, *CITIZEN)
    page.goto(f"{base}/bg/")
    poll = page.locator(".poll")
    assert poll.is_visible()
    axe_check(page, "home page with the poll")
    poll.locator("input[name=choice]").nth(2).focus()
    page.keyboard.press("Space")
    poll.locator("button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert PollVote.objects.filter(user__email=CITIZEN[0]).count() == 1
    assert page.locator(".poll__results").is_visible()
    axe_check(page, "poll results")
    screenshot(page, "poll-results-390")


def test_meeting_list_beside_the_map_and_ics(page, desktop_page, live_server, consultations_demo):
    base = live_server.url
    parks = consultations_demo
    page.goto(f"{base}{parks.url}#meetings")
    page.wait_for_function("window.L !== undefined")
    assert page.locator(".meetings .leaflet-container").count() == 1
    assert page.locator(".meeting").count() == 2
    assert "Бреза" in page.locator(".meetings__list").inner_text()
    axe_check(page, "meetings")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#meetings").screenshot(path=str(ARTIFACTS / "meetings-390.png"))
    desktop_page.goto(f"{base}{parks.url}#meetings")
    desktop_page.locator("#meetings").screenshot(path=str(ARTIFACTS / "meetings-1280.png"))
    href = page.locator(".meeting a[download]").first.get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.ok and "BEGIN:VEVENT" in response.text()
    assert all("tiles.invalid" in url for url in page.blocked_requests)


def test_index_and_published_report(page, live_server, consultations_demo):
    base = live_server.url
    index = consultations_demo.get_parent()
    page.goto(f"{base}{index.url}")
    axe_check(page, "consultations index")
    screenshot(page, "consultations-index-390")
    page.select_option("#f-state", value="reported")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".card").count() == 1
    page.locator(".card a").first.click()
    page.wait_for_load_state()
    assert page.locator("#report").is_visible()
    axe_check(page, "closed consultation with its report")
    page.locator("#report a.button").click()
    page.wait_for_load_state()
    axe_check(page, "printable report")
    screenshot(page, "report-390")
    assert page.locator(".report-table tbody tr").count() == 5


def test_editor_decides_on_comments_and_publishes_the_report(desktop_page, page, live_server, demo):
    base = live_server.url
    closed = consultation(
        consultation_index(),
        phase="closed",
        title="Наредба за шума",
        slug="naredba-shum",
    )
    User = get_user_model()
    citizen = User.objects.get(email=CITIZEN[0])
    citizen2 = User.objects.get(email=CITIZEN2[0])
    comment(closed, citizen, paragraph=0, body="Тишина след 22 ч.")
    comment(closed, citizen2, paragraph=1, body="Изключение за празници.")
    meeting_proposal(meeting(closed, attendees=9, starts_at=timezone.now() - datetime.timedelta(days=10)), "Глоби за нощни заведения.")
    core.follow(page=closed, user=citizen)

    admin = desktop_page
    login(admin, base, *EDITOR)
    admin.goto(f"{base}/admin/consultations/")
    admin.get_by_role("link", name="Наредба за шума").first.wait_for()
    admin.goto(f"{base}/admin/consultations/{closed.pk}/decisions/")
    admin.locator("[data-select-all]").check()
    admin.select_option("form[method=post] select[name=decision]", value="partly")
    admin.fill("textarea[name=reason]", "Приемаме с уточнения.")
    admin.locator("button[name=action][value=decide]").click()
    admin.wait_for_load_state()
    assert set(Comment.objects.filter(page=closed).values_list("decision", flat=True)) == {"partly"}
    screenshot(admin, "admin-decisions-1280")
    admin.locator("button[name=action][value=publish_report]").click()
    admin.wait_for_load_state()
    assert ReportPublication.objects.filter(page=closed).exists()
    assert [m.to for m in mail.outbox] == [[CITIZEN[0]]]
    page.goto(f"{base}{closed.url}report/")
    assert "Приемаме с уточнения." in page.locator(".report-table").inner_text()
    axe_check(page, "published report")
    screenshot(page, "report-published-390")
