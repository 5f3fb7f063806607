"""Small counts of the participation gap stay hidden: no published total minus the published cells
beside a "<5" gives it back (secondary suppression), in the page, its charts and the CSV alike."""

import csv
import io
import math
from datetime import UTC, date, datetime
from types import SimpleNamespace

from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from echos.events import gap
from echos.events.models import Audience

from .test_gap import make_event, register

T = 5
YEAR = gap.GapFilters(start=date(2025, 1, 1), end=date(2025, 12, 31))
OBJECTIVES = [SimpleNamespace(code=c, display=c) for c in ("prevention", "diagnosis")]
PLACES = [
    ("NO", "Norway", "NO-03", "Oslo"),
    ("NO", "Norway", None, None),
    ("NO", "Norway", "NO-46", "Vestland"),
    ("PT", "Portugal", "PT-11", "Lisboa"),
]
CODES = gap.AUDIENCE_CODES


def _tables(events) -> dict[str, list[gap.Row]]:
    """The report's tables from per-event tallies, as ``build_report`` sums them."""
    rows = []
    for i, (place, month, objectives, languages, counts, recorded) in enumerate(events):
        country, country_name, region, region_name = PLACES[place]
        start = datetime(2025, month, 10, 10, tzinfo=UTC)
        tallies = []
        for registered, attended in counts:
            tallies += [registered, min(attended, registered)]
        rows.append(
            (
                i,
                country,
                country_name,
                region,
                region_name,
                country_name if region else None,
                objectives,
                languages,
                start,
            )
            + tuple(tallies)
            + (sum(r for r, _a in counts) if recorded else 0,)
        )
    agg = gap.aggregate(rows)
    audiences = gap.by_audience(agg)
    return {
        "group": gap.by_group(audiences),
        "month": gap.by_month(agg, YEAR),
        "audience": audiences,
        "objective": gap.by_objective(agg, OBJECTIVES),
        "language": gap.by_language(agg),
        "country": gap.by_country(agg),
        "region": gap.by_region(agg),
    }


small = st.integers(0, 7)
event_tallies = st.tuples(
    st.integers(0, len(PLACES) - 1),
    st.integers(1, 12),
    st.sampled_from([",prevention,", ",diagnosis,", ",prevention,diagnosis,", ""]),
    st.sampled_from([",no,", ",en,", ",no,en,"]),
    st.lists(st.tuples(small, small), min_size=len(CODES), max_size=len(CODES)),
    st.booleans(),
)


def _known(value):
    """What a reader takes a published cell to be: (low, high)."""
    if isinstance(value, gap.Small):
        return 0, T - 1  # "<5" is true of 0 too, and a zero is at times shown so
    if isinstance(value, gap.Withheld):
        return T, math.inf
    return value, value


def _relations(published):
    """What any reader can subtract: rows (registrations = public + professionals + not stated),
    columns of the tables that split every registration once (months, audiences, countries, the
    three groups) against the total row, and the groups from their audiences."""
    metrics = gap.SHOWN_METRICS
    relations = []
    for key, rows in published.items():
        for r in rows:
            relations.append(
                [((key, r.code, "registrations"), 1)]
                + [((key, r.code, m), -1) for m in ("public", "professionals", "not_stated")]
            )
    for m in metrics:
        total = (("group", "total", m), -1)
        for key in ("month", "audience", "country"):
            relations.append([((key, r.code, m), 1) for r in published[key]] + [total])
        parts = [r.code for r in published["group"] if r.code != "total"]
        relations.append([(("group", code, m), 1) for code in parts] + [total])
        for group, codes in gap.GROUP_CODES.items():
            inside = [r.code for r in published["audience"] if r.code in codes]
            relations.append(
                [(("audience", c, m), 1) for c in inside] + [(("group", group, m), -1)]
            )
    return relations


