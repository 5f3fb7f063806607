"""docs/kpis.md is the catalogue's current text (regenerate: `echos kpis -o docs/kpis.md`)."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from echos.core import kpis
from echos.reports import kpi_docs

DOC = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"


def test_docs_kpis_md_is_current(db):
    assert DOC.read_text(encoding="utf-8") == kpi_docs.render(), (
        "docs/kpis.md is out of date: run `echos kpis -o docs/kpis.md`"
    )


def test_command_prints_every_kpi(db):
    out = StringIO()
    call_command("kpis", stdout=out)
    for kpi in kpis.catalogue():
        assert f"## {kpi.code}:" in out.getvalue()
