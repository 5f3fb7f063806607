"""Invitations to a hub's team by e-mail (issue #16): invite, resend, revoke, accept.

Invariants:
- The link carries a random token; only its SHA-256 is stored. It works once, until ``expires_at``
  (``INVITATION_DAYS`` after it was last sent), and never after it was revoked or accepted. Resending
  makes a new token: the previous link stops working.
- Inviting follows the rules of granting (``roles.may_grant``): whoever manages the hub's roles
  invites editors and members; a coordinator only the network or a coordinator of a hub above. The
  rule is checked again at acceptance against the person who invited: a right lost meanwhile
  invalidates the invitation.
- An invitation is accepted only by the account whose e-mail address is the invited one (the
  account's own address: set by an administrator or proved by accepting an invitation). Signed in
  with another account, the invitee is refused and told to sign in with the invited address.
- Accepting never bypasses the second factor: an account that has an authenticator app must have
  entered a code in this session, and an account the platform requires to enrol
  (``ECHOS_REQUIRE_2FA`` for network coordinators) must have enrolled; until then the invitation
  stays pending and the page sends them to enrol or verify.
- The e-mail goes through the background queue once the transaction commits; every step is in
  the audit log (the invited address is not copied into it; the invitation row holds it).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import user_has_device

from echos.core.audit import log_action
from echos.core.emails import validate_email_address
from echos.core.exceptions import RuleViolation, guard
from echos.hubs import permissions as perms
from echos.hubs.models import Hub, HubRole, Invitation
from echos.hubs.services.roles import may_grant

INVITATION_DAYS = 14


def token_hash(raw: str) -> str:
    """SHA-256 of a raw invitation token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


def accept_url(raw: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("hubs:invitation", args=[raw])


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email_address(email)
    except ValidationError as exc:
        raise RuleViolation(exc.messages[0], "email") from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _queue(invitation: Invitation, raw: str) -> None:
    """Send the invitation e-mail once committed, in the language of the page that sent it."""
    # cycle: echos.hubs.tasks imports the hubs services
    from echos.hubs.tasks import send_invitation_email

    pk, language = invitation.pk, translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation_email(pk, raw, language))


