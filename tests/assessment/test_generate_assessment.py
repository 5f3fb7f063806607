"""Synthetic assessments of echos generate-data: counts, one current answer per hub, the
superseded chain, dates, determinism and answers that pass the engine's own validation."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.assessment import scoring, services
from echos.assessment.benchmarks import latest_scores
from echos.assessment.models import Response
from echos.core.models import Country
from echos.core.synthetic import REFERENCE_DATETIME, STEPS
from echos.hubs.models import Hub
from echos.questionnaires import engine
from echos.site.generate import generate
from tests.scale import wipe

TINY = {"hubs": 70, "organisations": 300, "memberships": 900}


@pytest.fixture
def tiny(db):
    return generate(scale="small", seed=7, batch=97, **TINY)


def maturity():
    return Response.objects.filter(instrument__code=services.MATURITY)


def mapping():
    return Response.objects.filter(instrument__code=services.MAPPING)


def snapshot() -> list[tuple]:
    """Every generated response without primary keys, in a pk-independent order."""
    hub_names = dict(Hub.objects.values_list("pk", "name"))
    by_pk = {r.pk: r for r in Response.objects.select_related("instrument")}
    rows = [
        (
            r.instrument.code, r.instrument.version, hub_names.get(r.hub_id), r.country_id,
            r.kind, r.status, r.answers, r.overall_score, r.is_demo, r.is_public,
            r.created_at, r.updated_at, r.submitted_at,
            by_pk[r.supersedes_id].submitted_at if r.supersedes_id else None,
        )
        for r in by_pk.values()
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (row[0], row[2] or "", row[12]))


def test_step_registered_after_memberships():
    names = [s.name for s in STEPS]
    assert names.index("assessments") == names.index("memberships") + 1


def test_counts(tiny):
    countries = Country.objects.count()
    assert tiny["assessments"] == 3 * 70 + countries
    assert maturity().count() == 3 * 70
    assert mapping().count() == countries
    assert not Response.objects.filter(is_demo=False).exists()
    assert not Response.objects.exclude(kind=Response.Kind.OFFICIAL).exists()
    assert not Response.objects.filter(status=Response.Status.DRAFT).exists()
    assert not Response.objects.filter(respondent__isnull=False).exists()
    assert not Response.objects.exclude(instrument__is_current=True).exists()
    assert not Response.objects.exclude(updated_at=REFERENCE_DATETIME).exists()


def test_small_scale_assesses_every_hub_three_times(db):
    created = generate(scale="small", seed=3)
    assert created["hubs"] == 60
    assert maturity().count() == 180 == created["assessments"] - Country.objects.count()
    assert set(maturity().values_list("hub_id", flat=True)) == set(
        Hub.objects.values_list("pk", flat=True)
    )


def test_one_current_official_maturity_response_per_hub(tiny):
    current = maturity().submitted().official()
    assert current.count() == Hub.objects.count()
    assert sorted(current.values_list("hub_id", flat=True)) == sorted(
        Hub.objects.values_list("pk", flat=True)
    )
    # The network view's read model sees each hub once.
    scores = latest_scores()
    assert sorted(s["hub_id"] for s in scores) == sorted(Hub.objects.values_list("pk", flat=True))
    assert all(s["overall"] is not None for s in scores)


def test_superseded_chain_and_dates(tiny):
    by_hub = defaultdict(list)
    for r in maturity().select_related("hub", "instrument").order_by("submitted_at", "pk"):
        by_hub[r.hub_id].append(r)
    recent = 0
    for responses in by_hub.values():
        first, second, third = responses
        assert [r.status for r in responses] == ["superseded", "superseded", "submitted"]
        assert first.supersedes_id is None
        assert second.supersedes_id == first.pk
        assert third.supersedes_id == second.pk
        assert first.submitted_at < second.submitted_at < third.submitted_at < REFERENCE_DATETIME
        assert first.submitted_at >= REFERENCE_DATETIME - timedelta(days=3 * 366)
        for r in responses:
            assert r.country_id == r.hub.country_id
            assert r.created_at <= r.submitted_at
            assert r.overall_score == scoring.score(r.instrument.definition, r.answers)["overall"]
            assert 1 <= r.overall_score <= 5
        recent += third.submitted_at >= REFERENCE_DATETIME - timedelta(days=365)
    assert 0.65 <= recent / len(by_hub) < 1, "about 85% were assessed in the last 12 months"


def test_one_mapping_response_per_country_for_its_national_hub(tiny):
    national = dict(Hub.objects.national().values_list("country_id", "pk"))
    rows = list(mapping().submitted().official().values_list("country_id", "hub_id"))
    assert sorted(rows) == sorted(national.items())
    assert not mapping().filter(overall_score__isnull=False).exists()


def test_every_answer_set_validates(tiny):
    for r in Response.objects.select_related("instrument"):
        cleaned, errors = engine.validate(r.instrument.definition, r.answers, complete=True)
        assert errors == {}, (r.instrument.code, r.hub_id, errors)
        assert cleaned == r.answers


def test_later_assessments_tend_to_score_higher(tiny):
    means = []
    for status_rank in range(3):
        scores = []
        for hub_id in Hub.objects.values_list("pk", flat=True):
            responses = list(maturity().filter(hub_id=hub_id).order_by("submitted_at"))
            scores.append(responses[status_rank].overall_score)
        means.append(sum(scores) / len(scores))
    assert means[0] < means[2]


def test_no_query_per_answer(db):
    """Vocabularies and instruments are read a fixed number of times, not per hub or answer."""
    services.load_instruments()
    counts = []
    for hubs in (60, 180):
        wipe()
        with CaptureQueriesContext(connection) as ctx:
            generate(scale="small", seed=2, batch=5000, **{**TINY, "hubs": hubs})
        reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
        counts.append(
            (
                sum('FROM "core_term"' in sql for sql in reads),
                sum('FROM "assessment_instrument"' in sql for sql in reads),
                sum('FROM "assessment_response"' in sql for sql in reads),
            )
        )
    assert counts[0] == counts[1]


def test_same_seed_same_responses_other_seed_other_responses(db):
    generate(scale="small", seed=11, **TINY)
    first = snapshot()
    wipe()
    generate(scale="small", seed=11, batch=13, **TINY)  # batch size must not matter
    assert snapshot() == first
    wipe()
    generate(scale="small", seed=12, **TINY)
    assert snapshot() != first


def test_forced_run_keeps_one_current_response(tiny):
    """A second run reuses national hubs: it assesses only its own hubs and maps no country twice."""
    generate(scale="small", seed=8, force=True, **TINY)
    assert maturity().submitted().count() == Hub.objects.count()
    assert maturity().count() == 3 * Hub.objects.count()
    assert mapping().submitted().count() == Country.objects.count()
