"""Language codes shared by the apps: ISO 639-1, the languages offered for consultations, and the main
language of each country (synthetic data and form defaults)."""

import re
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


# Languages chosen by name (issue #16, "Forms that scale"): forms and filters show names in the
# visitor's language and keep storing the ISO 639-1 codes.


def language_name(code: str) -> str:
    """The name of an ISO 639-1 language in the active language (the code when unknown): CLDR's
    display name ("Greek", "Norwegian Bokmål", "Ελληνικά" in Greek), else pycountry's without ISO's
    dating ("Modern Greek", not "Modern Greek (1453-)")."""
    from echos.core.models import (  # lazy: models import this module's users
        cldr_name,
        localized_iso_name,
    )

    record = pycountry.languages.get(alpha_2=code) if len(code or "") == 2 else None
    if record is None:
        return code
    return cldr_name("languages", code) or re.sub(
        r"\s*\([^)]*\)$", "", localized_iso_name("iso639-3", record.name)
    )


def language_choices(extra=()) -> list[tuple[str, str]]:
    """The languages of the MS/AC (plus ``extra`` codes already stored), by name in the active
    language, for a select or a checkbox group."""
    codes = (LANGUAGE_CODES | set(extra)) & language_codes() | {c for c in extra if c}
    return sorted(((c, language_name(c)) for c in codes), key=lambda pair: pair[1].casefold())
