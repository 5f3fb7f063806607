"""The comparison functions over mapped structures, on hand-computed cases and the real survey."""

import json
import random
from pathlib import Path

import pytest

from echos.assessment.analysis import (
    answers_by_country,
    cluster,
    common_and_unique,
    distributions,
)
from echos.questionnaires.engine import questions, validate

SURVEY = Path(__file__).parents[2] / "src/echos/assessment/data/instruments/mapping_survey.json"

DEFINITION = {
    "sections": [
        {
            "code": "org",
            "title": "Organisation",
            "questions": [
                {
                    "code": "kind",
                    "type": "single",
                    "text": "Kind?",
                    "options": [
                        {"value": "a", "label": "Alpha"},
                        {"value": "b", "label": "Beta"},
                        {"value": "c", "label": "Gamma"},
                    ],
                },
                {
                    "code": "tools",
                    "type": "multiple",
                    "text": "Tools?",
                    "options": [
                        {"value": "x", "label": "Ex"},
                        {"value": "y", "label": "Why"},
                        {"value": "z", "label": "Zed"},
                    ],
                },
                {
                    "code": "level",
                    "type": "scale",
                    "text": "Level?",
                    "levels": [
                        {"value": 1, "label": "Low"},
                        {"value": 2, "label": "Mid"},
                        {"value": 3, "label": "High"},
                    ],
                },
            ],
        },
        {
            "code": "money",
            "title": "Money",
            "questions": [
                {"code": "staff", "type": "number", "text": "Staff?"},
                {"code": "budget", "type": "money", "text": "Budget?"},
                {"code": "notes", "type": "text", "text": "Notes?"},
                {"code": "since", "type": "date", "text": "Since?"},
            ],
        },
    ]
}

ROWS = [
    (
        "AT",
        {
            "kind": "a",
            "tools": ["x", "y"],
            "level": 1,
            "staff": 0,
            "budget": {"amount": 100, "currency": "EUR"},
        },
    ),
    (
        "BE",
        {
            "kind": "a",
            "tools": ["x"],
            "level": 3,
            "staff": 10,
            "budget": {"amount": 300, "currency": "EUR"},
        },
    ),
    (
        "CY",
        {
            "kind": "b",
            "tools": ["x", "z"],
            "level": 3,
            "staff": 4,
            "budget": {"amount": 50, "currency": "USD"},
        },
    ),
    ("DK", {"kind": "a", "staff": 6, "notes": "hi"}),
]


def by_question(dists):
    return {d["question"]: d for d in dists}


def counts(dist):
    return {c["value"]: (c["count"], c["countries"]) for c in dist["counts"]}


def test_single_choice_counts_and_shares():
    kind = by_question(distributions(DEFINITION, ROWS))["kind"]
    assert kind["answered"] == 4
    assert kind["section"] == "org" and kind["type"] == "single" and kind["text"] == "Kind?"
    assert [c["value"] for c in kind["counts"]] == ["a", "b", "c"]
    assert [c["label"] for c in kind["counts"]] == ["Alpha", "Beta", "Gamma"]
    assert counts(kind) == {"a": (3, ["AT", "BE", "DK"]), "b": (1, ["CY"]), "c": (0, [])}
    assert [c["share"] for c in kind["counts"]] == [0.75, 0.25, 0.0]


def test_multiple_choice_counts_each_row_once_per_option_over_answered_rows():
    rows = ROWS + [("EE", {"tools": ["x", "x"]})]
    tools = by_question(distributions(DEFINITION, rows))["tools"]
    assert tools["answered"] == 4  # DK did not answer
    assert counts(tools) == {"x": (4, ["AT", "BE", "CY", "EE"]), "y": (1, ["AT"]), "z": (1, ["CY"])}
    assert [c["share"] for c in tools["counts"]] == [1.0, 0.25, 0.25]


def test_scale_counts_by_level_with_level_labels():
    level = by_question(distributions(DEFINITION, ROWS))["level"]
    assert level["answered"] == 3
    assert [(c["value"], c["label"], c["count"]) for c in level["counts"]] == [
        ("1", "Low", 1),
        ("2", "Mid", 0),
        ("3", "High", 2),
    ]
    assert level["counts"][2]["share"] == pytest.approx(2 / 3)


def test_number_stats_and_five_equal_bins():
    staff = by_question(distributions(DEFINITION, ROWS))["staff"]
    assert staff["answered"] == 4
    assert staff["stats"] == {"min": 0, "median": 5, "max": 10, "mean": 5}
    assert [(b["from"], b["to"], b["count"]) for b in staff["bins"]] == [
        (0, 2, 1),
        (2, 4, 0),
        (4, 6, 1),
        (6, 8, 1),
        (8, 10, 1),
    ]


