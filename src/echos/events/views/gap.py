"""Pages of the participation gap dashboard: aggregates only, public (``perms.can_view_gap``)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from echos.events.gap import charts, report_for_request, write_csv
from echos.events.gap.breakdowns import MAP_COLOURS, map_categories
from echos.events.gap.report import map_rows, page_sections


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
            "sections": page_sections(report),
            "small_count": settings.ECHOS_SMALL_COUNT,
            "map_spec": charts.map_spec(map_rows(report), map_categories(), MAP_COLOURS),
        },
    )


def gap_csv(request):
    """The dashboard's tables as CSV, for the same filters."""
    report = report_for_request(request.GET)
    response = HttpResponse(write_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participation-gap.csv"'
    return response
