"""Participation's kinds of contribution on top of the one flow (``echos.core.contributions``).

An answer and a support are once per person; a comment and a proposal may be many. Each is stored
pending when given with an e-mail address and confirmed through the signed link of
``participation:confirm``; only then is it published or counted (``count_confirmed``).
"""

from django.db.models import F
from django.utils.translation import gettext as _

from echos.core import contributions as flow
from echos.core.exceptions import RuleViolation
from echos.participation.models import PENDING_HOURS, Answer, Comment, Proposal, Support
from echos.participation.services._common import _closing
from echos.participation.services.tallies import _tally

TOKEN_PURPOSE = "participation.confirm"
NOTICE_EVERY = flow.NOTICE_EVERY
CONFIRM_URL = "participation:confirm"


def _answer_in_time(answer: Answer, now) -> None:
    """Results are final when the consultation closes: an answer confirmed later is not counted,
    even if it was submitted before (the e-mail says when it closes)."""
    if answer.consultation.is_closed(now):
        raise RuleViolation(
            _(
                "This consultation closed on %(d)s, before you confirmed your answer: it is "
                "not counted. Results are final when a consultation closes."
            )
            % {"d": _closing(answer.consultation)},
            "token",
        )


def _count_support(support: Support) -> None:
    Proposal.objects.filter(pk=support.proposal_id).update(support_count=F("support_count") + 1)


def _count_comment(comment: Comment) -> None:
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") + 1)


def _kind(key: str, model, **options) -> flow.ContributionKind:
    return flow.register_kind(
        flow.ContributionKind(
            key=key,
            model=model,
            token_purpose=TOKEN_PURPOSE,
            confirm_url=CONFIRM_URL,
            pending_hours=PENDING_HOURS,
            notice_key=f"participation:already:{key}",
            **options,
        )
    )


ANSWER = _kind("answer", Answer, on_confirmed=_tally, can_confirm=_answer_in_time)
SUPPORT = _kind("support", Support, on_confirmed=_count_support)
COMMENT = _kind("comment", Comment, once_per_person=False, on_confirmed=_count_comment)
PROPOSAL = _kind("proposal", Proposal, once_per_person=False)  # published once confirmed
BY_KEY = {k.key: k for k in (ANSWER, PROPOSAL, SUPPORT, COMMENT)}
KINDS = {key: kind.model for key, kind in BY_KEY.items()}


def site_url() -> str:
    return flow.site_url()


def confirmation_token(kind: str, obj) -> str:
    """The token that confirms ``obj`` (also what the e-mail carries; used by tests and the demo)."""
    return flow.confirmation_token(BY_KEY[kind], obj)


def confirmation_link(kind: str, obj) -> str:
    """The absolute link that confirms ``obj``, on the configured site address (``SITE_URL``)."""
    return flow.confirmation_link(BY_KEY[kind], obj)


def check_token(token: str):
    """The payload of a confirmation link; RuleViolation when altered or expired (the GET page)."""
    return flow.check_token(TOKEN_PURPOSE, token)


def confirm(token: str, *, now=None):
    """Confirm a pending contribution from its e-mailed link; idempotent. Returns (kind, object)."""
    return flow.confirm(token, purpose=TOKEN_PURPOSE, now=now)


def count_confirmed(kind: str, obj) -> None:
    """Side effects of a contribution becoming confirmed, inside its transaction."""
    effect = BY_KEY[kind].on_confirmed
    if effect is not None:
        effect(obj)
