"""Impact model services: who writes, what is refused (naming the field), progress arithmetic."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.engagement import impact
from echos.engagement.models import Indicator, IndicatorValue, LogicElement

pytestmark = pytest.mark.django_db


@pytest.fixture
def element(hubs):
    return impact.save_element(
        actor=None, hub=hubs["norway"], stage="outcomes", title="Patients shape the plan"
    )


def refused(field, fn, **kwargs):
    with pytest.raises(RuleViolation) as info:
        fn(actor=None, **kwargs)
    assert info.value.field == field, info.value.message
    return info.value


def test_team_writes_and_is_audited(personas, hubs):
    for who in ("coord_no", "editor_no", "network"):
        e = impact.save_element(
            actor=personas[who], hub=hubs["norway"], stage="inputs", title=f"Staff ({who})"
        )
        assert e.pk
    assert ActionLog.objects.filter(action="engagement.impact.element_created").count() == 3


@pytest.mark.parametrize("who", ["coord_pt", "member_no"])
def test_others_cannot_write(personas, hubs, element, who):
    with pytest.raises(PermissionDenied):
        impact.save_element(actor=personas[who], hub=hubs["norway"], stage="inputs", title="X")
    with pytest.raises(PermissionDenied):
        impact.save_indicator(actor=personas[who], element=element, name="X")
    with pytest.raises(PermissionDenied):
        impact.delete_element(actor=personas[who], element=element)
    assert LogicElement.objects.filter(hub=hubs["norway"]).count() == 1


def test_coordinator_of_a_parent_hub_edits_the_sub_hub(personas, hubs):
    e = impact.save_element(
        actor=personas["coord_no"], hub=hubs["bergen"], stage="activities", title="Walks"
    )
    assert e.hub == hubs["bergen"]


def test_element_rules_name_the_field(hubs, element):
    refused("stage", impact.save_element, hub=hubs["norway"], stage="dreams", title="X")
    refused("title", impact.save_element, hub=hubs["norway"], stage="inputs", title="  ")
    refused("title", impact.save_element, hub=hubs["norway"], stage="inputs", title="x" * 251)
    refused("position", impact.save_element, element=element, position=-1)
    element.refresh_from_db()
    assert element.title == "Patients shape the plan"


def test_indicator_with_a_target_needs_a_unit(element):
    exc = refused("unit", impact.save_indicator, element=element, name="Dialogues", target=5)
    assert "unit" in exc.message
    assert not Indicator.objects.exists()
    ok = impact.save_indicator(element=element, actor=None, name="D", target="5", unit="dialogues")
    assert ok.target == Decimal("5.00")


def test_indicator_rules_name_the_field(element):
    save = impact.save_indicator
    refused("name", save, element=element, name="")
    refused("baseline", save, element=element, name="X", baseline="many")
    refused("target", save, element=element, name="X", unit="u", target=10**13)
    refused("target_date", save, element=element, name="X", target_date="next year")
    refused("computation", save, element=element, name="X", computation="vibes")
    refused("parameter", save, element=element, name="X", computation="participants_from_group")
    refused(
        "parameter",
        save,
        element=element,
        name="X",
        computation="participants_from_group",
        parameter="aliens",
    )
    refused(
        "parameter",
        save,
        element=element,
        name="X",
        computation="citizen_dialogues_held",
        parameter="citizens",
    )
    assert not Indicator.objects.exists()
    ok = save(
        actor=None,
        element=element,
        name="Citizens taking part",
        computation="participants_from_group",
        parameter="citizens",
    )
    assert ok.parameter == "citizens"


def test_values_periods_and_conflicts(element):
    indicator = impact.save_indicator(
        actor=None, element=element, name="Members", unit="organisations", baseline=10, target=30
    )
    save = impact.save_value
    refused(
        "period_end",
        save,
        indicator=indicator,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 3, 31),
        actual=12,
    )
    refused(
        "period_end",
        save,
        indicator=indicator,
        period_start="2020-01-01",
        period_end="2026-01-01",
        actual=1,
    )
    refused(
        "period_start",
        save,
        indicator=indicator,
        period_start="soon",
        period_end="2025-01-01",
        actual=1,
    )
    refused(
        "actual",
        save,
        indicator=indicator,
        period_start="2025-01-01",
        period_end="2025-03-31",
        actual=None,
    )
    refused(
        "actual",
        save,
        indicator=indicator,
        period_start="2025-01-01",
        period_end="2025-03-31",
        actual="NaN",
    )
    v = save(
        actor=None,
        indicator=indicator,
        period_start="2025-01-01",
        period_end="2025-03-31",
        actual=20,
    )
    with pytest.raises(Conflict) as info:
        save(
            actor=None,
            indicator=indicator,
            period_start="2025-01-01",
            period_end="2025-03-31",
            actual=21,
        )
    assert info.value.field == "period_start"
    assert IndicatorValue.objects.get().pk == v.pk
    view = impact.impact_model(element.hub).indicators[0]
    assert view.value == Decimal(20) and view.percent == 50


def test_a_computed_indicator_takes_no_hand_entered_value(element):
    indicator = impact.save_indicator(
        actor=None, element=element, name="Dialogues", computation="citizen_dialogues_held"
    )
    refused(
        "indicator",
        impact.save_value,
        indicator=indicator,
        period_start="2025-01-01",
        period_end="2025-03-31",
        actual=3,
    )


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "percent"),
    [
        (None, 10, 5, 50),
        (10, 30, 20, 50),
        (10, 30, 40, 150),
        (10, 30, 5, -25),
        (30, 10, 20, 50),  # a falling target: from 30 down to 10
        (5, 5, 5, 100),
        (5, 5, 4, None),
        (0, None, 4, None),
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target(
    baseline, target, actual, percent
):
    as_dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    assert impact.progress(as_dec(baseline), as_dec(target), as_dec(actual)) == percent


def test_model_has_five_columns_in_order_and_deleting_cascades(hubs, element):
    impact.save_indicator(actor=None, element=element, name="N")
    model = impact.impact_model(hubs["norway"])
    assert [c.stage for c in model.columns] == [
        "inputs",
        "activities",
        "outputs",
        "outcomes",
        "impact",
    ]
    assert model.columns[3].elements[0].element == element
    impact.delete_element(actor=None, element=element)
    assert not Indicator.objects.exists()
    assert impact.impact_model(hubs["norway"]).is_empty


def test_demo_builds_two_labelled_models_with_computed_indicators_once(hubs, make_record):
    from echos.engagement import demo_impact, indicators
    from echos.hubs.models import Hub

    Hub.objects.filter(pk__in=[hubs["norway"].pk, hubs["portugal"].pk]).update(is_demo=True)
    make_record(format="citizen_dialogue", date=date.today())
    counts = demo_impact.load_demo()
    assert counts["impact_elements"] == 10 and counts["impact_values"] > 0
    assert demo_impact.load_demo()["impact_elements"] == 0  # idempotent
    assert not LogicElement.objects.filter(is_demo=False).exists()
    assert not Indicator.objects.filter(is_demo=False).exists()
    assert all(e.title.endswith("(demo)") for e in LogicElement.objects.all())
    codes = set(Indicator.objects.exclude(computation="").values_list("computation", flat=True))
    assert codes == set(indicators.COMPUTATIONS)
    model = impact.impact_model(hubs["norway"])
    dialogues = next(
        i for i in model.indicators if i.indicator.computation == "citizen_dialogues_held"
    )
    assert dialogues.value == 1


# --- how periods add up ---------------------------------------------------------------------


def test_accumulation_defaults_by_kind_and_is_refused_naming_the_field(element):
    computed = impact.save_indicator(
        actor=None, element=element, name="D", computation="citizen_dialogues_held"
    )
    entered = impact.save_indicator(actor=None, element=element, name="Staff", unit="FTE")
    assert (computed.accumulation, entered.accumulation) == ("cumulative", "per_period")
    chosen = impact.save_indicator(
        actor=None, element=element, name="Trained", unit="people", accumulation="cumulative"
    )
    assert chosen.accumulation == "cumulative"
    # A change that does not name it keeps it.
    impact.save_indicator(actor=None, indicator=chosen, target=50)
    chosen.refresh_from_db()
    assert chosen.accumulation == "cumulative"
    refused("accumulation", impact.save_indicator, element=element, name="X", accumulation="sum")
    refused("baseline_date", impact.save_indicator, element=element, name="X", baseline_date="x")
    assert Indicator.objects.count() == 3


def _entered(element, accumulation, **fields):
    indicator = impact.save_indicator(
        actor=None,
        element=element,
        name="Priorities co-decided",
        unit="priorities",
        target=8,
        accumulation=accumulation,
        **fields,
    )
    for start, end, actual in [
        ("2024-01-01", "2024-06-30", 1),
        ("2024-07-01", "2024-12-31", 2),
        ("2025-01-01", "2025-06-30", 3),
    ]:
        impact.save_value(
            actor=None, indicator=indicator, period_start=start, period_end=end, actual=actual
        )
    return impact.impact_model(element.hub).indicators[0]


def test_hand_entered_cumulative_sums_the_entries_since_the_baseline_date(element):
    view = _entered(element, "cumulative")
    assert [p.cumulative for p in view.periods] == [1, 3, 6]
    assert view.value == 6 and view.percent == 75


def test_hand_entered_cumulative_from_a_baseline_date_leaves_earlier_entries_out(element):
    view = _entered(element, "cumulative", baseline_date=date(2024, 7, 1))
    assert [p.cumulative for p in view.periods] == [None, 2, 5]
    assert view.periods[0].percent is None
    assert view.value == 5 and view.percent == 62


def test_hand_entered_per_period_takes_the_latest_entry(element):
    view = _entered(element, "per_period")
    assert view.value == 3 and view.percent == 38
    assert all(p.cumulative is None for p in view.periods)
