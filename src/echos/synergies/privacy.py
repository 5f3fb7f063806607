"""Personal data of synergies: activities, decisions and links created, batch-matching jobs.

Erasure keeps activities, decisions and links without their author and deletes the person's
matching jobs (their texts and results). Retention deletes matching jobs after a few days.
"""

from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso as _iso
from echos.core.privacy_sections import owned as _mine
from echos.core.privacy_sections import target as _target
from echos.core.privacy_sections import unlink
from echos.core.retention import RetentionRule
from echos.synergies.models import Activity, Decision, MatchJob, SynergyLink

SECTION = "synergies"
SECTION_LABELS = {
    "synergies": _("Synergies"),
    "synergies.activities": _("Activities created"),
    "synergies.decisions": _("Decisions on suggestions"),
    "synergies.links": _("Synergy links created"),
}
COUNT_LABELS = {
    "matching_jobs_deleted": _("Batch-matching jobs deleted"),
    "activities_kept": _("activities kept without their author"),
    "decisions_kept": _("decisions kept without who made them"),
    "links_kept": _("synergy links kept without their author"),
}
# What stays, with the person's link set to NULL: (model, field, count key).
UNLINKED: list[tuple[type[Activity] | type[Decision] | type[SynergyLink], str, str]] = [
    (Activity, "created_by", "activities_kept"),
    (Decision, "decided_by", "decisions_kept"),
    (SynergyLink, "created_by", "links_kept"),
]


def find_people(query: str, *, limit: int = 50) -> list:
    """Synergies name accounts only: nothing to find here."""
    return []


def names(user, emails) -> set[str]:
    return set()


def collect_account(user) -> dict:
    """The account's batch-matching jobs, listed with the account (they are its own requests)."""
    return {
        "matching_jobs": [
            {
                "id": str(j.id),
                "status": j.status,
                "created_at": _iso(j.created_at),
                "finished_at": _iso(j.finished_at),
                "request": j.request,
                "result": j.result,
            }
            for j in _mine(MatchJob, user, owner=user).order_by("created_at")
        ]
    }


def collect(user, emails) -> dict:
    """Activities, decisions on suggestions and synergy links the person created."""
    return {
        "activities": [
            {
                "id": a.pk,
                "hub": _target(a.hub),
                "title": a.title,
                "source_language": a.source_language,
                "created_at": _iso(a.created_at),
            }
            for a in _mine(Activity, user, created_by=user).select_related("hub")
        ],
        "decisions": [
            {
                "id": d.pk,
                "hub": d.hub_id,
                "activity": d.activity_id,
                "initiative": d.initiative_id,
                "other_activity": d.other_activity_id,
                "verdict": d.verdict,
                "decided_at": _iso(d.decided_at),
            }
            for d in _mine(Decision, user, decided_by=user)
        ],
        "links": [
            {
                "id": link.pk,
                "hub": link.hub_id,
                "activity": link.activity_id,
                "initiative": link.initiative_id,
                "other_activity": link.other_activity_id,
                "status": link.status,
                "notes": link.notes,
                "created_at": _iso(link.created_at),
            }
            for link in _mine(SynergyLink, user, created_by=user)
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Delete the person's matching jobs; keep what they created without their link."""
    counts = {"matching_jobs_deleted": MatchJob.objects.filter(owner=user).count() if user else 0}
    counts.update(unlink(user, UNLINKED, apply=apply))
    if apply and user is not None:
        MatchJob.objects.filter(owner=user).delete()
    return counts


def _old_jobs(cutoff, apply: bool) -> int:
    jobs = MatchJob.objects.filter(created_at__lt=cutoff)
    count = jobs.count()
    if apply and count:
        jobs.delete()
    return count


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "match_jobs",
            "ECHOS_MATCH_JOB_KEEP_DAYS",
            7,
            "days",
            "delete batch-matching jobs (their texts and results) created more than {limit} "
            "{unit} ago",
            _old_jobs,
        )
    ]