def test_number_with_one_distinct_value_gives_one_bin_and_none_when_unanswered():
    staff = by_question(distributions(DEFINITION, [("AT", {"staff": 3}), ("BE", {"staff": 3})]))
    assert staff["staff"]["bins"] == [{"from": 3, "to": 3, "count": 2}]
    empty = by_question(distributions(DEFINITION, [("AT", {})]))["staff"]
    assert empty["answered"] == 0 and empty["stats"] is None and empty["bins"] == []


def test_money_with_mixed_currencies_uses_the_most_common_one():
    budget = by_question(distributions(DEFINITION, ROWS))["budget"]
    assert budget["answered"] == 3
    assert budget["currency"] == "EUR"
    assert budget["mixed_currencies"] is True
    assert budget["currencies"] == [
        {"currency": "EUR", "count": 2},
        {"currency": "USD", "count": 1},
    ]
    assert budget["stats_count"] == 2 and budget["excluded_other_currencies"] == 1
    assert budget["stats"] == {"min": 100, "median": 200, "max": 300, "mean": 200}
    assert [b["count"] for b in budget["bins"]] == [1, 0, 0, 0, 1]


def test_money_currency_tie_is_broken_alphabetically():
    rows = [
        ("AT", {"budget": {"amount": 5, "currency": "USD"}}),
        ("BE", {"budget": {"amount": 7, "currency": "EUR"}}),
    ]
    budget = by_question(distributions(DEFINITION, rows))["budget"]
    assert budget["currency"] == "EUR" and budget["stats"]["mean"] == 7


def test_text_and_date_only_count_answers():
    dists = by_question(distributions(DEFINITION, ROWS))
    assert dists["notes"] == {
        "question": "notes",
        "text": "Notes?",
        "type": "text",
        "section": "money",
        "answered": 1,
    }
    assert dists["since"]["answered"] == 0 and "counts" not in dists["since"]


def test_common_and_unique_default_thresholds():
    result = common_and_unique(distributions(DEFINITION, ROWS), len(ROWS))
    assert [(i["question"], i["value"], i["count"]) for i in result["common"]] == [
        ("kind", "a", 3),
        ("tools", "x", 3),
    ]
    assert result["common"][0]["countries"] == ["AT", "BE", "DK"]
    assert result["common"][0]["label"] == "Alpha" and result["common"][0]["text"] == "Kind?"
    # count ascending, then question order, then option order
    assert [(i["question"], i["value"]) for i in result["unique"]] == [
        ("kind", "b"),
        ("tools", "y"),
        ("tools", "z"),
        ("level", "1"),
        ("level", "3"),
    ]
    assert result["unique"][-1]["countries"] == ["BE", "CY"]


def test_common_and_unique_thresholds_are_inclusive_and_share_is_over_all_rows():
    dists = distributions(DEFINITION, ROWS)
    # tools=x is 3 of 3 answered but 3 of 4 rows: below 0.8 of all rows
    assert common_and_unique(dists, 4, common_share=0.8)["common"] == []
    result = common_and_unique(dists, 4, common_share=0.5, unique_max=1)
    assert [(i["question"], i["value"]) for i in result["common"]] == [
        ("kind", "a"),
        ("tools", "x"),
        ("level", "3"),
    ]
    assert ("level", "3") not in [(i["question"], i["value"]) for i in result["unique"]]
    assert all(i["count"] == 1 for i in result["unique"])


def test_common_and_unique_with_no_rows():
    assert common_and_unique(distributions(DEFINITION, []), 0) == {"common": [], "unique": []}


GROUP_A = {"kind": "a", "tools": ["x", "y"], "level": 1}
GROUP_B = {"kind": "b", "tools": ["z"], "level": 3}
# Two groups with some variation inside each, so that no split into exact duplicates wins.
SEPARATED = [
    ("AT", GROUP_A),
    ("BE", {"kind": "a", "tools": ["x"], "level": 1}),
    ("CZ", {"kind": "a", "tools": ["x", "y"], "level": 2}),
    ("DE", {"kind": "a", "tools": ["y"], "level": 1}),
    ("FR", GROUP_B),
    ("GR", {"kind": "b", "tools": ["y", "z"], "level": 3}),
    ("HU", {"kind": "b", "tools": ["z"], "level": 2}),
]


