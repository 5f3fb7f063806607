"""Speed of the continuity engine and of the network view (run by ``make bench``).

(a) Monte Carlo, no database: 10,000 runs x 60 months for a hub with 30 funding streams (20 of
    them uncertain) and 20 cost lines, ``engine.simulate`` end to end (payment schedules from the
    Decimal model, draws, balances, coverage, cliff distribution, fan, importance of each
    uncertain stream) against a plain NumPy reference of the same computation written here: its
    own schedules from the stream parameters, the payments as a runs x streams x months tensor,
    and the importance by recomputing every run with the stream forced on and off. Both draw from
    the same seeded generator, so their coverages must agree exactly. Peak memory of each by
    tracemalloc (NumPy reports its buffers to it), in a separate pass from the timing.

(b) The network view (``continuity:network``) over 2,000 hubs, as a ratio to ``/healthz`` with its
    query count, on the production server of ``bench/run.py`` (its ``Server``, ``Client`` and
    timing helpers). SQLite: bench/run.py's cached Europe-scale data when it is current (``make
    bench`` builds it first), else a database of its own with the 2,000 hubs and light other
    tables (``echos.site.generate`` with smaller counts; the continuity generator step gives every
    hub a model). PostgreSQL (+ Redis with ``ECHOS_BENCH_REDIS_URL``) when
    ``ECHOS_BENCH_DATABASE_URL`` is set: that database is filled once the same light way, then
    reused. The query count and the cold time come from the same page rendered in-process
    (Django's ``CaptureQueriesContext``), its cache cleared first.

``--skip-network`` runs (a) only.
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
os.environ.setdefault("ECHOS_DATA_DIR", str(ROOT / ".bench" / "data"))

from echos.continuity import engine  # noqa: E402

RUNS, MONTHS, SEED = 10_000, 60, 1
START = engine.parse_month("2027-01", "start")
BALANCE = Decimal("200000")


def bench_model() -> engine.Model:
    """30 streams and 20 cost lines over 60 months; deterministic.

    Ten committed streams start in the first year and end within three years; twenty uncertain
    ones (probability 0.2-0.9, slips of 0-3 months) start between months 6 and 36; the costs run
    from the start, so coverage falls with the horizon.
    """
    rng = np.random.default_rng(7)
    types = engine.STREAM_TYPES
    streams = []
    for i in range(30):
        period = ("month", "year", "once")[i % 3]
        amount = {"month": 2_000, "year": 24_000, "once": 30_000}[period] * (1 + i % 3)
        committed = i < 10
        start = START + int(rng.integers(0, 12) if committed else rng.integers(6, 36))
        end = start + int(rng.integers(12, 36)) if committed or i % 4 else None
        streams.append(
            engine.Stream(
                f"s{i}",
                types[i % len(types)],
                Decimal(amount),
                period,
                start,
                end,
                1.0 if committed else round(float(rng.uniform(0.2, 0.9)), 2),
                0 if committed else int(rng.integers(0, 4)),
            )
        )
    costs = [
        engine.Cost(
            f"c{i}",
            engine.COST_CATEGORIES[i % 4],
            Decimal(("3300", "19800", "44000")[i % 3]),
            ("month", "year", "once")[i % 3],
            START + (i % 12),
            None,
        )
        for i in range(20)
    ]
    return engine.Model(START, MONTHS, BALANCE, "EUR", tuple(streams), tuple(costs))


def reference_schedule(amount: float, period: str, first: int, last: int) -> np.ndarray:
    """Payments in cents per month from the parameters (same rules as the engine, own code)."""
    months = np.arange(START, START + MONTHS)
    cents = round(amount * 100)
    active = (months >= first) & (months <= last)
    if period == "once":
        return np.where(months == first, float(cents), 0.0)
    if period == "month":
        return np.where(active, float(cents), 0.0)
    monthly = float(np.round(cents / 12))
    twelfth = ((months - first) % 12) == 11
    return np.where(active, np.where(twelfth, cents - 11 * monthly, monthly), 0.0)


def reference(model: engine.Model, runs: int, seed: int, importance: bool = True) -> dict:
    """The same Monte Carlo figures, written plainly: a runs x streams x months tensor."""
    horizon_end = START + MONTHS - 1

    def sched(line, slip=0):
        last = horizon_end if line.end is None else line.end + slip
        return reference_schedule(float(line.amount), line.period, line.start + slip, last)

    certain = [s for s in model.streams if s.probability >= 1]
    uncertain = [s for s in model.streams if s.probability < 1]
    net = sum((sched(s) for s in certain), np.zeros(MONTHS)) - sum(
        (sched(c) for c in model.costs), np.zeros(MONTHS)
    )
    pay = np.array([sched(s, s.slip_months) for s in uncertain])  # k x months
    p = np.array([s.probability for s in uncertain])
    rng = np.random.default_rng(seed)
    happens = rng.random((runs, len(uncertain))) < p
    opening = float(model.balance) * 100

    def balances(h):
        income = (h[:, :, None] * pay[None, :, :]).sum(axis=1)  # runs x k x months, summed
        return opening + np.cumsum(income + net, axis=1)

    b = balances(happens)
    coverage = {m: float((b[:, :m] >= 0).all(axis=1).mean()) for m in (12, 24, 36)}
    fan = np.percentile(b, [10, 50, 90], axis=0)
    negative = b < 0
    cliffs = np.bincount(negative.argmax(axis=1)[negative.any(axis=1)], minlength=MONTHS)
    ranked = {}
    for i, s in enumerate(uncertain if importance else []):
        on, off = happens.copy(), happens.copy()
        on[:, i], off[:, i] = True, False
        ranked[s.id] = float((balances(on)[:, :24] >= 0).all(axis=1).mean()) - float(
            (balances(off)[:, :24] >= 0).all(axis=1).mean()
        )
    return {"coverage": coverage, "fan": fan, "cliffs": cliffs, "importance": ranked}


def timed(func, repeat: int) -> float:
    """Median seconds of ``repeat`` calls after one warm-up."""
    func()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return float(np.median(samples))


def peak_mib(func) -> float:
    """Peak traced allocation of one call, in MiB."""
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def monte_carlo(repeat: int) -> list[str]:
    """Part (a): the lines of the report."""
    model = bench_model()
    uncertain = sum(1 for s in model.streams if s.probability < 1)
    sim = engine.simulate(model, RUNS, SEED)
    ref = reference(model, RUNS, SEED)
    agree = all(sim.coverage[m] == ref["coverage"][m] for m in (12, 24, 36))
    importance_gap = max(abs(i.difference - ref["importance"][i.stream]) for i in sim.importance)
    baseline = engine.project(model)
    t_engine = timed(lambda: engine.simulate(model, RUNS, SEED), repeat)
    t_plain = timed(lambda: engine.simulate(model, RUNS, SEED, importance=False), repeat)
    t_ref = timed(lambda: reference(model, RUNS, SEED), repeat)
    t_ref_plain = timed(lambda: reference(model, RUNS, SEED, importance=False), repeat)
    fan_gap = max(
        float(abs(row.p50 - Decimal(repr(float(ref["fan"][1, i]) / 100))))
        for i, row in enumerate(sim.fan)
    )
    m_engine = peak_mib(lambda: engine.simulate(model, RUNS, SEED))
    m_ref = peak_mib(lambda: reference(model, RUNS, SEED))
    cov = ", ".join(f"{m} months {sim.coverage[m]:.4f}" for m in (12, 24, 36))
    ref_cov = ", ".join(f"{m} months {ref['coverage'][m]:.4f}" for m in (12, 24, 36))
    top = sim.importance[0]
    return [
        "## Continuity engine",
        "",
        f"Monte Carlo: {RUNS:,} runs × {MONTHS} months, {len(model.streams)} streams "
        f"({uncertain} uncertain) and {len(model.costs)} cost lines, seed {SEED}, median of "
        f"{repeat} after a warm-up.",
        "",
        "| computation | median s | peak MiB (tracemalloc) | ratio to reference |",
        "|---|---:|---:|---:|",
        f"| engine.simulate, with the importance of {uncertain} streams | {t_engine:.3f} | "
        f"{m_engine:.0f} | {t_engine / t_ref:.2f}× |",
        f"| plain NumPy reference, with importance (recomputed per stream) | {t_ref:.3f} | "
        f"{m_ref:.0f} | 1.00× |",
        f"| engine.simulate, importance=False | {t_plain:.3f} | | {t_plain / t_ref_plain:.2f}× |",
        f"| plain NumPy reference, without importance | {t_ref_plain:.3f} | | 1.00× |",
        "",
        f"Coverage, engine: {cov}; reference: {ref_cov} — "
        f"{'identical' if agree else 'DIFFERENT'}. Largest difference in a stream's importance: "
        f"{importance_gap:.4f}; in a month's median balance: {fan_gap:.2f} EUR. "
        f"Most important stream: {top.stream} (p = {top.probability}, "
        f"coverage at 24 months {top.coverage_with:.3f} with it, {top.coverage_without:.3f} "
        f"without). Baseline (committed only): cliff "
        f"{engine.format_month(baseline.cliff) if baseline.cliff else 'none'}, runway "
        f"{baseline.runway_months} months.",
        f"Bench process peak memory (ru_maxrss): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB.",
    ]


# Run by ``echos shell -c`` in the server's environment: the network view rendered in-process,
# its queries counted and its time taken on a cold cache (every hub projected), then warm.
QUERY_SCRIPT = """
import json, os, time
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from echos.continuity.models import FundingStream, HubModel
from echos.core.models import User
from echos.hubs.models import Hub

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username=os.environ["BENCH_USERNAME"]))
path = reverse("continuity:network")
counts, seconds = [], []
cache.clear()  # the bench's own cache: the first request computes every hub's projection
for _ in range(2):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        status = client.get(path).status_code
        seconds.append(time.perf_counter() - started)
    counts.append(len(queries))
