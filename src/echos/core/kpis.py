"""The KPI catalogue (issue #15): one written definition and one function per figure.

Every app that owns a capability declares its KPIs in a module named by ``kpis`` on its
``AppConfig`` (``KPIS = [Kpi(...), ...]``); an app that is not installed lists none, so a KPI whose
capability is absent is never shown. The same ``compute`` feeds the dashboards, the reports, the
API and the open data: a figure cannot differ between two places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.utils.module_loading import import_string

from echos.core import registry

Number = int | float | Decimal


@dataclass(frozen=True)
class Kpi:
    """A key performance indicator and its written definition.

    ``function`` is the dotted path of ``(start, end, hub) -> list[Figure]``: the figures over the
    period ``[start, end]`` (both days included) for the whole network (``hub`` None) or one hub
    (and its sub-hubs). It runs aggregate queries only: a query count independent of data size.
    ``breakdown`` names what the figures are split by (stages, levels...), empty for one figure.
    """

    code: str
    name: Any
    definition: Any
    numerator: Any
    denominator: Any
    unit: Any
    owner: str
    function: str
    breakdown: Any = ""
    scopes: tuple[Literal["network", "hub"], ...] = ("network", "hub")
    # "flow": counted over the period (records held); "stock": the state on the period's last day.
    kind: Literal["flow", "stock"] = "flow"


@dataclass(frozen=True)
class Figure:
    """One figure of a KPI: a breakdown row (``key`` a stable code) or the single total (key '')."""

    key: str
    label: str
    value: Number | None


@dataclass
class Result:
    kpi: Kpi
    start: date
    end: date
    hub_id: int | None
    figures: list[Figure] = field(default_factory=list)

    @property
    def total(self) -> Number | None:
        values = [f.value for f in self.figures if f.value is not None]
        return sum(values) if values else None


class UnknownKpi(LookupError):
    """No installed app declares this KPI code."""


def catalogue(scope: str | None = None) -> list[Kpi]:
    """Every installed app's KPIs, in ``INSTALLED_APPS`` order (optionally one scope's)."""
    kpis = [kpi for module in registry.kpi_modules() for kpi in module.KPIS]
    return [k for k in kpis if scope is None or scope in k.scopes]


def get(code: str) -> Kpi:
    for kpi in catalogue():
        if kpi.code == code:
            return kpi
    raise UnknownKpi(code)


def compute(code: str | Kpi, start: date, end: date, hub=None) -> Result:
    """The figures of one KPI over a period, for the network or a hub."""
    kpi = code if isinstance(code, Kpi) else get(code)
    function: Callable[..., list[Figure]] = import_string(kpi.function)
    return Result(kpi, start, end, getattr(hub, "pk", None), list(function(start, end, hub)))
