"""A hub's impact model (logic model): its elements, their indicators and values, and progress.

Writes: guard (the hub's team), validation naming the field, one transaction, the audit entry.
The model is public (it names aims and figures, never people); the hub's team edits it: its editors,
coordinators at or above the hub, and network coordinators (``echos.hubs`` predicates).

Reads: ``impact_model(hub)`` assembles the five columns with every indicator's values per period in
a fixed number of queries (elements, indicators, hand-entered values, then one aggregate query per
kind of computation in use; see ``engagement.indicators``).

How periods add up (``Indicator.accumulation``), and which figure is compared with the target:

- **cumulative**: the running total since the indicator's baseline date (without one: since its
  first period — the hub's first held record, or the first entered value, however old). Computed:
  the records from that date to the end of each quarter (distinct organisations counted once);
  hand-entered: the sum of the entered values whose period starts on or after that date, each entry
  being that period's own figure. Progress: the running total now.
- **per period**: computed, the figure within each quarter, and progress on the latest *complete*
  quarter (the current one is still filling up); hand-entered, the latest entry (entries that are
  already totals or levels, such as staff or a gap in points, are per period).

When none is given, computed indicators are cumulative (a target such as "20 citizen dialogues by
2027" is a total) and hand-entered ones per period (a team enters the figure it measured).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.models import Term
from echos.engagement import indicators
from echos.engagement.models import (
    Accumulation,
    ImpactStage,
    Indicator,
    IndicatorValue,
    LogicElement,
)
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub

MAX_TEXT = 5_000
MAX_ELEMENTS = 100  # per hub
MAX_INDICATORS = 20  # per element
MAX_VALUES = 200  # per indicator
MAX_PERIOD_DAYS = 366 * 5
# DecimalField(max_digits=14, decimal_places=2): 12 digits before the point.
MAX_NUMBER = Decimal("999999999999.99")
# Computed indicators are shown over the last eight quarters (two years), the current one included.
QUARTERS = 8


def can_view_impact(user, hub: Hub) -> bool:
    """The impact model is public: aims, indicators and counts, never personal data."""
    return hub_perms.can_view_hub(user, hub)


def can_edit_impact(user, hub: Hub) -> bool:
    """The hub's team: its editors, coordinators at or above it, network coordinators."""
    return hub_perms.can_edit_hub(user, hub)


# --- validation ---------------------------------------------------------------------------------


def _text(value, field: str, *, limit: int, missing: str | None = None) -> str:
    """Stripped text; ``missing`` is the message when it is required and empty."""
    text = str(value or "").strip()
    if missing and not text:
        raise RuleViolation(missing, field)
    if len(text) > limit:
        raise RuleViolation(
            _("Keep this under %(n)s characters (it has %(len)s).")
            % {"n": limit, "len": len(text)},
            field,
        )
    return text


