"""Load test of echos at Europe scale on loopback (run by ``make load``).

1. Reuses ``bench/run.py``: the cached Europe-scale database (built once), collected static files
   and the production server (``echos serve``: gunicorn, several workers, DEBUG off) on a free
   port of 127.0.0.1.
2. Opens a consultation of its own (``Load test consultation <run>``, open now) in that database.
3. Measures /healthz alone for a few seconds with the same number of clients: the baseline.
4. For ``--duration`` seconds, at the same time:
   - ``--clients`` threads, each on one keep-alive connection, send a weighted mix of public pages
     (home and map, directory, hub pages, calendar with and without filters, event pages, iCal
     feeds, API lists);
   - ``--submitters`` threads answer the consultation as ever new participants (one unique e-mail
     each, no account, a new connection each): GET the form for the CSRF cookie and token, POST
     the answers on the same connection with the honeypot left empty. A submission is confirmed
     when the server redirects to the "check your inbox" page.
5. Stops the server, counts the stored answers of the consultation in SQLite and compares them
   with the confirmed submissions (no answer may be lost), then deletes the consultation again
   (``--keep`` keeps it).
6. Prints the table (requests, req/s, p50/p95/p99 latency, errors, each against /healthz) and
   writes it to ``.bench/load.md``. Exits 1 if any request failed or any submission was lost.

Every client comes from 127.0.0.1, so the per-address limits would refuse most of the burst by
design: this run starts the server with the API-read, form and public-consultation limits raised
(still counted, never reached; see ``LOAD_ENV``), and with the dummy e-mail backend so that the
confirmation e-mails of thousands of participants are built but not printed. The report says so.

The server is stopped at the end, also on error, Ctrl-C or --timeout.
"""

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from run import (
    BENCH_DIR,
    DB_PATH,
    HOST,
    ROOT,
    SCALE,
    SEED,
    Server,
    echos,
    ensure_data,
    free_port,
    server_env,
)

REPORT = BENCH_DIR / "load.md"
UNLIMITED = "1000000"
# Added to the server's environment for the load run only.
LOAD_ENV = {
    "ECHOS_RATE_API_READ": UNLIMITED,
    "ECHOS_RATE_FORMS": UNLIMITED,
    "ECHOS_RATE_PUBLIC_CONSULTATION": UNLIMITED,
    "ECHOS_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
}
SENT_PATH = "/participate/sent/"
HEALTHZ = "GET /healthz (baseline)"
FORM_GET = "GET consultation form (submitters)"
FORM_POST = "POST consultation answer (submitters)"
SETUP_MARK = "LOAD-SETUP "


class LoadTimeout(Exception):
    pass


def log(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


# --- pure parts: statistics, table, the lost-submission check (unit-tested) ----------------------


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0 < q <= 100) by nearest rank: the smallest sample with at least q% of
    the samples at or below it. NaN for no samples."""
    if not samples:
        return math.nan
    if not 0 < q <= 100:
        raise ValueError("q must be in (0, 100]")
    ordered = sorted(samples)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[min(len(ordered), max(1, rank)) - 1]


@dataclass
class Recorder:
    """What one client thread saw, per kind of request; merged after the phase."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    reconnects: int = 0

    def add(self, kind: str, elapsed: float | None, ok: bool, detail: str = "") -> None:
        self.requests[kind] = self.requests.get(kind, 0) + 1
        if elapsed is not None:
            self.latencies.setdefault(kind, []).append(elapsed)
        if not ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {detail}")

    def merge(self, other: "Recorder") -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        for mine, theirs in ((self.requests, other.requests), (self.errors, other.errors)):
            for kind, n in theirs.items():
                mine[kind] = mine.get(kind, 0) + n
        self.examples.extend(other.examples[: max(0, 10 - len(self.examples))])
        self.reconnects += other.reconnects


@dataclass
class Row:
    kind: str
    requests: int
    rate: float  # requests per second
    p50: float  # milliseconds
    p95: float
    p99: float
    errors: int


