"""Maturity scores, rater spreads, network medians and recommendations on hand-computed cases."""

import json
from pathlib import Path

import pytest

from echos.assessment.scoring import (
    AGREE,
    DISAGREE,
    MINOR,
    dimension_questions,
    dimension_titles,
    medians,
    recommendations,
    score,
    spread,
)

MODEL = json.loads(
    (
        Path(__file__).parents[2] / "src/echos/assessment/data/instruments/maturity_model.json"
    ).read_text(encoding="utf-8")
)
DIMENSIONS = [
    "governance",
    "representation",
    "citizen_engagement",
    "activities",
    "alignment",
    "funding",
    "monitoring",
    "communication",
]


def answers(*levels, **notes):
    """Maturity answers giving the levels in the model's dimension order."""
    return {f"{d}_level": level for d, level in zip(DIMENSIONS, levels, strict=False)} | notes


def descriptor(dimension, level):
    section = next(s for s in MODEL["sections"] if s.get("dimension") == dimension)
    question = next(q for q in section["questions"] if q["type"] == "scale")
    return next(lv for lv in question["levels"] if lv["value"] == level)


def test_model_dimensions_in_order_with_titles():
    assert [q.dimension for q in dimension_questions(MODEL)] == DIMENSIONS
    assert [q.code for q in dimension_questions(MODEL)] == [f"{d}_level" for d in DIMENSIONS]
    titles = dimension_titles(MODEL)
    assert list(titles) == DIMENSIONS
    assert titles["governance"] == "Governance and leadership"


def test_notes_and_unrelated_scales_do_not_count_as_dimensions():
    defn = {
        "sections": [
            {
                "code": "a",
                "dimension": "a",
                "questions": [
                    {"code": "a_level", "type": "scale", "levels": [{"value": 1, "label": "x"}]},
                    {"code": "a_notes", "type": "text"},
                ],
            },
            {
                "code": "b",
                "questions": [
                    {"code": "b_level", "type": "scale", "levels": [{"value": 1, "label": "x"}]}
                ],
            },
        ]
    }
    assert [q.code for q in dimension_questions(defn)] == ["a_level"]
    assert dimension_titles(defn) == {"a": "a"}


# --- score -----------------------------------------------------------------------------------


def test_score_mean_and_floor():
    result = score(MODEL, answers(1, 2, 3, 4, 5, 5, 4, 3, governance_notes="ok"))
    assert result["dimensions"] == dict(zip(DIMENSIONS, [1, 2, 3, 4, 5, 5, 4, 3], strict=True))
    assert result["overall"] == 3.38  # 27 / 8 = 3.375
    assert result["level"] == 3


@pytest.mark.parametrize(
    "levels,overall,level",
    [
        ([1] * 8, 1.0, 1),
        ([5] * 8, 5.0, 5),
        ([2, 2, 2, 2, 2, 2, 2, 3], 2.12, 2),  # 17 / 8 = 2.125
        ([4, 4, 4, 4, 4, 4, 4, 3], 3.88, 3),  # 31 / 8 = 3.875
        ([3, 3, 3, 3, 4, 4, 4, 4], 3.5, 3),
    ],
)
def test_score_cases(levels, overall, level):
    result = score(MODEL, answers(*levels))
    assert result["overall"] == pytest.approx(overall)
    assert result["level"] == level


def test_incomplete_answers_have_no_overall():
    result = score(MODEL, answers(1, 2, 3, 4, 5, 5, 4))
    assert result["overall"] is None and result["level"] is None
    assert result["dimensions"]["communication"] is None
    assert result["dimensions"]["governance"] == 1


def test_non_numeric_level_counts_as_missing():
    result = score(MODEL, answers(1, 2, 3, 4, 5, 5, 4, "3"))
    assert result["overall"] is None and result["level"] is None


def test_no_answers_and_no_dimensions():
    assert score(MODEL, {})["overall"] is None
    empty = score({"sections": []}, {})
    assert empty == {"dimensions": {}, "overall": None, "level": None}


# --- spread ----------------------------------------------------------------------------------


def by_dimension(rows):
    return {r["dimension"]: r for r in rows}


