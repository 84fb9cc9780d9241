"""Demo consultations of the Municipality of Zornitsa: one open (a regulation on public parks) with
comments, a questionnaire and two meetings in different settlements; one closed with a published report;
a quick poll on the home page. Idempotent: nothing is created twice."""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Site

from home.models import HomePage, MunicipalitySettings

from .models import (
    Comment,
    CommentSupport,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationQuestion,
    Decision,
    Meeting,
    MeetingProposal,
    Poll,
    PollChoice,
    QuestionnaireAnswer,
    ReportPublication,
)

INDEX_SLUG = "konsultatsii"
PARKS_SLUG = "naredba-parkove"
KIOSKS_SLUG = "naredba-premestvaemi-obekti"
POLL_QUESTION = "Кое да бъде първо при обновяването на Градската градина в Зорница?"


def _p(text):
    return {"label": "", "text": f"<p>{text}</p>"}


def _draft(items):
    blocks = []
    for kind, value in items:
        if kind == "section":
            blocks.append({"type": "section", "value": {"heading": value}, "id": str(uuid.uuid4())})
        else:
            label, text = value
            blocks.append({"type": "paragraph", "value": {"label": label, "text": f"<p>{text}</p>"}, "id": str(uuid.uuid4())})
    return blocks


PARKS_DRAFT = [
    ("section", "Глава първа. Общи положения"),
    ("paragraph", ("Чл. 1", "С тази наредба се уреждат изграждането, опазването и поддържането на обществените паркове, градини и зелени площи на територията на община Зорница.")),
    ("paragraph", ("Чл. 2", "Обществените паркове и градини са публична общинска собственост и са достъпни за всички граждани без заплащане.")),
    ("section", "Глава втора. Ред в парковете"),
    ("paragraph", ("Чл. 3, ал. 1", "В парковете се забранява движението на моторни превозни средства, с изключение на тези за поддръжка, линейки и пожарни.")),
    ("paragraph", ("Чл. 3, ал. 2", "Велосипеди и тротинетки се движат само по обозначените алеи със скорост до 10 km/h.")),
    ("paragraph", ("Чл. 4", "Домашни кучета се разхождат на повод. Кметът определя със заповед зони за свободно разхождане, обозначени с табели.")),
    ("paragraph", ("Чл. 5", "Детските площадки се проверяват от общината всеки месец, а резултатът от проверката се поставя на табло на площадката.")),
    ("section", "Глава трета. Дървета и зелени площи"),
    ("paragraph", ("Чл. 6", "Отсичане на здрави дървета в парковете се допуска само с разрешение на кмета след становище на експертен съвет, което се публикува на сайта на общината.")),
    ("paragraph", ("Чл. 7", "За всяко отсечено дърво се засаждат не по-малко от две нови дървета от местни видове в същия парк или в най-близката зелена площ.")),
    ("section", "Глава четвърта. Контрол и санкции"),
    ("paragraph", ("Чл. 8", "Нарушенията се установяват от служители на общинската администрация и се наказват с глоба от 50 до 500 лв.")),
]

PARKS_COMMENTS = [
    # paragraph index, author key, text, [supporters]
    (2, "citizen", "Предлагам изрично да се допуска и движението на инвалидни колички с двигател – те не са моторни превозни средства, но текстът може да се тълкува погрешно.", ["citizen2", "moderator"]),
    (3, "citizen2", "10 km/h е твърде ниско за велосипед. В Градската градина алеите са широки – предлагам 15 km/h и отделни ленти за пешеходци.", ["citizen"]),
    (4, "citizen", "Зоната за кучета трябва да е оградена, иначе децата от съседната площадка не са в безопасност. Моля да се определи поне по една зона във всяко населено място, не само в града.", ["citizen2"]),
    (6, "citizen2", "Становището на експертния съвет трябва да се публикува поне 14 дни преди отсичането, за да могат хората да реагират.", ["citizen", "moderator"]),
    (None, "citizen", "Като цяло наредбата е добра, но липсва текст за пейки и чешми с питейна вода. Моля да се добави.", []),
]

PARKS_QUESTIONS = [
    ("Колко често посещавате парк или градина в общината?", "radio", "Всеки ден\nВсяка седмица\nНяколко пъти в месеца\nРядко"),
    ("Кое липсва най-много в парковете?", "checkboxes", "Пейки\nЧешми с питейна вода\nОсветление\nТоалетни\nЗони за кучета\nДетски площадки"),
    ("Доколко сте доволни от поддръжката на парковете днес?", "scale", ""),
    ("В кое населено място живеете?", "settlement", ""),
    ("Какво друго бихте променили в проекта?", "multiline", ""),
]

