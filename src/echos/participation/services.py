"""Consultations, answers and tallies, proposals, supports, comments, reports, moderation, answers.

Each service: permission guard, validation with a message naming the field, one transaction, an
audit entry for changes made by the hub or its moderators. Anonymous contributions are stored
pending and confirmed through a signed e-mail link (``confirm``); only then are they counted.
"""

import json
import secrets
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.assessment import engine
from echos.assessment.models import Instrument
from echos.assessment.services import AnswersInvalid, publish_instrument
from echos.core.abuse import make_token, read_token
from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.languages import LANGUAGE_CODES
from echos.hubs.models import Hub
from echos.participation import permissions as perms
from echos.participation.models import (
    BODY_MAX,
    COMMENT_MAX,
    NAME_MAX,
    PENDING_HOURS,
    REASON_MAX,
    TITLE_MAX,
    Answer,
    AnswerTally,
    Comment,
    Consultation,
    ModerationAction,
    Proposal,
    Report,
    Support,
    normalise_email,
)

DATA = Path(__file__).resolve().parent / "data"
STANDARD_DEFINITION = DATA / "consultation_priorities.json"
TOKEN_PURPOSE = "participation.confirm"
NOTICE_EVERY = 3600  # at most one "you have already taken part" e-mail per entry per hour
CHARTED_TYPES = {"single", "multiple", "scale"}
AUDIT_VERBS = {"hide": "hidden", "restore": "restored", "dismiss": "reports_dismissed"}
KINDS = {"answer": Answer, "proposal": Proposal, "support": Support, "comment": Comment}


# --- participants ---------------------------------------------------------------------------------


def _participant(user, email: str) -> tuple[object | None, str]:
    """The account, or the normalised e-mail of someone taking part without one."""
    if user is not None and getattr(user, "is_authenticated", False):
        return user, ""
    address = normalise_email(email)
    if not address:
        raise RuleViolation(
            _("Give your e-mail address: we send you a link to confirm your participation."),
            "email",
        )
    try:
        validate_email(address)
    except ValidationError:
        raise RuleViolation(
            _("Enter a valid e-mail address, like name@example.org."), "email"
        ) from None
    return None, address


def _identity(user, email: str) -> Q:
    """Every earlier contribution of one person: the account, or the account's e-mail address
    (pending or confirmed without signing in), or the address and an account registered with it."""
    if user is not None:
        identity = Q(user=user)
        address = normalise_email(getattr(user, "email", ""))
        if address:
            identity |= Q(email=address)
        return identity
    return Q(email=email) | Q(user__email__iexact=email)


def _existing(model, user, email: str, **scope):
    """The same person's earlier contribution of this kind in this scope; expired pending ones are dropped.

    One person, whether signed in or not: a support or an answer given by e-mail and then from the
    account with that address (or the other way round) is the same person's, counted once.
    """
    found = None
    for candidate in model.objects.filter(_identity(user, email), **scope).order_by("pk"):
        if candidate.is_expired():
            candidate.delete()
            continue
        if found is None or (found.confirmed_at is None and candidate.confirmed_at is not None):
            found = candidate
    return found


def confirmation_link(kind: str, obj) -> str:
    """The absolute link that confirms ``obj``, on the configured site address (``SITE_URL``)."""
    return site_url() + reverse("participation:confirm", args=[confirmation_token(kind, obj)])


def _send_confirmation(kind: str, obj, email: str, subject: str, intro: str) -> None:
    """E-mail a signed link that confirms one pending contribution."""
    link = confirmation_link(kind, obj)
    body = "\n\n".join(
        [
            intro,
            _("Confirm by opening this link within %(h)d hours:") % {"h": PENDING_HOURS},
            link,
            _(
                "If you did not take part, ignore this message: nothing is published or counted "
                "without confirmation, and the pending entry is deleted."
            ),
        ]
    )
    send_mail(subject, body, None, [email])


def site_url() -> str:
    """The site's address for e-mailed links: always ``settings.SITE_URL`` (env ECHOS_SITE_URL),
    never the request's Host header, which a client chooses."""
    return settings.SITE_URL.rstrip("/")


