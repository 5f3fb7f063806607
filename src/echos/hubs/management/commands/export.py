import sys

from django.core.management.base import BaseCommand

from echos.hubs.exports import EXPORTS, export


class Command(BaseCommand):
    help = "Export hubs, organisations or memberships as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args, kind, format, output, **options):
        if output:
            with open(output, "wb") as fh:
                count = export(kind, format, fh)
            self.stderr.write(f"Wrote {count} {kind} to {output}.")
        else:
            count = export(kind, format, sys.stdout.buffer)
            sys.stdout.buffer.flush()
