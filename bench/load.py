"""Load test of echos at Europe scale on loopback (run by ``make load``).

1. Reuses ``bench/run.py``: the cached Europe-scale data of a stack (``--stack postgres``, the
   default: PostgreSQL + Redis with ``echos worker``, as in production; ``--stack sqlite``: the
   embedded default), collected static files and ``echos serve`` (gunicorn, several workers,
   DEBUG off) on a free port of 127.0.0.1.
2. Opens a consultation of its own (``Load test consultation <run>``, open now) in that database.
3. Measures /healthz alone for a few seconds with the same number of clients: the baseline.
4. After an unrecorded warm-up, for ``--duration`` seconds, at the same time:
   - ``--clients`` threads, each on one keep-alive connection, browse the **campaign mix**
     (``--mix campaign``, the default): Zipf's law over the distinct pages of a fair day ranked by
     popularity (``campaign_pages``: the fair's event page, the calendar, the home map, the fair
     country's hub, calendar, hubs and country page, the directory, feeds and API lists, then
     every other sampled event, hub and country page), weight 1/rank^``--zipf``;
   - ``--submitters`` threads answer the consultation as ever new participants (one unique e-mail
     each, no account, a new connection each): GET the form for the CSRF cookie and token, POST
     the answers on the same connection with the honeypot left empty. A submission is confirmed
     when the server redirects to the "check your inbox" page.
   Then ``--tail-duration`` seconds of the **long tail** (``public_mix``: each kind of page by a
   fixed weight, the hub, event or country drawn uniformly), with the submitters again. Each
   phase reports the share of responses the shared page cache served (``X-Echos-Cache``), the
   CPU of this generator, of the server and of the machine, and Redis commands per request.
5. The fair day (``--no-fair`` skips it): ``--fair-people`` (600) people, each with a new e-mail
   and connection, register through the event page's form for one event with ``--fair-places``
   (300) places, started at even intervals over ``--fair-seconds`` (60), while the public clients
   browse, a writer publishes an event every ``--writer-every`` s through the events service
   (bench/agent.py) and checkers read the calendar searched for the writer's events. Afterwards:
   exactly ``places`` registered and the rest waitlisted, positions 1, 2, 3 … in the order of
   commitment (registration ids: they are written under the event lock), nobody confirmed and not
   stored, 0 errors, exactly one registration e-mail per person of the right kind and position
   (the e-mails are written to files of the run and read back), and no calendar response to a
   request sent after a commit without that commit's event.
6. Stops the server, counts the stored answers of the consultation and compares them
   with the confirmed submissions (no answer may be lost), then deletes the consultation again
   (``--keep`` keeps it).
7. Prints the tables (requests, req/s, p50/p95/p99 latency, errors, each against /healthz; the
   #18 targets met or missed) and writes them to ``.bench/load.md``. Exits 1 if any request
   failed, any submission was lost or any fair-day check failed.

Every client comes from 127.0.0.1, so the per-address limits would refuse most of the burst by
design: this run starts the server with the API-read, form and public-consultation limits raised
(still counted, never reached; see ``LOAD_ENV``), and with the file e-mail backend (a directory of
the run, emptied afterwards) so that e-mails are built and counted, not sent. The report says so.

The server is stopped at the end, also on error, Ctrl-C or --timeout.
"""

