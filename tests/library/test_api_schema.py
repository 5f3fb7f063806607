"""The library's operations against their own OpenAPI schema (schemathesis through the WSGI app):
no input gives a 500, and every answer matches the schema and status codes declared."""

import pytest

from tests.schema_cases import (
    CHECKS,
    aim_at_real_rows,
    bearer_header,
    conformance_test,
    examples,
    load_schema,
    one_connection,  # noqa: F401 (a fixture)
)

EXAMPLES = examples(25)
REAL: dict[str, list] = {}

schema = load_schema(seed=20261204, max_examples=EXAMPLES, path_regex="^/api/v1/resources")
aim_at_real_rows(schema, REAL, path_kinds={"resource_id": "resource"}, body_kinds={})


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
def bearer(personas):
    return bearer_header(personas["network"])


@conformance_test(schema, EXAMPLES)
def test_library_api_conforms_to_its_schema(case, library_data, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