def _number(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RuleViolation(_("This is not a number."), field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RuleViolation(_("This is not a number."), field) from None
    if not number.is_finite() or abs(number) > MAX_NUMBER:
        raise RuleViolation(
            _("Give a number between -999,999,999,999.99 and 999,999,999,999.99."), field
        )
    return number.quantize(Decimal("0.01"))


def _date(value, field: str, *, required: bool) -> date | None:
    if value is None or value == "":
        if required:
            raise RuleViolation(_("Give the date."), field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleViolation(_("Give the date as YYYY-MM-DD."), field) from None


def _position(value, field: str = "position") -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not str(value).isdigit() or int(value) > 1000:
        raise RuleViolation(_("The position is a whole number from 0 to 1000."), field)
    return int(value)


def validate_indicator(indicator: Indicator) -> None:
    """Rules on an indicator's fields; the first broken one names its field."""
    indicator.name = _text(indicator.name, "name", limit=250, missing=_("Name the indicator."))
    indicator.unit = _text(indicator.unit, "unit", limit=60)
    indicator.baseline = _number(indicator.baseline, "baseline")
    indicator.target = _number(indicator.target, "target")
    indicator.target_date = _date(indicator.target_date, "target_date", required=False)
    indicator.baseline_date = _date(indicator.baseline_date, "baseline_date", required=False)
    indicator.position = _position(indicator.position)
    if indicator.target is not None and not indicator.unit:
        raise RuleViolation(
            _("An indicator with a target needs a unit (e.g. dialogues, organisations, %)."),
            "unit",
        )
    code = str(indicator.computation or "").strip()
    parameter = str(indicator.parameter or "").strip()
    if code and code not in indicators.COMPUTATIONS:
        raise RuleViolation(
            _("Unknown computation %(code)r; choose one of: %(codes)s.")
            % {"code": code, "codes": ", ".join(indicators.COMPUTATIONS)},
            "computation",
        )
    needs = indicators.COMPUTATIONS[code].parameter if code else ""
    if needs == indicators.GROUP_PARAMETER:
        if not parameter:
            raise RuleViolation(
                _("This computation needs a stakeholder group as its parameter."), "parameter"
            )
        if not Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).filter(code=parameter).exists():
            raise RuleViolation(
                _("Unknown stakeholder group %(code)r.") % {"code": parameter}, "parameter"
            )
    elif parameter:
        raise RuleViolation(_("This computation takes no parameter; leave it empty."), "parameter")
    indicator.computation, indicator.parameter = code, parameter
    accumulation = str(indicator.accumulation or "").strip()
    if not accumulation:
        accumulation = default_accumulation(code)
    if accumulation not in Accumulation.values:
        raise RuleViolation(
            _("Choose how the periods add up: %(choices)s.")
            % {"choices": ", ".join(Accumulation.values)},
            "accumulation",
        )
    indicator.accumulation = accumulation


def default_accumulation(computation: str) -> str:
    """Computed indicators count events, so their targets are totals; entered ones are readings."""
    return Accumulation.CUMULATIVE if computation else Accumulation.PER_PERIOD


def validate_value(value: IndicatorValue) -> None:
    """Rules on a hand-entered value: an ordered, bounded period and a number."""
    start = _date(value.period_start, "period_start", required=True)
    end = _date(value.period_end, "period_end", required=True)
    assert start is not None and end is not None  # required=True refused empty ones
    if end < start:
        raise RuleViolation(_("The period cannot end before it starts."), "period_end")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise RuleViolation(_("A period lasts at most five years."), "period_end")
    value.period_start, value.period_end = start, end
    number = _number(value.actual, "actual")
    if number is None:
        raise RuleViolation(_("Give the actual value."), "actual")
    value.actual = number
    value.note = _text(value.note, "note", limit=300)


# --- writes -------------------------------------------------------------------------------------

ELEMENT_FIELDS = {"stage", "title", "description", "position", "is_demo"}
INDICATOR_FIELDS = {
    "name",
    "unit",
    "baseline",
    "target",
    "target_date",
    "accumulation",
    "baseline_date",
    "computation",
    "parameter",
    "position",
    "is_demo",
}
VALUE_FIELDS = {"period_start", "period_end", "actual", "note"}


def _only(fields: dict, allowed: set[str], name: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{name}() got unexpected fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def save_element(
    *, actor, hub: Hub | None = None, element: LogicElement | None = None, **fields
) -> LogicElement:
    """Add a box to a hub's logic model (``hub``) or change one (``element``)."""
    _only(fields, ELEMENT_FIELDS, "save_element")
    created = element is None
    if element is None:
        if hub is None:
            raise RuleViolation(_("Choose the hub."), "hub")
        element = LogicElement(hub=hub)
    guard(can_edit_impact(actor, element.hub), actor)
    for key, value in fields.items():
        setattr(element, key, value)
    if element.stage not in ImpactStage.values:
        raise RuleViolation(
            _("Choose a stage: %(stages)s.") % {"stages": ", ".join(ImpactStage.values)}, "stage"
        )
    element.title = _text(element.title, "title", limit=250, missing=_("Give the element a title."))
    element.description = _text(element.description, "description", limit=MAX_TEXT)
    element.position = _position(element.position)
    if created and LogicElement.objects.filter(hub=element.hub).count() >= MAX_ELEMENTS:
        raise RuleViolation(
            _("An impact model holds at most %(n)s elements.") % {"n": MAX_ELEMENTS}, "hub"
        )
    element.save()
    log_action(
        actor=actor,
        action="engagement.impact.element_" + ("created" if created else "updated"),
        target=element,
        data={"hub": element.hub_id, "stage": element.stage, "title": element.title},
    )
    return element


@transaction.atomic
def delete_element(*, actor, element: LogicElement) -> None:
    """Remove a box with its indicators and their values."""
    guard(can_edit_impact(actor, element.hub), actor)
    log_action(
        actor=actor,
        action="engagement.impact.element_deleted",
        target=element.hub,
        data={"element": element.pk, "stage": element.stage, "title": element.title},
    )
    element.delete()


@transaction.atomic
def save_indicator(
    *, actor, element: LogicElement | None = None, indicator: Indicator | None = None, **fields
) -> Indicator:
    """Add an indicator to an element (``element``) or change one (``indicator``)."""
    _only(fields, INDICATOR_FIELDS, "save_indicator")
    created = indicator is None
    if indicator is None:
        if element is None:
            raise RuleViolation(_("Choose the element the indicator measures."), "element")
        indicator = Indicator(element=element)
    hub = indicator.element.hub
    guard(can_edit_impact(actor, hub), actor)
    for key, value in fields.items():
        setattr(indicator, key, value)
    if created and not fields.get("accumulation"):
        indicator.accumulation = ""  # the default of its kind, once the computation is known
    validate_indicator(indicator)
    if created and Indicator.objects.filter(element=indicator.element).count() >= MAX_INDICATORS:
        raise RuleViolation(
            _("An element holds at most %(n)s indicators.") % {"n": MAX_INDICATORS}, "element"
        )
    indicator.save()
    log_action(
        actor=actor,
        action="engagement.impact.indicator_" + ("created" if created else "updated"),
        target=indicator,
        data={
            "hub": hub.pk,
            "element": indicator.element_id,
            "name": indicator.name,
            "unit": indicator.unit,
            "baseline": indicator.baseline,
            "target": indicator.target,
            "accumulation": indicator.accumulation,
            "baseline_date": indicator.baseline_date,
            "computation": indicator.computation,
            "parameter": indicator.parameter,
        },
    )
    return indicator


@transaction.atomic
def delete_indicator(*, actor, indicator: Indicator) -> None:
    """Remove an indicator with its values."""
    guard(can_edit_impact(actor, indicator.element.hub), actor)
    log_action(
        actor=actor,
        action="engagement.impact.indicator_deleted",
        target=indicator.element.hub,
        data={"indicator": indicator.pk, "name": indicator.name},
    )
    indicator.delete()


@transaction.atomic
def save_value(
    *, actor, indicator: Indicator | None = None, value: IndicatorValue | None = None, **fields
) -> IndicatorValue:
    """Enter the actual value of an indicator over one period (or correct one)."""
    _only(fields, VALUE_FIELDS, "save_value")
    created = value is None
    if value is None:
        if indicator is None:
            raise RuleViolation(_("Choose the indicator."), "indicator")
        value = IndicatorValue(indicator=indicator)
    indicator = value.indicator
    guard(can_edit_impact(actor, indicator.element.hub), actor)
    if indicator.computation:
        raise RuleViolation(
            _("This indicator is computed from the records; its values cannot be entered."),
            "indicator",
        )
    for key, item in fields.items():
        setattr(value, key, item)
    validate_value(value)
    same = IndicatorValue.objects.filter(
        indicator=indicator, period_start=value.period_start, period_end=value.period_end
    ).exclude(pk=value.pk)
    if same.exists():
        raise Conflict(_("This indicator already has a value for this period."), "period_start")
    if created and IndicatorValue.objects.filter(indicator=indicator).count() >= MAX_VALUES:
        raise RuleViolation(
            _("An indicator holds at most %(n)s values.") % {"n": MAX_VALUES}, "indicator"
        )
    value.is_computed = False
    value.save()
    log_action(
        actor=actor,
        action="engagement.impact.value_" + ("created" if created else "updated"),
        target=indicator,
        data={
            "period_start": value.period_start,
            "period_end": value.period_end,
            "actual": value.actual,
        },
    )
    return value


@transaction.atomic
def delete_value(*, actor, value: IndicatorValue) -> None:
    """Remove a hand-entered value."""
    guard(can_edit_impact(actor, value.indicator.element.hub), actor)
    log_action(
        actor=actor,
        action="engagement.impact.value_deleted",
        target=value.indicator,
        data={"period_start": value.period_start, "period_end": value.period_end},
    )
    value.delete()


# --- reads --------------------------------------------------------------------------------------


def progress(
    baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> int | None:
    """Percent of the way from the baseline (0 when none) to the target; None without a target."""
    if target is None or actual is None:
        return None
    start = baseline or Decimal(0)
    if target == start:
        return 100 if actual == target else None
    return int(((actual - start) / (target - start) * 100).to_integral_value())


@dataclass
class Period:
    """An indicator over one period: the figure within it, the running total at its end
    (cumulative indicators; None before the baseline date) and the % of the way to the target of
    the figure that counts (the running total, or the period's own figure)."""

    start: date
    end: date
    actual: Decimal
    cumulative: Decimal | None
    percent: int | None
    note: str = ""
    is_computed: bool = False
    value_id: int | None = None
    is_complete: bool = True

    @property
    def figure(self) -> Decimal | None:
        return self.actual if self.cumulative is None else self.cumulative


@dataclass
class IndicatorView:
    indicator: Indicator
    periods: list[Period] = field(default_factory=list)

    @property
    def computation(self) -> indicators.Computation | None:
        return indicators.COMPUTATIONS.get(self.indicator.computation)

    @property
    def is_cumulative(self) -> bool:
        return self.indicator.accumulation == Accumulation.CUMULATIVE

    @property
    def current(self) -> Period | None:
        """The period whose figure is compared with the target: the last one with a running total
        (cumulative), the latest complete quarter (computed, per period) or the latest entry."""
        if self.is_cumulative:
            return next((p for p in reversed(self.periods) if p.cumulative is not None), None)
        return next((p for p in reversed(self.periods) if p.is_complete), None)

    @property
    def value(self) -> Decimal | None:
        """The figure compared with the target (see ``current``)."""
        current = self.current
        return None if current is None else current.figure

    @property
    def percent(self) -> int | None:
        return self.current.percent if self.current else None


@dataclass
class ElementView:
    element: LogicElement
    indicators: list[IndicatorView]


@dataclass
class Column:
    stage: str
    label: str
    elements: list[ElementView]


@dataclass
class ImpactModel:
    hub: Hub
    columns: list[Column]

    @property
    def indicators(self) -> list[IndicatorView]:
        return [i for c in self.columns for e in c.elements for i in e.indicators]

    @property
    def with_target(self) -> list[IndicatorView]:
        return [i for i in self.indicators if i.indicator.target is not None]

    @property
    def is_empty(self) -> bool:
        return not any(c.elements for c in self.columns)


def impact_model(hub: Hub, *, today: date | None = None) -> ImpactModel:
    """The five columns with every indicator's values: computed ones over the last ``QUARTERS``
    quarters (their running totals also count older records), hand-entered ones as entered. Three
    queries plus one per computation kind in use."""
    today = today or timezone.localdate()
    elements = list(
        LogicElement.objects.filter(hub=hub).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values"))
        )
    )
    wanted = [
        (i.computation, i.parameter) for e in elements for i in e.indicators.all() if i.computation
    ]
    computed = indicators.compute(hub.pk, wanted)
    starts = indicators.quarters(today, QUARTERS)
    columns = []
    for stage, label in ImpactStage.choices:
        views = []
        for element in (e for e in elements if e.stage == stage):
            views.append(
                ElementView(
                    element,
                    [_indicator_view(i, computed, starts, today) for i in element.indicators.all()],
                )
            )
        columns.append(Column(stage, str(label), views))
    return ImpactModel(hub, columns)


def _indicator_view(
    indicator: Indicator,
    computed: dict[str, indicators.Series],
    starts: list[date],
    today: date,
) -> IndicatorView:
    view = IndicatorView(indicator)
    cumulative = indicator.accumulation == Accumulation.CUMULATIVE
    since = indicator.baseline_date

    def period(start, end, actual, running, **extra) -> Period:
        figure = running if cumulative else actual
        percent = progress(indicator.baseline, indicator.target, figure)
        return Period(start, end, actual, running, percent, **extra)

    if indicator.computation:
        rows = indicators.for_parameter(
            computed.get(indicator.computation, []), indicator.parameter
        )
        for q in indicators.figures(rows, starts, since=since):
            end = indicators.quarter_end(q.start)
            running = q.running if cumulative else None
            view.periods.append(
                period(q.start, end, q.within, running, is_computed=True, is_complete=end < today)
            )
    else:
        total = Decimal(0)
        for v in sorted(indicator.values.all(), key=lambda v: (v.period_end, v.period_start)):
            running = None
            if cumulative and (since is None or v.period_start >= since):
                total += v.actual
                running = total
            view.periods.append(
                period(v.period_start, v.period_end, v.actual, running, note=v.note, value_id=v.pk)
            )
    return view
