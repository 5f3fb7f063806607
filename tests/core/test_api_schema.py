"""The whole /api/v1/ against its own OpenAPI schema, driven by schemathesis through Django's WSGI app.

Every operation gets a bounded number of generated requests (positive and negative) over real data
(hubs, organisations, events, initiatives, activities, consultations), sent with the token of the
network coordinator so that writes go through. No response may be a 500, and every response must
use a status code the operation declares, with a body matching the schema declared for it.

``ECHOS_SCHEMA_EXAMPLES`` raises the number of fuzzed examples per operation for a longer local run,
``ECHOS_SCHEMA_SEED`` picks another seed (the default is fixed so that CI failures reproduce).
"""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.schema_cases import (
    CHECKS,
    aim_at_real_rows,
    bearer_header,
    conformance_test,
    examples,
    load_schema,
    one_connection,  # noqa: F401 (a fixture)
)

EXAMPLES = examples(20)
SEED = int(os.environ.get("ECHOS_SCHEMA_SEED", "20250517"))


# Real rows of the current test, by kind, filled by ``api_data``: generated requests are steered to
# them half of the time so that reads find objects and writes pass validation and reach the services.
REAL: dict[str, list] = {}

PATH_KINDS = {
    "hub_id": "hub",
    "org_id": "organisation",
    "membership_id": "membership",
    "event_id": "event",
    "registration_id": "registration",
    "activity_id": "activity",
    "link_id": "link",
    "consultation_id": "consultation",
    "proposal_id": "proposal",
    "comment_id": "comment",
    "response_id": "response",
    "round_id": "round",
    "record_id": "record",
    "key": "initiative",
    "vocabulary": "vocabulary",
}
BODY_KINDS = {
    "hub": "hub",
    "parent": "hub",
    "organisation": "organisation",
    "host_organisation": "organisation",
    "activity": "activity",
    "initiative": "initiative",
    "country": "country",
    "region": "region",
    "stakeholder_group": "stakeholder_group",
    "instrument": "instrument",
    "level": "level",
    "language": "language",
    "languages": "languages",
    "type": "event_type",
    "format": "event_format",
    "time_zone": "time_zone",
    "programme": "programme",
}


def _kind(case, name: str) -> str | None:
    if name == "code":  # countries/{code} and instruments/{code}
        return "instrument" if "instruments" in case.path else "country"
    return PATH_KINDS.get(name)


@pytest.fixture
def api_data(hubs, personas):
    """A few objects of each kind, so that generated ids and keys find real rows."""
    from echos.assessment import services as assessment
    from echos.core.models import Term
    from echos.events import services as events
    from echos.events.models import EventType, Format
    from echos.participation import services as participation
    from echos.synergies import services as synergies

    network = personas["network"]
    instruments = assessment.load_instruments()
    now = timezone.now()
    start = (now + timedelta(days=10)).replace(microsecond=0)
    event_list, registrations = [], []
    for i, hub in enumerate([hubs["norway"], hubs["portugal"], hubs["norway"]]):
        event = events.create_event(
            actor=None,
            hub=hub,
            title=f"Citizen dialogue {i}",
            description="An open conversation about cancer screening.",
            type="citizen_dialogue",
            format="in_person",
            languages=["en"],
            audiences=["citizens"],
            objectives=["prevention"],
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=2),
            time_zone="Europe/Oslo",
            venue="Litteraturhuset",
            status="published",
        )
        event_list.append(event)
        registrations.append(
            events.register(
                event=event, name=f"Person {i}", email=f"person{i}@example.invalid", consent=True
            )
        )
    initiatives = [
        synergies.save_initiative(
            actor=None,
            key=key,
            name=name,
            programme="other",
            description=f"{name}: organised screening and return to work of survivors.",
            objectives=["prevention"],
        )
        for key, name in [("screen-net", "Screening network"), ("back-to-work", "Back to work")]
    ]
    activity = synergies.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for tarmkreft med avføringstest.",
        language="nb",
        objectives=["prevention"],
        policy_areas=["health"],
    )
    synergies.decide(actor=None, activity=activity, verdict="accepted", initiative=initiatives[0])
    consultation = participation.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Priorities of the Norwegian hub",
        description="Tell us what matters.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        languages=["nb", "en"],
    )
    proposal = participation.submit_proposal(
        hub=hubs["norway"],
        title="Screening bus in the north",
        body="A mobile screening unit visiting small towns.",
        user=personas["member_no"],
        display_name="Kari",
    )
    comment = participation.comment(
        proposal=proposal, body="Yes please.", user=personas["member_no"], display_name="Kari"
    )
    round_ = assessment.open_round(actor=None, hub=hubs["norway"])
    response = assessment.start_response(
        actor=network,
        instrument=assessment.current_instrument(assessment.MATURITY),
        hub=hubs["norway"],
    )
    from echos.engagement import services as engagement

    record = engagement.save_record(
        actor=None,
        hub=hubs["norway"],
        title="Patient panel on screening letters",
        description="Patients reviewed the wording of screening invitations.",
        date=now.date() - timedelta(days=20),
        level="consult",
        stakeholder_groups=["patients"],
        language="nb",
        format="meeting",
    )
    REAL.clear()
    REAL.update(
        {
            "record": [record.pk],
            "hub": [hubs[k].pk for k in ("norway", "vestland", "bergen", "portugal")],
            "organisation": [hubs[k].pk for k in ("occ", "ncs", "aicib")],
            "membership": list(hubs["norway"].memberships.values_list("pk", flat=True)),
            "event": [e.pk for e in event_list],
            "registration": [r.pk for r in registrations],
            "activity": [activity.pk],
            "link": list(activity.links.values_list("pk", flat=True)),
            "initiative": [i.key for i in initiatives],
            "consultation": [consultation.pk],
            "proposal": [proposal.pk],
            "comment": [comment.pk],
            "round": [round_.pk],
            "response": [response.pk],
            "instrument": [i.code for i in instruments],
            "vocabulary": list(Term.Vocabulary.values),
            "country": ["NO", "PT", "PL"],
            "region": ["NO-46"],
            "stakeholder_group": ["research", "patients"],
            "level": ["national", "regional", "local"],
            "language": ["en", "nb"],
            "languages": [["en"], ["nb", "en"]],
            "event_type": list(EventType.values),
            "event_format": list(Format.values),
            "time_zone": ["Europe/Oslo", "Europe/Lisbon"],
            "programme": ["other"],
        }
    )
    yield
    REAL.clear()


