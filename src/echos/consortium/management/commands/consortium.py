"""`echos consortium …`: the consortium's progress and facts from the command line, and loading
its reference data.

Thin wrappers: ``progress.summary`` (the figures of the network report and of
``/api/v1/consortium/progress``) and the idempotent ``demo.load_reference_consortium``.
"""

import dataclasses
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.consortium import demo, progress


class Command(BaseCommand):
    help = (
        "Consortium: `progress [--on YYYY-MM-DD] [--format text|json]`, `facts [--disputed]` "
        "(each fact with its sources; disagreements side by side), `load` (load or refresh the "
        "sourced reference data; safe to run again)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="SUBCOMMAND")
        p = sub.add_parser("progress", help="Project month, work packages, outputs, risks.")
        p.add_argument("--on", default="", metavar="YYYY-MM-DD", help="Default: today")
        p.add_argument("--format", choices=["text", "json"], default="text")
        p = sub.add_parser("facts", help="The programme facts with their sources.")
        p.add_argument("--disputed", action="store_true", help="Only where sources disagree")
        p.add_argument("--format", choices=["text", "json"], default="text")
        sub.add_parser("load", help="Load or refresh the reference data (idempotent).")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def _summary(self, on: date) -> progress.ConsortiumProgress:
        found = progress.summary(on)
        if found is None:
            raise CommandError(_("No consortium is loaded: run `echos consortium load` first."))
        return found

    def do_progress(self, *, on, format, **_options):
        day = timezone.localdate()
        if on:
            try:
                day = date.fromisoformat(on.strip())
            except ValueError:
                raise CommandError(
                    _("--on: %(value)r is not a date: write it as YYYY-MM-DD.") % {"value": on[:40]}
                ) from None
        s = self._summary(day)
        if format == "json":
            self.stdout.write(json.dumps(dataclasses.asdict(s), cls=DjangoJSONEncoder, indent=1))
            return
        w = self.stdout.write
        w(f"{s.acronym}: {s.title}")
        w(
            _("On %(on)s: project month %(m)s of %(n)s.")
            % {"on": s.on, "m": s.project_month, "n": s.months}
        )
        if s.period:
            w(
                _("Reporting period %(n)s: months %(a)s to %(b)s (%(start)s to %(end)s).")
                % {
                    "n": s.period.number,
                    "a": s.period.start_month,
                    "b": s.period.end_month,
                    "start": s.period.start,
                    "end": s.period.end,
                }
            )
        w(_("Partners: %(n)s.") % {"n": s.partners})
        w(_("Work packages:"))
        for wp in s.work_packages:
            w(
                _(
                    "  WP%(n)s %(title)s: %(done)s of %(outputs)s outputs done, "
                    "%(overdue)s overdue, %(tasks)s tasks"
                )
                % {
                    "n": wp.number,
                    "title": wp.title,
                    "done": wp.outputs_done,
                    "outputs": wp.outputs,
                    "overdue": wp.outputs_overdue,
                    "tasks": wp.tasks,
                }
            )
        w(_("Overdue outputs: %(n)s") % {"n": s.overdue})
        for o in (o for o in s.outputs if o.overdue):
            w(f"  {o.number} {o.title} ({o.due_date})")
        w(_("Open risks: %(high)s high, %(medium)s medium, %(low)s low.") % s.open_risks_by_level)

    def do_facts(self, *, disputed, format, **_options):
        facts = self._summary(timezone.localdate()).facts
        if disputed:
            facts = [f for f in facts if f.disputed]
        if format == "json":
            data = [{**dataclasses.asdict(f), "disputed": f.disputed} for f in facts]
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=1))
            return
        for f in facts:
            flag = _(" (sources disagree)") if f.disputed else ""
            self.stdout.write(f"{f.label}{flag}:")
            for v in f.values:
                self.stdout.write(f"  {v.value}")
                for src in v.sources:
                    self.stdout.write(
                        f"    - {src['publisher']}: {src['title']} <{src['url']}>, "
                        + _("checked %(day)s") % {"day": src["checked"]}
                    )
        if not facts:
            self.stdout.write(_("No fact to show."))

    def do_load(self, **_options):
        counts = demo.load_reference_consortium()
        self.stdout.write(
            _(
                "Reference data loaded: %(sources)s sources, %(partners)s partners, %(facts)s new facts."
            )
            % counts
        )
