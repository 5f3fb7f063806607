"""The PDF report: its text holds the acknowledgement, the grant number and the right figures."""

import io
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from echos.reports import content, jobs
from tests.reports.kpi_data import make_event

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def spec(**changes):
    data = {
        "kind": "network",
        "hub_id": None,
        "start": date(2025, 1, 1),
        "end": date(2025, 6, 30),
        "language": "en",
        "format": "pdf",
    }
    data.update(changes)
    return content.ReportSpec(**data)


def test_network_pdf_holds_acknowledgement_grant_and_figures(hubs, report_kpis, tmp_path):
    make_event(hubs["norway"], date(2025, 2, 3))
    make_event(hubs["portugal"], date(2025, 5, 6))
    make_event(hubs["portugal"], date(2024, 12, 6))  # the previous period
    path = jobs.write(spec(), tmp_path / "r.pdf")
    text = " ".join(pdf_text(path).split())
    assert path.read_bytes().startswith(b"%PDF")
    assert "Funded by the European Union" in text
    assert "101104587" in text
    assert "Neither the European Union nor the granting authority can be held responsible" in text
    assert "Network periodic report" in text and "2025-01 – 2025-06" in text
    # Hubs by level: 2 national, 1 regional, 1 local, total 4; events: 2 now, 1 before (+1).
    assert "National 2 2" in text and "Regional 1 1" in text and "Total 4 4" in text
    assert "Events held (test) 2 1 +1 events" in text
    assert "Europe: national hubs by stage" in text  # the map's chapter
    assert "Contents" in text


def test_hub_pdf_counts_the_hub_and_its_sub_hubs_only(hubs, report_kpis, tmp_path):
    make_event(hubs["bergen"], date(2025, 2, 3))
    make_event(hubs["portugal"], date(2025, 5, 6))
    path = jobs.write(spec(kind="hub", hub_id=hubs["norway"].pk), tmp_path / "h.pdf")
    text = " ".join(pdf_text(path).split())
    assert "Cancer Mission Hub Norway" in text
    assert "Events held (test) 1 0 +1 events" in text
    assert "Europe: national hubs by stage" not in text  # the map is the network's
    assert "101104587" in text


def test_pdf_in_polish_carries_the_polish_acknowledgement(hubs, report_kpis, tmp_path):
    with translation.override("pl"):
        polish = content.acknowledgement()
    assert polish != content.acknowledgement()
    path = jobs.write(spec(language="pl"), tmp_path / "pl.pdf")
    text = " ".join(pdf_text(path).split())
    assert " ".join(polish.split())[:60] in text
    assert "101104587" in text


def test_the_map_counts_are_the_kpi_figures(hubs):
    from echos.core import kpis

    rows = content.map_rows(date(2025, 6, 30))
    counts = {s["label"]: s["count"] for s in content.stage_counts(rows)}
    result = kpis.compute("HUB-COUNTRIES-STAGE", date(2025, 1, 1), date(2025, 6, 30))
    assert counts == {f.label: f.value for f in result.figures}


def test_network_pdf_and_xlsx_show_the_consortium_progress(hubs, report_kpis, tmp_path):
    from openpyxl import load_workbook

    from echos.consortium.demo import load_demo, load_reference_consortium

    load_reference_consortium()
    load_demo()
    text = " ".join(pdf_text(jobs.write(spec(), tmp_path / "c.pdf")).split())
    assert "Progress of the ECHoS consortium" in text
    assert "SOURCES DISAGREE" in text.upper()  # facts with two values keep both sources
    assert "Work packages" in text and "Milestones and deliverables" in text
    book = load_workbook(jobs.write(spec(format="xlsx"), tmp_path / "c.xlsx"))
    assert {"Work packages", "Milestones and deliverables", "Programme facts", "Risks"} <= set(
        book.sheetnames
    )
    facts = list(book["Programme facts"].iter_rows(min_row=2, values_only=True))
    assert any(row[1] == "101104587" for row in facts)
