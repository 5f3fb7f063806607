"""One date style per language (CLDR through Babel): the month in the case the language uses, the
event's zone named by its city, any language code Babel knows."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from echos.core import dates

CHRISTMAS = date(2026, 12, 25)


def plain(text: str) -> str:
    """CLDR's thin and no-break spaces as plain ones, to compare with readable literals."""
    return text.replace("\u2009", " ").replace("\u202f", " ").replace("\xa0", " ")


# 17:00 UTC on Christmas Day: 18:00 in Rome, 17:00 in Lisbon, 19:00 in Helsinki.
EVENING = datetime(2026, 12, 25, 17, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Friday 25 December 2026"),
        ("de", "Freitag, 25. Dezember 2026"),
        ("pl", "piątek, 25 grudnia 2026"),
        ("fr", "vendredi 25 décembre 2026"),
        ("nb", "fredag 25. desember 2026"),
        ("pt", "sexta-feira, 25 de dezembro de 2026"),
        ("it", "venerdì 25 dicembre 2026"),
        ("is", "föstudagur, 25. desember 2026"),
    ],
)
def test_long_date_in_each_language(lang, expected):
    assert dates.long_date(CHRISTMAS, lang) == expected


@pytest.mark.parametrize(
    ("lang", "medium", "short"),
    [
        ("en", "25 December 2026", "25 Dec 2026"),
        ("de", "25. Dezember 2026", "25.12.2026"),
        ("pl", "25 grudnia 2026", "25 gru 2026"),
        ("fr", "25 décembre 2026", "25 déc. 2026"),
        ("nb", "25. desember 2026", "25. des. 2026"),
        ("pt", "25 de dezembro de 2026", "25/12/2026"),
    ],
)
def test_medium_and_short_dates(lang, medium, short):
    assert dates.medium_date(CHRISTMAS, lang) == medium
    assert dates.short_date(CHRISTMAS, lang) == short


def test_polish_month_is_genitive_after_a_day_and_nominative_as_a_heading():
    assert "grudnia" in dates.long_date(CHRISTMAS, "pl")
    assert "grudnia" in dates.day_month(CHRISTMAS, "pl")
    assert dates.month_year(CHRISTMAS, "pl") == "grudzień 2026"
    assert dates.month_year(CHRISTMAS, "de") == "Dezember 2026"


def test_day_heading_writes_weekday_and_month_in_full():
    assert dates.day_month(CHRISTMAS, "en") == "Friday 25 December"
    assert dates.day_month(CHRISTMAS, "de") == "Freitag, 25. Dezember"
    assert dates.day_month(CHRISTMAS, "pl") == "piątek, 25 grudnia"


