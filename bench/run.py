"""Benchmark echos at Europe scale against its own baselines (run by ``make bench``).

1. Builds Europe-scale synthetic data once into ``.bench/europe-seed1.sqlite3`` (reused while the
   marker file says the build completed with the same generator and seed).
2. Collects static files and starts the production server (``echos serve``, gunicorn, DEBUG off)
   on a free loopback port.
3. Times sequential keep-alive requests to /healthz (the baseline) and the heavy pages, plus raw
   SQLite queries and a NumPy computation in-process, and prints one table; the same table goes to
   ``.bench/latest.md``. The assessment pages are for the network's secretariat: a network
   coordinator (``bench-network``, its password reset each run) signs in through the login form
   on a second connection that keeps the session cookie.

The server is stopped at the end, also on error or Ctrl-C; the whole run is bounded by --timeout.
"""

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import resource
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
SCALE, SEED = "europe", 1
DB_PATH = BENCH_DIR / f"{SCALE}-seed{SEED}.sqlite3"
MARKER = DB_PATH.with_suffix(".done.json")
DATA_DIR = BENCH_DIR / "data"
GENERATOR = ROOT / "src" / "echos" / "hubs" / "generate.py"
# The generator's assessment step draws answers from these: a change to them changes the data too.
ASSESSMENT = ROOT / "src" / "echos" / "assessment"
GENERATOR_INPUTS = [
    GENERATOR,
    ASSESSMENT / "synthetic.py",
    ASSESSMENT / "scoring.py",
    *sorted((ASSESSMENT / "data" / "instruments").glob("*.json")),
    # Steps of the other capabilities, registered by hubs/generate.py.
    *sorted((ROOT / "src" / "echos").glob("*/generate.py")),
    *sorted((ROOT / "src" / "echos" / "participation" / "data").glob("*.json")),
]
HOST = "127.0.0.1"
COORDINATOR = "bench-network"