import argparse
import email
import email.policy
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
import subprocess
import sys
import threading
import time
import zlib
from argparse import Namespace
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import run
from run import (
    BENCH_DIR,
    HOST,
    ROOT,
    SEED,
    WORKER_THREADS,
    Agent,
    Server,
    Worker,
    echos,
    ensure_data,
    flush_redis,
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
    "ECHOS_RATE_PUBLIC_REGISTER": UNLIMITED,
    # Every e-mail is written to a file of the run's own directory (ECHOS_EMAIL_FILE_PATH), so
    # the fair day can count the registration e-mails each person got.
    "ECHOS_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
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
    # Per kind: how many responses the shared page cache served ("hit"), rendered and stored
    # ("miss"), or did not handle (no X-Echos-Cache header: "none").
    cache: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(
        self, kind: str, elapsed: float | None, ok: bool, detail: str = "", cache: str = ""
    ) -> None:
        self.requests[kind] = self.requests.get(kind, 0) + 1
        if cache:
            seen = self.cache.setdefault(kind, {})
            seen[cache] = seen.get(cache, 0) + 1
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
        for kind, seen in other.cache.items():
            mine = self.cache.setdefault(kind, {})
            for outcome, n in seen.items():
                mine[outcome] = mine.get(outcome, 0) + n

    def cache_share(self, kinds: list[str]) -> tuple[int, int, int]:
        """(hits, misses, responses without the cache) over the given kinds."""
        hit = sum(self.cache.get(k, {}).get("hit", 0) for k in kinds)
        miss = sum(self.cache.get(k, {}).get("miss", 0) for k in kinds)
        none = sum(self.cache.get(k, {}).get("none", 0) for k in kinds)
        return hit, miss, none


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
from echos.questionnaires import engine
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


def shell(script: str, extra: dict[str, str], timeout: float, stack: str = "sqlite") -> str:
    """Run a script with ``echos shell -c`` on the bench database; its standard output."""
    result = subprocess.run(
        [sys.executable, "-m", "echos", "shell", "-c", script],
        env={**server_env(stack), **extra}, cwd=ROOT, timeout=timeout, check=True, text=True,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    return result.stdout


def setup(run_id: str, seed: int, stack: str = "sqlite") -> dict:
    """Open the load-test consultation; facts for the page mix and valid answer payloads."""
    out = shell(
        SETUP_SCRIPT, {"LOAD_RUN": run_id, "LOAD_SEED": str(seed)}, timeout=300, stack=stack
    )
    line = next((x for x in out.splitlines() if x.startswith(SETUP_MARK)), None)
    if line is None:
        raise RuntimeError(f"the setup script printed no facts: {out[-500:]!r}")
    return json.loads(line[len(SETUP_MARK) :])


def cleanup(consultation: int, stack: str = "sqlite") -> None:
    shell(CLEANUP_SCRIPT, {"LOAD_CONSULTATION": str(consultation)}, timeout=300, stack=stack)


def stored_emails(agent: Agent, consultation: int) -> set[str]:
    return set(agent.call("answer_emails", consultation=consultation)["emails"])


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
    weight: float
    path: Callable[[random.Random], str]


HOME = "GET / (home, Europe map)"
DIRECTORY = "GET /hubs/ (directory)"
HUB = "GET /hubs/<id>/ (hub page)"
COUNTRY = "GET /countries/<CC>/ (country page)"
CALENDAR = "GET /events/ (calendar)"
FILTERED = "GET /events/?<filters>"
MONTH = "GET /events/month/ (month grid)"
EVENT = "GET /events/<id>/ (event page)"
FEED = "GET /events/feed.ics"
COUNTRY_FEED = "GET /events/feeds/country/<CC>.ics"
API_HUBS = "GET /api/v1/hubs"
API_EVENTS = "GET /api/v1/events"
# Row order of the tables (a mix uses some of them).
LABELS = [
    HOME, DIRECTORY, HUB, COUNTRY, CALENDAR, FILTERED, MONTH, EVENT, FEED, COUNTRY_FEED,
    API_HUBS, API_EVENTS,
]  # fmt: skip


def labels(kinds: list[Kind]) -> list[str]:
    """The table rows of a mix, in the order of ``LABELS``."""
    used = {k.label for k in kinds}
    return [label for label in LABELS if label in used]


def campaign_pages(facts: dict) -> list[tuple[str, str]]:
    """The distinct pages of a fair day or campaign, most visited first: (row label, path).

    The head is what nearly everybody opens: the fair's event page, the calendar, the home map,
    the fair country's national hub, its calendar, hubs and country page, the directory, the feeds
    and the API lists. The tail is every other page the public mix draws from: the other sampled
    events and hubs and the calendar filtered by each country (interleaved, so each kind is spread
    over the ranks).
    """
    events, hubs = facts["events"], facts["hubs"]
    countries = facts["countries"] or ["DE"]
    event = facts.get("fair_event") or events[0]
    hub = facts.get("fair_hub") or hubs[0]
    cc = facts.get("fair_country") or countries[0]
    head = [
        (EVENT, f"/events/{event}/"),
        (CALENDAR, "/events/"),
        (HOME, "/"),
        (HUB, f"/hubs/{hub}/"),
        (FILTERED, f"/events/?country={cc}"),
        (DIRECTORY, f"/hubs/?country={cc}"),
        (COUNTRY, f"/countries/{cc}/"),
        (DIRECTORY, "/hubs/"),
        (COUNTRY_FEED, f"/events/feeds/country/{cc}.ics"),
        (API_EVENTS, "/api/v1/events"),
        (MONTH, "/events/month/"),
        (API_HUBS, "/api/v1/hubs"),
        (FEED, "/events/feed.ics"),
        (FILTERED, "/events/?audience=citizens&format=online"),
    ]
    tails = [
        [(EVENT, f"/events/{e}/") for e in events if e != event],
        [(HUB, f"/hubs/{h}/") for h in hubs if h != hub],
        [(FILTERED, f"/events/?country={c}") for c in countries if c != cc],
        [(COUNTRY, f"/countries/{c}/") for c in countries if c != cc],
        [(COUNTRY_FEED, f"/events/feeds/country/{c}.ics") for c in countries if c != cc],
    ]
    tail = [page for group in itertools.zip_longest(*tails) for page in group if page]
    return head + tail


def campaign_mix(facts: dict, exponent: float) -> list[Kind]:
    """Zipf's law over ``campaign_pages``: the page of rank r is drawn with weight 1 / r^exponent.

    Web page popularity follows Zipf's law closely (exponents of about 0.6–1 for whole proxies;
    a single site's pages during an event are steeper): with 1.0 (the default) and about 500
    pages, the first page draws 15 % of the requests, the first 14 (the head) about half, and the
    other half goes to the long tail.
    """
    return [
        Kind(label, 1 / rank**exponent, lambda r, path=path: path)
        for rank, (label, path) in enumerate(campaign_pages(facts), start=1)
    ]


def public_mix(facts: dict) -> list[Kind]:
    """The long tail: every kind of page by a fixed weight, the hub or event drawn uniformly."""
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
        Kind(HOME, 10, lambda r: "/"),
        Kind(DIRECTORY, 8, lambda r: "/hubs/"),
        Kind(HUB, 12, lambda r: f"/hubs/{r.choice(hubs)}/"),
        Kind(CALENDAR, 10, lambda r: "/events/"),
        Kind(FILTERED, 10, lambda r: r.choice(filters)(r)),
        Kind(EVENT, 15, lambda r: f"/events/{r.choice(events)}/"),
        Kind(FEED, 3, lambda r: "/events/feed.ics"),
        Kind(COUNTRY_FEED, 5, lambda r: f"/events/feeds/country/{r.choice(countries)}.ics"),
        Kind(API_HUBS, 8, lambda r: "/api/v1/hubs"),
        Kind(API_EVENTS, 8, lambda r: "/api/v1/events"),
    ]


def mix_for(facts: dict, args) -> list[Kind]:
    """The browsing mix of the main phase and the fair day: ``--mix campaign`` (Zipf, default) or
    ``--mix tail`` (``public_mix``)."""
    if getattr(args, "mix", "campaign") == "tail":
        return public_mix(facts)
    return campaign_mix(facts, getattr(args, "zipf", 1.0))


def run_public(
    port: int, kinds: list[Kind], deadline: float, stop: threading.Event, seed: int
) -> Recorder:
    rng = random.Random(seed)
    cumulative = list(itertools.accumulate(k.weight for k in kinds))
    recorder, client = Recorder(), Connection(port)
    try:
        while time.monotonic() < deadline and not stop.is_set():
            kind = rng.choices(kinds, cum_weights=cumulative)[0]
            path = kind.path(rng)
            try:
                status, headers, _body, elapsed = client.request("GET", path)
            except Exception as exc:  # any failure counts as an error, the run goes on
                recorder.add(kind.label, None, False, f"{path}: {exc!r}")
                continue
            recorder.add(
                kind.label, elapsed, 200 <= status < 400, f"{path}: HTTP {status}",
                cache=headers.get("X-Echos-Cache", "none"),
            )  # fmt: skip
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
    port: int,
    facts: dict,
    args,
    submitters: int,
    seconds: float,
    confirmed: set[str],
    kinds: list[Kind] | None = None,
) -> tuple[Recorder, float]:
    """A mix (default ``mix_for``) with ``args.clients`` threads and ``submitters`` submitting
    threads."""
    kinds = mix_for(facts, args) if kinds is None else kinds
    participants = facts.setdefault("participants", Participants(facts["run_id"]))
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


