"""`echos kpis`: the KPI catalogue and its figures from the command line.

``echos kpis -o docs/kpis.md`` writes the catalogue as Markdown (without -o, prints it);
``echos kpis list`` lists the codes; ``echos kpis figures CODE`` gives one KPI's figures, computed
by ``core.kpis`` like the dashboards and the API (``reports.api_kpis`` shapes the JSON). An
operator's tool: every KPI is computed, public or not.
"""

import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from echos.core import kpis
from echos.hubs.models import Hub
from echos.reports import kpi_docs
from echos.reports.api_kpis import kpi_out, result_out

MAX_ID = 2**63 - 1


class Command(BaseCommand):
    help = (
        "KPIs: `echos kpis -o docs/kpis.md` writes the catalogue as Markdown (without -o, "
        "prints it); `echos kpis list`; `echos kpis figures CODE [--period 2026-01:2026-06] "
        "[--hub ID] [--monthly] [--format text|json|csv]` (the dashboards' and the API's figures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write the catalogue to")
        sub = parser.add_subparsers(dest="action", required=False, metavar="SUBCOMMAND")
        p = sub.add_parser("list", help="Every installed KPI: code, scopes, public or not, name.")
        p.add_argument("--format", choices=["text", "json"], default="text")
        p = sub.add_parser(
            "figures", help="One KPI's figures over a period, for the network or a hub."
        )
        p.add_argument("code", metavar="CODE")
        p.add_argument(
            "--period",
            default="",
            metavar="YYYY-MM:YYYY-MM",
            help="Whole months, both included; default the last 12 months",
        )
        p.add_argument("--hub", default="", metavar="ID", help="Default: the whole network")
        p.add_argument("--monthly", action="store_true", help="One line per month")
        p.add_argument("--format", choices=["text", "json", "csv"], default="text")

    def handle(self, *args, action=None, **options):
        if action == "list":
            self.do_list(options["format"])
        elif action == "figures":
            self.do_figures(**options)
        else:
            self.do_catalogue(options["output"])

    def do_catalogue(self, output: str | None) -> None:
        text = kpi_docs.render()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")

    def do_list(self, format: str) -> None:
        catalogue = kpis.catalogue()
        if format == "json":
            self.stdout.write(json.dumps([kpi_out(k) for k in catalogue], indent=1))
            return
        width = max((len(k.code) for k in catalogue), default=0)
        for k in catalogue:
            visibility = _("public") if k.public else _("restricted")
            scopes = "+".join(k.scopes)
            self.stdout.write(f"{k.code.ljust(width)}  {scopes:<11}  {visibility:<10}  {k.name}")

    def _period(self, value: str):
        if not value:
            return kpis.default_period()
        start, sep, end = value.partition(":")
        if not sep:
            end = start  # one month
        try:
            return kpis.parse_period(start, end, start_field="--period", end_field="--period")
        except kpis.PeriodError as exc:
            raise CommandError(exc.message) from None

    def _hub(self, value: str, kpi: kpis.Kpi) -> Hub | None:
        if not value:
            return None
        try:
            pk = int(value)
            if not 1 <= pk <= MAX_ID:
                raise ValueError
        except ValueError:
            raise CommandError(_("--hub: give a hub's id (a number).")) from None
        hub = Hub.objects.filter(pk=pk).first()
        if hub is None:
            raise CommandError(_("--hub: no hub has the id %(id)s.") % {"id": pk})
        if "hub" not in kpi.scopes:
            raise CommandError(
                _("--hub: %(code)s is computed for the network only.") % {"code": kpi.code}
            )
        return hub

    def do_figures(self, *, code, period, hub, monthly, format, **_options) -> None:
        try:
            kpi = kpis.get(code)
        except kpis.UnknownKpi:
            raise CommandError(
                _("CODE: no KPI has the code %(code)r (see `echos kpis list`).") % {"code": code}
            ) from None
        start, end = self._period(period)
        scope = self._hub(hub, kpi)
        try:
            results = kpis.monthly(kpi, start, end, scope) if monthly else None
        except kpis.PeriodError:
            raise CommandError(_("--period: too long for a monthly series.")) from None
        results = results or [kpis.compute(kpi, start, end, scope)]
        rows = [result_out(r) for r in results]
        if format == "json":
            data = {"code": kpi.code, "hub": scope.pk if scope else None, "months": rows}
            self.stdout.write(
                json.dumps(data if monthly else rows[0], cls=DjangoJSONEncoder, indent=1)
            )
        elif format == "csv":
            out = io.StringIO()
            w = csv.writer(out, lineterminator="\n")
            w.writerow(["code", "hub", "start", "end", "key", "label", "value"])
            for r in rows:
                for f in r["figures"]:
                    w.writerow([kpi.code, r["hub"] or "", r["start"], r["end"], *f.values()])
            self.stdout.write(out.getvalue(), ending="")
        else:
            self.stdout.write(f"{kpi.code}: {kpi.name} ({kpi.unit})")
            for r in rows:
                self.stdout.write(f"{kpis.period_label(r['start'], r['end'])}")
                for f in r["figures"]:
                    label = f["label"] or _("total")
                    self.stdout.write(f"  {label}: {'-' if f['value'] is None else f['value']}")
                if r["total"] is not None and len(r["figures"]) > 1:
                    self.stdout.write(f"  {_('total')}: {r['total']}")