def test_two_separated_groups_are_found_with_their_features():
    result = cluster(DEFINITION, SEPARATED)
    assert result["k"] == 2
    assert 0 < result["silhouette"] <= 1
    first, second = result["clusters"]
    assert (first["id"], first["countries"], first["size"]) == (1, ["AT", "BE", "CZ", "DE"], 4)
    assert (second["id"], second["countries"], second["size"]) == (2, ["FR", "GR", "HU"], 3)
    # gaps: kind=a 1, tools=x 0.75, level=1 0.75 (ties in column order), tools=y 0.75 - 1/3
    assert [(f["question"], f["value"]) for f in first["explained_by"]] == [
        ("kind", "a"),
        ("tools", "x"),
        ("level", "1"),
        ("tools", "y"),
    ]
    assert first["explained_by"][0] == {
        "question": "kind",
        "text": "Kind?",
        "value": "a",
        "label": "Alpha",
        "share_in": 1.0,
        "share_out": 0.0,
        "lift": None,
    }
    y = first["explained_by"][3]
    assert (y["share_in"], y["share_out"], y["lift"]) == (0.75, 0.3333, 2.25)
    assert [(f["question"], f["value"]) for f in second["explained_by"]] == [
        ("kind", "b"),
        ("tools", "z"),
        ("level", "3"),
        ("level", "2"),
    ]
    mid = second["explained_by"][3]
    assert (mid["share_in"], mid["share_out"], mid["lift"]) == (0.3333, 0.25, 1.3333)


def test_explaining_features_report_lift_and_keep_at_most_five():
    rows = SEPARATED + [("IE", {"kind": "b", "tools": ["x", "y", "z"], "level": 3})]
    result = cluster(DEFINITION, rows, k=2)
    for group in result["clusters"]:
        assert len(group["explained_by"]) <= 5
        gaps = [f["share_in"] - f["share_out"] for f in group["explained_by"]]
        assert gaps == sorted(gaps, reverse=True) and all(g > 0 for g in gaps)
    b = next(g for g in result["clusters"] if "FR" in g["countries"])
    assert b["countries"] == ["FR", "GR", "HU", "IE"]
    z = next(f for f in b["explained_by"] if f["value"] == "z")
    assert (z["share_in"], z["share_out"], z["lift"]) == (1.0, 0.0, None)


def test_cluster_is_deterministic_and_independent_of_row_order():
    rng = random.Random(7)
    options = {"kind": "abc", "tools": "xyz"}
    rows = []
    for i in range(15):
        tools = [t for t in options["tools"] if rng.random() < 0.5]
        rows.append(
            (
                f"C{i:02d}",
                {"kind": rng.choice(options["kind"]), "tools": tools, "level": rng.randint(1, 3)},
            )
        )
    first = cluster(DEFINITION, rows, seed=3)
    assert cluster(DEFINITION, rows, seed=3) == first
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    assert cluster(DEFINITION, shuffled, seed=3) == first
    assert sorted(c for g in first["clusters"] for c in g["countries"]) == [r[0] for r in rows]
    assert [g["id"] for g in first["clusters"]] == list(range(1, first["k"] + 1))
    sizes = [(-g["size"], g["countries"][0]) for g in first["clusters"]]
    assert sizes == sorted(sizes)
    assert 2 <= first["k"] <= 6
    assert json.loads(json.dumps(first)) == first


def test_fixed_k_is_respected():
    result = cluster(DEFINITION, SEPARATED, k=3)
    assert result["k"] == 3 and len(result["clusters"]) == 3
    assert sum(g["size"] for g in result["clusters"]) == 7


@pytest.mark.parametrize("rows", [[], [("AT", GROUP_A)], [("AT", GROUP_A), ("BE", GROUP_B)]])
def test_fewer_than_three_rows_make_one_cluster(rows):
    result = cluster(DEFINITION, rows)
    assert result["k"] == 1 and result["silhouette"] is None
    assert [g["countries"] for g in result["clusters"]] == ([[r[0] for r in rows]] if rows else [])


def test_identical_rows_make_one_cluster():
    rows = [(code, GROUP_A) for code in ["SE", "AT", "FI", "NO"]]
    result = cluster(DEFINITION, rows, k=3)
    assert result == {
        "k": 1,
        "silhouette": None,
        "clusters": [
            {"id": 1, "countries": ["AT", "FI", "NO", "SE"], "size": 4, "explained_by": []}
        ],
    }
    empty = cluster(DEFINITION, [("AT", {}), ("BE", {"staff": 1}), ("CY", {"notes": "n"})])
    assert empty["k"] == 1 and empty["clusters"][0]["size"] == 3


def test_k_is_capped_by_distinct_answer_patterns():
    rows = [("AT", GROUP_A), ("BE", GROUP_A), ("CY", GROUP_B), ("DK", GROUP_B)]
    result = cluster(DEFINITION, rows, k=4)
    assert result["k"] == 2
    assert [g["countries"] for g in result["clusters"]] == [["AT", "BE"], ["CY", "DK"]]