def summarise(kind: str, latencies: list[float], requests: int, errors: int, seconds: float) -> Row:
    """One table row from raw latencies (seconds) over a phase of ``seconds``."""
    ms = [x * 1000 for x in latencies]
    return Row(
        kind=kind,
        requests=requests,
        rate=requests / seconds if seconds > 0 else math.nan,
        p50=percentile(ms, 50),
        p95=percentile(ms, 95),
        p99=percentile(ms, 99),
        errors=errors,
    )


def rows_from(recorder: Recorder, kinds: list[str], seconds: float, overall: str) -> list[Row]:
    """A row per kind (in the given order, those seen), then one for all of them together."""
    rows = [
        summarise(
            kind,
            recorder.latencies.get(kind, []),
            recorder.requests[kind],
            recorder.errors.get(kind, 0),
            seconds,
        )
        for kind in kinds
        if recorder.requests.get(kind)
    ]
    everything = [x for kind in kinds for x in recorder.latencies.get(kind, [])]
    rows.append(
        summarise(
            overall,
            everything,
            sum(recorder.requests.get(kind, 0) for kind in kinds),
            sum(recorder.errors.get(kind, 0) for kind in kinds),
            seconds,
        )
    )
    return rows


def ratio(value: float) -> str:
    """A multiple with one decimal from 1 up, two significant digits below (0.012×, 0.00085×)."""
    if value >= 1 or value <= 0:
        return f"{value:,.1f}×"
    return f"{value:.{1 - math.floor(math.log10(value))}f}×"


def _cell(value: float, base: float, digits: int) -> str:
    if math.isnan(value):
        return "n/a"
    if base and not math.isnan(base):
        return f"{value:,.{digits}f} ({ratio(value / base)})"
    return f"{value:,.{digits}f}"


def format_table(rows: list[Row], baseline: Row) -> list[str]:
    """Markdown table; every figure also as a multiple of the /healthz baseline's."""
    lines = [
        "| request kind | requests | req/s (× healthz) | p50 ms (× healthz) "
        "| p95 ms (× healthz) | p99 ms (× healthz) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.kind} | {row.requests:,} | {_cell(row.rate, baseline.rate, 1)} "
            f"| {_cell(row.p50, baseline.p50, 1)} | {_cell(row.p95, baseline.p95, 1)} "
            f"| {_cell(row.p99, baseline.p99, 1)} | {row.errors:,} |"
        )
    return lines


@dataclass
class SubmissionCheck:
    confirmed: int
    stored: int
    lost: int  # confirmed by the server, not in the database
    unconfirmed: int  # in the database, but the client never saw the confirmation
    errors: int

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.errors == 0

    def line(self) -> str:
        text = (
            f"submissions confirmed {self.confirmed:,}, stored {self.stored:,}, "
            f"lost {self.lost:,}, errors {self.errors:,}"
        )
        if self.unconfirmed:
            text += f" (stored without a confirmation seen by the client: {self.unconfirmed:,})"
        return text


def check_submissions(confirmed: set[str], stored: set[str], errors: int) -> SubmissionCheck:
    """Compare the e-mails the server confirmed with those stored for the consultation."""
    return SubmissionCheck(
        confirmed=len(confirmed),
        stored=len(stored),
        lost=len(confirmed - stored),
        unconfirmed=len(stored - confirmed),
        errors=errors,
    )


def exit_code(rows: list[Row], check: SubmissionCheck) -> int:
    """0 only when no request failed and no confirmed submission is missing."""
    return 0 if check.ok and not any(row.errors for row in rows) else 1


def csrf_token(page: str) -> str | None:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match[1] if match else None


# --- setup and cleanup in the bench database (run by ``echos shell -c``) -------------------------

