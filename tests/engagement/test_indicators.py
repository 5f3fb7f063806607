"""Indicators computed from the records, on small hand-made data, per quarter."""

from datetime import date
from decimal import Decimal

import pytest

from echos.core.models import Term
from echos.engagement import impact, indicators
from echos.engagement.models import EngagementRecord, ParticipantCount

pytestmark = pytest.mark.django_db

Q1, Q2 = date(2025, 1, 1), date(2025, 4, 1)


def quarterly(series, parameter=""):
    """The figure within each of Q1 and Q2 2025 (quarters without any left out)."""
    rows = indicators.for_parameter(series, parameter)
    return {q.start: q.within for q in indicators.figures(rows, [Q1, Q2], since=None) if q.within}


def status(record, value):
    EngagementRecord.objects.filter(pk=record.pk).update(status=value)


def count(record, group, n):
    ParticipantCount.objects.create(
        record=record, group=Term.objects.get(vocabulary="stakeholder_groups", code=group), count=n
    )


def test_citizen_dialogues_held_counts_held_dialogues_of_the_hub_per_quarter(hubs, make_record):
    make_record(format="citizen_dialogue", date=date(2025, 2, 1))
    make_record(format="citizen_dialogue", date=date(2025, 3, 31))
    make_record(format="citizen_dialogue", date=date(2025, 4, 2))
    status(make_record(format="citizen_dialogue", date=date(2025, 2, 2)), "cancelled")
    status(make_record(format="citizen_dialogue", date=date(2025, 2, 3)), "planned")
    make_record(format="workshop", date=date(2025, 2, 1))
    make_record(hub=hubs["portugal"], region=None, format="citizen_dialogue", date=date(2025, 2, 1))
    series = indicators.citizen_dialogues_held(hubs["norway"].pk, set())
    assert quarterly(series) == {Q1: Decimal(2), Q2: Decimal(1)}


def test_patient_organisations_involved_are_distinct_and_at_involve_or_above(hubs, make_record):
    from echos.hubs import services

    patients = Term.objects.get(vocabulary="stakeholder_groups", code="patients")
    other = services.create_organisation(
        actor=None, name="Blood Cancer Patients", country_id="NO", stakeholder_group=patients
    )
    ncs, occ = hubs["ncs"].pk, hubs["occ"].pk  # ncs: patients; occ: research
    make_record(level="involve", organisations=[ncs, occ], date=date(2025, 1, 5))
    make_record(level="empower", organisations=[ncs, other.pk], date=date(2025, 2, 5))
    make_record(level="consult", organisations=[ncs, other.pk], date=date(2025, 4, 5))
    make_record(level="collaborate", organisations=[other.pk], date=date(2025, 5, 5))
    series = indicators.patient_organisations_involved(hubs["norway"].pk, set())
    # Q1: ncs twice and the other once = 2 distinct; Q2: only the collaborate one counts.
    assert quarterly(series) == {Q1: Decimal(2), Q2: Decimal(1)}
    # The running total counts each organisation once: ncs and the other, not 3.
    running = indicators.figures(series, [Q1, Q2], since=None)
    assert [q.running for q in running] == [Decimal(2), Decimal(2)]


def test_participants_from_group_sums_counts_of_that_group(hubs, make_record):
    a = make_record(date=date(2025, 1, 10))
    b = make_record(date=date(2025, 2, 10))
    c = make_record(date=date(2025, 4, 10))
    count(a, "citizens", 12)
    count(a, "patients", 5)
    count(b, "citizens", 30)
    count(c, "patients", 7)
    status(c, "held")
    d = make_record(date=date(2025, 2, 11))
    count(d, "citizens", 1000)
    status(d, "cancelled")
    series = indicators.participants_from_group(hubs["norway"].pk, {"citizens", "patients"})
    assert quarterly(series, "citizens") == {Q1: Decimal(42)}
    assert quarterly(series, "patients") == {Q1: Decimal(5), Q2: Decimal(7)}


def test_records_reaching_group_and_organisations_engaged(hubs, make_record):
    ncs, occ = hubs["ncs"].pk, hubs["occ"].pk
    make_record(stakeholder_groups=["citizens", "media"], organisations=[ncs], date=Q1)
    make_record(stakeholder_groups=["citizens"], organisations=[ncs, occ], date=date(2025, 3, 1))
    make_record(stakeholder_groups=["media"], organisations=[], date=Q2)
    reach = indicators.records_reaching_group(hubs["norway"].pk, {"citizens", "media"})
    assert quarterly(reach, "citizens") == {Q1: Decimal(2)}
    assert quarterly(reach, "media") == {Q1: Decimal(1), Q2: Decimal(1)}
    assert quarterly(indicators.organisations_engaged(hubs["norway"].pk, set())) == {Q1: Decimal(2)}


def test_quarters_are_calendar_quarters():
    assert indicators.quarters(date(2025, 5, 17), 3) == [
        date(2024, 10, 1),
        date(2025, 1, 1),
        date(2025, 4, 1),
    ]
    assert indicators.quarter_end(date(2024, 10, 1)) == date(2024, 12, 31)
    assert indicators.quarter_end(date(2025, 1, 1)) == date(2025, 3, 31)


