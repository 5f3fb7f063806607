"""Deeply nested or malformed JSON bodies are bad input on every path: a 400 naming the body, before
authentication and before any parser recurses (was a 500 from RecursionError)."""

import json

import pytest

from echos.core.middleware import MAX_JSON_DEPTH, json_depth
from echos.synergies import services
from echos.synergies.models import Activity

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def activity(hubs):
    return services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for tarmkreft.",
        language="nb",
    )


def assert_names_the_body(answer):
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/json")
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == ["body"]
    assert str(MAX_JSON_DEPTH) in errors[0]["message"]


@pytest.mark.parametrize("depth", [1000, 100000])
def test_api_write_without_token(client, depth):
    """The review's request: POST /api/v1/hubs, no token."""
    answer = client.post("/api/v1/hubs", nested(depth), content_type="application/json")
    assert_names_the_body(answer)


@pytest.mark.parametrize("depth", [1000, 100000])
def test_api_write_with_token_changes_nothing(activity, personas, token_client, depth):
    c = token_client(personas["coord_no"])
    body = '{"title": ' + nested(depth) + "}"
    answer = c.patch(f"/api/v1/activities/{activity.pk}", body, content_type="application/json")
    assert_names_the_body(answer)
    assert Activity.objects.get(pk=activity.pk).title == "Tarmscreening"


@pytest.mark.parametrize("depth", [1000, 100000])
def test_api_list(client, depth):
    answer = client.generic("GET", "/api/v1/hubs", nested(depth), content_type="application/json")
    assert_names_the_body(answer)


@pytest.mark.parametrize("depth", [1000, 100000])
def test_api_body_of_another_content_type_is_checked_too(client, depth):
    """Ninja parses a body as JSON whatever its declared type."""
    answer = client.post("/api/v1/hubs", nested(depth), content_type="text/plain")
    assert_names_the_body(answer)


@pytest.mark.parametrize("depth", [1000, 100000])
def test_pages(client, depth):
    for path in ("/events/", "/accounts/login/", "/"):
        answer = client.post(path, nested(depth), content_type="application/json")
        assert_names_the_body(answer)


def test_utf16_body_is_measured_after_decoding(client):
    """json.loads reads UTF-16 bytes too; the check must see the same brackets."""
    answer = client.post(
        "/api/v1/hubs", nested(1000).encode("utf-16"), content_type="application/json"
    )
    assert_names_the_body(answer)


@pytest.mark.parametrize("depth", [1000, 100000])
def test_form_field_holding_deep_json(client, depth):
    """A form field some service reads as JSON (a pasted questionnaire) is checked as well."""
    page = client.post("/events/", {"definition": nested(depth)})
    assert page.status_code == 400 and b"definition" in page.content


def test_malformed_json_names_the_body(client):
    answer = client.post("/api/v1/hubs", '{"name": ', content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "body"
    page = client.post("/events/", "[1,", content_type="application/json")
    assert page.status_code == 400 and page.json()["errors"][0]["field"] == "body"


def test_depth_at_the_limit_reaches_the_view(client):
    """64 levels are allowed: the request goes on and is refused for having no token."""
    answer = client.post("/api/v1/hubs", nested(MAX_JSON_DEPTH), content_type="application/json")
    assert answer.status_code == 401
    answer = client.post(
        "/api/v1/hubs", nested(MAX_JSON_DEPTH + 1), content_type="application/json"
    )
    assert_names_the_body(answer)


def test_brackets_inside_strings_do_not_count(client):
    body = json.dumps({"name": "[" * 1000 + '\\"{' * 100, "note": nested(500)})
    assert json_depth(body) == 1
    answer = client.post("/api/v1/hubs", body, content_type="application/json")
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("", 0),
        ("12", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["]]]", "\\\\", [["x"]]]', 3),
        ('"unterminated [[[', 0),
    ],
)
def test_json_depth(text, depth):
    assert json_depth(text) == depth


def test_json_depth_stops_past_the_limit():
    assert json_depth(nested(10**6), limit=64) == 65


@pytest.mark.parametrize("depth", [1000, 100000])
def test_pasted_questionnaire_nested_too_deep(hubs, personas, login, depth):
    """The consultation form reads its definition field as JSON (was a 500 from RecursionError)."""
    client = login(personas["editor_no"])
    url = f"/participate/hubs/{hubs['norway'].pk}/consultations/new/"
    page = client.post(url, {"title": "Deep", "definition": '{"sections": ' + nested(depth) + "}"})
    assert page.status_code == 400
    assert page.content.decode().startswith("definition: Nested more than 64 levels deep.")
    assert not hubs["norway"].consultations.exists()


@pytest.mark.parametrize("path", ["/api/v1/initiatives", "/events/"])
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_a_form_body_that_cannot_be_parsed_is_a_400_naming_the_body(client, path, content_type):
    response = client.generic("POST", path, b"--x\r\nnot a part\r\n", content_type=content_type)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "body" and "form data" in error["message"]
