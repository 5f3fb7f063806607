"""Query counts that do not grow with the data; the generator step; the demo."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.hubs.models import Hub
from echos.participation import demo, services
from echos.participation.generate import bulk_answers, generate_answers
from echos.participation.models import (
    Answer,
    AnswerTally,
    Consultation,
    ModerationAction,
    Proposal,
    Support,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    client.get(url)  # warm caches that fill once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_results_queries_do_not_grow_with_answers(login, closed_consultation):
    consultation = closed_consultation
    client = login(None)
    rng = random.Random(1)
    counts = []
    for size in (50, 2_000):
        bulk_answers([(consultation, size)], rng=rng)
        consultation.refresh_from_db()
        counts.append(
            (
                queries(client, f"/participate/consultations/{consultation.pk}/results/"),
                queries(client, f"/api/v1/consultations/{consultation.pk}/results"),
            )
        )
    assert consultation.confirmed_count == 2_050
    assert counts[0] == counts[1]


def test_proposal_lists_queries_do_not_grow(login, hubs, personas):
    client = login(None)
    counts = []
    for size in (5, 120):
        for i in range(size):
            services.submit_proposal(
                hub=hubs["norway"], title=f"P{size}-{i}", body="b", user=personas["member_no"]
            )
        counts.append(
            (
                queries(client, "/participate/proposals/"),
                queries(client, f"/participate/proposals/?hub={hubs['norway'].pk}"),
                queries(client, f"/participate/hubs/{hubs['norway'].pk}/"),
                queries(client, "/api/v1/proposals?limit=100"),
            )
        )
    assert counts[0] == counts[1]


def test_generator_is_deterministic_with_correct_tallies(hubs):
    ids = [h.pk for h in Hub.objects.all()]
    seen = []
    made = generate_answers(ids, count=450, seed=7, batch=100)
    assert made == 450 and Answer.objects.confirmed().count() == 450
    for c in Consultation.objects.all():
        answers = list(c.answers.values_list("answers", flat=True))
        assert c.confirmed_count == len(answers)
        roles = sum(1 for a in answers if a.get("role") == "citizen")
        assert (
            AnswerTally.objects.get(consultation=c, question="role", option="citizen").count
            == roles
        )
        assert AnswerTally.objects.get(consultation=c, question="role", option="").count == len(
            answers
        )
    seen.append(
        list(
            Answer.objects.order_by("pk").values_list(
                "consultation__hub_id", "answers", "created_at"
            )
        )
    )
    Consultation.objects.all().delete()
    generate_answers(ids, count=450, seed=7, batch=1000)
    seen.append(
        list(
            Answer.objects.order_by("pk").values_list(
                "consultation__hub_id", "answers", "created_at"
            )
        )
    )
    assert seen[0] == seen[1]
    assert not Answer.objects.exclude(email="").exists()
    assert not Consultation.objects.filter(is_demo=False).exists()


def test_demo_attaches_to_demo_hubs_only(hubs, login):
    assert demo.load_demo() == {"skipped": True}  # no demo hub: nothing invented on real ones
    from echos.hubs.demo import load_demo as load_hub_demo

    load_hub_demo()
    result = demo.load_demo()
    hub = Hub.objects.get(pk=result["hub"])
    assert hub.is_demo
    assert Consultation.objects.filter(is_demo=True).count() == 2
    assert Consultation.objects.exclude(hub__is_demo=True).count() == 0
    assert result["answers"] == 500
    closed = Consultation.objects.get(title__startswith="Screening")
    assert closed.follow_up_visible and closed.confirmed_count == 180
    assert Proposal.objects.filter(is_hidden=True).count() == 1
    assert ModerationAction.objects.count() == 1
    assert Proposal.objects.public().filter(status="not_taken").exclude(answer="").exists()
    assert Support.objects.filter(is_demo=True).count() > 100
    assert demo.load_demo() == {"skipped": True}
    client = login(None)
    assert client.get(f"/participate/hubs/{hub.pk}/").status_code == 200
    assert client.get(f"/participate/consultations/{closed.pk}/results/").status_code == 200
