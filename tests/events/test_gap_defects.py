"""Participation gap defects of issue #16 (item 6.2): the table by region, the default period, the
chart legends and the month labels."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from echos.events import gap
from echos.events.gap import charts as gap_charts
from tests.events.test_gap import make_event, register, report, rows

pytestmark = pytest.mark.django_db


def test_region_table_counts_events_by_their_hubs_region_and_never_says_no_registrations(
    hubs, client
):
    # The national hub's event names no region: the table explains, beside the registrations.
    oslo = make_event(hubs["norway"], datetime(2025, 3, 10, 9, tzinfo=UTC))
    register(oslo, "citizens", n=6)
    html = client.get(reverse("events:gap"), {"from": "2025-01-01", "to": "2025-12-31"})
    html = html.content.decode()
    region_table = html[html.index('id="gap-region"') :]
    region_table = region_table[: region_table.index("</table>")]
    assert "No registrations in this period." not in region_table
    assert "None of this period&#x27;s events names a region, nor does its hub." in region_table

    # An event of the Vestland hub counts in its hub's region though the event names none.
    bergen = make_event(hubs["vestland"], datetime(2025, 4, 2, 9, tzinfo=UTC))
    register(bergen, "youth", n=7)
    regions = rows(report().regions)
    assert list(regions) == ["NO-46"] and regions["NO-46"].registrations == 7
    assert regions["NO-46"].label.endswith("(Norway)")


def test_default_period_is_the_year_up_to_today_not_from_the_first_of_january():
    filters = gap.GapFilters.default(date(2026, 12, 5))
    assert (filters.start, filters.end) == (date(2025, 12, 6), date(2026, 12, 5))
    assert gap.GapFilters.default(date(2024, 2, 29)).start == date(2023, 3, 1)
    only_end, _ = gap.parse_filters({"to": "2026-06-30"}, countries=[], objectives=[])
    assert only_end.start == date(2025, 7, 1)
    only_start, _ = gap.parse_filters({"from": "2026-01-01"}, countries=[], objectives=[])
    assert only_start.end == date(2026, 12, 31)


def test_chart_legends_are_lists_on_the_page_not_drawn_by_vega(hubs, client):
    event = make_event(
        hubs["norway"], datetime(2025, 3, 10, 9, tzinfo=UTC), objectives=",prevention,"
    )
    register(event, "citizens", n=6)
    html = client.get(reverse("events:gap"), {"from": "2025-01-01", "to": "2025-12-31"})
    html = html.content.decode()
    for key in ("month", "objective", "language"):
        legend = html[html.index(f'id="gap-{key}-legend"') :]
        legend = legend[: legend.index("</ul>")]
        assert 'swatch-public"></span>The public' in legend
        assert 'swatch-professionals"></span>Professionals' in legend
    assert 'swatch-attended"></span>Attended' in html
    for spec in (
        gap_charts.month_spec(report().months),
        gap_charts.split_spec(report().objectives),
        gap_charts.attendance_spec(report().audiences),
    ):
        assert spec["encoding"]["color"]["legend"] is None
