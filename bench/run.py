"""Benchmark echos at Europe scale on both stacks, against each stack's /healthz (``make bench``).

Stacks (``--stack sqlite|postgres|both``, default both, one after the other in one run):

- ``sqlite``, the embedded default: the data in ``.bench/europe-seed1.sqlite3``, local-memory
  cache, background tasks in the process that queues them; ``echos serve`` with 2 workers;
- ``postgres``, the production stack of docs/deploy.md: the same data generated into the
  PostgreSQL database ``echos_bench`` on 127.0.0.1 (``BENCH_DATABASE_URL``), Redis db 10
  (``BENCH_REDIS_URL``; emptied at the start) for cache, sessions and the task queue,
  ``echos serve --workers 3`` and ``echos worker --threads 2``.

Each stack's data is built once (``echos generate-data``) and reused while its marker file says
the build completed with the same generator and seed (``--rebuild`` forces it; ``--scale small``
for a quick run). Per stack: collect static files, start the server on a free loopback port, time
sequential keep-alive requests to /healthz (the unit), then every page warm (repeated requests)
and cold (a write through the service just before: the first event or hub the page links to gets
a new name, then the first request, whose body must show it), then count each page's SQL queries
in-process (bench/agent.py: Django's test client after the same kind of write, then again). The
assessment pages are for the network's secretariat: a network coordinator (``bench-network``,
its password reset each run) signs in through the login form on a second connection.

One table per stack goes to standard output and ``.bench/latest.md``. The servers are stopped at
the end, also on error or Ctrl-C; the whole run is bounded by --timeout.
"""

import argparse
import hashlib
import http.client
import json
import math
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
import threading
import time
import zlib
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
# The #17 language performance line: these pages in these languages against English, in one run.
LANGUAGE_COOKIE = "django_language"
LANGUAGES = ("en", "el", "pl")
# The production stack (docs/deploy.md): PostgreSQL and Redis on this machine, the same data.
STACKS = ("sqlite", "postgres")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/echos_bench")
PG_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
PG_MARKER = BENCH_DIR / f"{SCALE}-seed{SEED}.postgres.done.json"
PG_DATA_DIR = BENCH_DIR / "data-postgres"
# As docs/deploy.md runs them: app workers per server and the background worker's threads.
DEFAULT_WORKERS = {"sqlite": 2, "postgres": 3}
WORKER_THREADS = 2
STACK_TITLES = {
    "sqlite": "embedded default: SQLite (WAL), local-memory cache, background tasks in process",
    "postgres": "production stack: PostgreSQL + Redis, `echos serve` and `echos worker` as in "
    "docs/deploy.md",
}


class BenchTimeout(Exception):
    pass


# ``--reuse-data``: keep a completed build although the generator changed since (a run while the
# generator is being edited); the report names both fingerprints.
REUSE_STALE = False


