"""The PDF of a report: a Django template laid out by WeasyPrint (HTML + CSS paged media).

No network at run time: fonts are the DejaVu Sans files the library app ships (loaded through
``@font-face`` with ``file:`` URLs), the EU emblem is the site's static SVG, and charts are SVG
rendered by vl-convert and embedded as data URIs. ``url_fetcher`` refuses every other URL.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from echos.reports import content
from echos.reports.render_charts import data_uri


def font_dir() -> Path:
    """The DejaVu Sans files shipped by the library app (Bitstream Vera licence)."""
    return Path(apps.get_app_config("library").path) / "fonts"


def emblem_path() -> Path:
    return Path(apps.get_app_config("core").path).parent / "static" / "echos" / "eu-flag.svg"


def _local_only() -> URLFetcher:
    """Fetch ``file:`` and ``data:`` URLs only: a report never reaches the internet."""
    return URLFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def css_string(text: str) -> str:
    """Text inside a CSS string (page headers and footers); ``<`` escaped so no ``</style>``."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return mark_safe(text.replace("<", "\\3c "))  # noqa: S308 - escaped for a CSS string above


def html(report: content.Report) -> str:
    """The report's HTML in its language."""
    with translation.override(report.spec.language):
        return render_to_string(
            "reports/pdf/report.html",
            {
                "report": report,
                "fonts": font_dir().as_uri(),
                "emblem": emblem_path().as_uri(),
                "map_uri": data_uri(report.map_svg) if report.map_svg else "",
                "kpis": [
                    {
                        "block": b,
                        "chart": data_uri(b.chart_svg) if b.chart_svg else "",
                        "monthly": data_uri(b.monthly_svg) if b.monthly_svg else "",
                    }
                    for b in report.kpis
                ],  # fmt: skip
                "stage_counts": content.stage_counts(report.map_rows),
                "css": {
                    "header": css_string(f"{report.title} · {report.subtitle}"),
                    "period": css_string(report.period_label),
                    "footer": css_string(
                        _("Funded by the European Union · Grant Agreement No %(grant)s")
                        % {"grant": content.GRANT}
                    ),
                    "page": css_string(_("Page")),
                },
                "consortium": content.consortium_rows(report.progress),
            },
        )


def write(report: content.Report, target: Path) -> Path:
    """Lay out the report and write the PDF file."""
    fonts = FontConfiguration()
    document = HTML(string=html(report), base_url=font_dir().as_uri(), url_fetcher=_local_only())
    document.write_pdf(target, font_config=fonts)
    return target
