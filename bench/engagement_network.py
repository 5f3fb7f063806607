"""Speed of the engagement network map (run by ``make bench``).

(a) No database: the figures of the whole network's graph at Europe scale — 2,000 hubs, 50,000
    organisations, 150,000 memberships, 200,000 organisation–hub engagement ties (a period's records
    folded, as the map does above ``graph.MAX_RECORD_NODES``) and 5,000 relationships, built with a
    fixed seed — and of one big hub's graph (5,000 stakeholders). For each: building the graph,
    betweenness (sampled sources as sparse matrix products), communities (label propagation above
    ``graph.LOUVAIN_MAX_NODES``, Louvain below), the whole ``measure``, the GEXF export; median
    seconds and peak memory by tracemalloc (NumPy and SciPy report their buffers to it), each in
    its own pass. A reference row times networkx's own ``betweenness_centrality`` from 4 sources
    on the same graph, so the ratio says what the sparse version saves.

(b) The pages, in-process on bench/run.py's cached Europe-scale data when it is current, else on
    the 2,000-hub database bench/continuity.py builds (its ``sqlite_env``): ``/healthz``, the map
    of the hub with the most records, and the whole network's map, through Django's test client,
    with their query counts, in both states of a selection over ``ECHOS_NETWORK_INLINE_MAX_NODES``:
    first "being computed" (the request only queues a job), then — after the queued jobs ran in a
    process of their own (time, peak resident memory) — answered from the stored result, with the
    API's first page and the GEXF file streamed from the data directory.

``--skip-pages`` runs (a) only, ``--pages-only`` (b) only.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
os.environ.setdefault("ECHOS_DATA_DIR", str(ROOT / ".bench" / "data"))

import networkx as nx  # noqa: E402

from echos.engagement import graph  # noqa: E402

SEED = 1


def europe(hubs=2_000, orgs=50_000, memberships=150_000, ties=200_000, relationships=5_000):
    """A deterministic Europe-scale selection, as ``network_views.selection`` would give it."""
    rng = random.Random(SEED)
    countries = [f"C{i:02d}" for i in range(40)]
    data = graph.GraphInput(folded=True)
    for h in range(hubs):
        data.hubs[h] = graph.HubRow(
            h, f"Hub {h}", countries[h % 40], "national" if h < 40 else "local"
        )
    for o in range(orgs):
        data.orgs[o] = graph.OrgRow(o, f"Organisation {o}", countries[o % 40], "research")

    def hub_near(o: int) -> int:  # most ties stay in the organisation's country
        country = o % 40
        if rng.random() < 0.9:
            return country + 40 * rng.randrange(hubs // 40)
        return rng.randrange(hubs)

    data.memberships = [(o, hub_near(o)) for o in (rng.randrange(orgs) for _ in range(memberships))]
    data.engagements = [
        (o, hub_near(o), rng.randint(1, 20)) for o in (rng.randrange(orgs) for _ in range(ties))
    ]
    data.relationships = [
        (rng.randrange(orgs), rng.randrange(orgs), "partners_with") for _ in range(relationships)
    ]
    return data


def one_hub(stakeholders=5_000):
    """One hub with 5,000 organisations, most engaged through folded records."""
    rng = random.Random(SEED)
    data = graph.GraphInput(folded=True)
    data.hubs[0] = graph.HubRow(0, "Big hub", "PL", "national")
    for extra in range(1, 30):
        data.hubs[extra] = graph.HubRow(extra, f"Other hub {extra}", f"C{extra}", "national")
    for o in range(stakeholders):
        data.orgs[o] = graph.OrgRow(o, f"Organisation {o}", "PL", "research")
    data.memberships = [(o, 0) for o in range(0, stakeholders, 3)]
    data.memberships += [(rng.randrange(stakeholders), rng.randrange(1, 30)) for _ in range(800)]
    data.engagements = [
        (o, 0, rng.randint(1, 80)) for o in range(stakeholders) if rng.random() < 0.8
    ]
    data.relationships = [
        (rng.randrange(stakeholders), rng.randrange(stakeholders), "funds") for _ in range(2_000)
    ]
    return data


def timed(func, repeat: int) -> float:
    """Median seconds of ``repeat`` calls (no warm-up: nothing is cached between calls)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return sorted(samples)[len(samples) // 2]


def peak_mib(func) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def figures(repeat: int) -> list[str]:
    """Part (a): the lines of the report."""
    lines = [
        "## Engagement network map",
        "",
        f"Figures of a graph, no database; median of {repeat}, peak memory by tracemalloc in a "
        "separate pass.",
        "",
        "| graph | step | median s | peak MiB |",
        "|---|---|---:|---:|",
    ]
    for name, data in (
        ("whole network, Europe scale", europe()),
        ("one hub, 5,000 stakeholders", one_hub()),
    ):
        lines += one_graph(name, data, repeat)
    return lines


def one_graph(name: str, data: graph.GraphInput, repeat: int) -> list[str]:
    """The table rows of one graph."""
    g = graph.build_graph(data)
    label = f"{name} ({g.number_of_nodes():,} nodes, {g.number_of_edges():,} ties)"
    m = graph.measure(g)
    steps = [
        ("build the graph", lambda: graph.build_graph(data)),
        ("betweenness", lambda: graph.betweenness_of(g)),
        ("communities", lambda: graph.communities_of(g)),
        ("measure (all figures and findings)", lambda: graph.measure(g)),
        ("GEXF export", lambda: graph.export(g, m, "gexf")),
    ]
    lines = [
        f"| {label} | {step} | {timed(f, repeat):.2f} | {peak_mib(f):.0f} |" for step, f in steps
    ]
    sources = 4
    ref = timed(lambda: nx.betweenness_centrality(g, k=sources, seed=graph.SEED), 1)
    ours = timed(lambda: graph.sampled_betweenness(g, sources), 1)
    lines.append(
        f"| {label} | reference: networkx betweenness from {sources} sources / ours from the "
        f"same {sources} | {ref:.2f} / {ours:.2f} | |"
    )
    lines.append(
        f"| {label} | findings | {m.communities:,} communities, {len(m.brokers)} brokers, "
        f"{len(m.bridges):,} cross-country bridges, exact betweenness: {m.exact_betweenness} | |"
    )
    return lines


# Run by ``echos shell -c`` in three processes (PHASE = first, job, stored), tasks queued but not
# run (ECHOS_TASKS_IMMEDIATE=0, no worker): the maps' first requests (inline, or "being computed"
# and one job queued), the queued jobs as the worker runs them, then the pages, the API and the
# export answered from the stored results.
PAGE_SCRIPT = """
import json, resource, time
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from echos.engagement import network_store
from echos.engagement.models import EngagementRecord, NetworkResult
from echos.hubs.models import Hub

PHASE = "%s"
client = Client(HTTP_HOST="127.0.0.1")
top = (EngagementRecord.objects.values("hub_id").annotate(n=Count("id")).order_by("-n").first()
       or {"hub_id": Hub.objects.order_by("pk").values_list("pk", flat=True).first(), "n": 0})
paths = {"healthz": "/healthz", "hub": reverse("engagement:network_hub", args=[top["hub_id"]]),
         "network": reverse("engagement:network"),
         "api": "/api/v1/engagement-network?limit=1000",
         "export": reverse("engagement:network_export", args=["gexf"])}
out = {"records": EngagementRecord.objects.count(), "hub_records": top["n"],
       "limit": network_store.inline_max_nodes()}

def get(name):
    with CaptureQueriesContext(connection) as q:
        started = time.perf_counter()
        r = client.get(paths[name])
        size = sum(len(c) for c in r.streaming_content) if r.streaming else len(r.content)
        seconds = time.perf_counter() - started
    body = b"" if r.streaming else r.content
    state = ("being computed" if b'id="network-pending"' in body or r.status_code in (202, 503)
             else "stored" if b'id="network-stored"' in body
             or b'"computed_at":"' in body.replace(b" ", b"")
             or r.streaming else "inline")
    return {"path": paths[name], "status": r.status_code, "seconds": seconds, "queries": len(q),
            "state": state, "bytes": size}

def series(name, n):
    runs = [get(name) for _ in range(n)]
    rest = sorted(r["seconds"] for r in runs[1:] or runs)
    return {**runs[-1], "first": runs[0]["seconds"], "median": rest[len(rest) // 2]}

if PHASE == "first":
    NetworkResult.objects.all().delete()
    out["healthz"] = series("healthz", 50)
    for name in ("hub", "network"):
        out[name] = series(name, 3)
    out["queued"] = NetworkResult.objects.filter(queued_at__isnull=False).count()
elif PHASE == "job":
    jobs = []
    for row in NetworkResult.objects.filter(queued_at__isnull=False).select_related("hub"):
        started = time.perf_counter()
        network_store.compute(row.key)
        row.refresh_from_db()
        jobs.append({"scope": row.hub.name_en if row.hub else "whole network", "nodes": row.nodes,
                     "seconds": time.perf_counter() - started})
    out["jobs"] = jobs
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
else:
    out["healthz"] = series("healthz", 50)
    for name, n in (("hub", 5), ("network", 5), ("api", 3), ("export", 2)):
        out[name] = series(name, n)
print(json.dumps(out))
"""


def pages() -> list[str]:
    """Part (b): the maps against /healthz, in-process, in their two states."""
    sys.path.insert(0, str(ROOT / "bench"))
    import continuity  # lazy: bench/continuity.py (its 2,000-hub database), on sys.path just now
    import run  # lazy: bench/run.py (cached Europe-scale data), on sys.path just now

    env, data = continuity.sqlite_env(run)
    env = {**env, "ECHOS_TASKS_IMMEDIATE": "0"}
    run.echos("collectstatic", "--noinput", "-v0", timeout=300)  # pages render with DEBUG off
    facts = {}
    for phase in ("first", "job", "stored"):
        result = subprocess.run(
            [sys.executable, "-m", "echos", "shell", "-c", PAGE_SCRIPT % phase],
            env=env, cwd=ROOT, timeout=3600, check=True, text=True, stdout=subprocess.PIPE,
        )  # fmt: skip
        facts[phase] = json.loads(result.stdout.splitlines()[-1])
    first, job, stored = facts["first"], facts["job"], facts["stored"]
    lines = [
        f"Pages in-process (Django test client), on {data}: {first['records']:,} engagement "
        f"records; the hub with the most has {first['hub_records']:,}. Selections over "
        f"{first['limit']:,} nodes (ECHOS_NETWORK_INLINE_MAX_NODES) are computed by the worker; "
        f"the first request queued {first['queued']} job(s).",
        "",
        "| request | state | status | first ms | median ms | median / healthz | queries |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]

    def row(f: dict, base: float) -> str:
        return (
            f"| GET {f['path']} | {f['state']} | {f['status']} | {f['first'] * 1000:.0f} "
            f"| {f['median'] * 1000:.1f} | {f['median'] / base:.0f}× | {f['queries']} |"
        )

    for name in ("healthz", "hub", "network"):
        lines.append(row(first[name], first["healthz"]["median"]))
    for name in ("hub", "network", "api", "export"):
        lines.append(row(stored[name], stored["healthz"]["median"]))
    lines += [
        "",
        f"Background jobs (one process; peak resident memory of that process "
        f"{job['peak_rss_mib']:,.0f} MiB, Django included):",
        "",
        "| job | nodes | seconds |",
        "|---|---:|---:|",
        *(f"| {j['scope']} | {j['nodes']:,} | {j['seconds']:.1f} |" for j in job["jobs"]),
        "",
        f"The stored GEXF file of the whole network is {stored['export']['bytes'] / 2**20:,.0f} "
        "MiB, streamed from the data directory.",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pages", action="store_true", help="run part (a) only")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="run part (b) only (written to .bench/engagement_network_pages.md)",
    )
    args = parser.parse_args()
    import django  # lazy: after the settings module is chosen above

    django.setup()
    lines = [] if args.pages_only else figures(args.repeat)
    if not args.skip_pages:
        try:
            lines += ["", *pages()]
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            lines += ["", f"Pages: not measured — {exc}"]
    lines.append(f"\nMeasured on {date.today().isoformat()}.")
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    name = "engagement_network_pages.md" if args.pages_only else "engagement_network.md"
    (out / name).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
