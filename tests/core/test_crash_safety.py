"""A generation or an import killed with SIGKILL half-way leaves the database as it was.

Each test runs the real command (``python -m echos ...``) in a subprocess over a file-based SQLite
database in tmp (WAL mode, as in production), waits until the command's own progress output shows
rows written inside its transaction, sends SIGKILL, and then opens the database: every table holds
exactly the rows it held before, and ``PRAGMA integrity_check`` is ok. The generation is then run
again to the end and its counts are complete. A command that finishes before it could be killed
would prove nothing, so the input is enlarged once and the test fails if it still finishes.
"""

import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from echos.site.generate import SCALES

PYTHON = sys.executable
WAIT = 120  # seconds for a command to reach the point where it is killed, on a busy CI machine
GENERATED = {
    "hubs_organisation": "organisations",
    "hubs_hub": "hubs",
    "hubs_stagechange": "stage_changes",
    "hubs_membership": "memberships",
    "events_event": "events",
    "events_registration": "registrations",
}


def command_env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ECHOS_TEST_DATABASE_URL"}
    env.update(
        ECHOS_DATA_DIR=str(db.parent),
        ECHOS_SQLITE_PATH=str(db),
        ECHOS_TESTING="1",
        DJANGO_SETTINGS_MODULE="echos.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def echos(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m echos ARGS`` to the end against ``db``; fail on a non-zero exit."""
    done = subprocess.run(
        [PYTHON, "-m", "echos", *args],
        env=command_env(db),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"echos {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def row_counts(db: Path) -> dict[str, int]:
    """Rows of every table; opening the file also recovers it (SQLite drops uncommitted WAL frames)."""
    con = sqlite3.connect(db)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return ";".join(row[0] for row in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def kill_when(db: Path, args: list[str], ready) -> tuple[bool, list[str]]:
    """Start ``echos ARGS``; SIGKILL it as soon as ``ready(line)`` holds for a line it printed.

    Returns (killed, lines): killed is False when the command ended on its own first.
    """
    proc = subprocess.Popen(
        [PYTHON, "-m", "echos", *args],
        env=command_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen: list[str] = []
    deadline = time.monotonic() + WAIT
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(
                    f"echos {' '.join(args)} showed no progress in {WAIT}s:\n" + "\n".join(seen)
                )
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:  # the output closed: the command has ended by itself
                proc.wait(timeout=30)
                return False, seen
            seen.append(line)
            if ready(line):
                if proc.poll() is not None:
                    return False, seen
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                assert proc.returncode == -signal.SIGKILL
                return True, seen
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        reader.join(timeout=10)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated database with the reference data, copied by each test."""
    db = tmp_path_factory.mktemp("crash") / "base.sqlite3"
    echos(db, "migrate", "--verbosity", "0")
    echos(db, "load_reference")
    return db


def restore(source: Path, db: Path) -> Path:
    """Make ``db`` a copy of ``source``, with no WAL left over from an earlier run."""
    con = sqlite3.connect(source)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the main file, so a copy is complete
    con.close()
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    shutil.copy(source, db)
    return db


def test_a_killed_generation_leaves_nothing_and_a_rerun_completes(migrated, tmp_path):
    db = restore(migrated, tmp_path / "echos.sqlite3")
    before = row_counts(db)
    assert all(before[table] == 0 for table in GENERATED)

    # The progress bar prints a line per finished step: once memberships are done, thousands of
    # rows are in the open transaction, and events and registrations are still to come.
    def ready(line):
        return line.startswith("memberships ")

    killed, output = False, []
    for scale in ("small", "europe"):  # europe only if small ended before it could be killed
        killed, output = kill_when(db, ["generate-data", "--scale", scale, "--seed", "3"], ready)
        if killed:
            break
        restore(migrated, db)
    assert killed, "generate-data finished before it could be killed:\n" + "\n".join(output)
    assert any(line.startswith("organisations") for line in output), output

    assert integrity(db) == "ok"
    assert row_counts(db) == before, "the killed generation left rows behind"

    done = echos(db, "generate-data", "--scale", "small", "--seed", "3")
    assert "Generated small data with seed 3" in done.stdout
    after = row_counts(db)
    small = SCALES["small"]
    assert after["hubs_organisation"] == small.organisations
    assert after["hubs_hub"] == small.hubs
    assert after["hubs_membership"] == small.memberships
    assert after["events_event"] == small.events
    assert after["events_registration"] == small.registrations
    assert after["hubs_stagechange"] > 0
    assert integrity(db) == "ok"


def test_a_killed_import_writes_no_row(migrated, tmp_path):
    db = restore(migrated, tmp_path / "echos.sqlite3")
    made = echos(
        db,
        "shell",
        "-c",
        "from echos.core.models import Country\n"
        "from echos.hubs import services\n"
        "hub = services.create_hub(actor=None, country=Country.objects.get(pk='NO'),"
        " level='national', name='Crash test hub', name_en='Crash test hub')\n"
        "print('HUB', hub.pk)",
    )
    hub = next(line.split()[1] for line in made.stdout.splitlines() if line.startswith("HUB "))
    with_hub = restore(db, tmp_path / "with-hub.sqlite3")
    before = row_counts(db)
    assert before["hubs_hub"] == 1 and before["hubs_membership"] == 0

    def ready(line):  # "[##....] 400 rows checked": 400 organisations and memberships written
        return line.endswith("rows checked") and int(line.split()[-3]) >= 400

    killed, output = False, []
    for rows in (3_000, 30_000):
        csv = tmp_path / f"memberships-{rows}.csv"
        csv.write_text(
            "organisation,stakeholder_group,role\n"
            + "".join(f"Crash test organisation {i},research,member\n" for i in range(rows)),
            encoding="utf-8",
        )
        killed, output = kill_when(db, ["import", "memberships", str(csv), "--hub", hub], ready)
        if killed:
            break
        restore(with_hub, db)  # it ended by itself: start again with ten times the rows
    assert killed, "import finished before it could be killed:\n" + "\n".join(output)

    assert integrity(db) == "ok"
    assert row_counts(db) == before, "the killed import left rows behind"
