"""Dashboards, catalogue pages and the KPI API: permission matrix with denied twins, the period
selector's refusals, the change against the previous period, query counts at two data sizes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from echos.core import kpis
from tests.reports.kpi_data import make_event, register

ROLES = ["anonymous", "coord_pt", "member_no", "editor_no", "coord_no", "network"]

# Network dashboard: network coordinators only. Norway's hub dashboard: its editor, its coordinator
# and the network (Portugal's coordinator and a stakeholder member are refused).
NETWORK = {"network"}
NORWAY = {"editor_no", "coord_no", "network"}


def status_for(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize("role", ROLES)
def test_network_dashboard_permission_matrix(personas, login, role):
    response = login(personas[role]).get(reverse("reports:network"))
    assert response.status_code == (200 if role in NETWORK else 403)


@pytest.mark.parametrize("role", ROLES)
def test_hub_dashboard_permission_matrix(personas, hubs, login, role):
    response = login(personas[role]).get(reverse("reports:hub", args=[hubs["norway"].pk]))
    assert response.status_code == (200 if role in NORWAY else 403)


@pytest.mark.parametrize("role", ["coord_no", "network"])
def test_coordinator_above_sees_the_sub_hub_dashboard_and_not_the_other_way(
    personas, hubs, login, role
):
    assert (
        login(personas[role]).get(reverse("reports:hub", args=[hubs["bergen"].pk])).status_code
        == 200
    )


def test_unknown_hub_dashboard_is_404(personas, login):
    assert login(personas["network"]).get(reverse("reports:hub", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_pages_are_public(personas, login, role):
    client = login(personas[role])
    page = client.get(reverse("reports:kpis"))
    assert page.status_code == 200
    for kpi in kpis.catalogue():
        assert reverse("reports:kpi", args=[kpi.code]) in page.content.decode()
    detail = client.get(reverse("reports:kpi", args=["HUB-HUBS-LEVEL"]))
    assert detail.status_code == 200
    body = detail.content.decode()
    for text in ("Definition", "Numerator", "Denominator", "Unit", "Owner", "Split by"):
        assert text in body


def test_unknown_kpi_page_is_404(client, db):
    assert client.get(reverse("reports:kpi", args=["NO-SUCH-KPI"])).status_code == 404


def test_every_dashboard_figure_links_to_its_definition(personas, login):
    body = login(personas["network"]).get(reverse("reports:network")).content.decode()
    for kpi in kpis.catalogue("network"):
        assert f'href="{reverse("reports:kpi", args=[kpi.code])}"' in body
        assert f'<table class="striped" data-kpi="{kpi.code}">' in body
        assert f'id="kpi-{kpi.code.lower()}-spec"' in body  # the chart beside the table
    assert "<caption>" in body


def test_hub_dashboard_lists_only_hub_scope_kpis(personas, hubs, login):
    body = login(personas["network"]).get(reverse("reports:hub", args=[hubs["norway"].pk]))
    assert 'data-kpi="HUB-COUNTRIES-STAGE"' not in body.content.decode()
    assert 'data-kpi="HUB-HUBS-LEVEL"' in body.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-13", "end": "2025-06"}, "start", "YYYY-MM"),
        ({"start": "soon", "end": "2025-06"}, "start", "YYYY-MM"),
        ({"start": "2025-01", "end": ""}, "end", "required"),
        ({"start": "2025-06", "end": "2025-01"}, "end", "ends before it starts"),
        ({"start": "2025-01", "end": "2999-01"}, "end", "future"),
        ({"start": "2020-01", "end": "2025-01"}, "start", "at most 36 months"),
    ],
)
def test_period_selector_refuses_bad_periods_naming_the_field(
    personas, login, params, field, message
):
    response = login(personas["network"]).get(reverse("reports:network"), params)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not response.context["panels"]


def test_period_rules_directly():
    today = date(2026, 5, 15)
    assert kpis.parse_period("2026-01", "2026-05", today=today) == (
        date(2026, 1, 1),
        date(2026, 5, 15),
    )
    assert kpis.parse_period("2023-06", "2026-05", today=today)[0] == date(2023, 6, 1)  # 36
    with pytest.raises(kpis.PeriodError) as exc:
        kpis.parse_period("2023-05", "2026-05", today=today)  # 37 months
    assert exc.value.field == "start"
    assert kpis.default_period(today) == (date(2025, 6, 1), today)
    assert kpis.previous_period(date(2026, 1, 1), date(2026, 3, 31)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    with pytest.raises(kpis.PeriodError):
        kpis.monthly("HUB-HUBS-LEVEL", date(2020, 1, 1), date(2023, 1, 31))


def test_dashboard_shows_the_change_against_the_previous_period(personas, hubs, login):
    register(make_event(hubs["norway"], date(2025, 2, 1)), "citizens", n=3)
    register(make_event(hubs["norway"], date(2024, 9, 1)), "citizens", n=1)
    response = login(personas["network"]).get(
        reverse("reports:network"), {"start": "2025-01", "end": "2025-06"}
    )
    panel = next(p for p in response.context["panels"] if p.kpi.code == "EVT-PARTICIPANTS-AUDIENCE")
    row = next(r for r in panel.rows if r.key == "citizens")
    assert (row.value, row.previous, row.difference) == (3, 1, 2)
    assert panel.previous.start == date(2024, 7, 1) and panel.previous.end == date(2024, 12, 31)


def test_monthly_series_month_by_month(hubs):
    register(make_event(hubs["norway"], date(2025, 2, 1)), "citizens", n=2)
    register(make_event(hubs["norway"], date(2025, 4, 1)), "citizens", n=1)
    series = kpis.monthly("EVT-PARTICIPANTS-AUDIENCE", date(2025, 1, 1), date(2025, 4, 30))
    assert [r.start for r in series] == [date(2025, m, 1) for m in (1, 2, 3, 4)]
    assert [r.value("citizens") for r in series] == [0, 2, 0, 1]
    assert series[1].end == date(2025, 2, 28)


def test_catalogue_lists_no_kpi_of_an_absent_app(db, monkeypatch):
    from echos.core import registry

    everything = registry.kpi_modules()
    assert any(k.owner == "continuity" for k in kpis.catalogue())
    monkeypatch.setattr(
        registry,
        "kpi_modules",
        lambda: [
            m
            for m in everything
            if not m.__name__.startswith(("echos.continuity", "echos.exchange"))
        ],
    )
    owners = {k.owner for k in kpis.catalogue()}
    assert "continuity" not in owners and "exchange" not in owners
    with pytest.raises(kpis.UnknownKpi):
        kpis.get("CON-RUNWAY-24")


def test_codes_are_unique_and_every_kpi_is_written_down(db):
    codes = [k.code for k in kpis.catalogue()]
    assert len(codes) == len(set(codes))
    for kpi in kpis.catalogue():
        for name in ("name", "definition", "numerator", "denominator", "unit", "owner"):
            assert str(getattr(kpi, name)).strip(), (kpi.code, name)


def _grow(hubs, n):
    """``n`` events with three registrations each, in the period."""
    for i in range(n):
        register(make_event(hubs["norway"], date(2025, 1 + i % 6, 1 + i % 27)), "citizens", n=3)


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_of_every_kpi_is_independent_of_data_size(hubs):
    from django.core.cache import cache

    from echos.hubs.models import Hub

    def run():
        cache.clear()
        norway = Hub.objects.get(pk=hubs["norway"].pk)  # a fresh object: its scope is read again
        for kpi in kpis.catalogue():
            kpis.compute(kpi, date(2025, 1, 1), date(2025, 6, 30), None)
            if "hub" in kpi.scopes:
                kpis.compute(kpi, date(2025, 1, 1), date(2025, 6, 30), norway)

    _grow(hubs, 2)
    run()  # the first run loads the shipped questionnaires
    small = _count(run)
    _grow(hubs, 20)
    assert _count(run) == small


def test_query_count_of_the_network_dashboard_is_independent_of_data_size(personas, hubs, login):
    client = login(personas["network"])
    url = reverse("reports:network")
    _grow(hubs, 2)
    client.get(url)
    small = _count(lambda: client.get(url))
    _grow(hubs, 20)
    assert _count(lambda: client.get(url)) == small


@pytest.mark.parametrize("role", ROLES)
def test_hub_page_links_to_the_dashboard_for_the_team_only(personas, hubs, login, role):
    hub = hubs["norway"]
    body = login(personas[role]).get(reverse("hubs:hub", args=[hub.pk])).content.decode()
    link = f'href="{reverse("reports:hub", args=[hub.pk])}"'
    assert (link in body) == (role in NORWAY)
