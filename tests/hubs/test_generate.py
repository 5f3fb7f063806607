"""Synthetic data generation: counts, hierarchy and membership rules, history, determinism."""

from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from echos.core.synthetic import REFERENCE_DATE, STEPS, GenerationRefused, apportion
from echos.hubs.models import (
    STAGE_ORDER,
    Hub,
    Level,
    Membership,
    Organisation,
    Stage,
    StageChange,
    normalise_name,
)
from echos.site.generate import generate
from tests.scale import wipe

TINY = {
    "hubs": 70,
    "organisations": 300,
    "memberships": 900,
    "events": 120,
    "registrations": 600,
    "consultation_answers": 200,
    "engagement_records": 200,
}


@pytest.fixture
def tiny(db):
    return generate(scale="small", seed=7, batch=97, **TINY)


def snapshot() -> dict[str, list[tuple]]:
    """Every generated row without primary keys (sequences differ between runs on PostgreSQL)."""
    hub_names = dict(Hub.objects.values_list("pk", "name"))
    org_names = dict(Organisation.objects.values_list("pk", "name"))
    hubs = [
        (h.name, h.country_id, h.level, hub_names.get(h.parent_id), h.region_id, h.stage,
         h.stage_since, h.latitude, h.longitude, org_names.get(h.host_organisation_id),
         h.archetype, h.website, h.mission, h.created_at, h.updated_at)
        for h in Hub.objects.order_by("pk")
    ]  # fmt: skip
    orgs = list(
        Organisation.objects.order_by("pk").values_list(
            "name", "normalised_name", "stakeholder_group__code", "country_id", "region_id",
            "website", "description", "source", "created_at", "updated_at",
        )
    )  # fmt: skip
    members = [
        (hub_names[m.hub_id], org_names[m.organisation_id], m.role, m.since, m.until, m.source)
        for m in Membership.objects.order_by("pk")
    ]
    changes = [
        (hub_names[c.hub_id], c.stage, c.date, c.evidence, c.recorded_at)
        for c in StageChange.objects.order_by("pk")
    ]
    return {"hubs": hubs, "organisations": orgs, "memberships": members, "stage_changes": changes}


def test_counts_and_labels(tiny):
    assert list(tiny) == [
        "organisations",
        "hubs",
        "stage_changes",
        "memberships",
        "assessments",
        "activities",
        "events",
        "registrations",
        "consultation_answers",
        "engagement_records",
        "continuity_models",
        "library_resources",
    ]
    assert (tiny["events"], tiny["registrations"], tiny["consultation_answers"]) == (120, 600, 200)
    assert (tiny["organisations"], tiny["hubs"], tiny["memberships"]) == (300, 70, 900)
    assert Hub.objects.count() == 70
    assert Organisation.objects.count() == 300
    assert Membership.objects.count() == 900
    assert StageChange.objects.count() == tiny["stage_changes"] > 0
    assert not Hub.objects.filter(is_demo=False).exists()
    assert not Organisation.objects.filter(is_demo=False).exists()
    assert not Membership.objects.filter(is_demo=False).exists()
    assert not Hub.objects.exclude(name__regex=r"^Synthetic hub \d{4} \([A-Z]{2}\)$").exists()
    assert not Organisation.objects.exclude(name__startswith="Synthetic ").exists()


def test_small_scale_defaults(db):
    created = generate(scale="small", seed=3)
    assert created["hubs"] == 60
    assert created["organisations"] == 2000
    assert created["memberships"] == 6000


def test_every_country_has_one_national_hub(tiny):
    from echos.core.models import Country

    national = Hub.objects.filter(level=Level.NATIONAL)
    assert sorted(national.values_list("country_id", flat=True)) == sorted(
        Country.objects.values_list("code", flat=True)
    )
    assert not national.filter(parent__isnull=False).exists()


def test_hierarchy_rules(tiny):
    levels = defaultdict(int)
    for hub in Hub.objects.select_related("parent", "region"):
        levels[hub.level] += 1
        if hub.region_id:
            assert hub.region.country_id == hub.country_id
        if hub.level == Level.NATIONAL:
            continue
        assert hub.parent is not None
        assert hub.parent.country_id == hub.country_id
        expected = Level.NATIONAL if hub.level == Level.REGIONAL else Level.REGIONAL
        assert hub.parent.level == expected
    assert levels[Level.REGIONAL] > 0 and levels[Level.LOCAL] > 0
    # Regional hubs sit in an ISO 3166-2 region wherever the country has one.
    from echos.core.models import Region

    with_regions = set(Region.objects.values_list("country_id", flat=True))
    regional = Hub.objects.filter(level=Level.REGIONAL, country_id__in=with_regions)
    assert not regional.filter(region__isnull=True).exists()


def test_organisation_names_unique_per_country(tiny):
    check_organisations()


