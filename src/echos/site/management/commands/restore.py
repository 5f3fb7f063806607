from django.core.management.base import BaseCommand, CommandError

from echos.site.backup import BackupError, restore_backup
from echos.site.management.commands.backup import size


class Command(BaseCommand):
    help = (
        "Replace the whole database and the uploaded files by the contents of a backup made by "
        "`echos backup`, after verifying it. Refuses a non-empty database unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An archive written by `echos backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite a database that already holds data (all of it is replaced).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive and that it fits this database; change nothing.",
        )

    def handle(self, *args, file, force, check, **options):
        try:
            summary = restore_backup(
                file,
                force=force,
                check_only=check,
                progress=(lambda message: self.stdout.write(message))
                if options["verbosity"] > 1
                else None,
            )
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not options["verbosity"]:
            return
        made = summary.manifest.get("created_at", "?")
        if check:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{summary.path} is a valid echos backup of {made}: {summary.rows} rows of "
                    f"{summary.tables} tables and {summary.media_files} media files "
                    f"({size(summary.media_bytes)}); it fits this database."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored the backup of {made}: {summary.rows} rows of {summary.tables} "
                    f"tables and {summary.media_files} media files ({size(summary.media_bytes)}) "
                    f"in {summary.seconds:.1f} s. Restart running echos processes."
                )
            )
