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
    of the hub with the most records, and the whole network's map, through Django's test client in
    one ``echos shell`` process, with their query counts; the first map request computes the
    figures, the next ones read them from the cache (keyed by a digest of the graph).

``--skip-pages`` runs (a) only.
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


# Run by ``echos shell -c``: /healthz and the network maps in-process, with query counts.
PAGE_SCRIPT = """
import json, time
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from echos.engagement.models import EngagementRecord
from echos.hubs.models import Hub

client = Client(HTTP_HOST="127.0.0.1")
top = (EngagementRecord.objects.values("hub_id").annotate(n=Count("id")).order_by("-n").first()
       or {"hub_id": Hub.objects.order_by("pk").values_list("pk", flat=True).first(), "n": 0})
out = {"records": EngagementRecord.objects.count(), "hub_records": top["n"]}
for name, path, n in [("healthz", "/healthz", 50),
                      ("hub", reverse("engagement:network_hub", args=[top["hub_id"]]), 5),
                      ("network", reverse("engagement:network"), 3)]:
    seconds, queries = [], 0
    for i in range(n):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            status = client.get(path).status_code
            seconds.append(time.perf_counter() - started)
        queries = len(q)
    out[name] = {"path": path, "status": status, "first": seconds[0],
                 "median": sorted(seconds[1:] or seconds)[len(seconds[1:] or seconds) // 2],
                 "queries": queries}
print(json.dumps(out))
"""


def pages() -> list[str]:
    """Part (b): the pages against /healthz, in-process."""
    sys.path.insert(0, str(ROOT / "bench"))
    import continuity  # lazy: bench/continuity.py (its 2,000-hub database), on sys.path just now
    import run  # lazy: bench/run.py (cached Europe-scale data), on sys.path just now

    env, data = continuity.sqlite_env(run)
    result = subprocess.run(
        [sys.executable, "-m", "echos", "shell", "-c", PAGE_SCRIPT],
        env=env, cwd=ROOT, timeout=3600, check=True, text=True, stdout=subprocess.PIPE,
    )  # fmt: skip
    facts = json.loads(result.stdout.splitlines()[-1])
    base = facts["healthz"]["median"]
    lines = [
        f"Pages in-process (Django test client, one process), on {data}: "
        f"{facts['records']:,} engagement records; the hub with the most has {facts['hub_records']:,}.",
        "",
        "| page | status | first request ms | next requests, median ms | median / healthz | queries |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in ("healthz", "hub", "network"):
        f = facts[key]
        lines.append(
            f"| GET {f['path']} | {f['status']} | {f['first'] * 1000:.0f} | {f['median'] * 1000:.1f} "
            f"| {f['median'] / base:.0f}× | {f['queries']} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pages", action="store_true", help="run part (a) only")
    args = parser.parse_args()
    import django  # lazy: after the settings module is chosen above

    django.setup()
    lines = figures(args.repeat)
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
    (out / "engagement_network.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
