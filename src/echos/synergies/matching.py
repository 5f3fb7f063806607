"""The engine over stored initiatives and activities: cached indexes, suggestions, exclusions."""

import threading

import numpy as np
from django.db.models import Max
from django.utils.translation import gettext

from echos.core.models import Term
from echos.synergies import engine
from echos.synergies.models import Activity, Decision, Initiative

_cache: dict[str, tuple[tuple, engine.Index, list]] = {}
_lock = threading.Lock()


def ensure_vectors(objects: list) -> np.ndarray:
    """Embeddings of initiatives or activities, computing and storing the missing ones."""
    vectors = [o.get_vector() for o in objects]
    missing = [i for i, v in enumerate(vectors) if v is None]
    if missing:
        fresh = engine.embed([objects[i].matching_text() for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            objects[i].vector = vector.astype(np.float32).tobytes()
            objects[i].vector_key = objects[i].text_key()
            vectors[i] = vector
        type(objects[0]).objects.bulk_update(
            [objects[i] for i in missing], ["vector", "vector_key"], batch_size=500
        )
    return (
        np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, 512), dtype=np.float32)
    )


def _versions(obj: Initiative | Activity) -> list[tuple[str, str]]:
    """Every language version of the text but the one embedded (``matching_text``), so the
    lexical ranker reads them all (#17)."""
    embedded = obj.matching_language()
    return [(lang, text) for lang, text in obj.text_versions().items() if lang != embedded]


def initiative_doc(i: Initiative) -> engine.Doc:
    return engine.Doc.make(
        i.key,
        i.matching_text(),
        language=i.matching_language() if i.translations else None,
        objectives=[t.code for t in i.objectives.all()],
        policy_areas=[t.code for t in i.policy_areas.all()],
        versions=_versions(i) if i.translations else (),
    )


def activity_doc(a: Activity) -> engine.Doc:
    return engine.Doc.make(
        a.pk,
        a.matching_text(),
        language=a.matching_language(),
        objectives=[t.code for t in a.objectives.all()],
        policy_areas=[t.code for t in a.policy_areas.all()],
        versions=_versions(a),
    )


def _index(name: str, queryset, make_doc) -> tuple[engine.Index, list]:
    stamp = (queryset.count(), queryset.aggregate(m=Max("updated_at"))["m"])
    with _lock:
        cached = _cache.get(name)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        objects = list(queryset.prefetch_related("objectives", "policy_areas"))
        vectors = ensure_vectors(objects)
        index = engine.Index([make_doc(o) for o in objects], vectors=vectors)
        _cache[name] = (stamp, index, objects)
        return index, objects


def initiative_index() -> tuple[engine.Index, list[Initiative]]:
    """The index of every initiative (rebuilt when one changes)."""
    return _index("initiatives", Initiative.objects.all(), initiative_doc)


def activity_index() -> tuple[engine.Index, list[Activity]]:
    """The index of every hub activity (rebuilt when one changes)."""
    return _index("activities", Activity.objects.select_related("hub"), activity_doc)


def why_labels(rows: list[dict]) -> None:
    """Add ``why_labels``: shared concepts, objectives and policy areas in the active language.

    ``why`` keeps the codes (the API returns them); pages show these labels instead.
    """
    codes = {c for r in rows for c in [*r["why"]["objectives"], *r["why"]["policy_areas"]]}
    terms = Term.objects.filter(
        vocabulary__in=[Term.Vocabulary.OBJECTIVES, Term.Vocabulary.POLICY_AREAS], code__in=codes
    )
    label = {(t.vocabulary, t.code): t.display for t in terms}
    for r in rows:
        r["why_labels"] = {
            # Concept labels are English in the lexicon; concept_labels.py marks them for translation.
            "concepts": [gettext(c) for c in r["why"]["concepts"]],
            "objectives": [
                label.get((Term.Vocabulary.OBJECTIVES, c), c) for c in r["why"]["objectives"]
            ],
            "policy_areas": [
                label.get((Term.Vocabulary.POLICY_AREAS, c), c) for c in r["why"]["policy_areas"]
            ],
        }


def suggestions(activity: Activity, *, top: int = 10, mode: str = engine.DEFAULT_MODE) -> dict:
    """Ranked initiatives and other hubs' activities for one activity, minus what the hub rejected."""
    hub = activity.hub
    rejected = Decision.objects.filter(
        hub=hub, activity=activity, verdict=Decision.Verdict.REJECTED
    )
    decided = Decision.objects.filter(hub=hub, activity=activity)
    query = activity_doc(activity)
    vector = ensure_vectors([activity])

    index, initiatives = initiative_index()
    by_key = {i.key: i for i in initiatives}
    skip = {i.key for i in Initiative.objects.filter(pk__in=rejected.values("initiative_id"))}
    [result] = engine.match(
        [query], index, top=top, mode=mode, exclude={query.id: skip}, query_vectors=vector
    )
    verdicts = {d.initiative_id: d.verdict for d in decided if d.initiative_id}
    initiative_rows = [
        {
            **m,
            "object": by_key[m["initiative"]],
            "verdict": verdicts.get(by_key[m["initiative"]].pk),
        }
        for m in result["matches"]
    ]

    aindex, activities = activity_index()
    by_id = {str(a.pk): a for a in activities}
    own = {str(a.pk) for a in activities if a.hub_id == hub.pk}
    skip = own | {str(pk) for pk in rejected.values_list("other_activity_id", flat=True) if pk}
    [related] = engine.match(
        [query], aindex, top=top, mode=mode, exclude={query.id: skip}, query_vectors=vector
    )
    verdicts = {d.other_activity_id: d.verdict for d in decided if d.other_activity_id}
    activity_rows = [
        {**m, "object": by_id[m["initiative"]], "verdict": verdicts.get(int(m["initiative"]))}
        for m in related["matches"]
    ]
    why_labels(initiative_rows + activity_rows)
    return {
        "initiatives": initiative_rows,
        "activities": activity_rows,
        "truncated": query.truncated,
    }


def hub_suggestions(hub, *, top: int = 10) -> list[dict]:
    """Initiatives related to a hub as a whole: best score over its activities, with the activity."""
    best: dict[str, dict] = {}
    for activity in hub.activities.all()[:200]:
        for row in suggestions(activity, top=top)["initiatives"]:
            key = row["initiative"]
            if key not in best or row["score"] > best[key]["score"]:
                best[key] = {**row, "activity": activity}
    return sorted(best.values(), key=lambda r: -r["score"])[:top]
