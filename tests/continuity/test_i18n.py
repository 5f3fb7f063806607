"""Engine errors are translatable: rendered in the active language on the site and in the API, in
English by the command, and ``str(error)`` stays ``"field: message"``.

The new messages have no translation yet (translators work on the .po files), so the translation
machinery is replaced by one that marks each message with the language it was rendered in.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from echos.continuity.engine import ModelInvalid, parse_changes, parse_model

BAD = {"start": "2027-01", "months": 12, "currency": "EUR",
       "streams": [{"id": "a", "type": "eu_grant", "amount": "1", "period": "month",
                    "probability": 1.6}]}  # fmt: skip


@pytest.fixture
def marked(monkeypatch):
    """Every gettext answer is prefixed with the language it was rendered in."""
    monkeypatch.setattr(
        trans_real.DjangoTranslation,
        "gettext",
        lambda self, message: f"[{self.language()}] {message}",
    )


def _error(data) -> ModelInvalid:
    with pytest.raises(ModelInvalid) as caught:
        parse_model(data)
    return caught.value


def test_str_is_field_colon_message_in_english():
    with translation.override("en"):
        error = _error(BAD)
        assert str(error) == "streams[0].probability: must be between 0 and 1"
        assert error.field == "streams[0].probability"
        assert error.message == "must be between 0 and 1"
    assert isinstance(error.template, Promise)


def test_placeholders_are_named_and_filled_when_read(marked):
    with pytest.raises(ModelInvalid) as caught:
        parse_changes([{"op": "remove_stream", "stream": "x"}] * 101, _model())
    with translation.override("de"):
        assert caught.value.message == "[de] must have at most 100 entries"
    with translation.override("fr"):
        assert str(caught.value) == "changes: [fr] must have at most 100 entries"


def _model():
    return parse_model({"start": "2027-01", "months": 12, "currency": "EUR"})


def test_message_is_rendered_in_the_language_active_when_read(marked):
    error = _error(BAD)
    with translation.override("de"):
        assert error.message == "[de] must be between 0 and 1"
    with translation.override("pl"):
        assert str(error) == "streams[0].probability: [pl] must be between 0 and 1"


def test_api_answers_in_the_requests_language(client, db, marked):
    response = client.post(
        "/api/v1/continuity/project",
        json.dumps(BAD),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error == {"field": "streams[0].probability", "message": "[de] must be between 0 and 1"}


def test_site_shows_the_error_in_the_users_language(norway_model, personas, login, marked):
    hub = norway_model["hub"]
    page = login(personas["coord_no"]).post(
        f"/continuity/hubs/{hub.pk}/scenario/new/",
        {"name": "Gone", "changes": json.dumps([{"op": "remove_stream", "stream": "999999"}])},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert page.status_code == 422
    assert "[fr] no stream &#x27;999999&#x27; in the model" in page.content.decode()


def test_command_writes_english_whatever_the_active_language(tmp_path, marked):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(BAD))
    err = io.StringIO()
    with translation.override("de"), pytest.raises(SystemExit) as exit_:
        call_command("continuity", "project", "--model", str(path), stderr=err)
    assert exit_.value.code == 2
    assert err.getvalue().strip() == "error: streams[0].probability: [en] must be between 0 and 1"
