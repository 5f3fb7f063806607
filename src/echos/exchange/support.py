"""Support requests: a hub asks for help on a topic, the platform suggests hubs strong in it, others
answer in a thread; open → answered (first answer from outside the asking hub) → closed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Term
from echos.exchange import notify, peers
from echos.exchange import permissions as perms
from echos.exchange.levels import strong_hubs
from echos.exchange.models import Answer, SupportRequest
from echos.exchange.sessions import _text, clean_dimensions
from echos.hubs.models import Hub

MAX_ASKED = 10


def _objective(code) -> Term | None:
    if code in (None, ""):
        return None
    term = Term.objects.of(Term.Vocabulary.OBJECTIVES).filter(code=str(code)).first()
    if term is None:
        raise RuleViolation(_("Unknown Mission objective."), "objective")
    return term


def _asked(hub: Hub, ids) -> list[Hub]:
    ids = [h.pk if isinstance(h, Hub) else h for h in list(ids or [])]
    if hub.pk in ids:
        raise RuleViolation(_("A hub cannot ask itself for help."), "asked_hubs")
    if len(ids) > MAX_ASKED:
        raise RuleViolation(_("Ask at most %(n)d hubs.") % {"n": MAX_ASKED}, "asked_hubs")
    found = list(Hub.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise RuleViolation(_("Unknown hub."), "asked_hubs")
    return found


def suggestions(user, request: SupportRequest, *, limit: int = 5) -> list[dict]:
    """Hubs strong on the request's dimension, each with the reason in words.

    Strength is read from the latest maturity results through the assessment app's privacy rule
    (a hub whose results are private is named only to those who may see them); the peer-matching
    module (``peers``) adds what the asking hub shares with each one (language, context).
    """
    if not request.dimension:
        return []
    strong = strong_hubs(user, request.hub, request.dimension, limit=limit)
    if not strong:
        return []
    shared = _shared_context(user, request.hub)
    out = []
    for s in strong:
        reason = _("Self-rated level %(level)d of 5 on this dimension.") % {"level": s["level"]}
        extra = shared.get(s["hub_id"])
        if extra:
            reason = f"{reason} {extra}"
        out.append({"hub_id": s["hub_id"], "name": s["name"], "reason": reason})
    return out


def _shared_context(user, hub: Hub) -> dict[int, str]:
    """What the hub shares with each peer, in words, from the peer-matching module."""
    found = peers.suggestions(user, hub)
    out: dict[int, str] = {}
    for suggestion in [*found.learn_from, *found.can_help, *found.similar]:
        words = [w for w in [suggestion.languages, *suggestion.traits] if w]
        if words and suggestion.peer.pk not in out:
            out[suggestion.peer.pk] = "; ".join(str(w) for w in words)
    return out


@transaction.atomic
def create_request(
    *,
    actor,
    hub: Hub,
    title: str,
    text: str,
    dimension: str = "",
    objective: str | None = None,
    visibility: str = SupportRequest.Visibility.NETWORK,
    asked_hubs=(),
    is_demo: bool = False,
) -> SupportRequest:
    """Ask the network for help in a hub's name; the hubs asked (and the network) are e-mailed."""
    guard(perms.can_create_request(actor, hub), actor)
    title = _text(title, "title", 200)
    if not title:
        raise RuleViolation(_("Give the request a title."), "title")
    text = _text(text, "text")
    if not text:
        raise RuleViolation(_("Say what help is needed."), "text")
    dims = clean_dimensions([dimension] if dimension else [], "dimension")
    term = _objective(objective)
    if not dims and term is None and not text:
        raise RuleViolation(_("Name a topic."), "dimension")
    if visibility not in SupportRequest.Visibility.values:
        raise RuleViolation(_("Unknown choice."), "visibility")
    asked = _asked(hub, asked_hubs)
    request = SupportRequest.objects.create(
        hub=hub,
        title=title,
        text=text,
        dimension=dims[0] if dims else "",
        objective=term,
        visibility=visibility,
        is_demo=is_demo,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    request.asked_hubs.set(asked)
    log_action(
        actor=actor,
        action="exchange.request.created",
        target=request,
        data={"hub": hub.pk, "visibility": visibility, "asked_hubs": [h.pk for h in asked]},
    )
    if not is_demo:
        notify.after_commit("request_created", request.pk)
    return request


@transaction.atomic
def ask_hubs(*, actor, request: SupportRequest, hubs) -> SupportRequest:
    """Add hubs (e.g. suggested ones) to those asked; they are e-mailed."""
    guard(perms.can_manage_request(actor, request), actor)
    added = [
        h for h in _asked(request.hub, hubs) if not request.asked_hubs.filter(pk=h.pk).exists()
    ]
    if request.asked_hubs.count() + len(added) > MAX_ASKED:
        raise RuleViolation(_("Ask at most %(n)d hubs.") % {"n": MAX_ASKED}, "asked_hubs")
    request.asked_hubs.add(*added)
    log_action(
        actor=actor,
        action="exchange.request.asked",
        target=request,
        data={"added": [h.pk for h in added]},
    )
    if added:
        notify.after_commit("request_created", request.pk)
    return request


@transaction.atomic
def answer(
    *, actor, request: SupportRequest, text: str, hub: Hub | None = None, is_demo: bool = False
) -> Answer:
    """Add a message to the thread; the first from outside the asking hub makes it "answered"."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    guard(perms.can_answer_request(actor, request), actor)
    if request.status == SupportRequest.Status.CLOSED:
        raise RuleViolation(_("The request is closed."), "status")
    text = _text(text, "text", 5000)
    if not text:
        raise RuleViolation(_("Write the answer."), "text")
    if hub is not None and actor is not None:
        ids = perms.team_hub_ids(actor)
        if ids is not None and hub.pk not in ids:
            raise RuleViolation(_("Answer in the name of a hub you belong to."), "hub")
    author_name = ""
    if actor is not None and actor.is_authenticated:
        author_name = actor.get_full_name() or actor.get_username()
    item = Answer.objects.create(
        request=request,
        hub=hub,
        author=actor if actor is not None and actor.is_authenticated else None,
        author_name=author_name[:200],
        text=text,
        is_demo=is_demo,
    )
    if hub is not None:
        from_asker = hub.pk == request.hub_id
    else:
        ids = perms.editable_hub_ids(actor) if actor is not None else None
        from_asker = ids is not None and request.hub_id in ids
    if not from_asker and request.first_answered_at is None:
        request.first_answered_at = item.at
        request.status = SupportRequest.Status.ANSWERED
        request.save(update_fields=["first_answered_at", "status"])
    log_action(
        actor=actor,
        action="exchange.request.answered",
        target=request,
        data={"answer": item.pk, "hub": hub.pk if hub else None},
    )
    if not is_demo:
        notify.after_commit("request_answered", request.pk)
    return item


@transaction.atomic
def set_request_status(*, actor, request: SupportRequest, status: str) -> SupportRequest:
    """Close a request, or reopen it (back to answered or open, from its thread)."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    guard(perms.can_manage_request(actor, request), actor)
    if status not in (SupportRequest.Status.CLOSED, SupportRequest.Status.OPEN):
        raise RuleViolation(_("A request is closed or reopened."), "status")
    old = request.status
    if status == SupportRequest.Status.CLOSED:
        request.status, request.closed_at = status, timezone.now()
    else:
        request.closed_at = None
        request.status = (
            SupportRequest.Status.ANSWERED
            if request.first_answered_at
            else SupportRequest.Status.OPEN
        )
    request.save(update_fields=["status", "closed_at"])
    log_action(
        actor=actor,
        action="exchange.request.status_changed",
        target=request,
        data={"status": [old, request.status]},
    )
    return request