def test_answers_by_country():
    assert answers_by_country(DEFINITION, ROWS, "tools") == [
        {"code": "AT", "value": ["x", "y"], "label": "Ex, Why"},
        {"code": "BE", "value": ["x"], "label": "Ex"},
        {"code": "CY", "value": ["x", "z"], "label": "Ex, Zed"},
    ]
    assert answers_by_country(DEFINITION, ROWS[::-1], "kind")[0] == {
        "code": "AT",
        "value": "a",
        "label": "Alpha",
    }
    assert [
        (a["code"], a["value"], a["label"]) for a in answers_by_country(DEFINITION, ROWS, "level")
    ] == [("AT", 1, "Low"), ("BE", 3, "High"), ("CY", 3, "High")]
    staff = answers_by_country(DEFINITION, ROWS + [("EE", {"staff": 2.5})], "staff")
    assert [(a["code"], a["label"]) for a in staff] == [
        ("AT", "0"),
        ("BE", "10"),
        ("CY", "4"),
        ("DK", "6"),
        ("EE", "2.5"),
    ]
    assert answers_by_country(DEFINITION, ROWS, "budget")[2]["label"] == "50 USD"
    assert answers_by_country(DEFINITION, ROWS, "notes") == [
        {"code": "DK", "value": "hi", "label": "hi"}
    ]
    with pytest.raises(KeyError):
        answers_by_country(DEFINITION, ROWS, "nope")


@pytest.mark.django_db
def test_vocabulary_options_give_labels(terms):
    definition = {
        "sections": [
            {
                "code": "s",
                "questions": [
                    {
                        "code": "groups",
                        "type": "multiple",
                        "text": "Groups?",
                        "options_from": "stakeholder_groups",
                    }
                ],
            }
        ]
    }
    codes = list(terms)
    rows = [("NO", {"groups": codes[:2]}), ("PT", {"groups": codes[:1]})]
    dist = distributions(definition, rows)[0]
    assert [c["value"] for c in dist["counts"]] == codes
    assert dist["counts"][0] == {
        "value": codes[0],
        "label": terms[codes[0]].display,
        "count": 2,
        "share": 1.0,
        "countries": ["NO", "PT"],
    }
    label = answers_by_country(definition, rows, "groups")[0]["label"]
    assert label == f"{terms[codes[0]].display}, {terms[codes[1]].display}"


def synthetic_answers(definition, rng):
    answers = {}
    for q in questions(definition):
        if q.type in ("single", "multiple") and q.options:
            values = [v for v, _label in q.options]
            answers[q.code] = (
                rng.choice(values)
                if q.type == "single"
                else rng.sample(values, rng.randint(1, min(3, len(values))))
            )
        elif q.type == "number":
            low, high = q.spec.get("min", 0), q.spec.get("max", 100)
            answers[q.code] = rng.randint(int(low), int(high))
        elif q.type == "money":
            answers[q.code] = {
                "amount": rng.randint(0, 500_000),
                "currency": rng.choice(["EUR", "EUR", "NOK"]),
            }
        elif q.type == "date":
            answers[q.code] = f"20{rng.randint(26, 30)}-12-31"
        elif q.type == "text":
            answers[q.code] = "Something"
    cleaned, errors = validate(definition, answers, complete=False)
    assert not errors
    return cleaned


@pytest.mark.django_db
def test_real_mapping_survey_with_synthetic_rows():
    definition = json.loads(SURVEY.read_text())
    rng = random.Random(42)
    codes = ["AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "IE", "NO", "PT", "SE"]
    rows = [(code, synthetic_answers(definition, rng)) for code in codes]

    dists = distributions(definition, rows)
    assert [d["question"] for d in dists] == [q.code for q in questions(definition)]
    legal = by_question(dists)["legal_form"]
    assert legal["answered"] == 12 and sum(c["count"] for c in legal["counts"]) == 12
    budget = by_question(dists)["annual_budget"]
    assert (
        budget["currency"] == "EUR"
        and budget["stats_count"] + budget["excluded_other_currencies"] == 12
    )
    traits = common_and_unique(dists, len(rows))
    assert all(1 <= i["count"] <= 2 for i in traits["unique"])

    result = cluster(definition, rows)
    assert 1 <= result["k"] <= 6
    assert sorted(c for g in result["clusters"] for c in g["countries"]) == codes
    assert cluster(definition, rows[::-1]) == result
    assert len(answers_by_country(definition, rows, "member_groups")) == 12
