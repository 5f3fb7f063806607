"""Speed of the library's full-text search and text extraction (run by ``make bench``).

1. Search over 20,000 synthetic resources with extracted text (the library's generator step,
   ``echos.library.generate``, seed 1: recombined sentences of the demo texts in ten languages),
   on SQLite (FTS5) and on PostgreSQL (GIN ``tsvector``; Redis as cache when it answers): the
   median time of the search page and of the search API as a ratio against ``/healthz`` on the
   production server, with each URL's query count and number of hits (the same on both databases).
   The server, the client and the timing come from ``bench/run.py``. Each database is built once
   and reused while the generator and its texts are unchanged (``--rebuild`` forces it).
2. Extraction: a 200-page PDF written with fpdf2 (the shipped DejaVu font, text in ten
   languages), read by ``echos.library.text.extract_text``: pages and characters per second and
   the peak memory of the extraction (tracemalloc).

The result goes to stdout and ``.bench/library.md``.
"""

import argparse
import hashlib
import io
import json
import os
import random
import resource
import socket
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import run  # noqa: E402 - bench/run.py: server, client and timing helpers

LIBRARY = ROOT / "src" / "echos" / "library"
INPUTS = [
    LIBRARY / "generate.py",
    LIBRARY / "data" / "demo_resources.json",
    LIBRARY / "index.py",
    LIBRARY / "text.py",
    *sorted((LIBRARY / "migrations").glob("0*.py")),
]
SEED = 1
PG_SERVER = os.getenv("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "echos_bench_library"
REDIS = os.getenv("BENCH_REDIS", "redis://127.0.0.1:6379/14")
# (label, query string): a word in nearly every resource, accent-free words of two languages,
# two words together, and a language filter.
SEARCHES = [
    ("common word (\u2248 all rows)", {"q": "hub"}),
    ("saude (finds saúde)", {"q": "saude"}),
    ("two words", {"q": "patients citizens"}),
    ("zdrowie, language=pl", {"q": "zdrowie", "language": "pl"}),
]

# Run inside a subprocess on the bench database (``--inside``): build it when asked, then count
# each URL's queries and hits through Django's test client (the server cannot report them).
INSIDE_DOC = "build (when BENCH_BUILD=1) and count queries; prints one JSON line"


def inside(count: int) -> None:
    """Build the data when asked, then print the query count and hits of every timed URL."""
    import django

    django.setup()
    from types import SimpleNamespace

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from echos.core.reference import load_reference
    from echos.hubs.generate import Context
    from echos.library import generate
    from echos.library.models import Resource

    facts: dict = {}
    if os.environ.get("BENCH_BUILD") == "1":
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        load_reference()
        ctx = Context(
            seed=SEED,
            scale=SimpleNamespace(resources=count),
            batch=2000,
            progress=lambda label, done, total: None,
        )
        with transaction.atomic():
            generate.generate_resources(ctx)
        facts["build_s"] = round(time.perf_counter() - started, 1)
    facts["resources"] = Resource.objects.count()
    facts["public"] = Resource.objects.public().count()
    facts["vendor"] = connection.vendor
    client = Client(HTTP_HOST="127.0.0.1")
    facts["urls"] = {}
    for path in urls():
        client.get(path)  # warm the caches a first request fills
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        hits = response.json()["count"] if path.startswith("/api/") else None
        facts["urls"][path] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "hits": hits,
        }
    print(json.dumps(facts))


def urls() -> list[str]:
    """The timed URLs: each search as the page and as the API."""
    paths = []
    for _label, params in SEARCHES:
        paths.append(f"/library/?{urlencode(params)}")
        paths.append(f"/api/v1/resources?{urlencode({**params, 'limit': 20})}")
    return paths


