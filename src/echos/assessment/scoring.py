"""Maturity scores, consensus spreads, benchmarks and recommendations: plain functions on answers."""

import math
from statistics import median
from typing import Any, cast

from echos.questionnaires.engine import Question, catalogued, questions, tr

AGREE, MINOR, DISAGREE = "agree", "minor", "disagree"


def dimension_questions(definition: dict) -> list[Question]:
    """The scale question of each maturity dimension, in the model's order."""
    return [q for q in questions(definition) if q.type == "scale" and q.dimension]


def dimension_of(question: Question) -> str:
    """The dimension code of a question given by ``dimension_questions`` (which all have one)."""
    return cast(str, question.dimension)


def dimension_titles(definition: dict) -> dict[str, str]:
    """Dimension code → section title."""
    return {
        s["dimension"]: tr(s.get("title"), catalogued(definition)) or s["dimension"]
        for s in definition["sections"]
        if s.get("dimension")
    }


def score(definition: dict, answers: dict) -> dict:
    """Dimension levels, the overall score (their mean) and the overall level (its floor).

    The overall figures exist only when every dimension is scored: a partial picture would flatter.
    """
    dims = {q.dimension: answers.get(q.code) for q in dimension_questions(definition)}
    values = [v for v in dims.values() if isinstance(v, int | float)]
    complete = bool(dims) and len(values) == len(dims)
    overall = round(sum(values) / len(values), 2) if complete else None
    return {
        "dimensions": dims,
        "overall": overall,
        "level": math.floor(overall) if overall is not None else None,
    }


def spread(definition: dict, ratings: list[dict]) -> list[dict]:
    """Per dimension: everyone's level, min, max, median and whether raters agree.

    A gap of one level is ordinary judgement ("minor"); two or more means the raters
    see the hub differently and the consensus meeting should discuss it ("disagree").
    """
    rows: list[dict] = []
    for q in dimension_questions(definition):
        values = sorted(v for r in ratings if isinstance(v := r.get(q.code), int | float))
        if not values:
            rows.append(
                {
                    "dimension": q.dimension,
                    "question": q.code,
                    "values": [],
                    "min": None,
                    "max": None,
                    "median": None,
                    "spread": None,
                    "flag": None,
                }
            )
            continue
        gap = max(values) - min(values)
        rows.append(
            {
                "dimension": q.dimension,
                "question": q.code,
                "values": values,
                "min": min(values),
                "max": max(values),
                "median": median(values),
                "spread": gap,
                "flag": AGREE if gap == 0 else MINOR if gap == 1 else DISAGREE,
            }
        )
    return rows


# A median over one or two hubs gives away a hub's own score: with two, the median and the
# viewer's own level give the other's exactly. Below this many hubs no median is published.
MEDIAN_MIN_HUBS = 3


def medians(
    score_rows: list[dict], dimensions: list[str], min_hubs: int = MEDIAN_MIN_HUBS
) -> dict[str, float | None]:
    """Median level per dimension over hubs' latest scores (``{"dimensions": {...}}`` rows).

    None for a dimension scored by fewer than ``min_hubs`` hubs ("not enough hubs to compare").
    """
    result = {}
    for d in dimensions:
        values = [
            r["dimensions"].get(d)
            for r in score_rows
            if isinstance(r["dimensions"].get(d), int | float)
        ]
        result[d] = median(values) if values and len(values) >= min_hubs else None
    return result


def recommendations(
    definition: dict, own: dict, network_median: dict, peers: list[dict], limit: int = 3
) -> list[dict]:
    """For the weakest dimensions: the next level as the goal and the strongest peers in it.

    A dimension is weak when it is below the network median or at level 1–2; the lowest come first.
    ``peers`` rows are ``{"hub_id", "name", "dimensions": {...}}`` of other hubs.
    """
    out: list[dict[str, Any]] = []
    for q in dimension_questions(definition):
        level = own.get(q.dimension)
        if not isinstance(level, int | float):
            continue
        med = network_median.get(q.dimension)
        if level >= 5 or not (level <= 2 or (med is not None and level < med)):
            continue
        goal = next((lv for lv in q.levels if int(lv["value"]) == int(level) + 1), None)
        strongest = sorted(
            (
                p
                for p in peers
                if isinstance(p["dimensions"].get(q.dimension), int | float)
                and p["dimensions"][q.dimension] > level
            ),
            key=lambda p: (-p["dimensions"][q.dimension], p["name"]),
        )[:3]
        out.append(
            {
                "dimension": q.dimension,
                "question": q.code,
                "level": level,
                "median": med,
                "goal_level": goal["value"] if goal else None,
                "goal_label": goal["label"] if goal else "",
                "goal": goal["descriptor"] if goal else "",
                "peers": [
                    {
                        "hub_id": p["hub_id"],
                        "name": p["name"],
                        "level": p["dimensions"][q.dimension],
                    }
                    for p in strongest
                ],
            }
        )
    out.sort(key=lambda r: (r["level"], r["level"] - (r["median"] or r["level"])))
    return out[:limit]