SETUP_SCRIPT = """
import json, os, random
from datetime import timedelta
from django.http import QueryDict
from django.utils import timezone
from echos.assessment import engine
from echos.events.models import Event, Registration
from echos.hubs.models import Hub
from echos.participation import services
from echos.participation.generate import synthetic_answers
from echos.participation.models import Answer, AnswerTally, Consultation

rng = random.Random(os.environ["LOAD_SEED"])
now = timezone.now()
hub_ids = list(Hub.objects.order_by("id").values_list("id", flat=True))
national = list(Hub.objects.national().order_by("id").values_list("id", flat=True))
event_ids = list(Event.objects.public().order_by("id").values_list("id", flat=True))
countries = [
    code for code, in Event.objects.public().order_by("country_id")
    .values_list("country_id").distinct() if code
]
instrument = services.standard_instrument()
definition = instrument.definition
consultation = Consultation.objects.create(
    hub_id=national[0], instrument=instrument,
    title="Load test consultation " + os.environ["LOAD_RUN"],
    description="Opened by bench/load.py for a load test; deleted after the run.",
    languages=["en"], opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(days=1),
    is_demo=True,
)
AnswerTally.objects.bulk_create(
    AnswerTally(consultation=consultation, question=q, option=o)
    for q, o in services.tally_cells(definition)
)
questions = engine.questions(definition)
payloads = []
while len(payloads) < 40:
    pairs = []
    for code, value in synthetic_answers(rng, questions).items():
        values = value if isinstance(value, list) else [value]
        pairs += [["q_" + code, str(v)] for v in values]
    post = QueryDict(mutable=True)
    for name, value in pairs:
        post.appendlist(name, value)
    _cleaned, errors = engine.validate(
        definition, engine.answers_from_post(definition, post), complete=True
    )
    if not errors:
        payloads.append(pairs)
print("LOAD-SETUP " + json.dumps({
    "consultation": consultation.pk,
    "hubs": rng.sample(national, min(10, len(national))) + rng.sample(hub_ids, 30),
    "events": rng.sample(event_ids, min(300, len(event_ids))),
    "countries": countries,
    "counts": {
        "hubs": len(hub_ids), "public events": len(event_ids),
        "registrations": Registration.objects.count(),
        "consultations": Consultation.objects.count() - 1, "answers": Answer.objects.count(),
    },
    "payloads": payloads,
}))
"""

CLEANUP_SCRIPT = """
import os
from echos.participation.models import Consultation
Consultation.objects.filter(pk=int(os.environ["LOAD_CONSULTATION"])).delete()
"""


def shell(script: str, extra: dict[str, str], timeout: float) -> str:
    """Run a script with ``echos shell -c`` on the bench database; its standard output."""
    result = subprocess.run(
        [sys.executable, "-m", "echos", "shell", "-c", script],
        env={**server_env(), **extra}, cwd=ROOT, timeout=timeout, check=True, text=True,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    return result.stdout


def setup(run_id: str, seed: int) -> dict:
    """Open the load-test consultation; facts for the page mix and valid answer payloads."""
    out = shell(SETUP_SCRIPT, {"LOAD_RUN": run_id, "LOAD_SEED": str(seed)}, timeout=300)
    line = next((x for x in out.splitlines() if x.startswith(SETUP_MARK)), None)
    if line is None:
        raise RuntimeError(f"the setup script printed no facts: {out[-500:]!r}")
    return json.loads(line[len(SETUP_MARK) :])


def cleanup(consultation: int) -> None:
    shell(CLEANUP_SCRIPT, {"LOAD_CONSULTATION": str(consultation)}, timeout=300)


def stored_emails(consultation: int) -> set[str]:
    db = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT email FROM participation_answer WHERE consultation_id = ?", (consultation,)
        ).fetchall()
    finally:
        db.close()
    return {email for (email,) in rows}


# --- HTTP clients --------------------------------------------------------------------------------


