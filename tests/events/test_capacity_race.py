"""Concurrent registrations never exceed capacity: parallel requests, each on its own connection."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.events import race

N, CAPACITY = 12, 5


def check(codes, statuses):
    assert len(codes) == N and all(c in (302, 303) for c in codes), codes
    counts = Counter(statuses)
    assert counts["registered"] == CAPACITY, counts
    assert counts["waitlisted"] == N - CAPACITY, counts
    assert sum(counts.values()) == N  # nobody lost, nobody doubled


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_on_the_test_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite is one connection; the SQLite race runs in a subprocess")
    event = race.make_event(CAPACITY)
    codes = race.run(event.pk, N)
    check(codes, list(event.registrations.values_list("status", flat=True)))


def test_parallel_registrations_on_a_sqlite_file(tmp_path):
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("race.py")),
            str(tmp_path / "race.sqlite3"),
            str(N),
            str(CAPACITY),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env={**__import__("os").environ, "ECHOS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(root)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    check(data["codes"], data["statuses"])
