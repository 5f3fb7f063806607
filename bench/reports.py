"""Speed and memory of the reports and of the open-data dump (run by ``make bench``).

On bench/run.py's cached Europe-scale data (``ensure_data`` builds it when missing), each measured
command runs in its own process, so its peak memory is the process's own (``ru_maxrss`` from
``wait4``), and its time is the wall time of the whole command:

- ``echos report network --format pdf`` (KPIs, monthly series, Europe map, charts, WeasyPrint)
  and ``--format xlsx``;
- ``echos opendata -o DIR`` (every public table, streamed to CSV, with ``datapackage.json``).

Baselines in the same run: the same process doing the least (``echos shell`` counting hubs: Python,
Django and one query) for time and memory, and, for the dump, the raw SQL of the same base tables
written with ``csv`` by ``sqlite3`` in one process (no ORM). The ratios say what the feature costs
on top; the memory of the dump and of the report stays near the baseline because rows are streamed
and reports hold aggregates only.

``--data-dir DIR`` measures another SQLite data directory (e.g. the demo's) instead.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

ECHOS = str(ROOT / ".venv" / "bin" / "echos")
# The tables of the dump that grow with the data (raw SQL baseline).
RAW_TABLES = [
    "hubs_hub", "hubs_organisation", "hubs_membership", "hubs_stagechange", "events_event",
    "engagement_engagementrecord", "synergies_activity", "synergies_synergylink",
    "participation_answertally", "library_resource",
]  # fmt: skip


def run(args: list[str], env: dict) -> tuple[float, int]:
    """Wall time (s) and peak resident memory (MiB) of one command in its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def raw_dump(db_path: Path, target: Path) -> tuple[float, int]:
    """The base tables' rows to CSV through sqlite3 and csv only, in a process of its own."""
    code = (
        "import csv, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1])\n"
        "for table in sys.argv[3:]:\n"
        "    cur = db.execute(f'SELECT * FROM {table}')\n"
        "    with open(f'{sys.argv[2]}/{table}.csv', 'w', newline='') as f:\n"
        "        w = csv.writer(f); w.writerow([d[0] for d in cur.description])\n"
        "        for row in cur: w.writerow(row)\n"
    )
    existing = [t for t in RAW_TABLES if _has_table(db_path, t)]
    return run(
        [sys.executable, "-c", code, str(db_path), str(target), *existing], os.environ.copy()
    )


def _has_table(db_path: Path, table: str) -> bool:
    with sqlite3.connect(db_path) as db:
        return bool(
            db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
            ).fetchone()
        )


def rows_of(db_path: Path) -> int:
    with sqlite3.connect(db_path) as db:
        return sum(
            db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
            for t in RAW_TABLES
            if _has_table(db_path, t)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="measure this SQLite data directory instead")
    parser.add_argument("--period", default=None, help="YYYY-MM:YYYY-MM (default last 12 months)")
    options = parser.parse_args()
    env = os.environ.copy()
    if options.data_dir:
        data_dir = Path(options.data_dir).resolve()
        db_path = data_dir / "echos.sqlite3"
        env.update(ECHOS_DATA_DIR=str(data_dir))
        env.pop("ECHOS_SQLITE_PATH", None)
        scale = f"data of {data_dir}"
    else:
        import run as bench_run  # bench/run.py: the cached Europe-scale database

        bench_run.ensure_data(rebuild=False)
        env = bench_run.server_env()
        db_path = bench_run.DB_PATH
        scale = f"Europe scale ({db_path.name})"
    env.setdefault("ECHOS_DEBUG", "0")
    period = ["--period", options.period] if options.period else []
    rows = rows_of(db_path)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        baseline = run(
            [ECHOS, "shell", "-c", "from echos.hubs.models import Hub; Hub.objects.count()"], env
        )
        results.append(("baseline: echos shell, one query", *baseline))
        for fmt in ("pdf", "xlsx"):
            measured = run(
                [ECHOS, "report", "network", "--format", fmt, *period, "-o", str(out / f"r.{fmt}")],
                env,
            )
            size = (out / f"r.{fmt}").stat().st_size
            results.append((f"echos report network --format {fmt} ({size // 1024} KiB)", *measured))
        (out / "raw").mkdir()
        raw = raw_dump(db_path, out / "raw")
        results.append((f"baseline: raw SQL of the base tables to CSV ({rows} rows)", *raw))
        dump = run([ECHOS, "opendata", "-o", str(out / "dump")], env)
        descriptor = json.loads((out / "dump" / "datapackage.json").read_text())
        dumped = sum(r["x_rows"] for r in descriptor["resources"])
        results.append(
            (f"echos opendata ({len(descriptor['resources'])} files, {dumped} rows)", *dump)
        )

    base_s, base_mib = baseline[0], baseline[1]
    lines = [
        f"# Reports and open data — {scale}",
        "",
        "| command | time (s) | × baseline | peak RSS (MiB) | × baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, seconds, mib in results:
        against = (raw[0], raw[1]) if label.startswith("echos opendata") else (base_s, base_mib)
        lines.append(
            f"| {label} | {seconds:.1f} | {seconds / against[0]:.1f} | {mib} | {mib / against[1]:.2f} |"
        )
    lines.append("")
    lines.append(
        "The open-data dump is compared with the raw SQL baseline; the reports with the baseline "
        "process. Peak memory is each process's own maximum resident set."
    )
    text = "\n".join(lines)
    print(text)
    bench_dir = ROOT / ".bench"
    bench_dir.mkdir(exist_ok=True)
    (bench_dir / "reports.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
