"""The impact model operations against their own OpenAPI schema, through the WSGI app: no input
gives a 500, and every answer matches the declared schema and status codes. Requests carry the token
of Norway's coordinator, whose hub has a model, so that writes reach the services."""

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
PATH_KINDS = {
    "hub_id": "hub",
    "element_id": "element",
    "indicator_id": "indicator",
    "value_id": "value",
}

schema = load_schema(seed=20261205, max_examples=EXAMPLES, path_regex="^/api/v1/impact/")
aim_at_real_rows(schema, REAL, path_kinds=PATH_KINDS, body_kinds={})


@pytest.fixture
def impact_data(hubs):
    from echos.engagement import impact

    element = impact.save_element(actor=None, hub=hubs["norway"], stage="outputs", title="E")
    computed = impact.save_indicator(
        actor=None, element=element, name="C", computation="citizen_dialogues_held"
    )
    entered = impact.save_indicator(actor=None, element=element, name="H", unit="u", target=3)
    value = impact.save_value(
        actor=None, indicator=entered, period_start="2025-01-01", period_end="2025-03-31", actual=1
    )
    REAL.update(
        {
            "hub": [hubs["norway"].pk, hubs["portugal"].pk],
            "element": [element.pk],
            "indicator": [computed.pk, entered.pk],
            "value": [value.pk],
        }
    )
    yield
    REAL.clear()


@pytest.fixture
def bearer(personas):
    return bearer_header(personas["coord_no"])


@conformance_test(schema, EXAMPLES)
def test_impact_api_conforms_to_its_schema(case, impact_data, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
