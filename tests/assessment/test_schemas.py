"""The assessment API's response schemas give the same JSON as the dicts its views build."""

import pytest
from django.test import RequestFactory

from echos.assessment import api, services
from echos.assessment.schemas import (
    HubMaturityOut,
    HubScoresOut,
    InstrumentDetailOut,
    InstrumentOut,
    MappingAnalysisOut,
    ResponseOut,
    RoundOut,
)
from echos.core.api import page_of

pytestmark = pytest.mark.django_db


def same_json(schema, data: dict, **dump) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json", **dump) == data


def get(user):
    """A request of ``user`` with a token (the public views read it from the header)."""
    from echos.core.models import ApiToken

    _token, raw = ApiToken.issue(user)
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    request.user = user
    return request


def test_the_schemas_render_the_dicts_unchanged(instruments, hubs, personas, levels_answers):
    network = personas["network"]
    maturity = instruments["maturity"]
    assert same_json(InstrumentOut, api.instrument_out(maturity))
    assert same_json(InstrumentDetailOut, api.instrument_out(maturity, full=True))
    draft = services.start_response(actor=network, instrument=maturity, hub=hubs["norway"])
    assert same_json(ResponseOut, api.response_out(draft))
    for hub, level in [("norway", 2), ("portugal", 4), ("bergen", 3)]:
        r = services.start_response(actor=network, instrument=maturity, hub=hubs[hub])
        services.submit_response(actor=network, response=r, answers=levels_answers(level))
    r.refresh_from_db()
    assert same_json(ResponseOut, api.response_out(r))
    assert same_json(HubMaturityOut, api.hub_maturity(get(network), hubs["norway"].pk))
    assert same_json(HubMaturityOut, api.hub_maturity(get(network), hubs["vestland"].pk))
    assert same_json(page_of(HubScoresOut), api.network_maturity(get(network)))
    round_ = services.open_round(actor=network, hub=hubs["portugal"])
    assert same_json(RoundOut, api.round_out(round_))
    analysis = api.mapping_analysis(get(network))
    assert "by_country" not in analysis
    assert same_json(MappingAnalysisOut, analysis, exclude_unset=True)
    mapping = instruments["mapping"].definition
    question = next(q["code"] for s in mapping["sections"] for q in s["questions"])
    assert same_json(MappingAnalysisOut, api.mapping_analysis(get(network), question=question))