def reusable(marker: dict) -> bool:
    """Whether a completed build may be used: built by this generator, or ``--reuse-data``."""
    if marker.get("fingerprint") == fingerprint():
        return True
    if REUSE_STALE:
        log(
            f"reusing data built by generator {marker.get('fingerprint')} although the current "
            f"one is {fingerprint()} (--reuse-data)"
        )
        return True
    return False


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def server_env(stack: str = "sqlite") -> dict[str, str]:
    """The environment of a production-mode echos on a stack's cached data.

    ``sqlite``: the embedded default (the cached SQLite file, local-memory cache, background tasks
    in the process that queues them); ``postgres``: the production stack of docs/deploy.md
    (``DATABASE_URL`` and ``REDIS_URL``: tasks queued in Redis for ``echos worker``).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECHOS_", "DJANGO_"))}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    if stack == "postgres":
        env["ECHOS_DATA_DIR"] = str(PG_DATA_DIR)
        env["DATABASE_URL"] = PG_URL
        env["REDIS_URL"] = PG_REDIS_URL
    else:
        env["ECHOS_DATA_DIR"] = str(DATA_DIR)
        env["ECHOS_SQLITE_PATH"] = str(DB_PATH)
    env["PYTHONUNBUFFERED"] = "1"
    # The bench signs its network coordinator in with a password only: it measures the pages,
    # not the TOTP enrolment that production requires.
    env["ECHOS_REQUIRE_2FA"] = "0"
    return env


def echos(
    *args: str, timeout: float, capture: bool = False, stack: str = "sqlite"
) -> subprocess.CompletedProcess:
    """Run an echos command (``python -m echos``: the console script) in the bench setup."""
    return subprocess.run(
        [sys.executable, "-m", "echos", *args],
        env=server_env(stack),
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


def ensure_data(rebuild: bool, stack: str = "sqlite") -> dict:
    """Build the Europe-scale database unless a completed build of this generator is cached."""
    if stack == "postgres":
        return ensure_pg_data(rebuild)
    BENCH_DIR.mkdir(exist_ok=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if MARKER.exists() and DB_PATH.exists() and not rebuild:
        marker = json.loads(MARKER.read_text())
        if reusable(marker):
            log(f"reusing {DB_PATH.relative_to(ROOT)} (built {marker['built_at']})")
            echos("migrate", "--noinput", "-v0", timeout=1800)  # no-op unless new migrations
            return {**marker, "reused": True}
        log("generator changed since the cached build: rebuilding")
    for path in (MARKER, DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm")):
        path.unlink(missing_ok=True)
    log(f"building {SCALE} data with seed {SEED} into {DB_PATH.relative_to(ROOT)}")
    started = time.perf_counter()
    echos("migrate", "--noinput", "-v0", timeout=300)
    migrated = time.perf_counter()
    result = echos(
        "generate-data", "--scale", SCALE, "--seed", str(SEED), timeout=5400, capture=True
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


def _pg_admin(statement: str) -> None:
    """Run one statement on the server's maintenance database (to drop or create the bench's)."""
    import psycopg  # lazy: only the production stack needs it

    url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def pg_database_ready() -> bool:
    """Whether the bench database exists and holds the generated hubs."""
    import psycopg

    try:
        with psycopg.connect(PG_URL, connect_timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM hubs_hub").fetchone()[0] > 0
    except psycopg.Error:
        return False


def ensure_pg_data(rebuild: bool) -> dict:
    """The same Europe-scale data in PostgreSQL, generated there (cached like the SQLite file).

    The generator runs against PostgreSQL directly: measured on this machine it takes about as
    long as on SQLite, and it needs no conversion step that could drift from the generator.
    """
    BENCH_DIR.mkdir(exist_ok=True)
    PG_DATA_DIR.mkdir(parents=True, exist_ok=True)
    database = PG_URL.rsplit("/", 1)[1]
    if PG_MARKER.exists() and not rebuild:
        marker = json.loads(PG_MARKER.read_text())
        if reusable(marker) and marker.get("database") == database and pg_database_ready():
            log(f"reusing PostgreSQL database {database} (built {marker['built_at']})")
            echos("migrate", "--noinput", "-v0", timeout=1800, stack="postgres")
            return {**marker, "reused": True}
        log("generator (or database) changed since the cached PostgreSQL build: rebuilding")
    PG_MARKER.unlink(missing_ok=True)
    log(f"building {SCALE} data with seed {SEED} into PostgreSQL database {database}")
    _pg_admin(f'DROP DATABASE IF EXISTS "{database}"')
    _pg_admin(f'CREATE DATABASE "{database}"')
    flush_redis()
    started = time.perf_counter()
    echos("migrate", "--noinput", "-v0", timeout=600, stack="postgres")
    migrated = time.perf_counter()
    result = echos(
        "generate-data", "--scale", SCALE, "--seed", str(SEED),
        timeout=5400, capture=True, stack="postgres",
    )  # fmt: skip
    finished = time.perf_counter()
    print(result.stdout, file=sys.stderr, end="")
    peak = next((line for line in result.stdout.splitlines() if "peak memory" in line), "")
    marker = {
        "scale": SCALE, "seed": SEED, "fingerprint": fingerprint(), "database": database,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "migrate_s": round(migrated - started, 1), "generate_s": round(finished - migrated, 1),
        "generate_report": peak.strip(),
    }  # fmt: skip
    PG_MARKER.write_text(json.dumps(marker, indent=2))
    return {**marker, "reused": False}


def flush_redis() -> None:
    """Empty the bench's Redis database (cache, sessions, task queue): every run starts cold."""
    import redis  # lazy: only the production stack needs it

    redis.Redis.from_url(PG_REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """``echos serve`` in its own process group; ``stop`` ends the master and its workers."""

    def __init__(
        self,
        port: int,
        workers: int,
        extra_env: dict | None = None,
        log_name: str = "server.log",
        stack: str = "sqlite",
    ):
        """``extra_env`` is added to ``server_env()``; the log goes to ``.bench/<log_name>``."""
        self.port = port
        self.log_path = BENCH_DIR / log_name
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "echos", "serve", "--host", HOST, "--port", str(port),
             "--workers", str(workers)],
            env={**server_env(stack), **(extra_env or {})}, cwd=ROOT, stdout=self.log_file,
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


