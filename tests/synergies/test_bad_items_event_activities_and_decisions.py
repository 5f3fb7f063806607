"""Bad batch items named, events recorded as activities, bad decide-form values refused."""

import json
import os
import subprocess
import sys

import pytest

from echos.core.exceptions import RuleViolation
from echos.synergies import batch, services

INITIATIVES = [
    {"id": "i1", "name": "Screening", "description": "Cancer screening for breast cancer"},
]
ACTIVITY = {"id": "a1", "title": "Workshop", "description": "Breast cancer screening days"}

BAD_ITEMS = [
    ("activities", {**ACTIVITY, "title": 5}, "activities[1].title: must be text"),
    ("activities", {**ACTIVITY, "title": ["x"]}, "activities[1].title: must be text"),
    ("initiatives", {**INITIATIVES[0], "name": {"a": 1}}, "initiatives[1].name: must be text"),
    ("initiatives", {**INITIATIVES[0], "acronym": ["X"]}, "initiatives[1].acronym: must be text"),
    (
        "activities",
        {**ACTIVITY, "objectives": [{"a": 1}]},
        "activities[1].objectives[1]: must be text",
    ),
    (
        "activities",
        {**ACTIVITY, "policy_areas": [["a"]]},
        "activities[1].policy_areas[1]: must be text",
    ),
    ("initiatives", {**INITIATIVES[0], "id": ["x"]}, "initiatives[1].id: must be text"),
    ("activities", {**ACTIVITY, "description": 5}, "activities[1].description (id a1): must be"),
]


def _body(kind, item):
    body = {"initiatives": INITIATIVES, "activities": [ACTIVITY]}
    body[kind] = [item]
    return body


@pytest.mark.parametrize(("kind", "item", "message"), BAD_ITEMS)
@pytest.mark.django_db
def test_api_match_bad_item_fields_are_named(client, kind, item, message):
    response = client.post(
        "/api/v1/synergies/match", json.dumps(_body(kind, item)), content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert message in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == kind


def test_third_item_is_counted_from_one():
    items = [{**ACTIVITY, "id": f"a{i}"} for i in range(3)]
    items[2]["title"] = 5
    with pytest.raises(batch.BatchError, match=r"^activities\[3\]\.title: must be text$"):
        batch.activities(items)


@pytest.mark.parametrize(("kind", "item", "message"), BAD_ITEMS[:2] + BAD_ITEMS[4:6])
def test_cli_match_bad_item_fields_exit_2(tmp_path, kind, item, message):
    body = _body(kind, item)
    for name in ("initiatives", "activities"):
        (tmp_path / f"{name}.json").write_text(json.dumps(body[name]))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "echos",
            "synergies",
            "match",
            "--initiatives",
            str(tmp_path / "initiatives.json"),
            "--activities",
            str(tmp_path / "activities.json"),
            "--mode",
            "lexical",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ECHOS_DATA_DIR": str(tmp_path)},
    )
    assert done.returncode == 2, done.stderr
    assert message.replace(kind, f"{kind}.json", 1) in done.stderr
    assert "Traceback" not in done.stderr


# --- events recorded as synergy activities ------------------------------------------------------


def _event(hub, *, country=None, region=None, languages=",en,", co_organisers=()):
    from datetime import timedelta

    from django.utils import timezone

    from echos.events.models import Event

    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        title="Cancer screening open day",
        description="Talks about cancer screening.",
        type="workshop",
        hub=hub,
        format="in_person",
        country=country or hub.country,
        region=region,
        languages=languages,
        start=start,
        end=start + timedelta(hours=2),
        time_zone="Europe/Oslo",
        status="published",
    )
    event.co_organisers.set(co_organisers)
    return event


@pytest.mark.django_db
def test_co_organiser_records_the_event_as_an_activity_of_their_hub(hubs, personas, login):
    from django.urls import reverse

    from echos.synergies import services
    from echos.synergies.models import Activity

    event = _event(hubs["norway"], co_organisers=[hubs["portugal"]])
    assert services.can_record_event(personas["coord_pt"], event)
    response = login(personas["coord_pt"]).post(reverse("events:to_activity", args=[event.pk]))
    assert response.status_code == 302
    activity = Activity.objects.get(origin="event", origin_id=str(event.pk))
    assert activity.hub == hubs["portugal"] and response["Location"] == activity.get_absolute_url()
    # The organising hub records its own activity; neither overwrites the other.
    login(personas["coord_no"]).post(reverse("events:to_activity", args=[event.pk]))
    assert {a.hub for a in Activity.objects.filter(origin_id=str(event.pk))} == {
        hubs["norway"],
        hubs["portugal"],
    }
    # Someone who edits neither hub may not.
    outsider = _event(hubs["portugal"])
    assert not services.can_record_event(personas["coord_no"], outsider)


