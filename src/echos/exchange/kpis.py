"""Key performance indicators owned by exchange (core.kpis; issue #15)."""

from echos.core.kpis import Kpi

KPIS: list[Kpi] = []
