"""The report of one set of filters (cached per filters and language), its CSV and the page's
sections with their charts."""

import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from echos.core import pagecache
from echos.core.models import Country, Term
from echos.core.spreadsheets import SafeWriter
from echos.events.gap import charts as gap_charts
from echos.events.gap.breakdowns import (
    PlaceRow,
    by_audience,
    by_country,
    by_group,
    by_language,
    by_month,
    by_objective,
    by_region,
    country_coverage,
    region_coverage,
)
from echos.events.gap.filters import GapFilters, parse_filters
from echos.events.gap.suppression import ShownRow, publish
from echos.events.gap.tallies import Row, aggregate, event_tallies
from echos.events.pagecache import GAP_IGNORES


@dataclass
class GapReport:
    """Everything the dashboard and its CSV show, for one set of filters."""

    filters: GapFilters
    groups: list[Row]
    audiences: list[Row]
    months: list[Row]
    objectives: list[Row]
    languages: list[Row]
    countries: list[Row]
    regions: list[Row]
    country_coverage: list[PlaceRow]
    region_coverage: list[PlaceRow]
    messages: list[str] = field(default_factory=list)
    computed_at: datetime | None = None
    # Reference data for the filter form, read once with the figures.
    all_countries: list[Country] = field(default_factory=list)
    all_objectives: list[Term] = field(default_factory=list)
    # The shared cache's key of this report ("" when it was not stored): what the page's rendered
    # figures are kept under (``events.views.gap``), so they change exactly when the report does.
    key: str = ""

    @property
    def country_gaps(self) -> list[PlaceRow]:
        return [r for r in self.country_coverage if not r.citizen_events]

    @property
    def region_gaps(self) -> list[PlaceRow]:
        return [r for r in self.region_coverage if not r.citizen_events]

    def tables(self) -> list[tuple[str, str, list[Row]]]:
        """(key, title, rows) of the tables of registrations, in the page's order."""
        return [
            ("group", _("The public and professionals"), self.groups),
            ("month", _("By month"), self.months),
            ("audience", _("By audience"), self.audiences),
            ("objective", _("By Mission objective"), self.objectives),
            ("language", _("By language of the event"), self.languages),
            ("country", _("By country"), self.countries),
            ("region", _("By region"), self.regions),
        ]


def build_report(
    filters: GapFilters, countries: list[Country], objectives: list[Term]
) -> GapReport:
    """All aggregates of the dashboard in a fixed number of queries, whatever the data size."""
    agg = aggregate(event_tallies(filters))
    audiences = by_audience(agg)
    return GapReport(
        filters=filters,
        groups=by_group(audiences),
        audiences=audiences,
        months=by_month(agg, filters),
        objectives=by_objective(agg, objectives),
        languages=by_language(agg),
        countries=by_country(agg),
        regions=by_region(agg),
        country_coverage=country_coverage(filters, countries),
        region_coverage=region_coverage(filters),
        all_countries=countries,
        all_objectives=objectives,
    )


CACHE_SECONDS = 600


def report_for_request(params) -> GapReport:
    """The report for a query string, invalid filter values reported and ignored.

    Reports are kept in the shared cache per filters, language and data version (the page cache's
    topic versions, ``core.pagecache``): at Europe scale one takes seconds to compute, and any
    committed write gives the next request a fresh report. Without a readable version store the
    report is computed every time, never served stale.
    """
    countries = list(Country.objects.order_by("name"))
    objectives = list(Term.objects.of("objectives"))
    filters, messages = parse_filters(params, countries=countries, objectives=objectives)
    # What the page shows (events/pagecache.py): not the answers of consultations, nor an
    # event's words and place, which an update may change alone.
    version = pagecache.data_version([pagecache.ALL], GAP_IGNORES)
    key = (
        "echos:gap:"
        + hashlib.sha256(
            repr(
                (filters.bounds, filters.country, filters.objective, get_language(), version)
            ).encode()
        ).hexdigest()
    )
    report = cache.get(key) if version else None
    if report is None:
        report = build_report(filters, countries, objectives)
        report.computed_at = timezone.now()
        if version:
            report.key = key
            cache.set(key, report, CACHE_SECONDS)
    report.messages = messages
    return report


CSV_HEADER = [
    "table",
    "code",
    "label",
    "registrations",
    "public",
    "professionals",
    "not_stated",
    "attended",
    "registrations_at_events_with_attendance_recorded",
    "attendance_rate_percent",
    "citizen_events",
    "category",
]


def write_csv(report: GapReport) -> str:
    """The page's tables as one CSV, one line per row of each table."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_HEADER)
    tables = published(report)
    for key, _title, _rows in report.tables():
        for r in tables[key]:
            rate = "" if r.rate is None else r.rate
            writer.writerow(
                [key, r.code, r.label, r.registrations, r.public, r.professionals]
                + [r.not_stated, r.attendance, r.recorded, rate, "", ""]
            )
    for key, rows in (
        ("citizen_events_country", report.country_coverage),
        ("citizen_events_region", report.region_coverage),
    ):
        for p in rows:
            writer.writerow([key, p.code, p.label, *[""] * 7, p.citizen_events, p.category])
    return out.getvalue()


def map_rows(report: GapReport) -> list[dict]:
    base = reverse("events:gap")
    query = report.filters
    return [
        {
            "code": p.code,
            "country": p.label,
            "category": p.category,
            "detail": str(p.citizen_events),
            "url": f"{base}?{GapFilters(query.start, query.end, p.code, query.objective).query()}",
        }
        for p in report.country_coverage
    ]


def published(report: GapReport) -> dict[str, list[ShownRow]]:
    """The report's tables as the page, its charts and the CSV publish them (``publish``)."""
    return publish({key: rows for key, _title, rows in report.tables()})


def page_sections(report: GapReport) -> list[dict]:
    """The tables of registrations in page order, each with its chart where it has one."""
    tables = published(report)
    charts = {
        "month": (
            gap_charts.month_spec(tables["month"]),
            _(
                "Stacked bars of registrations per month by the public and professionals; "
                "the table below has the same numbers."
            ),
        ),
        "audience": (
            gap_charts.attendance_spec(tables["audience"]),
            _(
                "Bars of registrations and attendance for each audience; "
                "the table below has the same numbers."
            ),
        ),
        "objective": (
            gap_charts.split_spec(tables["objective"]),
            _(
                "Bars of registrations per Mission objective by the public and professionals; "
                "the table below has the same numbers."
            ),
        ),
        "language": (
            gap_charts.split_spec(tables["language"]),
            _(
                "Bars of registrations per language of the event by the public and "
                "professionals; the table below has the same numbers."
            ),
        ),
    }
    any_registration = any(r.registrations for r in report.groups)
    sections = []
    for key, title, _rows in report.tables():
        spec, label = charts.get(key, (None, ""))
        rows = tables[key]
        # An empty table beside registrations says why, never "no registrations".
        empty = (
            _("None of this period's events names a region, nor does its hub.")
            if key == "region" and any_registration
            else _("No registrations in this period.")
        )
        sections.append(
            {
                "key": key,
                "title": title,
                "rows": rows,
                "spec": spec,
                "spec_id": f"gap-{key}-spec",
                "chart_label": label,
                "legend": gap_charts.legend(key) if spec else [],
                "empty": empty,
            }
        )
    return sections
