"""Consultations, their results, proposals and comments over JSON; hub writes with a Bearer token.

Reads show published content only: confirmed, not hidden. Citizens take part through the pages,
where the honeypot, hourly limits and e-mail confirmation protect each form.
"""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, api_user, one_of, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.core.multilingual import folded_search
from echos.hubs.models import Hub
from echos.participation import permissions as perms
from echos.participation import services
from echos.participation.models import (
    BODY_MAX,
    REASON_MAX,
    Comment,
    Consultation,
    ModerationAction,
    Proposal,
)
from echos.participation.schemas import (
    ConsultationDetailOut,
    ConsultationOut,
    ModerationOut,
    ProposalDetailOut,
    ProposalOut,
    ResultsOut,
)
from echos.questionnaires import engine

router = Router(tags=["participation"])
auth = TokenAuth()
STATES = ("open", "closed", "upcoming")


TranslationsIn = dict[str, dict[str, str | None] | None] | None


class ConsultationIn(Schema):
    hub: int
    title: str = Field(max_length=200)
    description: str = Field(max_length=BODY_MAX)
    opens_at: datetime
    closes_at: datetime
    languages: list[str] = []
    mode: Annotated[str, one_of(Consultation.Mode)] = Consultation.Mode.OPEN
    definition: dict | None = None
    source_language: str = Field("", max_length=8, description="Default: the hub's country's")
    translations: TranslationsIn = Field(
        None, description='Title and description in other languages: {"fr": {"title": …}}'
    )


class ConsultationTextIn(Schema):
    """The organiser's text of a consultation; omitted fields stay as they are."""

    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=BODY_MAX)
    source_language: str | None = Field(None, max_length=8)
    translations: TranslationsIn = Field(
        None, description="Replace the translations of title and description"
    )


class FollowUpIn(Schema):
    text: str = Field(max_length=BODY_MAX * 2)
    translations: TranslationsIn = Field(
        None, description='The follow-up in other languages: {"fr": {"follow_up": …}}'
    )


class ProposalAnswerIn(Schema):
    status: Annotated[str, one_of(Proposal.Status)]
    reason: str = Field("", max_length=BODY_MAX)
    source_language: str = Field("", max_length=8, description="The language of the answer")
    translations: TranslationsIn = Field(
        None, description='The answer in other languages: {"fr": {"answer": …}}'
    )


class ModerationIn(Schema):
    # Checked by services.moderate (400 naming the field, as the API tests expect), not one_of.
    action: str
    reason: str = Field(max_length=REASON_MAX)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _public_translations(c: Consultation) -> dict[str, dict[str, str]]:
    """Every language of the consultation's text; the follow-up's only once it is public."""
    out = {}
    for language, texts in (c.translations or {}).items():
        kept = {k: v for k, v in (texts or {}).items() if k != "follow_up" or c.follow_up_visible}
        if kept:
            out[language] = kept
    return out


def consultation_out(c: Consultation, *, questions: bool = False) -> dict:
    out = {
        "id": c.pk,
        "hub": c.hub_id,
        "title": c.title,
        "description": c.description,
        "source_language": c.source_language,
        "translations": _public_translations(c),
        "languages": c.languages,
        "opens_at": _iso(c.opens_at),
        "closes_at": _iso(c.closes_at),
        "state": c.state,
        "mode": c.mode,
        "instrument": {"code": c.instrument.code, "version": c.instrument.version},
        "answers": c.confirmed_count,
        "follow_up": c.follow_up if c.follow_up_visible else None,
        "follow_up_published_at": _iso(c.follow_up_published_at) if c.follow_up_visible else None,
        "is_demo": c.is_demo,
        "url": c.get_absolute_url(),
    }
    if questions:
        out["questions"] = [
            {
                "code": q.code,
                "type": q.type,
                "text": q.text,
                "required": q.required,
                "options": [{"value": v, "label": label} for v, label in q.options]
                if q.type in {"single", "multiple"}
                else [{"value": lv["value"], "label": lv["label"]} for lv in q.levels],
                "show_if": q.show_if,
            }
            for q in engine.questions(c.instrument.definition)
        ]
    return out