def _send_already(kind: str, previous, email: str, subject: str, what: str) -> None:
    """Tell an address that it has already taken part (instead of telling whoever typed it).

    A pending entry gets its confirmation link again; a confirmed one is left as it is. At most one
    such notice per entry per hour, so the form cannot be used to flood somebody's mailbox.
    """
    if not cache.add(f"participation:already:{kind}:{previous.pk}", 1, NOTICE_EVERY):
        return
    parts = [
        _(
            "Someone, probably you, used this e-mail address to %(what)s again. This address "
            "has already done so, and each person takes part once: nothing new was recorded."
        )
        % {"what": what}
    ]
    if previous.confirmed_at is None:
        parts += [
            _("Your earlier entry is not counted until you confirm it with this link:"),
            confirmation_link(kind, previous),
        ]
    parts.append(_("If it was not you, ignore this message."))
    send_mail(subject, "\n\n".join(parts), None, [email])


def confirmation_token(kind: str, obj) -> str:
    """The token that confirms ``obj`` (also what the e-mail carries; used by tests and the demo)."""
    return make_token(TOKEN_PURPOSE, {"k": kind, "id": obj.pk})


def confirm(token: str, *, now=None):
    """Confirm a pending contribution from its e-mailed link; idempotent. Returns (kind, object)."""
    payload = read_token(TOKEN_PURPOSE, token, max_age=PENDING_HOURS * 3600)
    kind = payload.get("k") if isinstance(payload, dict) else None
    model = KINDS.get(kind)
    if model is None:
        raise RuleViolation(_("This link is not valid."), "token")
    now = now or timezone.now()
    with transaction.atomic():
        obj = model.objects.select_for_update().filter(pk=payload.get("id")).first()
        if obj is None:
            raise RuleViolation(
                _("This link is no longer valid: the entry was withdrawn or has expired."), "token"
            )
        if obj.confirmed_at is not None:
            return kind, obj
        if kind == "answer" and obj.consultation.is_closed(now):
            # Results are final when the consultation closes: an answer confirmed later is not
            # counted, even if it was submitted before (the e-mail says when it closes).
            raise RuleViolation(
                _(
                    "This consultation closed on %(d)s, before you confirmed your answer: it is "
                    "not counted. Results are final when a consultation closes."
                )
                % {"d": _closing(obj.consultation)},
                "token",
            )
        obj.confirmed_at = now
        obj.save(update_fields=["confirmed_at"])
        count_confirmed(kind, obj)
    return kind, obj


def _closing(consultation: Consultation) -> str:
    """When a consultation closes, in the site's time zone, with the zone's name."""
    return timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M %Z")


def count_confirmed(kind: str, obj) -> None:
    """Side effects of a contribution becoming confirmed, inside its transaction."""
    if kind == "answer":
        _tally(obj)
    elif kind == "support":
        Proposal.objects.filter(pk=obj.proposal_id).update(support_count=F("support_count") + 1)
    elif kind == "comment":
        Proposal.objects.filter(pk=obj.proposal_id).update(comment_count=F("comment_count") + 1)


# --- consultations -------------------------------------------------------------------------------


def standard_definition() -> dict:
    """The shipped consultation questionnaire (hub priorities)."""
    return json.loads(STANDARD_DEFINITION.read_text(encoding="utf-8"))


def standard_instrument() -> Instrument:
    """The current version of the shipped consultation questionnaire, published on first use."""
    return publish_instrument(standard_definition())


def _instrument_from(definition) -> Instrument:
    """A consultation instrument from a definition (dict or JSON text) in the engine's format."""
    if isinstance(definition, str):
        try:
            definition = json.loads(definition)
        except json.JSONDecodeError as exc:
            raise RuleViolation(
                _("The questionnaire is not valid JSON (line %(l)d): %(m)s")
                % {"l": exc.lineno, "m": exc.msg},
                "definition",
            ) from None
    if not isinstance(definition, dict):
        raise RuleViolation(_("The questionnaire must be a JSON object."), "definition")
    definition = {
        **definition,
        "kind": Instrument.Kind.CONSULTATION,
        "code": f"consultation-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}",
    }
    definition.setdefault("title", _("Consultation questionnaire"))
    try:
        found = engine.questions(definition)
    except (engine.DefinitionError, KeyError, TypeError, AttributeError) as exc:
        raise RuleViolation(
            _("The questionnaire definition is not valid: %(m)s") % {"m": exc}, "definition"
        ) from None
    if not found:
        raise RuleViolation(_("The questionnaire has no question."), "definition")
    return publish_instrument(definition)


