"""scripts/audit_dependencies.py: how pip-audit's report becomes CI's verdict. No network."""

import importlib
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="module")
def audit():
    sys.path.insert(0, str(SCRIPTS))
    try:
        yield importlib.import_module("audit_dependencies")
    finally:
        sys.path.remove(str(SCRIPTS))


def report(*deps):
    return {"dependencies": list(deps), "fixes": []}


CLEAN = {"name": "django", "version": "5.2.8", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.0",
    "vulns": [{"id": "PYSEC-2025-1", "aliases": ["CVE-2025-0001"], "fix_versions": ["5.2.1"]}],
}
NOT_FOUND = {"name": "pycountry", "skip_reason": "Dependency not found on PyPI"}


def test_a_known_vulnerability_fails_the_build_and_names_the_package(audit):
    outcome = audit.interpret(report(VULNERABLE, CLEAN), ignore=set())
    assert outcome.status == 1
    assert any("django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in line for line in outcome.lines())


def test_a_clean_audit_passes(audit):
    outcome = audit.interpret(report(CLEAN, NOT_FOUND), ignore=set())
    assert outcome.status == 0 and not outcome.unreachable
    assert "1 packages audited, 1 not found" in outcome.lines()[0]


def test_an_ignored_advisory_passes_by_id_or_alias(audit):
    for ignored in ({"PYSEC-2025-1"}, {"CVE-2025-0001"}):
        outcome = audit.interpret(report(VULNERABLE), ignore=ignored)
        assert outcome.status == 0 and outcome.ignored


def test_an_unreachable_database_is_reported_as_not_done_and_does_not_fail(audit):
    outcome = audit.interpret(report(NOT_FOUND, dict(NOT_FOUND, name="numpy")), ignore=set())
    assert outcome.status == 0
    assert outcome.lines()[0].startswith("dependency audit NOT DONE")


def test_the_ignore_file_reads_ids_and_drops_reasons(audit):
    text = "# advisories we accept\nPYSEC-2025-1  # no fix yet, not reachable in echos\n\nGHSA-x\n"
    assert audit.read_ignore(text) == {"PYSEC-2025-1", "GHSA-x"}
