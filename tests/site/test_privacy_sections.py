"""The privacy orchestration reads each app's declared section: order, plug-in, nightly task."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from echos.core import registry
from echos.core.retention import RetentionRule
from echos.site import privacy
from echos.site.privacy import people
from echos.site.tasks import apply_retention
from echos.synergies.models import MatchJob

pytestmark = pytest.mark.django_db

APPS = [
    "core",
    "hubs",
    "assessment",
    "synergies",
    "events",
    "participation",
    "engagement",
    "library",
    "continuity",
    "exchange",
]


def test_every_app_declares_its_section_and_the_export_follows_installed_apps(personas):
    assert list(registry.privacy_modules()) == APPS
    data = privacy.collect(privacy.find_subject(username=personas["coord_no"].username))
    assert list(data) == [
        "accounts",
        "hubs",
        "assessment",
        "synergies",
        "events",
        "participation",
        "engagement",
        "library",
        "continuity",
        "exchange",
        "audit",
    ]
    # What synergies keeps of the account itself is listed with the account, after its tokens.
    assert list(data["accounts"])[:3] == ["account", "api_tokens", "matching_jobs"]


def test_a_new_apps_section_joins_export_erasure_search_and_retention(monkeypatch, personas):
    calls = []
    extra = SimpleNamespace(
        SECTION="extra",
        SECTION_LABELS={"extra": "Extra", "extra.notes": "Notes"},
        COUNT_LABELS={"notes_deleted": "notes deleted"},
        collect=lambda user, emails: {"notes": [{"text": "hello"}]},
        erase=lambda user, emails, apply=True: calls.append(apply) or {"notes_deleted": 1},
        names=lambda user, emails: {"Nickname"},
        find_people=lambda query, limit=50: [("notes", "x@example.org", "Nick", None)],
        retention_rules=lambda: [
            RetentionRule("notes", "ECHOS_TEST_NOTES_DAYS", 3, "days", "{limit}", lambda c, a: 2)
        ],
    )
    modules = {**registry.privacy_modules(), "extra": extra}
    monkeypatch.setattr(registry, "privacy_modules", lambda: modules)
    subject = privacy.find_subject(email="x@example.org")

    data = privacy.collect(subject)
    assert list(data)[-2:] == ["extra", "audit"]
    assert not privacy.is_empty(data)
    (block,) = [b for b in privacy.preview(data) if b["label"] == "Extra"]
    assert block["sections"][0]["label"] == "Notes" and block["sections"][0]["count"] == 1

    summary = privacy.erase_subject(subject, apply=True)
    assert calls == [False, True]
    assert ("notes deleted", 1) in privacy.summary_rows(summary)

    (match,) = [m for m in people.search_people("x@example") if m.email == "x@example.org"]
    assert match.places == [("Notes", 1)]

    results = {r["rule"]: r for r in privacy.run_retention()}
    assert results["notes"]["count"] == 2 and results["notes"]["limit"] == 3


def test_the_nightly_task_applies_every_apps_rules(personas, settings):
    settings.ECHOS_MATCH_JOB_KEEP_DAYS = 7
    job = MatchJob.objects.create(owner=personas["coord_no"], status=MatchJob.Status.DONE)
    MatchJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))

    results = {r["rule"]: r["count"] for r in apply_retention.call_local()}

    assert results["match_jobs"] == 1 and not MatchJob.objects.filter(pk=job.pk).exists()
    assert {"api_tokens", "sign_ins", "audit", "drafts", "registrations"} <= set(results)


def test_the_worker_discovers_the_nightly_task_in_site():
    autodiscover_modules("tasks")  # what `echos worker` (run_huey) does at start
    periodic = {f"{t.__module__}.{t.name}" for t in HUEY._registry.periodic_tasks}
    assert "echos.site.tasks.apply_retention" in periodic
