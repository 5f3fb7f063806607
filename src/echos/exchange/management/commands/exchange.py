"""``echos exchange pair --hubs hubs.json [--format json|text]``: Europe-wide pairing, no database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from echos.exchange import pairing


class Command(BaseCommand):
    help = (
        "Network of support for analysts: `echos exchange pair --hubs hubs.json` pairs seeking "
        "hubs with mentors (see echos.exchange.pairing for the input and the benefit)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser(
            "pair",
            help="Optimal mentor–mentee pairing with each mentor's capacity; no database needed.",
        )
        p.add_argument(
            "--hubs",
            required=True,
            help='JSON array of {"id", "levels", "capacity", "languages", "seeking"}; - reads stdin',
        )
        p.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: object, **options: object) -> None:
        source = str(options["hubs"])
        try:
            if source == "-":
                body: bytes = sys.stdin.buffer.read(pairing.MAX_BODY + 1)
            else:
                path = Path(source)
                if not path.is_file():
                    raise pairing.PairingInvalid("--hubs", f"no such file {path}")
                body = path.read_bytes()
            result = pairing.pair_from_body(body)
        except pairing.PairingInvalid as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(2)
        if options["format"] == "text":
            for p in result["pairs"]:
                self.stdout.write(f"{p['mentee']} <- {p['mentor']}  benefit {p['benefit']}")
                for reason in p["reasons"]:
                    self.stdout.write(f"    {reason}")
            self.stdout.write(
                f"{len(result['pairs'])} pairs, total benefit {result['total_benefit']}"
            )
        else:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
