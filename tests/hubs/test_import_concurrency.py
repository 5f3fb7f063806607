"""A 20,000-row member import runs while people register and others import: nobody is lost.

Every registration sent meanwhile is stored or answered 503 (never 500), the small imports
complete or are told the database is busy, and the large import is stored whole.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.hubs import import_race

ROWS, N = 20_000, 6


def check(result: dict, stored: int, registrations: int) -> None:
    codes = result["codes"]
    assert len(codes) == N and set(codes) <= {302, 303, 503}, codes
    assert registrations == sum(1 for c in codes if c in (302, 303))
    assert result["big"]["ok"] and result["big"]["created"] == ROWS, result["big"]
    assert stored == ROWS
    assert len(result["small"]) == 2
    assert all(r["ok"] or "busy" in r for r in result["small"]), result["small"]


@pytest.mark.django_db(transaction=True)
def test_large_import_alongside_registrations_on_the_test_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite is one connection; the SQLite race runs in a subprocess")
    event, big, small = import_race.make_data(ROWS)
    result = import_race.run(event.pk, big.pk, [h.pk for h in small], ROWS, N)
    check(result, big.memberships.count(), event.registrations.count())


def test_large_import_alongside_registrations_on_a_sqlite_file(tmp_path):
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("import_race.py")),
            str(tmp_path / "race.sqlite3"),
            str(ROWS),
            str(N),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
        env={**os.environ, "ECHOS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(root)},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    check(result, result["stored"], result["registrations"])