def recovered(published, tables) -> list:
    """Hidden cells a reader works out exactly right: a relation with one unknown cell gives it as
    the total minus the published cells (repeated with what was learnt); a relation whose ranges
    leave one value gives that value."""
    cells = {
        (key, r.code, m): getattr(r, m)
        for key, rows in published.items()
        for r in rows
        for m in gap.SHOWN_METRICS
    }
    ranges = {c: _known(v) for c, v in cells.items()}
    learnt = []
    progress = True
    while progress:
        progress = False
        for relation in _relations(published):
            for cell, sign in relation:
                if ranges[cell][0] == ranges[cell][1]:
                    continue
                low = high = 0
                for other, other_sign in relation:
                    if other != cell:
                        a, b = ranges[other]
                        low += a if other_sign * sign < 0 else -b
                        high += b if other_sign * sign < 0 else -a
                first, last = max(low, ranges[cell][0]), min(high, ranges[cell][1])
                if first == last:
                    ranges[cell] = (first, first)
                    learnt.append((cell, first))
                    progress = True
    truth = {
        (key, r.code, m): getattr(r, m)
        for key, rows in tables.items()
        for r in rows
        for m in gap.SHOWN_METRICS
    }
    # A zero shown as "<5" to cover its neighbours counts nobody: learning it is no disclosure.
    return [(c, v) for c, v in learnt if truth[c] == v and v > 0]


@hypothesis_settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(event_tallies, min_size=1, max_size=6))
def test_no_hidden_count_can_be_worked_out_from_the_published_figures(events):
    tables = _tables(events)
    published = gap.publish(tables, threshold=T)
    assert recovered(published, tables) == []
    # Every count from 1 to 4 is hidden, every published count is the true one.
    for key, rows in tables.items():
        for r, shown in zip(rows, published[key], strict=True):
            for m in gap.SHOWN_METRICS:
                value, out = getattr(r, m), getattr(shown, m)
                assert not (0 < value < T and isinstance(out, int))
                assert not isinstance(out, int) or out == value


def test_a_month_below_the_threshold_is_not_the_total_minus_the_others(hubs, client, settings):
    """The reviewer's case: one country, one small month, every other month and the total shown."""
    settings.ECHOS_SMALL_COUNT = T
    norway = hubs["norway"]
    register(make_event(norway, datetime(2025, 3, 4, 10, tzinfo=UTC)), "citizens", n=12)
    register(make_event(norway, datetime(2025, 5, 4, 10, tzinfo=UTC)), "citizens", n=9)
    register(make_event(norway, datetime(2025, 6, 4, 10, tzinfo=UTC)), "citizens", n=2)
    params = {"from": "2025-01-01", "to": "2025-12-31", "country": "NO"}
    text = client.get(reverse("events:gap_csv"), params).content.decode()
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["table"] == "month"]
    total = next(
        r
        for r in csv.DictReader(io.StringIO(text))
        if (r["table"], r["code"]) == ("group", "total")
    )
    june = next(r for r in rows if r["code"] == "2025-06")
    assert june["registrations"] == "<5"
    shown = [int(r["registrations"]) for r in rows if r["registrations"].isdigit()]
    assert not total["registrations"].isdigit() or int(total["registrations"]) - sum(shown) != 2
    assert "x" in {r["registrations"] for r in rows} | {total["registrations"]}
    # The page's table and its chart publish the same cells as the CSV.
    response = client.get(reverse("events:gap"), params)
    month = next(s for s in response.context["sections"] if s["key"] == "month")
    by_code = {r.code: r for r in month["rows"]}
    assert {c: str(by_code[c].registrations) for c in by_code} == {
        r["code"]: r["registrations"] for r in rows
    }
    # The chart draws exactly the published counts of the public, and leaves the others out.
    drawn = {v["label"]: v["value"] for v in month["spec"]["data"]["values"] if v["rank"] == 0}
    for r in month["rows"]:
        assert drawn[r.label] == (r.public if isinstance(r.public, int) else None)


def test_secondary_suppression_is_explained_on_the_page(hubs, client, settings):
    settings.ECHOS_SMALL_COUNT = T
    event = make_event(hubs["norway"], datetime(2025, 3, 4, 10, tzinfo=UTC))
    register(event, Audience.CITIZENS, n=12)
    register(event, "researchers", n=2)
    html = client.get(reverse("events:gap"), {"from": "2025-01-01", "to": "2025-12-31"})
    assert "“x”" in html.content.decode()
