"""The "Why" of a suggestion names shared objectives and policy areas by their translated labels."""

import re

import pytest
from django.utils import translation

from echos.synergies import matching, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(hubs):
    services.save_initiative(
        actor=None,
        key="screen-net",
        name="Colorectal screening network",
        programme="other",
        description="Organised colorectal cancer screening with faecal tests.",
        objectives=["prevention"],
        policy_areas=["health"],
    )
    other = services.save_activity(
        actor=None,
        hub=hubs["portugal"],
        title="Rastreio do cancro colorretal",
        description="Rastreio do cancro colorretal com teste de sangue oculto nas fezes.",
        language="pt",
        objectives=["prevention"],
        policy_areas=["health"],
    )
    activity = services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for tarmkreft med avføringstest.",
        language="nb",
        objectives=["prevention"],
        policy_areas=["health"],
    )
    return activity, other


def _why_cells(html: str) -> list[str]:
    """The text of every "Why" cell of the suggestion tables."""
    return [
        re.sub(r"\s+", " ", cell)
        for cell in re.findall(r"<td><small>(.*?)</small></td>", html, flags=re.S)
    ]


@pytest.mark.parametrize(
    "language, objectives, objective, areas, area",
    [
        (
            "en",
            "Objectives:",
            "Prevention, including screening and early detection",
            "Policy areas:",
            "Health",
        ),
        (
            "de",
            "Ziele:",
            "Prävention einschließlich Screening und Früherkennung",
            None,
            "Gesundheit",
        ),
    ],
)
def test_the_page_names_shared_objectives_and_policy_areas_by_label(
    client, pair, language, objectives, objective, areas, area
):
    activity, _other = pair
    html = client.get(
        f"/synergies/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    cells = _why_cells(html)
    # One initiative and one activity of another hub, each sharing the objective and the area.
    assert len(cells) == 2
    for cell in cells:
        assert f"{objectives} {objective}." in cell
        if areas:
            assert f"{areas} {area}." in cell
        assert f" {area}." in cell
        # Never the bare codes, never an empty list.
        assert ": ." not in cell
        assert "prevention." not in cell and " health." not in cell


def test_suggestions_keep_codes_for_the_api_and_labels_for_pages(client, pair):
    activity, other = pair
    with translation.override("en"):
        found = matching.suggestions(activity, top=5)
    [row] = found["initiatives"]
    assert row["why"]["objectives"] == ["prevention"]
    assert {k: v for k, v in row["why_labels"].items() if k != "concepts"} == {
        "objectives": ["Prevention, including screening and early detection"],
        "policy_areas": ["Health"],
    }
    body = client.get(f"/api/v1/activities/{activity.pk}/synergies").json()
    assert body["initiatives"][0]["why"]["objectives"] == ["prevention"]
    assert body["initiatives"][0]["why"]["policy_areas"] == ["health"]
    assert body["activities"][0]["activity"] == other.pk
    assert body["activities"][0]["why"]["policy_areas"] == ["health"]


def test_every_concept_label_is_marked_for_translation():
    from echos.synergies import engine
    from echos.synergies.concept_labels import LABELS

    assert sorted(LABELS) == sorted(engine.lexicon().labels.values())


def test_shared_topics_are_shown_by_their_labels(client, pair):
    activity, _other = pair
    with translation.override("en"):
        [row] = matching.suggestions(activity, top=5)["initiatives"]
    assert "Cancer screening" in row["why"]["concepts"]
    assert row["why_labels"]["concepts"] == row["why"]["concepts"]
    html = client.get(
        f"/synergies/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Shared topics: " in html and "Cancer screening" in _why_cells(html)[0]
