"""The fair day's own accounting in bench/load.py: registrations counted, waitlist positions in
the order of commitment, one e-mail each, no page older than a commit. Checked on hand-made
inputs (each check passes and fails), then on a small real run against a server on a SQLite file.
No timing assertions."""

import importlib
import json
import socket
import sys
from argparse import Namespace
from email.utils import make_msgid
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def load():
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("load")
    finally:
        sys.path.remove(str(BENCH))


def registrations(capacity: int, people: int) -> list[dict]:
    """A correct outcome: the first ``capacity`` hold places, the rest wait in order."""
    return [
        {
            "id": 100 + n,
            "email": f"p{n}@example.org",
            "status": "registered" if n <= capacity else "waitlisted",
            "position": None if n <= capacity else n - capacity,
        }
        for n in range(1, people + 1)
    ]


def mails_for(rows: list[dict]) -> list[tuple[str, str, int | None]]:
    kinds = {"registered": "confirmation", "waitlisted": "waitlisted"}
    return [(r["email"], kinds[r["status"]], r["position"]) for r in rows]


def check(load, rows, *, capacity=3, attempted=None, confirmed=None, errors=0, mails=None):
    emails = {r["email"] for r in registrations(capacity, 5)}
    return load.check_fair_day(
        capacity=capacity,
        attempted=emails if attempted is None else attempted,
        confirmed=emails if confirmed is None else confirmed,
        errors=errors,
        rows=rows,
        mails=mails_for(rows) if mails is None else mails,
    )


def test_a_correct_fair_day_passes(load):
    rows = registrations(3, 5)
    result = check(load, rows)
    assert result.ok, result.lines()
    assert (result.registered, result.waitlisted) == (3, 2)
    assert (result.expected_registered, result.expected_waitlisted) == (3, 2)
    # The order of the rows as given does not matter: ids say the order of commitment.
    assert check(load, list(reversed(rows))).ok


def test_too_many_places_or_too_few_waiting_fail(load):
    rows = registrations(3, 5)
    rows[3] = {**rows[3], "status": "registered", "position": None}  # a fourth place
    rows[4] = {**rows[4], "position": 1}
    result = check(load, rows)
    assert not result.ok
    assert (result.registered, result.waitlisted) == (4, 1)


def test_a_lost_registration_fails(load):
    rows = registrations(3, 5)
    result = check(load, rows[:-1])  # confirmed to the client, never stored
    assert not result.ok
    assert result.lost == ["p5@example.org"]
    stored_unseen = check(load, rows, confirmed={r["email"] for r in rows[:-1]})
    assert not stored_unseen.ok and stored_unseen.unconfirmed == ["p5@example.org"]


def test_errors_fail(load):
    assert not check(load, registrations(3, 5), errors=1).ok


def test_positions_must_follow_the_order_of_commitment(load):
    rows = registrations(3, 5)
    rows[3]["position"], rows[4]["position"] = 2, 1  # the later commit is ahead
    result = check(load, rows)
    assert not result.ok
    assert len(result.out_of_order) == 2
    gap = registrations(3, 5)
    gap[4]["position"] = 3  # 1, 3: a position skipped
    assert not check(load, gap).ok


def test_a_place_given_after_someone_was_waitlisted_fails(load):
    rows = registrations(3, 5)
    rows[2]["id"], rows[3]["id"] = rows[3]["id"], rows[2]["id"]  # waitlisted committed first
    result = check(load, rows)
    assert not result.ok
    assert any("got a place after" in problem for problem in result.out_of_order)


def test_other_statuses_fail(load):
    rows = registrations(3, 5)
    rows[0]["status"] = "cancelled"
    assert not check(load, rows, mails=mails_for(registrations(3, 5))).ok


def test_each_person_gets_exactly_one_right_e_mail(load):
    rows = registrations(3, 5)
    good = mails_for(rows)
    missing = check(load, rows, mails=good[1:])
    assert not missing.ok and missing.mail_missing == ["p1@example.org"]
    twice = check(load, rows, mails=[*good, good[4]])
    assert not twice.ok and twice.mail_duplicate == ["p5@example.org ×2"]
    wrong_kind = [(good[0][0], "waitlisted", 1), *good[1:]]
    assert not check(load, rows, mails=wrong_kind).ok
    wrong_position = [*good[:4], (good[4][0], "waitlisted", 7)]
    assert not check(load, rows, mails=wrong_position).ok
    stranger = check(load, rows, mails=[*good, ("nobody@example.org", "confirmation", None)])
    assert not stranger.ok and stranger.mail_unexpected == ["nobody@example.org"]