def _aware(value: datetime) -> datetime:
    """A date and time without a time zone is read in the site's time zone (``TIME_ZONE``), as the
    consultation form does."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _check_period(
    opens_at: datetime | None, closes_at: datetime | None
) -> tuple[datetime, datetime]:
    """The period with both ends in a time zone; refused when an end is missing or out of order."""
    if opens_at is None:
        raise RuleViolation(_("Give the date and time the consultation opens."), "opens_at")
    if closes_at is None:
        raise RuleViolation(_("Give the date and time the consultation closes."), "closes_at")
    opens_at, closes_at = _aware(opens_at), _aware(closes_at)
    if closes_at <= opens_at:
        raise RuleViolation(_("The consultation must close after it opens."), "closes_at")
    return opens_at, closes_at


def _check_languages(languages) -> list[str]:
    codes = [str(c).strip().lower() for c in (languages or []) if str(c).strip()]
    unknown = sorted(set(codes) - LANGUAGE_CODES)
    if unknown:
        raise RuleViolation(
            _("Unknown language code: %(c)s (use ISO 639-1, e.g. en, pl).")
            % {"c": ", ".join(unknown)},
            "languages",
        )
    return list(dict.fromkeys(codes))


def _text(value: str, field: str, limit: int, *, required: bool, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise RuleViolation(message or _("This field is required."), field)
    if len(text) > limit:
        raise RuleViolation(
            _("Keep this under %(n)d characters (it has %(len)d).")
            % {"n": limit, "len": len(text)},
            field,
        )
    return text


def open_consultation(
    *,
    actor,
    hub: Hub,
    title: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    languages=None,
    mode: str = Consultation.Mode.OPEN,
    definition=None,
    instrument: Instrument | None = None,
    is_demo: bool = False,
) -> Consultation:
    """Open a questionnaire of a hub to the public for a period (hub coordinators, editors, network)."""
    guard(perms.can_run_consultations(actor, hub), actor)
    title = _text(title, "title", 200, required=True, message=_("Give the consultation a title."))
    description = _text(
        description,
        "description",
        BODY_MAX,
        required=True,
        message=_("Describe what the consultation is about and what the hub will do with it."),
    )
    opens_at, closes_at = _check_period(opens_at, closes_at)
    languages = _check_languages(languages)
    if mode not in Consultation.Mode.values:
        raise RuleViolation(_("Choose who may answer."), "mode")
    with transaction.atomic():
        if instrument is None:
            instrument = _instrument_from(definition) if definition else standard_instrument()
        elif instrument.kind != Instrument.Kind.CONSULTATION:
            raise RuleViolation(_("Choose a consultation questionnaire."), "instrument")
        consultation = Consultation.objects.create(
            hub=hub,
            instrument=instrument,
            title=title,
            description=description,
            languages=languages,
            opens_at=opens_at,
            closes_at=closes_at,
            mode=mode,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_demo=is_demo,
        )
        AnswerTally.objects.bulk_create(
            [
                AnswerTally(consultation=consultation, question=q, option=o)
                for q, o in tally_cells(instrument.definition)
            ]
        )
        log_action(
            actor=actor,
            action="participation.consultation.opened",
            target=consultation,
            data={"hub": hub.pk, "opens_at": opens_at, "closes_at": closes_at},
        )
    return consultation


def tally_cells(definition: dict) -> list[tuple[str, str]]:
    """Every (question, option) a consultation counts: "" for "answered", options of choice questions."""
    cells = []
    for q in engine.questions(definition):
        cells.append((q.code, ""))
        if q.type in {"single", "multiple"}:
            cells.extend((q.code, value) for value, _label in q.options)
        elif q.type == "scale":
            cells.extend((q.code, str(level["value"])) for level in q.spec.get("levels", []))
    return cells


def question_types(definition: dict) -> dict[str, str]:
    """Question code → type, for counting many answers to one definition."""
    return {q.code: q.type for q in engine.questions(definition)}


def tally_pairs(
    definition: dict, answers: dict, types: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """The (question, option) cells one set of cleaned answers adds 1 to."""
    types = types or question_types(definition)
    pairs = []
    for code, value in answers.items():
        kind = types.get(code)
        if kind is None:
            continue
        pairs.append((code, ""))
        if kind == "multiple":
            pairs.extend((code, str(v)) for v in value)
        elif kind in {"single", "scale"}:
            pairs.append((code, str(value)))
    return pairs


def _tally(answer: Answer) -> None:
    """Add a confirmed answer to its consultation's tallies (same transaction as the confirmation)."""
    pairs = tally_pairs(answer.consultation.instrument.definition, answer.answers)
    if pairs:
        match = Q(pk__in=[])
        for question, option in pairs:
            match |= Q(question=question, option=option)
        cells = AnswerTally.objects.filter(match, consultation_id=answer.consultation_id)
        updated = cells.update(count=F("count") + 1)
        if updated < len(pairs):
            # A cell not created with the consultation (a vocabulary option added later).
            known = set(cells.values_list("question", "option"))
            AnswerTally.objects.bulk_create(
                [
                    AnswerTally(
                        consultation_id=answer.consultation_id, question=q, option=o, count=1
                    )
                    for q, o in pairs
                    if (q, o) not in known
                ]
            )
    Consultation.objects.filter(pk=answer.consultation_id).update(
        confirmed_count=F("confirmed_count") + 1
    )


