"""Petitions in a real browser: draft -> moderation -> publish -> sign (account and email) -> threshold ->
response, with screenshots at 390 px and axe-core on every public petitions page."""

import io
import re

from django.core import mail
from wagtail.models import Locale

from petitions import demo as petitions_demo
from petitions.models import PetitionPage, PetitionState, SignatureTally, Stage
from tests.e2e.conftest import DESKTOP, axe_check, login, screenshot
from tests.factories import petitions as f

CITIZEN = ("citizen@zornitsa.example", "demo-citizen-2026")
CITIZEN2 = ("citizen2@zornitsa.example", "demo-citizen2-2026")
EDITOR = ("editor@zornitsa.example", "demo-editor-2026")
MODERATOR = ("moderator@zornitsa.example", "demo-moderator-2026")


def _workflow_action(page, name):
    button = page.locator(f'button[data-workflow-action-name="{name}"]').first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle'], footer .w-dropdown__toggle").first.click()
    button.click()


def _no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_petition_journey(page, new_page, live_server, demo):
    base = live_server.url
    index = f.petition_index(threshold=3, collection_days=30)
    index_url = f"{base}{index.url}"

    # 1. A verified citizen drafts a petition; similar petitions are shown before sending.
    existing = f.open_petition(index, title="Автобусна спирка в Ясеново с навес")
    login(page, base, *CITIZEN)
    page.goto(index_url)
    axe_check(page, "petitions index")
    screenshot(page, "petitions-index-390")
    page.get_by_role("link", name="Започнете петиция").click()
    page.wait_for_load_state()
    axe_check(page, "start a petition")
    page.locator("main form button[type=submit]").click()  # empty form: errors linked from the summary
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    axe_check(page, "start a petition with errors")
    page.fill("input[name=title]", "Навес на автобусната спирка в Ясеново")
    page.fill("textarea[name=summary]", "Общината да постави навес и пейка на автобусната спирка в центъра на Ясеново.")
    page.fill("textarea[name=background]", "Хората чакат автобуса под дъжда и снега, а повечето са възрастни.")
    page.fill("input[name=tags]", "транспорт")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert existing.title in page.locator("main").inner_text()
    axe_check(page, "check your petition")
    screenshot(page, "petitions-check-390")
    page.get_by_role("button", name="Изпратете петицията").click()
    page.wait_for_load_state()
    assert page.url.endswith("/mine/")
    axe_check(page, "my petitions")
    draft = PetitionPage.objects.get(title="Навес на автобусната спирка в Ясеново")
    assert PetitionState.objects.get(page=draft).stage == Stage.MODERATION

    # 2. A moderator (an ordinary member of the Moderators group) approves it in the Wagtail admin's workflow:
    # it is published and opens.
    admin = new_page(DESKTOP)
    login(admin, base, *MODERATOR)
    admin.goto(f"{base}/admin/petitions_admin/")
    assert draft.title in admin.locator("main").inner_text()
    screenshot(admin, "petitions-admin-queue")
    admin.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    _workflow_action(admin, "approve")
    admin.wait_for_load_state()
    admin.wait_for_function(f"() => !location.pathname.endsWith('/pages/{draft.pk}/edit/') || document.querySelector('.messages')")
    draft = PetitionPage.objects.get(pk=draft.pk)
    assert draft.live, "the moderator's approval publishes the petition"
    assert any("публикувана" in message.subject for message in mail.outbox)

    # 3. Another citizen signs with their account (name shown by choice).
    other = new_page()
    login(other, base, *CITIZEN2)
    petition_url = f"{base}{draft.url}"
    other.goto(petition_url)
    axe_check(other, "petition (signed-in)")
    other.check("input[name=show_name]")
    other.uncheck("input[name=notify]")  # no email about the response, please
    other.check("input[name=consent]")
    other.get_by_role("button", name="Подпишете петицията").click()
    other.wait_for_load_state()
    assert "Подписът ви е отчетен" in other.locator(".messages").inner_text()
    assert "Олександр К." in other.locator("main").inner_text()
    assert other.get_by_role("button", name="Подпишете петицията").count() == 0  # signed: no second form

    # 4. A visitor without an account signs by email; it counts only after the link is followed.
    visitor = new_page()
    visitor.goto(petition_url + "sign/")
    axe_check(visitor, "sign page")
    visitor.locator("main form button[type=submit]").click()
    visitor.wait_for_load_state()
    assert visitor.locator(".error-summary").is_visible()
    axe_check(visitor, "sign page with errors")
    visitor.fill("input[name=name]", "Стоян Колев")
    visitor.fill("input[name=email]", "stoyan@example.org")
    visitor.select_option("select[name=settlement]", label="Бреза")
    visitor.check("input[name=consent]")
    screenshot(visitor, "petitions-sign-390")
    visitor.locator("main form button[type=submit]").click()
    visitor.wait_for_load_state()
    assert "stoyan@example.org" in visitor.locator("main").inner_text()
    axe_check(visitor, "check your email")
    assert SignatureTally.objects.total(draft.pk) == 2
    message = [m for m in mail.outbox if m.to == ["stoyan@example.org"]][-1]
    link = re.search(r"https?://\S+/confirm/\S+/", message.body).group(0)
    visitor.goto(re.sub(r"^https?://[^/]+", base, link))
    axe_check(visitor, "confirm page")
    screenshot(visitor, "petitions-confirm-390")
    visitor.get_by_role("button", name="Потвърждавам подписа си").click()
    visitor.wait_for_load_state()
    assert SignatureTally.objects.total(draft.pk) == 3

    # 5. The threshold is reached: the page shows the response clock.
    assert PetitionState.objects.get(page=draft).threshold_reached_at is not None
    visitor.goto(petition_url)
    assert "Очаква отговор" in visitor.locator("main").inner_text()
    axe_check(visitor, "petition awaiting response")
    screenshot(visitor, "petitions-awaiting-390")
    assert _no_overflow(visitor)

    # 6. The editor publishes the official response in the admin; signers who asked are emailed.
    mail.outbox.clear()
    admin = new_page(DESKTOP)  # an ordinary member of the Editors group publishes it
    login(admin, base, *EDITOR)
    admin.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    admin.select_option("select[name=response_decision]", value="accepted")
    admin.fill("input[name=response_date]", "2026-11-20")
    editor_box = admin.locator("[contenteditable=true]").first  # Draftail: the response text
    editor_box.click()
    admin.keyboard.type("Общината ще постави навес до края на месеца.")
    admin.wait_for_timeout(300)  # Draftail writes its hidden input on change
    publish = admin.locator("button[name=action-publish]").first
    if not publish.is_visible():
        admin.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with admin.expect_navigation():
        publish.click()
    screenshot(admin, "petitions-admin-response")
    published = PetitionPage.objects.get(pk=draft.pk)
    assert published.has_response, (published.response_decision, published.response_text, published.response_date)
    visitor.goto(petition_url)
    main_text = visitor.locator("main").inner_text()
    assert "Официален отговор" in main_text and "навес до края на месеца" in main_text
    axe_check(visitor, "petition with response")
    screenshot(visitor, "petitions-responded-390")
    recipients = {address for m in mail.outbox for address in m.to}
    assert "stoyan@example.org" in recipients and "citizen2@zornitsa.example" not in recipients
    assert page.blocked_requests == [] and visitor.blocked_requests == []


