"""Money in the locale's format: "12 500 €" in Bulgarian and Ukrainian, "€12,500" in English."""

from django.utils import translation

SYMBOLS = {"EUR": "€", "BGN": "лв.", "UAH": "грн", "PLN": "zł"}
# Django's bg/uk formats do not group digits; the municipality's documents do ("12 500").
SEPARATORS = {"en": (",", "."), "bg": ("\u00a0", ","), "uk": ("\u00a0", ",")}


def group_digits(amount, language=None):
    language = (language or translation.get_language() or "bg").split("-")[0]
    thousands, decimal = SEPARATORS.get(language, ("\u00a0", ","))
    negative = amount < 0
    amount = abs(amount)
    whole = int(amount)
    fraction = round(float(amount) - whole, 2)
    digits = f"{whole:,}".replace(",", thousands)
    if fraction:
        digits += decimal + f"{fraction:.2f}"[2:]
    return ("-" if negative else "") + digits


def money(amount, currency="EUR"):
    if amount is None or amount == "":
        return ""
    language = (translation.get_language() or "bg").split("-")[0]
    number = group_digits(amount, language)
    symbol = SYMBOLS.get(currency, currency)
    if language == "en" and currency == "EUR":
        return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
    return f"{number}\u00a0{symbol}"