def test_spread_values_min_max_median_and_flags():
    ratings = [
        answers(3, 2, 1, 4),
        answers(3, 3, 3),
        answers(3, 2, 2) | {"activities_level": None},
    ]
    rows = spread(MODEL, ratings)
    assert [r["dimension"] for r in rows] == DIMENSIONS
    rows = by_dimension(rows)

    governance = rows["governance"]
    assert governance["question"] == "governance_level"
    assert sorted(governance["values"]) == [3, 3, 3]
    assert (governance["min"], governance["max"], governance["median"]) == (3, 3, 3)
    assert governance["spread"] == 0 and governance["flag"] == AGREE

    representation = rows["representation"]
    assert sorted(representation["values"]) == [2, 2, 3]
    assert (representation["min"], representation["max"], representation["median"]) == (2, 3, 2)
    assert representation["spread"] == 1 and representation["flag"] == MINOR

    citizens = rows["citizen_engagement"]
    assert sorted(citizens["values"]) == [1, 2, 3]
    assert (citizens["min"], citizens["max"], citizens["median"]) == (1, 3, 2)
    assert citizens["spread"] == 2 and citizens["flag"] == DISAGREE

    activities = rows["activities"]  # one rater only; the None is not a rating
    assert activities["values"] == [4] and activities["median"] == 4
    assert activities["spread"] == 0 and activities["flag"] == AGREE


def test_spread_even_number_of_raters_and_large_gap():
    rows = by_dimension(spread(MODEL, [answers(1), answers(2), answers(4), answers(5)]))
    governance = rows["governance"]
    assert governance["median"] == 3
    assert governance["spread"] == 4 and governance["flag"] == DISAGREE


def test_spread_dimension_with_no_ratings():
    rows = by_dimension(spread(MODEL, [answers(3), answers(4)]))
    assert rows["monitoring"] == {
        "dimension": "monitoring",
        "question": "monitoring_level",
        "values": [],
        "min": None,
        "max": None,
        "median": None,
        "spread": None,
        "flag": None,
    }
    assert rows["governance"]["flag"] == MINOR


def test_spread_of_no_raters():
    rows = spread(MODEL, [])
    assert len(rows) == 8 and all(r["flag"] is None and r["values"] == [] for r in rows)


# --- medians ---------------------------------------------------------------------------------


def test_medians_over_rows_with_missing_dimensions():
    rows = [
        {"dimensions": {"governance": 1, "representation": 2}},
        {"dimensions": {"governance": 4, "representation": None}},
        {"dimensions": {"governance": 2}},
        {"dimensions": {"governance": 5, "representation": 3}},
    ]
    result = medians(rows, ["governance", "representation", "funding"], min_hubs=1)
    assert result == {"governance": 3.0, "representation": 2.5, "funding": None}


def test_medians_of_no_rows():
    assert medians([], ["governance"]) == {"governance": None}


def test_medians_are_withheld_below_three_hubs():
    """With two hubs, the median and one's own level give the other's exactly: not published."""
    rows = [
        {"dimensions": {"governance": 1, "representation": 2}},
        {"dimensions": {"governance": 4, "representation": None}},
        {"dimensions": {"governance": 2, "representation": 5}},
    ]
    assert medians(rows, ["governance", "representation"]) == {
        "governance": 2,
        "representation": None,
    }
    assert medians(rows[:2], ["governance"]) == {"governance": None}
    assert medians(rows[:1], ["governance"]) == {"governance": None}


# --- recommendations -------------------------------------------------------------------------

OWN = {
    "governance": 1,  # level 1: weak
    "representation": 2,  # level 2 at the median: still weak
    "citizen_engagement": 3,  # below the median 3.5: weak
    "activities": 4,  # at the median: strong
    "alignment": 5,  # top level: never recommended
    "funding": 3,  # at the median and >= 3: strong
    "monitoring": 3,  # no network median: strong
    "communication": 4,  # below the median 4.5: weak
}
NETWORK = {
    "governance": 2,
    "representation": 2,
    "citizen_engagement": 3.5,
    "activities": 4,
    "alignment": 5,
    "funding": 3,
    "monitoring": None,
    "communication": 4.5,
}
PEERS = [
    {
        "hub_id": 11,
        "name": "Portugal",
        "dimensions": {
            "governance": 3,
            "representation": 2,
            "citizen_engagement": 5,
            "communication": 5,
        },
    },
    {
        "hub_id": 12,
        "name": "Norway",
        "dimensions": {"governance": 3, "representation": 4, "citizen_engagement": 4},
    },
    {"hub_id": 13, "name": "Austria", "dimensions": {"governance": 3, "representation": 3}},
    {"hub_id": 14, "name": "Belgium", "dimensions": {"governance": 5, "representation": None}},
    {"hub_id": 15, "name": "Czechia", "dimensions": {"governance": 1}},
]


