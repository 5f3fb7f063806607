"""The continuity operations against their own OpenAPI schema, through the WSGI app: no input gives a
500, and every answer matches the declared schema and status codes. Requests carry the token of
Norway's coordinator, whose hub has a model, so that writes reach the services."""

import os

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
PATH_KINDS = {"hub_id": "hub", "pk": "line"}
BODY_KINDS = {"funder": "organisation", "currency": "currency"}


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
    return loaded.include(path_regex="^/api/v1/continuity/")


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
def continuity_data(norway_model, hubs):
    from echos.continuity import services

    risk = services.save_line(
        actor=None,
        kind="risk",
        hub=hubs["norway"],
        title="R",
        category="legal",
        likelihood=1,
        impact=1,
        status="open",
    )
    REAL.update(
        {
            "hub": [hubs["norway"].pk, hubs["portugal"].pk],
            "line": [norway_model["grant"].pk, norway_model["cost"].pk, risk.pk],
            "organisation": [hubs["occ"].pk],
            "currency": ["EUR", "NOK"],
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

    _token, raw = ApiToken.issue(personas["coord_no"])
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_continuity_api_conforms_to_its_schema(case, continuity_data, bearer, one_connection):
    case.call_and_validate(headers=bearer, checks=CHECKS)
