"""NUL characters cannot be stored (PostgreSQL refuses them): they are bad input, never a 500."""

import json

import pytest

from echos.synergies import services
from echos.synergies.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(hubs):
    return services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for tarmkreft.",
        language="nb",
    )


def test_api_body_names_the_list_item_and_changes_nothing(activity, personas, token_client):
    c = token_client(personas["coord_no"])
    answer = c.patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"title": "ok", "objectives": ["prevention", "bad\x00value"]}),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "objectives.1", "message": "Null characters are not allowed."}
    ]
    assert Activity.objects.get(pk=activity.pk).title == "Tarmscreening"


def test_api_body_keys_and_query_parameters(activity, personas, token_client, client):
    c = token_client(personas["coord_no"])
    answer = c.patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"ti\x00tle": "x"}),
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "ti\x00tle"
    listed = client.get("/api/v1/activities", {"q": "scr\x00een"})
    assert listed.status_code == 422 and listed.json()["errors"][0]["field"] == "q"


def test_pages_answer_400_naming_the_field(db, client):
    page = client.get("/events/", {"q": "fair\x00"})
    assert page.status_code == 400 and b"q" in page.content
    posted = client.post("/events/", {"name": "a\x00b"})
    assert posted.status_code == 400 and b"name" in posted.content
    assert client.get("/events/", {"q": "fair"}).status_code == 200
