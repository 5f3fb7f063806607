"""The monthly series: a KPI's grouped series (``monthly_function``) equals ``compute`` month by
month, over months with and without data, in one query whatever the number of months."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.core import kpis
from tests.reports.kpi_data import at, make_event, register

START, END = date(2025, 1, 1), date(2025, 6, 30)


@pytest.fixture
def data(hubs, personas):
    from echos.core.models import Term
    from echos.engagement.models import EngagementRecord
    from echos.participation import services as par_services
    from echos.participation.models import Answer, Proposal

    no = hubs["norway"]
    # 1 February 00:30 in Brussels is still January in UTC: the month is the site's.
    late = make_event(no, date(2025, 2, 1), audiences=",citizens,youth,")
    late.start = at(date(2025, 1, 31), hour=23).replace(minute=30)
    late.end = late.start.replace(day=1, month=2, hour=2)
    late.save()
    register(late, "citizens", n=2)
    register(make_event(hubs["bergen"], date(2025, 4, 10), audiences=",youth,"), "youth")
    level = Term.objects.of("engagement_levels").first()
    for day in (date(2025, 3, 1), date(2025, 3, 31), date(2025, 6, 30)):
        EngagementRecord.objects.create(
            hub=no,
            title="R",
            description="D",
            date=day,
            level=level,
            format="meeting",
            language="no",
        )
    consultation = par_services.open_consultation(
        actor=None,
        hub=no,
        title="C",
        description="D",
        opens_at=at(date(2024, 12, 1)),
        closes_at=at(date(2025, 12, 1)),
    )
    for i, day in enumerate((date(2025, 2, 2), date(2025, 2, 3), date(2025, 5, 5))):
        Answer.objects.create(
            consultation=consultation, email=f"a{i}@example.invalid", confirmed_at=at(day)
        )
    Proposal.objects.create(
        hub=no,
        title="P",
        body="B",
        confirmed_at=at(date(2025, 1, 1)),
        status="accepted",
        answered_at=at(date(2025, 6, 1)),
    )
    return hubs


def grouped_codes():
    return [k.code for k in kpis.catalogue() if k.monthly_function]


def test_some_kpis_have_a_grouped_series(db):
    assert {"EVT-PARTICIPANTS-AUDIENCE", "ENG-RECORDS-LEVEL", "PAR-ANSWERS"} <= set(grouped_codes())


@pytest.mark.parametrize("scope", ["network", "hub"])
def test_grouped_series_equals_compute_month_by_month(data, scope):
    hub = None if scope == "network" else data["norway"]
    for code in grouped_codes():
        series = kpis.monthly(code, START, END, hub)
        assert len(series) == 6
        for result in series:
            expected = kpis.compute(code, result.start, result.end, hub)
            assert result.figures == expected.figures, (code, result.start)


def test_grouped_series_sees_the_site_time_zone(data):
    series = kpis.monthly("EVT-PARTICIPANTS-AUDIENCE", START, END)
    assert series[1].value("citizens") == 2  # 1 February in Brussels, 31 January in UTC


def test_grouped_series_is_one_query_for_36_months(data):
    from echos.hubs.models import Hub

    for code in grouped_codes():
        hub = Hub.objects.get(pk=data["norway"].pk)
        kpis.scope_ids(hub)
        with CaptureQueriesContext(connection) as ctx:
            kpis.monthly(code, date(2023, 1, 1), date(2025, 12, 31), hub)
        assert len(ctx.captured_queries) <= 2, code  # the grouped query (+ a vocabulary)
