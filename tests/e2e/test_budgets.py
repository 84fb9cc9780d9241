"""Participatory budgets in a real browser at phone width: propose -> review -> vote with each ballot rule ->
receipt -> results, with screenshots and axe-core on every public page type."""

import datetime
import io

import pytest
from django.utils import timezone
from wagtail.models import Site

from budgets import demo as budgets_demo
from budgets.models import Ballot, BudgetPage, ProposalPage
from tests.e2e.conftest import DESKTOP, axe_check, login, screenshot
from tests.factories.budgets import budget_page, proposal

CITIZEN = ("citizen@zornitsa.example", "demo-citizen-2026")
DAY = datetime.timedelta(days=1)


def _home():
    return Site.objects.get(is_default_site=True).root_page.specific


def _set_phase(budget, phase):
    now = timezone.now()
    offsets = {"voting": (-30, -20, -2, 10), "results": (-40, -30, -20, -1)}[phase]
    BudgetPage.objects.filter(pk=budget.pk).update(
        proposals_opens_at=now + offsets[0] * DAY, proposals_closes_at=now + offsets[1] * DAY,
        voting_opens_at=now + offsets[2] * DAY, voting_closes_at=now + offsets[3] * DAY,
    )
    # Moving the dates moves voting's start back in time: the projects were published before it, as they were.
    ProposalPage.objects.child_of(budget).live().update(first_published_at=now + (offsets[2] - 1) * DAY)


def _admin_login(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "demo-editor-2026")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_propose_review_vote_receipt_results(page, new_page, live_server, demo):
    base = live_server.url
    budget = budget_page(_home(), phase="proposals", title="Бюджет 2027", slug="byudzhet-2027", amount=100000, approval_max=2)
    existing = [proposal(budget, "Нови пейки в парка", 20000), proposal(budget, "Осветление на алеята", 45000)]

    login(page, base, *CITIZEN)
    page.goto(f"{base}/bg/byudzhet-2027/")
    # The current phase, in Bulgarian (the URL pins the language): was `... or <a badge is visible>`, which
    # could not fail.
    assert "Предложения" in page.locator(".budget__facts").inner_text()
    axe_check(page, "budget page (proposals)")
    screenshot(page, "budgets-01-cycle-proposals-390")
    page.locator(".budget__now a.button").first.click()
    page.wait_for_load_state()
    page.locator("main form button[type=submit]").click()  # empty form: errors, nothing lost
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    axe_check(page, "propose form with errors")
    page.fill("input[name=title]", "Детска площадка до читалището")
    page.fill("textarea[name=summary]", "Люлки и пързалка за малките деца.")
    page.fill("textarea[name=description]", "Площадката ще бъде на общинския терен до читалището.")
    page.fill("input[name=estimated_cost]", "30000")
    page.fill("input[name=address]", "ул. „Читалищна“ 2")
    page.check("input[name=consent]")
    screenshot(page, "budgets-02-propose-390")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".notice--success").is_visible()
    draft = ProposalPage.objects.get(title="Детска площадка до читалището")
    assert not draft.live

    # A moderator approves (publishes) the draft; an editor reviews its feasibility in the admin.
    draft.get_latest_revision().publish()
    editor = new_page(viewport=DESKTOP)
    _admin_login(editor, base)
    editor.goto(f"{base}/admin/budgets/proposal/{draft.pk}/review/")
    editor.select_option("select[name=feasibility]", "feasible")
    editor.fill("textarea[name=reason]", "Теренът е общински; цената включва ударопоглъщаща настилка.")
    editor.fill("input[name=final_cost]", "34000")
    editor.locator("main form button[type=submit]").click()
    editor.wait_for_load_state()
    assert ProposalPage.objects.get(pk=draft.pk).final_cost == 34000

    page.goto(f"{base}/bg/byudzhet-2027/{draft.slug}/")
    assert "34" in page.locator("main").inner_text()
    axe_check(page, "proposal page")
    screenshot(page, "budgets-03-proposal-390")

    # Voting opens: the citizen builds, checks and casts a ballot.
    _set_phase(budget, "voting")
    page.goto(f"{base}/bg/byudzhet-2027/")
    axe_check(page, "budget page (voting)")
    page.locator(".budget__now a.button").first.click()
    page.wait_for_load_state()
    axe_check(page, "ballot")
    page.check(f"#project-{draft.pk}")
    page.check(f"#project-{existing[0].pk}")
    screenshot(page, "budgets-04-ballot-approval-390")
    page.locator("form.ballot button[type=submit]").click()
    page.wait_for_load_state()
    assert "check" in page.url
    axe_check(page, "check your answers")
    screenshot(page, "budgets-05-check-390")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/receipt/")
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.receipt_code in page.locator(".receipt__code").inner_text()
    axe_check(page, "receipt")
    screenshot(page, "budgets-06-receipt-390")

    # "Did my vote count?" from the account page.
    page.goto(f"{base}/bg/accounts/profile/")
    assert ballot.receipt_code in page.locator(".my-ballots").inner_text()
    axe_check(page, "profile with ballots")

    # Voting closes; the editor previews both rules and publishes; the public sees the results.
    _set_phase(budget, "results")
    editor.goto(f"{base}/admin/budgets/{budget.pk}/results/")
    screenshot(editor, "budgets-07-admin-preview-desktop")
    assert editor.locator(".compare > section").count() == 2
    editor.select_option("select[name=rule]", "mes")
    editor.locator("main form button[type=submit]").click()
    editor.wait_for_load_state()
    page.goto(f"{base}/bg/byudzhet-2027/results/")
    text = page.locator("main").inner_text()
    assert "Детска площадка до читалището" in text
    axe_check(page, "results")
    screenshot(page, "budgets-08-results-390")


