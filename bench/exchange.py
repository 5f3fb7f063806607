"""Speed of peer matching (run by ``make bench``).

1. Europe-wide pairing, no database: 2,000 synthetic hubs (40 national, the rest regional and
   local; levels, capacities and languages drawn with a fixed seed), end to end (validation,
   benefit matrix, exact assignment, reasons and the ``benefits`` of every candidate pair), as a
   ratio against SciPy's ``linear_sum_assignment`` alone on the same (capacity-expanded) benefit
   matrix; with the peak memory of the pairing (tracemalloc, NumPy included) and of the process.
2. The peer-suggestion page of a national hub and the Europe-wide pairing page, seen by a network
   coordinator (who may compare every hub's results: the most work), as a ratio against
   ``/healthz`` on the production server, with each page's query count, at two data sizes: the
   generator's ``small`` and ``europe`` scales. The server, the client, the cached data and the
   timing come from ``bench/run.py``.
"""

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import run  # noqa: E402 - bench/run.py: data, server, client and timing helpers

SEED = 1
NATIONAL = 40
LANGUAGES = ["de", "fr", "es", "it", "pt", "pl", "nl", "tr", "sv", "fi", "cs", "ro", "el", "hu"]
DIMENSIONS = [
    "governance",
    "representation",
    "citizen_engagement",
    "activities",
    "funding",
    "alignment",
    "communication",
    "monitoring",
]


def synthetic_hubs(n: int, seed: int = SEED) -> list[dict]:
    """``n`` hubs in 40 countries: national hubs stronger, launched ones hosting, most seeking."""
    import numpy as np

    rng = np.random.default_rng(seed)
    hubs = []
    for i in range(n):
        country = i % NATIONAL
        national = i < NATIONAL
        base = 3.2 if national else 2.4
        levels = np.clip(np.rint(rng.normal(base, 1.0, len(DIMENSIONS))), 1, 5).astype(int)
        languages = [LANGUAGES[country % len(LANGUAGES)]]
        if national or rng.random() < 0.3:
            languages.append("en")
        launched = national or rng.random() < 0.5
        hubs.append(
            {
                "id": f"{'N' if national else 'S'}{country:02d}-{i}",
                "levels": dict(zip(DIMENSIONS, levels.tolist(), strict=True)),
                "capacity": (3 if national else int(rng.integers(1, 3))) if launched else 0,
                "languages": languages,
                "seeking": bool(rng.random() < 0.8),
            }
        )
    return hubs


