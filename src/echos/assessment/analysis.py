"""Comparisons across mapped structures: answer distributions, common and unique traits, clusters.

Every function takes ``rows``, a list of ``(country ISO code, answers dict)`` with one row per mapped
structure, plus the instrument ``definition``; answers use the formats described in ``engine``.
Nothing here writes to the database; the only read is ``Question.options`` for vocabulary labels.
Outputs are plain dicts and lists (JSON-serialisable) and depend only on the input, never on the
order of ``rows``.
"""

import json
import statistics
from collections import Counter
from typing import cast

import numpy as np

from echos.questionnaires.engine import Question, questions

CHOICE_TYPES = ("single", "multiple", "scale")
NUMERIC_TYPES = ("number", "money")
BINS = 5
RESTARTS = 10
MAX_ITERATIONS = 100
MAX_AUTO_K = 6
TOP_FEATURES = 5


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _choices(q: Question) -> list[tuple[str, str]]:
    # Scale answers are ints while options are strings; comparing as strings keeps one code path.
    if q.type == "scale":
        return [
            (str(level["value"]), level.get("label", str(level["value"]))) for level in q.levels
        ]
    return q.options


def _chosen(q: Question, value) -> set[str]:
    if _empty(value):
        return set()
    if q.type == "multiple":
        return {str(v) for v in (value if isinstance(value, list) else [value])}
    if q.type == "scale":
        try:
            return {str(int(float(value)))}
        except (TypeError, ValueError):
            return {str(value)}
    return {str(value)}


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _sorted_rows(rows) -> list[tuple[str, dict]]:
    # Sorting first is what makes clusters independent of the order the caller fetched rows in.
    return sorted(rows, key=lambda r: (r[0], json.dumps(r[1], sort_keys=True, default=str)))


def _fmt(number) -> str:
    number = float(number)
    return str(int(number)) if number.is_integer() else str(number)


def _stats_and_bins(values: list[float]) -> tuple[dict | None, list[dict]]:
    if not values:
        return None, []
    low, high = min(values), max(values)
    stats = {
        "min": low,
        "median": float(statistics.median(values)),
        "max": high,
        "mean": float(statistics.fmean(values)),
    }
    if low == high:
        # Zero-width bins would be meaningless; one bin holding everything is the honest picture.
        return stats, [{"from": low, "to": high, "count": len(values)}]
    # Edges from the span rather than by repeated addition, so the last edge is exactly the maximum.
    edges = [low + (high - low) * i / BINS for i in range(BINS)] + [high]
    counts = [0] * BINS
    for v in values:
        index = BINS - 1
        for i in range(BINS - 1):
            if v < edges[i + 1]:
                index = i
                break
        counts[index] += 1
    return stats, [{"from": edges[i], "to": edges[i + 1], "count": counts[i]} for i in range(BINS)]


def _choice_distribution(q: Question, rows) -> dict:
    choices = _choices(q)
    known = {value for value, _label in choices}
    countries: dict[str, list[str]] = {value: [] for value, _label in choices}
    extra: dict[str, list[str]] = {}
    answered = 0
    for code, answers in rows:
        chosen = _chosen(q, answers.get(q.code))
        if not chosen:
            continue
        answered += 1
        for value in chosen:
            # Values no longer offered (an edited vocabulary) still count, listed after the options.
            (countries if value in known else extra).setdefault(value, []).append(code)
    items = [(value, label, countries[value]) for value, label in choices]
    items += [(value, value, extra[value]) for value in sorted(extra)]
    return {
        "question": q.code,
        "text": q.text,
        "type": q.type,
        "section": q.section,
        "answered": answered,
        "counts": [
            {
                "value": value,
                "label": label,
                "count": len(codes),
                "share": len(codes) / answered if answered else 0.0,
                "countries": sorted(codes),
            }
            for value, label, codes in items
        ],
    }


def _numeric_distribution(q: Question, rows) -> dict:
    result = {"question": q.code, "text": q.text, "type": q.type, "section": q.section}
    if q.type == "number":
        values = [v for _c, a in rows if (v := _float(a.get(q.code))) is not None]
        stats, bins = _stats_and_bins(values)
        return {**result, "answered": len(values), "stats": stats, "bins": bins}
    amounts = []
    for _code, answers in rows:
        value = answers.get(q.code)
        if isinstance(value, dict) and (amount := _float(value.get("amount"))) is not None:
            amounts.append((str(value.get("currency") or "").upper(), amount))
    per_currency = Counter(currency for currency, _a in amounts)
    currencies = sorted(per_currency.items(), key=lambda item: (-item[1], item[0]))
    # Amounts in different currencies cannot be compared without exchange rates, so the numbers
    # describe only the most common currency and the dict says how many answers were left out.
    currency = currencies[0][0] if currencies else None
    values = [amount for c, amount in amounts if c == currency]
    stats, bins = _stats_and_bins(values)
    return {
        **result,
        "answered": len(amounts),
        "currency": currency,
        "currencies": [{"currency": c, "count": n} for c, n in currencies],
        "mixed_currencies": len(currencies) > 1,
        "stats_count": len(values),
        "excluded_other_currencies": len(amounts) - len(values),
        "stats": stats,
        "bins": bins,
    }