def test_mails_are_read_from_the_file_backend_output(load, tmp_path, settings):
    from django.core import mail

    settings.EMAIL_FILE_PATH = str(tmp_path)
    connection = mail.get_connection("django.core.mail.backends.filebased.EmailBackend")
    messages = [
        mail.EmailMessage(
            "You are registered: Fair day", "You are registered for:\nFair day", None,
            ["fair-1@example.org"], headers={"Message-ID": make_msgid()},
        ),
        mail.EmailMessage(
            "You are on the waitlist: Fair day — Zürich",
            "The event is full; you are number 2 on the waitlist for: Fair day — Zürich\n"
            "Status of your registration: Waitlisted. You are number 2 on the waitlist.",
            None, ["fair-2@example.org"],
        ),
        mail.EmailMessage("Your answers", "Thanks", None, ["someone@example.org"]),
    ]  # fmt: skip
    connection.send_messages(messages)  # one file, three messages
    found = load.read_mails(tmp_path, "fair-")
    assert sorted(found) == [
        ("fair-1@example.org", "confirmation", None),
        ("fair-2@example.org", "waitlisted", 2),
    ]
    assert load.read_mails(tmp_path / "missing", "fair-") == []


def test_stale_pages_are_those_sent_after_a_commit_without_it(load):
    commits = [(10.0, "W 1"), (20.0, "W 2")]
    fresh = [
        (5.0, "/events/?q=W", frozenset()),  # before any commit: nothing expected
        (10.5, "/events/?q=W", frozenset({"W 1"})),
        (21.0, "/events/?q=W", frozenset({"W 1", "W 2"})),
    ]
    assert load.stale_pages(commits, fresh) == []
    stale = load.stale_pages(commits, [*fresh, (25.0, "/events/?q=W", frozenset({"W 2"}))])
    assert len(stale) == 1 and "'W 1'" in stale[0]
    # A request sent before the commit was known may or may not show it.
    assert load.stale_pages(commits, [(19.9, "/events/?q=W", frozenset({"W 1"}))]) == []


def test_people_are_distinct_and_handed_out_once(load):
    people = load.People("r1", 4, 2.0, started=100.0)
    handed = [people.next() for _ in range(5)]
    assert handed[-1] is None
    assert [a for a, _ in handed[:4]] == [f"fair-r1-{n}@example.org" for n in range(1, 5)]
    assert [at for _, at in handed[:4]] == [100.0, 100.5, 101.0, 101.5]


HUB_SCRIPT = """
from echos.core.models import Country
from echos.hubs.models import Hub
country, _ = Country.objects.get_or_create(
    code="NO", defaults={"name": "Norway", "membership": "associated"}
)
Hub.objects.create(country=country, level="national", name="Fair hub", name_en="Fair hub")
"""


def test_a_small_real_fair_day_passes_its_checks(load, tmp_path, monkeypatch):
    """12 people for 6 places through a real server (gunicorn on a SQLite file), a writer and a
    checker: the tool's checks pass on what really happened, and fail once a mail is dropped."""
    run = load.run
    monkeypatch.setattr(run, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(run, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(run, "DB_PATH", tmp_path / "fair.sqlite3")
    (tmp_path / "data").mkdir()
    run.echos("migrate", "--noinput", "-v0", timeout=600)
    load.shell(HUB_SCRIPT, {}, timeout=120)
    # DEBUG on serves static files from the source (no collectstatic for a test).
    env = {**load.LOAD_ENV, "ECHOS_EMAIL_FILE_PATH": str(tmp_path / "mail"), "ECHOS_DEBUG": "1"}
    agent = run.Agent("sqlite", env)
    server = None
    try:
        event = agent.call("fair_setup", title="Fair day test", capacity=6)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = run.Server(port, 2, extra_env=env, log_name="fair-server.log")
        server.wait_ready(120)
        args = Namespace(
            fair_people=12, fair_places=6, fair_seconds=2, fair_threads=4, clients=1, seed=1,
            writer_every=0.5, checkers=1,
        )  # fmt: skip
        facts = {
            "run_id": "t",
            "hubs": [event["hub"]],
            "events": [event["id"]],
            "countries": ["NO"],
        }

        def publish(title: str) -> None:
            agent.call("publish", title=title, hub=event["hub"])

        fair = load.fair_phase(port, facts, args, event["id"], publish, "Fair writer t")
        mails = load.wait_for_mails(tmp_path / "mail", "fair-t-", len(fair.confirmed), 120)
        rows = agent.call("fair_rows", event=event["id"])["rows"]
    finally:
        if server is not None:
            server.stop()
        agent.close()
    errors = sum(fair.recorder.errors.values())
    result = load.check_fair_day(
        capacity=6, attempted=fair.attempted, confirmed=fair.confirmed, errors=errors,
        rows=rows, mails=mails,
    )  # fmt: skip
    assert result.ok, "\n".join(result.lines()) + json.dumps(fair.recorder.examples)
    assert (result.registered, result.waitlisted, result.confirmed) == (6, 6, 12)
    assert [r["position"] for r in rows if r["status"] == "waitlisted"] == [1, 2, 3, 4, 5, 6]
    assert fair.commits and fair.observations
    assert load.stale_pages(fair.commits, fair.observations) == []
    # The same outcome with one e-mail lost, or one person not stored, fails the checks.
    assert not load.check_fair_day(
        capacity=6, attempted=fair.attempted, confirmed=fair.confirmed, errors=0,
        rows=rows, mails=mails[1:],
    ).ok  # fmt: skip
    assert not load.check_fair_day(
        capacity=6, attempted=fair.attempted, confirmed=fair.confirmed, errors=0,
        rows=rows[1:], mails=mails,
    ).ok  # fmt: skip
