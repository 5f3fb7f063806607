"""Personal data in participation, for ``site.privacy``: export, erasure and retention.

A person is found by their account and by their e-mail addresses (stored normalised). Erasure
removes the identity — account link, e-mail, name shown — and keeps what counts for everyone:
confirmed answers and their tallies, proposal and comment texts, supports in the counts. Pending
(unconfirmed) contributions are deleted: they were never counted or published.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso as _iso
from echos.core.retention import RetentionRule
from echos.participation.models import (
    Answer,
    Comment,
    Consultation,
    Proposal,
    Report,
    Support,
    normalise_email,
)

SECTION = "participation"
SECTION_LABELS = {
    "participation": _("Participation"),
    "participation.consultation_answers": _("Consultation answers"),
    "participation.proposals": _("Proposals"),
    "participation.supports": _("Supports"),
    "participation.comments": _("Comments"),
    "participation.reports": _("Reports to moderators"),
}
CONTRIBUTIONS = [
    ("consultation_answers", Answer),
    ("proposals", Proposal),
    ("supports", Support),
    ("comments", Comment),
]


def _emails(emails) -> list[str]:
    return [e for e in (normalise_email(x) for x in emails or []) if e]


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Contributions whose e-mail or name shown contains ``query``, pending ones included.

    Rows are ``(section, e-mail, name, account id)``, for the coordinators' search of people.
    """
    rows = []
    for key, model in CONTRIBUTIONS:
        q = Q(email__icontains=normalise_email(query))
        named = model in (Proposal, Comment)
        if named:
            q |= Q(display_name__icontains=query)
        found = model.objects.filter(q).order_by("email", "pk")
        fields = ("email", "display_name", "user_id") if named else ("email", "user_id")
        for values in found.values_list(*fields)[:limit]:
            email, user_id = values[0], values[-1]
            rows.append((key, email, values[1] if named else "", user_id))
    return rows


def names(user, emails: list[str]) -> set[str]:
    """The names the person chose to show, to scrub them from the audit log on erasure."""
    emails = _emails(emails)
    found = set()
    for model in (Proposal, Comment):
        found |= set(model.objects.of(user, emails).values_list("display_name", flat=True))
    return {n for n in found if n}


def collect(user, emails: list[str]) -> dict:
    """Everything participation holds about the person, with the answers and texts."""
    emails = _emails(emails)
    answers = Answer.objects.of(user, emails).select_related("consultation__hub")
    proposals = Proposal.objects.of(user, emails).select_related("hub")
    supports = Support.objects.of(user, emails).select_related("proposal")
    comments = Comment.objects.of(user, emails).select_related("proposal")
    reports = (
        Report.objects.filter(reporter=user)
        if user is not None and getattr(user, "pk", None)
        else Report.objects.none()
    )
    return {
        "consultation_answers": [
            {
                "consultation": a.consultation.title,
                "hub": a.consultation.hub.name_en,
                "email": a.email or None,
                "submitted": _iso(a.created_at),
                "confirmed": _iso(a.confirmed_at),
                "answers": a.answers,
            }
            for a in answers
        ],
        "proposals": [
            {
                "id": p.pk,
                "hub": p.hub.name_en,
                "title": p.title,
                "body": p.body,
                "name_shown": p.display_name,
                "email": p.email or None,
                "submitted": _iso(p.created_at),
                "confirmed": _iso(p.confirmed_at),
                "status": p.status,
                "hidden": p.is_hidden,
            }
            for p in proposals
        ],
        "supports": [
            {
                "proposal": s.proposal.title,
                "email": s.email or None,
                "submitted": _iso(s.created_at),
                "confirmed": _iso(s.confirmed_at),
            }
            for s in supports
        ],
        "comments": [
            {
                "proposal": c.proposal.title,
                "body": c.body,
                "name_shown": c.display_name,
                "email": c.email or None,
                "submitted": _iso(c.created_at),
                "confirmed": _iso(c.confirmed_at),
                "hidden": c.is_hidden,
            }
            for c in comments
        ],
        "reports": [
            {
                "reason": r.reason,
                "details": r.details,
                "proposal": r.proposal_id,
                "comment": r.comment_id,
                "at": _iso(r.created_at),
            }
            for r in reports
        ],
    }


# Labels of the counts ``erase`` returns, shown before and after an erasure.
COUNT_LABELS = {
    "pending_consultation_answers_deleted": _("unconfirmed consultation answers deleted"),
    "consultation_answers_anonymised": _("consultation answers kept without e-mail or account"),
    "pending_proposals_deleted": _("unconfirmed proposals deleted"),
    "proposals_anonymised": _("proposals kept without name shown, e-mail or account"),
    "pending_supports_deleted": _("unconfirmed supports deleted"),
    "supports_anonymised": _("supports kept in the counts without e-mail or account"),
    "pending_comments_deleted": _("unconfirmed comments deleted"),
    "comments_anonymised": _("comments kept without name shown, e-mail or account"),
    "reports_anonymised": _("reports to moderators kept without who sent them"),
    "consultations_unlinked": _("consultations kept without who opened them"),
    "answered_proposals_unlinked": _("hub answers to proposals kept without who wrote them"),
}


@transaction.atomic
def erase(user, emails: list[str], *, apply: bool = True) -> dict[str, int]:
    """Remove the person's identity from participation (``apply=False`` only counts); idempotent."""
    emails = _emails(emails)
    counts: dict[str, int] = {}

    def run(key: str, queryset, **fields) -> None:
        counts[key] = queryset.count()
        if apply and counts[key]:
            if fields:
                queryset.update(**fields)
            else:
                queryset.delete()

    for key, model in CONTRIBUTIONS:
        mine = model.objects.of(user, emails)
        run(f"pending_{key}_deleted", mine.pending())
        fields = {"user": None, "email": ""}
        if model in (Proposal, Comment):
            fields["display_name"] = ""
        run(f"{key}_anonymised", mine.confirmed(), **fields)
    if user is not None and getattr(user, "pk", None):
        run("reports_anonymised", Report.objects.filter(reporter=user), reporter=None)
        run(
            "consultations_unlinked",
            Consultation.objects.filter(created_by=user),
            created_by=None,
        )
        run(
            "answered_proposals_unlinked",
            Proposal.objects.filter(answered_by=user),
            answered_by=None,
        )
    return counts


def _pending(cutoff, apply: bool) -> int:
    """Unconfirmed contributions older than the limit: their link expired long ago."""
    total = 0
    for _key, model in CONTRIBUTIONS:
        old = model.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
        total += old.count()
        if apply:
            old.delete()
    return total


def _answer_emails(cutoff, apply: bool) -> int:
    """E-mails only prevent a second answer; once a consultation has long closed they go."""
    old = Answer.objects.exclude(email="").filter(consultation__closes_at__lt=cutoff)
    count = old.count()
    if apply:
        old.update(email="")
    return count


def retention_rules() -> list[RetentionRule]:
    """Participation's retention rules (limits from settings; 0 switches one off)."""
    return [
        RetentionRule(
            "participation_pending",
            "ECHOS_RETENTION_PENDING_DAYS",
            7,
            "days",
            "delete consultation answers, proposals, supports and comments never confirmed by "
            "e-mail within {limit} {unit}",
            _pending,
        ),
        RetentionRule(
            "participation_emails",
            "ECHOS_RETENTION_ANSWER_EMAIL_DAYS",
            90,
            "days",
            "remove the e-mail addresses kept with consultation answers {limit} {unit} after the "
            "consultation closed (the answers stay, anonymous)",
            _answer_emails,
        ),
    ]