def distributions(definition: dict, rows: list[tuple[str, dict]]) -> list[dict]:
    """Per question, how the rows answered: option counts, numeric stats and bins, or just a count."""
    rows = _sorted_rows(rows)
    result = []
    for q in questions(definition):
        if q.type in CHOICE_TYPES:
            result.append(_choice_distribution(q, rows))
        elif q.type in NUMERIC_TYPES:
            result.append(_numeric_distribution(q, rows))
        else:
            answered = sum(1 for _c, a in rows if not _empty(a.get(q.code)))
            result.append(
                {
                    "question": q.code,
                    "text": q.text,
                    "type": q.type,
                    "section": q.section,
                    "answered": answered,
                }
            )
    return result


def common_and_unique(
    distribution_list: list[dict], n_rows: int, common_share: float = 0.6, unique_max: int = 2
) -> dict:
    """Options chosen by most of all rows (common) and by only a few rows (unique), with countries."""
    common, unique = [], []
    for q_index, dist in enumerate(distribution_list):
        for o_index, option in enumerate(dist.get("counts", [])):
            count = option["count"]
            if not count or not n_rows:
                continue
            share = count / n_rows
            item = {
                "question": dist["question"],
                "text": dist["text"],
                "value": option["value"],
                "label": option["label"],
                "count": count,
                "share": share,
                "countries": list(option["countries"]),
            }
            # In a very small network an option can pass both tests; what most rows share is not
            # a distinctive feature, so common wins.
            if share >= common_share:
                common.append((-share, q_index, o_index, item))
            elif count <= unique_max:
                unique.append((count, q_index, o_index, item))
    return {
        "common": [entry[-1] for entry in sorted(common, key=lambda e: e[:3])],
        "unique": [entry[-1] for entry in sorted(unique, key=lambda e: e[:3])],
    }


def _encode(definition: dict, rows) -> tuple[np.ndarray, list[dict]]:
    features: list = []
    columns: dict[tuple[str, str], int] = {}
    choice_questions = [q for q in questions(definition) if q.type in CHOICE_TYPES]
    for q in choice_questions:
        for value, label in _choices(q):
            columns[(q.code, value)] = len(features)
            features.append({"question": q.code, "text": q.text, "value": value, "label": label})
    matrix = np.zeros((len(rows), len(features)))
    for i, (_code, answers) in enumerate(rows):
        for q in choice_questions:
            for value in _chosen(q, answers.get(q.code)):
                if (q.code, value) in columns:
                    matrix[i, columns[(q.code, value)]] = 1.0
    return matrix, features


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    diff = points[:, None, :] - centres[None, :, :]
    return (diff * diff).sum(axis=2)


def _kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        nearest = _squared_distances(points, np.array(centres)).min(axis=1)
        total = nearest.sum()
        # Fewer distinct points than k is excluded by the caller; this only guards the division.
        index = (
            rng.choice(len(points), p=nearest / total) if total > 0 else rng.integers(len(points))
        )
        centres.append(points[index])
    return np.array(centres)


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    best_labels, best_inertia = None, np.inf
    for _ in range(RESTARTS):
        centres = _kmeans_plus_plus(points, k, rng)
        labels = None
        for _ in range(MAX_ITERATIONS):
            distances = _squared_distances(points, centres)
            new_labels = distances.argmin(axis=1)
            for j in range(k):
                sizes = np.bincount(new_labels, minlength=k)
                if sizes[j] == 0:
                    # An emptied cluster takes the point worst served by its centre, so k holds;
                    # only points from clusters with others left may move, or another one empties.
                    cost = distances[np.arange(len(points)), new_labels]
                    cost[sizes[new_labels] < 2] = -1.0
                    new_labels[int(cost.argmax())] = j
            if labels is not None and (new_labels == labels).all():
                break
            labels = new_labels
            centres = np.array([points[labels == j].mean(axis=0) for j in range(k)])
        inertia = float(_squared_distances(points, centres)[np.arange(len(points)), labels].sum())
        # Strictly lower, so among equal solutions the first restart wins and output stays stable.
        if inertia < best_inertia - 1e-12:
            best_labels, best_inertia = cast(np.ndarray, labels).copy(), inertia
    return cast(np.ndarray, best_labels), best_inertia


