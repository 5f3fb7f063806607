import pytest

from echos.core import registry
from tests.reports import report_kpis as kpi_module


@pytest.fixture
def report_kpis(monkeypatch):
    """The catalogue of the report tests (``tests/reports/report_kpis.py``)."""
    monkeypatch.setattr(registry, "kpi_modules", lambda: [kpi_module])
    return kpi_module


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path
