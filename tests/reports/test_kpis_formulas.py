"""Each KPI formula on small hand-checked data (the period: the first half of 2025)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from echos.core import kpis
from echos.hubs import services as hub_services
from echos.hubs.models import Membership, StageChange
from tests.reports.kpi_data import END, START, at, make_event, register


def figures(code, hub=None, start=START, end=END):
    return {f.key: f.value for f in kpis.compute(code, start, end, hub).figures}


def test_countries_by_stage_reads_the_history_as_of_the_period_end(hubs):
    # Norway launched on 2024-01-10 (fixture); a later change after the period does not count.
    StageChange.objects.create(hub=hubs["norway"], stage="operational", date=date(2025, 9, 1))
    # Portugal's national hub: exploring from 2025-03-01 (inside the period).
    StageChange.objects.create(hub=hubs["portugal"], stage="exploring", date=date(2025, 3, 1))
    got = figures("HUB-COUNTRIES-STAGE")
    assert got["launched"] == 1
    assert got["exploring"] == 1
    assert got["operational"] == 0
    countries = kpis.compute("HUB-COUNTRIES-STAGE", START, END).total
    from echos.core.models import Country

    assert countries == Country.objects.count()
    assert got["no_structure"] == countries - 2
    # Before Portugal's change, Portugal had no structure.
    assert figures("HUB-COUNTRIES-STAGE", end=date(2025, 2, 28))["exploring"] == 0


def test_countries_by_stage_ignores_regional_and_local_hubs(hubs):
    StageChange.objects.create(hub=hubs["vestland"], stage="sustained", date=date(2024, 5, 1))
    got = figures("HUB-COUNTRIES-STAGE")
    assert got["sustained"] == 0 and got["launched"] == 1


def test_hubs_by_level_counts_hubs_existing_on_the_last_day(hubs):
    got = figures("HUB-HUBS-LEVEL", end=date.today())
    assert got == {"national": 2, "regional": 1, "local": 1}
    # Entered today without a stage change: not there in 2025; Norway (dated 2024) is.
    assert figures("HUB-HUBS-LEVEL") == {"national": 1, "regional": 0, "local": 0}
    # A hub's scope is the hub and the hubs below it.
    assert figures("HUB-HUBS-LEVEL", hubs["vestland"], end=date.today()) == {
        "national": 0,
        "regional": 1,
        "local": 1,
    }


def test_members_by_group_counts_distinct_organisations_in_force(hubs):
    today = date.today()
    got = figures("HUB-MEMBERS-GROUP", end=today)
    assert got["research"] == 2  # Oslo Cancer Cluster, AICIB
    assert got["patients"] == 1
    # The same organisation in a second hub counts once.
    hub_services.add_membership(actor=None, hub=hubs["vestland"], organisation=hubs["occ"])
    assert figures("HUB-MEMBERS-GROUP", end=today)["research"] == 2
    # Declined and ended memberships do not count.
    Membership.objects.filter(organisation=hubs["aicib"]).update(status="declined")
    Membership.objects.filter(organisation=hubs["ncs"]).update(until=today - timedelta(days=1))
    got = figures("HUB-MEMBERS-GROUP", end=today)
    assert got["research"] == 1 and got["patients"] == 0
    assert figures("HUB-MEMBERS-GROUP", hubs["portugal"], end=today)["research"] == 0


def test_events_and_participants_by_audience(hubs):
    no, pt = hubs["norway"], hubs["portugal"]
    both = make_event(no, date(2025, 2, 1), audiences=",citizens,researchers,")
    make_event(no, date(2025, 3, 1), audiences=",researchers,")
    make_event(no, date(2025, 3, 2), status="draft")
    make_event(no, date(2025, 3, 3), status="cancelled")
    make_event(no, date(2025, 8, 1))  # after the period
    local = make_event(hubs["bergen"], date(2025, 4, 1), audiences=",youth,")
    make_event(pt, date(2025, 4, 1))
    got = figures("EVT-EVENTS-AUDIENCE")
    assert got["citizens"] == 2 and got["researchers"] == 2 and got["youth"] == 1
    assert got["all"] == 4
    assert kpis.compute("EVT-EVENTS-AUDIENCE", START, END).total is None  # not additive
    assert figures("EVT-EVENTS-AUDIENCE", no)["all"] == 3  # Bergen is below Norway
    register(both, "citizens", n=3)
    register(both, "researchers", status="attended")
    register(both, "citizens", status="waitlisted")
    register(both, "citizens", status="cancelled")
    register(both, "")
    register(local, "youth", status="no_show", n=2)
    got = figures("EVT-PARTICIPANTS-AUDIENCE")
    assert got["citizens"] == 3 and got["researchers"] == 1 and got["youth"] == 2
    assert got["not_stated"] == 1
    assert kpis.compute("EVT-PARTICIPANTS-AUDIENCE", START, END).total == 7
    assert figures("EVT-PARTICIPANTS-AUDIENCE", hubs["vestland"])["youth"] == 2


def test_citizens_reached_adds_public_registrations_and_confirmed_answers(hubs):
    from echos.participation import services as par_services
    from echos.participation.models import Answer

    event = make_event(hubs["norway"], date(2025, 2, 1))
    register(event, "citizens", n=2)
    register(event, "patients_carers")
    register(event, "health_professionals")  # not the public
    register(event, "citizens", status="waitlisted")
    consultation = par_services.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="C",
        description="D",
        opens_at=at(date(2025, 1, 1)),
        closes_at=at(date(2025, 12, 1)),
    )
    Answer.objects.create(
        consultation=consultation, email="a@example.invalid", confirmed_at=at(date(2025, 3, 1))
    )
    Answer.objects.create(consultation=consultation, email="b@example.invalid")  # unconfirmed
    Answer.objects.create(
        consultation=consultation, email="c@example.invalid", confirmed_at=at(date(2025, 7, 1))
    )  # after the period
    got = figures("EVT-CITIZENS-REACHED")
    assert got == {"events": 3, "consultations": 1}
    assert kpis.compute("EVT-CITIZENS-REACHED", START, END).total == 4
    assert figures("EVT-CITIZENS-REACHED", hubs["portugal"]) == {"events": 0, "consultations": 0}


def test_consultations_answers_and_proposals_answered(hubs, personas):
    from echos.participation import services as par_services
    from echos.participation.models import Answer, Proposal

    no = hubs["norway"]
    earlier = par_services.open_consultation(
        actor=None,
        hub=no,
        title="Earlier",
        description="D",
        opens_at=at(date(2024, 12, 1)),
        closes_at=at(date(2025, 1, 15)),
    )
    par_services.open_consultation(
        actor=None,
        hub=no,
        title="New",
        description="D",
        opens_at=at(date(2025, 5, 1)),
        closes_at=at(date(2025, 9, 1)),
    )
    par_services.open_consultation(
        actor=None,
        hub=no,
        title="Closed before",
        description="D",
        opens_at=at(date(2024, 1, 1)),
        closes_at=at(date(2024, 2, 1)),
    )
    assert figures("PAR-CONSULTATIONS") == {"opened": 1, "earlier": 1}
    Answer.objects.create(
        consultation=earlier, email="a@example.invalid", confirmed_at=at(date(2025, 1, 2))
    )
    assert figures("PAR-ANSWERS") == {"": 1}
    common = {"hub": no, "body": "B", "confirmed_at": at(date(2025, 1, 1))}
    Proposal.objects.create(
        title="A", status="accepted", answered_at=at(date(2025, 2, 1)), **common
    )
    Proposal.objects.create(
        title="B", status="not_taken", answered_at=at(date(2025, 3, 1)), **common
    )
    Proposal.objects.create(
        title="C", status="accepted", answered_at=at(date(2025, 8, 1)), **common
    )  # answered after the period
    Proposal.objects.create(title="D", **common)  # not answered
    got = figures("PAR-PROPOSALS-ANSWERED")
    assert got["accepted"] == 1 and got["not_taken"] == 1 and got["under_consideration"] == 0
    assert kpis.compute("PAR-PROPOSALS-ANSWERED", START, END).total == 2


def test_engagement_records_by_level(hubs):
    from echos.core.models import Term
    from echos.engagement.models import EngagementRecord

    level = {t.code: t for t in Term.objects.of("engagement_levels")}
    first = next(iter(level))
    common = {"hub": hubs["norway"], "description": "D", "format": "meeting", "language": "no"}
    EngagementRecord.objects.create(title="1", date=date(2025, 2, 1), level=level[first], **common)
    EngagementRecord.objects.create(title="2", date=date(2025, 3, 1), level=level[first], **common)
    EngagementRecord.objects.create(
        title="3", date=date(2025, 3, 1), level=level[first], status="planned", **common
    )
    EngagementRecord.objects.create(title="4", date=date(2024, 3, 1), level=level[first], **common)
    got = figures("ENG-RECORDS-LEVEL")
    assert got[first] == 2 and sum(got.values()) == 2
    assert list(got) == list(level)  # every level, in the vocabulary's order


def test_synergy_links_by_status_on_the_last_day(hubs):
    from echos.synergies.models import Activity, SynergyLink

    activity = Activity.objects.create(
        hub=hubs["norway"], title="A", description="D", source_language="en"
    )
    other = Activity.objects.create(
        hub=hubs["portugal"], title="B", description="D", source_language="en"
    )

    def link(status, created, changed):
        return SynergyLink.objects.create(
            hub=hubs["norway"],
            activity=activity,
            other_activity=other,
            status=status,
            created_at=at(created),
            status_changed_at=at(changed),
        )

    link("contacted", date(2025, 1, 5), date(2025, 2, 1))
    link("collaborating", date(2025, 1, 5), date(2025, 8, 1))  # changed after the period
    link("proposed", date(2025, 9, 1), date(2025, 9, 1))  # created after the period
    got = figures("SYN-LINKS-STATUS")
    assert got["contacted"] == 1 and got["collaborating"] == 0 and got["changed_since"] == 1
    assert kpis.compute("SYN-LINKS-STATUS", START, END).total == 2


@pytest.fixture
def maturity(db):
    from echos.assessment import services

    services.load_instruments()
    return services.current_instrument(services.MATURITY)


def test_median_maturity_needs_three_hubs_and_takes_the_latest_by_the_last_day(hubs, maturity):
    from echos.assessment import scoring
    from echos.assessment.models import Response

    questions = scoring.dimension_questions(maturity.definition)
    dim = scoring.dimension_of(questions[0])

    def respond(hub, level, day, status="submitted"):
        Response.objects.create(
            instrument=maturity,
            hub=hub,
            country=hub.country,
            status=status,
            answers={q.code: level for q in questions},
            submitted_at=at(day),
        )

    respond(hubs["norway"], 1, date(2025, 1, 10), status="superseded")
    respond(hubs["norway"], 5, date(2025, 9, 10))  # after the period: the 1 counts
    respond(hubs["portugal"], 2, date(2025, 2, 10))
    assert figures("ASM-MATURITY-MEDIAN")[dim] is None  # two hubs only
    respond(hubs["vestland"], 4, date(2025, 3, 10))
    assert figures("ASM-MATURITY-MEDIAN")[dim] == 2  # median of 1, 2, 4
    assert figures("ASM-MATURITY-MEDIAN", end=date.today())[dim] == 4  # 5, 2, 4
    assert kpis.compute("ASM-MATURITY-MEDIAN", START, END).total is None


def test_exchange_commitments_done(hubs):
    from echos.exchange.models import Commitment
    from tests.exchange.helpers import make_session

    session = make_session(hubs["norway"])
    common = {"session": session, "hub": hubs["norway"], "owner": "Team", "what": "Do it"}
    Commitment.objects.create(
        due=date(2025, 2, 1), status="done", done_on=date(2025, 3, 1), **common
    )
    Commitment.objects.create(
        due=date(2025, 2, 1), status="done", done_on=date(2025, 8, 1), **common
    )  # done after the period's end
    Commitment.objects.create(due=date(2025, 3, 1), **common)
    Commitment.objects.create(due=date(2025, 9, 1), **common)  # due after the period
    assert figures("EXC-COMMITMENTS-DONE") == {"done": 1, "open": 2}
    assert figures("EXC-COMMITMENTS-DONE", hubs["portugal"]) == {"done": 0, "open": 0}


def test_hubs_with_24_months_of_committed_runway(hubs):
    from echos.continuity.models import CostLine, FundingStream, HubModel

    for hub, monthly_income in ((hubs["norway"], 100), (hubs["portugal"], 0)):
        HubModel.objects.create(hub=hub, start="2026-01", months=36, balance=Decimal("0"))
        CostLine.objects.create(
            hub=hub,
            name="Staff",
            category="staff",
            amount=Decimal("50"),
            period="month",
            start="2026-01",
        )
        FundingStream.objects.create(
            hub=hub,
            name="Grant",
            source_type="eu_grant",
            amount=Decimal(monthly_income),
            period="month",
            start="2026-01",
        )
    # A stream not committed (probability below 1) does not count.
    FundingStream.objects.create(
        hub=hubs["portugal"],
        name="Hoped",
        source_type="philanthropy",
        amount=Decimal("500"),
        period="month",
        start="2026-01",
        probability=Decimal("0.5"),
    )
    assert figures("CON-RUNWAY-24") == {"covered": 1, "short": 1, "invalid": 0}
    assert figures("CON-RUNWAY-24", hubs["norway"]) == {"covered": 1, "short": 0, "invalid": 0}
