"""Limits of ``POST /api/v1/synergies/match``: caps checked before any work, a per-client budget,
and background jobs for token holders' larger batches, readable by their owner only."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from echos.core import pagecache
from echos.synergies import batch, engine, jobs
from echos.synergies.models import MatchJob

pytestmark = pytest.mark.django_db

URL = "/api/v1/synergies/match"

INITIATIVES = [
    {
        "id": "screen",
        "name": "Colorectal screening network",
        "description": "Organised colorectal cancer screening programmes with faecal tests.",
    },
    {
        "id": "work",
        "name": "Back to work",
        "description": "Return to work of cancer survivors: employers adapt jobs after treatment.",
    },
    {
        "id": "kids",
        "name": "Childhood cancer care",
        "description": "Paediatric oncology networks improving treatment of children.",
    },
]
ACTIVITIES = [
    {"id": "a1", "title": "Screening days", "description": "Bowel cancer screening in clinics."},
    {"id": "a2", "title": "Jobs", "description": "Survivors go back to work with their employers."},
    {"id": "a3", "title": "Kids", "description": "Care for children with leukaemia."},
]


def post(client, body, **extra):
    return client.post(URL, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def no_matching(monkeypatch):
    """Any matching work fails the test: refusals must come before it."""

    def forbidden(*args, **kwargs):
        raise AssertionError("matching work was done for a refused request")

    monkeypatch.setattr(engine, "Index", forbidden)
    monkeypatch.setattr(engine, "match", forbidden)


def test_anonymous_body_over_the_limit_is_refused_before_it_is_parsed(settings, no_matching):
    settings.ECHOS_MATCH_ANON_MAX_BODY = 2_000
    # Malformed JSON with a NUL character: parsing it would answer 422 naming the NUL or the JSON.
    body = '{"initiatives": [' + "\x00" * 3_000
    response = Client().post(URL, body, content_type="application/json")
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["field"] == "body" and "2,000" in error["message"]


def test_anonymous_body_within_the_limit_is_answered(settings):
    settings.ECHOS_MATCH_ANON_MAX_BODY = 2_000
    response = post(Client(), {"initiatives": INITIATIVES, "activities": ACTIVITIES[:1]})
    assert response.status_code == 200


def test_a_token_holder_may_send_a_larger_body(settings, personas, token_client):
    settings.ECHOS_MATCH_ANON_MAX_BODY = 200
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES[:1], "mode": "lexical"}
    assert post(Client(), body).status_code == 413
    assert post(token_client(personas["coord_no"]), body).status_code == 200


def test_anonymous_too_many_items_are_refused_naming_the_field_and_limit(settings, no_matching):
    settings.ECHOS_MATCH_ANON_MAX_ITEMS = 2
    response = post(Client(), {"initiatives": INITIATIVES[:1], "activities": ACTIVITIES})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "activities"
    assert "3 items" in error["message"] and "at most 2" in error["message"]


def test_anonymous_long_item_text_is_refused_naming_the_item_and_limit(settings, no_matching):
    settings.ECHOS_MATCH_ANON_MAX_CHARS = 120
    long = {**ACTIVITIES[1], "description": "word " * 30}
    response = post(Client(), {"initiatives": INITIATIVES, "activities": [ACTIVITIES[0], long]})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "activities"
    assert error["message"].startswith("activities[2]:") and "at most 120" in error["message"]


def test_the_budget_refuses_with_429_and_retry_after_once_spent(settings, personas, token_client):
    settings.ECHOS_RATE_LIMITS = True
    settings.ECHOS_MATCH_ANON_BUDGET = 10  # one unit per item: 3 + 3 = 6 a request
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "mode": "lexical"}
    anonymous = Client()
    assert post(anonymous, body).status_code == 200
    refused = post(anonymous, body)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "try again" in refused.json()["detail"]
    # Another client (a token holder) has a budget of its own.
    assert post(token_client(personas["coord_no"]), body).status_code == 200


def test_without_rate_limits_the_budget_is_not_counted(settings):
    settings.ECHOS_RATE_LIMITS = False
    settings.ECHOS_MATCH_ANON_BUDGET = 1
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "mode": "lexical"}
    assert [post(Client(), body).status_code for _ in range(2)] == [200, 200]


def test_anonymous_callers_cannot_start_a_job(no_matching):
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "background": True}
    response = post(Client(), body)
    assert response.status_code == 401 and not MatchJob.objects.exists()


def test_a_token_holders_large_batch_is_a_job_with_the_synchronous_result(
    settings, personas, token_client, django_capture_on_commit_callbacks
):
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "top": 2, "explain": True}
    synchronous = post(Client(), body)
    assert synchronous.status_code == 200
    settings.ECHOS_MATCH_SYNC_MAX_ITEMS = 2  # three activities are now past the synchronous cap
    owner = token_client(personas["coord_no"])
    with django_capture_on_commit_callbacks(execute=True):
        started = post(owner, body)
    assert started.status_code == 202
    url = started.json()["url"]
    assert started["Location"] == url and url.startswith(f"{URL}/jobs/")
    job = owner.get(url)
    assert job.status_code == 200
    answer = job.json()
    assert answer["status"] == "done"
    assert answer["progress"] == {"done": 6, "total": 6, "percent": 100}
    assert answer["result"] == synchronous.json()


def test_a_queued_job_reports_its_progress(
    personas, token_client, django_capture_on_commit_callbacks
):
    owner = token_client(personas["coord_no"])
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "background": True}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = post(owner, body)
    queued = [c for c in queued if not pagecache.is_bump(c)]
    assert started.status_code == 202 and len(queued) == 1
    answer = owner.get(started.json()["url"]).json()
    assert answer["status"] == "queued" and "result" not in answer
    assert answer["progress"] == {"done": 0, "total": 6, "percent": 0}


def test_only_the_owner_can_read_a_job(personas, token_client, django_capture_on_commit_callbacks):
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "background": True}
    with django_capture_on_commit_callbacks(execute=True):
        url = post(token_client(personas["coord_no"]), body).json()["url"]
    assert token_client(personas["coord_no"]).get(url).status_code == 200
    other = token_client(personas["coord_pt"]).get(url)
    assert other.status_code == 404 and "result" not in other.json()
    # Not even the network coordinator, and nobody without a token.
    assert token_client(personas["network"]).get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_the_job_path_has_its_own_caps(settings, personas, token_client, no_matching):
    settings.ECHOS_MATCH_SYNC_MAX_ITEMS = 1
    settings.ECHOS_MATCH_JOB_MAX_ITEMS = 2
    response = post(
        token_client(personas["coord_no"]),
        {"initiatives": INITIATIVES[:1], "activities": ACTIVITIES},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "activities" and "at most 2" in error["message"]
    assert not MatchJob.objects.exists()


def test_token_holders_have_a_synchronous_cap_too(settings, personas, token_client, no_matching):
    settings.ECHOS_MATCH_SYNC_MAX_CHARS = 50
    long = {**ACTIVITIES[0], "description": "screening " * 10}
    body = {"initiatives": INITIATIVES, "activities": [long]}
    response = post(token_client(personas["coord_no"]), body)
    # Not matched in the request (no_matching would fail it): queued as a job instead.
    assert response.status_code == 202
    assert MatchJob.objects.get().status == MatchJob.Status.QUEUED


def test_each_user_has_a_limited_number_of_running_jobs(
    settings, personas, token_client, django_capture_on_commit_callbacks
):
    settings.ECHOS_MATCH_JOB_MAX_ACTIVE = 1
    owner = token_client(personas["coord_no"])
    body = {"initiatives": INITIATIVES, "activities": ACTIVITIES, "background": True}
    with django_capture_on_commit_callbacks(execute=False):
        assert post(owner, body).status_code == 202
        refused = post(owner, body)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert MatchJob.objects.count() == 1


def test_the_cli_stays_unlimited(settings, tmp_path, capsys):
    settings.ECHOS_MATCH_ANON_MAX_ITEMS = settings.ECHOS_MATCH_SYNC_MAX_ITEMS = 1
    settings.ECHOS_MATCH_JOB_MAX_ITEMS = 1
    settings.ECHOS_MATCH_ANON_MAX_CHARS = settings.ECHOS_MATCH_JOB_MAX_CHARS = 10
    (tmp_path / "i.json").write_text(json.dumps(INITIATIVES))
    (tmp_path / "a.json").write_text(json.dumps(ACTIVITIES))
    call_command(
        "synergies",
        "match",
        "--initiatives",
        str(tmp_path / "i.json"),
        "--activities",
        str(tmp_path / "a.json"),
        "--mode",
        "lexical",
    )
    assert [r["activity"] for r in json.loads(capsys.readouterr().out)] == ["a1", "a2", "a3"]


def test_progress_is_told_per_chunk_of_activities():
    activities = batch.activities(
        [{"id": f"a{i}", "description": "Cancer screening days."} for i in range(batch.CHUNK + 1)]
    )
    told = []
    results = batch.run(
        batch.initiatives(INITIATIVES),
        activities,
        top=1,
        mode="lexical",
        explain=False,
        progress=told.append,
    )
    assert told == [3, 3 + batch.CHUNK, 3 + batch.CHUNK + 1]
    assert len(results) == batch.CHUNK + 1


def test_a_failing_job_says_why_and_runs_once(personas, token_client):
    job = MatchJob.objects.create(
        owner=personas["coord_no"],
        request={
            "initiatives": [{"id": "x", "description": " "}],
            "activities": ACTIVITIES,
            "top": 1,
            "mode": "lexical",
            "explain": False,
        },
        total=4,
    )
    assert jobs.run(str(job.pk)) is False
    answer = token_client(personas["coord_no"]).get(jobs.job_url(job)).json()
    assert answer["status"] == "failed" and "empty description" in answer["error"]
    assert "result" not in answer
    job.refresh_from_db()
    assert job.request == {}  # the batch is not kept once the job ends
    assert jobs.run(str(job.pk)) is False  # a job is taken once
