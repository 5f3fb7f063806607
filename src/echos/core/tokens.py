"""API tokens of an account: create, list, revoke (the page, the API's scope check, the command).

Invariants:
- The raw token exists only in the answer that creates it (shown once); the database keeps its
  SHA-256 digest and a 12-character prefix, the audit log and e-mails only the name and prefix.
- A user sees and revokes only their own tokens; an account holds at most ``MAX_TOKENS_PER_USER``.
- Creation and revocation are audited (``core.api_token.created`` / ``.revoked``) and e-mailed to
  the account's address once committed, like the changes to its second factor.
- The page asks a user with a second factor for a code entered within the last ten minutes before
  creating a token (``core.twofactor.verified_recently``).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.core import dates
from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation
from echos.core.i18n import language_for_user
from echos.core.models import ApiToken, User
from echos.core.tasks import send_token_email

MAX_TOKENS_PER_USER = 20


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def create_token(*, user, name: str, scope: str) -> tuple[ApiToken, str]:
    """Issue a named token with ``scope`` for ``user``; returns it and the raw value (shown once)."""
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation(
            _("Give the token a name, so that you know later what uses it."), "name"
        )
    if len(name) > ApiToken.NAME_MAX:
        raise RuleViolation(
            _("The name may have at most %(n)d characters.") % {"n": ApiToken.NAME_MAX}, "name"
        )
    if scope not in ApiToken.Scope.values:
        raise RuleViolation(_("Choose read only, or read and write."), "scope")
    with transaction.atomic():
        # The account row is the lock: two creations at once cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
            raise RuleViolation(
                _("An account may hold at most %(n)d tokens. Revoke one you no longer use first.")
                % {"n": MAX_TOKENS_PER_USER},
                "name",
            )
        token, raw = ApiToken.issue(user, name, scope)
        log_action(
            actor=user,
            action="core.api_token.created",
            target=token,
            data={"name": token.name, "prefix": token.prefix, "scope": token.scope},
        )
        _notify(user, "created", token)
    return token, raw


def revoke_token(*, actor, token: ApiToken) -> None:
    """Delete ``token`` (the caller checked it is the actor's own, or the actor is the command)."""
    with transaction.atomic():
        log_action(
            actor=actor,
            action="core.api_token.revoked",
            target=token,
            data={"name": token.name, "prefix": token.prefix, "scope": token.scope},
        )
        token.delete()
        _notify(token.user, "revoked", token)


def _notify(user, kind: str, token: ApiToken) -> None:
    """E-mail the account's owner about a token change, once committed."""
    if not user.email:
        return
    pk, name, prefix = user.pk, token.name, token.prefix
    transaction.on_commit(lambda: send_token_email(pk, kind, name, prefix))


TOKEN_EMAILS = {
    "created": (
        gettext_lazy("A new API token was created"),
        gettext_lazy('An API token named "%(name)s" (beginning %(prefix)s) was created.'),
    ),
    "revoked": (
        gettext_lazy("An API token was revoked"),
        gettext_lazy(
            'The API token named "%(name)s" (beginning %(prefix)s) was revoked; it no longer works.'
        ),
    ),
}


def send_token_email_now(user, kind: str, name: str, prefix: str) -> None:
    """Tell the account's owner which token changed, and what to do if it was not them."""
    subject, what = TOKEN_EMAILS[kind]
    with translation.override(language_for_user(user)):
        body = "\n\n".join(
            [
                str(what) % {"name": name, "prefix": prefix},
                _("Account: %(username)s. Time: %(at)s UTC.")
                % {
                    "username": user.get_username(),
                    "at": dates.medium_datetime(timezone.now(), tz="UTC"),
                },
                _(
                    "Your tokens: %(tokens)s. If this was not you, revoke the token there and "
                    "change your password now (%(reset)s)."
                )
                % {
                    "tokens": settings.SITE_URL.rstrip("/") + reverse("api_tokens"),
                    "reset": settings.SITE_URL.rstrip("/") + reverse("password_reset"),
                },
            ]
        )
        send_mail(f"echos: {subject}", body, None, [user.email])
