"""The generator step: same seed, same rows; batches with their links; the hub page's queries stay flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.core import registry
from echos.core.synthetic import STEPS
from echos.engagement.models import EngagementRecord
from echos.hubs.generate import Context, HubInfo
from echos.site.generate import Scale

pytestmark = pytest.mark.django_db


def context(hubs, *, count: int, seed: int = 5, batch: int = 7, only_norway=False) -> Context:
    ctx = Context(
        seed=seed,
        scale=Scale(hubs=0, organisations=0, memberships=0, engagement_records=count),
        batch=batch,
        progress=lambda label, done, total: None,
    )
    ctx.hubs = [HubInfo(hubs["norway"].pk, "NO", "national", "launched", None)]
    if not only_norway:
        ctx.hubs += [
            HubInfo(hubs["portugal"].pk, "PT", "national", "no_structure", None),
            # Reused hubs (not generated) get no synthetic records.
            HubInfo(hubs["vestland"].pk, "NO", "regional", "", None, generated=False),
        ]
    ctx.org_ids = {"NO": [hubs["occ"].pk, hubs["ncs"].pk], "PT": [hubs["aicib"].pk]}
    ctx.top_regions = {"NO": ["NO-03", "NO-46"], "PT": ["PT-11"]}
    return ctx


def snapshot() -> list[tuple]:
    rows = []
    for r in EngagementRecord.objects.order_by("pk").prefetch_related(
        "stakeholder_groups", "organisations", "objectives", "policy_areas"
    ):
        rows.append(
            (
                r.hub_id,
                r.title,
                r.date,
                r.end_date,
                r.level_id,
                r.participants,
                r.format,
                r.language,
                r.region_id,
                r.outcomes,
                r.created_at,
                r.updated_at,
                sorted(t.code for t in r.stakeholder_groups.all()),
                sorted(o.pk for o in r.organisations.all()),
                sorted(t.code for t in r.objectives.all()),
                sorted(t.code for t in r.policy_areas.all()),
            )
        )
    return rows


def test_same_seed_same_rows_other_seed_other_rows(hubs, generate_engagement):
    assert generate_engagement(context(hubs, count=40)) == 40
    first = snapshot()
    EngagementRecord.objects.all().delete()
    generate_engagement(context(hubs, count=40, batch=11))
    assert snapshot() == first
    EngagementRecord.objects.all().delete()
    generate_engagement(context(hubs, count=40, seed=6))
    assert snapshot() != first


def test_rows_follow_the_rules(hubs, generate_engagement):
    generate_engagement(context(hubs, count=60))
    records = snapshot()
    assert len(records) == 60
    by_hub = {
        pk: sum(1 for r in records if r[0] == pk) for pk in (hubs["norway"].pk, hubs["portugal"].pk)
    }
    # Shares follow the country's size: Portugal (10.6 M) gets more than Norway (5.6 M).
    assert by_hub[hubs["portugal"].pk] > by_hub[hubs["norway"].pk] > 0
    assert not any(r[0] == hubs["vestland"].pk for r in records)
    allowed = {"NO": {hubs["occ"].pk, hubs["ncs"].pk}, "PT": {hubs["aicib"].pk}}
    for r in EngagementRecord.objects.prefetch_related("stakeholder_groups", "organisations"):
        country = "NO" if r.hub_id == hubs["norway"].pk else "PT"
        assert 1 <= r.stakeholder_groups.count() <= 3 and 1 <= r.objectives.count() <= 2
        # Only surveys run over several days.
        assert (r.end_date is not None) == (r.format == "survey")
        assert r.end_date is None or r.end_date > r.date
        assert r.participants is None or r.participants >= 0
        assert r.region_id is None or r.region_id.startswith(country + "-")
        assert r.language == {"NO": "nb", "PT": "pt"}[country]
        assert {o.pk for o in r.organisations.all()} <= allowed[country]
    assert EngagementRecord.objects.filter(is_demo=True).count() == 60


def test_nothing_without_a_count(hubs, generate_engagement):
    ctx = context(hubs, count=0)
    assert generate_engagement(ctx) == 0
    plain = Context(
        seed=1, scale=Scale(hubs=0, organisations=0, memberships=0), batch=5, progress=print
    )
    plain.hubs = ctx.hubs
    assert generate_engagement(plain) == 0
    assert not EngagementRecord.objects.exists()


def test_step_runs_after_the_consultation_answers(generate_engagement):
    registry.load_generator_steps()
    names = [s.name for s in STEPS]
    assert names[names.index("consultation_answers") + 1] == "engagement_records"


def page_queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_hub_page_queries_do_not_grow_with_records(
    hubs, client, login, personas, generate_engagement
):
    url = f"/engagement/hubs/{hubs['norway'].pk}/"
    editor = login(personas["editor_no"])
    counts = []
    # The smaller fills less than a page, so a query per listed record would show.
    for size in (12, 240):
        EngagementRecord.objects.all().delete()
        generate_engagement(context(hubs, count=size, only_norway=True, batch=50))
        counts.append(
            [
                page_queries(client, url),
                page_queries(client, url + "?group=patients"),
                page_queries(client, url + "?year=2025&page=2"),
                page_queries(editor, url),
            ]
        )
    for (small, _), (large, sql) in zip(counts[0], counts[1], strict=True):
        assert small == large, f"{small} then {large} queries:\n" + "\n".join(sql)
