"""Dates and times as each language writes them: one style per language, from CLDR through Babel.

Every page, e-mail and PDF writes a date for people through this module (or its template filters in
``core/templatetags/echos_dates.py``), so a language has one style everywhere:

- ``long_date``: weekday, day, month in the case the language uses, year — "Friday 25 December 2026",
  "Freitag, 25. Dezember 2026", "piątek, 25 grudnia 2026" (genitive), "fredag 25. desember 2026".
- ``medium_date``: the same without the weekday — "25 December 2026", "25 grudnia 2026".
- ``short_date``: compact, for tables and lists; never a two-digit year — "25 Dec 2026", "25.12.2026".
- ``month_year``: "December 2026", "grudzień 2026" (nominative, as a heading).
- ``day_month``: "Friday 25 December", "piątek, 25 grudnia" (a day heading inside a month).
- ``time``: "18:00"; ``long_datetime``/``medium_datetime``/``short_datetime`` join a date and a time
  the way the language does.
- ``date_range``: "25–27 December 2026", "25 grudnia 2026 – 3 stycznia 2027".
- ``zone_city``/``zone_label``: an IANA zone named by its city in the reader's language —
  "Rome time", "Rom (Ortszeit)", "czas: Rzym".

Machine formats (ISO 8601 in ``<time datetime>``, CSV, iCalendar, the API) do not come from here.

Aware datetimes are shown in the zone given, else in Django's current zone (so ``{% timezone %}``
blocks keep working); naive datetimes and dates are shown as they are. The language is Django's
active one; any code Babel knows works (the 24 EU languages, Icelandic, Norwegian...), an unknown
code falls back to British English.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

# Django language code -> CLDR locale where the bare language is not the variety we write: the
# platform's English is British and its Portuguese is Portugal's (Babel's "pt" is Brazil's).
CLDR_LOCALES = {"en": "en_GB", "pt": "pt_PT"}

# Where our house style departs from CLDR: British style guides write the full date without a comma.
LONG_DATE_PATTERNS = {"en_GB": "EEEE d MMMM y"}

# Babel keeps one "{0} time" pattern per locale and, for these, it is the summer-time variant
# ("{0} (sumartími)"), wrong half the year: they show the city alone until a translation exists.
SEASONAL_REGION_FORMATS = {"bg", "hr", "is", "sr"}

FALLBACK_LOCALE = "en_GB"

# The msgid of zone_label: a translation in the catalogue wins over CLDR's "{0} time" pattern.
ZONE_LABEL_MSGID = "%(city)s time"

Value = dt.date | dt.datetime


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    cldr = CLDR_LOCALES.get(code.lower(), code.replace("-", "_"))
    try:
        return Locale.parse(cldr)
    except (UnknownLocaleError, ValueError):
        base = cldr.split("_")[0]
        try:
            return Locale.parse(CLDR_LOCALES.get(base, base))
        except (UnknownLocaleError, ValueError):
            return Locale.parse(FALLBACK_LOCALE)


def locale_for(lang: str | None = None) -> Locale:
    """The CLDR locale of a Django language code (default: the active language)."""
    return _locale(lang or translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=1024)
def zone(name: str) -> zoneinfo.ZoneInfo:
    """``ZoneInfo(name)``, kept for the process: ``ZoneInfo`` itself keeps only the 8 zones used
    last, and a page of events from across Europe uses some 40, so it would read the zone files
    again and again (a month grid of 4,400 events spent half its time there). Raises as
    ``ZoneInfo`` does for an unknown name (not kept: only successes are cached)."""
    return zoneinfo.ZoneInfo(name)


def zone_or_none(tz: str | dt.tzinfo | None) -> dt.tzinfo | None:
    """A time zone by name (kept, ``zone``) or as given; None for none or an unknown name."""
    if tz is None or tz == "":
        return None
    if isinstance(tz, dt.tzinfo):
        return tz
    try:
        return zone(str(tz))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _coerce(value):
    """An ISO 8601 string as a date or datetime (values read back from JSON); else unchanged."""
    if isinstance(value, str):
        try:
            return (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            return value
    return value


def _local(value: Value, tz: str | dt.tzinfo | None = None) -> Value:
    """An aware datetime in ``tz`` (else the current zone); anything else unchanged."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        zone = zone_or_none(tz)
        return value.astimezone(zone) if zone else timezone.localtime(value)
    return value


