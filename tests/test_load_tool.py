"""The pure parts of bench/load.py: percentiles, the table, the lost-submission check. No server."""

import importlib
import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def load():
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("load")
    finally:
        sys.path.remove(str(BENCH))


def test_percentile_nearest_rank(load):
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert load.percentile(samples, 50) == 3.0
    assert load.percentile(samples, 100) == 5.0
    assert load.percentile(samples, 1) == 1.0
    hundred = [float(i) for i in range(1, 101)]
    assert load.percentile(hundred, 95) == 95.0
    assert load.percentile(hundred, 99) == 99.0
    assert load.percentile([7.0], 99) == 7.0
    assert math.isnan(load.percentile([], 50))
    with pytest.raises(ValueError):
        load.percentile(samples, 0)


def test_recorder_merge_and_rows(load):
    a, b = load.Recorder(), load.Recorder()
    a.add("page", 0.010, True)
    a.add("page", 0.030, False, "HTTP 500")
    b.add("page", 0.020, True)
    b.add("feed", None, False, "ConnectionResetError()")
    b.reconnects = 2
    a.merge(b)
    assert a.requests == {"page": 3, "feed": 1}
    assert a.errors == {"page": 1, "feed": 1}
    assert a.reconnects == 2
    assert len(a.examples) == 2
    rows = load.rows_from(a, ["page", "feed"], 2.0, "all")
    page, feed, overall = rows
    assert (page.requests, page.rate, page.p50, page.errors) == (3, 1.5, 20.0, 1)
    assert page.p99 == pytest.approx(30.0)
    assert feed.requests == 1 and math.isnan(feed.p50)  # no response, no latency
    assert (overall.kind, overall.requests, overall.errors) == ("all", 4, 2)


def test_table_has_ratios_against_healthz(load):
    baseline = load.Row("GET /healthz", 1000, 500.0, 2.0, 4.0, 8.0, 0)
    page = load.Row("GET /hubs/", 250, 125.0, 20.0, 60.0, 80.0, 3)
    empty = load.Row("GET /never", 0, 0.0, math.nan, math.nan, math.nan, 0)
    lines = load.format_table([baseline, page, empty], baseline)
    assert lines[0].startswith("| request kind | requests | req/s")
    assert lines[1].count("|") == lines[0].count("|")
    assert lines[2] == (
        "| GET /healthz | 1,000 | 500.0 (1.0×) | 2.0 (1.0×) | 4.0 (1.0×) | 8.0 (1.0×) | 0 |"
    )
    assert lines[3] == (
        "| GET /hubs/ | 250 | 125.0 (0.25×) | 20.0 (10.0×) | 60.0 (15.0×) | 80.0 (10.0×) | 3 |"
    )
    assert "n/a" in lines[4]


def test_lost_submissions_fail_the_run(load):
    ok = load.check_submissions({"a@x.org", "b@x.org"}, {"a@x.org", "b@x.org"}, errors=0)
    assert ok.ok and ok.line() == "submissions confirmed 2, stored 2, lost 0, errors 0"
    lost = load.check_submissions({"a@x.org", "b@x.org"}, {"a@x.org"}, errors=0)
    assert (lost.lost, lost.ok) == (1, False)
    # Stored although the client saw no confirmation (e.g. it timed out): reported, not lost.
    extra = load.check_submissions({"a@x.org"}, {"a@x.org", "c@x.org"}, errors=1)
    assert (extra.lost, extra.unconfirmed, extra.ok) == (0, 1, False)
    assert "stored without a confirmation" in extra.line()
    clean = [load.Row("k", 1, 1.0, 1.0, 1.0, 1.0, 0)]
    assert load.exit_code(clean, ok) == 0
    assert load.exit_code(clean, lost) == 1
    assert load.exit_code([load.Row("k", 1, 1.0, 1.0, 1.0, 1.0, 1)], ok) == 1


def test_csrf_token_from_the_form(load):
    page = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
    assert load.csrf_token(page) == "abc123"
    assert load.csrf_token("<p>no form</p>") is None


def test_ratio_keeps_small_multiples_readable(load):
    assert load.ratio(1.0) == "1.0×"
    assert load.ratio(1234.5) == "1,234.5×"
    assert load.ratio(0.0123) == "0.012×"
    assert load.ratio(0.000085) == "0.000085×"
    assert load.ratio(0.0) == "0.0×"
