"""The admin dashboard shows moderators and editors (non-superusers) the budgets work the rule
`budgets.review_proposal` gives them: proposal drafts waiting for moderation, feasibility reviews pending.
NGO publishers and office staff see neither."""


import pytest
from django.urls import reverse

from budgets import services
from budgets.models import Feasibility
from tests.factories.budgets import budget_page, proposal
from tests.factories.users import CitizenFactory, EditorFactory, ModeratorFactory, NGOPublisherFactory, OfficeStaffFactory
from tests.helpers import assert_queries_constant, dashboard_panels

pytestmark = pytest.mark.django_db

ROLE_FACTORIES = {"NGO publishers": NGOPublisherFactory, "Office staff": OfficeStaffFactory}

DRAFTS = "veche-proposal-drafts-section"
REVIEWS = "veche-feasibility-reviews-section"





def submit(budget, title):
    return services.submit_proposal(
        budget=budget, author=CitizenFactory(), title=title, summary="Кратко", description="Описание",
        estimated_cost=5000, address="ул. „Шипка“ 3",
    )


@pytest.fixture
def work(home_page, settlements):
    collecting = budget_page(home_page, phase="proposals", title="Бюджет 2027")
    waiting = submit(collecting, "Пейки край реката")
    sent_back = submit(collecting, "Фонтан в центъра")
    sent_back.current_workflow_task_state.specific.reject(user=ModeratorFactory(), comment="Уточнете мястото.")
    reviewing = budget_page(home_page, phase="review", title="Бюджет 2026")
    pending = proposal(reviewing, "Детска площадка в Бреза", feasibility=Feasibility.PENDING)
    proposal(reviewing, "Осветление на алеята", feasibility=Feasibility.FEASIBLE)
    proposal(reviewing, "Неиздаден проект", feasibility=Feasibility.PENDING, live=False)
    return {"waiting": waiting, "pending": pending}


@pytest.mark.parametrize("factory", [ModeratorFactory, EditorFactory], ids=["moderator", "editor"])
def test_moderators_and_editors_see_drafts_and_pending_reviews(client, work, factory):
    shown = dashboard_panels(client, factory())
    drafts, reviews = shown[DRAFTS], shown[REVIEWS]
    assert "Пейки край реката" in drafts and "Предложение" in drafts and "Бюджет 2027" in drafts
    assert reverse("wagtailadmin_pages:edit", args=[work["waiting"].pk]) in drafts
    assert "Фонтан в центъра" not in drafts  # sent back to its author: not waiting for moderation
    assert "Детска площадка в Бреза" in reviews and "Бюджет 2026" in reviews
    assert reverse("budgets_admin:review", args=[work["pending"].pk]) in reviews
    assert "Осветление на алеята" not in reviews and "Неиздаден проект" not in reviews


@pytest.mark.parametrize("group", ["NGO publishers", "Office staff"])
def test_ngo_publishers_and_office_staff_see_no_budgets_panel(client, work, group):
    shown = dashboard_panels(client, ROLE_FACTORIES[group]())
    assert DRAFTS not in shown and REVIEWS not in shown


def test_empty_panels_say_so_in_one_line(client, home_page, settlements):
    shown = dashboard_panels(client, ModeratorFactory())
    assert "Няма предложения, които чакат модерация." in shown[DRAFTS]
    assert "Няма предложения, които чакат оценка за изпълнимост." in shown[REVIEWS]


def test_at_most_ten_rows_and_a_link_to_all(client, home_page, settlements):
    reviewing = budget_page(home_page, phase="review")
    for number in range(12):
        proposal(reviewing, f"Проект {number}", feasibility=Feasibility.PENDING)
    reviews = dashboard_panels(client, EditorFactory())[REVIEWS]
    assert reviews.count("<tr>") == 11  # the header and ten rows
    assert reverse("budgets_admin:list") in reviews and "12" in reviews


def test_dashboard_queries_do_not_grow_with_the_work(client, home_page, settlements):
    client.force_login(EditorFactory())
    collecting = budget_page(home_page, phase="proposals", title="Бюджет 2027")
    reviewing = budget_page(home_page, phase="review", title="Бюджет 2026")
    submit(collecting, "Първо предложение")
    proposal(reviewing, "Първи проект", feasibility=Feasibility.PENDING)

    def grow():
        for number in range(3):
            submit(collecting, f"Предложение {number}")
            proposal(reviewing, f"Проект {number}", feasibility=Feasibility.PENDING)

    assert_queries_constant(client, "/admin/", grow)