def submit_answer(
    *,
    consultation: Consultation,
    answers: dict,
    user=None,
    email: str = "",
    language: str = "",
    now=None,
) -> Answer:
    """Store one person's answers: counted at once for an account, pending e-mail confirmation otherwise.

    Refused (nothing written) when the consultation is not open or the answers do not validate.
    One answer per account and per normalised e-mail (in the service and in the database): a
    second one from an account is refused (Conflict); a second one from an e-mail address writes
    nothing, returns the earlier answer and e-mails the address a notice, so the visitor is not
    told whether that address took part.
    """
    now = now or timezone.now()
    if now < consultation.opens_at:
        raise RuleViolation(_("This consultation is not open yet."), "consultation")
    if consultation.is_closed(now):
        raise RuleViolation(
            _("This consultation closed on %(d)s: answers are no longer accepted.")
            % {"d": _closing(consultation)},
            "consultation",
        )
    if consultation.mode == Consultation.Mode.ACCOUNT and not getattr(
        user, "is_authenticated", False
    ):
        raise RuleViolation(_("Sign in to answer this consultation."), "email")
    cleaned, errors = engine.validate(consultation.instrument.definition, answers, complete=True)
    if errors:
        raise AnswersInvalid(errors)
    user, address = _participant(user, email)
    scope = {"consultation": consultation}
    with transaction.atomic():
        previous = _existing(Answer, user, address, **scope)
        if previous is not None and user is not None:
            raise Conflict(_already(previous, _("answered this consultation")), "email")
        if previous is None:
            try:
                with transaction.atomic():
                    answer = Answer.objects.create(
                        consultation=consultation,
                        user=user,
                        email=address,
                        answers=cleaned,
                        language=(language or "")[:8],
                        created_at=now,
                        confirmed_at=now if user is not None else None,
                    )
            except IntegrityError:
                if user is not None:
                    raise Conflict(
                        _("You have already answered this consultation."), "email"
                    ) from None
                previous = _existing(Answer, None, address, **scope)
                if previous is None:
                    raise
            else:
                if user is not None:
                    _tally(answer)
    if previous is not None:
        # Anonymous and already answered: the same answer as a first submission; the address
        # (not the visitor) is told. The earlier answer is returned unchanged.
        _send_already(
            "answer",
            previous,
            address,
            _("You have already answered “%(t)s”") % {"t": consultation.title},
            _("answer the consultation “%(t)s”") % {"t": consultation.title},
        )
        return previous
    if user is None:
        _send_confirmation(
            "answer",
            answer,
            address,
            _("Confirm your answer to “%(t)s”") % {"t": consultation.title},
            " ".join(
                [
                    _("Thank you for answering the consultation “%(t)s” of %(hub)s.")
                    % {"t": consultation.title, "hub": consultation.hub.name_en},
                    _(
                        "It closes on %(d)s: confirm before then, answers confirmed after it "
                        "has closed are not counted."
                    )
                    % {"d": _closing(consultation)},
                ]
            ),
        )
    return answer


def _already(previous, what: str) -> str:
    if previous.confirmed_at is None:
        return _(
            "You have already %(what)s: confirm it with the link we e-mailed you (valid %(h)d hours)."
        ) % {"what": what, "h": PENDING_HOURS}
    return _("You have already %(what)s. Each person takes part once.") % {"what": what}


@transaction.atomic
def publish_follow_up(*, actor, consultation: Consultation, text: str) -> Consultation:
    """Publish (or with empty text withdraw) "what we did with your input"; shown once closed."""
    guard(perms.can_run_consultations(actor, consultation.hub), actor)
    text = _text(text, "follow_up", BODY_MAX * 2, required=False)
    consultation.follow_up = text
    consultation.follow_up_published_at = timezone.now() if text else None
    consultation.save(update_fields=["follow_up", "follow_up_published_at", "updated_at"])
    log_action(
        actor=actor,
        action="participation.consultation.follow_up_published"
        if text
        else "participation.consultation.follow_up_withdrawn",
        target=consultation,
        data={"length": len(text)},
    )
    return consultation


