"""Personal data of the network of support.

People appear here as named owners of roadmap steps and commitments (free text), as invitees of a
dialogue (a name), and as the accounts behind support requests, answers, twinnings and progress
notes. A person's names are their account's full name and the names of their contact-person
records (hubs); rows whose owner or invitee is one of those names belong to them. Export lists all
of it; erasure replaces the names with "Erased" (the commitment or step stays, for its hub) and
unlinks the accounts (the request, answer or note stays, without its author). No retention rule.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso, target, unlink
from echos.exchange.models import (
    Answer,
    Commitment,
    Invitation,
    ProgressNote,
    Roadmap,
    RoadmapStep,
    SupportRequest,
    Twinning,
)
from echos.hubs.models import Person

SECTION = "exchange"
ERASED = "Erased"
SECTION_LABELS = {
    "exchange": _("Network of support"),
    "exchange.commitments_owned": _("Commitments you are named owner of"),
    "exchange.roadmap_steps_owned": _("Roadmap steps you are named owner of"),
    "exchange.invitations": _("Invitations to inception dialogues"),
    "exchange.support_requests": _("Support requests you asked"),
    "exchange.answers": _("Answers you wrote"),
    "exchange.progress_notes": _("Twinning progress notes you wrote"),
}
COUNT_LABELS = {
    "commitment_owners_erased": _("commitments kept without the owner's name"),
    "step_owners_erased": _("roadmap steps kept without the owner's name"),
    "invitations_erased": _("invitations kept without the invitee's name"),
    "requests_unlinked": _("support requests kept without their author"),
    "answers_unlinked": _("answers kept without their author"),
    "notes_unlinked": _("progress notes kept without their author"),
    "twinnings_unlinked": _("twinnings kept without who recorded them"),
    "roadmaps_unlinked": _("roadmaps kept without who started them"),
}


def person_names(user, emails) -> set[str]:
    """The names the person goes by: their account's full name and their contact records'."""
    found: set[str] = set()
    if user is not None and user.get_full_name().strip():
        found.add(user.get_full_name().strip())
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(user=user)
    for email in emails:
        q |= Q(email__iexact=email)
    found |= {n for n in Person.objects.filter(q).values_list("name", flat=True) if n}
    return found


def _named(model, field: str, names_: set[str]):
    q = Q(pk__in=[])
    for name in names_:
        q |= Q(**{f"{field}__iexact": name})
    return model.objects.filter(q)


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Owners, invitees and answer authors whose name contains ``query``."""
    rows: list[tuple[str, str, str, int | None]] = []
    for model, field, key in (
        (Commitment, "owner", "commitments_owned"),
        (RoadmapStep, "owner", "roadmap_steps_owned"),
        (Invitation, "name", "invitations"),
    ):
        for name in (
            model.objects.filter(**{f"{field}__icontains": query})
            .exclude(**{field: ERASED})
            .order_by(field)
            .values_list(field, flat=True)
            .distinct()[:limit]
        ):
            rows.append((key, "", name, None))
    for name, user_id in (
        Answer.objects.filter(author_name__icontains=query)
        .order_by("author_name")
        .values_list("author_name", "author_id")
        .distinct()[:limit]
    ):
        rows.append(("answers", "", name, user_id))
    return rows[:limit]


def names(user, emails) -> set[str]:
    """Names to scrub from the audit log on erasure."""
    return person_names(user, emails)


def collect(user, emails) -> dict:
    """What the network of support holds about the person."""
    who = person_names(user, emails)
    own = user is not None
    return {
        "commitments_owned": [
            {"id": c.pk, "hub": target(c.hub), "owner": c.owner, "what": c.what, "due": iso(c.due)}
            for c in _named(Commitment, "owner", who).select_related("hub")
        ],
        "roadmap_steps_owned": [
            {"id": s.pk, "roadmap": target(s.roadmap), "step": s.code, "owner": s.owner}
            for s in _named(RoadmapStep, "owner", who).select_related("roadmap__country")
        ],
        "invitations": [
            {"id": i.pk, "session": target(i.session), "name": i.name}
            for i in _named(Invitation, "name", who).select_related("session__event")
        ],
        "support_requests": [
            {"id": r.pk, "hub": target(r.hub), "title": r.title, "created_at": iso(r.created_at)}
            for r in (
                SupportRequest.objects.filter(created_by=user).select_related("hub") if own else []
            )
        ],
        "answers": [
            {"id": a.pk, "request": a.request_id, "text": a.text, "at": iso(a.at)}
            for a in (Answer.objects.filter(author=user) if own else [])
        ],
        "progress_notes": [
            {"id": n.pk, "twinning": n.twinning_id, "text": n.text, "at": iso(n.at)}
            for n in (ProgressNote.objects.filter(author=user) if own else [])
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Replace the person's name where they are owner or invitee; unlink their account elsewhere."""
    who = person_names(user, emails)
    named = [
        (Commitment, "owner", "commitment_owners_erased"),
        (RoadmapStep, "owner", "step_owners_erased"),
        (Invitation, "name", "invitations_erased"),
    ]
    counts = {key: _named(model, field, who).count() for model, field, key in named}
    if apply:
        for model, field, _key in named:
            _named(model, field, who).update(**{field: ERASED})
        if user is not None:
            Answer.objects.filter(author=user).update(author_name=ERASED)
    counts |= unlink(
        user,
        [
            (SupportRequest, "created_by", "requests_unlinked"),
            (Answer, "author", "answers_unlinked"),
            (ProgressNote, "author", "notes_unlinked"),
            (Twinning, "created_by", "twinnings_unlinked"),
            (Roadmap, "created_by", "roadmaps_unlinked"),
        ],
        apply=apply,
    )
    return counts


def retention_rules() -> list:
    return []
