"""Quality of the synergy engine on its two labelled sets: recall@5 and mean reciprocal rank.

- ``data/evaluation.json``: invented hub activities → the initiatives of the catalogue judged
  relevant (kinds: direct, paraphrase, translation);
- ``data/activity_evaluation.json``: invented hub activities → the other hubs' activities of the
  same set judged relevant, ranked against the whole set minus the query's own hub, as on the
  platform.

Both sets were written before tuning and are never edited to fit. Used by ``make bench``
(bench/synergies.py) and by a unit test that keeps the figures above a floor. No database.
"""

import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from echos.synergies import batch, engine

CUTOFF = 5


@dataclass(frozen=True)
class Score:
    """Recall@5 and MRR over ``n`` queries of one kind."""

    mode: str
    kind: str
    recall: float
    mrr: float
    n: int


def _read(name: str) -> dict:
    return json.loads((engine.DATA / name).read_text(encoding="utf-8"))


def catalogue_items() -> list[dict]:
    """The shipped initiatives as batch items (name, acronym and description, no tags)."""
    return [
        {
            "id": i["key"],
            "name": i["name"],
            "acronym": i.get("acronym", ""),
            "description": i["description"],
        }
        for i in _read("initiatives.json")["initiatives"]
    ]


def initiative_set() -> list[dict]:
    """The labelled activity → initiatives set."""
    return _read("evaluation.json")["activities"]


def activity_set() -> list[dict]:
    """The labelled activity → activities set."""
    return _read("activity_evaluation.json")["activities"]


def activity_docs(items: list[dict]) -> list[engine.Doc]:
    """Documents of labelled activities, with their objectives and policy areas when given."""
    return [
        engine.Doc.make(
            a["id"],
            a["title"],
            a["description"],
            language=a.get("language"),
            objectives=a.get("objectives", ()),
            policy_areas=a.get("policy_areas", ()),
        )
        for a in items
    ]


def rank_metrics(ranking: list[str], relevant: set[str]) -> tuple[float, float]:
    """Recall at ``CUTOFF`` and reciprocal rank of the first relevant item of one ranking."""
    recall = len(relevant & set(ranking[:CUTOFF])) / len(relevant)
    first = next((i for i, key in enumerate(ranking, start=1) if key in relevant), None)
    return recall, (1 / first if first else 0.0)


def _scores(mode: str, results: list[dict], relevant: dict, kinds: dict) -> list[Score]:
    per_kind: dict[str, list[tuple[float, float]]] = {}
    for r in results:
        values = rank_metrics([m["initiative"] for m in r["matches"]], set(relevant[r["activity"]]))
        for kind in dict.fromkeys(("all", kinds[r["activity"]])):
            per_kind.setdefault(kind, []).append(values)
    return [
        Score(
            mode,
            kind,
            float(np.mean([v[0] for v in values])),
            float(np.mean([v[1] for v in values])),
            len(values),
        )
        for kind, values in per_kind.items()
    ]


@cache
def _vectors(which: str) -> np.ndarray:
    items = initiative_set() if which == "initiatives" else activity_set()
    return engine.embed([d.text for d in activity_docs(items)])


def initiative_quality(modes: tuple[str, ...] = engine.MODES) -> list[Score]:
    """Activity → initiative ranking on ``evaluation.json``, overall and per kind."""
    items = initiative_set()
    queries = batch.activities(
        [{k: a[k] for k in ("id", "title", "description", "language")} for a in items]
    )
    index = engine.Index(batch.initiatives(catalogue_items()), need_vectors=modes != ("lexical",))
    relevant = {a["id"]: a["relevant"] for a in items}
    kinds = {a["id"]: a["kind"] for a in items}
    rows = []
    for mode in modes:
        results = engine.match(
            queries,
            index,
            top=len(index.targets),
            mode=mode,
            query_vectors=None if mode == "lexical" else _vectors("initiatives"),
            explain=False,
        )
        rows += _scores(mode, results, relevant, kinds)
    order = {"all": 0, "direct": 1, "paraphrase": 2, "translation": 3}
    return sorted(rows, key=lambda s: (modes.index(s.mode), order.get(s.kind, 9)))


def activity_quality(modes: tuple[str, ...] = engine.MODES) -> list[Score]:
    """Activity → other hubs' activities on ``activity_evaluation.json`` (own hub excluded)."""
    items = activity_set()
    docs = activity_docs(items)
    vectors = None if modes == ("lexical",) else _vectors("activities")
    index = engine.Index(docs, vectors=vectors, need_vectors=vectors is not None)
    hub_of = {a["id"]: a["hub"] for a in items}
    exclude = {a["id"]: {b["id"] for b in items if b["hub"] == a["hub"]} for a in items}
    relevant = {a["id"]: a["relevant"] for a in items}
    if any(hub_of[r] == hub_of[a] for a, rs in relevant.items() for r in rs):
        raise ValueError("activity_evaluation.json: a relevant activity of the query's own hub")
    rows = []
    for mode in modes:
        results = engine.match(
            docs,
            index,
            top=len(docs),
            mode=mode,
            exclude=exclude,
            query_vectors=vectors,
            explain=False,
        )
        rows += _scores(mode, results, relevant, {a["id"]: "all" for a in items})
    return rows