def proposal_out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "hub": p.hub_id,
        "consultation": p.consultation_id,
        "title": p.title,
        "body": p.body,
        "language": p.language,
        "author": p.display_name or None,
        "created_at": _iso(p.created_at),
        "status": p.status,
        "answer": p.answer,
        "source_language": p.source_language,
        "translations": p.translations or {},
        "answered_at": _iso(p.answered_at),
        "supports": p.support_count,
        "comments": p.comment_count,
        "is_demo": p.is_demo,
        "url": p.get_absolute_url(),
    }


def comment_out(c: Comment) -> dict:
    return {
        "id": c.pk,
        "proposal": c.proposal_id,
        "body": c.body,
        "language": c.language,
        "author": c.display_name or None,
        "created_at": _iso(c.created_at),
    }


def results_out(consultation: Consultation) -> dict:
    return {
        "consultation": consultation.pk,
        "answers": consultation.confirmed_count,
        "final": consultation.is_closed(),
        "questions": [
            {
                "code": r["code"],
                "type": r["type"],
                "text": r["text"],
                "answered": r["answered"],
                "options": [
                    {"value": row["value"], "label": str(row["label"]), "count": row["count"]}
                    for row in r["rows"]
                ],
            }
            for r in services.results(consultation)
        ],
    }


def proposal_detail_out(p: Proposal) -> dict:
    """``proposal_out`` with the published comments and the moderation history."""
    return {
        **proposal_out(p),
        "comment_list": [comment_out(c) for c in p.comments.public()[:500]],
        "moderation": [
            {"at": _iso(m.at), "action": m.action, "reason": m.reason}
            for m in p.moderation.all()[:50]
        ],
    }


def _consultations():
    return Consultation.objects.select_related("instrument")


@router.get("/consultations", response=page_of(ConsultationOut), summary="Public consultations")
def list_consultations(
    request,
    hub: int | None = None,
    # Checked here (400 naming the field, as the API tests expect), not by one_of.
    state: str | None = None,
    q: str = Query("", max_length=200),
    limit: int = 50,
    offset: int = 0,
):
    qs = folded_search(_consultations().order_by("-opens_at", "-id"), q)
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if state:
        if state not in STATES:
            raise RuleViolation(f"state must be one of {', '.join(STATES)}.", "state")
        qs = getattr(qs, state)(timezone.now())
    return paginate(qs, limit, offset, consultation_out)


@router.get("/consultations/{consultation_id}", response=ConsultationDetailOut)
def get_consultation(request, consultation_id: int):
    return consultation_out(get_object_or_404(_consultations(), pk=consultation_id), questions=True)


@router.get(
    "/consultations/{consultation_id}/results",
    response=ResultsOut,
    summary="Confirmed answers per question and option (public once closed)",
)
def consultation_results(request, consultation_id: int):
    consultation = get_object_or_404(_consultations().select_related("hub"), pk=consultation_id)
    if not consultation.is_closed() and not perms.can_run_consultations(
        api_user(request), consultation.hub
    ):
        raise PermissionDenied("Results are published when the consultation closes.")
    return results_out(consultation)


@router.post("/consultations", response={201: ConsultationDetailOut}, auth=auth)
def create_consultation(request, payload: ConsultationIn):
    hub = Hub.objects.filter(pk=payload.hub).first()
    if hub is None:
        raise RuleViolation("Unknown hub.", "hub")
    # One transaction with the response: a request that fails stores nothing (no duplicate on retry).
    with transaction.atomic():
        consultation = services.open_consultation(
            actor=request.user,
            hub=hub,
            title=payload.title,
            description=payload.description,
            opens_at=payload.opens_at,
            closes_at=payload.closes_at,
            languages=payload.languages,
            mode=payload.mode,
            definition=payload.definition,
            source_language=payload.source_language,
            translations=payload.translations,
        )
        return Status(201, consultation_out(consultation, questions=True))


