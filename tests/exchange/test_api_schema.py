"""The exchange operations (roadmaps, sessions, commitments, twinnings, support requests) against
their own OpenAPI schema, through the WSGI app: no input gives a 500, and every answer matches the
declared schema and status codes (the pairing and peers operations mounted here included)."""

import os
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("ECHOS_SCHEMA_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
REAL: dict[str, list] = {}
PATH_KINDS = {
    "session_id": "session",
    "invitation_id": "invitation",
    "hub_id": "hub",
    "commitment_id": "commitment",
    "twinning_id": "twinning",
    "milestone_id": "milestone",
    "request_id": "request",
    "code": "country",
    "step": "step",
}
BODY_KINDS = {"hub": "hub", "hubs": "hubs", "country": "country", "group": "group"}


def load_schema():
    from echos.wsgi import application

    config = schemathesis.Config.from_dict(
        {
            "seed": 20261204,
            "phases": {"stateful": {"enabled": False}},
            "generation": {"max-examples": EXAMPLES},
        }
    )
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
    return loaded.include(
        path_regex="^/api/v1/exchange/(roadmaps|sessions|commitments|invitations|twinnings|requests|hubs|pair)"
    )


schema = load_schema()


@schema.hook
def flatmap_case(context, case):
    """Half of the cases aim at real rows, so that reads and writes reach the services."""
    path = {
        name: st.sampled_from(REAL[kind])
        for name in (case.path_parameters or {})
        if (kind := PATH_KINDS.get(name)) and REAL.get(kind)
    }
    body = {}
    if isinstance(case.body, dict):
        body = {
            name: st.sampled_from(REAL[kind])
            for name in case.body
            if (kind := BODY_KINDS.get(name)) and REAL.get(kind)
        }
    if not path and not body:
        return st.just(case)

    def apply(chosen):
        new_path, new_body = chosen
        if new_path:
            case.path_parameters = {**case.path_parameters, **new_path}
        if new_body:
            case.body = {**case.body, **new_body}
        return case

    real = st.tuples(st.fixed_dictionaries(path), st.fixed_dictionaries(body)).map(apply)
    return st.one_of(st.just(case), real)


@pytest.fixture
def exchange_data(hubs, personas):
    from echos.core.models import Country
    from echos.exchange import roadmap, sessions, support, twinning
    from tests.exchange.helpers import make_session

    r = roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))
    s = make_session(hubs["norway"])
    dialogue = make_session(hubs["portugal"], kind="inception_dialogue")
    c = sessions.add_commitment(
        actor=None, session=s, hub=hubs["portugal"], owner="Demo", what="x", due=date(2026, 1, 1)
    )
    t = twinning.create_twinning(
        actor=None,
        title="T",
        hubs=[hubs["norway"], hubs["portugal"]],
        dimensions=["funding"],
        goals="g",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        milestones=[{"title": "M", "due": date(2025, 6, 1)}],
    )
    invitation = sessions.invite(actor=None, session=dialogue, group="citizens", name="Panel")
    req = support.create_request(actor=None, hub=hubs["portugal"], title="Q", text="Help")
    REAL.update(
        {
            "session": [s.pk, dialogue.pk],
            "commitment": [c.pk],
            "invitation": [invitation.pk],
            "twinning": [t.pk],
            "milestone": list(t.milestones.values_list("pk", flat=True)),
            "request": [req.pk],
            "country": ["PT", "MT"],
            "step": [st_.code for st_ in r.steps.all()],
            "hub": [hubs[k].pk for k in ("norway", "vestland", "portugal")],
            "hubs": [[hubs["norway"].pk, hubs["portugal"].pk]],
            "group": ["citizens", "industry"],
        }
    )
    yield
    REAL.clear()


@pytest.fixture
def one_connection():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(personas):
    from echos.core.models import ApiToken

    _token, raw = ApiToken.issue(personas["network"])
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_exchange_api_conforms_to_its_schema(case, exchange_data, bearer, one_connection):
    case.call_and_validate(headers=bearer, checks=CHECKS)