@pytest.mark.django_db
def test_event_abroad_drops_the_region_and_says_where(hubs, personas):
    from echos.core.models import Country, Region
    from echos.synergies import services

    pt = Country.objects.get(pk="PT")
    lisbon = Region.objects.filter(country=pt).first()
    event = _event(hubs["norway"], country=pt, region=lisbon)
    activity = services.activity_from_event(actor=personas["coord_no"], event=event)
    assert activity.hub == hubs["norway"] and activity.region is None
    assert activity.description.startswith("Talks about cancer screening.")
    assert str(lisbon) in activity.description and "Portugal" in activity.description


@pytest.mark.django_db
def test_event_language_prefers_the_country_language(hubs, personas):
    from echos.core.models import Country
    from echos.hubs.models import Hub
    from echos.synergies import services

    poland = Hub.objects.create(
        country=Country.objects.get(pk="PL"), level="national", name="Hub PL", name_en="Hub PL"
    )
    activity = services.activity_from_event(actor=None, event=_event(poland, languages=",en,pl,"))
    assert activity.source_language == "pl"
    # Not among the event's languages: the first one.
    event = _event(poland, languages=",de,en,")
    assert services.event_language(event, poland) == "de"
    # A Norwegian event in Bokmål and English is a Bokmål activity.
    assert (
        services.event_language(_event(hubs["norway"], languages=",en,nb,"), hubs["norway"]) == "nb"
    )


# --- bad values in decisions --------------------------------------------------------------------


@pytest.fixture
def decided_activity(hubs):
    from echos.synergies import services

    services.save_initiative(
        actor=None,
        key="screen-net",
        name="Colorectal screening network",
        programme="other",
        description="Organised colorectal cancer screening with faecal tests.",
    )
    return services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for tarmkreft med avføringstest.",
        language="nb",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"activity": "abc"}, "The activity to link must be given by its number."),
        ({"activity": "99999999999999999999"}, "The activity to link must be given by its number."),
        ({"score": "inf"}, "The score must be a finite number."),
        ({"score": "nan"}, "The score must be a finite number."),
        ({"score": "abc"}, "The score must be a number."),
    ],
)
@pytest.mark.django_db
def test_decide_page_refuses_bad_values_with_a_message(
    decided_activity, personas, login, data, message
):
    from echos.synergies.models import Decision, SynergyLink

    client = login(personas["coord_no"])
    response = client.post(
        f"/synergies/activities/{decided_activity.pk}/decide/",
        {"verdict": "accepted", "initiative": "screen-net", **data},
        follow=True,
    )
    assert response.status_code == 200
    assert message in [str(m) for m in response.context["messages"]]
    assert not Decision.objects.exists() and not SynergyLink.objects.exists()


@pytest.mark.parametrize("score", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.django_db
def test_api_decision_refuses_a_non_finite_score(decided_activity, personas, token_client, score):
    client = token_client(personas["coord_no"])
    response = client.post(
        f"/api/v1/activities/{decided_activity.pk}/decisions",
        '{"verdict": "accepted", "initiative": "screen-net", "score": ' + score + "}",
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "score"


@pytest.mark.django_db
def test_service_refuses_a_non_finite_score(decided_activity):
    from echos.core.exceptions import RuleViolation
    from echos.synergies import services
    from echos.synergies.models import Initiative

    with pytest.raises(RuleViolation) as exc:
        services.decide(
            actor=None,
            activity=decided_activity,
            verdict="accepted",
            initiative=Initiative.objects.get(key="screen-net"),
            score=float("nan"),
        )
    assert exc.value.field == "score"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "\u0003\u009a"}, "name"),
        ({"name": "Joint action", "acronym": "--"}, "acronym"),
        ({"name": "Joint action", "acronym": "\u2603"}, "acronym"),
    ],
)
def test_an_initiative_without_a_usable_address_is_refused_naming_the_field(
    personas, token_client, fields, field
):
    """Found by schemathesis: a name of control characters made an empty key, then a 500."""
    body = {"description": "Screening.", "programme": "other", **fields}
    response = token_client(personas["network"]).post(
        "/api/v1/initiatives", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field


def test_a_given_key_that_is_no_web_address_is_refused(personas):
    with pytest.raises(RuleViolation) as refused:
        services.save_initiative(
            actor=personas["network"],
            name="Joint action",
            description="Screening.",
            programme="other",
            key="a b/c",
        )
    assert refused.value.field == "key"
