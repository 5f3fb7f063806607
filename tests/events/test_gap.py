"""The participation gap dashboard: figures, gaps, filters, page, CSV, privacy and query count."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from echos.core.models import Country, Region, Term
from echos.events import gap
from echos.events.models import Event, Registration
from echos.hubs.models import Hub

YEAR_2025 = gap.GapFilters(start=date(2025, 1, 1), end=date(2025, 12, 31))
_serial = count()


def make_event(hub, when, *, status="published", type="workshop", **fields):
    """An event of ``hub`` starting at ``when`` (UTC), two hours long."""
    data = {
        "title": "Open day on cancer screening",
        "description": "Talks and questions.",
        "type": type,
        "hub": hub,
        "format": "in_person",
        "country": hub.country,
        "languages": ",no,",
        "start": when,
        "end": when + timedelta(hours=2),
        "time_zone": "Europe/Oslo",
        "status": status,
    }
    data.update(fields)
    return Event.objects.create(**data)


def register(event, audience, status="registered", n=1):
    """``n`` registrations with names and e-mails that must never reach the dashboard."""
    for _ in range(n):
        i = next(_serial)
        Registration.objects.create(
            event=event,
            name=f"Secret Participant {i}",
            email=f"secret{i}@example.invalid",
            audience=audience,
            status=status,
        )


@pytest.fixture
def dataset(hubs):
    """Two counted events in 2025, a draft, one event of 2024 and a cancelled citizen dialogue."""
    norway, portugal = hubs["norway"], hubs["portugal"]
    oslo = make_event(
        norway,
        datetime(2025, 3, 10, 9, tzinfo=UTC),
        audiences=",citizens,",
        objectives=",prevention,quality_of_life,",
        languages=",en,no,",
    )
    register(oslo, "citizens", "attended", n=2)
    register(oslo, "patients_carers", "no_show")
    register(oslo, "health_professionals", "registered")
    register(oslo, "citizens", "cancelled")
    register(oslo, "youth", "waitlisted")
    lisbon = make_event(
        portugal,
        datetime(2025, 5, 20, 9, tzinfo=UTC),
        type="conference",
        audiences=",researchers,",
        objectives=",prevention,",
        languages=",pt,",
    )
    register(lisbon, "researchers", "registered", n=2)
    register(lisbon, "industry", "offered")
    register(lisbon, "", "registered")
    draft = make_event(
        norway, datetime(2025, 4, 1, 9, tzinfo=UTC), status="draft", objectives=",prevention,"
    )
    register(draft, "citizens", "registered", n=5)
    old = make_event(
        portugal,
        datetime(2024, 6, 1, 9, tzinfo=UTC),
        audiences=",citizens,",
        objectives=",prevention,",
        languages=",pt,",
    )
    register(old, "citizens", "attended", n=3)
    make_event(
        portugal,
        datetime(2025, 6, 1, 9, tzinfo=UTC),
        type="citizen_dialogue",
        status="cancelled",
        audiences=",citizens,",
    )
    return {"oslo": oslo, "lisbon": lisbon, "draft": draft, "old": old}


def report(filters=YEAR_2025):
    return gap.build_report(
        filters, list(Country.objects.order_by("name")), list(Term.objects.of("objectives"))
    )


def rows(table):
    return {r.code: r for r in table}


def test_public_and_professionals_exclude_cancelled_waitlisted_and_drafts(dataset):
    groups = rows(report().groups)
    assert (groups["total"].registrations, groups["total"].attendance) == (8, 2)
    public, professionals = groups["public"], groups["professionals"]
    assert (public.registrations, public.attendance, public.recorded) == (3, 2, 3)
    assert public.rate == 66.7
    assert (professionals.registrations, professionals.attendance) == (4, 0)
    # Only the health professional at Oslo was at an event that recorded attendance.
    assert (professionals.recorded, professionals.rate) == (1, 0.0)
    assert groups["not_stated"].registrations == 1


def test_attendance_rate_is_empty_where_attendance_was_not_recorded(dataset):
    audiences = rows(report().audiences)
    assert audiences["researchers"].registrations == 2
    assert audiences["researchers"].rate is None
    assert audiences["citizens"].registrations == 2
    assert audiences["citizens"].rate == 100.0
    assert audiences["youth"].registrations == 0
    assert audiences["not_stated"].registrations == 1


def test_an_event_counts_for_each_of_its_objectives_and_languages(dataset):
    result = report()
    objectives = rows(result.objectives)
    assert objectives["prevention"].registrations == 8
    assert objectives["quality_of_life"].registrations == 4
    assert objectives["quality_of_life"].public == 3
    assert objectives["understanding"].registrations == 0
    languages = rows(result.languages)
    assert {c: r.registrations for c, r in languages.items()} == {"en": 4, "no": 4, "pt": 4}


def test_country_region_and_month_tables(dataset, hubs):
    result = report()
    assert {c: r.registrations for c, r in rows(result.countries).items()} == {"NO": 4, "PT": 4}
    assert result.regions == []
    months = rows(result.months)
    assert len(months) == 12
    assert months["2025-03"].public == 3 and months["2025-03"].professionals == 1
    assert months["2025-05"].registrations == 4 and months["2025-05"].not_stated == 1
    assert months["2025-04"].registrations == 0  # the draft's month

    Event.objects.filter(pk=dataset["oslo"].pk).update(region_id="NO-46")
    regions = rows(report().regions)
    assert list(regions) == ["NO-46"] and regions["NO-46"].registrations == 4


def test_period_country_and_objective_filters(dataset):
    only_2024 = report(gap.GapFilters(start=date(2024, 1, 1), end=date(2024, 12, 31)))
    assert rows(only_2024.groups)["total"].registrations == 3
    assert rows(only_2024.groups)["public"].attendance == 3

    portugal = report(gap.GapFilters(start=date(2025, 1, 1), end=date(2025, 12, 31), country="PT"))
    assert rows(portugal.groups)["total"].registrations == 4
    assert [p.code for p in portugal.country_coverage] == ["PT"]

    quality = report(
        gap.GapFilters(start=date(2025, 1, 1), end=date(2025, 12, 31), objective="quality_of_life")
    )
    assert rows(quality.groups)["total"].registrations == 4
    assert list(rows(quality.countries)) == ["NO"]


def test_countries_without_a_citizen_event_are_listed(dataset):
    result = report()
    gaps = {p.code for p in result.country_gaps}
    # Norway held a citizen event; Portugal only a conference and a cancelled citizen dialogue.
    assert "NO" not in gaps
    assert {"PT", "PL", "SI"} <= gaps
    assert len(gaps) == Country.objects.count() - 1
    coverage = rows(result.country_coverage)
    assert coverage["NO"].citizen_events == 1
    assert coverage["NO"].category == "1–4 citizen events"
    assert coverage["PT"].category == "No citizen event"
    # The citizen event of 2024 counts when the period covers it.
    earlier = report(gap.GapFilters(start=date(2024, 1, 1), end=date(2025, 12, 31)))
    assert "PT" not in {p.code for p in earlier.country_gaps}


def test_five_citizen_events_reach_the_top_category(dataset, hubs):
    for day in range(1, 5):
        make_event(hubs["norway"], datetime(2025, 9, day, tzinfo=UTC), type="awareness_day")
    assert rows(report().country_coverage)["NO"].category == "5 or more citizen events"


def test_regions_with_hubs_without_a_citizen_event(dataset, hubs):
    assert [p.code for p in report().region_gaps] == ["NO-46"]
    # A youth event organised by Vestland's hub covers its region even without a region on the event.
    make_event(hubs["vestland"], datetime(2025, 8, 1, tzinfo=UTC), audiences=",youth,")
    result = report()
    assert result.region_gaps == []
    assert rows(result.region_coverage)["NO-46"].citizen_events == 1


def test_professional_events_do_not_close_a_regional_gap(dataset, hubs):
    make_event(
        hubs["vestland"],
        datetime(2025, 8, 1, tzinfo=UTC),
        type="conference",
        audiences=",researchers,",
        region_id="NO-46",
    )
    make_event(
        hubs["vestland"],
        datetime(2025, 8, 2, tzinfo=UTC),
        type="citizen_dialogue",
        status="draft",
        region_id="NO-46",
    )
    assert [p.code for p in report().region_gaps] == ["NO-46"]


def test_page_is_public_and_shows_the_tables_without_personal_data(dataset, client, settings):
    settings.ECHOS_SMALL_COUNT = 1  # the tiny data set is all small counts
    response = client.get(reverse("events:gap"), {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    for table in ("gap-group", "gap-month", "gap-audience", "gap-objective", "gap-language"):
        assert f'id="{table}"' in html
    assert 'id="gap-countries"' in html and 'id="gap-regions"' in html
    assert html.count('role="img"') == 5
    assert "the table below has the same numbers" in html
    assert '<th scope="row">The public</th>' in html
    assert "66.7" in html
    assert 'value="2025-01-01"' in html and 'value="2025-12-31"' in html
    assert "Secret Participant" not in html and "example.invalid" not in html
    listed = html.split('id="gap-country-list"')[1].split("</ul>")[0]
    assert 'data-code="PT"' in listed and 'data-code="NO"' not in listed
    map_rows = response.context["map_spec"]["layer"][1]["transform"][0]["from"]["data"]["values"]
    categories = {r["code"]: r["category"] for r in map_rows}
    assert categories["NO"] == "1–4 citizen events" and categories["PT"] == "No citizen event"


def test_page_without_any_event(hubs, client):
    response = client.get(reverse("events:gap"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No registrations in this period." in html
    assert "Every country had at least one citizen event." not in html
    assert len(response.context["report"].country_gaps) == Country.objects.count()


def test_default_period_is_the_last_twelve_months(hubs, client):
    now = timezone.now()
    recent = make_event(hubs["norway"], now - timedelta(days=20), audiences=",citizens,")
    register(recent, "citizens", n=2)
    stale = make_event(hubs["norway"], now - timedelta(days=400))
    register(stale, "researchers", n=7)
    response = client.get(reverse("events:gap"))
    assert response.status_code == 200
    groups = rows(response.context["report"].groups)
    assert groups["total"].registrations == 2
    assert groups["professionals"].registrations == 0


def test_csv_has_the_same_numbers_as_the_page(dataset, client, settings):
    settings.ECHOS_SMALL_COUNT = 1
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    page = client.get(reverse("events:gap"), params).context["report"]
    response = client.get(reverse("events:gap_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Secret Participant" not in text and "example.invalid" not in text
    lines = list(csv.DictReader(io.StringIO(text)))
    by_key = {(line["table"], line["code"]): line for line in lines}
    for key, _title, table in page.tables():
        for r in table:
            line = by_key[(key, r.code)]
            assert int(line["registrations"]) == r.registrations
            assert int(line["public"]) == r.public
            assert int(line["attended"]) == r.attendance
            assert line["attendance_rate_percent"] == ("" if r.rate is None else str(r.rate))
    assert by_key[("group", "public")]["attendance_rate_percent"] == "66.7"
    assert by_key[("citizen_events_country", "PT")]["category"] == "No citizen event"
    assert by_key[("citizen_events_region", "NO-46")]["citizen_events"] == "0"


@pytest.mark.parametrize(
    "params",
    [
        {"from": "not-a-date"},
        {"to": "2025-13-45"},
        {"country": "ZZ"},
        {"country": "<script>alert(1)</script>"},
        {"objective": "astrology"},
        {"from": "2025-12-01", "to": "2025-01-01"},
        {"from": "9999-12-31"},
        {"from": "0001-01-01", "to": "2025-01-01"},
        {"from": "1990-01-01", "to": "2025-01-01"},
    ],
)
def test_bad_filters_are_reported_and_ignored(dataset, client, params):
    response = client.get(reverse("events:gap"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "The filter was ignored." in html
    assert "<script>alert(1)</script>" not in html
    filters = response.context["report"].filters
    assert filters.country == "" and filters.objective == ""
    assert date(2000, 1, 1) <= filters.start <= filters.end <= date(2100, 12, 31)
    assert client.get(reverse("events:gap_csv"), params).status_code == 200


def test_one_date_alone_moves_a_twelve_month_period():
    countries, objectives = [], []
    filters, messages = gap.parse_filters(
        {"from": "2024-03-15"}, countries=countries, objectives=objectives
    )
    assert (filters.start, filters.end, messages) == (date(2024, 3, 15), date(2025, 3, 14), [])
    filters, _ = gap.parse_filters({"to": "2024-03-15"}, countries=countries, objectives=objectives)
    assert (filters.start, filters.end) == (date(2023, 3, 16), date(2024, 3, 15))
    filters, _ = gap.parse_filters(
        {}, countries=countries, objectives=objectives, today=date(2025, 1, 20)
    )
    assert (filters.start, filters.end) == (date(2024, 1, 21), date(2025, 1, 20))


def _spread(hubs, n):
    """``n`` registrations over n/5 events; more data also means more countries, regions with
    hubs, months and languages, so a query per row would show."""
    places = [("NO", "NO-46"), ("PT", None), ("PL", "PL"), ("SI", "SI"), ("SE", None)]
    languages = [",no,en,", ",pt,", ",pl,", ",sl,en,", ",sv,"]
    objectives = [",prevention,", ",diagnosis_treatment,", ",quality_of_life,prevention,", ""]
    audiences = ["citizens", "researchers", "youth", "industry", ""]
    statuses = ["registered", "attended", "no_show", "cancelled", "offered"]
    events = []
    for i in range(n // 5):
        code, region = places[i % len(places)]
        if region and len(region) == 2:
            region_obj = Region.objects.filter(country_id=code).order_by("code").first()
            region = region_obj.code
            Hub.objects.get_or_create(
                country_id=code,
                level="regional",
                region=region_obj,
                defaults={"name": f"Hub {region}", "name_en": f"Hub {region}"},
            )
        events.append(
            make_event(
                hubs["norway"],
                datetime(2025, 1 + i % 12, 5, tzinfo=UTC),
                country_id=code,
                region_id=region,
                audiences=f",{audiences[i % 5]},",
                objectives=objectives[i % len(objectives)],
                languages=languages[i % len(languages)],
            )
        )
    for i in range(n):
        register(events[i % len(events)], audiences[i % 5], statuses[(i // 5) % 5])


@pytest.mark.parametrize("page", [False, True])
def test_query_count_does_not_grow_with_the_data(hubs, client, page):
    def measure():
        cache.clear()  # the page keeps reports for ten minutes; measure a computation
        with CaptureQueriesContext(connection) as ctx:
            if page:
                response = client.get(reverse("events:gap"), {"from": "2025-01-01"})
                assert response.status_code == 200
            else:
                report()
        return len(ctx.captured_queries)

    _spread(hubs, 5)
    small, small_report = measure(), report()
    _spread(hubs, 50)
    large, large_report = measure(), report()
    assert rows(large_report.groups)["total"].registrations > 30
    # The larger data set has more rows in every grouped table...
    for name in ("countries", "regions", "languages", "region_coverage"):
        assert len(getattr(large_report, name)) > len(getattr(small_report, name)), name
    # ...and is read with exactly the same number of queries.
    assert small == large
    assert large <= 15


def test_page_reports_are_cached_until_they_expire(hubs, client):
    _spread(hubs, 5)
    url = reverse("events:gap")
    assert b"Figures computed at" in client.get(url).content
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) <= 3  # the report came from the cache
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) > 5


def test_small_counts_are_published_as_fewer_than_the_threshold(hubs, client, settings):
    settings.ECHOS_SMALL_COUNT = 5
    event = make_event(hubs["norway"], datetime(2025, 3, 4, 10, tzinfo=UTC))
    register(event, "citizens", n=12, status="attended")
    register(event, "researchers", n=2, status="attended")
    register(event, "patients_carers", n=3, status="no_show")
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    response = client.get(reverse("events:gap"), params)
    html = response.content.decode()
    assert "are shown as “&lt;5”" in html
    audience = html.split('id="gap-audience"')[1].split("</table>")[0]
    citizens = audience.split('data-code="citizens"')[1].split("</tr>")[0]
    assert "<td>12</td>" in citizens
    # 12 of 12 citizens attended: with the total of 14 published, 14 - 12 would give the 2
    # researchers, so the 12 is withheld too (secondary suppression), and its rate with it.
    assert "<td>x</td>" in citizens and "100.0 %" not in citizens
    researchers = audience.split('data-code="researchers"')[1].split("</tr>")[0]
    assert "<td>2</td>" not in researchers and "&lt;5" in researchers
    assert "withheld" in researchers  # 2 of 2 attended would reveal the count
    # The charts leave the small counts out rather than drawing them.
    spec = response.context["sections"][2]["spec"]
    values = {(v["label"], v["measure"]): v["value"] for v in spec["data"]["values"]}
    assert values[("Researchers", "Registrations")] is None
    assert values[("Citizens", "Registrations")] == 12
    # The exact figures stay in the report; totals of 17 are published.
    groups = rows(response.context["report"].groups)
    assert groups["total"].registrations == 17 and groups["professionals"].registrations == 2
    text = client.get(reverse("events:gap_csv"), params).content.decode()
    by_key = {(r["table"], r["code"]): r for r in csv.DictReader(io.StringIO(text))}
    assert by_key[("audience", "researchers")]["registrations"] == "<5"
    assert by_key[("audience", "researchers")]["attendance_rate_percent"] == ""
    assert by_key[("group", "total")]["registrations"] == "17"
    # 17 - 15 would give the 2 professionals: the 15 is withheld.
    assert by_key[("group", "public")]["registrations"] == "x"
