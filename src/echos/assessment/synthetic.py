"""Plausible random answers for demo and benchmark data (always stored as demo)."""

import random
from datetime import date, timedelta

from echos.hubs.models import STAGE_ORDER
from echos.questionnaires import engine


def answers_for(
    definition: dict,
    rng: random.Random,
    *,
    maturity_hint: float | None = None,
    options: dict | None = None,
) -> dict:
    """Random answers that pass the engine's validation; scales centre on ``maturity_hint`` (1–5).

    ``options`` maps vocabulary names to their codes, so no database query is needed per answer.
    """
    answers: dict = {}
    for q in engine.questions(definition):
        if not engine.is_visible(q, answers):
            continue
        if not q.required and rng.random() < 0.25:
            continue
        values = (options or {}).get(q.spec.get("options_from")) or [
            str(o["value"]) for o in q.spec.get("options", [])
        ]
        if q.type == "single" and values:
            answers[q.code] = values[min(len(values) - 1, int(rng.triangular(0, len(values), 0)))]
        elif q.type == "multiple" and values:
            limit = q.spec.get("max_choices") or len(values)
            picked = rng.sample(values, k=rng.randint(1, max(1, min(limit, len(values), 4))))
            answers[q.code] = [v for v in values if v in picked]
        elif q.type == "scale":
            centre = maturity_hint if maturity_hint is not None else 3
            answers[q.code] = max(1, min(5, round(rng.gauss(centre, 0.8))))
        elif q.type == "number":
            low, high = q.spec.get("min", 0), q.spec.get("max", 100)
            value = rng.uniform(low, min(high, low + 60) if high > low + 60 else high)
            answers[q.code] = int(value) if q.spec.get("integer") else round(value, 1)
        elif q.type == "money":
            answers[q.code] = {"amount": rng.randrange(20, 900) * 1000, "currency": "EUR"}
        elif q.type == "date":
            answers[q.code] = (
                date(2026, 1, 1) + timedelta(days=rng.randrange(0, 1100))
            ).isoformat()
        elif q.type == "text" and q.required:
            answers[q.code] = "Demo answer."
    return answers


def maturity_hint(stage: str, rng: random.Random) -> float:
    """Hubs further along the lifecycle tend to score higher."""
    return 1 + 4 * STAGE_ORDER[stage] / 6 + rng.uniform(-0.6, 0.6)