class Worker:
    """``echos worker`` (huey over Redis) in its own process group, as docs/deploy.md runs it."""

    def __init__(self, extra_env: dict | None = None, log_name: str = "worker.log"):
        self.log_path = BENCH_DIR / log_name
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "echos", "worker", "--threads", str(WORKER_THREADS)],
            env={**server_env("postgres"), **(extra_env or {})}, cwd=ROOT, stdout=self.log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log_file.close()


AGENT_SOURCE = ROOT / "bench" / "agent.py"
AGENT_MARK = "AGENT "


class Agent:
    """bench/agent.py in an ``echos shell`` on a stack: services and the test client, in-process.

    One request at a time (a lock keeps threads from interleaving); ``call`` raises when the
    agent answers with an error or has exited.
    """

    def __init__(self, stack: str, extra_env: dict | None = None):
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "echos", "shell", "-c", AGENT_SOURCE.read_text()],
            env={**server_env(stack), **(extra_env or {})}, cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        self._read()

    def _read(self) -> dict:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the bench agent exited (code {self.process.poll()})")
            if line.startswith(AGENT_MARK):
                return json.loads(line[len(AGENT_MARK) :])

    def call(self, op: str, **arguments) -> dict:
        assert self.process.stdin is not None
        with self.lock:
            self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
            self.process.stdin.flush()
            answer = self._read()
        if not answer.pop("ok"):
            raise RuntimeError(f"bench agent {op} failed: {answer['error']}\n{answer['trace']}")
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                if self.process.stdin is not None:
                    self.process.stdin.close()
                self.process.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


