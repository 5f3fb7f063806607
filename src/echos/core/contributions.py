"""The one flow for anonymous, e-mail-confirmed, once-per-person contributions.

A *contribution* is something a person gives to the platform — a consultation answer, a support, a
comment, a proposal, an event registration — either from their account (confirmed at once) or with
an e-mail address they confirm through a signed link. The rules live here once:

- **who**: ``participant`` — the account, or the normal form of an address (``normalise_email``);
- **once per person**: ``existing`` finds the same person's earlier contribution in a scope, whether
  it was given from the account or from its address (or the other way round); expired pending ones
  are dropped on the way;
- **never tell who took part**: ``contribute`` refuses a duplicate only to the signed-in owner
  (``Conflict``); anybody else typing an address that already took part gets the same answer as a
  first contribution, nothing is written, the earlier object is returned and the *address* is told
  (``send_already``, at most once an hour per entry);
- **pending → confirmed**: ``confirmation_token`` signs (purpose, kind, id); ``confirm`` checks the
  signature and its age, then confirms and runs the kind's side effect exactly once, in one
  transaction, however often the link is used.

An app describes each kind once with ``ContributionKind`` and ``register_kind``; core imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.abuse import make_token, read_token
from echos.core.emails import validate_email_address
from echos.core.exceptions import Conflict, RuleViolation

NOTICE_EVERY = 3600  # at most one "you have already taken part" e-mail per entry per hour
PENDING_HOURS = 72

Identity = Literal["account_or_email", "email"]


def send_now(address: str, subject: str, body: str) -> None:
    """Send one message at once (the default way a kind mails; events queue theirs instead)."""
    send_mail(subject, body, None, [address])


@dataclass(frozen=True)
class ContributionKind:
    """One kind of contribution and how it behaves; the flow is the same for every kind.

    ``model`` has ``user`` (nullable FK to the account), ``email`` (normal form), ``created_at`` and
    the nullable ``confirmed_field``. ``once_per_person`` false: many contributions allowed (a
    comment, a proposal). ``identity`` "email": the address alone says who took part (an account
    counts as the same person only when the address is the account's). ``exclude`` leaves rows out
    of the duplicate check (e.g. cancelled registrations). ``confirm_url`` is the URL name taking the
    token (``None`` when the app links to its own page, e.g. an event's personal page).
    ``normal_form`` turns a typed address into the one stored and handed to ``create`` (default
    ``normalise_email``, the whole address in lower case; events keep the local part's case). The
    duplicate check of e-mail kinds ignores case either way.
    """

    key: str
    model: type[models.Model]
    token_purpose: str
    confirm_url: str | None = None
    once_per_person: bool = True
    identity: Identity = "account_or_email"
    confirmed_field: str = "confirmed_at"
    pending_hours: int = PENDING_HOURS
    drop_expired: bool = True
    exclude: tuple[tuple[str, Any], ...] = ()
    on_confirmed: Callable[[Any], None] | None = None
    can_confirm: Callable[[Any, datetime], None] | None = None
    send: Callable[[str, str, str], None] = send_now
    notice_key: str = ""
    normal_form: Callable[[str], str] | None = None  # None: normalise_email

    def notice_cache_key(self, obj: models.Model) -> str:
        return f"{self.notice_key or self.token_purpose + ':already:' + self.key}:{obj.pk}"


@dataclass(frozen=True)
class Wording:
    """What the person reads, per call (it names the consultation or proposal).

    ``done``: "answered this consultation" (the Conflict to its owner); ``duplicate``: the Conflict
    when the database caught the duplicate; ``confirm_subject``/``confirm_intro``: the e-mail with the
    link; ``already_subject``/``already_what``: the notice to an address that already took part.
    """

    confirm_subject: str = ""
    confirm_intro: str = ""
    done: str = ""
    duplicate: str = ""
    already_subject: str = ""
    already_what: str = ""
    conflict: str = ""  # replaces the "You have already …" Conflict text when set


_KINDS: dict[tuple[str, str], ContributionKind] = {}


def register_kind(kind: ContributionKind) -> ContributionKind:
    """Declare a kind (again: replaced). Kinds sharing a token purpose share the link's lifetime."""
    for other in kinds(kind.token_purpose):
        if other.key != kind.key and other.pending_hours != kind.pending_hours:
            raise ValueError(f"{kind.token_purpose}: one link lifetime for all kinds")
    _KINDS[(kind.token_purpose, kind.key)] = kind
    return kind


def kinds(purpose: str) -> list[ContributionKind]:
    return [k for (p, _key), k in _KINDS.items() if p == purpose]


def get_kind(purpose: str, key: object) -> ContributionKind | None:
    return _KINDS.get((purpose, key)) if isinstance(key, str) else None


# --- who takes part ------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """The form of an address used for "one per person": trimmed and case-folded."""
    return (email or "").strip().lower()


def signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def participant(
    user: Any,
    email: str,
    *,
    identity: Identity = "account_or_email",
    normal_form: Callable[[str], str] | None = None,
) -> tuple[Any, str]:
    """(account or None, address): the account alone for "account_or_email" kinds (address ""),
    the validated normal form of ``email`` otherwise (``normal_form``, default ``normalise_email``);
    RuleViolation("email") if it is no address."""
    account = user if signed_in(user) else None
    if account is not None and identity == "account_or_email":
        return account, ""
    address = (normal_form or normalise_email)(email)
    if not address:
        raise RuleViolation(
            _("Give your e-mail address: we send you a link to confirm your participation."),
            "email",
        )
    try:
        validate_email_address(address)
    except ValidationError as exc:
        message = (
            exc.messages[0]
            if exc.code in ("local_part_too_long", "address_too_long")
            else _("Enter a valid e-mail address, like name@example.org.")
        )
        raise RuleViolation(message, "email") from None
    return account, address


def _identity(kind: ContributionKind, user: Any, address: str) -> Q:
    """Every earlier contribution of one person: the account or the account's address (given
    without signing in), or the address and an account registered with it."""
    if kind.identity == "email":
        return Q(email__iexact=address)
    if user is not None:
        identity = Q(user=user)
        own = normalise_email(getattr(user, "email", ""))
        if own:
            identity |= Q(email=own)
        return identity
    return Q(email=address) | Q(user__email__iexact=address)


def is_self(kind: ContributionKind, user: Any, address: str, previous: Any = None) -> bool:
    """The signed-in person acts for themselves: their account, or (e-mail kinds) its address."""
    if not signed_in(user):
        return False
    if kind.identity == "account_or_email":
        return True
    if normalise_email(getattr(user, "email", "")) == normalise_email(address):
        return True
    return previous is not None and getattr(previous, "user_id", None) == user.pk


# --- pending and confirmed -----------------------------------------------------------------------


def confirmed_at(kind: ContributionKind, obj: Any) -> datetime | None:
    value: datetime | None = getattr(obj, kind.confirmed_field)
    return value


def is_expired(kind: ContributionKind, obj: Any, now: datetime | None = None) -> bool:
    """Pending and older than the confirmation link's lifetime."""
    now = now or timezone.now()
    created: datetime = obj.created_at
    return confirmed_at(kind, obj) is None and created < now - timedelta(hours=kind.pending_hours)


def existing(kind: ContributionKind, user: Any, address: str, **scope: Any) -> Any:
    """The same person's earlier contribution of this kind in this scope (a confirmed one first);
    expired pending ones are deleted on the way when the kind says so."""
    found = None
    rows = kind.model._default_manager.filter(_identity(kind, user, address), **scope)
    for field, value in kind.exclude:
        rows = rows.exclude(**{field: value})
    for candidate in rows.order_by("pk"):
        if kind.drop_expired and is_expired(kind, candidate):
            candidate.delete()
            continue
        if found is None or (
            confirmed_at(kind, found) is None and confirmed_at(kind, candidate) is not None
        ):
            found = candidate
    return found


def confirmed_at_once(kind: ContributionKind, user: Any, address: str) -> bool:
    """From the account itself (for e-mail kinds: the account's own address): no link needed."""
    return is_self(kind, user, address)


def already_message(kind: ContributionKind, previous: Any, what: str) -> str:
    """What a signed-in person is told when they take part again."""
    if confirmed_at(kind, previous) is None:
        return _(
            "You have already %(what)s: confirm it with the link we e-mailed you (valid %(h)d hours)."
        ) % {"what": what, "h": kind.pending_hours}
    return _("You have already %(what)s. Each person takes part once.") % {"what": what}


def site_url() -> str:
    """The site's address for e-mailed links: always ``settings.SITE_URL`` (env ECHOS_SITE_URL),
    never the request's Host header, which a client chooses."""
    return str(settings.SITE_URL).rstrip("/")


def confirmation_token(kind: ContributionKind, obj: Any) -> str:
    """The token that confirms ``obj`` (what the e-mail carries)."""
    return make_token(kind.token_purpose, {"k": kind.key, "id": obj.pk})


def confirmation_link(kind: ContributionKind, obj: Any) -> str:
    """The absolute link that confirms ``obj``, on the configured site address (``SITE_URL``)."""
    if kind.confirm_url is None:
        raise ValueError(f"{kind.key}: no confirmation page")
    return site_url() + reverse(kind.confirm_url, args=[confirmation_token(kind, obj)])


def send_confirmation(
    kind: ContributionKind, obj: Any, address: str, subject: str, intro: str
) -> None:
    """E-mail a signed link that confirms one pending contribution."""
    body = "\n\n".join(
        [
            intro,
            _("Confirm by opening this link within %(h)d hours:") % {"h": kind.pending_hours},
            confirmation_link(kind, obj),
            _(
                "If you did not take part, ignore this message: nothing is published or counted "
                "without confirmation, and the pending entry is deleted."
            ),
        ]
    )
    kind.send(address, subject, body)


def notice_due(kind: ContributionKind, previous: Any) -> bool:
    """True at most once an hour per entry: the caller may tell the address it already took part."""
    return bool(cache.add(kind.notice_cache_key(previous), 1, NOTICE_EVERY))


def send_already(
    kind: ContributionKind, previous: Any, address: str, subject: str, what: str
) -> None:
    """Tell an address that it has already taken part (instead of telling whoever typed it).

    A pending entry gets its confirmation link again; a confirmed one is left as it is. At most one
    such notice per entry per hour, so the form cannot be used to flood somebody's mailbox.
    """
    if not notice_due(kind, previous):
        return
    parts = [
        _(
            "Someone, probably you, used this e-mail address to %(what)s again. This address "
            "has already done so, and each person takes part once: nothing new was recorded."
        )
        % {"what": what}
    ]
    if confirmed_at(kind, previous) is None and kind.confirm_url is not None:
        parts += [
            _("Your earlier entry is not counted until you confirm it with this link:"),
            confirmation_link(kind, previous),
        ]
    parts.append(_("If it was not you, ignore this message."))
    kind.send(address, subject, "\n\n".join(parts))


# --- the flow ------------------------------------------------------------------------------------


def contribute(
    kind: ContributionKind,
    *,
    user: Any,
    email: str = "",
    scope: dict[str, Any] | None = None,
    create: Callable[[Any, str, datetime | None], Any],
    wording: Wording,
    now: datetime | None = None,
    notify_already: Callable[[Any, str], None] | None = None,
    notify_pending: Callable[[Any, str], None] | None = None,
) -> Any:
    """Record one contribution, or return the person's earlier one without telling who took part.

    ``create(account, address, confirmed_at)`` writes the object (inside the transaction). From the
    account itself the object is confirmed at once and ``on_confirmed`` runs; otherwise it stays
    pending and the address receives the confirmation link. A duplicate (once-per-person kinds) is
    a ``Conflict`` for its signed-in owner; for anyone else nothing is written, the earlier object
    is returned and the address is told (at most hourly). ``notify_already``/``notify_pending``
    replace the e-mails (e.g. a queued template mail); the hourly limit still applies.
    """
    now = now or timezone.now()
    scope = scope or {}
    account, address = participant(
        user, email, identity=kind.identity, normal_form=kind.normal_form
    )
    at_once = confirmed_at_once(kind, account, address)
    previous = None
    with transaction.atomic():
        if kind.once_per_person:
            previous = existing(kind, account, address, **scope)
            if previous is not None and is_self(kind, account, address, previous):
                raise Conflict(
                    wording.conflict or already_message(kind, previous, wording.done), "email"
                )
        if previous is None:
            try:
                with transaction.atomic():
                    made = create(account, address, now if at_once else None)
            except IntegrityError:
                if not kind.once_per_person:
                    raise
                if kind.identity == "account_or_email" and account is not None:
                    raise Conflict(wording.conflict or wording.duplicate, "email") from None
                previous = existing(kind, None, address, **scope)
                if previous is None:
                    raise
                if is_self(kind, account, address, previous):
                    raise Conflict(
                        wording.conflict or already_message(kind, previous, wording.done), "email"
                    ) from None
            else:
                if at_once and kind.on_confirmed is not None:
                    kind.on_confirmed(made)
    if previous is not None:
        if notify_already is not None:
            if notice_due(kind, previous):
                notify_already(previous, address)
        else:
            send_already(kind, previous, address, wording.already_subject, wording.already_what)
        return previous
    if not at_once:
        if notify_pending is not None:
            notify_pending(made, address)
        else:
            send_confirmation(kind, made, address, wording.confirm_subject, wording.confirm_intro)
    return made


def check_token(purpose: str, token: str) -> Any:
    """The payload of a confirmation token of ``purpose``; RuleViolation("token") when altered or old."""
    hours = max((k.pending_hours for k in kinds(purpose)), default=PENDING_HOURS)
    return read_token(purpose, token, max_age=hours * 3600)


def confirm(token: str, *, purpose: str, now: datetime | None = None) -> tuple[str, Any]:
    """Confirm a pending contribution from its e-mailed link; idempotent. Returns (kind key, object).

    The side effect (``on_confirmed``) runs once, in the transaction that sets the confirmation;
    ``can_confirm`` may refuse (RuleViolation), e.g. an answer after its consultation closed.
    """
    payload = check_token(purpose, token)
    kind = get_kind(purpose, payload.get("k") if isinstance(payload, dict) else None)
    if kind is None:
        raise RuleViolation(_("This link is not valid."), "token")
    now = now or timezone.now()
    with transaction.atomic():
        obj = kind.model._default_manager.select_for_update().filter(pk=payload.get("id")).first()
        if obj is None:
            raise RuleViolation(
                _("This link is no longer valid: the entry was withdrawn or has expired."), "token"
            )
        if confirmed_at(kind, obj) is not None:
            return kind.key, obj
        if kind.can_confirm is not None:
            kind.can_confirm(obj, now)
        setattr(obj, kind.confirmed_field, now)
        obj.save(update_fields=[kind.confirmed_field])
        if kind.on_confirmed is not None:
            kind.on_confirmed(obj)
    return kind.key, obj
