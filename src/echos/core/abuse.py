"""Abuse protection shared by every public form: honeypot, per-IP and per-account limits, e-mail tokens.

- ``HONEYPOT`` is the name of a field every public form renders hidden from people (see
  ``templates/_honeypot.html``); a filled honeypot means a bot, and ``check_public_post`` refuses it.
- ``check_public_post`` counts the submission against two buckets — the client address and, when
  signed in, the account — with its own limit per action (``ECHOS_RATE_PUBLIC_<ACTION>`` per hour),
  on top of the general per-minute limit of ``core.ratelimit``. Tests switch it off with
  ``ECHOS_RATE_LIMITS=False`` like the other limits, and switch it on again to test it.
- ``make_token`` / ``read_token`` sign a small payload (e.g. a registration id) for links sent by
  e-mail: confirmation and personal cancel links. They expire (``max_age``) and cannot be forged.
"""

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.ratelimit import allow, client_address

HONEYPOT = "website_url"

DEFAULT_LIMITS = {
    "register": 20,
    "consultation": 10,
    "proposal": 10,
    "support": 120,
    "comment": 30,
    "report": 30,
}


class TooMany(RuleViolation):
    """Refused by a rate limit; pages answer 429."""

    status = 429


def limit_for(action: str) -> int:
    """Submissions allowed per hour for one action, from ``ECHOS_RATE_PUBLIC_<ACTION>``."""
    overrides = getattr(settings, "ECHOS_RATE_PUBLIC", {}) or {}
    return int(overrides.get(action, DEFAULT_LIMITS.get(action, 30)))


def check_public_post(request, action: str) -> None:
    """Refuse bots (honeypot) and clients over the hourly limit of ``action``."""
    if request.POST.get(HONEYPOT):
        raise RuleViolation(_("This form could not be accepted."), HONEYPOT)
    if not getattr(settings, "ECHOS_RATE_LIMITS", True):
        return
    limit = limit_for(action)
    keys = ["ip:" + (client_address(request) or "unknown")]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"user:{user.pk}")
    for key in keys:
        ok, retry = allow(f"public-{action}", key, limit, window=3600)
        if not ok:
            raise TooMany(
                _("Too many submissions from you; try again in %(m)d minutes.")
                % {"m": max(1, retry // 60)}
            )


def make_token(purpose: str, value) -> str:
    """A signed, URL-safe token carrying ``value`` for one ``purpose``."""
    return signing.dumps(value, salt=f"echos.{purpose}", compress=True)


def read_token(purpose: str, token: str, *, max_age: int | None = None):
    """The value inside a token; RuleViolation if it was altered, is for another purpose or expired."""
    try:
        return signing.loads(token, salt=f"echos.{purpose}", max_age=max_age)
    except signing.SignatureExpired:
        raise RuleViolation(_("This link has expired."), "token") from None
    except signing.BadSignature:
        raise RuleViolation(_("This link is not valid."), "token") from None
