import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from echos.continuity import engine

MAX_BYTES = 5_000_000


def read_model(source: str) -> engine.Model:
    """The model from a JSON file, or from stdin when ``source`` is ``-``."""
    if source == "-":
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise engine.ModelInvalid("--model", _("no such file %(path)s"), path=path)
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise engine.ModelInvalid("--model", _("larger than %(max)s bytes"), max=MAX_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError) as exc:
        raise engine.ModelInvalid(
            "--model", _("not valid JSON in UTF-8 (%(error)s)"), error=exc
        ) from None
    return engine.parse_model(data)


def to_csv(result: dict) -> str:
    """The baseline month by month, then one ``coverage`` line per horizon and the cliff."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "income", "costs", "balance"])
    for row in result["months"]:
        writer.writerow([row["month"], row["income"], row["costs"], row["balance"]])
    writer.writerow([])
    writer.writerow(["measure", "value"])
    writer.writerow(["cliff", result["cliff"] or ""])
    writer.writerow(["runway_months", result["runway_months"]])
    for months, p in result["coverage"].items():
        writer.writerow([f"coverage_{months}", "" if p is None else p])
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Continuity engine for analysts: `echos continuity project --model model.json "
        "[--runs 10000] [--seed 1] [--format json|csv]`; no database needed."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser(
            "project", help="Baseline projection, cliff, runway and Monte Carlo coverage."
        )
        p.add_argument("--model", required=True, help="JSON file of the model, or - for stdin")
        p.add_argument("--runs", type=int, default=engine.DEFAULT_RUNS)
        p.add_argument("--seed", type=int, default=None)
        p.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        with translation.override("en"):  # analysts' tool: messages in English
            self._handle(options)

    def _handle(self, options):
        try:
            model = read_model(options["model"])
            result = engine.report(
                model, runs=engine.check_runs(options["runs"]), seed=options["seed"]
            )
        except engine.ModelInvalid as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(2)
        if options["format"] == "csv":
            self.stdout.write(to_csv(result), ending="")
        else:
            self.stdout.write(json.dumps(result, indent=1))