# --- the fair day: many people register for one event at once, a writer publishes meanwhile ------

REGISTER_GET = "GET event page (registrants)"
REGISTER_POST = "POST registration (registrants)"
CALENDAR_CHECK = "GET /events/?q=<writer> (stale-page check)"
REGISTRATION_SENT = "/events/registration/sent/"
KIND_SUBJECTS = {"You are registered:": "confirmation", "You are on the waitlist:": "waitlisted"}
STATUS_MAIL = {"registered": "confirmation", "waitlisted": "waitlisted"}
POSITION = re.compile(r"you are number (\d+) on the waitlist", re.IGNORECASE)


@dataclass
class FairCheck:
    """What the fair day's accounting found; ``ok`` only if every check passed."""

    attempted: int
    confirmed: int
    registered: int
    waitlisted: int
    expected_registered: int
    expected_waitlisted: int
    errors: int
    lost: list[str]  # confirmed to the client, not stored
    unconfirmed: list[str]  # stored, but the client never saw the confirmation
    other_status: list[str]  # stored with a status other than registered or waitlisted
    out_of_order: list[str]  # waitlist positions not 1, 2, 3 … in the order of commitment
    mail_missing: list[str]
    mail_duplicate: list[str]
    mail_wrong: list[str]  # wrong kind, or a waitlist position other than the stored one
    mail_unexpected: list[str]  # to an address with no registration

    @property
    def ok(self) -> bool:
        return (
            self.registered == self.expected_registered
            and self.waitlisted == self.expected_waitlisted
            and self.errors == 0
            and not any(
                (self.lost, self.unconfirmed, self.other_status, self.out_of_order,
                 self.mail_missing, self.mail_duplicate, self.mail_wrong, self.mail_unexpected)
            )
        )  # fmt: skip

    def lines(self) -> list[str]:
        def few(items: list[str]) -> str:
            return f"{len(items):,}" + (f" (e.g. {', '.join(items[:3])})" if items else "")

        return [
            f"- people {self.attempted:,}; confirmed to the client {self.confirmed:,}; "
            f"errors {self.errors:,}",
            f"- registered {self.registered:,} (expected {self.expected_registered:,}), "
            f"waitlisted {self.waitlisted:,} (expected {self.expected_waitlisted:,}), "
            f"other status {few(self.other_status)}",
            f"- lost (confirmed, not stored) {few(self.lost)}; stored without a confirmation "
            f"{few(self.unconfirmed)}",
            f"- waitlist positions out of commit order {few(self.out_of_order)}",
            f"- e-mails: missing {few(self.mail_missing)}, more than once "
            f"{few(self.mail_duplicate)}, wrong kind or position {few(self.mail_wrong)}, "
            f"to nobody registered {few(self.mail_unexpected)}",
        ]


def check_fair_day(
    *,
    capacity: int,
    attempted: set[str],
    confirmed: set[str],
    errors: int,
    rows: list[dict],
    mails: list[tuple[str, str, int | None]],
) -> FairCheck:
    """Check the stored registrations of the fair event and the e-mails queued for them.

    ``rows``: every registration of the event (``id``, ``email``, ``status``, ``position``). The
    event row is locked while a registration is written and committed, so ids follow the order
    of commitment: the first ``capacity`` ids must hold the places and the rest be waitlisted at
    positions 1, 2, 3 … in id order. ``mails``: (recipient, kind, waitlist position or None) of
    every registration e-mail of the event: each person exactly one, of the kind their status
    says, naming the stored position.
    """
    rows = sorted(rows, key=lambda r: r["id"])
    stored = {r["email"] for r in rows}
    registered = [r for r in rows if r["status"] == "registered"]
    waitlisted = [r for r in rows if r["status"] == "waitlisted"]
    out_of_order = []
    for expected, r in enumerate(waitlisted, start=1):
        if r["position"] != expected:
            out_of_order.append(f"{r['email']} #{r['position']} (expected #{expected})")
    if registered and waitlisted and registered[-1]["id"] > waitlisted[0]["id"]:
        out_of_order.append(
            f"{registered[-1]['email']} got a place after {waitlisted[0]['email']} was waitlisted"
        )
    by_address: dict[str, list[tuple[str, int | None]]] = {}
    for address, kind, position in mails:
        by_address.setdefault(address, []).append((kind, position))
    mail_missing, mail_duplicate, mail_wrong = [], [], []
    for r in rows:
        got = by_address.get(r["email"], [])
        if not got:
            mail_missing.append(r["email"])
            continue
        if len(got) > 1:
            mail_duplicate.append(f"{r['email']} ×{len(got)}")
        kind, position = got[0]
        want = STATUS_MAIL.get(r["status"])
        if kind != want or (want == "waitlisted" and position != r["position"]):
            mail_wrong.append(
                f"{r['email']}: {kind} #{position} for {r['status']} #{r['position']}"
            )
    expected_registered = min(capacity, len(attempted))
    return FairCheck(
        attempted=len(attempted),
        confirmed=len(confirmed),
        registered=len(registered),
        waitlisted=len(waitlisted),
        expected_registered=expected_registered,
        expected_waitlisted=len(attempted) - expected_registered,
        errors=errors,
        lost=sorted(confirmed - stored),
        unconfirmed=sorted(stored - confirmed),
        other_status=[
            f"{r['email']}: {r['status']}" for r in rows if r["status"] not in STATUS_MAIL
        ],
        out_of_order=out_of_order,
        mail_missing=mail_missing,
        mail_duplicate=mail_duplicate,
        mail_wrong=mail_wrong,
        mail_unexpected=sorted(set(by_address) - stored),
    )