KIOSKS_DRAFT = [
    ("section", "Общи положения"),
    ("paragraph", ("Чл. 1", "Наредбата урежда реда за поставяне на преместваеми обекти за търговия и услуги върху общински терени.")),
    ("paragraph", ("Чл. 2", "Разрешение за поставяне се издава от главния архитект за срок до пет години.")),
    ("paragraph", ("Чл. 3", "Преместваеми обекти не се поставят на тротоари, по-тесни от 2,5 m след поставянето им.")),
]


def _users():
    User = get_user_model()
    emails = {
        "editor": "editor@zornitsa.example",
        "moderator": "moderator@zornitsa.example",
        "citizen": "citizen@zornitsa.example",
        "citizen2": "citizen2@zornitsa.example",
    }
    return {key: User.objects.filter(email=email).first() for key, email in emails.items()}


def _settlement(name):
    return MunicipalitySettings.load().settlements.filter(name=name).first()


def load(stdout):
    bg = Locale.objects.get(language_code="bg")
    home = HomePage.objects.filter(locale=bg).first()
    if home is None:
        home = Site.objects.get(is_default_site=True).root_page.specific
    users = _users()
    now = timezone.now()

    index = ConsultationIndexPage.objects.filter(slug=INDEX_SLUG).first()
    if index is None:
        index = ConsultationIndexPage(
            title="Обществени консултации",
            slug=INDEX_SLUG,
            intro="Проекти на наредби и решения, по които общината иска вашето мнение, срещите по тях и докладите с това какво е прието.",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    parks = ConsultationPage.objects.filter(slug=PARKS_SLUG).first()
    if parks is None:
        parks = ConsultationPage(
            title="Проект на Наредба за обществените паркове и градини",
            slug=PARKS_SLUG,
            summary="Общината предлага нови правила за реда в парковете, опазването на дърветата и детските площадки. Кажете ни какво да променим, преди проектът да отиде в общинския съвет.",
            question="Съгласни ли сте с предложените правила и какво бихте променили?",
            introduction="<p>Проектът е изготвен след многобройни сигнали за паркирани коли в Градската градина и за отсечени дървета без обяснение. Пълният текст с мотивите е приложен по-долу.</p>",
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=21),
            draft=_draft(PARKS_DRAFT),
            questionnaire_intro="Пет кратки въпроса – отнемат около две минути. Можете да промените отговорите си до края на консултацията.",
            verification_level="account",
        )
        index.add_child(instance=parks)
        for order, (label, kind, choices) in enumerate(PARKS_QUESTIONS):
            ConsultationQuestion.objects.create(page=parks, sort_order=order, label=label, field_type=kind, choices=choices, required=kind != "multiline")
        parks.topics.add("паркове", "околна среда")
        parks.save()
        parks.save_revision().publish()
        parks.refresh_from_db()
        paragraphs = [block.id for block in parks.draft if block.block_type == "paragraph"]
        for index_of, author_key, text, supporters in PARKS_COMMENTS:
            comment = Comment.objects.create(
                page=parks,
                author=users[author_key],
                paragraph_id=paragraphs[index_of] if index_of is not None else "",
                body=text,
                created_at=now - datetime.timedelta(days=8, hours=-len(text) % 48),
            )
            for supporter in supporters:
                CommentSupport.objects.create(comment=comment, user=users[supporter])
            if index_of == 6:
                Comment.objects.create(
                    page=parks,
                    author=users["editor"],
                    parent=comment,
                    paragraph_id=comment.paragraph_id,
                    is_official=True,
                    body="Благодарим за предложението. Ще предложим становищата да се публикуват 14 дни преди отсичане, освен при опасност за хората.",
                    created_at=now - datetime.timedelta(days=5),
                )
        QuestionnaireAnswer.objects.create(
            page=parks,
            author=users["citizen2"],
            respondent=f"u{users['citizen2'].pk}",
            data=dict(
                zip(
                    [q.clean_name for q in ConsultationQuestion.objects.filter(page=parks).order_by("sort_order")],
                    ["Всяка седмица", ["Пейки", "Осветление"], "2", "Ясеново", "Повече сянка на детските площадки."],
                )
            ),
        )
        Meeting.objects.create(
            page=parks,
            title="Обществено обсъждане в Зорница",
            starts_at=(now + datetime.timedelta(days=7)).replace(hour=16, minute=0, second=0, microsecond=0),
            ends_at=(now + datetime.timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0),
            settlement=_settlement("Зорница"),
            address="Заседателна зала на общината, пл. „Съединение“ 1, ет. 2",
            location="SRID=4326;POINT(25.6345 42.4258)",
            agenda="1. Представяне на проекта.\n2. Въпроси и предложения от гражданите.",
            accessibility="Залата е достъпна с асансьор. При нужда от жестов преводач, обадете се до три дни преди срещата.",
        )
        Meeting.objects.create(
            page=parks,
            title="Среща в село Бреза",
            starts_at=(now + datetime.timedelta(days=12)).replace(hour=17, minute=30, second=0, microsecond=0),
            settlement=_settlement("Бреза"),
            address="Читалище „Светлина“, ул. „Васил Левски“ 12",
            location="SRID=4326;POINT(25.5921 42.4503)",
            agenda="Паркът в центъра на селото и зоната за кучета.",
            accessibility="Входът е на нивото на улицата, без стъпала.",
        )

    kiosks = ConsultationPage.objects.filter(slug=KIOSKS_SLUG).first()
    if kiosks is None:
        kiosks = ConsultationPage(
            title="Проект на Наредба за преместваемите обекти",
            slug=KIOSKS_SLUG,
            summary="Правила за павилионите и масите на открито върху общински терени.",
            question="Достатъчно ли място остава за пешеходците според проекта?",
            opens_at=now - datetime.timedelta(days=75),
            closes_at=now - datetime.timedelta(days=40),
            draft=_draft(KIOSKS_DRAFT),
            report_summary="<p>Получени са 3 предложения онлайн и 2 на обществената среща. Приети изцяло или частично са 3.</p>",
            final_text_changes="<p>В чл. 3 минималната свободна ширина на тротоара е увеличена от 2,5 m на 3 m. Срокът на разрешението в чл. 2 е намален на три години.</p>",
        )
        index.add_child(instance=kiosks)
        kiosks.topics.add("градска среда")
        kiosks.save()
        kiosks.save_revision().publish()
        kiosks.refresh_from_db()
        paragraphs = [block.id for block in kiosks.draft if block.block_type == "paragraph"]
        decided = [
            (2, "citizen", "2,5 m са малко за майки с колички. Предлагам 3 m.", Decision.ACCEPTED, "Приема се: минималната ширина става 3 m."),
            (1, "citizen2", "Пет години е твърде дълъг срок – предлагам две години.", Decision.PARTLY, "Срокът е намален на три години, за да се изплати инвестицията на търговците."),
            (None, "citizen", "Да се забранят павилионите в Градската градина.", Decision.NOT_ACCEPTED, "Градината е уредена в отделна наредба за парковете."),
        ]
        for index_of, author_key, text, decision, reason in decided:
            Comment.objects.create(
                page=kiosks,
                author=users[author_key],
                paragraph_id=paragraphs[index_of] if index_of is not None else "",
                body=text,
                created_at=now - datetime.timedelta(days=60),
                decision=decision,
                decision_reason=reason,
                decided_at=now - datetime.timedelta(days=30),
                decided_by=users["editor"],
            )
        meeting = Meeting.objects.create(
            page=kiosks,
            title="Обществено обсъждане в Ясеново",
            starts_at=(now - datetime.timedelta(days=50)).replace(hour=17, minute=0, second=0, microsecond=0),
            settlement=_settlement("Ясеново"),
            address="Кметство Ясеново, ул. „Христо Ботев“ 1",
            location="SRID=4326;POINT(25.7012 42.4011)",
            agenda="Представяне на проекта и предложения.",
            attendees=23,
        )
        MeetingProposal.objects.create(
            meeting=meeting, sort_order=0, text="Павилионите пред училището да не продават енергийни напитки.", proposed_by="",
            decision=Decision.NOTED, decision_reason="Извън предмета на наредбата; предадено на отдел „Търговия“.",
            decided_at=now - datetime.timedelta(days=30), decided_by=users["editor"],
        )
        MeetingProposal.objects.create(
            meeting=meeting, sort_order=1, text="Масите на открито да се прибират след 23 ч.", proposed_by="Иван Костов",
            decision=Decision.ACCEPTED, decision_reason="Добавено като условие в разрешението.",
            decided_at=now - datetime.timedelta(days=30), decided_by=users["editor"],
        )
        ReportPublication.objects.create(page=kiosks, published_at=now - datetime.timedelta(days=20), published_by=users["editor"])

    poll = Poll.objects.filter(question=POLL_QUESTION).first()
    if poll is None:
        poll = Poll(question=POLL_QUESTION, closes_at=now + datetime.timedelta(days=14))
        poll.choices = [
            PollChoice(text=text, sort_order=i)
            for i, text in enumerate(["Ново осветление", "Ремонт на алеите", "Чешми с питейна вода", "Нова детска площадка"])
        ]
        poll.save()
    for home_page in HomePage.objects.filter(locale=bg):  # the poll is in Bulgarian
        if not any(block.block_type == "poll" for block in home_page.body):
            home_page.body.append(("poll", {"poll": poll}))
            home_page.save_revision().publish()
    stdout.write("Consultations: the parks regulation (open), the kiosks regulation (report published), a poll on the home page.")