@pytest.fixture
def bearer(personas):
    """The token of the network coordinator, who may write everywhere."""
    return bearer_header(personas["network"])


# The schema as the running site serves it (building it needs no database).
schema = load_schema(seed=SEED, max_examples=EXAMPLES)
aim_at_real_rows(schema, REAL, path_kinds=_kind, body_kinds=BODY_KINDS)


@conformance_test(schema, EXAMPLES)
def test_api_conforms_to_its_schema(case, api_data, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


def test_an_offset_past_64_bits_is_an_empty_page(hubs, client):
    """Found by schemathesis: SQLite refused such an OFFSET and the API answered 409."""
    response = client.get(f"/api/v1/hubs?offset={2**70}")
    assert response.status_code == 200
    assert response.json() == {"count": 4, "items": []}


def test_an_id_past_64_bits_is_refused_naming_the_field(hubs, personas, token_client):
    """Found by schemathesis: SQLite could not bind such an id and the API answered 500."""
    client = token_client(personas["network"])
    response = client.get(f"/api/v1/memberships?organisation={2**65}")
    # SQLite cannot bind the number (422 naming the field); PostgreSQL compares it (no match).
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "organisation"
    else:
        assert response.json()["count"] == 0
    response = client.post(
        "/api/v1/memberships",
        {"hub": 2**65, "organisation": hubs["occ"].pk},
        content_type="application/json",
    )
    assert response.status_code in (400, 404, 422), response.content
    assert response.json()["errors"][0]["field"] == "hub"


# Operations whose success answers are not described yet, with the reason (none left).
UNTYPED: dict[str, str] = {}


def _described(served: dict, answer: dict) -> bool:
    """The answer's JSON body is described by more than a bare object (or it has no body)."""
    content = answer.get("content", {})
    body = content.get("application/json", {}).get("schema")
    if body is None:
        # No body, or a file whose every media type is named with its schema (GEXF, CSV...).
        return all("schema" in c for c in content.values())
    if "$ref" in body:
        body = served["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return body not in ({}, {"type": "object"}) and bool(
        body.get("properties") or body.get("items") or body.get("anyOf") or body.get("enum")
    )


def test_every_operation_describes_its_success_answer():
    """Each operation declares a 2xx answer whose body schema names its fields (issue #11, item 6)."""
    served = schema.raw_schema
    vague = []
    for path, methods in served["paths"].items():
        for method, operation in methods.items():
            name = f"{method.upper()} {path}"
            answers = {c: a for c, a in operation["responses"].items() if str(c).startswith("2")}
            if name in UNTYPED:
                continue
            if not answers or not all(_described(served, a) for a in answers.values()):
                vague.append(name)
    assert not vague, "operations without a described success answer:\n" + "\n".join(vague)
    assert set(UNTYPED) <= {f"{m.upper()} {p}" for p, ms in served["paths"].items() for m in ms}
