"""Proposals of citizens, their supports (one per person) and comments, and the hub's answer."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core import contributions as flow
from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.multilingual import (
    active_language,
    clean_source_language,
    clean_translations,
    field_limits,
)
from echos.hubs.models import Hub
from echos.participation import permissions as perms
from echos.participation.models import (
    BODY_MAX,
    COMMENT_MAX,
    NAME_MAX,
    TITLE_MAX,
    Comment,
    Consultation,
    Proposal,
    Support,
)
from echos.participation.services._common import _text
from echos.participation.services.contributions import COMMENT, PROPOSAL, SUPPORT


def submit_proposal(
    *,
    hub: Hub,
    title: str,
    body: str,
    user=None,
    email: str = "",
    display_name: str = "",
    consultation: Consultation | None = None,
    is_demo: bool = False,
    language: str = "",
) -> Proposal:
    """A citizen's idea for a hub (or within one of its consultations); anonymous ones need confirming.

    ``language`` is the language the citizen wrote in (default: the page's active language);
    their words are never translated."""
    language = clean_source_language(language or active_language(), "language")
    title = _text(
        title, "title", TITLE_MAX, required=True, message=_("Give your proposal a title.")
    )
    body = _text(body, "body", BODY_MAX, required=True, message=_("Describe your proposal."))
    display_name = _text(display_name, "display_name", NAME_MAX, required=False)
    if consultation is not None and consultation.hub_id != hub.pk:
        raise RuleViolation(_("This consultation belongs to another hub."), "consultation")
    return flow.contribute(
        PROPOSAL,
        user=user,
        email=email,
        create=lambda account, address, confirmed_at: Proposal.objects.create(
            hub=hub,
            consultation=consultation,
            title=title,
            body=body,
            language=language,
            display_name=display_name,
            user=account,
            email=address,
            confirmed_at=confirmed_at,
            is_demo=is_demo,
        ),
        wording=flow.Wording(
            confirm_subject=_("Confirm your proposal “%(t)s”") % {"t": title},
            confirm_intro=_(
                "Thank you for your proposal to %(hub)s. It is published once you confirm it."
            )
            % {"hub": hub.name_en},
        ),
    )


def _visible(proposal: Proposal) -> None:
    """Refuse participation in a hidden or unconfirmed proposal (read from the database)."""
    if not Proposal.objects.public().filter(pk=proposal.pk).exists():
        raise RuleViolation(_("This proposal is not open for participation."), "proposal")


def support(*, proposal: Proposal, user=None, email: str = "", is_demo: bool = False) -> Support:
    """One support per person (account or e-mail): checked here and by the database.

    A second support from an account is refused (Conflict); from an e-mail address it writes
    nothing, returns the earlier support and e-mails the address, as for consultation answers.
    """
    _visible(proposal)
    title = proposal.title
    return flow.contribute(
        SUPPORT,
        user=user,
        email=email,
        scope={"proposal": proposal},
        create=lambda account, address, confirmed_at: Support.objects.create(
            proposal=proposal,
            user=account,
            email=address,
            confirmed_at=confirmed_at,
            is_demo=is_demo,
        ),
        wording=flow.Wording(
            confirm_subject=_("Confirm your support of “%(t)s”") % {"t": title},
            confirm_intro=_("You asked to support the proposal “%(t)s”.") % {"t": title},
            done=_("supported this proposal"),
            duplicate=_("You have already supported this proposal."),
            already_subject=_("You have already supported “%(t)s”") % {"t": title},
            already_what=_("support the proposal “%(t)s”") % {"t": title},
        ),
    )


def comment(
    *,
    proposal: Proposal,
    body: str,
    user=None,
    email: str = "",
    display_name: str = "",
    is_demo: bool = False,
    language: str = "",
) -> Comment:
    """A comment on a visible proposal; anonymous ones are published once confirmed (stored with
    the language it is written in, by default the page's active language)."""
    _visible(proposal)
    language = clean_source_language(language or active_language(), "language")
    body = _text(body, "body", COMMENT_MAX, required=True, message=_("Write your comment."))
    display_name = _text(display_name, "display_name", NAME_MAX, required=False)
    return flow.contribute(
        COMMENT,
        user=user,
        email=email,
        create=lambda account, address, confirmed_at: Comment.objects.create(
            proposal=proposal,
            body=body,
            language=language,
            display_name=display_name,
            user=account,
            email=address,
            confirmed_at=confirmed_at,
            is_demo=is_demo,
        ),
        wording=flow.Wording(
            confirm_subject=_("Confirm your comment on “%(t)s”") % {"t": proposal.title},
            confirm_intro=_("You commented on the proposal “%(t)s”.") % {"t": proposal.title},
        ),
    )


@transaction.atomic
def answer_proposal(
    *,
    actor,
    proposal: Proposal,
    status: str,
    reason: str = "",
    source_language: str = "",
    translations=None,
) -> Proposal:
    """The hub's answer: accepted, in progress, not taken (a reason is then required) or back to under consideration.

    ``source_language`` is the language of the answer (default: the one of the previous answer,
    else the page's active language); ``translations`` gives it in other languages
    (``{"fr": {"answer": …}}``)."""
    guard(perms.can_answer_proposals(actor, proposal.hub), actor)
    if status not in Proposal.Status.values:
        raise RuleViolation(
            _("Choose a status: %(s)s.") % {"s": ", ".join(Proposal.Status.values)}, "status"
        )
    reason = _text(reason, "reason", BODY_MAX, required=False)
    if status == Proposal.Status.NOT_TAKEN and not reason:
        raise RuleViolation(
            _("Explain why the proposal is not taken forward: the author and the public see it."),
            "reason",
        )
    language = clean_source_language(
        source_language or (proposal.source_language if proposal.answer else active_language())
    )
    texts = clean_translations(translations if reason else {}, field_limits(Proposal), language)
    for code, text in texts.items():
        if len(text.get("answer", "")) > BODY_MAX:
            raise RuleViolation(
                _("Keep this under %(n)d characters (it has %(len)d).")
                % {"n": BODY_MAX, "len": len(text["answer"])},
                f"translations.{code}.answer",
            )
    before = {
        "status": proposal.status,
        "answer": proposal.answer,
        "source_language": proposal.source_language,
        "translations": proposal.translations,
    }
    proposal.status = status
    proposal.answer = reason
    proposal.source_language = language
    proposal.translations = texts
    proposal.answered_at = timezone.now()
    proposal.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.save(
        update_fields=[
            "status",
            "answer",
            "source_language",
            "translations",
            "answered_at",
            "answered_by",
        ]
    )
    log_action(
        actor=actor,
        action="participation.proposal.answered",
        target=proposal,
        data={
            "before": before,
            "status": status,
            "answer": reason,
            "source_language": language,
            "translations": texts,
        },
    )
    return proposal
