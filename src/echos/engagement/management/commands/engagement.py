"""`echos engagement …`: the engagement figures of the site and the API from the command line.

Thin wrappers over the services the pages and the API call (``coverage``, ``suggestions``,
``network_views``, ``usecases``, ``exports_impact``, ``services``, ``tasks``): the same figures,
never a second computation. What an anonymous visitor sees unless ``--as-user NAME``.
"""

import csv
import io
import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.engagement import (
    api,
    api_network,
    coverage,
    exports_impact,
    graph,
    impact,
    services,
    suggestions,
    tasks,
    usecases,
)
from echos.engagement import network_views as nv
from echos.engagement import permissions as perms
from echos.engagement.models import UseCase
from echos.hubs.models import Hub

MAX_ID = 2**63 - 1
POSITIONAL = {"hub_id": "HUB_ID", "use_case_id": "ID"}


def option(field: str | None) -> str:
    """The command-line spelling of a service's field name (``start`` → ``--start``)."""
    if not field:
        return _("input")
    return POSITIONAL.get(field, "--" + field.replace("_", "-"))


def dump(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)


def table(header: list[str], rows: list[list]) -> str:
    """Plain columns for a terminal."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    )


def coverage_csv(data: dict) -> str:
    """The API's coverage answer as CSV sections: the matrix, the sectors, regions and trend."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    levels = data["levels"]
    w.writerow(["group", *levels, "total", "deepest"])
    for r in data["matrix"]:
        w.writerow([r["group"], *(r["counts"][c] for c in levels), r["total"], r["deepest"] or ""])
    w.writerow([])
    w.writerow(["sector", "reaches"])
    for sector, n in (data["sector_totals"] or {}).items():
        w.writerow([sector, n])
    w.writerow([])
    w.writerow(["region", "name", "records"])
    for r in data["regions"] or []:
        w.writerow([r["region"], r["name"], r["records"]])
    w.writerow(["", "without region", data["records_without_region"] or 0])
    w.writerow([])
    w.writerow(["quarter", "records", "participants"])
    for q in data["trend"] or []:
        w.writerow([q["quarter"], q["records"], q["participants"]])
    return out.getvalue()


def coverage_text(data: dict) -> str:
    levels = data["levels"]
    parts = [
        _("Coverage of hub %(hub)s, %(start)s to %(end)s: %(n)s records.")
        % {"hub": data["hub"], "start": data["start"], "end": data["end"], "n": data["records"]},
        "",
        table(
            [_("group"), *levels, _("total"), _("deepest")],
            [
                [r["group"], *(r["counts"][c] for c in levels), r["total"], r["deepest"] or "-"]
                for r in data["matrix"]
            ],
        ),
        "",
        _("Groups not engaged: %(codes)s") % {"codes": ", ".join(data["gaps"]) or "-"},
        "",
        _("Penta Helix balance (group reaches per sector):"),
        table(
            [_("sector"), _("reaches")], [[k, n] for k, n in (data["sector_totals"] or {}).items()]
        ),
        "",
        _("Records per region:"),
        table(
            [_("region"), _("records")],
            [[f"{r['region']} {r['name']}", r["records"]] for r in data["regions"] or []]
            + [[_("no region"), data["records_without_region"] or 0]],
        ),
        "",
        _("Trend per quarter:"),
        table(
            [_("quarter"), _("records"), _("participants")],
            [[q["quarter"], q["records"], q["participants"]] for q in data["trend"] or []],
        ),
    ]
    return "\n".join(parts) + "\n"