def test_aware_datetime_is_shown_in_the_zone_given():
    assert dates.time(EVENING, "en", "Europe/Rome") == "18:00"
    assert dates.time(EVENING, "en", "Europe/Lisbon") == "17:00"
    assert dates.long_datetime(EVENING, "en", "Europe/Helsinki") == "Friday 25 December 2026, 19:00"
    assert (
        dates.long_datetime(EVENING, "de", "Europe/Berlin") == "Freitag, 25. Dezember 2026, 18:00"
    )
    # 23:30 UTC is already the next day in Rome.
    late = datetime(2026, 12, 24, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert dates.medium_date(late, "en", "Europe/Rome") == "25 December 2026"
    assert dates.medium_date(late, "en", "Europe/Lisbon") == "24 December 2026"


def test_without_a_zone_the_current_zone_is_used():
    with timezone.override("Europe/Warsaw"):
        assert dates.time(EVENING, "pl") == "18:00"
    with timezone.override("Europe/Lisbon"):
        assert dates.time(EVENING, "pt") == "17:00"
    assert dates.time(time(9, 5), "en") == "09:05"


def test_active_language_is_the_default():
    with translation.override("de"):
        assert dates.medium_date(CHRISTMAS) == "25. Dezember 2026"
    with translation.override("pl"):
        assert dates.medium_date(CHRISTMAS) == "25 grudnia 2026"


@pytest.mark.parametrize(
    ("lang", "same_month", "across_years"),
    [
        ("en", "25 – 27 December 2026", "25 December 2026 – 3 January 2027"),
        ("de", "25.–27. Dezember 2026", "25. Dezember 2026 – 3. Januar 2027"),
        ("pl", "25–27 grudnia 2026", "25 grudnia 2026–3 stycznia 2027"),
    ],
)
def test_date_ranges_share_what_they_share(lang, same_month, across_years):
    assert plain(dates.date_range(CHRISTMAS, date(2026, 12, 27), lang)) == same_month
    assert plain(dates.date_range(CHRISTMAS, date(2027, 1, 3), lang)) == across_years
    assert dates.date_range(CHRISTMAS, CHRISTMAS, lang) == dates.medium_date(CHRISTMAS, lang)


def test_datetime_range_on_one_day_and_over_two():
    end = datetime(2026, 12, 25, 19, 0, tzinfo=ZoneInfo("UTC"))
    assert (
        dates.datetime_range(EVENING, end, "en", "Europe/Rome")
        == "Friday 25 December 2026, 18:00–20:00"
    )
    next_day = datetime(2026, 12, 26, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert dates.datetime_range(EVENING, next_day, "en", "Europe/Rome") == (
        "Friday 25 December 2026, 18:00 – Saturday 26 December 2026, 10:00"
    )


@pytest.mark.parametrize(
    ("zone", "lang", "city", "label"),
    [
        ("Europe/Rome", "en", "Rome", "Rome time"),
        ("Europe/Rome", "de", "Rom", "Rom"),
        ("Europe/Rome", "pl", "Rzym", "Rzym"),
        ("Europe/Oslo", "nb", "Oslo", "Oslo"),
        ("Europe/Lisbon", "pt", "Lisboa", "Lisboa"),
        ("Atlantic/Azores", "en", "Azores", "Azores time"),
        ("Europe/Brussels", "fr", "Bruxelles", "Bruxelles"),
    ],
)
def test_zone_is_named_by_its_city_in_the_readers_language(zone, lang, city, label):
    assert dates.zone_city(zone, lang) == city
    assert label in dates.zone_label(zone, lang)


def test_german_label_reads_as_german():
    assert dates.zone_label("Europe/Rome", "de") == "Ortszeit Rom"


def test_utc_and_unknown_zones_keep_their_name():
    assert dates.zone_label("UTC", "de") == "UTC"
    assert dates.zone_label("", "en") == ""
    assert dates.zone_city("Not/AZone", "en") == "Not/AZone"


@pytest.mark.parametrize(
    "lang", ["bg", "hr", "cs", "da", "nl", "et", "fi", "el", "hu", "ga", "lv", "lt", "mt", "ro"]
)
def test_every_eu_language_babel_knows_gets_a_date_and_a_city(lang):
    written = dates.long_date(CHRISTMAS, lang)
    assert "2026" in written and "December" not in written
    assert dates.zone_city("Europe/Rome", lang)
    label = dates.zone_label("Europe/Rome", lang)
    assert "summer" not in label and "(" not in label and ")" not in label  # pages add brackets


def test_unknown_language_code_falls_back_to_british_english():
    assert dates.long_date(CHRISTMAS, "xx") == "Friday 25 December 2026"
    assert dates.medium_date(CHRISTMAS, "sr-latn") == "25. decembar 2026."


def test_empty_values_are_empty():
    assert dates.long_date(None, "en") == ""
    assert dates.long_datetime(None, "en") == ""
    assert dates.time(None, "en") == ""


def test_template_filters_follow_the_active_language_and_the_zone_argument():
    template = Template(
        "{% load echos_dates %}{{ d|long_date }}|{{ t|long_datetime:'Europe/Rome' }}|"
        "{{ 'Europe/Rome'|zone_label }}|{% date_range d e %}|{{ d|short_date }}"
    )
    context = Context({"d": CHRISTMAS, "e": date(2026, 12, 27), "t": EVENING})
    with translation.override("en"):
        assert plain(template.render(context)) == (
            "Friday 25 December 2026|Friday 25 December 2026, 18:00|Rome time|"
            "25 – 27 December 2026|25 Dec 2026"
        )
    with translation.override("pl"):
        rendered = template.render(context)
    assert rendered.startswith("piątek, 25 grudnia 2026|piątek, 25 grudnia 2026, 18:00|")
    assert "Rzym" in rendered


def test_iso_text_and_other_values_never_fail():
    assert dates.medium_date("2026-12-25", "en") == "25 December 2026"
    assert dates.short_datetime("2026-12-25T17:00:00+00:00", "en", "Europe/Rome") == (
        "25 Dec 2026, 18:00"
    )
    assert dates.medium_date("not a date", "en") == "not a date"
    assert dates.time(CHRISTMAS, "en") == ""
    assert plain(dates.date_range("2026-12-25", "2026-12-27", "en")) == "25 – 27 December 2026"


def test_what_django_writes_itself_is_british_in_english():
    from django.utils.formats import date_format

    with translation.override("en"):
        assert date_format(date(2024, 12, 10)) == "10 December 2024"
        assert Template("{{ d }}").render(Context({"d": date(2024, 12, 10)})) == "10 December 2024"
    with translation.override("pl"):
        assert date_format(date(2024, 12, 10)) == "10 grudnia 2024"