class Connection:
    """One keep-alive connection with its own cookies. A GET that fails on a connection the server
    closed while it was idle is sent again once on a new one (as browsers do); a POST never is."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def _open(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, body: str | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes, float]:
        headers = {"Accept-Encoding": "gzip", "User-Agent": "echos-load/1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self.conn is not None
            conn = self._open()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if method != "GET" or not reused or attempt == 2:
                    raise
                self.reconnects += 1
                continue
            except Exception:
                self.close()
                raise
            elapsed = time.perf_counter() - started
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, response.msg, data, elapsed
        raise AssertionError("unreachable")


@dataclass
class Kind:
    label: str
    weight: int
    path: Callable[[random.Random], str]


def public_mix(facts: dict) -> list[Kind]:
    hubs, events = facts["hubs"], facts["events"]
    countries = facts["countries"] or ["DE"]
    filters = [
        lambda r: f"/events/?country={r.choice(countries)}",
        lambda r: f"/events/?country={r.choice(countries)}&type=workshop",
        lambda r: "/events/?audience=citizens&format=online",
        lambda r: "/events/?type=webinar",
        lambda r: f"/events/?when=past&country={r.choice(countries)}",
    ]
    return [
        Kind("GET / (home, Europe map)", 10, lambda r: "/"),
        Kind("GET /hubs/ (directory)", 8, lambda r: "/hubs/"),
        Kind("GET /hubs/<id>/ (hub page)", 12, lambda r: f"/hubs/{r.choice(hubs)}/"),
        Kind("GET /events/ (calendar)", 10, lambda r: "/events/"),
        Kind("GET /events/?<filters>", 10, lambda r: r.choice(filters)(r)),
        Kind("GET /events/<id>/ (event page)", 15, lambda r: f"/events/{r.choice(events)}/"),
        Kind("GET /events/feed.ics", 3, lambda r: "/events/feed.ics"),
        Kind(
            "GET /events/feeds/country/<CC>.ics",
            5,
            lambda r: f"/events/feeds/country/{r.choice(countries)}.ics",
        ),  # fmt: skip
        Kind("GET /api/v1/hubs", 8, lambda r: "/api/v1/hubs"),
        Kind("GET /api/v1/events", 8, lambda r: "/api/v1/events"),
    ]


def run_public(
    port: int, kinds: list[Kind], deadline: float, stop: threading.Event, seed: int
) -> Recorder:
    rng = random.Random(seed)
    weights = [k.weight for k in kinds]
    recorder, client = Recorder(), Connection(port)
    try:
        while time.monotonic() < deadline and not stop.is_set():
            kind = rng.choices(kinds, weights)[0]
            path = kind.path(rng)
            try:
                status, _headers, _body, elapsed = client.request("GET", path)
            except Exception as exc:  # any failure counts as an error, the run goes on
                recorder.add(kind.label, None, False, f"{path}: {exc!r}")
                continue
            recorder.add(kind.label, elapsed, 200 <= status < 400, f"{path}: HTTP {status}")
    finally:
        client.close()
        recorder.reconnects += client.reconnects
    return recorder


class Participants:
    """Unique e-mails for the whole run, handed out to the submitter threads."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    def next(self) -> str:
        with self.lock:
            n = next(self.counter)
        return f"load-{self.run_id}-{n}@example.org"


def run_submitter(
    port: int,
    facts: dict,
    participants: Participants,
    deadline: float,
    stop: threading.Event,
    seed: int,
    confirmed: set[str],
) -> Recorder:
    """Answer the consultation as one new participant after another until the deadline."""
    rng = random.Random(seed)
    path = f"/participate/consultations/{facts['consultation']}/"
    recorder, client = Recorder(), Connection(port)
    try:
        while time.monotonic() < deadline and not stop.is_set():
            email = participants.next()
            # A new person: a new connection (any worker may take it), no cookies, a new token.
            client.close()
            client.cookies.clear()
            try:
                status, _headers, body, elapsed = client.request("GET", path)
            except Exception as exc:
                recorder.add(FORM_GET, None, False, repr(exc))
                continue
            token = csrf_token(body.decode("utf-8", "replace")) if status == 200 else None
            if token is None or "csrftoken" not in client.cookies:
                recorder.add(FORM_GET, elapsed, False, f"HTTP {status} without a CSRF token")
                continue
            recorder.add(FORM_GET, elapsed, True)
            fields = [
                ("csrfmiddlewaretoken", token),
                ("email", email),
                ("website_url", ""),  # the honeypot stays empty
                *map(tuple, rng.choice(facts["payloads"])),
            ]
            try:
                status, headers, body, elapsed = client.request("POST", path, urlencode(fields))
            except Exception as exc:
                recorder.add(FORM_POST, None, False, f"{email}: {exc!r}")
                continue
            location = headers.get("Location", "")
            if status == 302 and location.endswith(SENT_PATH):
                confirmed.add(email)  # set.add is atomic under the GIL
                recorder.add(FORM_POST, elapsed, True)
            else:
                snippet = re.sub(r"\s+", " ", body.decode("utf-8", "replace"))[:200]
                recorder.add(
                    FORM_POST, elapsed, False, f"{email}: HTTP {status} {location} {snippet}"
                )
    finally:
        client.close()
        recorder.reconnects += client.reconnects
    return recorder