class Command(BaseCommand):
    help = (
        "Engagement figures from the command line, the same as the site's and the API's: "
        "coverage, suggestions, network, use-cases, impact, follow-ups, digest. "
        "Public data unless --as-user NAME. `echos engagement SUBCOMMAND --help` for each."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="SUBCOMMAND")

        def period(p):
            p.add_argument("--start", default="", help="YYYY-MM-DD; default 12 months before end")
            p.add_argument("--end", default="", help="YYYY-MM-DD; default today")

        def as_user(p):
            p.add_argument(
                "--as-user",
                default="",
                metavar="NAME",
                help="See what this account sees (default: an anonymous visitor)",
            )

        p = sub.add_parser(
            "coverage",
            help="Level × group matrix, Penta Helix balance, regions and trend of a hub.",
        )
        p.add_argument("hub_id", metavar="HUB_ID")
        period(p)
        as_user(p)
        p.add_argument("--format", choices=["text", "json", "csv"], default="text")

        p = sub.add_parser("suggestions", help="Suggestions in words from a hub's coverage.")
        p.add_argument("hub_id", metavar="HUB_ID")
        period(p)
        as_user(p)
        p.add_argument("--format", choices=["text", "json"], default="text")

        p = sub.add_parser(
            "network",
            help="The engagement network map as JSON, GEXF or GraphML. Computed in this "
            "process whatever its size (the site leaves a large one to the background worker): "
            "a large network may take minutes and much memory.",
        )
        p.add_argument("--hub", default="", metavar="ID", help="Default: the whole network")
        period(p)
        p.add_argument("--group", default="", metavar="CODE", help="stakeholder_groups code")
        p.add_argument("--objective", default="", metavar="CODE", help="objectives code")
        as_user(p)
        p.add_argument("--format", choices=["json", *graph.EXPORT_FORMATS], default="json")
        p.add_argument("-o", "--output", default="", metavar="FILE", help="Default: stdout")

        p = sub.add_parser(
            "use-cases",
            help="Multistakeholder use cases; with an ID, the hubs engaging its groups.",
        )
        p.add_argument("use_case_id", nargs="?", default="", metavar="ID")
        period(p)
        p.add_argument("--format", choices=["text", "json"], default="text")

        p = sub.add_parser("impact", help="A hub's impact model: indicators with their figures.")
        p.add_argument("hub_id", metavar="HUB_ID")
        p.add_argument("--format", choices=["text", "csv", "xlsx"], default="text")
        p.add_argument("-o", "--output", default="", metavar="FILE", help="Needed for xlsx")

        p = sub.add_parser("follow-ups", help="Open follow-up actions (for operators).")
        p.add_argument("--hub", default="", metavar="ID")
        p.add_argument("--overdue", action="store_true", help="Only those past their due date")

        sub.add_parser("digest", help="Send the weekly follow-up digest e-mails now.")

    def handle(self, *args, action, **options):
        run = getattr(self, "do_" + action.replace("-", "_"))
        try:
            run(**options)
        except RuleViolation as exc:
            raise CommandError(f"{option(exc.field)}: {exc.message}") from None

    # Helpers -------------------------------------------------------------------------------

    def _hub(self, value: str, name: str) -> Hub:
        try:
            pk = int(value)
            if not 1 <= pk <= MAX_ID:
                raise ValueError
        except ValueError:
            raise CommandError(_("%(opt)s: give a hub's id (a number).") % {"opt": name}) from None
        hub = Hub.objects.select_related("country").filter(pk=pk).first()
        if hub is None:
            raise CommandError(_("%(opt)s: no hub has the id %(id)s.") % {"opt": name, "id": pk})
        return hub

    def _user(self, name: str):
        if not name:
            return AnonymousUser()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(_("--as-user: no active account is named %(n)r.") % {"n": name})
        return user

    def _day(self, value: str, name: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise CommandError(
                _("%(opt)s: %(value)r is not a date: write it as YYYY-MM-DD.")
                % {"opt": name, "value": value[:40]}
            ) from None

    def _visible(self, user, hub: Hub, name: str) -> None:
        if not perms.can_view_records(user, hub):
            raise CommandError(
                _("%(opt)s: this hub is not visible to this account.") % {"opt": name}
            )

    def _write(self, data: str | bytes, output: str) -> None:
        if output:
            path = Path(output)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
            self.stdout.write(_("Wrote %(path)s") % {"path": output})
        elif isinstance(data, bytes):
            self.stdout.write(data.decode("utf-8"), ending="")
        else:
            self.stdout.write(data, ending="")

    # Subcommands ---------------------------------------------------------------------------

    def do_coverage(self, *, hub_id, start, end, as_user, format, **_options):
        hub = self._hub(hub_id, "HUB_ID")
        self._visible(self._user(as_user), hub, "HUB_ID")
        first, last = coverage.parse_period(start, end, today=timezone.localdate())
        data = api.coverage_out(hub, first, last)
        if format == "json":
            self.stdout.write(dump(data))
        elif format == "csv":
            self.stdout.write(coverage_csv(data), ending="")
        else:
            self.stdout.write(coverage_text(data), ending="")

    def do_suggestions(self, *, hub_id, start, end, as_user, format, **_options):
        hub = self._hub(hub_id, "HUB_ID")
        user = self._user(as_user)
        self._visible(user, hub, "HUB_ID")
        first, last = coverage.parse_period(start, end, today=timezone.localdate())
        report = coverage.coverage_report(hub, start=first, end=last)
        items = suggestions.suggest(report, include_team=perms.can_view_follow_ups(user, hub))
        if format == "json":
            self.stdout.write(
                dump(
                    {
                        "hub": hub.pk,
                        "start": first,
                        "end": last,
                        "items": [
                            {
                                "rule": s.rule,
                                "description": s.description,
                                "text": s.text,
                                "figures": s.figures,
                            }
                            for s in items
                        ],
                    }
                )
            )
            return
        self.stdout.write(
            _("Suggestions for %(hub)s, %(start)s to %(end)s:")
            % {"hub": hub, "start": first, "end": last}
        )
        for s in items:
            self.stdout.write(f"- [{s.rule}] {s.text}")
        if not items:
            self.stdout.write(_("None: no rule found anything to suggest."))

    def do_network(self, *, hub, start, end, group, objective, as_user, format, output, **_o):
        scope = self._hub(hub, "--hub") if hub else None
        user = self._user(as_user)
        if scope is not None:
            self._visible(user, scope, "--hub")
        f = nv.parse_filters(
            start=self._day(start, "--start"),
            end=self._day(end, "--end"),
            group=group,
            objective=objective,
            today=timezone.localdate(),
        )
        # Computed here whatever its size: this is not a web request (the site and the API
        # leave a large selection to the background job, network_store).
        m = nv.measured_map(hub=scope, filters=f, with_register=nv.sees_register(user, scope))
        if format != "json":
            self._write(m.export(format), output)
            return
        data = {
            "hub": scope.pk if scope else None,
            "start": f.start,
            "end": f.end,
            "group": f.group,
            "objective": f.objective,
            "includes_register": m.with_register,
            "summary": m.summary,
            "brokers": m.labelled(m.metrics.brokers),
            "bridges": m.labelled(m.metrics.bridges),
            "isolated": m.labelled(m.metrics.isolated),
            "node_count": m.g.number_of_nodes(),
            "nodes": m.rows(),
            "edges": m.edges(),
        }
        self._write(dump(data) + "\n", output)

    def do_use_cases(self, *, use_case_id, start, end, format, **_options):
        if not use_case_id:
            cases = [
                api_network.use_case_out(u) for u in UseCase.objects.prefetch_related("groups")
            ]
            if format == "json":
                self.stdout.write(dump(cases))
            else:
                rows = [[u["id"], u["title"], ", ".join(u["groups"])] for u in cases]
                self.stdout.write(table(["id", _("title"), _("groups")], rows))
            return
        try:
            pk = int(use_case_id)
        except ValueError:
            raise CommandError(_("ID: give a use case's id (a number).")) from None
        case = UseCase.objects.prefetch_related("groups").filter(pk=pk).first()
        if case is None:
            raise CommandError(_("ID: no use case has the id %(id)s.") % {"id": pk})
        f = nv.parse_filters(
            start=self._day(start, "--start"),
            end=self._day(end, "--end"),
            today=timezone.localdate(),
        )
        cov = usecases.coverage(case, start=f.start, end=f.end)
        hubs = [
            {
                "hub": h.hub_id,
                "name": h.name,
                "country": h.country,
                "level": h.level,
                "engaged": h.engaged,
                "missing": h.missing,
                "complete": h.complete,
            }
            for h in cov.hubs
        ]
        if format == "json":
            data = {
                "use_case": case.pk,
                "start": cov.start,
                "end": cov.end,
                "groups": [g.code for g in cov.groups],
                "per_group": cov.per_group,
                "complete": len(cov.complete),
                "partial": len(cov.partial),
                "none": cov.none,
                "hubs": hubs,
            }
            self.stdout.write(dump(data))
            return
        self.stdout.write(
            _(
                "%(title)s, %(start)s to %(end)s: %(complete)s hubs engage every group, "
                "%(partial)s some, %(none)s none."
            )  # fmt: skip
            % {
                "title": case.title,
                "start": cov.start,
                "end": cov.end,
                "complete": len(cov.complete),
                "partial": len(cov.partial),
                "none": cov.none,
            }
        )
        self.stdout.write(
            table(
                [_("hub"), _("name"), _("engaged"), _("missing")],
                [
                    [h["hub"], h["name"], ", ".join(h["engaged"]), ", ".join(h["missing"])]
                    for h in hubs
                ],  # fmt: skip
            )
        )

    def do_impact(self, *, hub_id, format, output, **_options):
        hub = self._hub(hub_id, "HUB_ID")
        if format == "xlsx" and not output:
            raise CommandError(_("-o/--output: an XLSX file needs a file name."))
        if format in ("csv", "xlsx"):
            self._write(exports_impact.export(hub, format), output)
            return
        rows = list(exports_impact.rows(impact.impact_model(hub)))
        keep = ["stage", "indicator", "unit", "target", "period_end", "actual", "cumulative"]
        at = [exports_impact.HEADER.index(k) for k in keep]
        self._write(table(keep, [[r[i] for i in at] for r in rows]) + "\n", output)

    def do_follow_ups(self, *, hub, overdue, **_options):
        scope = self._hub(hub, "--hub") if hub else None
        qs = services.overdue_follow_ups(scope) if overdue else services.open_follow_ups(scope)
        today = timezone.localdate()
        rows = [
            [
                f.pk,
                f.record.hub_id,
                f.due_date,
                _("overdue") if f.due_date < today else "",
                f.owner.username if f.owner else "-",
                f.title,
            ]
            for f in qs.order_by("due_date", "pk")
        ]
        self.stdout.write(
            table(["id", _("hub"), _("due"), "", _("owner"), _("action")], rows)
            if rows
            else _("No open follow-up actions.")
        )

    def do_digest(self, **_options):
        sent = tasks.digest()
        self.stdout.write(_("Follow-up digest sent: %(n)s e-mails.") % {"n": sent})
