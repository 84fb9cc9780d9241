"""Demo budgets of the Municipality of Zornitsa: one cycle in voting, one with published results and
implementation updates. Idempotent: cycles that exist are left alone."""

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Locale, Site

from home.models import MunicipalitySettings
from participation.drafts import create_citizen_draft

from .models import (
    Ballot,
    BallotChoice,
    BallotRule,
    BudgetCategory,
    BudgetPage,
    Channel,
    Feasibility,
    ImplementationStatus,
    ImplementationUpdate,
    OutcomeRule,
    ProposalPage,
)
from .services import identity_hash, publish_results

VOTING_SLUG = "grazhdanski-byudzhet-2026"
CLOSED_SLUG = "grazhdanski-byudzhet-2025"

VOTING_PROJECTS = [
    # title, summary, category index, estimated, final, feasibility, reason, address
    ("Детска площадка в кв. „Изток“", "Нови съоръжения с ударопоглъщаща настилка и сенник за най-малките.", 0, 48000, 52000, "feasible", "Теренът е общински; цената включва настилка по БДС EN 1177.", "ул. „Иван Вазов“ 14"),
    ("Велоалея по бул. „Освобождение“", "Обособена велоалея от гарата до училището, 1,2 км.", 0, 95000, 110000, "feasible", "Изпълнимо; добавени са пътна маркировка и сигнализация.", "бул. „Освобождение“"),
    ("Пейки и сянка в градския парк", "Двадесет нови пейки и осемнадесет дървета по алеите.", 0, 22000, 22000, "feasible", "Изпълнимо в рамките на прогнозата.", "Градски парк"),
    ("Осветление на пешеходни пътеки", "LED осветление на три пешеходни пътеки към спирките.", 0, 36000, 41000, "feasible", "Изпълнимо; цената включва захранване от съществуващата мрежа.", "кв. „Запад“"),
    ("Покрит басейн", "Общински покрит басейн за целогодишно плуване.", 0, 900000, None, "not_feasible", "Цената надхвърля многократно бюджета на цикъла; предложението е препратено към капиталовата програма.", "Спортен комплекс"),
    ("Ремонт на читалището в Бреза", "Нов покрив и отопление на читалище „Просвета“.", 1, 60000, 64000, "feasible", "Изпълнимо; сградата е общинска собственост.", "с. Бреза, пл. „Централен“ 2"),
    ("Автобусна спирка с навес в Липово", "Спирка с навес, пейка и разписание с едър шрифт.", 1, 12000, 14000, "feasible", "Изпълнимо.", "с. Липово, главен път"),
    ("Чешма и зона за отдих в Каменец", "Възстановяване на старата чешма и кътове за почивка.", 1, 18000, 18000, "feasible", "Изпълнимо.", "с. Каменец, центъра"),
    ("Дигитален център за възрастни в Ясеново", "Зала с компютри и обучения за възрастни хора два пъти седмично.", 1, 25000, 27000, "feasible", "Изпълнимо; помещението е в кметството.", "с. Ясеново, кметство"),
]

# Around the town of Zornitsa (the villages a few kilometres away).
LOCATIONS = [
    "SRID=4326;POINT(25.6412 42.4281)", "SRID=4326;POINT(25.6290 42.4240)", "SRID=4326;POINT(25.6350 42.4300)",
    "SRID=4326;POINT(25.6205 42.4215)", "SRID=4326;POINT(25.6460 42.4195)", "SRID=4326;POINT(25.5820 42.4510)",
    "SRID=4326;POINT(25.7010 42.4020)", "SRID=4326;POINT(25.6640 42.4720)", "SRID=4326;POINT(25.5950 42.3890)",
]

CLOSED_PROJECTS = [
    ("Ремонт на тротоари около училище „Христо Ботев“", "Нови тротоари и достъпни рампи около училището.", 62000, 820, "ул. „Христо Ботев“"),
    ("Зелен двор на детска градина „Слънце“", "Дървета, пясъчник и градинка в двора на детската градина.", 28000, 640, "ДГ „Слънце“"),
    ("Фитнес на открито", "Уреди за упражнения на открито до стадиона.", 35000, 560, "Стадион „Зорница“"),
    ("Библиотека на колела", "Микробус, който носи книги до селата два пъти месечно.", 45000, 410, "Цялата община"),
    ("Кучешка площадка", "Оградена площадка за разходка на кучета.", 15000, 300, "кв. „Изток“"),
    ("Мултимедия за читалището", "Прожектор и озвучаване за читалище „Светлина“.", 18000, 190, "ул. „Раковски“ 3"),
]

