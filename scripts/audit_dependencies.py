"""Audit the pinned dependencies (requirements.lock) for known vulnerabilities with pip-audit.

Exit status: 1 when a known vulnerability affects a pinned version and is not listed in
``.ci/audit-ignore`` (one advisory id per line, ``#`` starts a reason); 0 otherwise. When the
vulnerability database cannot be reached (no network, a mirror that is not PyPI), the audit is
reported as not done and the build goes on: an audit that could not run proves nothing either way,
and a closed network must not stop CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
IGNORE = ROOT / ".ci" / "audit-ignore"
TIMEOUT_SECONDS = 300


@dataclass
class Outcome:
    """What one audit found: the verdict, the lines to print and the exit status."""

    audited: int = 0
    skipped: int = 0
    findings: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unreachable: str = ""

    @property
    def status(self) -> int:
        return 1 if self.findings else 0

    def lines(self) -> list[str]:
        if self.unreachable:
            return [f"dependency audit NOT DONE: {self.unreachable}"]
        out = [
            f"dependency audit: {self.audited} packages audited, {self.skipped} not found in "
            f"the vulnerability database, {len(self.findings)} vulnerable, "
            f"{len(self.ignored)} ignored by .ci/audit-ignore"
        ]
        out += [f"  VULNERABLE {line}" for line in self.findings]
        out += [f"  ignored    {line}" for line in self.ignored]
        return out


def read_ignore(text: str) -> set[str]:
    """Advisory ids of an ignore file: the first word of each line, comments dropped."""
    ids = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            ids.add(word.split()[0])
    return ids


def interpret(report: dict, ignore: set[str]) -> Outcome:
    """Turn pip-audit's JSON report into an outcome.

    A report in which no package could be looked up means the database was not reached (pip-audit
    then marks every package "not found"), which is not the same as a clean audit.
    """
    outcome = Outcome()
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            outcome.skipped += 1
            continue
        outcome.audited += 1
        for vuln in dep.get("vulns", []):
            ids = {vuln.get("id", "")} | set(vuln.get("aliases", []))
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            line = f"{dep['name']} {dep.get('version', '?')}: {vuln.get('id')} (fixed in {fixes})"
            (outcome.ignored if ids & ignore else outcome.findings).append(line)
    if outcome.audited == 0:
        outcome.unreachable = (
            f"none of the {outcome.skipped} pinned packages could be looked up "
            "(vulnerability database unreachable from here)"
        )
    return outcome


def run_pip_audit(lock: Path) -> tuple[dict | None, str]:
    """Run pip-audit on the lock file; the JSON report, or None and why it is missing."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(lock),
            "--disable-pip",  # the lock pins every package with its hashes: nothing to resolve
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(out),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except FileNotFoundError as exc:
            return None, f"pip-audit could not start ({exc})"
        except subprocess.TimeoutExpired:
            return None, f"pip-audit gave no answer within {TIMEOUT_SECONDS} s"
        if not out.exists() or not out.read_text().strip():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"pip-audit exited {done.returncode} without a report: {last}"
        return json.loads(out.read_text()), ""


def main() -> int:
    report, why = run_pip_audit(LOCK)
    ignore = read_ignore(IGNORE.read_text()) if IGNORE.exists() else set()
    outcome = Outcome(unreachable=why) if report is None else interpret(report, ignore)
    print("\n".join(outcome.lines()))
    return outcome.status


if __name__ == "__main__":
    sys.exit(main())
