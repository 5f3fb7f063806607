"""A hub's own questions may carry text per language (#17, item 2 and "Bad input"): the reader gets
their language, and a language the platform does not offer is refused naming the question."""

import pytest
from django.utils import translation

from echos.questionnaires.engine import DefinitionError, parse

DEFINITION = {
    "sections": [
        {
            "code": "s",
            "title": "Your view",
            "questions": [
                {
                    "code": "q1",
                    "type": "single",
                    "text": {"en": "Should the hub run a screening day?", "pl": "Czy hub ma zorganizować dzień badań?"},
                    "options": [
                        {"value": "y", "label": {"en": "Yes", "pl": "Tak"}},
                        {"value": "n", "label": {"en": "No", "pl": "Nie"}},
                    ],
                }
            ],
        }
    ]
}  # fmt: skip


def test_the_reader_gets_their_language_else_english():
    with translation.override("pl"):
        question = parse(DEFINITION)[0].questions[0]
        assert question.text == "Czy hub ma zorganizować dzień badań?"
        assert question.options == [("y", "Tak"), ("n", "Nie")]
    with translation.override("el"):
        assert parse(DEFINITION)[0].questions[0].text == "Should the hub run a screening day?"


@pytest.mark.parametrize(
    "where, patch",
    [
        ("question q1", {"text": {"en": "Q?", "tlh": "?"}}),
        ("question q1, option y", {"options": [{"value": "y", "label": {"en": "Y", "tr": "E"}}]}),
    ],
)
def test_a_language_the_platform_does_not_offer_is_refused_naming_the_question(where, patch):
    definition = {"sections": [dict(DEFINITION["sections"][0])]}
    question = dict(DEFINITION["sections"][0]["questions"][0]) | patch
    definition["sections"][0]["questions"] = [question]
    with pytest.raises(DefinitionError) as err:
        parse(definition)
    assert str(err.value).startswith(where) and "does not offer" in str(err.value)