IMPLEMENTATION = {
    0: (ImplementationStatus.DONE, 100, [
        (datetime.date(2025, 10, 6), "Подписан е договор с изпълнителя след открита процедура."),
        (datetime.date(2025, 11, 14), "Тротоарите са завършени; рампите са проверени от Съюза на слепите."),
    ]),
    1: (ImplementationStatus.IN_PROGRESS, 60, [
        (datetime.date(2025, 11, 3), "Засадени са 14 дървета; пясъчникът се изработва."),
    ]),
    2: (ImplementationStatus.PLANNED, 10, [
        (datetime.date(2025, 11, 20), "Уредите са поръчани, монтажът е насрочен за пролетта."),
    ]),
    3: (ImplementationStatus.IN_PROGRESS, 35, [
        (datetime.date(2025, 10, 28), "Микробусът е закупен; предстои оборудване с рафтове."),
    ]),
}

TRANSLATED_TITLES = {
    VOTING_SLUG: {"uk": "Бюджет участі 2026", "en": "Citizens' budget 2026"},
    CLOSED_SLUG: {"uk": "Бюджет участі 2025", "en": "Citizens' budget 2025"},
}


def _photo(title, colour):
    image = PILImage.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([60, 300, 900, 480], fill=(240, 240, 230))
    draw.ellipse([700, 60, 840, 200], fill=(250, 210, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="budget-demo.png"))


def _translate(page, slug):
    for code, title in TRANSLATED_TITLES[slug].items():
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        if page.get_translations().filter(locale=locale).exists():
            continue
        translated = page.copy_for_translation(locale)
        translated.title = title
        translated.slug = f"{slug}-{code}"
        translated.save_revision().publish()


def _publish(page):
    page.save_revision().publish()
    return page