def test_a_computed_indicator_updates_itself_when_an_engagement_is_recorded(hubs, make_record):
    element = impact.save_element(
        actor=None, hub=hubs["norway"], stage="outputs", title="Citizens heard"
    )
    indicator = impact.save_indicator(
        actor=None,
        element=element,
        name="Citizen dialogues held",
        unit="dialogues",
        baseline=0,
        target=4,
        computation="citizen_dialogues_held",
    )
    today = date(2025, 5, 20)

    def latest():
        view = impact.impact_model(hubs["norway"], today=today).indicators[0]
        assert view.indicator == indicator
        return view.value, view.percent

    assert latest() == (Decimal(0), 0)
    make_record(format="citizen_dialogue", date=date(2025, 5, 2))
    assert latest() == (Decimal(1), 25)
    record = make_record(format="citizen_dialogue", date=date(2025, 5, 3))
    assert latest() == (Decimal(2), 50)
    record.delete()
    assert latest() == (Decimal(1), 25)


def test_every_computation_is_described_with_its_parameter():
    for code, computation in indicators.COMPUTATIONS.items():
        assert computation.code == code
        assert str(computation.description) and str(computation.label)
        assert computation.parameter in ("", indicators.GROUP_PARAMETER)


# --- how periods add up ---------------------------------------------------------------------


def test_figures_run_a_total_from_the_since_date_including_quarters_no_longer_shown():
    rows = [
        indicators.Row("", date(2024, 3, 1), Decimal(5)),  # before the quarters shown
        indicators.Row("", date(2025, 1, 10), Decimal(1)),
        indicators.Row("", date(2025, 2, 20), Decimal(2)),
        indicators.Row("", date(2025, 5, 1), Decimal(3)),
        indicators.Row("", date(2025, 7, 1), Decimal(100)),  # after the last quarter: left out
    ]
    everything = indicators.figures(rows, [Q1, Q2], since=None)
    assert [(q.within, q.running) for q in everything] == [(3, 8), (3, 11)]
    # Since mid-January: the 10 January row and the 2024 one are not in the running total, but the
    # figure within the quarter still counts every day of it.
    since = indicators.figures(rows, [Q1, Q2], since=date(2025, 1, 15))
    assert [(q.within, q.running) for q in since] == [(3, 2), (3, 5)]
    # A quarter ending before the since date has no running total.
    later = indicators.figures(rows, [Q1, Q2], since=date(2025, 4, 1))
    assert [(q.within, q.running) for q in later] == [(3, None), (3, 3)]


def test_distinct_organisations_count_once_in_the_running_total(hubs, make_record):
    ncs, occ = hubs["ncs"].pk, hubs["occ"].pk
    make_record(organisations=[ncs], date=date(2024, 11, 1))
    make_record(organisations=[ncs, occ], date=Q1)
    make_record(organisations=[ncs], date=date(2025, 2, 1))
    make_record(organisations=[occ], date=date(2025, 5, 1))
    series = indicators.organisations_engaged(hubs["norway"].pk, set())
    everything = indicators.figures(series, [Q1, Q2], since=None)
    assert [(q.within, q.running) for q in everything] == [(2, 2), (1, 2)]
    # From February: ncs (1 February) in Q1, then occ joins in Q2.
    february = indicators.figures(series, [Q1, Q2], since=date(2025, 2, 1))
    assert [(q.within, q.running) for q in february] == [(2, 1), (1, 2)]


def _dialogues(hubs, **fields):
    element = impact.save_element(actor=None, hub=hubs["norway"], stage="outputs", title="Heard")
    return impact.save_indicator(
        actor=None,
        element=element,
        name="Citizen dialogues held",
        unit="dialogues",
        baseline=0,
        target=20,
        target_date=date(2027, 12, 31),
        computation="citizen_dialogues_held",
        **fields,
    )


def test_a_cumulative_target_compares_the_running_total_not_the_current_quarter(hubs, make_record):
    indicator = _dialogues(hubs, baseline_date=date(2024, 7, 1))
    assert indicator.accumulation == "cumulative"  # the default of a computed indicator
    make_record(format="citizen_dialogue", date=date(2024, 6, 30))  # before the baseline date
    for day in (date(2024, 9, 1), date(2024, 12, 1), date(2025, 2, 1), date(2025, 3, 1)):
        make_record(format="citizen_dialogue", date=day)
    # Early in Q2 2025, no dialogue yet this quarter: the figure is 4 since July 2024, not 0.
    view = impact.impact_model(hubs["norway"], today=date(2025, 4, 3)).indicators[0]
    assert view.value == 4 and view.percent == 20
    assert view.current.start == Q2 and view.current.actual == 0
    assert [p.cumulative for p in view.periods][-4:] == [1, 2, 4, 4]
    # Quarters before the baseline date have no running total.
    assert view.periods[0].cumulative is None


def test_a_per_period_indicator_is_measured_on_the_latest_complete_quarter(hubs, make_record):
    indicator = _dialogues(hubs, accumulation="per_period")
    assert indicator.accumulation == "per_period"
    make_record(format="citizen_dialogue", date=date(2025, 2, 1))
    make_record(format="citizen_dialogue", date=date(2025, 3, 1))
    make_record(format="citizen_dialogue", date=date(2025, 4, 2))
    view = impact.impact_model(hubs["norway"], today=date(2025, 4, 3)).indicators[0]
    assert (view.current.start, view.value, view.percent) == (Q1, 2, 10)
    assert view.periods[-1].actual == 1 and not view.periods[-1].is_complete
    assert all(p.cumulative is None for p in view.periods)
