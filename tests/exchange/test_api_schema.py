"""The exchange operations (roadmaps, sessions, commitments, twinnings, support requests) against
their own OpenAPI schema, through the WSGI app: no input gives a 500, and every answer matches the
declared schema and status codes (the pairing and peers operations mounted here included)."""

from datetime import date

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

schema = load_schema(
    seed=20261204,
    max_examples=EXAMPLES,
    path_regex=(
        "^/api/v1/exchange/(roadmaps|sessions|commitments|invitations|twinnings|requests|hubs|pair)"
    ),
)
aim_at_real_rows(schema, REAL, path_kinds=PATH_KINDS, body_kinds=BODY_KINDS)


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
def bearer(personas):
    return bearer_header(personas["network"])


@conformance_test(schema, EXAMPLES)
def test_exchange_api_conforms_to_its_schema(case, exchange_data, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