@transaction.atomic
def invite(*, actor, hub: Hub, email: str, role: str, now=None) -> tuple[Invitation, str]:
    """Invite ``email`` to ``role`` on ``hub``; returns the invitation and the raw token."""
    guard(perms.can_manage_roles(actor, hub), actor)
    if role not in HubRole.Role.values:
        raise RuleViolation(_("Unknown role %(role)r.") % {"role": role}, "role")
    if actor is not None and not may_grant(actor, hub, role):
        raise PermissionDenied(
            _("Only the network or a coordinator above may appoint a coordinator.")
        )
    email = _clean_email(email)
    now = now or timezone.now()
    if HubRole.objects.filter(hub=hub, user__email__iexact=email).exists():
        raise RuleViolation(
            _("Someone with this e-mail address is already on the team: change their role."),
            "email",
        )
    if Invitation.objects.filter(hub=hub, email__iexact=email).pending(now).exists():
        raise RuleViolation(
            _("This address already has an invitation waiting: resend it or revoke it."), "email"
        )
    raw, digest = _new_token()
    invitation = Invitation.objects.create(
        hub=hub,
        email=email,
        role=role,
        token_hash=digest,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        sent_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    log_action(
        actor=actor,
        action="hubs.invitation.sent",
        target=hub,
        data={"invitation": invitation.pk, "role": role},
    )
    _queue(invitation, raw)
    return invitation, raw


def _managed(actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("hub").get(pk=invitation.pk)
    guard(perms.can_manage_roles(actor, invitation.hub), actor)
    return invitation


@transaction.atomic
def resend(*, actor, invitation: Invitation, now=None) -> tuple[Invitation, str]:
    """Send a waiting or expired invitation again with a new link (the old one stops working)."""
    invitation = _managed(actor, invitation)
    if actor is not None and not may_grant(actor, invitation.hub, invitation.role):
        raise PermissionDenied(
            _("Only the network or a coordinator above may appoint a coordinator.")
        )
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise RuleViolation(_("This invitation was accepted or revoked."), "invitation")
    now = now or timezone.now()
    raw, invitation.token_hash = _new_token()
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    log_action(
        actor=actor,
        action="hubs.invitation.resent",
        target=invitation.hub,
        data={"invitation": invitation.pk},
    )
    _queue(invitation, raw)
    return invitation, raw


@transaction.atomic
def revoke(*, actor, invitation: Invitation, now=None) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working."""
    invitation = _managed(actor, invitation)
    if invitation.accepted_at is not None:
        raise RuleViolation(
            _("This invitation was already accepted: remove the role instead."), "invitation"
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at"])
        log_action(
            actor=actor,
            action="hubs.invitation.revoked",
            target=invitation.hub,
            data={"invitation": invitation.pk},
        )
    return invitation


def invitation_for_token(raw: str, now=None) -> Invitation:
    """The pending invitation of a link; RuleViolation("token") saying why it no longer works."""
    invitation = (
        Invitation.objects.select_related("hub", "invited_by")
        .filter(token_hash=token_hash(raw or ""))
        .first()
    )
    if invitation is None:
        raise RuleViolation(
            _("This invitation link is not valid (it may have been replaced by a newer one)."),
            "token",
        )
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        raise RuleViolation(_("This invitation has already been used."), "token")
    if invitation.revoked_at is not None:
        raise RuleViolation(_("This invitation was withdrawn."), "token")
    if invitation.expires_at <= now:
        raise RuleViolation(
            _("This invitation has expired; ask the hub's coordinator to send it again."), "token"
        )
    return invitation


def email_matches(invitation: Invitation, user) -> bool:
    """The account's own address is the invited one (case of the domain aside)."""
    return bool(user.email) and user.email.strip().lower() == invitation.email.lower()


def second_factor_pending(user) -> bool:
    """The account owes a second factor: it has an authenticator app and did not enter a code in
    this session, or the platform requires it to enrol and it has not (the sign-in rule)."""
    verified = getattr(user, "is_verified", None)
    if callable(verified) and verified():
        return False
    if user_has_device(user, confirmed=True):
        return True
    return bool(settings.ECHOS_REQUIRE_2FA and user.coordinates_network)


@transaction.atomic
def accept(*, raw: str, user, now=None) -> HubRole:
    """Give the signed-in ``user`` the invited role; refused unless every rule above holds."""
    now = now or timezone.now()
    found = invitation_for_token(raw, now)
    invitation = Invitation.objects.select_for_update().select_related("hub").get(pk=found.pk)
    invitation_for_token(raw, now)  # again under the lock: two tabs accept once
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to accept the invitation."))
    if not email_matches(invitation, user):
        raise RuleViolation(
            _(
                "This invitation was sent to another e-mail address. Sign in with the account "
                "of that address, or ask for an invitation to your own."
            ),
            "email",
        )
    if second_factor_pending(user):
        raise RuleViolation(
            _("Complete the second factor of your account first; the invitation waits."), "token"
        )
    inviter = invitation.invited_by
    if inviter is not None and not may_grant(_fresh(inviter), invitation.hub, invitation.role):
        raise RuleViolation(
            _("The person who invited you may no longer give this role; ask for a new invitation."),
            "token",
        )
    existing = HubRole.objects.filter(user=user, hub=invitation.hub).first()
    if (
        existing is not None
        and existing.role == HubRole.Role.COORDINATOR
        and invitation.role != HubRole.Role.COORDINATOR
        and not HubRole.objects.filter(hub=invitation.hub, role=HubRole.Role.COORDINATOR)
        .exclude(pk=existing.pk)
        .exists()
    ):
        raise RuleViolation(
            _("You are this hub's only coordinator: the invitation would take that role away."),
            "token",
        )
    role, _created = HubRole.objects.update_or_create(
        user=user, hub=invitation.hub, defaults={"role": invitation.role}
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_action(
        actor=user,
        action="hubs.role.granted",
        target=invitation.hub,
        data={
            "user": user.pk,
            "role": invitation.role,
            "invitation": invitation.pk,
            "invited_by": invitation.invited_by_id,
        },
    )
    return role


def _fresh(user):
    """The user re-read, so that a role lost since the invitation counts (roles are cached)."""
    return get_user_model().objects.get(pk=user.pk)


@transaction.atomic
def create_account_and_accept(
    *, raw: str, username: str, password: str, first_name: str = "", last_name: str = "", now=None
):
    """Create the invited person's account (the link proves the address) and accept; returns the
    new user. Refused when an account already uses the address: that person signs in instead."""
    invitation = invitation_for_token(raw, now)
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=invitation.email).exists():
        raise RuleViolation(
            _("An account already uses this e-mail address: sign in to accept."), "username"
        )
    username = (username or "").strip()
    field = user_model._meta.get_field("username")
    try:
        field.run_validators(username)
    except ValidationError as exc:
        raise RuleViolation(exc.messages[0], "username") from None
    if not username:
        raise RuleViolation(_("Choose a username."), "username")
    if user_model.objects.filter(username__iexact=username).exists():
        raise RuleViolation(_("This username is taken; choose another."), "username")
    user = user_model(
        username=username,
        email=invitation.email,
        first_name=(first_name or "").strip()[:150],
        last_name=(last_name or "").strip()[:150],
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise RuleViolation(" ".join(exc.messages), "password1") from None
    user.set_password(password)
    user.save()
    log_action(actor=user, action="core.account.created_by_invitation", target=user, data={})
    accept(raw=raw, user=user, now=now)
    return user


def send_invitation_now(invitation: Invitation, raw: str, language: str) -> bool:
    """Compose and send one invitation e-mail (skipped once it was revoked or accepted)."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return False
    if invitation.token_hash != token_hash(raw):  # resent meanwhile: the newer e-mail counts
        return False
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "url": accept_url(raw),
            "hub_url": settings.SITE_URL.rstrip("/") + invitation.hub.get_absolute_url(),
            "days": INVITATION_DAYS,
        }
        body = render_to_string("hubs/invitation_email.txt", context)
        subject = _("Invitation to the team of %(hub)s") % {"hub": invitation.hub}
    send_mail(subject, body, None, [invitation.email])
    return True
