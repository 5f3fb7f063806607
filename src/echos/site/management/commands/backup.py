from django.core.management.base import BaseCommand, CommandError

from echos.site.backup import BackupError, create_backup


def size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database and the uploaded files (MEDIA_ROOT) "
        "to FILE (.tar.gz), for `echos restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. echos-2026-01-31.tar.gz")
        parser.add_argument("--force", action="store_true", help="Overwrite FILE if it exists.")

    def handle(self, *args, file, force, **options):
        verbose = options["verbosity"] > 1
        try:
            summary = create_backup(
                file,
                overwrite=force,
                progress=(lambda message: self.stdout.write(message)) if verbose else None,
            )
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up {summary.rows} rows of {summary.tables} tables and "
                    f"{summary.media_files} media files ({size(summary.media_bytes)}) to "
                    f"{summary.path} ({size(summary.archive_bytes)}) in {summary.seconds:.1f} s."
                )
            )