print(json.dumps({"path": path, "status": status, "queries": counts, "seconds": seconds,
                  "hubs": Hub.objects.count(), "models": HubModel.objects.count(),
                  "streams": FundingStream.objects.count()}))
"""

# Run by ``echos shell -c``: 2,000 hubs with light other tables, for the PostgreSQL pass.
LIGHT_SCRIPT = """
from echos.site.generate import generate
print(generate(scale="europe", seed=1, organisations=5000, memberships=10000, events=1000,
               registrations=2000, consultation_answers=1000, engagement_records=2000))
"""


def shell(script: str, env: dict[str, str], timeout: float = 1800) -> str:
    """Run ``script`` with ``echos shell -c`` in ``env``; its standard output."""
    return subprocess.run(
        [sys.executable, "-m", "echos", "shell", "-c", script],
        env=env, cwd=ROOT, timeout=timeout, check=True, text=True, stdout=subprocess.PIPE,
    ).stdout  # fmt: skip


def postgres_env(run) -> dict[str, str] | None:
    """The server environment on ``ECHOS_BENCH_DATABASE_URL`` (+ ``ECHOS_BENCH_REDIS_URL``), with
    its data built once (2,000 hubs, light other tables) or reused while the generators are the
    same; None when no PostgreSQL is configured."""
    url = os.environ.get("ECHOS_BENCH_DATABASE_URL")
    if not url:
        return None
    env = {**run.server_env(), "DATABASE_URL": url}
    if os.environ.get("ECHOS_BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["ECHOS_BENCH_REDIS_URL"]
    marker = run.BENCH_DIR / "continuity-postgres.done.json"
    stamp = {"url": url, "fingerprint": run.fingerprint()}
    done = json.loads(marker.read_text()) if marker.exists() else None
    subprocess.run([sys.executable, "-m", "echos", "migrate", "--noinput", "-v0"],
                   env=env, cwd=ROOT, timeout=600, check=True)  # fmt: skip
    if done != stamp:
        run.log("building 2,000 hubs (light other tables) in PostgreSQL")
        marker.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "echos", "flush", "--noinput", "-v0"],
                       env=env, cwd=ROOT, timeout=600, check=True)  # fmt: skip
        shell(LIGHT_SCRIPT, env, timeout=3600)
        marker.write_text(json.dumps(stamp))
    return env


def measure_network(run, label: str, env: dict[str, str], args) -> list[str]:
    """Time /healthz and the network view on the production server in ``env``; table rows."""
    password = secrets.token_urlsafe(24)
    credentials = {"BENCH_USERNAME": run.COORDINATOR, "BENCH_PASSWORD": password}
    shell(run.COORDINATOR_SCRIPT, {**env, **credentials}, timeout=300)
    facts = json.loads(shell(QUERY_SCRIPT, {**env, **credentials}, timeout=600).splitlines()[-1])
    if facts["status"] != 200:
        raise RuntimeError(f"{facts['path']} answered {facts['status']} in-process")
    extra = {k: v for k, v in env.items() if run.server_env().get(k) != v}
    server = run.Server(run.free_port(), args.workers, extra, log_name="continuity-server.log")
    try:
        server.wait_ready(60)
        client, signed_in = run.Client(server), run.Client(server)
        try:
            healthz = run.time_http(client, "/healthz", args.requests, warmup=20)
            signed_in.login(run.COORDINATOR, password)
            page = run.time_http(signed_in, facts["path"], args.heavy_requests, warmup=3)
        finally:
            client.close()
            signed_in.close()
    finally:
        server.stop()
    cold, warm = facts["queries"]
    cold_ms, warm_ms = (s * 1000 for s in facts["seconds"])
    return [
        f"| {label}: GET /healthz (baseline) | {healthz['median']:.2f} | {healthz['p95']:.2f} "
        "| 1.0× | |",
        f"| {label}: GET {facts['path']} ({facts['hubs']:,} hubs, {facts['models']:,} models, "
        f"{facts['streams']:,} streams) | {page['median']:.2f} | {page['p95']:.2f} | "
        f"{page['median'] / healthz['median']:.1f}× | {warm} |",
        f"| {label}: the same in-process, cold cache (every hub projected), then warm | "
        f"{cold_ms:.0f}, {warm_ms:.0f} | | {cold_ms / healthz['median']:.0f}×, "
        f"{warm_ms / healthz['median']:.0f}× | {cold}, {warm} |",
    ]


def sqlite_env(run) -> tuple[dict[str, str], str]:
    """The server environment on SQLite: bench/run.py's Europe-scale cache when it is current,
    else a database of our own with 2,000 hubs and light other tables (built once, reused while
    the generators are the same)."""
    if run.MARKER.exists() and run.DB_PATH.exists():
        if json.loads(run.MARKER.read_text()).get("fingerprint") == run.fingerprint():
            run.echos("migrate", "--noinput", "-v0", timeout=300)
            return run.server_env(), "the Europe-scale data of bench/run.py (cached)"
    path = run.BENCH_DIR / "continuity-seed1.sqlite3"
    marker = path.with_suffix(".done.json")
    env = {**run.server_env(), "ECHOS_SQLITE_PATH": str(path)}
    stamp = {"fingerprint": run.fingerprint()}
    if not (marker.exists() and path.exists() and json.loads(marker.read_text()) == stamp):
        run.log(f"building 2,000 hubs (light other tables) into {path.relative_to(ROOT)}")
        for old in (marker, path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "echos", "migrate", "--noinput", "-v0"],
                       env=env, cwd=ROOT, timeout=600, check=True)  # fmt: skip
        shell(LIGHT_SCRIPT, env, timeout=3600)
        marker.write_text(json.dumps(stamp))
    else:
        subprocess.run([sys.executable, "-m", "echos", "migrate", "--noinput", "-v0"],
                       env=env, cwd=ROOT, timeout=600, check=True)  # fmt: skip
    return env, "2,000 hubs with light other tables (bench/run.py's Europe cache was not built)"


def network_view(args) -> list[str]:
    """Part (b): the network view against /healthz on SQLite and, if configured, PostgreSQL."""
    import importlib.util

    import run  # bench/run.py: cached Europe data, production server, HTTP client

    if importlib.util.find_spec("echos.continuity.generate") is None:
        return ["Network view: not measured — the continuity generator step is missing."]
    header = [
        f"Network view (network coordinator, signed in), production server, {args.workers} "
        f"workers; {args.requests} requests to /healthz, {args.heavy_requests} to the view "
        "(its rows are cached for ten minutes, so these are warm); then the same page "
        "in-process on the same data, its cache cleared (every hub projected and scored), "
        "then again, with Django's query count.",
        "",
        "| measurement | median ms | p95 ms | median / healthz | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    env, data = sqlite_env(run)
    pg = postgres_env(run)
    rows = []
    for label, backend in (("SQLite", env), ("PostgreSQL", pg)):
        if backend is None:
            continue
        # Collected again just before each server starts: the templates may have changed.
        run.echos("collectstatic", "--noinput", "-v0", timeout=300)
        try:
            rows += measure_network(run, label, backend, args)
        except (RuntimeError, subprocess.CalledProcessError, run.ServerDied) as exc:
            rows.append(f"| {label}: not measured — {exc} | | | | |")
    return [
        *header,
        *rows,
        "",
        f"SQLite: {data}. PostgreSQL: "
        + ("2,000 hubs with light other tables"
           + (", Redis cache." if "REDIS_URL" in pg else ".") if pg
           else "not configured (set ECHOS_BENCH_DATABASE_URL, and ECHOS_BENCH_REDIS_URL)."),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed Monte Carlo calls")
    parser.add_argument("--skip-network", action="store_true", help="run part (a) only")
    parser.add_argument("--requests", type=int, default=200, help="timed requests to /healthz")
    parser.add_argument("--heavy-requests", type=int, default=30, help="to the network view")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    import django

    django.setup()
    lines = monte_carlo(args.repeat)
    if not args.skip_network:
        lines += ["", *network_view(args)]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    (out / "continuity.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
