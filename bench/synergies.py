"""Quality and speed of the synergy engine (run by ``make bench``; no database needed).

Quality: recall@5 and MRR of the lexical, semantic and combined rankers on the two labelled sets
(written before tuning, never edited to fit): activities → initiatives
(``src/echos/synergies/data/evaluation.json``, overall and per kind: direct, paraphrase,
translation) and activities → other hubs' activities (``data/activity_evaluation.json``).

Speed: 10,000 activities × 2,000 initiatives, top 10 each, end to end (embedding included), with
peak memory; and the ranking step alone as a ratio against a brute-force NumPy matrix product on
the same vectors, measured in the same run.
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
os.environ.setdefault("ECHOS_DATA_DIR", str(ROOT / ".bench" / "data"))

import numpy as np  # noqa: E402

from echos.synergies import batch, engine, evaluation  # noqa: E402

DATA = ROOT / "src" / "echos" / "synergies" / "data"


def quality() -> list[tuple[str, str, str, float, float, int]]:
    """(set, mode, kind, recall@5, MRR, n) rows over both labelled sets (see synergies/evaluation.py)."""
    return [
        (name, s.mode, s.kind, s.recall, s.mrr, s.n)
        for name, scores in (
            ("initiatives", evaluation.initiative_quality()),
            ("activities", evaluation.activity_quality()),
        )
        for s in scores
    ]


def speed(n_activities: int, n_initiatives: int, top: int = 10) -> dict:
    """End-to-end time and memory at scale, and ranking against a NumPy matrix product."""
    rng = random.Random(1)
    labelled = json.loads((DATA / "evaluation.json").read_text(encoding="utf-8"))["activities"]
    catalogue = json.loads((DATA / "initiatives.json").read_text(encoding="utf-8"))["initiatives"]
    sentences = [
        s.strip() for a in labelled for s in a["description"].split(".") if len(s.strip()) > 20
    ]
    isentences = [
        s.strip() for i in catalogue for s in i["description"].split(".") if len(s.strip()) > 20
    ]
    # Synthetic but realistic texts: recombined sentences of the real corpus, deterministic for the seed.
    activities = [
        {
            "id": f"a{i}",
            "title": rng.choice(labelled)["title"],
            "description": ". ".join(rng.sample(sentences, 3)),
        }
        for i in range(n_activities)
    ]
    initiatives = [
        {
            "id": f"i{i}",
            "name": rng.choice(catalogue)["name"],
            "description": ". ".join(rng.sample(isentences, 4)),
        }
        for i in range(n_initiatives)
    ]
    start = time.perf_counter()
    queries = batch.activities(activities)
    index = engine.Index(batch.initiatives(initiatives))
    qv = engine.embed([q.text for q in queries])
    embedded = time.perf_counter()
    results = engine.match(queries, index, top=top, query_vectors=qv, explain=True)
    end = time.perf_counter()
    assert len(results) == n_activities and all(len(r["matches"]) == top for r in results)

    # The ranking step alone (semantic scores + top-k) against the brute-force product on the same vectors.
    t0 = time.perf_counter()
    engine.match(queries, index, top=top, mode="semantic", query_vectors=qv, explain=False)
    ranking = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in range(0, len(qv), 512):
        product = qv[s : s + 512] @ index.vectors.T
        np.argsort(-product, axis=1)[:, :top]
    brute = time.perf_counter() - t0
    return {
        "activities": n_activities,
        "initiatives": n_initiatives,
        "embed_index_s": embedded - start,
        "match_s": end - embedded,
        "total_s": end - start,
        "ranking_s": ranking,
        "numpy_s": brute,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--initiatives", type=int, default=2_000)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    lines = [
        "## Synergy engine",
        "",
        "| suggesting | ranker | queries | recall@5 | MRR | n |",
        "|---|---|---|---:|---:|---:|",
    ]
    for name, mode, kind, recall, mrr, n in quality():
        lines.append(f"| {name} | {mode} | {kind} | {recall:.3f} | {mrr:.3f} | {n} |")
    if not args.quality_only:
        s = speed(args.activities, args.initiatives)
        lines += [
            "",
            f"{s['activities']:,} activities × {s['initiatives']:,} initiatives, top 10, combined ranker, 2 threads: "
            f"{s['total_s']:.1f} s end to end ({s['embed_index_s']:.1f} s embedding and indexing, "
            f"{s['match_s']:.1f} s matching with explanations); peak memory {s['peak_mib']:.0f} MiB.",
            f"Ranking step alone (semantic scores + top 10): {s['ranking_s']:.2f} s = "
            f"{s['ranking_s'] / s['numpy_s']:.2f}× a brute-force NumPy matrix product + argsort on the same vectors "
            f"({s['numpy_s']:.2f} s).",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    (out / "synergies.md").write_text(text)


if __name__ == "__main__":
    main()