def results(consultation: Consultation) -> list[dict]:
    """Per question: counts per option from the tallies (two queries whatever the number of answers)."""
    counts = {
        (t.question, t.option): t.count
        for t in AnswerTally.objects.filter(consultation=consultation).only(
            "question", "option", "count"
        )
    }
    out = []
    for q in engine.questions(consultation.instrument.definition):
        answered = counts.get((q.code, ""), 0)
        options = []
        if q.type in {"single", "multiple"}:
            options = list(q.options)
        elif q.type == "scale":
            options = [(str(lv["value"]), f"{lv['value']} · {lv['label']}") for lv in q.levels]
        rows = [
            {
                "value": value,
                "label": label,
                "count": counts.get((q.code, value), 0),
                "share": round(100 * counts.get((q.code, value), 0) / answered, 1)
                if answered
                else 0.0,
            }
            for value, label in options
        ]
        out.append(
            {
                "question": q,
                "code": q.code,
                "text": q.text,
                "type": q.type,
                "answered": answered,
                "charted": q.type in CHARTED_TYPES,
                "rows": rows,
            }
        )
    return out


def text_answers(consultation: Consultation, code: str):
    """Confirmed answers that hold a free-text answer to question ``code``, newest first."""
    return (
        Answer.objects.confirmed()
        .filter(consultation=consultation, answers__has_key=code)
        .only("pk", "answers", "confirmed_at")
        .order_by("-confirmed_at", "-pk")
    )


def export_rows(consultation: Consultation):
    """Header and rows of the confirmed answers: no e-mail, account or name, only answers."""
    questions = engine.questions(consultation.instrument.definition)
    header = ["answer", "submitted", "language", *[q.code for q in questions]]
    yield header
    answers = (
        Answer.objects.confirmed()
        .filter(consultation=consultation)
        .only("pk", "answers", "confirmed_at", "language")
        .order_by("pk")
    )
    for n, a in enumerate(answers.iterator(chunk_size=2000), start=1):
        row = [n, a.confirmed_at.date().isoformat(), a.language]
        for q in questions:
            value = a.answers.get(q.code)
            if isinstance(value, list):
                value = ";".join(map(str, value))
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            row.append("" if value is None else value)
        yield row


# --- proposals, supports, comments ---------------------------------------------------------------


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
) -> Proposal:
    """A citizen's idea for a hub (or within one of its consultations); anonymous ones need confirming."""
    title = _text(
        title, "title", TITLE_MAX, required=True, message=_("Give your proposal a title.")
    )
    body = _text(body, "body", BODY_MAX, required=True, message=_("Describe your proposal."))
    display_name = _text(display_name, "display_name", NAME_MAX, required=False)
    if consultation is not None and consultation.hub_id != hub.pk:
        raise RuleViolation(_("This consultation belongs to another hub."), "consultation")
    user, address = _participant(user, email)
    now = timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.create(
            hub=hub,
            consultation=consultation,
            title=title,
            body=body,
            display_name=display_name,
            user=user,
            email=address,
            confirmed_at=now if user is not None else None,
            is_demo=is_demo,
        )
    if user is None:
        _send_confirmation(
            "proposal",
            proposal,
            address,
            _("Confirm your proposal “%(t)s”") % {"t": title},
            _("Thank you for your proposal to %(hub)s. It is published once you confirm it.")
            % {"hub": hub.name_en},
        )
    return proposal


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
    user, address = _participant(user, email)
    now = timezone.now()
    with transaction.atomic():
        previous = _existing(Support, user, address, proposal=proposal)
        if previous is not None and user is not None:
            raise Conflict(_already(previous, _("supported this proposal")), "email")
        if previous is None:
            try:
                with transaction.atomic():
                    made = Support.objects.create(
                        proposal=proposal,
                        user=user,
                        email=address,
                        confirmed_at=now if user is not None else None,
                        is_demo=is_demo,
                    )
            except IntegrityError:
                if user is not None:
                    raise Conflict(
                        _("You have already supported this proposal."), "email"
                    ) from None
                previous = _existing(Support, None, address, proposal=proposal)
                if previous is None:
                    raise
            else:
                if user is not None:
                    count_confirmed("support", made)
    if previous is not None:
        _send_already(
            "support",
            previous,
            address,
            _("You have already supported “%(t)s”") % {"t": proposal.title},
            _("support the proposal “%(t)s”") % {"t": proposal.title},
        )
        return previous
    if user is None:
        _send_confirmation(
            "support",
            made,
            address,
            _("Confirm your support of “%(t)s”") % {"t": proposal.title},
            _("You asked to support the proposal “%(t)s”.") % {"t": proposal.title},
        )
    return made