def fingerprint(count: int) -> str:
    digest = hashlib.sha256(f"{count}:{SEED}".encode())
    for path in INPUTS:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_env(vendor: str, count: int) -> dict[str, str]:
    """What the server and the inside process need to use this vendor's bench database."""
    if vendor == "sqlite":
        return {"ECHOS_SQLITE_PATH": str(run.BENCH_DIR / f"library-{count}-seed{SEED}.sqlite3")}
    env = {"DATABASE_URL": f"{PG_SERVER}/{PG_NAME}"}
    if redis_up():
        env["REDIS_URL"] = REDIS
    return env


def reset_database(vendor: str, env: dict[str, str]) -> None:
    """Start from an empty database (SQLite file removed; PostgreSQL database recreated)."""
    if vendor == "sqlite":
        path = Path(env["ECHOS_SQLITE_PATH"])
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def prepare(vendor: str, count: int, rebuild: bool) -> dict:
    """Build (or reuse) the vendor's database and read its facts and query counts."""
    env = database_env(vendor, count)
    marker = run.BENCH_DIR / f"library-{vendor}.done.json"
    stale = rebuild or not marker.exists()
    if not stale:
        stale = json.loads(marker.read_text()).get("fingerprint") != fingerprint(count)
    if stale:
        run.log(f"{vendor}: building {count:,} resources")
        marker.unlink(missing_ok=True)
        reset_database(vendor, env)
    else:
        run.log(f"{vendor}: reusing the database built before")
    child_env = {
        **run.server_env(),
        **env,
        "DJANGO_SETTINGS_MODULE": "echos.settings",
        "BENCH_BUILD": "1" if stale else "0",
    }
    child_env.pop("REDIS_URL", None)  # the build runs its tasks in-process
    result = subprocess.run(
        [sys.executable, __file__, "--inside", "--count", str(count)],
        env=child_env, cwd=ROOT, timeout=3600, check=True, text=True, stdout=subprocess.PIPE,
    )  # fmt: skip
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    if stale:
        marker.write_text(json.dumps({"fingerprint": fingerprint(count), **facts}, indent=1))
    else:
        facts["build_s"] = json.loads(marker.read_text()).get("build_s")
    facts["env"] = env
    return facts


def time_pages(vendor: str, facts: dict, args: argparse.Namespace) -> list[tuple[str, dict]]:
    """Start the production server on the vendor's database and time /healthz and the searches."""
    server = run.Server(
        run.free_port(), args.workers, extra_env=facts["env"], log_name=f"library-{vendor}.log"
    )
    try:
        server.wait_ready(60)
        client = run.Client(server)
        try:
            rows = [
                ("GET /healthz (baseline)", run.time_http(client, "/healthz", args.requests, 20))
            ]
            for path in urls():
                run.log(f"{vendor}: timing {path} × {args.searches}")
                rows.append((f"GET {path}", run.time_http(client, path, args.searches, 3)))
        finally:
            client.close()
    finally:
        server.stop()
    return rows


def big_pdf(pages: int) -> tuple[bytes, int]:
    """A PDF of ``pages`` pages of the demo sentences in ten languages; its exact page count."""
    from fpdf import FPDF

    from echos.library.demo_documents import _font_paths
    from echos.library.generate import sentences_by_language

    rng = random.Random(SEED)
    sentences = [s for pool in sentences_by_language().values() for s in pool]
    regular, bold = _font_paths()
    document = FPDF(format="A4")
    document.add_font("DejaVu", "", regular)
    document.add_font("DejaVu", "B", bold)
    document.set_auto_page_break(auto=False)
    for number in range(1, pages + 1):
        document.add_page()
        document.set_font("DejaVu", "B", 13)
        document.cell(0, 8, f"Synthetic page {number}", new_x="LMARGIN", new_y="NEXT")
        document.set_font("DejaVu", "", 10)
        text = " ".join(rng.choice(sentences) for _ in range(24))
        document.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output()), document.pages_count


