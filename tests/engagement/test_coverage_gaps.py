"""Coverage and gaps: period, Penta Helix balance, regional spread, trend, the page, and query
counts that do not grow with the data (issue #14 item 4)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.core.exceptions import RuleViolation
from echos.engagement import coverage
from echos.engagement.models import EngagementRecord

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def test_the_period_defaults_to_twelve_months_and_refuses_bad_dates():
    assert coverage.parse_period(None, "", today=TODAY) == (date(2025, 6, 16), TODAY)
    assert coverage.parse_period("2024-01-01", "2024-03-31", today=TODAY) == (
        date(2024, 1, 1),
        date(2024, 3, 31),
    )
    for start, end, field in [
        ("2024-13-01", "", "start"),
        ("", "yesterday", "end"),
        ("2024-05-01", "2024-04-01", "end"),
        ("2000-01-01", "2024-01-01", "start"),
        ("9999-01-01", "9999-12-31", "start"),  # year 9999 used to overflow the quarters: a 500
        ("1850-01-01", "1851-01-01", "start"),
        ("2025-01-01", "2030-01-01", "end"),
    ]:
        with pytest.raises(RuleViolation) as err:
            coverage.parse_period(start, end, today=TODAY)
        assert err.value.field == field


def test_quarters_span_the_period():
    assert coverage.quarters(date(2024, 11, 5), date(2025, 4, 1)) == [
        (2024, 4),
        (2025, 1),
        (2025, 2),
    ]


def test_sector_balance_counts_group_reaches_per_sector_and_quarter(make_record, hubs):
    make_record(date=date(2025, 2, 1), stakeholder_groups=["authorities", "citizens"])
    make_record(date=date(2025, 5, 1), stakeholder_groups=["authorities"])
    make_record(date=date(2025, 5, 2), stakeholder_groups=["research"], status="cancelled")
    balance = coverage.sector_balance(hubs["norway"], start=date(2025, 1, 1), end=date(2025, 6, 30))
    assert [q.label for q in balance.quarters] == ["2025 Q1", "2025 Q2"]
    assert balance.totals == [2, 0, 0, 0, 1]  # public, academia, industry, civil society, citizens
    assert balance.quarters[0].counts == [1, 0, 0, 0, 1] and balance.quarters[0].shares[0] == 0.5
    assert round(balance.share_of("public"), 3) == 0.667


def test_regional_spread_lists_every_region_with_zeros(make_record, hubs):
    make_record(region="NO-03")
    make_record(region="NO-03")
    make_record(region=None)
    day = make_record(region="NO-46").date
    spread = coverage.regional_spread(hubs["norway"], start=day, end=day)
    counts = {r.region.pk: r.records for r in spread.rows}
    assert counts["NO-03"] == 2 and counts["NO-46"] == 1 and spread.unplaced == 1
    assert any(n == 0 for n in counts.values())
    assert spread.rows[0].region.pk == "NO-03"  # most records first
    # Vestland's hub is located (regional hub with coordinates only if it has them)
    assert {r.pk for r in spread.never_reached} == {k for k, n in counts.items() if n == 0}


def test_trend_by_quarter_with_participants(make_record, hubs):
    make_record(date=date(2025, 1, 10), participants=10)
    make_record(date=date(2025, 1, 20), participants=None, level="involve")
    make_record(date=date(2025, 4, 2), participants=5)
    trend = coverage.quarterly_trend(hubs["norway"], start=date(2025, 1, 1), end=date(2025, 9, 30))
    assert [(q.label, q.records, q.participants) for q in trend.quarters] == [
        ("2025 Q1", 2, 10),
        ("2025 Q2", 1, 5),
        ("2025 Q3", 0, 0),
    ]
    codes = [t.code for t in trend.levels]
    assert trend.quarters[0].by_level[codes.index("involve")] == 1


def test_network_coverage_counts_every_hub(make_record, hubs):
    day = make_record().date
    make_record(hub=hubs["portugal"], region=None, language="pt")
    table = coverage.network_coverage(start=day, end=day)
    assert table.records == 2


def _bulk(hubs, n: int, day: date) -> None:
    from echos.core.models import Region, Term

    levels = list(Term.objects.of("engagement_levels"))
    groups = list(Term.objects.of("stakeholder_groups"))
    regions = list(Region.objects.filter(country_id="NO")[:5])
    records = EngagementRecord.objects.bulk_create(
        EngagementRecord(
            hub=hubs["norway"],
            title=f"R{i}",
            description="x",
            date=day - timedelta(days=i % 300),
            level=levels[i % len(levels)],
            format="meeting",
            language="nb",
            region=regions[i % len(regions)],
            participants=i % 40,
        )
        for i in range(n)
    )
    through = EngagementRecord.stakeholder_groups.through
    through.objects.bulk_create(
        through(engagementrecord_id=r.pk, term_id=groups[(i + k) % len(groups)].pk)
        for i, r in enumerate(records)
        for k in range(1 + i % 3)
    )


@pytest.mark.parametrize("n", [5, 300])
def test_the_coverage_page_query_count_does_not_grow(
    n, hubs, personas, login, django_assert_max_num_queries
):
    from django.utils import timezone

    _bulk(hubs, n, timezone.localdate())
    client = login(personas["coord_no"])
    url = f"/engagement/hubs/{hubs['norway'].pk}/coverage/"
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200


def test_the_report_runs_the_same_queries_at_two_sizes(hubs):
    from django.utils import timezone

    counts = []
    for n in (10, 400):
        _bulk(hubs, n, timezone.localdate())
        start, end = coverage.last_twelve_months(timezone.localdate())
        with CaptureQueriesContext(connection) as small:
            coverage.coverage_report(hubs["norway"], start=start, end=end)
            coverage.network_coverage(start=start, end=end)
        counts.append(len(small))
    assert counts[0] == counts[1]


def test_the_page_shows_every_part_and_names_a_bad_date(make_record, hubs, login):
    from django.utils import timezone

    make_record(date=timezone.localdate() - timedelta(days=20), stakeholder_groups=["citizens"])
    client = login(None)
    url = f"/engagement/hubs/{hubs['norway'].pk}/coverage/"
    html = client.get(url).content.decode()
    for part in ('id="suggestions"', 'id="coverage"', 'id="balance"', 'id="regions"', 'id="trend"'):
        assert part in html
    assert "balance-spec" in html and "regions-spec" in html and "trend-spec" in html
    assert 'data-rule="never_engaged"' in html
    bad = client.get(url, {"start": "2025-02-30"})
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.content.decode() and 'aria-invalid="true"' in bad.content.decode()
    assert client.get(url, {"start": "2025-05-01", "end": "2025-01-01"}).status_code == 400
    assert client.get("/engagement/hubs/999999/coverage/").status_code == 404


def test_a_period_in_year_9999_is_refused_naming_the_parameter(client, hubs):
    answer = client.get(
        f"/api/v1/engagement-coverage?hub={hubs['norway'].pk}&start=9999-01-01&end=9999-12-31"
    )
    assert answer.status_code in (400, 422)
    assert answer.json()["errors"][0]["field"] == "start"
    page = client.get(
        f"/engagement/hubs/{hubs['norway'].pk}/coverage/?start=9999-01-01&end=9999-12-31"
    )
    assert page.status_code == 400
