import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from echos.core.models import User
from echos.reports import content, jobs


class Command(BaseCommand):
    help = (
        "Write a report: `echos report network|hub ID --format pdf|xlsx "
        "[--period 2026-01:2026-06] [--language pl] -o FILE` (progress on stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["network", "hub"])
        parser.add_argument("hub", nargs="?", help="Hub identifier (hub reports)")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--period", help="YYYY-MM:YYYY-MM (default: the last 12 months)")
        parser.add_argument("--language", default="en")
        parser.add_argument("-o", "--output", required=True, help="File to write")
        parser.add_argument(
            "--as-user",
            help="Check the permissions of this account (default: the command line may write "
            "any report, like an administrator)",
        )

    def handle(self, *args, **options):
        user: Any = _Operator()
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"--as-user: no account {options['as_user']}")
        try:
            request = jobs.check_request(
                user,
                kind=options["kind"],
                hub_id=options["hub"],
                format=options["format"],
                period=options["period"],
                language=options["language"],
            )
        except jobs.ReportError as exc:
            raise CommandError(_arg(exc.field) + ": " + exc.message.split(": ", 1)[-1]) from None
        except PermissionDenied:
            raise CommandError(
                f"--as-user: {options['as_user']} may not ask for this report"
            ) from None
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(f"-o: no such directory {target.parent}")
        spec = content.ReportSpec(
            kind=request.kind,
            hub_id=request.hub.pk if request.hub else None,
            start=request.start,
            end=request.end,
            language=request.language,
            format=request.format,
        )
        last = [-1]

        def progress(percent: int) -> None:
            if percent != last[0]:
                last[0] = percent
                sys.stderr.write(f"\r{percent:3d}%")
                sys.stderr.flush()

        with translation.override(request.language):
            jobs.write(spec, target, progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(f"{target} ({target.stat().st_size} bytes)")


def _arg(field: str) -> str:
    return {"hub": "ID", "kind": "KIND"}.get(field, f"--{field}")


class _Operator:
    """Whoever runs the command line: the server's operator may write any report."""

    is_authenticated = True
    is_active = True
    coordinates_network = True
    pk = None