def load(stdout):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    now = timezone.now()
    users = get_user_model().objects
    citizen = users.filter(email="citizen@zornitsa.example").first()
    citizen2 = users.filter(email="citizen2@zornitsa.example").first()
    editor = users.filter(email="editor@zornitsa.example").first()
    settlements = list(MunicipalitySettings.load().settlements.all())

    if not BudgetPage.objects.filter(slug=VOTING_SLUG).exists():
        budget = BudgetPage(
            title="Граждански бюджет 2026",
            slug=VOTING_SLUG,
            summary="300 000 € от бюджета на общината за проекти, предложени и избрани от жителите.",
            body="<p>Всеки жител на общината над 16 години може да гласува. Изберете проекти, чиято обща стойност се побира в сумата за всяка категория.</p>",
            amount=300000,
            currency="EUR",
            proposals_opens_at=now - datetime.timedelta(days=75),
            proposals_closes_at=now - datetime.timedelta(days=45),
            voting_opens_at=now - datetime.timedelta(days=5),
            voting_closes_at=now + datetime.timedelta(days=16),
            implementation_starts_at=now + datetime.timedelta(days=60),
            minimum_age=16,
            ballot_rule=BallotRule.KNAPSACK,
            outcome_rule=OutcomeRule.MES,
            allow_ballot_changes=True,
            identity_check=False,
        )
        home.add_child(instance=budget)
        budget.categories = [
            BudgetCategory(name="Град Зорница", amount=180000, description="Проекти в града", sort_order=0),
            BudgetCategory(name="Селата", amount=120000, description="Проекти в селата на общината", sort_order=1),
        ]
        _publish(budget)
        categories = list(BudgetCategory.objects.filter(page=budget).order_by("sort_order"))
        projects = []
        for index, (title, summary, category, estimated, final, feasibility, reason, address) in enumerate(VOTING_PROJECTS):
            author = citizen if index % 2 == 0 else citizen2
            page = ProposalPage(
                title=title, slug=f"proekt-2026-{index + 1}", summary=summary,
                description=summary + " Проектът е обсъден със съседите и има подкрепата на местния клуб на пенсионерите.",
                category=categories[category], estimated_cost=estimated, final_cost=final,
                feasibility=feasibility, feasibility_reason=reason, address=address,
                citizen_author=author, location=LOCATIONS[index],
                first_published_at=budget.proposals_closes_at,  # approved before voting opened
            )
            budget.add_child(instance=page)
            _publish(page)
            if feasibility == Feasibility.FEASIBLE:
                projects.append(page)
        draft = ProposalPage(
            title="Пейки на спирките в Дъбрава", slug="proekt-2026-chernova", summary="Две пейки на спирките.",
            description="Пейки на двете спирки в селото.", category=categories[1], estimated_cost=3000,
            address="с. Дъбрава",
        )
        create_citizen_draft(parent=budget, page=draft, author=citizen2)
        rng = random.Random(2026)
        for number in range(60):
            settlement = rng.choice(settlements)
            city = [p for p in projects if p.category_id == categories[0].pk]
            villages = [p for p in projects if p.category_id == categories[1].pk]
            chosen = []
            for pool, limit in ((city, 180000), (villages, 120000)):
                rng.shuffle(pool)
                spent = 0
                for project in pool:
                    if spent + project.cost <= limit and rng.random() < 0.6:
                        chosen.append(project.pk)
                        spent += project.cost
            if not chosen:
                chosen = [projects[0].pk]
            ballot = Ballot.objects.create(
                budget=budget, channel=Channel.PAPER if number % 4 == 0 else Channel.ONLINE,
                identity_hash=identity_hash(name=f"Гласоподавател {number}", settlement_id=settlement.pk, document=f"64{number:07d}"),
                settlement=settlement, entered_by=editor if number % 4 == 0 else None,
                is_anonymised=number % 4 != 0,
            )
            BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, project_id=pk) for pk in chosen])
        _translate(budget, VOTING_SLUG)
        stdout.write("Budgets: cycle 2026 in voting (knapsack ballot, two categories, 60 ballots).")

    if not BudgetPage.objects.filter(slug=CLOSED_SLUG).exists():
        budget = BudgetPage(
            title="Граждански бюджет 2025",
            slug=CLOSED_SLUG,
            summary="150 000 € за проекти на жителите. Резултатите са публикувани, проектите се изпълняват.",
            body="<p>Гласуването приключи. Гласуваха 1 043 жители онлайн и на хартия.</p>",
            amount=150000,
            currency="EUR",
            proposals_opens_at=now - datetime.timedelta(days=330),
            proposals_closes_at=now - datetime.timedelta(days=300),
            voting_opens_at=now - datetime.timedelta(days=240),
            voting_closes_at=now - datetime.timedelta(days=220),
            implementation_starts_at=now - datetime.timedelta(days=150),
            ballot_rule=BallotRule.APPROVAL,
            approval_max=3,
            approval_min=1,
            outcome_rule=OutcomeRule.GREEDY,
        )
        home.add_child(instance=budget)
        _publish(budget)
        pages = []
        for index, (title, summary, cost, _votes, address) in enumerate(CLOSED_PROJECTS):
            page = ProposalPage(
                title=title, slug=f"proekt-2025-{index + 1}", summary=summary, description=summary,
                estimated_cost=cost, final_cost=cost, feasibility=Feasibility.FEASIBLE,
                feasibility_reason="Изпълнимо.", address=address, citizen_author=citizen if index % 2 else citizen2,
                whole_municipality=address == "Цялата община",
                first_published_at=budget.proposals_closes_at,
            )
            budget.add_child(instance=page)
            _publish(page)
            pages.append(page)
        rng = random.Random(2025)
        channels = [Channel.ONLINE] * 7 + [Channel.PAPER] * 2 + [Channel.ASSISTED]
        target = {page.pk: votes for page, (_t, _s, _c, votes, _a) in zip(pages, CLOSED_PROJECTS)}
        ballots = []
        for number in range(1043):
            chosen = [pk for pk, votes in target.items() if rng.random() < votes / 1043 * 1.1][:3] or [pages[0].pk]
            ballots.append((chosen, rng.choice(channels), rng.choice(settlements)))
        created = Ballot.objects.bulk_create([
            Ballot(budget=budget, channel=channel, settlement=settlement, is_anonymised=True,
                   created_at=budget.voting_opens_at + datetime.timedelta(minutes=number * 20),
                   updated_at=budget.voting_opens_at + datetime.timedelta(minutes=number * 20))
            for number, (_chosen, channel, settlement) in enumerate(ballots)
        ])
        BallotChoice.objects.bulk_create(
            [BallotChoice(ballot=ballot, project_id=pk) for ballot, (chosen, _ch, _s) in zip(created, ballots) for pk in chosen]
        )
        result = publish_results(budget=budget, rule=OutcomeRule.GREEDY, actor=editor)
        colours = [(70, 130, 90), (90, 150, 200), (160, 110, 70), (120, 90, 160)]
        for index, (status, progress, updates) in IMPLEMENTATION.items():
            page = ProposalPage.objects.get(pk=pages[index].pk)
            if page.pk not in result.funded_ids:
                continue
            page.implementation_status = status
            page.implementation_progress = progress
            page.updates = [
                ImplementationUpdate(date=date, text=text, sort_order=n,
                                     photo=_photo(f"{page.title} – {date:%d.%m.%Y}", colours[index]) if n == len(updates) - 1 else None)
                for n, (date, text) in enumerate(updates)
            ]
            _publish(page)
        _translate(budget, CLOSED_SLUG)
        stdout.write("Budgets: cycle 2025 with published results and implementation updates.")
