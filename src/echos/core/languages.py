"""Language codes shared by the apps: ISO 639-1, the languages offered for consultations, and the main
language of each country (synthetic data and form defaults)."""

from functools import cache

import pycountry
from django.conf import settings


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 codes."""
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


# The site's languages and the other languages of the MS/AC countries (consultations offer these).
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES} | {
    "bg", "cs", "da", "el", "es", "et", "fi", "ga", "hr", "hu", "is", "it", "lt", "lv", "mt",
    "nl", "no", "ro", "sk", "sl", "sv", "tr", "uk", "sq", "mk", "sr", "bs", "ka", "hy", "he",
    "ar", "ko", "ru",
}  # fmt: skip

# Main language of each country (synthetic text stays English-like for the others).
COUNTRY_LANGUAGE = {
    "AT": "de",
    "DE": "de",
    "CH": "de",
    "FR": "fr",
    "BE": "fr",
    "LU": "fr",
    "ES": "es",
    "IT": "it",
    "PT": "pt",
    "PL": "pl",
    "NL": "nl",
    "TR": "tr",
    "SE": "sv",
    "FI": "fi",
    "CZ": "cs",
    "RO": "ro",
    "GR": "el",
    "HU": "hu",
    "DK": "da",
    "NO": "nb",
    "SI": "sl",
    "HR": "hr",
    "LT": "lt",
    "LV": "lv",
    "EE": "et",
    "BG": "bg",
    "SK": "sk",
    "UA": "uk",
}
