"""A pasted questionnaire that does not follow the format is refused with the question and the
problem named, never a crash later (options as strings, options without labels, levels without a
value)."""

import pytest

from echos.questionnaires import engine


def _definition(question: dict) -> dict:
    return {
        "sections": [
            {
                "code": "s",
                "questions": [{"code": "q1", "text": "First", "type": "text"}, question],
            }
        ]
    }


BAD = [
    ({"code": "pick", "type": "single", "options": ["a", "b"]}, "pick", "option 1"),
    ({"code": "pick", "type": "multiple", "options": [{"value": "a"}]}, "pick", "label"),
    ({"code": "pick", "type": "single", "options": [{"label": "A"}]}, "pick", "value"),
    ({"code": "pick", "type": "single", "options": "a, b"}, "pick", "options"),
    ({"code": "pick", "type": "single"}, "pick", "options"),
    (
        {"code": "pick", "type": "single", "options": [{"value": "a", "label": "A"}] * 2},
        "pick",
        "repeated",
    ),
    ({"code": "lvl", "type": "scale", "levels": [{"label": "Low"}]}, "lvl", "value"),
    ({"code": "lvl", "type": "scale", "levels": [{"value": "high", "label": "H"}]}, "lvl", "value"),
    ({"code": "lvl", "type": "scale", "levels": [1, 2, 3]}, "lvl", "level 1"),
    ({"code": "lvl", "type": "scale", "levels": [{"value": 1}]}, "lvl", "label"),
    ({"code": "n", "type": "number", "min": "zero"}, "n", "min"),
    ({"code": "t", "type": "text", "text": ["a list"]}, "t", "text"),
    ({"code": "c", "type": "text", "show_if": "q1"}, "c", "show_if"),
]


@pytest.mark.parametrize(("question", "code", "problem"), BAD)
def test_malformed_question_is_refused_naming_it(question, code, problem):
    with pytest.raises(engine.DefinitionError) as caught:
        engine.questions(_definition(question))
    message = str(caught.value)
    assert code in message and problem in message


@pytest.mark.parametrize(
    "definition",
    [[], {"sections": "x"}, {"sections": ["x"]}, {"sections": [{"code": "s", "questions": {}}]}],
)
def test_malformed_structure_is_refused(definition):
    with pytest.raises(engine.DefinitionError):
        engine.questions(definition)


def test_well_formed_choices_and_levels_still_parse():
    found = engine.questions(
        _definition(
            {
                "code": "lvl",
                "type": "scale",
                "levels": [{"value": 1, "label": "Low"}, {"value": "2", "label": {"en": "High"}}],
            }
        )
    )
    assert found[1].levels[1]["label"] == "High"
    assert (
        engine.validate(
            _definition(found[1].spec | {"code": "lvl", "type": "scale"}), {"lvl": 2}, complete=True
        )[1]
        == {}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "question",
    [
        {"code": "pick", "type": "single", "text": "Pick", "options": ["a", "b"]},
        {"code": "pick", "type": "single", "text": "Pick", "options": [{"value": "a"}]},
        {"code": "lvl", "type": "scale", "text": "How", "levels": [{"label": "Low"}]},
    ],
)
def test_consultation_page_and_api_answer_with_the_question_named(
    question, login, personas, hubs, token_client
):
    import json
    from datetime import timedelta

    from django.utils import timezone

    from echos.participation.models import Consultation

    questionnaire = json.dumps({"sections": [{"code": "s", "questions": [question]}]})
    url = f"/participate/hubs/{hubs['norway'].pk}/consultations/new/"
    now = timezone.localtime()
    data = {
        "title": "Pasted",
        "description": "A pasted questionnaire",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "languages": "nb",
        "mode": "open",
        "definition": questionnaire,
    }
    page = login(personas["editor_no"]).post(url, data)
    assert page.status_code == 422
    assert "id_definition_error" in page.content.decode()
    code = question["code"]
    assert f"question {code}" in page.content.decode()
    api = token_client(personas["editor_no"]).post(
        "/api/v1/consultations",
        {
            "hub": hubs["norway"].pk,
            "title": "Pasted",
            "description": "Over the API",
            "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=5)).isoformat(),
            "definition": json.loads(questionnaire),
        },
        content_type="application/json",
    )
    assert api.status_code in (400, 422)
    error = api.json()["errors"][0]
    assert error["field"] == "definition" and f"question {code}" in error["message"]
    assert Consultation.objects.count() == 0