class Client:
    """One keep-alive HTTP connection; reconnects if the server closed it between requests.

    Cookies set by the server (only by ``login``) are sent back with every request.
    """

    def __init__(self, server: "Server", language: str | None = None):
        """``language``: asked for as a browser set to it does (``Accept-Language``) and as the
        language switch does (the language cookie), so it works with or without URL prefixes."""
        self.server = server
        self.conn = self._connect()
        self.cookies: dict[str, str] = {}
        self.language = language
        if language:
            self.cookies[LANGUAGE_COOKIE] = language

    def _headers(self, extra: dict | None = None) -> dict[str, str]:
        headers = {"Accept-Encoding": "gzip", **(extra or {})}
        if self.language:
            headers["Accept-Language"] = f"{self.language},en;q=0.5"
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

    def fetch(self, path: str) -> tuple[float, str]:
        """Like ``get``, and the body as text (gzip undone, iCalendar lines unfolded)."""
        for attempt in range(2):
            try:
                started = time.perf_counter()
                self.conn.request("GET", path, headers=self._headers())
                response = self.conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = self._connect()
                if attempt or self.server.process.poll() is not None:
                    raise
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
        if response.getheader("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        return elapsed, body.decode("utf-8", "replace").replace("\r\n ", "")

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


# Where the write before a cold request goes: the object a page shows (its first link), else these.
TARGET_PATTERNS = {
    "event": (r"/events/(\d+)/", r'"id":\s*(\d+)'),
    "hub": (r"/hubs/(\d+)/", r'"id":\s*(\d+)'),
}


def page_specs(facts: dict) -> tuple[list[tuple], list[tuple]]:
    """(label, path, kind of the write before a cold request, its id or None: the page's first
    link of that kind) for the public pages, then for the network coordinator's."""
    hub, event, consultation = facts["hub_id"], facts["event_id"], facts["consultation_id"]
    public = [
        ("GET / (home, Europe map)", "/", "hub", None),
        ("GET /hubs/?country=DE&level=regional", "/hubs/?country=DE&level=regional", "hub", None),
        ("GET /hubs/?q=synthetic", "/hubs/?q=synthetic", "hub", None),
        (f"GET /hubs/{hub}/ (national, {facts['hub_members']:,} members)",
         f"/hubs/{hub}/", "hub", hub),
        ("GET /api/v1/hubs?limit=100", "/api/v1/hubs?limit=100", "hub", None),
        ("GET /events/ (calendar, upcoming)", "/events/", "event", None),
        ("GET /events/?country=DE&audience=citizens", "/events/?country=DE&audience=citizens",
         "event", None),
        ("GET /events/?when=past (past events)", "/events/?when=past", "event", None),
        ("GET /events/month/2026/3/ (month grid)", "/events/month/2026/3/", "event", None),
        (f"GET /events/{event}/ (event page, {facts['event_registrations']:,} registrations)",
         f"/events/{event}/", "event", event),
        ("GET /events/feed.ics (whole calendar)", "/events/feed.ics", "event", None),
        ("GET /events/feeds/country/DE.ics", "/events/feeds/country/DE.ics", "event", None),
        ("GET /api/v1/events?limit=100", "/api/v1/events?limit=100", "event", None),
        ("GET /events/gap/ (participation gap, 12 months)", "/events/gap/", "event", None),
        (f"GET /participate/consultations/{consultation}/results/ "
         f"({facts['consultation_answers']:,} answers)",
         f"/participate/consultations/{consultation}/results/", "hub", None),
    ]  # fmt: skip
    coordinator = [
        (f"GET /assessment/network/ (coordinator, {facts['maturity']:,} assessments)",
         "/assessment/network/", "hub", None),
        (f"GET /assessment/mapping/ (coordinator, {facts['mapping']} countries)",
         "/assessment/mapping/", "hub", None),
        (f"GET /assessment/hubs/{hub}/ (coordinator, national hub maturity)",
         f"/assessment/hubs/{hub}/", "hub", hub),
        (f"GET /events/{event}/participants/ (coordinator, check-in list, "
         f"{facts['event_registrations']:,} registrations)",
         f"/events/{event}/participants/", "event", event),
        ("GET /events/gap/?country=DE (coordinator, gap for a country)",
         "/events/gap/?country=DE", "event", None),
    ]  # fmt: skip
    return public, coordinator


def is_signed_in(spec: tuple) -> bool:
    """Whether a page spec is one of the network coordinator's (page_specs)."""
    return "(coordinator" in spec[0]


def write_target(kind: str, fixed: int | None, body: str, facts: dict) -> tuple[int, bool]:
    """The id to write to before a cold request, and whether the page itself links to it."""
    if fixed is not None:
        return fixed, True
    for pattern in TARGET_PATTERNS[kind]:
        found = re.search(pattern, body)
        if found:
            return int(found[1]), True
    return facts["hub_id" if kind == "hub" else "event_id"], False


def time_page(client: Client, agent: Agent, spec: tuple, heavy: int, cold: int, facts: dict):
    """Warm: ``heavy`` repeated requests; cold: ``cold`` times a write then the first request.

    The write renames the object the page links to first (an event or a hub) through its
    service; ``seen`` counts the cold responses that already show the new name.
    """
    label, path, kind, fixed = spec
    warm = time_http(client, path, heavy, warmup=3)
    _elapsed, body = client.fetch(path)
    target, linked = write_target(kind, fixed, body, facts)
    samples, seen = [], 0
    for _ in range(cold):
        marker = agent.call("retitle", kind=kind, id=target)["marker"]
        elapsed, body = client.fetch(path)
        samples.append(elapsed)
        seen += marker in body
    median, p95 = summarise(samples)
    return {
        "warm": warm,
        "cold": {"median": median, "p95": p95, "n": cold},
        "seen": seen,
        "linked": linked,
        "write": {"kind": kind, "id": target},
    }


def language_specs(facts: dict) -> list[tuple]:
    """Home, calendar and the national hub page (page_specs' kind of spec) for the language line."""
    hub = facts["hub_id"]
    return [
        ("GET / (home, Europe map)", "/", "hub", None),
        ("GET /events/ (calendar, upcoming)", "/events/", "event", None),
        (f"GET /hubs/{hub}/ (national hub page)", f"/hubs/{hub}/", "hub", hub),
    ]


def time_languages(server, agent, facts: dict, heavy: int, cold: int) -> list[dict]:
    """Each language page warm and cold in each of ``LANGUAGES``, **interleaved** on one
    connection: round after round every language gets one request (in an order that turns each
    round), so that the machine's drift and the worker that serves the connection fall on all
    languages alike (a connection per language measured its worker as much as its language);
    whether the page came in that language (``<html lang="…">``)."""
    results = []
    for spec in language_specs(facts):
        client = Client(server)

        def speaking(language: str, client: Client = client) -> Client:
            client.language = language
            client.cookies[LANGUAGE_COOKIE] = language
            return client

        try:
            shown, warm, size = {}, {lang: [] for lang in LANGUAGES}, {}
            for language in LANGUAGES:
                _elapsed, body = speaking(language).fetch(spec[1])
                found = re.search(r'<html[^>]*\slang="([^"]+)"', body)
                shown[language] = found[1] if found else "?"
                for _ in range(3):
                    speaking(language).get(spec[1])
            for n in range(heavy):
                turn = LANGUAGES[n % len(LANGUAGES) :] + LANGUAGES[: n % len(LANGUAGES)]
                for language in turn:
                    elapsed, size[language] = speaking(language).get(spec[1])
                    warm[language].append(elapsed)
            _elapsed, body = speaking("en").fetch(spec[1])
            target, linked = write_target(spec[2], spec[3], body, facts)
            cold_samples = {lang: [] for lang in LANGUAGES}
            seen = dict.fromkeys(LANGUAGES, 0)
            for n in range(cold):
                turn = LANGUAGES[n % len(LANGUAGES) :] + LANGUAGES[: n % len(LANGUAGES)]
                for language in turn:
                    marker = agent.call("retitle", kind=spec[2], id=target)["marker"]
                    elapsed, body = speaking(language).fetch(spec[1])
                    cold_samples[language].append(elapsed)
                    seen[language] += marker in body
        finally:
            client.close()
        for language in LANGUAGES:
            warm_median, warm_p95 = summarise(warm[language])
            cold_median, cold_p95 = summarise(cold_samples[language])
            results.append(
                {
                    "spec": spec,
                    "language": language,
                    "shown": shown[language],
                    "warm": {"median": warm_median, "p95": warm_p95, "n": heavy,
                             "bytes": size.get(language, 0)},
                    "cold": {"median": cold_median, "p95": cold_p95, "n": cold},
                    "seen": seen[language],
                    "linked": linked,
                    "write": {"kind": spec[2], "id": target},
                }
            )  # fmt: skip
    return results


def measure_stack(stack: str, args, heavy: int) -> dict:
    """Data, server (and worker), /healthz, every page warm and cold, query counts; stop all."""
    build = ensure_data(args.rebuild, stack)
    log(f"[{stack}] collecting static files")
    echos("collectstatic", "--noinput", "-v0", timeout=300, stack=stack)
    if stack == "postgres":
        log(f"[{stack}] emptying the bench's Redis database ({PG_REDIS_URL})")
        flush_redis()
    workers = args.workers or DEFAULT_WORKERS[stack]
    agent = Agent(stack, {"ECHOS_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"})
    server = worker = None
    try:
        facts = agent.call("facts")
        password = secrets.token_urlsafe(24)
        agent.call("coordinator", username=COORDINATOR, password=password)
        public, coordinator = page_specs(facts)
        if args.languages_only:
            public, coordinator = [], []
        port = free_port()
        log(f"[{stack}] starting echos serve on {HOST}:{port} with {workers} workers")
        server = Server(port, workers, log_name=f"server-{stack}.log", stack=stack)
        if stack == "postgres":
            log(f"[{stack}] starting echos worker --threads {WORKER_THREADS}")
            worker = Worker(log_name="worker-bench.log")
        server.wait_ready(60)
        client, signed_in = Client(server), Client(server)
        rows = []
        try:
            log(f"[{stack}] timing /healthz × {args.requests}")
            healthz = time_http(client, "/healthz", args.requests, warmup=20)
            for spec in public:
                log(f"[{stack}] timing {spec[1]} × {heavy} warm, × {args.cold} cold")
                rows.append((spec, time_page(client, agent, spec, heavy, args.cold, facts)))
            log(f"[{stack}] timing home, calendar and hub page in {', '.join(LANGUAGES)}")
            languages = time_languages(server, agent, facts, heavy, args.cold)
            signed_in.login(COORDINATOR, password)
            # The floor of every signed-in page: session, user and second-factor devices.
            signed_healthz = time_http(signed_in, "/healthz", args.requests, warmup=20)
            for spec in coordinator:
                log(f"[{stack}] timing {spec[1]} × {heavy} warm, × {args.cold} cold (coordinator)")
                rows.append((spec, time_page(signed_in, agent, spec, heavy, args.cold, facts)))
        finally:
            client.close()
            signed_in.close()
        peaks = server.peak_rss_kib()
        log(f"[{stack}] counting SQL queries in-process")
        for spec, result in rows:
            username = COORDINATOR if spec in coordinator else None
            result["queries"] = agent.call(
                "queries", path=spec[1], username=username, write=result["write"]
            )
    finally:
        if server is not None:
            server.stop()
        if worker is not None:
            worker.stop()
        agent.close()
    return {
        "stack": stack, "build": build, "facts": facts, "healthz": healthz, "rows": rows,
        "peaks": peaks, "master": server.process.pid, "workers": workers,
        "languages": languages, "signed_healthz": signed_healthz,
    }  # fmt: skip


def ratio_cell(value: float, base: float) -> str:
    return f"{value / base:.1f}×" if base else "n/a"


def stack_lines(measured: dict, args, heavy: int) -> list[str]:
    """One stack's section: its data, its server, and the table of ratios to its /healthz."""
    stack, facts, build = measured["stack"], measured["facts"], measured["build"]
    base = measured["healthz"]["median"]
    built = (
        f"reused cache built {build['built_at']}" if build["reused"]
        else f"built now: migrate {build['migrate_s']} s, generate {build['generate_s']} s"
    )  # fmt: skip
    if build.get("fingerprint") != fingerprint():
        built += (
            f"; generator {build.get('fingerprint')}, changed since to {fingerprint()}: "
            "reused with --reuse-data"
        )
    peaks, master = measured["peaks"], measured["master"]
    workers = {pid: kib for pid, kib in peaks.items() if pid != master}
    if stack == "postgres":
        server = (
            f"`echos serve --workers {measured['workers']}` (gunicorn, 4 threads each) and "
            f"`echos worker --threads {WORKER_THREADS}`; DATABASE_URL → PostgreSQL "
            f"`{PG_URL.rsplit('/', 1)[1]}` on 127.0.0.1, REDIS_URL → Redis db "
            f"{PG_REDIS_URL.rsplit('/', 1)[1]} (cache, sessions, task queue; emptied at the start)"
        )
    else:
        server = (
            f"`echos serve --workers {measured['workers']}` (gunicorn, 4 threads each) on the "
            f"SQLite file {DB_PATH.relative_to(ROOT)}, local-memory cache per worker, background "
            "tasks in the process that queues them"
        )
    stale = [spec[1] for spec, r in measured["rows"] if r["linked"] and r["seen"] < r["cold"]["n"]]
    lines = [
        f"### {STACK_TITLES[stack]}",
        "",
        f"Data: {SCALE} scale, seed {SEED}, {facts['vendor']} ({built}): {facts['hub']:,} hubs, "
        f"{facts['organisation']:,} organisations, {facts['membership']:,} memberships, "
        f"{facts['events']:,} events, {facts['registrations']:,} registrations, "
        f"{facts['answers']:,} consultation answers. Generation: {build.get('generate_report', '')}",
        f"Server: {server}. DEBUG off, {HOST} only.",
        "",
        "| page | warm median ms | warm × healthz | cold median ms | cold × healthz "
        "| write shown cold | SQL queries cold / warm |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| GET /healthz (baseline, {args.requests} requests) | {base:.2f} | 1.0× | | | | 0 / 0 |",
    ]
    for spec, r in measured["rows"]:
        q = r["queries"]
        shown = f"{r['seen']}/{r['cold']['n']}" + ("" if r["linked"] else " (not shown)")
        lines.append(
            f"| {spec[0]} | {r['warm']['median']:.2f} | {ratio_cell(r['warm']['median'], base)} "
            f"| {r['cold']['median']:.2f} | {ratio_cell(r['cold']['median'], base)} "
            f"| {shown} | {q['cold']} / {q['warm']} |"
        )
    public = [r for spec, r in measured["rows"] if not is_signed_in(spec)]
    signed = [r for spec, r in measured["rows"] if is_signed_in(spec)]

    def median_ratio(results, key):
        if not results or not base:
            return math.nan
        return statistics.median(r[key]["median"] for r in results) / base

    signed_base = measured["signed_healthz"]["median"]
    lines += [
        "",
        f"Signed-in pages against the signed-in `/healthz` ({signed_base:.2f} ms: session, user "
        "and second-factor devices), warm / cold: "
        + ", ".join(
            f"{spec[1]} {ratio_cell(r['warm']['median'], signed_base)} / "
            f"{ratio_cell(r['cold']['median'], signed_base)}"
            for spec, r in measured["rows"]
            if is_signed_in(spec)
        )
        + ".",
        f"Medians over the pages, × healthz: public warm {median_ratio(public, 'warm'):.1f}×, "
        f"public cold {median_ratio(public, 'cold'):.1f}×, signed-in warm "
        f"{median_ratio(signed, 'warm'):.1f}×.",
        f"Server peak RSS (VmHWM): {sum(peaks.values()) / 1024:.0f} MiB over the gunicorn master "
        f"and {len(workers)} workers (max worker {max(workers.values(), default=0) / 1024:.0f} MiB).",
    ]
    if stale:
        lines.append(
            "**A cold response did not show the write made just before it** (a stale page): "
            + ", ".join(stale)
        )
    return lines + language_lines(measured["languages"], base)


def language_lines(results: list[dict], base: float) -> list[str]:
    """The #17 language line: each page in each language, as a ratio to /healthz and to the same
    page in English measured next to it (target: within 10 %)."""
    if not results:
        return []
    english = {r["spec"][1]: r for r in results if r["language"] == "en"}
    lines = [
        "",
        f"Languages (#17: each page within 10 % of English; `Accept-Language` and the language "
        f"cookie, the page's own `<html lang>` checked): {', '.join(LANGUAGES)}.",
        "",
        "| page | language (served) | warm ms | warm × healthz | warm × English "
        "| cold ms | cold × healthz | cold × English | write shown cold |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    worst = {"warm": 0.0, "cold": 0.0}
    for r in results:
        en = english[r["spec"][1]]
        cells = []
        for key in ("warm", "cold"):
            value, ref = r[key]["median"], en[key]["median"]
            versus = value / ref if ref else math.nan
            if r["language"] != "en":
                worst[key] = max(worst[key], abs(versus - 1))
            cells += [f"{value:.2f}", ratio_cell(value, base), f"{versus:.2f}×"]
        lines.append(
            f"| {r['spec'][0]} | {r['language']} ({r['shown']}) | "
            + " | ".join(cells)
            + f" | {r['seen']}/{r['cold']['n']} |"
        )
    lines += [
        "",
        f"Largest distance from English: warm {worst['warm']:.0%}, cold {worst['cold']:.0%} "
        f"(target ≤ 10 %: {'met' if max(worst.values()) <= 0.10 else '**missed**'}).",
    ]
    return lines


def on_alarm(signum, frame):
    raise BenchTimeout("the benchmark ran out of time (--timeout)")


def configure(scale: str) -> None:
    """Point the cached data at another scale (``small`` for a quick run)."""
    global SCALE, DB_PATH, MARKER, PG_MARKER, PG_URL
    if scale != SCALE and "BENCH_DATABASE_URL" not in os.environ:
        # Another scale never replaces the Europe build in PostgreSQL: it gets its own database.
        PG_URL = f"{PG_URL}_{scale}"
    SCALE = scale
    DB_PATH = BENCH_DIR / f"{SCALE}-seed{SEED}.sqlite3"
    MARKER = DB_PATH.with_suffix(".done.json")
    PG_MARKER = BENCH_DIR / f"{SCALE}-seed{SEED}.postgres.done.json"


def machine_line() -> str:
    memory = next(
        (int(line.split()[1]) // 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal:")), 0,
    )  # fmt: skip
    system = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    return (
        f"Machine: {os.cpu_count()} CPUs (shared with other work), {memory} GiB, {system}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def versions(stacks: list[str]) -> str:
    if "postgres" not in stacks:
        return ""
    import psycopg
    import redis

    with psycopg.connect(PG_URL, connect_timeout=5) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    info = redis.Redis.from_url(PG_REDIS_URL).info("server")
    return f", PostgreSQL {pg}, Redis {info['redis_version']}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stack", choices=[*STACKS, "both"], default="both",
        help="sqlite: embedded default; postgres: production stack; both (default), in one run",
    )  # fmt: skip
    parser.add_argument("--scale", choices=["europe", "small"], default="europe")
    parser.add_argument("--requests", type=int, default=200, help="timed requests to /healthz")
    parser.add_argument(
        "--heavy-requests", type=int, default=None,
        help="timed warm requests to each page (default: a quarter of --requests, at least 10)",
    )  # fmt: skip
    parser.add_argument("--cold", type=int, default=5, help="write-then-request pairs per page")
    parser.add_argument(
        "--workers", type=int, default=None,
        help="gunicorn workers (default: 2 on sqlite, 3 on postgres as in docs/deploy.md)",
    )  # fmt: skip
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data")
    parser.add_argument(
        "--languages-only",
        action="store_true",
        help="only /healthz and the #17 language line (home, calendar, hub page in en, el, pl)",
    )
    parser.add_argument(
        "--reuse-data", action="store_true",
        help="use a completed build even if the generator changed since (named in the report)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=int, default=3 * 3600,
        help="give up after this many s (builds of missing data included)",
    )  # fmt: skip
    args = parser.parse_args()
    global REUSE_STALE
    REUSE_STALE = args.reuse_data
    heavy = args.heavy_requests or max(10, args.requests // 4)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    configure(args.scale)
    stacks = list(STACKS) if args.stack == "both" else [args.stack]
    started = time.perf_counter()

    measured = []
    for stack in stacks:
        for attempt in (1, 2):
            try:
                measured.append(measure_stack(stack, args, heavy))
                break
            except ServerDied as exc:
                if attempt == 2:
                    raise
                log(f"{exc}; starting again once")
    baselines: list[tuple[str, dict | None, bool]] = []
    if "sqlite" in stacks:
        log("timing SQL and NumPy baselines")
        sql, _facts = sql_rows(max(20, args.requests))
        baselines += [(label, result, False) for label, result in sql]
        label, result = numpy_row(max(20, args.requests // 4))
        baselines.append((label, result, False))
    elapsed = time.perf_counter() - started
    command = "make bench" if args.stack == "both" and args.scale == "europe" else (
        "bench/run.py " + " ".join(sys.argv[1:])
    )  # fmt: skip
    lines = [
        f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`{command}`, {elapsed / 60:.0f} min)",
        "",
        machine_line() + versions(stacks) + ".",
        f"Method: per stack, its own `/healthz` median over {args.requests} sequential keep-alive "
        f"requests is the unit. Warm: the median of {heavy} repeated requests after 3 unrecorded. "
        f"Cold: {args.cold} times, a write through the service (the first event or hub the page "
        'links to, else the measured one, gets a new name) and then the first request; "write '
        'shown" counts the cold responses already showing the new name. SQL queries: the same '
        "request in-process with Django's test client on the same stack right after the same "
        "kind of write (cold) and again (warm).",
        "",
    ]
    for result in measured:
        lines += [*stack_lines(result, args, heavy), ""]
    if baselines:
        lines += [
            "In-process baselines on the SQLite file (their own time, no ratio):",
            "",
            *table(baselines, 1.0),
            "",
        ]
    lines.append(
        f"Bench process peak memory (ru_maxrss): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB."
    )
    report = "\n".join(lines) + "\n"
    (BENCH_DIR / "latest.md").write_text(report)
    print(report)
    log(f"written to {(BENCH_DIR / 'latest.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if not Path("/proc/self/status").exists():
        sys.exit("bench/run.py reads /proc for the server's memory: run it on Linux.")
    sys.exit(main())
