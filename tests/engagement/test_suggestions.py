"""Suggestion rules on small hand-made data: each rule fires on its pattern and stays quiet
otherwise, and names itself."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from echos.core.models import Region, Term
from echos.engagement import coverage, suggestions
from echos.engagement.coverage import (
    Coverage,
    CoverageReport,
    GroupRow,
    QuarterSectors,
    QuarterTrend,
    RegionalSpread,
    RegionRow,
    SectorBalance,
    Trend,
)
from echos.engagement.models import Sector

pytestmark = pytest.mark.django_db
START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def vocab():
    return (
        list(Term.objects.of("engagement_levels")),
        list(Term.objects.of("stakeholder_groups")),
    )


def report(vocab, hubs, *, deepest=None, sectors=None, regions=None, unplaced=0, trend=None):
    """A report by hand: ``deepest`` maps group codes to the deepest level code reached (groups
    absent were not engaged), one record per level up to it."""
    levels, groups = vocab
    codes = [t.code for t in levels]
    matrix = Coverage(start=START, end=END, levels=levels)
    for g in groups:
        level = (deepest or {}).get(g.code)
        counts = [1 if level and i <= codes.index(level) else 0 for i in range(len(levels))]
        matrix.rows.append(
            GroupRow(g, counts, sum(counts), levels[codes.index(level)] if level else None)
        )
    totals = sectors or [0] * 5
    balance = SectorBalance(START, END, list(Sector), [QuarterSectors("2025 Q1", totals)], totals)
    spread = RegionalSpread(
        rows=[RegionRow(Region.objects.get(pk=code), n) for code, n in (regions or [])],
        unplaced=unplaced,
    )
    quarters = [QuarterTrend(label, n, 0, [n, 0, 0, 0, 0]) for label, n in (trend or [])]
    return CoverageReport(
        hubs["norway"], START, END, matrix, balance, spread, Trend(levels, quarters)
    )


def facts(rep, **extra):
    return suggestions.Facts(report=rep, country="Norway", **extra)


def rules(found):
    return [s.rule for s in found]


def test_never_engaged_names_the_group_and_other_hubs_members(vocab, hubs):
    rep = report(vocab, hubs, deepest={g.code: "involve" for g in vocab[1] if g.code != "media"})
    found = suggestions.never_engaged(facts(rep, elsewhere={"media": ["NRK", "TV2"]}))
    (one,) = found
    assert one.rule == "never_engaged" and one.figures == {"group": "media", "elsewhere": 2}
    assert "Media" in one.text and "NRK, TV2" in one.text and "2025-01-01" in one.text
    assert one.description == str(suggestions.DESCRIPTIONS["never_engaged"])
    everyone = report(vocab, hubs, deepest={g.code: "involve" for g in vocab[1]})
    assert suggestions.never_engaged(facts(everyone)) == []


def test_shallow_engagement_flags_inform_or_consult_but_not_citizens(vocab, hubs):
    deep = {g.code: "collaborate" for g in vocab[1]}
    rep = report(vocab, hubs, deepest={**deep, "patients": "consult", "citizens": "inform"})
    names = ["A", "B", "C", "D"]
    (one,) = suggestions.shallow_engagement(facts(rep, elsewhere={"patients": names}))
    assert one.figures["group"] == "patients" and one.figures["deepest"] == "consult"
    assert "above 'Consult'" in one.text and "These 4" in one.text and "A, B, C, D" in one.text
    assert suggestions.shallow_engagement(facts(report(vocab, hubs, deepest=deep))) == []


def test_citizens_only_informed(vocab, hubs):
    rep = report(vocab, hubs, deepest={"citizens": "inform"})
    (one,) = suggestions.citizens_inform_only(facts(rep))
    assert one.rule == "citizens_inform_only" and one.figures == {"records": 1}
    assert (
        suggestions.citizens_inform_only(
            facts(report(vocab, hubs, deepest={"citizens": "consult"}))
        )
        == []
    )
    assert suggestions.citizens_inform_only(facts(report(vocab, hubs))) == []


def test_sector_imbalance_over_the_threshold(vocab, hubs):
    # public, academia, industry, civil society, citizens
    (one,) = suggestions.sector_imbalance(facts(report(vocab, hubs, sectors=[12, 3, 2, 2, 1])))
    assert one.figures["high"] == "public" and one.figures["high_share"] == 0.6
    assert one.figures["low"] == "citizens" and "60%" in one.text and "5%" in one.text
    balanced = report(vocab, hubs, sectors=[4, 4, 4, 4, 4])
    assert suggestions.sector_imbalance(facts(balanced)) == []
    too_few = report(vocab, hubs, sectors=[4, 0, 0, 0, 0])
    assert suggestions.sector_imbalance(facts(too_few)) == []


def test_regions_never_reached(vocab, hubs):
    rep = report(vocab, hubs, regions=[("NO-03", 4), ("NO-46", 0), ("NO-50", 0)], unplaced=2)
    (one,) = suggestions.regions_never_reached(facts(rep))
    assert one.figures == {"regions": ["NO-46", "NO-50"], "unplaced": 2}
    assert "2 of the 3 regions" in one.text and "2 records name no region" in one.text
    everywhere = report(vocab, hubs, regions=[("NO-03", 4), ("NO-46", 1)])
    assert suggestions.regions_never_reached(facts(everywhere)) == []


def test_overdue_follow_ups_pile_up_for_the_team_only(vocab, hubs):
    rep = report(vocab, hubs)
    (one,) = suggestions.overdue_follow_ups(facts(rep, overdue=4, oldest_overdue_days=30))
    assert "4 follow-up actions are overdue" in one.text and "30 days" in one.text
    assert suggestions.overdue_follow_ups(facts(rep, overdue=2)) == []
    # Public facts (overdue None): the rule is not even run.
    assert "overdue_follow_ups" not in rules(suggestions.run(facts(rep)))


def test_quiet_last_quarter(vocab, hubs):
    rep = report(vocab, hubs, trend=[("2025 Q1", 6), ("2025 Q2", 8), ("2025 Q3", 1)])
    (one,) = suggestions.quiet_last_quarter(facts(rep))
    assert one.figures == {"quarter": "2025 Q3", "records": 1}
    steady = report(vocab, hubs, trend=[("2025 Q1", 6), ("2025 Q2", 8), ("2025 Q3", 5)])
    assert suggestions.quiet_last_quarter(facts(steady)) == []


def test_every_rule_has_a_unique_code_and_a_description():
    codes = [code for code, _d, _f in suggestions.RULES]
    assert len(codes) == len(set(codes)) >= 5
    assert all(str(d) for _c, d, _f in suggestions.RULES)


def test_gather_reads_members_of_other_hubs_and_overdue_counts(hubs, make_record, personas):
    from echos.engagement import services
    from echos.hubs import services as hub_services

    # Another Norwegian hub has a patient organisation that Norway's national hub lacks.
    patients = Term.objects.get(vocabulary="stakeholder_groups", code="patients")
    org = hub_services.create_organisation(
        actor=None, name="Bergen Patient Union", country_id="NO", stakeholder_group=patients
    )
    hub_services.add_membership(actor=None, hub=hubs["bergen"], organisation=org, role="member")
    record = make_record(stakeholder_groups=["patients"], level="inform")
    services.save_follow_up(
        actor=None, record=record, title="Late", due_date=timezone.localdate() - timedelta(days=1)
    )
    rep = coverage.coverage_report(hubs["norway"], start=record.date, end=record.date)
    team = suggestions.gather(rep, include_team=True)
    assert team.elsewhere["patients"] == ["Bergen Patient Union"]
    assert team.overdue == 1
    public = suggestions.gather(rep, include_team=False)
    assert public.overdue is None
    found = suggestions.run(team)
    shallow = [s for s in found if s.rule == "shallow_engagement"]
    assert shallow and "Bergen Patient Union" in shallow[0].text
