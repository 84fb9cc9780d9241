"""Demo content of the site shell: the fictional Municipality of Zornitsa (Община Зорница)."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Locale, Page, Site

from .models import HomePage, MunicipalitySettings, Settlement, StandardPage

SETTLEMENTS = [
    ("Зорница", Settlement.Kind.TOWN, 18400),
    ("Бреза", Settlement.Kind.VILLAGE, 1210),
    ("Липово", Settlement.Kind.VILLAGE, 860),
    ("Каменец", Settlement.Kind.VILLAGE, 640),
    ("Ясеново", Settlement.Kind.VILLAGE, 1530),
    ("Дъбрава", Settlement.Kind.VILLAGE, 420),
]

HOME = {
    "bg": {
        "title": "Гражданско участие в община Зорница",
        "intro": (
            "Тук можете да подпишете или предложите петиция, да гласувате за проекти от общинския бюджет и да "
            "коментирате проекти на наредби, преди общинският съвет да ги приеме."
        ),
    },
    "uk": {
        "title": "Громадська участь у громаді Зорниця",
        "intro": (
            "Тут можна підписати або запропонувати петицію, проголосувати за проєкти з бюджету громади та "
            "прокоментувати проєкти рішень, перш ніж рада їх ухвалить."
        ),
    },
    "en": {
        "title": "Citizen participation in the Municipality of Zornitsa",
        "intro": (
            "Here you can sign or start a petition, vote for projects from the municipal budget and comment on "
            "draft regulations before the municipal council adopts them."
        ),
    },
}

HOW_IT_WORKS = {
    "bg": {
        "title": "Как работи",
        "slug": "kak-raboti",
        "intro": "Всеки жител на общината може да участва. Ето какво се случва с вашето участие.",
        "body": [
            ("heading", {"text": "Петиции", "level": "h2"}),
            ("paragraph", "<p>Петиция, събрала нужния брой подписи в срок, получава официален отговор от кмета до 10 работни дни. Ако срокът изтече, петицията се отбелязва като просрочена.</p>"),
            ("heading", {"text": "Участие с хартиен формуляр", "level": "h2"}),
            ("paragraph", "<p>Ако не ползвате интернет, можете да подпишете или гласувате в центъра за услуги на гражданите. Служителите въвеждат вашия глас и той се брои веднъж.</p>"),
            ("map", {"title": "Център за услуги на гражданите", "address": "пл. „Съединение“ 1, гр. Зорница", "location": "SRID=4326;POINT(25.6345 42.4258)"}),
        ],
    },
    "uk": {
        "title": "Як це працює",
        "slug": "yak-tse-pratsyuye",
        "intro": "Кожен мешканець громади може брати участь. Ось що відбувається з вашою участю.",
        "body": [
            ("heading", {"text": "Петиції", "level": "h2"}),
            ("paragraph", "<p>Петиція, яка вчасно зібрала потрібну кількість підписів, отримує офіційну відповідь протягом 10 робочих днів. Якщо строк минув, петицію позначають як прострочену.</p>"),
            ("heading", {"text": "Участь на паперовому бланку", "level": "h2"}),
            ("paragraph", "<p>Якщо ви не користуєтеся інтернетом, підписати чи проголосувати можна в центрі надання послуг. Працівники внесуть ваш голос, і він буде врахований один раз.</p>"),
            ("map", {"title": "Центр надання послуг", "address": "пл. Єднання, 1, м. Зорниця", "location": "SRID=4326;POINT(25.6345 42.4258)"}),
        ],
    },
    "en": {
        "title": "How it works",
        "slug": "how-it-works",
        "intro": "Everyone who lives in the municipality can take part. This is what happens with your participation.",
        "body": [
            ("heading", {"text": "Petitions", "level": "h2"}),
            ("paragraph", "<p>A petition that collects the required number of signatures in time gets an official response from the mayor within 10 working days. When that deadline passes, the petition is marked overdue.</p>"),
            ("heading", {"text": "Taking part on paper", "level": "h2"}),
            ("paragraph", "<p>If you do not use the internet, you can sign or vote at the citizens' service centre. Staff enter your vote and it is counted once.</p>"),
            ("map", {"title": "Citizens' service centre", "address": "1 Saedinenie Square, Zornitsa", "location": "SRID=4326;POINT(25.6345 42.4258)"}),
        ],
    },
}

LEGAL = {
    "privacy": {
        "bg": ("Политика за поверителност", "poveritelnost", "Как община Зорница обработва личните ви данни на този сайт.",
               "<p>Администратор на данните е община Зорница. Подписите и гласовете разкриват политически възгледи и се обработват само за целта, за която са дадени. Имената на подписалите се публикуват само с тяхно съгласие. IP адресите не се съхраняват в явен вид. Личните данни на подписалите се анонимизират след приключване на петицията, а броят на подписите се запазва.</p>"),
        "uk": ("Політика конфіденційності", "konfidentsiinist", "Як громада Зорниця обробляє ваші персональні дані на цьому сайті.",
               "<p>Володільцем даних є громада Зорниця. Підписи й голоси розкривають політичні погляди, тому обробляються лише з метою, для якої їх надано. Імена підписантів публікуються лише за їхньою згодою. IP-адреси не зберігаються у відкритому вигляді. Персональні дані підписантів знеособлюються після завершення петиції, а кількість підписів зберігається.</p>"),
        "en": ("Privacy notice", "privacy", "How the Municipality of Zornitsa processes your personal data on this site.",
               "<p>The data controller is the Municipality of Zornitsa. Signatures and votes reveal political opinions and are processed only for the purpose they were given for. Signatories' names are published only with their consent. IP addresses are not stored in clear. Signatories' personal data is anonymised after a petition closes; the number of signatures is kept.</p>"),
    },
    "accessibility": {
        "bg": ("Декларация за достъпност", "dostapnost", "Сайтът е изграден да отговаря на WCAG 2.1, ниво AA.",
               "<p>Всички основни действия (подписване, гласуване, коментиране) работят с клавиатура и без JavaScript. Всяка карта има списък или адрес като алтернатива. Ако срещнете затруднение, пишете ни и ще отговорим до 10 работни дни.</p>"),
        "uk": ("Заява про доступність", "dostupnist", "Сайт створено відповідно до WCAG 2.1, рівень AA.",
               "<p>Усі основні дії (підписання, голосування, коментування) працюють з клавіатури та без JavaScript. Кожна мапа має альтернативу у вигляді списку або адреси. Якщо у вас виникли труднощі, напишіть нам, і ми відповімо протягом 10 робочих днів.</p>"),
        "en": ("Accessibility statement", "accessibility", "This site is built to meet WCAG 2.1 level AA.",
               "<p>Every core action (signing, voting, commenting) works with a keyboard and without JavaScript. Every map has a list or an address as an alternative. If something is difficult to use, write to us and we will answer within 10 working days.</p>"),
    },
}


def _crest_image():
    existing = Image.objects.filter(title="Герб на Зорница").first()
    if existing:
        return existing
    size = 256
    picture = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    shield = [(28, 20), (228, 20), (228, 130), (128, 240), (28, 130)]
    draw.polygon(shield, fill=(11, 74, 139, 255), outline=(242, 194, 48, 255), width=10)
    draw.ellipse((88, 60, 168, 140), fill=(242, 194, 48, 255))  # the morning star (зорница)
    for dx, dy in ((0, -60), (0, 60), (-60, 0), (60, 0)):
        draw.line((128, 100, 128 + dx, 100 + dy), fill=(242, 194, 48, 255), width=8)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(title="Герб на Зорница", file=ImageFile(buffer, name="zornitsa-crest.png"))


def _locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("bg", "uk", "en")}


def _translate(page, locale, **fields):
    """The page's translation into `locale`, created and published with `fields` if missing."""
    try:
        return page.get_translation(locale)
    except Page.DoesNotExist:
        pass
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def _standard_page(parent, data, show_in_menus=False):
    existing = StandardPage.objects.child_of(parent).filter(slug=data["slug"]).first()
    if existing:
        return existing
    page = StandardPage(
        title=data["title"], slug=data["slug"], intro=data["intro"], body=data["body"], show_in_menus=show_in_menus
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(stdout):
    locales = _locales()
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise RuntimeError("The default site's root page is not a HomePage; run migrations on a fresh database.")
    if home.title == "Veche":
        home.title = HOME["bg"]["title"]
        home.intro = HOME["bg"]["intro"]
        home.save_revision().publish()
    site.site_name = "Община Зорница"
    site.save()

    # Municipality settings and settlements
    municipality = MunicipalitySettings.load()
    if not municipality.settlements.exists():
        municipality.name = "Община Зорница"
        municipality.country = "Bulgaria"
        municipality.tagline = "Гражданско участие"
        municipality.crest = _crest_image()
        municipality.address = "пл. „Съединение“ 1\n6100 гр. Зорница"
        municipality.phone = "+359 431 6 20 00"
        municipality.email = "obshtina@zornitsa.example"
        municipality.sender_email = "no-reply@zornitsa.example"
        municipality.office_hours = "пн–пт 8:30–17:00"
        municipality.petition_threshold = 300
        municipality.petition_collection_days = 60
        municipality.petition_response_working_days = 10
        municipality.settlements = [
            Settlement(name=name, kind=kind, population=population, sort_order=index)
            for index, (name, kind, population) in enumerate(SETTLEMENTS)
        ]
        municipality.save()

    # Home page in three languages
    for code in ("uk", "en"):
        _translate(home, locales[code], title=HOME[code]["title"], intro=HOME[code]["intro"], slug=f"home-{code}")

    # Content pages, each translated
    how = _standard_page(home, HOW_IT_WORKS["bg"], show_in_menus=True)
    legal_pages = {}
    for key, languages in LEGAL.items():
        title, slug, intro, body = languages["bg"]
        legal_pages[key] = _standard_page(home, {"title": title, "slug": slug, "intro": intro, "body": [("paragraph", body)]})
    for code in ("uk", "en"):
        home_translation = home.get_translation(locales[code])
        _translate(how, locales[code], title=HOW_IT_WORKS[code]["title"], slug=HOW_IT_WORKS[code]["slug"], intro=HOW_IT_WORKS[code]["intro"], body=HOW_IT_WORKS[code]["body"])
        for key, page in legal_pages.items():
            title, slug, intro, body = LEGAL[key][code]
            _translate(page, locales[code], title=title, slug=slug, intro=intro, body=[("paragraph", body)])
        assert home_translation.live
    if municipality.privacy_page_id is None:
        municipality.privacy_page = legal_pages["privacy"]
        municipality.accessibility_page = legal_pages["accessibility"]
        municipality.save()

    stdout.write("Site shell: municipality, settlements, home and content pages in bg/uk/en.")