def pairing_speed(n: int, repeats: int) -> dict:
    """End-to-end pairing against ``linear_sum_assignment`` alone on the same matrix."""
    import django
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    django.setup()
    from echos.exchange import pairing

    data = synthetic_hubs(n)
    tracemalloc.start()
    result = pairing.pair_from_json(data)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = run.time_call(lambda: pairing.pair_from_json(data), repeats, warmup=1)
    hubs = pairing.parse_hubs(data)
    matrix = pairing.benefit_matrix(hubs)
    capacities = np.array([hubs[j].capacity for j in matrix.mentors], dtype=np.int64)
    _rows, _columns, sub = pairing.expand(matrix, capacities)
    scipy_alone = run.time_call(
        lambda: linear_sum_assignment(sub, maximize=True), repeats, warmup=1
    )
    return {
        "hubs": n,
        "seeking": len(matrix.mentees),
        "mentors": len(matrix.mentors),
        "places": int(capacities.sum()),
        "shape": sub.shape,
        "candidates": sum(len(v) for v in result["benefits"].values()),
        "pairs": len(result["pairs"]),
        "total_benefit": result["total_benefit"],
        "total": total,
        "scipy": scipy_alone,
        "traced_peak_mib": traced_peak / 2**20,
        "process_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# Run by ``echos shell -c`` on the bench database: the number of queries of each page's view,
# called directly (the session and user lookups of the middleware are not counted), with the cache
# emptied first so that the pairing is computed; and the time of computing it.
QUERIES_SCRIPT = """
import json, os, time
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from echos.core.models import User
from echos.exchange import views_matching
user = User.objects.get(username=os.environ["BENCH_USERNAME"])
hub = int(os.environ["BENCH_HUB"])
pages = {"peers": lambda r: views_matching.hub_peers(r, hub), "pairing": views_matching.europe_pairing}
out = {}
for name, view in pages.items():
    for attempt in (1, 2):
        request = RequestFactory().get("/")
        request.user = user
        cache.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            assert view(request).status_code == 200
        out[name + "_ms"] = (time.perf_counter() - started) * 1000
    out[name] = len(ctx.captured_queries)
print(json.dumps(out))
"""


def use_scale(scale: str) -> None:
    """Point bench/run.py's helpers at the cached database of ``scale``."""
    run.SCALE = scale
    run.DB_PATH = run.BENCH_DIR / f"{scale}-seed{run.SEED}.sqlite3"
    run.MARKER = run.DB_PATH.with_suffix(".done.json")


def facts() -> dict:
    """Counts, and the national hub with an assessment and the most members."""
    db = sqlite3.connect(f"file:{run.DB_PATH}?mode=ro", uri=True)
    try:
        hub_id, members = db.execute(
            "SELECT h.id, COUNT(m.id) AS n FROM hubs_hub h"
            " JOIN hubs_membership m ON m.hub_id = h.id"
            " WHERE h.level = 'national' AND h.id IN (SELECT hub_id FROM assessment_response"
            "  WHERE status = 'submitted' AND kind = 'official' AND hub_id IS NOT NULL)"
            " GROUP BY h.id ORDER BY n DESC, h.id LIMIT 1"
        ).fetchone()
        hubs = db.execute("SELECT COUNT(*) FROM hubs_hub").fetchone()[0]
        assessed = db.execute(
            "SELECT COUNT(DISTINCT hub_id) FROM assessment_response r"
            " JOIN assessment_instrument i ON i.id = r.instrument_id"
            " WHERE i.code = 'ncmh-maturity' AND r.status = 'submitted' AND r.kind = 'official'"
        ).fetchone()[0]
    finally:
        db.close()
    return {"hub_id": hub_id, "members": members, "hubs": hubs, "assessed": assessed}


def page_speed(scale: str, args: argparse.Namespace) -> dict:
    """/healthz, the peers page and the pairing page on the production server at one scale."""
    use_scale(scale)
    run.ensure_data(args.rebuild)
    run.echos("collectstatic", "--noinput", "-v0", timeout=300)
    found = facts()
    username, password = run.ensure_coordinator()
    counted = subprocess.run(
        [sys.executable, "-m", "echos", "shell", "-c", QUERIES_SCRIPT],
        env={**run.server_env(), "BENCH_USERNAME": username, "BENCH_HUB": str(found["hub_id"])},
        cwd=ROOT, timeout=600, check=True, text=True, capture_output=True,
    )  # fmt: skip
    queries = json.loads(counted.stdout.strip().splitlines()[-1])
    server = run.Server(run.free_port(), args.workers, log_name=f"exchange-{scale}.log")
    try:
        server.wait_ready(60)
        client = run.Client(server)
        try:
            healthz = run.time_http(client, "/healthz", args.requests, warmup=20)
            client.login(username, password)
            peers = run.time_http(
                client, f"/exchange/hubs/{found['hub_id']}/peers/", args.pages, warmup=3
            )
            pairing = run.time_http(client, "/exchange/pairing/", max(5, args.pages // 4), warmup=1)
        finally:
            client.close()
    finally:
        server.stop()
    return {
        "scale": scale,
        **found,
        "queries": queries,
        "healthz": healthz,
        "peers": peers,
        "pairing": pairing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5, help="timed pairings")
    parser.add_argument("--requests", type=int, default=200, help="timed requests to /healthz")
    parser.add_argument("--pages", type=int, default=40, help="timed requests to the peers page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scales", default="small,europe")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data")
    parser.add_argument("--pairing-only", action="store_true")
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
    os.environ.setdefault("ECHOS_DATA_DIR", str(run.DATA_DIR))
    run.BENCH_DIR.mkdir(exist_ok=True)
    run.log(f"pairing {args.hubs:,} synthetic hubs × {args.repeats}")
    p = pairing_speed(args.hubs, args.repeats)
    lines = [
        "## Peer matching",
        "",
        f"Europe-wide pairing of {p['hubs']:,} synthetic hubs ({NATIONAL} national; seed {SEED}): "
        f"{p['seeking']:,} seeking, {p['mentors']:,} mentors with {p['places']:,} places, "
        f"{p['candidates']:,} candidate pairs with a benefit; {p['pairs']:,} pairs, total "
        f"benefit {p['total_benefit']:,}.",
        f"End to end (validation, benefit matrix, exact assignment, reasons, every candidate's "
        f"benefit): median {p['total']['median']:.0f} ms over {p['total']['n']} runs = "
        f"{p['total']['median'] / p['scipy']['median']:.1f}× SciPy's linear_sum_assignment alone "
        f"on the same {p['shape'][0]:,} × {p['shape'][1]:,} benefit matrix "
        f"({p['scipy']['median']:.0f} ms).",
        f"Peak memory of the pairing (tracemalloc, NumPy included): {p['traced_peak_mib']:.0f} MiB;"
        f" bench process peak (ru_maxrss): {p['process_peak_mib']:.0f} MiB.",
    ]
    if not args.pairing_only:
        lines += [
            "",
            "| data | hubs (assessed) | page | queries | median ms | p95 ms | median / healthz |",
            "|---|---:|---|---:|---:|---:|---:|",
        ]
        notes: list[str] = []
        for scale in args.scales.split(","):
            run.log(f"pages at {scale} scale")
            started = time.perf_counter()
            r = page_speed(scale, args)
            run.log(f"{scale} done in {time.perf_counter() - started:.0f} s")
            base = r["healthz"]["median"]
            size = f"{r['hubs']:,} ({r['assessed']:,})"
            for label, key in (
                ("/healthz", "healthz"),
                (f"peers of a national hub ({r['members']:,} members)", "peers"),
                ("Europe-wide pairing", "pairing"),
            ):
                t = r[key]
                q = r["queries"].get(key, "")
                lines.append(
                    f"| {scale} | {size} | {label} | {q} | {t['median']:.1f} | {t['p95']:.1f} | "
                    f"{t['median'] / base:.1f}× |"
                )
            computed = r["queries"]["pairing_ms"]
            notes.append(
                f"{scale}: the pairing page is read back from the cache while nothing changed; "
                f"computing it (view alone, in-process) took {computed:.0f} ms = "
                f"{computed / base:.0f}× /healthz."
            )
        lines += [
            "",
            *notes,
            "",
            "Signed in as a network coordinator; production server (gunicorn, "
            f"{args.workers} workers, DEBUG off); queries counted on the view alone.",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    (run.BENCH_DIR / "exchange.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
