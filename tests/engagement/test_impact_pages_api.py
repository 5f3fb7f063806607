"""Impact model pages and API: the permission matrix with denied twins, errors naming the field,
and query counts that do not grow with the data."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from echos.engagement import impact
from echos.engagement.models import Indicator, IndicatorValue, LogicElement

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coord_pt", "member_no", "editor_no", "coord_no", "network"]
TEAM = {"editor_no", "coord_no", "network"}


@pytest.fixture
def model(hubs):
    element = impact.save_element(
        actor=None, hub=hubs["norway"], stage="outputs", title="Citizens heard"
    )
    computed = impact.save_indicator(
        actor=None,
        element=element,
        name="Citizen dialogues held",
        unit="dialogues",
        baseline=0,
        target=4,
        computation="citizen_dialogues_held",
    )
    entered = impact.save_indicator(
        actor=None, element=element, name="Member organisations", unit="organisations", target=40
    )
    value = impact.save_value(
        actor=None, indicator=entered, period_start="2025-01-01", period_end="2025-06-30", actual=10
    )
    return {"element": element, "computed": computed, "entered": entered, "value": value}


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_model_and_only_the_team_sees_edit_links(
    role, personas, login, hubs, model
):
    response = login(personas[role]).get(f"/engagement/hubs/{hubs['norway'].pk}/impact/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Citizens heard" in html and "Member organisations" in html
    assert ("Add an indicator" in html) == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_adds_an_element(role, personas, login, hubs):
    client = login(personas[role])
    url = f"/engagement/hubs/{hubs['norway'].pk}/impact/elements/new/"
    response = client.post(url, {"stage": "inputs", "title": "Two staff"})
    created = LogicElement.objects.filter(title="Two staff").exists()
    if role in TEAM:
        assert response.status_code == 302 and created
    else:
        assert response.status_code in (302, 403) and not created
        if role != "anonymous":
            assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_deletes_and_enters_values(role, personas, login, model):
    client = login(personas[role])
    entered = model["entered"]
    client.post(
        f"/engagement/impact/indicators/{entered.pk}/values/new/",
        {"period_start": "2025-07-01", "period_end": "2025-12-31", "actual": "20"},
    )
    client.post(f"/engagement/impact/values/{model['value'].pk}/delete/")
    values = set(IndicatorValue.objects.values_list("actual", flat=True))
    assert values == ({20} if role in TEAM else {10})
    client.post(f"/engagement/impact/indicators/{model['computed'].pk}/delete/")
    assert Indicator.objects.filter(pk=model["computed"].pk).exists() == (role not in TEAM)


def test_form_shows_the_rule_on_its_field(personas, login, model):
    client = login(personas["coord_no"])
    response = client.post(
        f"/engagement/impact/elements/{model['element'].pk}/indicators/new/",
        {"name": "Budget", "target": "100"},
    )
    assert response.status_code == 422
    assert "needs a unit" in response.content.decode()
    response = client.post(
        f"/engagement/impact/indicators/{model['entered'].pk}/values/new/",
        {"period_start": "2025-07-01", "period_end": "2025-06-01", "actual": "3"},
    )
    assert response.status_code == 422
    assert "cannot end before it starts" in response.content.decode()


def test_hub_page_panel_shows_progress_and_links(client, hubs, model):
    html = client.get(f"/hubs/{hubs['norway'].pk}/").content.decode()
    assert 'id="impact-panel"' in html
    assert "Member organisations: 10 / 40 organisations (25% of the way)" in html
    assert f"/engagement/hubs/{hubs['norway'].pk}/impact/" in html


def test_panel_is_empty_for_the_public_without_a_model(client, hubs, personas, login):
    assert 'id="impact-panel"' not in client.get(f"/hubs/{hubs['norway'].pk}/").content.decode()
    html = login(personas["coord_no"]).get(f"/hubs/{hubs['norway'].pk}/").content.decode()
    assert "No impact model yet." in html


# --- API ----------------------------------------------------------------------------------------


def test_public_api_reads_the_model_with_computed_values(client, hubs, model, make_record):
    make_record(format="citizen_dialogue", date=timezone.localdate() - timedelta(days=1))
    response = client.get(f"/api/v1/impact/hubs/{hubs['norway'].pk}")
    assert response.status_code == 200
    body = response.json()
    (element,) = body["elements"]
    computed, entered = element["indicators"]
    assert computed["computation"] == "citizen_dialogues_held"
    assert len(computed["values"]) == impact.QUARTERS
    assert all(v["is_computed"] and v["id"] is None for v in computed["values"])
    assert sum(v["actual"] for v in computed["values"]) == 1
    assert entered["latest"] == 10 and entered["percent_of_target"] == 25
    assert entered["values"][0]["id"] == model["value"].pk
    codes = [c["code"] for c in client.get("/api/v1/impact/computations").json()]
    assert "participants_from_group" in codes
    assert client.get("/api/v1/impact/hubs/999999").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_api_writes_only_for_the_team(role, personas, token_client, hubs, model):
    api = token_client(personas[role])
    post = lambda url, body: api.post(url, json.dumps(body), content_type="application/json")  # noqa: E731
    r = post(f"/api/v1/impact/hubs/{hubs['norway'].pk}/elements", {"stage": "impact", "title": "T"})
    r2 = post(
        f"/api/v1/impact/elements/{model['element'].pk}/indicators",
        {"name": "Participants", "computation": "participants_from_group", "parameter": "citizens"},
    )
    r3 = post(
        f"/api/v1/impact/indicators/{model['entered'].pk}/values",
        {"period_start": "2025-07-01", "period_end": "2025-12-31", "actual": "30.5"},
    )
    r4 = api.patch(
        f"/api/v1/impact/indicators/{model['entered'].pk}",
        json.dumps({"target": "50"}),
        content_type="application/json",
    )
    r5 = api.delete(f"/api/v1/impact/values/{model['value'].pk}")
    if role in TEAM:
        assert [r.status_code for r in (r, r2, r3, r4, r5)] == [201, 201, 201, 200, 204]
        assert r2.json()["parameter"] == "citizens"
        assert r3.json()["percent_of_target"] == 76
        assert r4.json()["target"] == 50
    else:
        expected = 401 if role == "anonymous" else 403
        assert {r.status_code for r in (r, r2, r3, r4, r5)} == {expected}
        assert LogicElement.objects.count() == 1 and Indicator.objects.count() == 2
        assert IndicatorValue.objects.get().actual == 10


def test_api_errors_name_the_field(personas, token_client, hubs, model):
    api = token_client(personas["coord_no"])

    def post(url, body):
        r = api.post(url, json.dumps(body), content_type="application/json")
        return r.status_code, [e["field"] for e in r.json()["errors"]]

    element_url = f"/api/v1/impact/elements/{model['element'].pk}/indicators"
    assert post(element_url, {"name": "Budget", "target": 5}) == (400, ["unit"])
    assert post(element_url, {"name": "X", "computation": "vibes"}) == (422, ["computation"])
    assert post(element_url, {"name": "X", "computation": "records_reaching_group"}) == (
        400,
        ["parameter"],
    )
    values_url = f"/api/v1/impact/indicators/{model['entered'].pk}/values"
    bad_period = {"period_start": "2025-07-01", "period_end": "2025-01-01", "actual": 1}
    assert post(values_url, bad_period) == (400, ["period_end"])
    assert post(values_url, {**bad_period, "period_end": "2025-09-30", "actual": "1e20"}) == (
        422,
        ["actual"],
    )
    computed_url = f"/api/v1/impact/indicators/{model['computed'].pk}/values"
    assert post(computed_url, {**bad_period, "period_end": "2025-09-30"}) == (400, ["indicator"])
    hub_url = f"/api/v1/impact/hubs/{hubs['norway'].pk}/elements"
    assert post(hub_url, {"stage": "dreams", "title": "X"}) == (422, ["stage"])
    assert Indicator.objects.count() == 2 and IndicatorValue.objects.count() == 1


# --- query counts -------------------------------------------------------------------------------


def _grow(hubs, make_record, n: int) -> None:
    """n more elements with three indicators each (computed and entered) and 2n more records."""
    from echos.core.models import Term
    from echos.engagement.models import ParticipantCount

    citizens = Term.objects.get(vocabulary="stakeholder_groups", code="citizens")
    today = timezone.localdate()
    for k in range(n):
        e = impact.save_element(actor=None, hub=hubs["norway"], stage="outcomes", title=f"E{k}")
        for code, param in [
            ("participants_from_group", "citizens"),
            ("records_reaching_group", "media"),
            ("patient_organisations_involved", ""),
        ]:
            impact.save_indicator(
                actor=None, element=e, name=f"{code} {k}", computation=code, parameter=param
            )
        entered = impact.save_indicator(
            actor=None, element=e, name=f"Entered {k}", unit="u", target=9
        )
        impact.save_value(
            actor=None,
            indicator=entered,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 3, 31),
            actual=k,
        )
        for days in (10, 100):
            r = make_record(format="citizen_dialogue", date=today - timedelta(days=days + k))
            ParticipantCount.objects.create(record=r, group=citizens, count=5)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/engagement/hubs/{hub}/impact/", "/api/v1/impact/hubs/{hub}", "/hubs/{hub}/"]
)
def test_query_count_does_not_grow_with_the_model_or_the_records(
    path, client, hubs, model, make_record
):
    url = path.format(hub=hubs["norway"].pk)
    _grow(hubs, make_record, 2)
    small = _queries(client, url)
    _grow(hubs, make_record, 8)
    assert _queries(client, url) == small


@pytest.mark.parametrize("role", ROLES)
def test_form_pages_open_for_the_team_only(role, personas, login, hubs, model):
    client = login(personas[role])
    urls = [
        f"/engagement/hubs/{hubs['norway'].pk}/impact/elements/new/?stage=impact",
        f"/engagement/impact/elements/{model['element'].pk}/edit/",
        f"/engagement/impact/elements/{model['element'].pk}/indicators/new/",
        f"/engagement/impact/indicators/{model['computed'].pk}/edit/",
        f"/engagement/impact/indicators/{model['entered'].pk}/values/new/",
    ]
    for url in urls:
        response = client.get(url)
        if role in TEAM:
            assert response.status_code == 200, url
            assert b"Back to the impact model" in response.content
        else:
            assert response.status_code == (302 if role == "anonymous" else 403), url


def test_editing_an_indicator_through_the_form(personas, login, model):
    client = login(personas["editor_no"])
    url = f"/engagement/impact/indicators/{model['computed'].pk}/edit/"
    assert 'value="citizen_dialogues_held" selected' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Citizens taking part",
            "unit": "participants",
            "target": "120",
            "computation": "participants_from_group",
            "parameter": "citizens",
        },
    )
    assert response.status_code == 302
    model["computed"].refresh_from_db()
    assert (model["computed"].computation, model["computed"].parameter) == (
        "participants_from_group",
        "citizens",
    )


def test_page_says_which_figure_is_measured(client, hubs, model):
    impact.save_indicator(
        actor=None,
        element=model["element"],
        name="Dialogues per quarter",
        unit="dialogues",
        target=2,
        computation="citizen_dialogues_held",
        accumulation="per_period",
    )
    html = client.get(f"/engagement/hubs/{hubs['norway'].pk}/impact/").content.decode()
    assert 'id="accumulation-note"' in html and "latest complete quarter" in html
    assert "Total so far:" in html  # the cumulative computed indicator
    assert "Last complete quarter (" in html  # the per-period one
    assert "Cumulative since the first period" in html and "Per period" in html


def test_indicator_form_sets_how_periods_add_up(personas, login, model):
    client = login(personas["coord_no"])
    url = f"/engagement/impact/elements/{model['element'].pk}/indicators/new/"
    response = client.post(
        url,
        {
            "name": "Trained",
            "unit": "people",
            "accumulation": "cumulative",
            "baseline_date": "2025-01-01",
        },
    )
    assert response.status_code == 302
    trained = Indicator.objects.get(name="Trained")
    assert (trained.accumulation, trained.baseline_date) == ("cumulative", date(2025, 1, 1))
    edit = client.get(f"/engagement/impact/indicators/{trained.pk}/edit/").content.decode()
    assert 'value="cumulative" selected' in edit
