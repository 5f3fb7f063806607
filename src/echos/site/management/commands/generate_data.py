"""``echos generate-data``: synthetic demo data at small or Europe scale (echos.site.generate)."""

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from echos.site.generate import SCALES, GenerationRefused, generate


class ProgressBar:
    """One bar per model on stderr; redrawn in place on a terminal, one line per model otherwise."""

    def __init__(self, stream=sys.stderr, width: int = 30):
        self.stream = stream
        self.width = width
        self.tty = stream.isatty()
        self.label: str | None = None
        self.started = 0.0
        self.last_line = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label:
            self.finish()
            self.label, self.started = label, time.perf_counter()
        total = max(total, done, 1)
        filled = int(self.width * done / total)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.perf_counter() - self.started
        self.last_line = f"{label:<14} [{bar}] {done:>8,}/{total:,} {elapsed:6.1f}s"
        if self.tty:
            self.stream.write("\r" + self.last_line)
            self.stream.flush()

    def finish(self) -> None:
        if self.label is not None:
            self.stream.write(("\r" if self.tty else "") + self.last_line + "\n")
            self.stream.flush()
        self.label = None


class Command(BaseCommand):
    help = (
        "Fill a freshly migrated database with synthetic demo data (is_demo=True) for load tests: "
        "--scale small (~60 hubs) or europe (2,000 hubs, 50,000 organisations, 150,000 "
        "memberships). The same --seed gives the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add to a database that already holds hubs (reuses existing national hubs).",
        )

    def handle(self, *args, scale, seed, batch, force, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        started = time.perf_counter()
        bar = ProgressBar(sys.stderr)
        try:
            created = generate(scale=scale, seed=seed, batch=batch, force=force, progress=bar)
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.finish()
        _refresh_statistics()
        elapsed = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        summary = ", ".join(
            f"{count:,} {name.replace('_', ' ')}" for name, count in created.items()
        )
        self.stdout.write(
            self.style.SUCCESS(f"Generated {scale} data with seed {seed}: {summary}.")
        )
        self.stdout.write(f"Elapsed {elapsed:.1f} s, peak memory {peak_mib:.0f} MiB (ru_maxrss).")


def _refresh_statistics() -> None:
    """After a bulk load PostgreSQL has no statistics (and no visibility map) for the new rows
    until autovacuum's next pass, and plans queries on guesses meanwhile: the past calendar's
    count read 11,000 heap blocks instead of the index alone. Outside a transaction, VACUUM
    ANALYZE; inside one (the test suite), ANALYZE, which may run there."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