def run_threads(targets: list[Callable[[], Recorder]], stop: threading.Event) -> Recorder:
    """Run each target in a daemon thread and merge what they recorded."""
    results: list[Recorder] = []
    failures: list[BaseException] = []

    def wrap(target):
        try:
            results.append(target())
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=wrap, args=(t,), daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)  # short waits keep Ctrl-C and the timeout alarm responsive
    finally:
        stop.set()
    if failures:
        raise RuntimeError(f"a client thread failed: {failures[0]!r}") from failures[0]
    merged = Recorder()
    for recorder in results:
        merged.merge(recorder)
    return merged


def healthz_phase(port: int, clients: int, seconds: float) -> tuple[Recorder, float]:
    kinds = [Kind(HEALTHZ, 1, lambda r: "/healthz")]
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    recorder = run_threads(
        [lambda i=i: run_public(port, kinds, deadline, stop, i) for i in range(clients)], stop
    )
    return recorder, time.monotonic() - started


def load_phase(
    port: int, facts: dict, args, submitters: int, seconds: float, confirmed: set[str]
) -> tuple[Recorder, float]:
    """The public mix with ``args.clients`` threads and ``submitters`` submitting threads."""
    kinds = public_mix(facts)
    participants = Participants(facts["run_id"])
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    targets: list[Callable[[], Recorder]] = [
        lambda i=i: run_public(port, kinds, deadline, stop, args.seed * 1000 + i)
        for i in range(args.clients)
    ]
    targets += [
        lambda i=i: run_submitter(
            port, facts, participants, deadline, stop, args.seed * 1000 + 500 + i, confirmed
        )
        for i in range(submitters)
    ]
    recorder = run_threads(targets, stop)
    return recorder, time.monotonic() - started


# --- the run -------------------------------------------------------------------------------------


def on_alarm(signum, frame):
    raise LoadTimeout("the load test ran out of time (--timeout)")


