"""Demo petitions of the Municipality of Zornitsa: one in every state, one with a few thousand signatures."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from home.models import HomePage, MunicipalitySettings
from participation.models import VerificationLevel

from . import services
from .models import Decision, PetitionIndexPage, PetitionPage, PetitionState, PetitionUpdate, RejectionReason, Signature, Stage  # noqa: F401

INDEX = {
    "bg": ("Петиции", "petitsii", "Предложете какво да направи общината. Петиция, събрала нужния брой подписи в срок, получава официален отговор."),
    "uk": ("Петиції", "petytsii", "Запропонуйте, що має зробити громада. Петиція, яка вчасно зібрала потрібну кількість підписів, отримує офіційну відповідь."),
    "en": ("Petitions", "petitions", "Propose what the municipality should do. A petition that collects enough signatures in time gets an official response."),
}

FIRST_NAMES = ["Иван", "Мария", "Георги", "Елена", "Димитър", "Надежда", "Петър", "Йорданка", "Николай", "Стефка", "Христо", "Ралица"]
LAST_INITIALS = "АБВГДЕЖЗИКЛМНОПРСТ"

# key, title, action, why, settlement index or None, tags, author email, target state, signatures, days since opening
PETITIONS = [
    (
        "bus",
        "Автобусна линия между Дъбрава и Зорница и в неделя",
        "Общината да възложи на превозвача неделни курсове по линия № 7 Дъбрава – Липово – Зорница: сутрин и следобед.",
        "В неделя от Дъбрава и Липово няма никакъв транспорт до града. Възрастните хора не могат да стигнат до болницата и аптеката, а младите не могат да работят в града през почивните дни.",
        None, ["транспорт"], "citizen@zornitsa.example", "awaiting", 2840, 40,
    ),
    (
        "crossing",
        "Пешеходна пътека и светофар до училището в Бреза",
        "Да се изгради осветена пешеходна пътека със светофар на бул. „Освобождение“ пред ОУ „Христо Ботев“ в Бреза.",
        "Всеки ден над 200 деца пресичат оживения път без пешеходна пътека. През последните две години имаше два инцидента.",
        1, ["транспорт", "училища"], "citizen2@zornitsa.example", "open", 164, 12,
    ),
    (
        "park",
        "Ремонт на детската площадка в парк „Възраждане“",
        "Общината да подмени счупените съоръжения и настилката на детската площадка в парк „Възраждане“ до края на годината.",
        "Люлките са счупени от две години, а гумената настилка се е разкъсала. Родителите водят децата в съседни общини.",
        0, ["паркове", "деца"], "citizen@zornitsa.example", "open", 37, 3,
    ),
    (
        "library",
        "По-дълго работно време на общинската библиотека",
        "Библиотеката в Зорница да работи до 19:00 в делнични дни и в събота сутрин.",
        "Работещите хора и учениците не могат да ползват библиотеката, защото тя затваря в 17:00 и не работи в събота.",
        0, ["култура"], "citizen2@zornitsa.example", "responded", 352, 70,
    ),
    (
        "lights",
        "Улично осветление на пътя към гробищата в Каменец",
        "Да се поставят улични лампи по пътя от центъра на Каменец до гробищния парк.",
        "Пътят е тъмен след 17:00 през зимата и хората се връщат от гробищата в пълна тъмнина.",
        3, ["осветление"], "citizen@zornitsa.example", "closed", 86, 75,
    ),
    (
        "dogs",
        "Приют за безстопанствени кучета",
        "Общината да открие приют за безстопанствени кучета с програма за кастрация и осиновяване.",
        "Глутници кучета в кварталите плашат децата и възрастните хора.",
        None, ["животни"], "citizen2@zornitsa.example", "moderation", 1, 0,
    ),
    (
        "market",
        "Фермерски пазар всяка събота на площада",
        "Общината да разреши и организира фермерски пазар всяка събота сутрин на пл. „Съединение“.",
        "Местните производители нямат къде да продават, а хората искат свежи местни продукти.",
        0, ["търговия"], "citizen@zornitsa.example", "sponsoring", 1, 0,
    ),
    (
        "bikes",
        "Велоалея по поречието на реката",
        "Да се изгради велоалея от Зорница до Ясеново покрай реката.",
        "Искаме.",
        4, ["транспорт"], "citizen2@zornitsa.example", "changes", 1, 0,
    ),
    (
        "mayor",
        "Кметът да подаде оставка",
        "Кметът да си подаде оставката веднага.",
        "Не ни харесва как управлява.",
        None, [], "citizen@zornitsa.example", "rejected", 1, 0,
    ),
]


def _index(home):
    existing = PetitionIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    title, slug, intro = INDEX["bg"]
    index = PetitionIndexPage(
        title=title,
        slug=slug,
        intro=intro,
        show_in_menus=True,
        sponsors_required=3,
        signature_level=VerificationLevel.EMAIL,
        review_domains="mailinator.com\nguerrillamail.com\n10minutemail.com",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    for code in ("uk", "en"):
        locale = Locale.objects.get(language_code=code)
        try:
            index.get_translation(locale)
            continue
        except Page.DoesNotExist:
            pass
        translated = index.copy_for_translation(locale, copy_parents=False)
        translated.title, translated.slug, translated.intro = INDEX[code]
        translated.save_revision().publish()
    return index


def _bulk_signatures(page, count, settlements, started):
    rng = random.Random(page.pk)
    weights = [max(1, (s.population or 500)) for s in settlements]
    rows = []
    for number in range(count):
        settlement = rng.choices(settlements, weights=weights)[0] if rng.random() > 0.04 else None
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
        at = started + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 9))
        rows.append(
            Signature(
                petition=page,
                name=name,
                email=f"signatory{page.pk}-{number}@demo.zornitsa.example",
                settlement=settlement,
                show_name=rng.random() < 0.3,
                notify=rng.random() < 0.6,
                created_at=at,
                confirmed_at=at,
            )
        )
    Signature.objects.bulk_create(rows, batch_size=1000)


def load(stdout):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        return
    index = _index(home)
    if PetitionPage.objects.child_of(index).exists():
        stdout.write("Petitions: demo petitions exist already.")
        return
    User = get_user_model()
    editor = User.objects.get(email="editor@zornitsa.example")
    municipality = MunicipalitySettings.load()
    settlements = list(municipality.settlements.order_by("sort_order"))
    now = timezone.now()
    for key, title, action, why, settlement_index, tags, author_email, target, signatures, days in PETITIONS:
        author = User.objects.get(email=author_email)
        settlement = settlements[settlement_index] if settlement_index is not None else None
        created = now - datetime.timedelta(days=days + 3)
        page = services.create_draft(
            index=index, author=author, title=title, summary=action, background=why, settlement=settlement, tags=tags, now=created
        )
        state = PetitionState.objects.get(page=page)
        if target == "sponsoring":
            continue
        if state.stage == Stage.SPONSORING:  # the demo's co-sponsors: the other demo citizen and staff
            PetitionState.objects.filter(pk=state.pk).update(sponsors_required=0)
            state.refresh_from_db()
            services.send_to_moderation(page=page, state=state, author=author, now=created)
        if target == "moderation":
            continue
        if target == "changes":
            task_state = page.current_workflow_task_state
            if task_state is not None:
                task_state.specific.reject(user=editor, comment="Моля, обяснете подробно защо велоалеята е нужна и кой ще я ползва.")
            continue
        if target == "rejected":
            services.reject(page=page, actor=editor, reason=RejectionReason.NOT_COMPETENT, details="Оставката на кмета не може да бъде поискана с петиция; тя е въпрос на закона за местното самоуправление.")
            continue
        opened = now - datetime.timedelta(days=days)
        workflow_state = page.current_workflow_state
        if workflow_state is not None:
            workflow_state.cancel(user=editor)
        page.get_latest_revision().publish(user=editor)
        state.refresh_from_db()
        closes = opened + datetime.timedelta(days=index.effective_collection_days)
        PetitionState.objects.filter(pk=state.pk).update(opened_at=opened, closes_at=closes)
        PetitionPage.objects.filter(pk=page.pk).update(opens_at=opened, closes_at=closes, first_published_at=opened)
        if target == "closed":
            closes = now - datetime.timedelta(days=10)
            PetitionState.objects.filter(pk=state.pk).update(closes_at=closes)
            PetitionPage.objects.filter(pk=page.pk).update(closes_at=closes)
        _bulk_signatures(page, signatures - 1, settlements, opened)
        services.recount(petition_id=page.pk)
        state.refresh_from_db()
        if state.threshold_reached_at:
            PetitionState.objects.filter(pk=state.pk).update(threshold_reached_at=opened + datetime.timedelta(days=min(days - 1, 25)))
        if target == "responded":
            page = PetitionPage.objects.get(pk=page.pk)
            reached = opened + datetime.timedelta(days=20)
            PetitionState.objects.filter(pk=state.pk).update(threshold_reached_at=reached, response_notified_at=now)
            page.response_decision = Decision.PARTLY
            page.response_date = (reached + datetime.timedelta(days=9)).date()
            page.response_text = (
                "<p>Общината приема библиотеката да работи до 19:00 от понеделник до четвъртък от 1 септември. "
                "Съботно работно време ще бъде въведено след назначаване на още един библиотекар, предвидено в бюджета за следващата година.</p>"
            )
            page.updates = [
                PetitionUpdate(date=(reached + datetime.timedelta(days=15)).date(), text="<p>Общинският съвет одобри промяната в щатното разписание.</p>"),
                PetitionUpdate(date=(reached + datetime.timedelta(days=30)).date(), text="<p>Новото работно време е в сила. Библиотеката работи до 19:00 от понеделник до четвъртък.</p>"),
            ]
            page.save_revision(user=editor).publish(user=editor)
            PetitionState.objects.filter(pk=state.pk).update(responded_at=timezone.make_aware(datetime.datetime.combine(page.response_date, datetime.time(12))))
    stdout.write(f"Petitions: index in bg/uk/en and {len(PETITIONS)} petitions in every state.")
