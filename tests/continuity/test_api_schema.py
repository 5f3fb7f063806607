"""The continuity operations against their own OpenAPI schema, through the WSGI app: no input gives a
500, and every answer matches the declared schema and status codes. Requests carry the token of
Norway's coordinator, whose hub has a model, so that writes reach the services."""

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

EXAMPLES = examples(15)
REAL: dict[str, list] = {}
PATH_KINDS = {"hub_id": "hub", "pk": "line"}
BODY_KINDS = {"funder": "organisation", "currency": "currency"}

schema = load_schema(seed=20261204, max_examples=EXAMPLES, path_regex="^/api/v1/continuity/")
aim_at_real_rows(schema, REAL, path_kinds=PATH_KINDS, body_kinds=BODY_KINDS)


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
def bearer(personas):
    return bearer_header(personas["coord_no"])


@conformance_test(schema, EXAMPLES)
def test_continuity_api_conforms_to_its_schema(case, continuity_data, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