def _as_date(value: Value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


_QUOTED = re.compile(r"('[^']*')")


def _widen(pattern: str) -> str:
    """A CLDR pattern with the weekday and month written in full (Babel's skeleton matching keeps
    the widths of the pattern it found: "E d MMM" for "EEEEdMMMM")."""
    parts = _QUOTED.split(pattern)
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        part = re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", parts[i])
        part = re.sub(r"(?<!c)c{1,3}(?!c)", "cccc", part)
        parts[i] = re.sub(r"(?<![ML])([ML])\1{2}(?![ML])", r"\1\1\1\1", part)
    return "".join(parts)


@lru_cache(maxsize=256)
def _skeleton_pattern(skeleton: str, locale: Locale) -> str:
    formats = locale.datetime_skeletons
    key = skeleton if skeleton in formats else babel_dates.match_skeleton(skeleton, formats)
    return _widen(str(formats[key])) if key else str(locale.date_formats["long"])


def _date(value: Value | None, style: str, lang: str | None, tz) -> str:
    if value is None or value == "":
        return ""
    value = _coerce(value)
    if not isinstance(value, dt.date):
        return str(value)  # not a date (a template given text): shown as it is, never a 500
    locale = locale_for(lang)
    day = _as_date(_local(value, tz))
    if style == "long":
        pattern = LONG_DATE_PATTERNS.get(str(locale)) or locale.date_formats["full"]
        return babel_dates.format_date(day, pattern, locale=locale)
    if style == "medium":
        return babel_dates.format_date(day, "long", locale=locale)
    if style == "short":
        return babel_dates.format_date(day, "medium", locale=locale)
    if style == "month_year":
        return babel_dates.format_skeleton("yMMMM", day, locale=locale)
    if style == "day_month":
        return babel_dates.format_date(day, _skeleton_pattern("MMMMEEEEd", locale), locale=locale)
    raise ValueError(f"unknown date style {style!r}")


def long_date(value: Value | None, lang: str | None = None, tz=None) -> str:
    """Weekday, day, month, year: "Friday 25 December 2026", "piątek, 25 grudnia 2026"."""
    return _date(value, "long", lang, tz)


def medium_date(value: Value | None, lang: str | None = None, tz=None) -> str:
    """Day, month, year: "25 December 2026", "25. Dezember 2026", "25 grudnia 2026"."""
    return _date(value, "medium", lang, tz)


def short_date(value: Value | None, lang: str | None = None, tz=None) -> str:
    """Compact day, month, year for tables: "25 Dec 2026", "25.12.2026", "25 gru 2026"."""
    return _date(value, "short", lang, tz)


def month_year(value: Value | None, lang: str | None = None, tz=None) -> str:
    """Month and year as a heading: "December 2026", "grudzień 2026"."""
    return _date(value, "month_year", lang, tz)


def day_month(value: Value | None, lang: str | None = None, tz=None) -> str:
    """Weekday, day and month without the year: "Friday 25 December", "piątek, 25 grudnia"."""
    return _date(value, "day_month", lang, tz)


def time(value: dt.datetime | dt.time | None, lang: str | None = None, tz=None) -> str:
    """The time of day: "18:00" (24-hour where the language uses it)."""
    if value is None or value == "":
        return ""
    value = _coerce(value)
    if not isinstance(value, dt.datetime | dt.time):
        return "" if isinstance(value, dt.date) else str(value)  # a day has no time of day
    moment = value
    if isinstance(value, dt.datetime):
        local = _local(value, tz)
        moment = local.time() if isinstance(local, dt.datetime) else value.time()
    return babel_dates.format_time(moment, "short", locale=locale_for(lang))


def _join(day: str, clock: str, locale: Locale) -> str:
    """A date and a time as the language joins them ("{1}, {0}" in most)."""
    pattern = str(locale.datetime_formats.get("medium", "{1}, {0}"))
    return pattern.replace("{1}", day).replace("{0}", clock).replace("'", "")


def long_datetime(value: dt.datetime | None, lang: str | None = None, tz=None) -> str:
    """ "Friday 25 December 2026, 18:00"."""
    if value is None or value == "":
        return ""
    return _join(long_date(value, lang, tz), time(value, lang, tz), locale_for(lang))


def medium_datetime(value: dt.datetime | None, lang: str | None = None, tz=None) -> str:
    """ "25 December 2026, 18:00"."""
    if value is None or value == "":
        return ""
    return _join(medium_date(value, lang, tz), time(value, lang, tz), locale_for(lang))


def short_datetime(value: dt.datetime | None, lang: str | None = None, tz=None) -> str:
    """ "25 Dec 2026, 18:00", for logs and tables."""
    if value is None or value == "":
        return ""
    return _join(short_date(value, lang, tz), time(value, lang, tz), locale_for(lang))


def date_range(start: Value | None, end: Value | None, lang: str | None = None, tz=None) -> str:
    """Two days as one span, sharing what they share: "25–27 December 2026",
    "25 December 2026 – 3 January 2027"; one day when both are the same."""
    start, end = _coerce(start), _coerce(end)
    if not start or not isinstance(start, dt.date):
        return medium_date(end, lang, tz)
    if not end or not isinstance(end, dt.date):
        return medium_date(start, lang, tz)
    first, last = _as_date(_local(start, tz)), _as_date(_local(end, tz))
    if first == last:
        return medium_date(first, lang)
    locale = locale_for(lang)
    formats = locale.interval_formats
    key = babel_dates.match_skeleton("yMMMd", formats)
    if key:
        start_fmt = babel_dates.DateTimeFormat(first, locale=locale)
        end_fmt = babel_dates.DateTimeFormat(last, locale=locale)
        for (
            field
        ) in babel_dates.PATTERN_CHAR_ORDER:  # the largest field that differs picks the form
            if field in formats[key] and start_fmt.extract(field) != end_fmt.extract(field):
                halves = zip(formats[key][field], (first, last), strict=True)
                return "".join(
                    babel_dates.format_date(day, _widen(pattern), locale=locale)
                    for pattern, day in halves
                )
    fallback = str(formats.get(None) or "{0} – {1}")
    return fallback.replace("{0}", medium_date(first, lang)).replace("{1}", medium_date(last, lang))


def datetime_range(start: dt.datetime, end: dt.datetime, lang: str | None = None, tz=None) -> str:
    """An event's span: "Friday 25 December 2026, 18:00–20:00" on one day, else both ends in full."""
    if _as_date(_local(start, tz)) == _as_date(_local(end, tz)):
        return long_datetime(start, lang, tz) + "–" + time(end, lang, tz)
    return long_datetime(start, lang, tz) + " – " + long_datetime(end, lang, tz)


def zone_city(tz_name: str, lang: str | None = None) -> str:
    """The city that names an IANA zone in the reader's language: "Rome", "Rom", "Rzym"."""
    zone = zone_or_none(tz_name)
    if zone is None or str(tz_name).upper() in {"UTC", "ETC/UTC", "GMT", "ETC/GMT"}:
        return str(tz_name or "")
    try:
        return babel_dates.get_timezone_location(zone, locale=locale_for(lang), return_city=True)
    except (LookupError, ValueError):
        return str(tz_name).rsplit("/", 1)[-1].replace("_", " ")


def zone_label(tz_name: str, lang: str | None = None) -> str:
    """An event's time zone as readers name it: "Rome time", "Rom (Ortszeit)", "czas: Rzym"; UTC
    stays "UTC"."""
    if not tz_name:
        return ""
    city = zone_city(tz_name, lang)
    if city == tz_name and "/" not in str(tz_name):  # UTC and the like have no city
        return str(tz_name)
    with translation.override(lang or translation.get_language()):
        # Translators: an event's time zone named by its city, e.g. "Rome time".
        translated = gettext("%(city)s time")
        active = translation.get_language() or settings.LANGUAGE_CODE
    locale = locale_for(lang)
    if translated != ZONE_LABEL_MSGID or locale.language == "en" or active.split("-")[0] == "en":
        return translated % {"city": city}
    if locale.language in SEASONAL_REGION_FORMATS:
        return city
    region = str(locale.zone_formats.get("region") or "")
    if "%s" not in region:
        return city
    # Pages write the label in brackets: "{0} (Ortszeit)" becomes "Ortszeit {0}", "({0})" the city.
    bracketed = re.fullmatch(r"%s \((.+)\)", region)
    if bracketed:
        region = bracketed.group(1) + " %s"
    return region.replace("(", "").replace(")", "").strip() % city
