import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from echos.hubs.imports import COLUMNS, run_import
from echos.hubs.models import Hub


class Command(BaseCommand):
    help = "Import organisations or memberships from CSV/XLSX; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(COLUMNS))
        parser.add_argument("file")
        parser.add_argument("--hub", type=int, help="Hub id (memberships)")

    def handle(self, *args, kind, file, hub, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = None
        if kind == "memberships":
            if hub is None:
                raise CommandError("--hub ID is required for memberships.")
            target = Hub.objects.filter(pk=hub).first()
            if target is None:
                raise CommandError(f"No hub with id {hub}.")
        data = path.read_bytes()
        total = max(1, data.count(b"\n"))
        tty = sys.stderr.isatty()

        def progress(done: int) -> None:
            if done % 200 == 0 or done == total:
                width = 30
                filled = min(width, int(width * done / total))
                end = "\r" if tty else "\n"
                sys.stderr.write(
                    f"[{'#' * filled}{'.' * (width - filled)}] {done} rows checked{end}"
                )

        report = run_import(kind, data, filename=path.name, hub=target, progress=progress)
        sys.stderr.write("\n" if tty else "")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {report.created} {kind}."))
