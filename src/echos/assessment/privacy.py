"""Personal data of assessment: questionnaire responses, evidence, consensus rounds opened.

Erasure keeps responses, evidence and rounds (the network's aggregates) without the person's
link. Retention deletes drafts (and their evidence files) not changed for a long time.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from echos.assessment.models import ConsensusRound, Evidence, Response
from echos.core.privacy_sections import iso as _iso
from echos.core.privacy_sections import owned as _mine
from echos.core.privacy_sections import target as _target
from echos.core.privacy_sections import unlink
from echos.core.retention import RetentionRule

SECTION = "assessment"
SECTION_LABELS = {
    "assessment": _("Mapping and maturity"),
    "assessment.responses": _("Questionnaire responses answered"),
    "assessment.evidence": _("Evidence uploaded"),
    "assessment.rounds_opened": _("Consensus rounds opened"),
}
COUNT_LABELS = {
    "responses_kept": _("responses kept without the respondent"),
    "evidence_kept": _("evidence kept without the uploader"),
    "rounds_kept": _("consensus rounds kept without who opened them"),
}
# What stays, with the person's link set to NULL: (model, field, count key).
UNLINKED: list[tuple[type[Response] | type[Evidence] | type[ConsensusRound], str, str]] = [
    (Response, "respondent", "responses_kept"),
    (Evidence, "uploaded_by", "evidence_kept"),
    (ConsensusRound, "opened_by", "rounds_kept"),
]


def find_people(query: str, *, limit: int = 50) -> list:
    """Responses and evidence name accounts only: nothing to find here."""
    return []


def names(user, emails) -> set[str]:
    return set()


def collect(user, emails) -> dict:
    """Responses the person answered (with the answers), evidence uploaded, rounds opened."""
    return {
        "responses": [
            {
                "id": r.pk,
                "instrument": {
                    "code": r.instrument.code,
                    "version": r.instrument.version,
                    "title": r.instrument.title,
                },
                "hub": _target(r.hub),
                "country": r.country_id,
                "kind": r.kind,
                "status": r.status,
                "is_public": r.is_public,
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
                "submitted_at": _iso(r.submitted_at),
                "answers": r.answers,
                "notes": r.notes,
            }
            for r in _mine(Response, user, respondent=user)
            .select_related("instrument", "hub")
            .order_by("created_at")
        ],
        "evidence": [
            {
                "id": e.pk,
                "response": e.response_id,
                "question": e.question,
                "file_name": e.filename,
                "link": e.link,
                "uploaded_at": _iso(e.created_at),
            }
            for e in _mine(Evidence, user, uploaded_by=user).order_by("created_at")
        ],
        "rounds_opened": [
            {"hub": _target(r.hub), "opened_at": _iso(r.opened_at), "status": r.status}
            for r in _mine(ConsensusRound, user, opened_by=user).select_related("hub")
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Keep responses, evidence and rounds without the person's link."""
    return unlink(user, UNLINKED, apply=apply)


def _old_drafts(cutoff, apply: bool) -> int:
    drafts = Response.objects.filter(status=Response.Status.DRAFT, updated_at__lt=cutoff)
    count = drafts.count()
    if apply and count:
        files = [
            (e.file.storage, e.file.name)
            for e in Evidence.objects.filter(response__in=drafts).exclude(file="")
        ]
        drafts.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return count


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "drafts",
            "ECHOS_RETENTION_DRAFT_DAYS",
            365,
            "days",
            "delete questionnaire drafts (and their evidence files) not changed for {limit} {unit}",
            _old_drafts,
        )
    ]