def test_recommendations_pick_weak_dimensions_lowest_first_with_goal_and_peers():
    recs = recommendations(MODEL, OWN, NETWORK, PEERS)
    assert [r["dimension"] for r in recs] == ["governance", "representation", "citizen_engagement"]

    governance = recs[0]
    goal = descriptor("governance", 2)
    assert governance["question"] == "governance_level"
    assert (governance["level"], governance["median"]) == (1, 2)
    assert governance["goal_level"] == 2
    assert governance["goal_label"] == goal["label"]
    assert governance["goal"] == goal["descriptor"]
    # Stronger peers only, by level descending then name; at most three.
    assert governance["peers"] == [
        {"hub_id": 14, "name": "Belgium", "level": 5},
        {"hub_id": 13, "name": "Austria", "level": 3},
        {"hub_id": 12, "name": "Norway", "level": 3},
    ]

    representation = recs[1]
    assert representation["goal"] == descriptor("representation", 3)["descriptor"]
    assert [p["name"] for p in representation["peers"]] == ["Norway", "Austria"]

    citizens = recs[2]
    assert citizens["goal_level"] == 4
    assert citizens["goal"] == descriptor("citizen_engagement", 4)["descriptor"]
    assert [(p["name"], p["level"]) for p in citizens["peers"]] == [("Portugal", 5), ("Norway", 4)]


def test_recommendations_beyond_the_default_limit_and_strong_dimensions_left_out():
    recs = recommendations(MODEL, OWN, NETWORK, PEERS, limit=10)
    assert [r["dimension"] for r in recs] == [
        "governance",
        "representation",
        "citizen_engagement",
        "communication",
    ]
    communication = recs[-1]
    assert communication["goal_level"] == 5
    assert communication["goal"] == descriptor("communication", 5)["descriptor"]
    assert communication["peers"] == [{"hub_id": 11, "name": "Portugal", "level": 5}]


@pytest.mark.parametrize("limit", [0, 1, 2])
def test_recommendations_respect_the_limit(limit):
    recs = recommendations(MODEL, OWN, NETWORK, PEERS, limit=limit)
    assert [r["dimension"] for r in recs] == ["governance", "representation", "citizen_engagement"][
        :limit
    ]


def test_strong_hub_gets_no_recommendations():
    own = dict.fromkeys(DIMENSIONS, 3) | {"alignment": 5}
    network = dict.fromkeys(DIMENSIONS, 3) | {"alignment": 5}
    assert recommendations(MODEL, own, network, PEERS) == []


def test_level_five_is_never_recommended_even_below_a_median():
    own = {"governance": 5}
    assert recommendations(MODEL, own, {"governance": 5.5}, PEERS) == []


def test_low_level_is_weak_even_above_the_median_and_without_one():
    own = {"governance": 2, "representation": 1}
    recs = recommendations(MODEL, own, {"governance": 1}, PEERS)
    assert [(r["dimension"], r["level"], r["median"]) for r in recs] == [
        ("representation", 1, None),
        ("governance", 2, 1),
    ]


def test_same_level_furthest_below_the_median_first():
    own = {"governance": 3, "representation": 3, "activities": 3}
    network = {"governance": 3.5, "representation": 4.5, "activities": 4}
    recs = recommendations(MODEL, own, network, [])
    assert [r["dimension"] for r in recs] == ["representation", "activities", "governance"]
    assert all(r["peers"] == [] for r in recs)


def test_unrated_dimensions_are_skipped():
    recs = recommendations(MODEL, {"governance": None}, {"governance": 4}, PEERS)
    assert recs == []


def test_recommendations_from_scores_of_answers():
    own = score(MODEL, answers(2, 4, 4, 4, 4, 4, 4, 4))["dimensions"]
    network = medians(
        [{"dimensions": own}, {"dimensions": dict.fromkeys(DIMENSIONS, 4)}], DIMENSIONS, min_hubs=1
    )
    recs = recommendations(
        MODEL, own, network, [{"hub_id": 1, "name": "Peer", "dimensions": network}]
    )
    assert [(r["dimension"], r["goal_level"]) for r in recs] == [("governance", 3)]
    assert recs[0]["peers"] == [{"hub_id": 1, "name": "Peer", "level": 3.0}]