def _silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    distances = np.sqrt(_squared_distances(points, points))
    clusters = np.unique(labels)
    scores = np.zeros(len(points))
    for i in range(len(points)):
        own = labels == labels[i]
        if own.sum() == 1:
            continue  # a singleton's silhouette is 0 by convention
        a = distances[i, own].sum() / (own.sum() - 1)
        b = min(distances[i, labels == c].mean() for c in clusters if c != labels[i])
        scores[i] = (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return float(scores.mean())


def _explain(matrix: np.ndarray, features: list[dict], inside: np.ndarray) -> list[dict]:
    if inside.all() or not features:
        return []
    share_in = matrix[inside].mean(axis=0)
    share_out = matrix[~inside].mean(axis=0)
    gap = share_in - share_out
    order = sorted((i for i in range(len(features)) if gap[i] > 0), key=lambda i: (-gap[i], i))
    return [
        {
            **features[i],
            "share_in": round(float(share_in[i]), 4),
            "share_out": round(float(share_out[i]), 4),
            # None rather than infinity: the feature is absent outside, and JSON has no infinity.
            "lift": round(float(share_in[i] / share_out[i]), 4) if share_out[i] > 0 else None,
        }
        for i in order[:TOP_FEATURES]
    ]


def cluster(
    definition: dict, rows: list[tuple[str, dict]], k: int | None = None, seed: int = 0
) -> dict:
    """Group rows by their choice answers with seeded k-means (k by silhouette when not given)."""
    rows = _sorted_rows(rows)
    codes = [code for code, _a in rows]
    matrix, features = _encode(definition, rows)
    distinct = len(np.unique(matrix, axis=0)) if len(rows) else 0

    def single() -> dict:
        clusters = [{"id": 1, "countries": sorted(codes), "size": len(codes), "explained_by": []}]
        return {"k": 1, "silhouette": None, "clusters": clusters if codes else []}

    if len(rows) < 3 or distinct < 2 or (k is not None and k < 2):
        return single()
    rng = np.random.default_rng(seed)
    if k is not None:
        # More clusters than distinct answer patterns would force identical rows apart.
        k = min(k, distinct)
        labels, _inertia = _kmeans(matrix, k, rng)
        score = _silhouette(matrix, labels)
    else:
        best = None
        for candidate in range(2, min(MAX_AUTO_K, len(rows) - 1, distinct) + 1):
            labels, _inertia = _kmeans(matrix, candidate, rng)
            score = _silhouette(matrix, labels)
            if best is None or score > best[0] + 1e-12:
                best = (score, candidate, labels)
        if best is None:
            return single()
        score, k, labels = best
    groups = []
    for j in range(k):
        inside = labels == j
        members = sorted(code for code, flag in zip(codes, inside, strict=True) if flag)
        groups.append((members, _explain(matrix, features, inside)))
    groups.sort(key=lambda g: (-len(g[0]), g[0][0]))
    return {
        "k": k,
        "silhouette": round(score, 4),
        "clusters": [
            {"id": i, "countries": members, "size": len(members), "explained_by": explained}
            for i, (members, explained) in enumerate(groups, start=1)
        ],
    }


def answers_by_country(
    definition: dict, rows: list[tuple[str, dict]], question_code: str
) -> list[dict]:
    """Each country's answer to one question as a value and a display label, for a map."""
    by_code = {q.code: q for q in questions(definition)}
    if question_code not in by_code:
        raise KeyError(f"unknown question {question_code!r}")
    q = by_code[question_code]
    labels = dict(_choices(q)) if q.type in CHOICE_TYPES else {}
    result = []
    for code, answers in _sorted_rows(rows):
        value = answers.get(q.code)
        if _empty(value):
            continue
        if q.type == "multiple":
            value = value if isinstance(value, list) else [value]
            label = ", ".join(labels.get(str(v), str(v)) for v in value)
        elif q.type in ("single", "scale"):
            label = labels.get(next(iter(_chosen(q, value))), str(value))
        elif q.type == "number":
            label = _fmt(value) if _float(value) is not None else str(value)
        elif q.type == "money" and isinstance(value, dict):
            amount = value.get("amount")
            amount = _fmt(amount) if _float(amount) is not None else str(amount)
            label = f"{amount} {value.get('currency') or ''}".strip()
        elif q.type == "evidence" and isinstance(value, dict):
            label = str(value.get("link", ""))
        elif isinstance(value, list):
            label = ", ".join(map(str, value))
        else:
            label = str(value)
        result.append({"code": code, "value": value, "label": label})
    return result