def report_lines(
    args, facts: dict, build: dict, rows: list[Row], baseline: Row, check: SubmissionCheck,
    seconds: float, examples: list[str], server_mib: tuple[float, int, float],
    reconnects: int,
) -> list[str]:  # fmt: skip
    limits = ", ".join(f"{k}={v}" for k, v in LOAD_ENV.items() if k.startswith("ECHOS_RATE"))
    built = f"cache built {build['built_at']}" + (" (reused)" if build["reused"] else " (now)")
    total_mib, workers, max_worker = server_mib
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"# echos load test — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Data: {SCALE} scale, seed {SEED} ({built}): "
        + ", ".join(f"{n:,} {name}" for name, n in facts["counts"].items())
        + ".",
        f"Server: echos serve (gunicorn), {args.workers} workers × 4 threads, DEBUG off, "
        f"{HOST} only; {os.cpu_count()} CPUs shared with this load generator; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}.",
        f"Load: {args.clients} public clients (weighted page mix, keep-alive) and "
        f"{args.submitters} submitters (a new participant and connection each time: GET form, "
        f"POST answers) for "
        f"{seconds:.1f} s, after a {args.warmup:g} s warm-up; baseline: /healthz alone with "
        f"{args.clients} clients for {args.healthz:g} s.",
        f"**Rate limits raised for this run** (every client is 127.0.0.1): {limits}; "
        "limits stay on and are counted. E-mails go to the dummy backend (built, not sent).",
        "",
        *format_table(rows, baseline),
        "",
        f"Consultation {facts['consultation']} (opened for this run): {check.line()}.",
        f"Load generator peak memory (ru_maxrss): {own:.0f} MiB. Server peak RSS (VmHWM): "
        f"{total_mib:.0f} MiB over the master and {workers} workers (max worker "
        f"{max_worker:.0f} MiB). GETs sent again after an idle keep-alive close: {reconnects}.",
    ]
    if examples:
        lines += ["", "First errors:", *(f"- {e}" for e in examples)]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="public clients (default 16)")
    parser.add_argument("--submitters", type=int, default=4, help="submitting clients (default 4)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--healthz", type=float, default=5, help="seconds of /healthz baseline")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unrecorded mix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the consultation and answers")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many s")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    build = ensure_data(args.rebuild)
    log("collecting static files")
    echos("collectstatic", "--noinput", "-v0", timeout=300)
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    log(f"opening the load-test consultation (run {run_id})")
    facts = {**setup(run_id, args.seed), "run_id": run_id}
    consultation = facts["consultation"]
    confirmed: set[str] = set()
    server = None
    finished = False
    try:
        port = free_port()
        log(f"starting echos serve on {HOST}:{port} with {args.workers} workers; raised limits: "
            + ", ".join(f"{k}={v}" for k, v in LOAD_ENV.items()))  # fmt: skip
        server = Server(port, args.workers, extra_env=LOAD_ENV, log_name="load-server.log")
        server.wait_ready(60)
        log(f"/healthz baseline: {args.clients} clients for {args.healthz:g} s")
        base_rec, base_s = healthz_phase(port, args.clients, args.healthz)
        log(f"warm-up: {args.warmup:g} s of the page mix, not recorded")
        load_phase(port, facts, args, 0, args.warmup, set())
        log(f"load: {args.clients} public clients + {args.submitters} submitters "
            f"for {args.duration:g} s")  # fmt: skip
        rec, seconds = load_phase(port, facts, args, args.submitters, args.duration, confirmed)
        peaks = server.peak_rss_kib()
        finished = True
    finally:
        if server is not None:
            server.stop()
            log(f"server stopped (log: {server.log_path.relative_to(ROOT)})")
        signal.alarm(0)
        if not finished and not args.keep:
            log(f"deleting the load-test consultation {consultation}")
            cleanup(consultation)
    # Every answer of this consultation comes from this run's submitters.
    stored = stored_emails(consultation)
    submit_errors = rec.errors.get(FORM_GET, 0) + rec.errors.get(FORM_POST, 0)
    check = check_submissions(confirmed, stored, submit_errors)
    if args.keep:
        log(f"keeping consultation {consultation} and its {len(stored):,} answers (--keep)")
    else:
        log(f"deleting consultation {consultation} and its {len(stored):,} answers")
        cleanup(consultation)

    baseline = rows_from(base_rec, [HEALTHZ], base_s, HEALTHZ)[0]
    public = [k.label for k in public_mix(facts)]
    rows = [baseline]
    rows += rows_from(rec, public, seconds, "all public pages")
    rows += rows_from(rec, [FORM_GET, FORM_POST], seconds, "all submitter requests")
    rows += rows_from(rec, public + [FORM_GET, FORM_POST], seconds, "**all requests**")[-1:]
    master = server.process.pid
    workers = {pid: kib for pid, kib in peaks.items() if pid != master}
    server_mib = (
        sum(peaks.values()) / 1024, len(workers), max(workers.values(), default=0) / 1024
    )  # fmt: skip
    lines = report_lines(
        args, facts, build, rows, baseline, check, seconds, rec.examples, server_mib,
        rec.reconnects + base_rec.reconnects,
    )  # fmt: skip
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text)
    print(text)
    log(f"written to {REPORT.relative_to(ROOT)}")
    return exit_code(rows, check)


if __name__ == "__main__":
    if not Path("/proc/self/status").exists():
        sys.exit("bench/load.py reads /proc for the server's memory: run it on Linux.")
    try:
        sys.exit(main())
    except LoadTimeout as exc:
        log(str(exc))
        sys.exit(124)
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
