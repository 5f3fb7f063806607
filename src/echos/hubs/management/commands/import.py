import sys
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from echos.core.registry import import_functions
from echos.hubs.imports import COLUMNS, run_import
from echos.hubs.models import Hub


class Command(BaseCommand):
    help = (
        "Import organisations, memberships or another app's kind (e.g. stakeholders, engagement) "
        "from CSV/XLSX; all rows or none."
    )

    def add_arguments(self, parser):
        # Other apps' kinds come through the registry: hubs never imports them.
        parser.add_argument("kind", choices=sorted({*COLUMNS, *import_functions()}))
        parser.add_argument("file")
        parser.add_argument("--hub", type=int, help="Hub id (memberships and other apps' kinds)")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help="Largest file accepted (default: settings.ECHOS_IMPORT_MAX_BYTES)",
        )
        parser.add_argument(
            "--max-rows",
            type=int,
            default=None,
            help="Most rows accepted (default: settings.ECHOS_IMPORT_MAX_ROWS)",
        )

    def handle(self, *args, kind, file, hub, max_bytes, max_rows, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = None
        if kind not in COLUMNS or kind == "memberships":
            if hub is None:
                raise CommandError(f"--hub ID is required for {kind}.")
            target = Hub.objects.filter(pk=hub).first()
            if target is None:
                raise CommandError(f"No hub with id {hub}.")
        total = max_rows or settings.ECHOS_IMPORT_MAX_ROWS
        tty = sys.stderr.isatty()

        def progress(done: int) -> None:
            if done % 200 == 0:
                end = "\r" if tty else "\n"
                sys.stderr.write(f"{done} of at most {total} rows checked{end}")

        # Streamed from disk: a file larger than the limit is refused without being read.
        with path.open("rb") as stream:
            run = partial(run_import, kind) if kind in COLUMNS else import_functions()[kind]
            report = run(
                stream,
                filename=path.name,
                hub=target,
                progress=progress,
                max_bytes=max_bytes,
                max_rows=max_rows,
            )
        sys.stderr.write("\n" if tty else "")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{report.problems or len(report.errors)} problem(s); nothing was imported."
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {report.created} {kind}."))