def check_organisations():
    seen = set()
    for org in Organisation.objects.all():
        assert org.normalised_name == normalise_name(org.name)
        key = (org.country_id, org.normalised_name)
        assert key not in seen
        seen.add(key)
        if org.region_id:
            assert org.region.country_id == org.country_id


def test_memberships_valid(tiny):
    periods = check_memberships()
    assert any(len(s) > 1 for s in periods.values()), "some left a hub and joined again"


def check_memberships() -> dict:
    periods = defaultdict(list)
    for m in Membership.objects.all():
        assert m.role in Membership.Role.values
        if m.since and m.until:
            assert m.until >= m.since
        for day in (m.since, m.until):
            assert day is None or day <= REFERENCE_DATE
        periods[m.hub_id, m.organisation_id].append((m.since, m.until))
    for spans in periods.values():
        spans.sort(key=lambda s: s[0] or REFERENCE_DATE.min)
        for (_start_a, end_a), (start_b, _end_b) in zip(spans, spans[1:], strict=False):
            # Overlap unless the earlier one ended before the later one started.
            assert end_a is not None and start_b is not None and end_a < start_b
    # Each hub with members has a coordinating group.
    coordinated = set(
        Membership.objects.filter(role="coordinating_group").values_list("hub_id", flat=True)
    )
    assert coordinated == set(Membership.objects.values_list("hub_id", flat=True))
    return periods


def test_stage_history_matches_current_stage(tiny):
    history = defaultdict(list)
    for change in StageChange.objects.order_by("date", "id"):
        history[change.hub_id].append(change)
    for hub in Hub.objects.all():
        changes = history[hub.pk]
        if hub.stage == Stage.NO_STRUCTURE:
            assert changes == [] and hub.stage_since is None
            continue
        assert changes, hub
        assert (changes[-1].stage, changes[-1].date) == (hub.stage, hub.stage_since)
        ranks = [STAGE_ORDER[c.stage] for c in changes]
        assert ranks == sorted(set(ranks)), "stages only move forward"
        dates = [c.date for c in changes]
        assert dates == sorted(set(dates)), "one move per day, in order"
        assert dates[-1] < REFERENCE_DATE


def test_refuses_existing_hubs_unless_forced(tiny):
    with pytest.raises(GenerationRefused):
        generate(scale="small", seed=8, **TINY)
    with pytest.raises(CommandError, match="already holds 70 hubs"):
        call_command("generate_data", scale="small", seed=8)
    created = generate(scale="small", seed=7, force=True, **TINY)
    # Existing national hubs are reused: only sub-national hubs are added.
    assert created["hubs"] == 70 - Hub.objects.filter(level=Level.NATIONAL).count()
    assert Hub.objects.filter(level=Level.NATIONAL).count() == 49
    # Names of the first run are taken: the second run's clashing names get a suffix.
    assert Organisation.objects.filter(name__endswith=" #2").count() == 300
    check_organisations()
    check_memberships()


def test_command_runs_small_scale(db, capsys):
    call_command("generate_data", scale="small", seed=5, batch=1000)
    out, err = capsys.readouterr()
    assert "60 hubs" in out and "6,000 memberships" in out
    assert "peak memory" in out
    assert "memberships" in err and "6,000/6,000" in err


def test_same_seed_same_rows_other_seed_other_rows(db):
    generate(scale="small", seed=11, **TINY)
    first = snapshot()
    wipe()
    generate(scale="small", seed=11, batch=13, **TINY)  # batch size must not matter
    assert snapshot() == first
    wipe()
    generate(scale="small", seed=12, **TINY)
    other = snapshot()
    assert other["hubs"] != first["hubs"]
    assert other["organisations"] != first["organisations"]
    assert other["memberships"] != first["memberships"]


def test_progress_reported_per_model(db):
    calls = []
    generate(scale="small", seed=1, progress=lambda *a: calls.append(a), **TINY)
    labels = list(dict.fromkeys(label for label, _done, _total in calls))
    assert labels == [
        "organisations",
        "hubs",
        "stage changes",
        "memberships",
        "assessments",
        "activities",
        "events",
        "registrations",
        "consultation answers",
        "engagement records",
        "continuity settings",
        "funding streams",
        "cost lines",
        "library resources",
        "library search index",
    ]
    last = {label: (done, total) for label, done, total in calls}
    assert last["memberships"] == (900, 900)
    assert last["hubs"] == (70, 70)


def test_steps_registry_and_apportion():
    assert [s.name for s in STEPS][:4] == ["organisations", "hubs", "stage_changes", "memberships"]
    assert apportion(10, [1, 1, 2]) == [3, 2, 5]
    assert sum(apportion(50_000, [1.5, 7.2, 19.3], minimum=1)) == 50_000
    assert apportion(2, [1, 1, 1]) == [1, 1, 0]


def test_too_few_hubs_rejected(db):
    with pytest.raises(ValueError, match="one national hub per country"):
        generate(scale="small", seed=1, hubs=10, organisations=50, memberships=50)