def parse_mails(raw: bytes, prefix: str) -> list[tuple[str, str, int | None]]:
    """Registration e-mails in the file e-mail backend's output (one or more messages, each
    followed by a line of 79 dashes) to addresses starting with ``prefix``: (to, kind, position)."""
    found = []
    for chunk in re.split(rb"\r?\n-{79}\r?\n", raw):
        if not chunk.strip():
            continue
        message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
        to = str(message.get("To", ""))
        if not to.startswith(prefix):
            continue
        subject = str(message.get("Subject", ""))
        kind = next((k for s, k in KIND_SUBJECTS.items() if subject.startswith(s)), subject)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        position = POSITION.search(text)
        found.append((to, kind, int(position[1]) if position else None))
    return found


def read_mails(directory: Path, prefix: str) -> list[tuple[str, str, int | None]]:
    mails = []
    for path in sorted(directory.glob("*.log")) if directory.exists() else []:
        mails += parse_mails(path.read_bytes(), prefix)
    return mails


def stale_pages(
    commits: list[tuple[float, str]], observations: list[tuple[float, str, frozenset[str]]]
) -> list[str]:
    """Pages that missed a commit made before they were requested.

    ``commits``: (when the writer's commit was known to have happened, marker the page must then
    show); ``observations``: (when the request was sent, path, markers the response showed).
    """
    stale = []
    for sent, path, shown in observations:
        for committed, marker in commits:
            if committed < sent and marker not in shown:
                stale.append(f"{path} sent {sent - committed:.2f} s after {marker!r}, without it")
    return stale


def body_text(headers: http.client.HTTPMessage, body: bytes) -> str:
    if headers.get("Content-Encoding") == "gzip":
        body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
    return body.decode("utf-8", "replace")


class People:
    """The fair's visitors, each with a distinct e-mail and a moment to start registering."""

    def __init__(self, run_id: str, count: int, seconds: float, started: float):
        self.addresses = [f"fair-{run_id}-{n}@example.org" for n in range(1, count + 1)]
        self.step = seconds / count if count else 0
        self.started = started
        self.counter = itertools.count()
        self.lock = threading.Lock()

    def next(self) -> tuple[str, float] | None:
        with self.lock:
            n = next(self.counter)
        if n >= len(self.addresses):
            return None
        return self.addresses[n], self.started + n * self.step


def run_registrant(
    port: int, event: int, people: People, stop: threading.Event, confirmed: set[str]
) -> Recorder:
    """Register person after person through the event page's form, each at their moment."""
    recorder, client = Recorder(), Connection(port)
    page = f"/events/{event}/"
    try:
        while not stop.is_set():
            person = people.next()
            if person is None:
                break
            address, at = person
            time.sleep(max(0.0, at - time.monotonic()))
            client.close()  # a new person: a new connection (any worker), no cookies
            client.cookies.clear()
            try:
                status, headers, body, elapsed = client.request("GET", page)
            except Exception as exc:
                recorder.add(REGISTER_GET, None, False, f"{address}: {exc!r}")
                continue
            token = csrf_token(body_text(headers, body)) if status == 200 else None
            if token is None or "csrftoken" not in client.cookies:
                recorder.add(REGISTER_GET, elapsed, False, f"HTTP {status} without a CSRF token")
                continue
            recorder.add(REGISTER_GET, elapsed, True)
            fields = {
                "csrfmiddlewaretoken": token,
                "name": f"Fair visitor {address.split('@')[0].rsplit('-', 1)[1]}",
                "email": address,
                "audience": "citizens",
                "consent": "on",
                "website_url": "",
            }
            try:
                status, headers, body, elapsed = client.request(
                    "POST", f"/events/{event}/register/", urlencode(fields)
                )
            except Exception as exc:
                recorder.add(REGISTER_POST, None, False, f"{address}: {exc!r}")
                continue
            location = headers.get("Location", "")
            if status == 302 and location.endswith(REGISTRATION_SENT):
                confirmed.add(address)
                recorder.add(REGISTER_POST, elapsed, True)
            else:
                snippet = re.sub(r"\s+", " ", body_text(headers, body))[:200]
                recorder.add(
                    REGISTER_POST, elapsed, False, f"{address}: HTTP {status} {location} {snippet}"
                )
    finally:
        client.close()
        recorder.reconnects += client.reconnects
    return recorder


def run_writer(
    publish: Callable[[str], None],
    marker: str,
    every: float,
    deadline: float,
    stop: threading.Event,
    commits: list[tuple[float, str]],
) -> Recorder:
    """Publish an event titled ``<marker> <n>`` every ``every`` s; note when each commit is known."""
    recorder = Recorder()
    n = 0
    while time.monotonic() < deadline and not stop.is_set():
        n += 1
        title = f"{marker} {n}"
        started = time.perf_counter()
        try:
            publish(title)
        except Exception as exc:
            recorder.add("publish (writer)", None, False, repr(exc))
        else:
            commits.append((time.monotonic(), title))
            recorder.add("publish (writer)", time.perf_counter() - started, True)
        stop.wait(every)
    return recorder