def test_petitions_pages_in_every_state_pass_axe(page, desktop_page, live_server, demo):
    petitions_demo.load(io.StringIO())
    base = live_server.url
    index = f.petition_index(slug="petitsii")
    for status in ("", "open", "awaiting", "responded", "closed", "rejected"):
        page.goto(f"{base}{index.url}?status={status}")
        axe_check(page, f"index ?status={status}")
    for petition in PetitionPage.objects.live().child_of(index):
        page.goto(f"{base}{petition.url}")
        axe_check(page, petition.title)
        assert _no_overflow(page), petition.title
    big = PetitionPage.objects.get(title__startswith="Автобусна линия")
    page.goto(f"{base}{big.url}")
    screenshot(page, "petitions-big-390")
    desktop_page.goto(f"{base}{big.url}")
    screenshot(desktop_page, "petitions-big-1280")
    desktop_page.goto(f"{base}{index.url}")
    screenshot(desktop_page, "petitions-index-1280")
    for language in ("uk", "en"):
        translated = index.get_translation(Locale.objects.get(language_code=language))
        page.goto(f"{base}{translated.url}")
        assert page.locator("html").get_attribute("lang") == language
        axe_check(page, f"index ({language})")


def test_signing_works_with_keyboard_and_without_javascript(browser, live_server, demo):
    index = f.petition_index(slug="nojs", threshold=5)
    petition = f.open_petition(index)
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="bg-BG")
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}{petition.url}")
    page.locator("input[name=name]").focus()
    page.keyboard.type("Невена Иванова")
    page.keyboard.press("Tab")
    page.keyboard.type("nevena@example.org")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # first settlement
    page.locator("input[name=consent]").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Подпишете петицията").focus()
    with page.expect_navigation():  # a key press does not wait for the navigation it starts
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "nevena@example.org" in page.locator("main").inner_text()
    context.close()