@pytest.mark.parametrize("rule", ["approval", "knapsack", "one_per_category"])
def test_each_ballot_rule_in_the_browser(page, live_server, demo, rule):
    base = live_server.url
    fields = {"ballot_rule": rule, "approval_max": 2, "amount": 100000, "knapsack_min_percent": 0}
    categories = [("Град", 60000), ("Села", 40000)] if rule != "approval" else ()
    budget = budget_page(_home(), phase="voting", slug=f"rule-{rule}", categories=categories, **fields)
    cats = budget.category_list() or [None, None]
    a = proposal(budget, "Площадка", 50000, category=cats[0])
    b = proposal(budget, "Алея", 30000, category=cats[0])
    c = proposal(budget, "Чешма", 20000, category=cats[1])
    login(page, base, *CITIZEN)
    page.goto(f"{base}/bg/rule-{rule}/vote/")
    # An invalid ballot first: explained, nothing lost.
    page.check(f"#project-{a.pk}")
    page.check(f"#project-{b.pk}")
    if rule == "approval":
        page.check(f"#project-{c.pk}")  # three of at most two
    if rule == "knapsack":
        # The live "money left" bar (JavaScript) shows the overspend before submitting.
        assert "-20" in page.locator("#money-left").inner_text().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    page.locator("form.ballot button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".notice--error").count() >= 1
    assert page.locator(f"#project-{a.pk}").is_checked() and page.locator(f"#project-{b.pk}").is_checked()
    screenshot(page, f"budgets-rule-{rule}-error-390")
    # Fix it with the keyboard only: focus the checkbox and press Space.
    page.locator(f"#project-{b.pk}").focus()
    page.keyboard.press("Space")
    if rule != "approval":
        page.locator(f"#project-{c.pk}").focus()
        page.keyboard.press("Space")
    page.locator("form.ballot button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/vote/check/")
    page.locator("input[name=consent]").focus()
    page.keyboard.press("Space")
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt/")
    ballot = Ballot.objects.get(budget=budget)
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted([a.pk, c.pk])
    screenshot(page, f"budgets-rule-{rule}-receipt-390")


def test_ballot_works_without_javascript(browser, live_server, demo):
    base = live_server.url
    budget = budget_page(_home(), phase="voting", slug="no-js", ballot_rule="knapsack")
    a = proposal(budget, "Пейки", 40000)
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="bg-BG")
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())
    page.route(f"{base}/**", lambda route: route.continue_())
    login(page, base, *CITIZEN)
    page.goto(f"{base}/bg/no-js/vote/")
    page.check(f"#project-{a.pk}")
    page.locator("form.ballot button[type=submit]").click()
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/receipt/")
    assert Ballot.objects.filter(budget=budget).count() == 1
    context.close()


def test_demo_budget_pages_pass_axe(page, live_server, demo):
    budgets_demo.load(io.StringIO())
    base = live_server.url
    for path, name in (
        ("/bg/grazhdanski-byudzhet-2026/", "demo-cycle-voting"),
        ("/bg/grazhdanski-byudzhet-2026/vote/", "demo-ballot-knapsack"),
        ("/bg/grazhdanski-byudzhet-2025/", "demo-cycle-implementation"),
        ("/bg/grazhdanski-byudzhet-2025/results/", "demo-results"),
        ("/bg/grazhdanski-byudzhet-2025/proekt-2025-1/", "demo-project-done"),
        ("/bg/grazhdanski-byudzhet-2025/verify/", "demo-verify"),
        ("/uk/grazhdanski-byudzhet-2026-uk/", "demo-cycle-voting-uk"),
        ("/en/grazhdanski-byudzhet-2025-en/results/", "demo-results-en"),
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        axe_check(page, path)
        screenshot(page, f"budgets-{name}-390")
    # Nothing but map tiles (MAP_TILE_URL points nowhere in tests) is requested from outside the site.
    assert [url for url in page.blocked_requests if not url.startswith("http://tiles.invalid/")] == []


def test_proposal_place_can_be_marked_on_the_map(page, live_server, demo):
    """The optional map picker: a click marks the place; the address alone stays enough without it."""
    home = _home()
    budget = budget_page(home, phase="proposals", slug="karta-predlozhenie")
    base = live_server.url
    login(page, base, "citizen@zornitsa.example", "demo-citizen-2026")
    page.goto(f"{base}{budget.url}propose/")
    picker = page.locator("[data-location-picker]")
    assert picker.is_visible()
    axe_check(page, "propose with map picker")
    page.fill("input[name=title]", "Пейки на площада")
    page.fill("textarea[name=summary]", "Пет пейки на площада пред читалището.")
    page.fill("textarea[name=description]", "Пейките са за възрастните хора, които чакат автобуса.")
    page.fill("input[name=estimated_cost]", "6000")
    page.fill("input[name=address]", "пл. „Съединение“")
    page.locator("[data-picker-map]").click(position={"x": 120, "y": 100})
    value = page.locator("input[name=location]").input_value()
    assert value.startswith("SRID=4326;POINT(") and value.endswith(")"), value
    assert page.locator("[data-picker-status]").inner_text().strip()
    screenshot(page, "budgets-propose-map-picker-390")
    page.check("input[name=consent]")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    draft = ProposalPage.objects.get(title="Пейки на площада")
    assert draft.location == value and not draft.live