def run_checker(
    port: int,
    marker: str,
    deadline: float,
    stop: threading.Event,
    observations: list[tuple[float, str, frozenset[str]]],
) -> Recorder:
    """Read the calendar searched for the writer's events, again and again; note what it shows."""
    recorder, client = Recorder(), Connection(port)
    path = "/events/?" + urlencode({"q": marker})
    pattern = re.compile(re.escape(marker) + r" \d+")
    try:
        while time.monotonic() < deadline and not stop.is_set():
            sent = time.monotonic()
            try:
                status, headers, body, elapsed = client.request("GET", path)
            except Exception as exc:
                recorder.add(CALENDAR_CHECK, None, False, repr(exc))
                continue
            recorder.add(CALENDAR_CHECK, elapsed, status == 200, f"HTTP {status}")
            if status == 200:
                shown = frozenset(pattern.findall(body_text(headers, body)))
                observations.append((sent, path, shown))
            stop.wait(0.2)
    finally:
        client.close()
    return recorder


# --- the run -------------------------------------------------------------------------------------


def on_alarm(signum, frame):
    raise LoadTimeout("the load test ran out of time (--timeout)")


@dataclass
class Usage:
    """CPU seconds used during a phase: by this load generator, by the server's processes (the
    gunicorn master and workers) and by the whole machine (every core, /proc/stat)."""

    wall: float
    generator: float
    server: float
    machine_busy: float  # share of all cores' time not idle
    redis_commands: int | None = None

    def line(self, requests: int) -> str:
        per = f"{self.generator / requests * 1e6:,.0f} µs per request, " if requests else ""
        text = (
            f"load generator {self.generator / self.wall:.2f} CPU ({per}"
            f"{self.generator / max(self.server, 1e-9):.2f}× the server's CPU), server "
            f"{self.server / self.wall:.2f} CPU, machine {self.machine_busy:.0%} busy "
            f"({os.cpu_count()} CPUs)"
        )
        if self.redis_commands is not None and requests:
            text += f"; Redis {self.redis_commands / requests:.1f} commands per request"
        return text


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def _redis_calls() -> int | None:
    try:
        import redis  # lazy: only the production stack has Redis

        stats = redis.Redis.from_url(run.PG_REDIS_URL).info("commandstats")
    except Exception:
        return None
    return sum(int(v["calls"]) for k, v in stats.items() if k != "cmdstat_info")


def measured(server: Server, phase: Callable[[], tuple[Recorder, float]], redis: bool):
    """Run a phase; what it recorded, its seconds and the CPU it used."""
    pids = server.pids()
    generator, cpu = time.process_time(), sum(_proc_cpu(p) for p in pids)
    busy, total = _machine()
    calls = _redis_calls() if redis else None
    started = time.monotonic()
    recorder, seconds = phase()
    wall = time.monotonic() - started
    after = _redis_calls() if redis else None
    busy2, total2 = _machine()
    usage = Usage(
        wall=wall,
        generator=time.process_time() - generator,
        server=sum(_proc_cpu(p) for p in server.pids()) - cpu,
        machine_busy=(busy2 - busy) / max(1, total2 - total),
        redis_commands=None if calls is None or after is None else after - calls,
    )
    return recorder, seconds, usage


def cache_line(rec: Recorder, kinds: list[str]) -> str:
    hit, miss, none = rec.cache_share(kinds)
    total = hit + miss + none
    if not total:
        return "shared page cache: no public page answered"
    return (
        f"shared page cache: {hit / total:.0%} of the public page responses were hits "
        f"({hit:,}), {miss / total:.0%} misses rendered and stored ({miss:,}), "
        f"{none / total:.0%} not cached ({none:,})"
    )


def target_line(public: Row, baseline: Row) -> str:
    """The #18 targets for public pages under load, met or not."""
    share = public.rate / baseline.rate if baseline.rate else math.nan
    p99 = public.p99 / baseline.p99 if baseline.p99 else math.nan
    return (
        f"Targets (#18): public page throughput {share:.1%} of /healthz (target ≥ 25 %: "
        f"{'met' if share >= 0.25 else '**missed**'}), p99 {p99:.1f}× /healthz p99 (target ≤ 20×: "
        f"{'met' if p99 <= 20 else '**missed**'}), errors {public.errors:,}."
    )


def mix_line(kinds: list[Kind], args) -> str:
    total = sum(k.weight for k in kinds)
    if getattr(args, "mix", "campaign") == "tail":
        return (
            "Mix: the long tail — a weighted mix of page kinds, each hub, event, country or "
            f"filter drawn uniformly from {len(kinds)} kinds (bench/load.py `public_mix`)."
        )
    head = sum(k.weight for k in kinds[:14]) / total
    return (
        f"Mix: a fair day or campaign — Zipf's law over {len(kinds)} distinct pages ranked by "
        f"popularity (weight 1/rank^{args.zipf:g}; bench/load.py `campaign_pages`): the fair's "
        f"event page {kinds[0].weight / total:.0%} of the requests, the first 14 pages (event, "
        f"calendar, home map, the fair country's hub, calendar, hubs and country page, directory, "
        f"feeds, API lists) {head:.0%}, the other {len(kinds) - 14} pages {1 - head:.0%}."
    )