def comment(
    *,
    proposal: Proposal,
    body: str,
    user=None,
    email: str = "",
    display_name: str = "",
    is_demo: bool = False,
) -> Comment:
    """A comment on a visible proposal; anonymous ones are published once confirmed."""
    _visible(proposal)
    body = _text(body, "body", COMMENT_MAX, required=True, message=_("Write your comment."))
    display_name = _text(display_name, "display_name", NAME_MAX, required=False)
    user, address = _participant(user, email)
    now = timezone.now()
    with transaction.atomic():
        made = Comment.objects.create(
            proposal=proposal,
            body=body,
            display_name=display_name,
            user=user,
            email=address,
            confirmed_at=now if user is not None else None,
            is_demo=is_demo,
        )
        if user is not None:
            count_confirmed("comment", made)
    if user is None:
        _send_confirmation(
            "comment",
            made,
            address,
            _("Confirm your comment on “%(t)s”") % {"t": proposal.title},
            _("You commented on the proposal “%(t)s”.") % {"t": proposal.title},
        )
    return made


@transaction.atomic
def answer_proposal(*, actor, proposal: Proposal, status: str, reason: str = "") -> Proposal:
    """The hub's answer: accepted, in progress, not taken (a reason is then required) or back to under consideration."""
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
    before = {"status": proposal.status, "answer": proposal.answer}
    proposal.status = status
    proposal.answer = reason
    proposal.answered_at = timezone.now()
    proposal.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    log_action(
        actor=actor,
        action="participation.proposal.answered",
        target=proposal,
        data={"before": before, "status": status, "answer": reason},
    )
    return proposal


# --- reports and moderation ----------------------------------------------------------------------


def report(*, target, reason: str, details: str = "", user=None) -> Report:
    """Anyone flags a proposal or a comment for the hub's moderators."""
    if reason not in Report.Reason.values:
        raise RuleViolation(_("Choose why you report this."), "reason")
    details = _text(
        details,
        "details",
        REASON_MAX,
        required=reason == Report.Reason.OTHER,
        message=_("Say what is wrong."),
    )
    field = "proposal" if isinstance(target, Proposal) else "comment"
    return Report.objects.create(
        **{field: target},
        reason=reason,
        details=details,
        reporter=user if getattr(user, "is_authenticated", False) else None,
    )


def _target_hub(target) -> Hub:
    return target.hub if isinstance(target, Proposal) else target.proposal.hub


@transaction.atomic
def moderate(*, actor, target, action: str, reason: str) -> ModerationAction:
    """Hide, restore or dismiss the reports of a proposal or comment, with a reason; audited and listed."""
    hub = _target_hub(target)
    guard(perms.can_moderate(actor, hub), actor)
    if action not in ModerationAction.Action.values:
        raise RuleViolation(_("Choose hide, restore or dismiss."), "action")
    reason = _text(
        reason, "reason", REASON_MAX, required=True, message=_("Give the reason for this decision.")
    )
    given = target
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if action == ModerationAction.Action.HIDE and target.is_hidden:
        raise Conflict(_("This is already hidden."), "action")
    if action == ModerationAction.Action.RESTORE and not target.is_hidden:
        raise Conflict(_("This is not hidden."), "action")
    if action in (ModerationAction.Action.HIDE, ModerationAction.Action.RESTORE):
        target.is_hidden = action == ModerationAction.Action.HIDE
        target.hidden_reason = reason if target.is_hidden else ""
        target.save(update_fields=["is_hidden", "hidden_reason"])
        given.is_hidden, given.hidden_reason = target.is_hidden, target.hidden_reason
        if isinstance(target, Comment) and target.confirmed_at is not None:
            step = -1 if target.is_hidden else 1
            Proposal.objects.filter(pk=target.proposal_id).update(
                comment_count=F("comment_count") + step
            )
    field = "proposal" if isinstance(target, Proposal) else "comment"
    Report.objects.filter(**{field: target}, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    entry = ModerationAction.objects.create(
        hub=hub,
        **{field: target},
        action=action,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        actor=actor,
        action=f"participation.{field}.{AUDIT_VERBS[action]}",
        target=target,
        data={"reason": reason, "hub": hub.pk},
    )
    return entry
