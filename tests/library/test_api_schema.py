"""The library's operations against their own OpenAPI schema (schemathesis through the WSGI app):
no input gives a 500, and every answer matches the schema and status codes declared."""

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

EXAMPLES = int(os.environ.get("ECHOS_SCHEMA_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
REAL: dict[str, list] = {}


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
    return loaded.include(path_regex="^/api/v1/resources")


schema = load_schema()


@schema.hook
def flatmap_case(context, case):
    """Half of the cases aim at real resources, so that reads and writes reach the services."""
    if "resource_id" not in (case.path_parameters or {}) or not REAL.get("resource"):
        return st.just(case)

    def real(pk):
        case.path_parameters = {**case.path_parameters, "resource_id": pk}
        return case

    return st.one_of(st.just(case), st.sampled_from(REAL["resource"]).map(real))


@pytest.fixture
def library_data(personas, hubs, make_resource):
    from .conftest import pdf_bytes, upload

    resources = [
        make_resource("Saúde pública", language="pt", tags=[("objectives", "prevention")]),
        make_resource("Team plan", hub=hubs["norway"], visibility="hub"),
        make_resource("Document", url="", file=upload("d.pdf", pdf_bytes("Zdrowie"))),
    ]
    REAL["resource"] = [r.pk for r in resources]
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
def test_library_api_conforms_to_its_schema(case, library_data, bearer, one_connection):
    case.call_and_validate(headers=bearer, checks=CHECKS)