def phase_lines(
    title: str, intro: list[str], rec: Recorder, seconds: float, kinds: list[Kind],
    baseline: Row, usage: Usage, check: SubmissionCheck | None,
) -> list[str]:  # fmt: skip
    """One phase's section: what ran, its table against /healthz, the cache, targets, CPU."""
    public = labels(kinds)
    rows = [baseline]
    rows += rows_from(rec, public, seconds, "all public pages")
    public_row = rows[-1]
    if rec.requests.get(FORM_GET) or rec.requests.get(FORM_POST):
        rows += rows_from(rec, [FORM_GET, FORM_POST], seconds, "all submitter requests")
        rows += rows_from(rec, public + [FORM_GET, FORM_POST], seconds, "**all requests**")[-1:]
    everything = sum(rec.requests.values())
    lines = [
        f"### {title}",
        "",
        *intro,
        "",
        *format_table(rows, baseline),
        "",
        cache_line(rec, public) + ".",
        target_line(public_row, baseline),
        f"CPU during the phase: {usage.line(everything)}.",
    ]
    if check is not None:
        lines.append(f"Consultation answers: {check.line()}.")
    if rec.examples:
        lines += ["", "First errors:", *(f"- {e}" for e in rec.examples)]
    return lines


def report_lines(
    args, facts: dict, build: dict, baseline: Row, base_usage: Usage, server_mib,
    reconnects: int,
) -> list[str]:  # fmt: skip
    """The header: data, server, method, the /healthz baseline and its CPU."""
    limits = ", ".join(f"{k}={v}" for k, v in LOAD_ENV.items() if k.startswith("ECHOS_RATE"))
    built = f"cache built {build['built_at']}" + (" (reused)" if build["reused"] else " (now)")
    total_mib, workers, max_worker = server_mib
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.stack == "postgres":
        server = (
            f"production stack: PostgreSQL + Redis (db {run.PG_REDIS_URL.rsplit('/', 1)[1]}, "
            f"emptied at the start), `echos serve --workers {args.workers}` (gunicorn, 4 threads "
            f"each; docs/deploy.md: 2 × cores − 1) and `echos worker --threads {WORKER_THREADS}`"
        )
    else:
        server = (
            f"embedded default: SQLite, local-memory cache, `echos serve --workers {args.workers}`"
            " (4 threads each), background tasks in process"
        )
    return [
        f"## `make load` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Data: {run.SCALE} scale, seed {SEED} ({built}): "
        + ", ".join(f"{n:,} {name}" for name, n in facts["counts"].items())
        + ".",
        f"Server: {server}; DEBUG off, {HOST} only; {os.cpu_count()} CPUs shared with this load "
        f"generator; Python {platform.python_version()}.",
        f"Clients: {args.clients} public clients, each on one keep-alive connection, sending one "
        f"request after another; {args.submitters} submitters (a new participant and connection "
        "each time: GET the consultation form, POST the answers). Baseline: /healthz alone with "
        f"the same {args.clients} clients for {args.healthz:g} s; every figure below is also a "
        "multiple of it.",
        f"**Rate limits raised for this run** (every client is 127.0.0.1): {limits}; "
        "limits stay on and are counted. E-mails go to files of the run (counted, not sent).",
        f"/healthz baseline: {baseline.rate:,.0f} req/s, p50 {baseline.p50:.1f} ms, p99 "
        f"{baseline.p99:.1f} ms; CPU: {base_usage.line(baseline.requests)}.",
        f"Load generator peak memory (ru_maxrss): {own:.0f} MiB. Server peak RSS (VmHWM): "
        f"{total_mib:.0f} MiB over the master and {workers} workers (max worker "
        f"{max_worker:.0f} MiB). GETs sent again after an idle keep-alive close: {reconnects}.",
    ]


@dataclass
class FairRun:
    """What the fair day's clients saw (the checks read the database and e-mails afterwards)."""

    recorder: Recorder
    seconds: float  # until the last registrant finished
    attempted: set[str]
    confirmed: set[str]
    commits: list[tuple[float, str]]
    observations: list[tuple[float, str, frozenset[str]]]


def fair_phase(
    port: int, facts: dict, args, event: int, publish: Callable[[str], None], marker: str
) -> FairRun:
    """``args.fair_people`` register for ``event`` over ``args.fair_seconds`` while the public
    clients browse, a writer publishes an event every ``args.writer_every`` s and checkers read
    the calendar searched for the writer's events."""
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + args.fair_seconds
    people = People(facts["run_id"], args.fair_people, args.fair_seconds, started)
    confirmed: set[str] = set()
    commits: list[tuple[float, str]] = []
    observations: list[tuple[float, str, frozenset[str]]] = []
    kinds = mix_for(facts, args)
    registrants_done = threading.Event()
    finished: list[float] = []

    def registrants() -> Recorder:
        merged = run_threads(
            [
                lambda: run_registrant(port, event, people, threading.Event(), confirmed)
                for _ in range(args.fair_threads)
            ],
            threading.Event(),
        )
        finished.append(time.monotonic())
        registrants_done.set()
        return merged

    targets: list[Callable[[], Recorder]] = [registrants]
    targets += [
        lambda i=i: run_public(port, kinds, deadline, registrants_done, args.seed * 1000 + 700 + i)
        for i in range(args.clients)
    ]
    targets.append(lambda: run_writer(publish, marker, args.writer_every, deadline, stop, commits))
    targets += [
        lambda: run_checker(port, marker, deadline + 3, stop, observations)
        for _ in range(args.checkers)
    ]
    recorder = run_threads(targets, stop)
    return FairRun(
        recorder=recorder,
        seconds=(finished[0] if finished else time.monotonic()) - started,
        attempted=set(people.addresses),
        confirmed=confirmed,
        commits=commits,
        observations=observations,
    )


