import factory
import wagtail_factories
from wagtail.models import Locale

from home.models import HomePage, MunicipalitySettings, Settlement, StandardPage


def locales():
    """bg (default, created by migrations), uk and en."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("bg", "uk", "en")}


def municipality(settlement_names=("Зорница", "Бреза", "Липово"), **fields):
    settings_obj = MunicipalitySettings.load()
    for name, value in {"name": "Община Зорница", **fields}.items():
        setattr(settings_obj, name, value)
    if settlement_names and not settings_obj.settlements.exists():
        settings_obj.settlements = [Settlement(name=name, sort_order=i) for i, name in enumerate(settlement_names)]
    settings_obj.save()
    return settings_obj


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Страница {n}")
    intro = "Въведение"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Начало"