class BenchTimeout(Exception):
    pass


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def server_env() -> dict[str, str]:
    """The environment of a production-mode echos on the cached SQLite file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECHOS_", "DJANGO_"))}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env["ECHOS_DATA_DIR"] = str(DATA_DIR)
    env["ECHOS_SQLITE_PATH"] = str(DB_PATH)
    env["PYTHONUNBUFFERED"] = "1"
    # The bench signs its network coordinator in with a password only: it measures the pages,
    # not the TOTP enrolment that production requires.
    env["ECHOS_REQUIRE_2FA"] = "0"
    return env


def echos(*args: str, timeout: float, capture: bool = False) -> subprocess.CompletedProcess:
    """Run an echos command (``python -m echos``: the console script) in the bench setup."""
    return subprocess.run(
        [sys.executable, "-m", "echos", *args],
        env=server_env(),
        cwd=ROOT,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )


def fingerprint() -> str:
    """Changes when the generator (or what it draws from) changes, so stale data is rebuilt."""
    digest = hashlib.sha256()
    for path in GENERATOR_INPUTS:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Run by ``echos shell -c``: create or update the bench's network coordinator (idempotent).
COORDINATOR_SCRIPT = """
import os
from echos.core.models import User
user, _ = User.objects.get_or_create(username=os.environ["BENCH_USERNAME"])
user.is_network_coordinator = True
user.is_active = True
user.set_password(os.environ["BENCH_PASSWORD"])
user.save()
"""


def ensure_coordinator() -> tuple[str, str]:
    """A network coordinator in the bench database with a fresh password; (username, password)."""
    password = secrets.token_urlsafe(24)
    subprocess.run(
        [sys.executable, "-m", "echos", "shell", "-c", COORDINATOR_SCRIPT],
        env={**server_env(), "BENCH_USERNAME": COORDINATOR, "BENCH_PASSWORD": password},
        cwd=ROOT, timeout=120, check=True, text=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return COORDINATOR, password


def ensure_data(rebuild: bool) -> dict:
    """Build the Europe-scale database unless a completed build of this generator is cached."""
    BENCH_DIR.mkdir(exist_ok=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if MARKER.exists() and DB_PATH.exists() and not rebuild:
        marker = json.loads(MARKER.read_text())
        if marker.get("fingerprint") == fingerprint():
            log(f"reusing {DB_PATH.relative_to(ROOT)} (built {marker['built_at']})")
            echos("migrate", "--noinput", "-v0", timeout=300)  # no-op unless new migrations
            return {**marker, "reused": True}
        log("generator changed since the cached build: rebuilding")
    for path in (MARKER, DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm")):
        path.unlink(missing_ok=True)
    log(f"building {SCALE} data with seed {SEED} into {DB_PATH.relative_to(ROOT)}")
    started = time.perf_counter()
    echos("migrate", "--noinput", "-v0", timeout=300)
    migrated = time.perf_counter()
    result = echos(
        "generate-data", "--scale", SCALE, "--seed", str(SEED), timeout=1200, capture=True
    )
    finished = time.perf_counter()
    print(result.stdout, file=sys.stderr, end="")
    peak = next((line for line in result.stdout.splitlines() if "peak memory" in line), "")
    marker = {
        "scale": SCALE, "seed": SEED, "fingerprint": fingerprint(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "migrate_s": round(migrated - started, 1), "generate_s": round(finished - migrated, 1),
        "generate_report": peak.strip(),
    }  # fmt: skip
    with sqlite3.connect(DB_PATH) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    MARKER.write_text(json.dumps(marker, indent=2))
    return {**marker, "reused": False}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """``echos serve`` in its own process group; ``stop`` ends the master and its workers."""

    def __init__(
        self, port: int, workers: int, extra_env: dict | None = None, log_name: str = "server.log"
    ):
        """``extra_env`` is added to ``server_env()``; the log goes to ``.bench/<log_name>``."""
        self.port = port
        self.log_path = BENCH_DIR / log_name
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "echos", "serve", "--host", HOST, "--port", str(port),
             "--workers", str(workers)],
            env={**server_env(), **(extra_env or {})}, cwd=ROOT, stdout=self.log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerDied(f"the server exited early; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"/healthz did not answer within {timeout:.0f} s; see {self.log_path}")

    def pids(self) -> list[int]:
        """The gunicorn master (the serve process execs into it) and its worker processes."""
        master = self.process.pid
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(entry.name))
        return [master, *sorted(children)]

    def peak_rss_kib(self) -> dict[int, int]:
        """VmHWM (peak resident set) of each server process, in KiB."""
        peaks = {}
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1])
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log_file.close()


class ServerDied(Exception):
    pass


class Client:
    """One keep-alive HTTP connection; reconnects if the server closed it between requests.

    Cookies set by the server (only by ``login``) are sent back with every request.
    """

    def __init__(self, server: "Server"):
        self.server = server
        self.conn = self._connect()
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict[str, str]:
        headers = {"Accept-Encoding": "gzip", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def login(self, username: str, password: str) -> None:
        """Sign in through the login form, as a browser does: CSRF cookie and token, then POST."""
        self.conn.request("GET", "/accounts/login/", headers=self._headers())
        response = self.conn.getresponse()
        page = response.read().decode("utf-8", "replace")
        self._keep_cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if response.status != 200 or token is None or "csrftoken" not in self.cookies:
            raise RuntimeError(f"GET /accounts/login/ answered {response.status} without a form")
        body = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self.conn.request("POST", "/accounts/login/", body=body, headers=self._headers(headers))
        response = self.conn.getresponse()
        response.read()
        self._keep_cookies(response)
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(
                f"signing in as {username} answered {response.status} without a session cookie"
            )

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.server.port, timeout=60)

    def get(self, path: str) -> tuple[float, int]:
        for attempt in range(2):
            try:
                started = time.perf_counter()
                self.conn.request("GET", path, headers=self._headers())
                response = self.conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = self._connect()
                code = self.server.process.poll()
                if code is not None:
                    raise ServerDied(
                        f"the server exited (code {code}) during GET {path}: was it stopped by "
                        f"another process? See {self.server.log_path}"
                    ) from None
                if attempt:
                    raise
                continue
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
            return elapsed, len(body)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def summarise(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank), in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_http(client: Client, path: str, n: int, warmup: int) -> dict:
    for _ in range(warmup):
        client.get(path)
    samples, size = [], 0
    for _ in range(n):
        elapsed, size = client.get(path)
        samples.append(elapsed)
    median, p95 = summarise(samples)
    return {"median": median, "p95": p95, "n": n, "bytes": size}


def time_call(func, n: int, warmup: int = 3) -> dict:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    median, p95 = summarise(samples)
    return {"median": median, "p95": p95, "n": n}


def sql_rows(n: int) -> tuple[list[tuple[str, dict]], dict]:
    """Raw SQLite baselines, and facts about the data the pages need."""
    db = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)
    try:
        facts = {
            table: db.execute(f"SELECT COUNT(*) FROM hubs_{table}").fetchone()[0]
            for table in ("hub", "organisation", "membership", "stagechange")
        }
        hub_id, members = db.execute(
            "SELECT h.id, COUNT(m.id) AS n FROM hubs_hub h"
            " JOIN hubs_membership m ON m.hub_id = h.id WHERE h.level = 'national'"
            " GROUP BY h.id ORDER BY n DESC, h.id LIMIT 1"
        ).fetchone()
        facts.update(hub_id=hub_id, hub_members=members)
        facts["maturity"], facts["mapping"] = db.execute(
            "SELECT COALESCE(SUM(i.code = 'ncmh-maturity'), 0),"
            " COALESCE(SUM(i.code = 'mapping-survey'), 0) FROM assessment_response r"
            " JOIN assessment_instrument i ON i.id = r.instrument_id"
        ).fetchone()
        country, name = db.execute(
            "SELECT country_id, normalised_name FROM hubs_organisation"
            " ORDER BY id LIMIT 1 OFFSET 777"
        ).fetchone()
        facts["events"], facts["registrations"] = db.execute(
            "SELECT (SELECT COUNT(*) FROM events_event), (SELECT COUNT(*) FROM events_registration)"
        ).fetchone()
        facts["event_id"], facts["event_registrations"] = db.execute(
            "SELECT event_id, COUNT(*) AS n FROM events_registration"
            " GROUP BY event_id ORDER BY n DESC, event_id LIMIT 1"
        ).fetchone()
        facts["answers"] = db.execute("SELECT COUNT(*) FROM participation_answer").fetchone()[0]
        facts["consultation_id"], facts["consultation_answers"] = db.execute(
            "SELECT consultation_id, COUNT(*) AS n FROM participation_answer"
            " GROUP BY consultation_id ORDER BY n DESC, consultation_id LIMIT 1"
        ).fetchone()
        count = time_call(lambda: db.execute("SELECT COUNT(*) FROM hubs_membership").fetchone(), n)
        lookup = time_call(
            lambda: db.execute(
                "SELECT id, name FROM hubs_organisation"
                " WHERE country_id = ? AND normalised_name = ?",
                (country, name),
            ).fetchone(),
            n,
        )
    finally:
        db.close()
    return [
        ("SQL: SELECT COUNT(*) FROM hubs_membership", count),
        ("SQL: organisation by (country, normalised name), unique index", lookup),
    ], facts


def numpy_row(n: int) -> tuple[str, dict | None]:
    label = "NumPy: pairwise distances 2,000×64 float32"
    try:
        import numpy as np
    except ImportError:
        return label + " (numpy not installed)", None
    vectors = np.random.default_rng(1).standard_normal((2000, 64), dtype=np.float32)

    def distances():
        squared = (vectors * vectors).sum(axis=1)
        d2 = squared[:, None] + squared[None, :] - 2.0 * (vectors @ vectors.T)
        return np.sqrt(np.maximum(d2, 0.0, out=d2), out=d2)

    return label, time_call(distances, n)


def table(rows: list[tuple[str, dict | None, bool]], baseline: float) -> list[str]:
    lines = [
        "| measurement | median ms | p95 ms | median / healthz median |",
        "|---|---:|---:|---:|",
    ]
    for name, result, is_http in rows:
        if result is None:
            lines.append(f"| {name} | n/a | n/a | |")
            continue
        ratio = f"{result['median'] / baseline:.1f}×" if is_http else ""
        lines.append(f"| {name} | {result['median']:.2f} | {result['p95']:.2f} | {ratio} |")
    return lines


def measure_http(
    args,
    pages: list[tuple[str, str]],
    coordinator_pages: list[tuple[str, str]],
    credentials: tuple[str, str],
    heavy: int,
):
    """Start the server, time /healthz and the pages, read its peak memory, stop it.

    ``coordinator_pages`` are timed on a second connection signed in with ``credentials``; the
    other pages stay anonymous.
    """
    port = free_port()
    log(f"starting echos serve on {HOST}:{port} with {args.workers} workers")
    server = Server(port, args.workers)
    try:
        server.wait_ready(60)
        client = Client(server)
        signed_in = Client(server)
        try:
            log(f"timing /healthz × {args.requests}")
            healthz = time_http(client, "/healthz", args.requests, warmup=20)
            results = [("GET /healthz (baseline)", healthz, True)]
            for label, path in pages:
                log(f"timing {path} × {heavy}")
                results.append((label, time_http(client, path, heavy, warmup=3), True))
            log(f"signing in as {credentials[0]}")
            signed_in.login(*credentials)
            for label, path in coordinator_pages:
                log(f"timing {path} × {heavy} (network coordinator)")
                results.append((label, time_http(signed_in, path, heavy, warmup=3), True))
        finally:
            client.close()
            signed_in.close()
        peaks = server.peak_rss_kib()
    finally:
        server.stop()
    return results, peaks, server.process.pid


def on_alarm(signum, frame):
    raise BenchTimeout("the benchmark ran out of time (--timeout)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests to /healthz")
    parser.add_argument(
        "--heavy-requests", type=int, default=None,
        help="timed requests to each page (default: a quarter of --requests, at least 10)",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many s")
    args = parser.parse_args()
    heavy = args.heavy_requests or max(10, args.requests // 4)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    build = ensure_data(args.rebuild)
    log("collecting static files")
    echos("collectstatic", "--noinput", "-v0", timeout=300)
    sql, facts = sql_rows(max(20, args.requests))
    pages = [
        ("GET / (home, Europe map)", "/"),
        ("GET /hubs/?country=DE&level=regional", "/hubs/?country=DE&level=regional"),
        ("GET /hubs/?q=synthetic", "/hubs/?q=synthetic"),
        (f"GET /hubs/{facts['hub_id']}/ (national, {facts['hub_members']:,} members)",
         f"/hubs/{facts['hub_id']}/"),
        ("GET /api/v1/hubs?limit=100", "/api/v1/hubs?limit=100"),
        ("GET /events/ (calendar, upcoming)", "/events/"),
        ("GET /events/?country=DE&audience=citizens", "/events/?country=DE&audience=citizens"),
        ("GET /events/?when=past (past events)", "/events/?when=past"),
        ("GET /events/month/2026/3/ (month grid)", "/events/month/2026/3/"),
        (f"GET /events/{facts['event_id']}/ (event page, {facts['event_registrations']:,} registrations)",
         f"/events/{facts['event_id']}/"),
        ("GET /events/feed.ics (whole calendar, rendered once then cached)", "/events/feed.ics"),
        ("GET /events/feeds/country/DE.ics", "/events/feeds/country/DE.ics"),
        ("GET /api/v1/events?limit=100", "/api/v1/events?limit=100"),
        ("GET /events/gap/ (participation gap, 12 months)", "/events/gap/"),
        (f"GET /participate/consultations/{facts['consultation_id']}/results/ "
         f"({facts['consultation_answers']:,} answers)",
         f"/participate/consultations/{facts['consultation_id']}/results/"),
    ]  # fmt: skip
    coordinator_pages = [
        (f"GET /assessment/network/ (coordinator, {facts['maturity']:,} assessments)",
         "/assessment/network/"),
        (f"GET /assessment/mapping/ (coordinator, {facts['mapping']} countries)",
         "/assessment/mapping/"),
        (f"GET /assessment/hubs/{facts['hub_id']}/ (coordinator, national hub maturity)",
         f"/assessment/hubs/{facts['hub_id']}/"),
    ]  # fmt: skip
    log(f"creating the network coordinator {COORDINATOR} in the bench database")
    credentials = ensure_coordinator()
    for attempt in (1, 2):
        try:
            results, peaks, master_pid = measure_http(
                args, pages, coordinator_pages, credentials, heavy
            )
            break
        except ServerDied as exc:
            if attempt == 2:
                raise
            log(f"{exc}; starting again once")
    log("timing SQL and NumPy baselines")
    results += [(label, result, False) for label, result in sql]
    label, result = numpy_row(max(20, args.requests // 4))
    results.append((label, result, False))

    healthz = results[0][1]
    workers = {pid: kib for pid, kib in peaks.items() if pid != master_pid}
    server_total = sum(peaks.values()) / 1024
    bench_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db_size = sum(
        p.stat().st_size for p in (DB_PATH, Path(f"{DB_PATH}-wal")) if p.exists()
    ) / 2**20  # fmt: skip
    built = (
        f"reused cache built {build['built_at']}" if build["reused"]
        else f"built now: migrate {build['migrate_s']} s, generate {build['generate_s']} s"
    )  # fmt: skip
    lines = [
        f"# echos benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Data: {SCALE} scale, seed {SEED}: {facts['hub']:,} hubs, {facts['organisation']:,} "
        f"organisations, {facts['membership']:,} memberships, {facts['stagechange']:,} stage "
        f"changes, {facts['maturity']:,} maturity assessments, {facts['mapping']} mapping survey "
        f"answers, {facts['events']:,} events, {facts['registrations']:,} registrations, "
        f"{facts['answers']:,} consultation answers; SQLite {db_size:.0f} MiB ({built}). "
        f"Generation: {build.get('generate_report', '')}",
        f"Server: echos serve (gunicorn), {args.workers} workers × 4 threads, DEBUG off, "
        f"{HOST} only. Client: one keep-alive http.client connection, sequential; "
        f"{args.requests} timed requests to /healthz, {heavy} to each page, after a warm-up.",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs.",
        "",
        *table(results, healthz["median"]),
        "",
        f"Server peak RSS (VmHWM): {server_total:.0f} MiB summed over the gunicorn master "
        f"({peaks.get(master_pid, 0) / 1024:.0f} MiB) and {len(workers)} workers (max worker "
        f"{max(workers.values(), default=0) / 1024:.0f} MiB).",
        f"Bench process peak memory (ru_maxrss): {bench_peak:.0f} MiB.",
        "",
        "SQL and NumPy rows time in-process work without HTTP: their own time, no ratio.",
    ]
    report = "\n".join(lines) + "\n"
    (BENCH_DIR / "latest.md").write_text(report)
    print(report)
    log(f"written to {(BENCH_DIR / 'latest.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if not Path("/proc/self/status").exists():
        sys.exit("bench/run.py reads /proc for the server's memory: run it on Linux.")
    sys.exit(main())