def wait_for_mails(directory: Path, prefix: str, expected: int, timeout: float) -> list:
    """The fair's e-mails once ``expected`` have arrived and none came for 3 s (or at timeout)."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while True:
        mails = read_mails(directory, prefix)
        if len(mails) != last:
            last, since = len(mails), time.monotonic()
        if (
            len(mails) >= expected and time.monotonic() - since >= 3
        ) or time.monotonic() > deadline:
            return mails
        time.sleep(0.5)


def fair_lines(args, fair: FairRun, check: FairCheck, stale: list[str], baseline: Row) -> list[str]:
    kinds = [REGISTER_GET, REGISTER_POST]
    public = LABELS
    rec = fair.recorder
    rows = rows_from(rec, kinds, fair.seconds, "all registrant requests")
    rows += rows_from(rec, public, fair.seconds, "all public pages (during the fair)")[-1:]
    rows += rows_from(rec, [CALENDAR_CHECK], fair.seconds, CALENDAR_CHECK)[:1]
    lines = [
        f"### Fair day: {len(fair.attempted):,} people register for one event with "
        f"{args.fair_places:,} places",
        "",
        f"{len(fair.attempted):,} people (a distinct e-mail each, a new connection, no account: "
        f"GET the event page for the form's CSRF token, POST the registration form) start at "
        f"even intervals over {args.fair_seconds:g} s from {args.fair_threads} threads; the last "
        f"finished after {fair.seconds:.1f} s. Meanwhile {args.clients} clients browse the same "
        f"mix as the main phase, a writer publishes an event every {args.writer_every:g} s through the events "
        f"service ({len(fair.commits)} published), and {args.checkers} checkers read the "
        "calendar searched for the writer's events: a response to a request sent after a "
        "commit must list that event. Same /healthz baseline as above.",
        "",
        *format_table([baseline, *rows], baseline),
        "",
        cache_line(rec, public) + " (browsing clients; the fair's event page changes with every "
        "registration, so it is rendered again after each one).",
        "",
        f"Checks ({'all passed' if check.ok and not stale else '**FAILED**'}):",
        *check.lines(),
        f"- calendar responses checked {len(fair.observations):,}, stale after a commit "
        f"{len(stale):,}" + (f" (e.g. {stale[0]})" if stale else ""),
    ]
    if rec.examples:
        lines += ["", "First errors:", *(f"- {e}" for e in rec.examples)]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stack", choices=run.STACKS, default="postgres",
        help="postgres: the production stack (default); sqlite: the embedded default",
    )  # fmt: skip
    parser.add_argument("--scale", choices=["europe", "small"], default="europe")
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of the main phase (default 60)"
    )
    parser.add_argument(
        "--mix", choices=["campaign", "tail"], default="campaign",
        help="browsing mix of the main phase and the fair day: campaign (Zipf, default) or tail",
    )  # fmt: skip
    parser.add_argument(
        "--zipf", type=float, default=1.0, help="Zipf exponent of the campaign mix (default 1.0)"
    )
    parser.add_argument(
        "--tail-duration", type=float, default=30,
        help="seconds of the long-tail phase after the main one (0 skips it; default 30)",
    )  # fmt: skip
    parser.add_argument("--clients", type=int, default=16, help="public clients (default 16)")
    parser.add_argument("--submitters", type=int, default=4, help="submitting clients (default 4)")
    parser.add_argument(
        "--workers", type=int, default=None,
        help="gunicorn workers (default as docs/deploy.md: 3 on postgres, 2 on sqlite)",
    )  # fmt: skip
    parser.add_argument("--healthz", type=float, default=5, help="seconds of /healthz baseline")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of unrecorded mix")
    parser.add_argument("--fair-people", type=int, default=600)
    parser.add_argument("--fair-places", type=int, default=300)
    parser.add_argument("--fair-seconds", type=float, default=60)
    parser.add_argument("--fair-threads", type=int, default=24, help="registering threads")
    parser.add_argument("--writer-every", type=float, default=5, help="seconds between events")
    parser.add_argument("--checkers", type=int, default=2, help="stale-page checking clients")
    parser.add_argument("--no-fair", action="store_true", help="skip the fair day")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep what the run created")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data")
    parser.add_argument(
        "--reuse-data", action="store_true",
        help="use a completed build even if the generator changed since (bench/run.py)",
    )  # fmt: skip
    parser.add_argument("--timeout", type=int, default=3600, help="give up after this many s")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run.configure(args.scale)
    run.REUSE_STALE = args.reuse_data
    stack = args.stack
    args.workers = args.workers or run.DEFAULT_WORKERS[stack]

    build = ensure_data(args.rebuild, stack)
    log("collecting static files")
    echos("collectstatic", "--noinput", "-v0", timeout=300, stack=stack)
    if stack == "postgres":
        log(f"emptying the bench's Redis database ({run.PG_REDIS_URL})")
        flush_redis()
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    log(f"opening the load-test consultation (run {run_id})")
    facts = {**setup(run_id, args.seed, stack), "run_id": run_id}
    consultation = facts["consultation"]
    mail_dir = BENCH_DIR / f"mail-{run_id}"
    env = {**LOAD_ENV, "ECHOS_EMAIL_FILE_PATH": str(mail_dir)}
    agent = Agent(stack, env)
    created: list[int] = []
    fair_event = None
    if not args.no_fair:
        fair_event = agent.call("fair_setup", title=f"Fair day {run_id}", capacity=args.fair_places)
        created.append(fair_event["id"])
        # The campaign mix's most visited pages: the fair's event, hub and country.
        facts.update(
            fair_event=fair_event["id"], fair_hub=fair_event["hub"],
            fair_country=fair_event["country"],
        )  # fmt: skip

    def publish(title: str) -> None:
        created.append(agent.call("publish", title=title, hub=fair_event["hub"])["id"])

    confirmed: set[str] = set()
    server = worker = None
    fair = None
    tail = None
    mails: list = []
    finished = False
    redis = stack == "postgres"
    kinds, tail_kinds = mix_for(facts, args), public_mix(facts)
    try:
        port = free_port()
        log(f"starting echos serve on {HOST}:{port} with {args.workers} workers ({stack}); "
            "raised limits: " + ", ".join(f"{k}={v}" for k, v in LOAD_ENV.items()))  # fmt: skip
        server = Server(
            port, args.workers, extra_env=env, log_name=f"load-server-{stack}.log", stack=stack
        )
        if stack == "postgres":
            log(f"starting echos worker --threads {WORKER_THREADS}")
            worker = Worker(env, log_name="load-worker.log")
        server.wait_ready(60)
        log(f"/healthz baseline: {args.clients} clients for {args.healthz:g} s")
        base_rec, base_s, base_usage = measured(
            server, lambda: healthz_phase(port, args.clients, args.healthz), redis
        )
        log(f"warm-up: {args.warmup:g} s of the {args.mix} mix, not recorded")
        load_phase(port, facts, args, 0, args.warmup, set(), kinds)
        log(f"main phase ({args.mix} mix): {args.clients} public clients + {args.submitters} "
            f"submitters for {args.duration:g} s")  # fmt: skip
        rec, seconds, usage = measured(
            server,
            lambda: load_phase(port, facts, args, args.submitters, args.duration, confirmed, kinds),
            redis,
        )
        if args.tail_duration > 0 and args.mix != "tail":
            log(f"long tail: {args.clients} public clients + {args.submitters} submitters for "
                f"{args.tail_duration:g} s")  # fmt: skip
            tail = measured(
                server,
                lambda: load_phase(
                    port, facts, args, args.submitters, args.tail_duration, confirmed, tail_kinds
                ),
                redis,
            )
        if fair_event is not None:
            log(f"fair day: {args.fair_people} people for {args.fair_places} places over "
                f"{args.fair_seconds:g} s, {args.clients} browsing, a writer, "
                f"{args.checkers} checkers")  # fmt: skip
            fair = fair_phase(port, facts, args, fair_event["id"], publish, f"Fair writer {run_id}")
            log("waiting for the fair's e-mails to be sent")
            mails = wait_for_mails(mail_dir, f"fair-{run_id}-", len(fair.confirmed), 180)
        peaks = server.peak_rss_kib()
        finished = True
    finally:
        if server is not None:
            server.stop()
            log(f"server stopped (log: {server.log_path.relative_to(ROOT)})")
        if worker is not None:
            worker.stop()
        signal.alarm(0)
        if not finished and not args.keep:
            log(f"deleting the load-test consultation {consultation} and the run's events")
            agent.call("delete_events", ids=created)
            agent.close()
            cleanup(consultation, stack)
    # Every answer of this consultation comes from this run's submitters.
    stored = stored_emails(agent, consultation)
    submit_errors = rec.errors.get(FORM_GET, 0) + rec.errors.get(FORM_POST, 0)
    if tail is not None:
        submit_errors += tail[0].errors.get(FORM_GET, 0) + tail[0].errors.get(FORM_POST, 0)
    check = check_submissions(confirmed, stored, submit_errors)
    fair_check = stale = None
    if fair is not None and fair_event is not None:
        registrations = agent.call("fair_rows", event=fair_event["id"])["rows"]
        fair_errors = sum(fair.recorder.errors.values())  # every request of the fair day
        fair_check = check_fair_day(
            capacity=args.fair_places, attempted=fair.attempted, confirmed=fair.confirmed,
            errors=fair_errors, rows=registrations, mails=mails,
        )  # fmt: skip
        stale = stale_pages(fair.commits, fair.observations)
    if args.keep:
        log(f"keeping consultation {consultation}, events {created} and {mail_dir} (--keep)")
    else:
        log(f"deleting consultation {consultation} ({len(stored):,} answers) and events {created}")
        agent.call("delete_events", ids=created)
        cleanup(consultation, stack)
        for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
            path.unlink()
        if mail_dir.exists():
            mail_dir.rmdir()
    agent.close()

    baseline = rows_from(base_rec, [HEALTHZ], base_s, HEALTHZ)[0]
    master = server.process.pid
    workers = {pid: kib for pid, kib in peaks.items() if pid != master}
    server_mib = (
        sum(peaks.values()) / 1024, len(workers), max(workers.values(), default=0) / 1024
    )  # fmt: skip
    reconnects = rec.reconnects + base_rec.reconnects + (tail[0].reconnects if tail else 0)
    lines = report_lines(args, facts, build, baseline, base_usage, server_mib, reconnects)
    main_title = "Campaign mix" if args.mix == "campaign" else "Long-tail mix"
    lines += [
        "",
        *phase_lines(
            f"{main_title}: {args.clients} public clients and {args.submitters} submitters, "
            f"{seconds:.0f} s",
            [mix_line(kinds, args) + f" After a {args.warmup:g} s unrecorded warm-up."],
            rec, seconds, kinds, baseline, usage, check if tail is None else None,
        ),
    ]  # fmt: skip
    if tail is not None:
        tail_rec, tail_s, tail_usage = tail
        lines += [
            "",
            *phase_lines(
                f"Long tail: the same clients, every hub and event alike, {tail_s:.0f} s",
                [
                    mix_line(tail_kinds, Namespace(mix="tail")) + " Most of these pages are "
                    "opened once or twice in a run, so most responses are rendered: the figure "
                    "for a day without a campaign, when nothing is popular."
                ],
                tail_rec, tail_s, tail_kinds, baseline, tail_usage, check,
            ),
        ]  # fmt: skip
    if fair is not None and fair_check is not None and stale is not None:
        lines += ["", *fair_lines(args, fair, fair_check, stale, baseline)]
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text)
    print(text)
    log(f"written to {REPORT.relative_to(ROOT)}")
    rows = [baseline, *rows_from(rec, labels(kinds) + [FORM_GET, FORM_POST], seconds, "all")]
    if tail is not None:
        rows += rows_from(tail[0], labels(tail_kinds) + [FORM_GET, FORM_POST], tail[1], "all")
    code = exit_code(rows, check)
    if fair_check is not None and (not fair_check.ok or stale):
        code = 1
    return code


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
