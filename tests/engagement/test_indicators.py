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