def extraction(pages: int, runs: int) -> dict:
    """Time and peak memory of reading the text of a ``pages``-page PDF."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
    os.environ.setdefault("ECHOS_DATA_DIR", str(run.DATA_DIR))
    import django

    django.setup()
    from echos.library.text import extract_text

    started = time.perf_counter()
    data, made = big_pdf(pages)
    written = time.perf_counter() - started
    samples, chars, peak = [], 0, 0
    for _ in range(runs):
        tracemalloc.start()
        t0 = time.perf_counter()
        chars = len(extract_text(io.BytesIO(data), "big.pdf"))
        samples.append(time.perf_counter() - t0)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    median = sorted(samples)[len(samples) // 2]
    return {
        "pages": made, "bytes": len(data), "write_s": written, "median_s": median,
        "runs": runs, "chars": chars, "peak_mib": peak / 2**20,
    }  # fmt: skip


def report(results: dict, ex: dict | None, args: argparse.Namespace) -> str:
    lines = [
        f"## Library search and extraction — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Search: {args.resources:,} synthetic resources with extracted text (seed {SEED}), "
        f"production server (`echos serve`, {args.workers} workers), one keep-alive connection; "
        f"{args.requests} requests to /healthz, {args.searches} to each search after a warm-up. "
        "Queries: counted on the view through Django's test client (the middleware's session "
        "and user lookups included; anonymous). Hits: the API's `count` (translation groups).",
        "",
    ]
    for vendor, (facts, rows) in results.items():
        base = rows[0][1]["median"]
        extra = " + Redis cache" if "REDIS_URL" in facts["env"] else ""
        built = f"built in {facts['build_s']} s" if facts.get("build_s") else "built earlier"
        lines += [
            f"### {vendor}{extra} ({facts['resources']:,} resources, {facts['public']:,} public; "
            f"{built})",
            "",
            "| URL | median ms | p95 ms | / healthz | queries | hits |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label, r in rows:
            path = label.removeprefix("GET ")
            counted = facts["urls"].get(path, {})
            hits = counted.get("hits")
            lines.append(
                f"| `{label}` | {r['median']:.1f} | {r['p95']:.1f} | {r['median'] / base:.1f}× | "
                f"{counted.get('queries', '')} | {'' if hits is None else f'{hits:,}'} |"
            )
        lines.append("")
    if ex:
        lines += [
            f"### Extraction of a {ex['pages']}-page PDF ({ex['bytes'] / 2**20:.1f} MiB, "
            f"written by fpdf2 in {ex['write_s']:.1f} s)",
            "",
            f"Median of {ex['runs']} runs: {ex['median_s']:.2f} s, "
            f"{ex['pages'] / ex['median_s']:.0f} pages/s, "
            f"{ex['chars'] / ex['median_s'] / 1000:.0f}k characters/s ({ex['chars']:,} characters); "
            f"peak memory of the extraction {ex['peak_mib']:.1f} MiB (tracemalloc).",
            "",
        ]
    lines.append(
        f"Bench process peak memory (ru_maxrss): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB."
    )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", "--count", dest="resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests to /healthz")
    parser.add_argument("--searches", type=int, default=40, help="timed requests per search")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--vendors", default="sqlite,postgresql")
    parser.add_argument("--pdf-pages", type=int, default=200)
    parser.add_argument("--extraction-runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--inside", action="store_true", help=INSIDE_DOC)
    args = parser.parse_args()
    if args.inside:
        inside(args.resources)
        return 0
    run.BENCH_DIR.mkdir(exist_ok=True)
    run.DATA_DIR.mkdir(parents=True, exist_ok=True)
    run.log("collecting static files")
    run.echos("collectstatic", "--noinput", "-v0", timeout=300)
    results = {}
    for vendor in [v for v in args.vendors.split(",") if v]:
        facts = prepare(vendor, args.resources, args.rebuild)
        bad = {p: f["status"] for p, f in facts["urls"].items() if f["status"] != 200}
        if bad:
            raise RuntimeError(f"{vendor}: URLs answered errors: {bad}")
        results[vendor] = (facts, time_pages(vendor, facts, args))
    ex = extraction(args.pdf_pages, args.extraction_runs) if args.pdf_pages else None
    text = report(results, ex, args)
    (run.BENCH_DIR / "library.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