@router.post("/consultations/{consultation_id}/follow-up", response=ConsultationOut, auth=auth)
def publish_follow_up(request, consultation_id: int, payload: FollowUpIn):
    consultation = get_object_or_404(_consultations().select_related("hub"), pk=consultation_id)
    services.publish_follow_up(
        actor=request.user,
        consultation=consultation,
        text=payload.text,
        translations=payload.translations,
    )
    return consultation_out(consultation)


@router.patch("/consultations/{consultation_id}", response=ConsultationDetailOut, auth=auth)
def change_consultation_text(request, consultation_id: int, payload: ConsultationTextIn):
    """Change the title, description, their source language and translations."""
    consultation = get_object_or_404(_consultations().select_related("hub"), pk=consultation_id)
    services.translate_consultation(
        actor=request.user, consultation=consultation, **payload.dict(exclude_unset=True)
    )
    return consultation_out(consultation, questions=True)


@router.get(
    "/proposals",
    response=page_of(ProposalOut),
    summary="Published proposals (hidden ones excluded)",
)
def list_proposals(
    request,
    hub: int | None = None,
    consultation: int | None = None,
    # Checked here (400 naming the field, as the API tests expect), not by one_of.
    status: str | None = None,
    q: str = Query("", max_length=200),
    limit: int = 50,
    offset: int = 0,
):
    qs = folded_search(Proposal.objects.public().order_by("-created_at", "-id"), q)
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if consultation is not None:
        qs = qs.filter(consultation_id=consultation)
    if status:
        if status not in Proposal.Status.values:
            raise RuleViolation(
                f"status must be one of {', '.join(Proposal.Status.values)}.", "status"
            )
        qs = qs.filter(status=status)
    return paginate(qs, limit, offset, proposal_out)


@router.get("/proposals/{proposal_id}", response=ProposalDetailOut)
def get_proposal(request, proposal_id: int):
    return proposal_detail_out(get_object_or_404(Proposal.objects.public(), pk=proposal_id))


@router.post("/proposals/{proposal_id}/answer", response=ProposalOut, auth=auth)
def answer_proposal(request, proposal_id: int, payload: ProposalAnswerIn):
    proposal = get_object_or_404(Proposal.objects.confirmed().select_related("hub"), pk=proposal_id)
    services.answer_proposal(
        actor=request.user,
        proposal=proposal,
        status=payload.status,
        reason=payload.reason,
        source_language=payload.source_language,
        translations=payload.translations,
    )
    return proposal_out(proposal)


def _moderation_out(entry: ModerationAction) -> dict:
    return {
        "id": entry.pk,
        "action": entry.action,
        "reason": entry.reason,
        "proposal": entry.proposal_id,
        "comment": entry.comment_id,
        "at": _iso(entry.at),
    }


@router.post("/proposals/{proposal_id}/moderation", response={201: ModerationOut}, auth=auth)
def moderate_proposal(request, proposal_id: int, payload: ModerationIn):
    proposal = get_object_or_404(Proposal.objects.confirmed().select_related("hub"), pk=proposal_id)
    entry = services.moderate(
        actor=request.user, target=proposal, action=payload.action, reason=payload.reason
    )
    return Status(201, _moderation_out(entry))


@router.post("/comments/{comment_id}/moderation", response={201: ModerationOut}, auth=auth)
def moderate_comment(request, comment_id: int, payload: ModerationIn):
    comment = get_object_or_404(
        Comment.objects.confirmed().select_related("proposal__hub"), pk=comment_id
    )
    entry = services.moderate(
        actor=request.user, target=comment, action=payload.action, reason=payload.reason
    )
    return Status(201, _moderation_out(entry))
