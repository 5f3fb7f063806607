"""Pages of the participation gap dashboard: aggregates only, public (``perms.can_view_gap``)."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from echos.core import memo
from echos.events.gap import charts, report_for_request, write_csv
from echos.events.gap.breakdowns import MAP_COLOURS, map_categories
from echos.events.gap.report import CACHE_SECONDS, GapReport, map_rows, page_sections


def figures(report: GapReport) -> SafeString:
    """The report's tables, charts and map as HTML, rendered once per report: kept under the
    report's own key (its filters, language and data version), so they change exactly when the
    report does. Rendering them (hundreds of localised numbers and the charts' specifications)
    was most of a warm request."""

    def build() -> str:
        return render_to_string(
            "events/_gap_figures.html",
            {
                "report": report,
                "sections": page_sections(report),
                "map_spec": charts.map_spec(map_rows(report), map_categories(), MAP_COLOURS),
            },
        )

    if not report.key or memo.uncommitted_writes():
        return mark_safe(build())  # rendered and escaped by the template engine
    key = f"{report.key}:figures"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # rendered and escaped by the template engine


def gap(request):
    """The public participation gap dashboard."""
    report = report_for_request(request.GET)
    return render(
        request,
        "events/gap.html",
        {
            "report": report,
            "filters": report.filters,
            "csv_query": report.filters.query(),
            "small_count": settings.ECHOS_SMALL_COUNT,
            "figures": figures(report),
        },
    )


def gap_csv(request):
    """The dashboard's tables as CSV, for the same filters."""
    report = report_for_request(request.GET)
    response = HttpResponse(write_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participation-gap.csv"'
    return response
