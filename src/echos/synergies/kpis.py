"""Key performance indicators owned by synergies (core.kpis; issue #15)."""

from echos.core.kpis import Kpi

KPIS: list[Kpi] = []
