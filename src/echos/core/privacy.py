"""Personal data of core: the account (and its language), API tokens, two-factor devices, sign-ins.

Core's privacy section, in the shape of every app's (see ``echos.site.privacy``): ``SECTION``
and its labels, ``collect``, ``erase`` (counts; ``apply=False`` only counts), ``names`` (scrubbed
from the audit log on erasure), ``find_people`` and ``retention_rules``. Erasure deletes the
tokens, devices, preferences and sign-in records and anonymises the account; the audit log
itself is handled by ``site.privacy`` (it describes every app).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from echos.core.i18n import forget_preferred_language
from echos.core.models import ActionLog, ApiToken, User, UserPreference
from echos.core.retention import RetentionRule

SECTION = "accounts"
SECTION_LABELS = {
    "accounts": _("Account"),
    "accounts.account": _("Account details"),
    "accounts.api_tokens": _("API tokens"),
    "accounts.two_factor_devices": _("Two-factor devices"),
    "accounts.sign_ins": _("Sign-ins"),
    "accounts.failed_sign_ins": _("Failed sign-ins"),
    "accounts.admin_actions": _("Changes made in the admin"),
}
COUNT_LABELS = {
    "api_tokens_deleted": _("API tokens deleted"),
    "two_factor_devices_deleted": _("two-factor devices deleted"),
    "sign_in_records_deleted": _("sign-in records deleted"),
    "account_anonymised": _("account anonymised"),
    "preferences_deleted": _("account preferences deleted"),
}
# What other apps keep of the account itself (``collect_account``) follows this key.
ACCOUNT_PARTS_AFTER = "api_tokens"

ERASED_USERNAME = re.compile(r"^erased-\d+$")
SIGN_IN_MODELS = (AccessLog, AccessAttempt, AccessFailureLog)


def _iso(value: Any) -> Any:
    return value.isoformat() if value else None


def sign_in_usernames(user: User | None, emails: list[str]) -> set[str]:
    """Names typed at sign-in that point to this person (axes stores them as typed)."""
    names = set(emails)
    if user is not None:
        names.add(user.username)
    return {n for n in names if n}


def _axes(model: Any, user: User | None, emails: list[str]) -> QuerySet:
    q = Q(pk__in=[])
    for name in sign_in_usernames(user, emails):
        q |= Q(username__iexact=name)
    return model.objects.filter(q)


def otp_devices(user: User | None) -> list:
    """Second-factor devices (authenticator apps) of the account, if two-factor is installed."""
    if user is None or not apps.is_installed("django_otp"):
        return []
    return list(devices_for_user(user, confirmed=None))


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Accounts (not erased ones) whose username, e-mail or full name contains ``query``."""
    users = (
        User.objects.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(
            Q(username__icontains=query) | Q(email__icontains=query) | Q(full_name__icontains=query)
        )
        .exclude(username__regex=ERASED_USERNAME.pattern)
        .order_by("username")
        .values_list("email", "full_name", "pk")[:limit]
    )
    return [("account", email, name.strip(), pk) for email, name, pk in users]


def names(user: User | None, emails: list[str]) -> set[str]:
    """The account's e-mail, full name and username (unless already erased)."""
    if user is None:
        return set()
    values = {user.email, user.get_full_name()}
    if not ERASED_USERNAME.match(user.username):
        values.add(user.username)
    return values


def _account(user: User | None) -> dict | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_network_coordinator": user.is_network_coordinator,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_demo": user.is_demo,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "has_password": user.has_usable_password(),
        # The interface language chosen for the account (core.UserPreference), "" when none.
        "language": UserPreference.objects.filter(user=user)
        .values_list("language", flat=True)
        .first()
        or "",
    }


def collect(user: User | None, emails: list[str]) -> dict:
    """The account, its tokens and devices (never their secrets), sign-ins, admin changes."""
    tokens = ApiToken.objects.filter(user=user) if user is not None else ApiToken.objects.none()
    log_entries = (
        LogEntry.objects.filter(user=user) if user is not None else LogEntry.objects.none()
    )
    return {
        "account": _account(user),
        "api_tokens": [
            {
                "name": t.name,
                "scope": t.scope,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
            }
            for t in tokens.order_by("created_at")
        ],
        "two_factor_devices": [
            {
                "type": d._meta.verbose_name,
                "name": d.name,
                "confirmed": d.confirmed,
                "created_at": _iso(getattr(d, "created_at", None)),
                "last_used_at": _iso(getattr(d, "last_used_at", None)),
            }
            for d in otp_devices(user)
        ],
        "sign_ins": [
            {
                "at": _iso(a.attempt_time),
                "signed_out_at": _iso(a.logout_time),
                "username_typed": a.username,
                "ip_address": a.ip_address,
                "user_agent": a.user_agent,
            }
            for a in _axes(AccessLog, user, emails).order_by("attempt_time")
        ],
        "failed_sign_ins": [
            {
                "at": _iso(a.attempt_time),
                "username_typed": a.username,
                "ip_address": a.ip_address,
                "user_agent": a.user_agent,
                "failures": getattr(a, "failures_since_start", 1),
            }
            for model in (AccessAttempt, AccessFailureLog)
            for a in _axes(model, user, emails).order_by("attempt_time")
        ],
        "admin_actions": [
            {
                "at": _iso(e.action_time),
                "object_type": getattr(e.content_type, "model", None),
                "object_id": e.object_id,
                "object": e.object_repr,
                "action": {1: "added", 2: "changed", 3: "deleted"}.get(e.action_flag),
                "message": e.get_change_message(),
            }
            for e in log_entries.select_related("content_type").order_by("action_time")
        ],
    }


def _needs_anonymising(user: User | None) -> bool:
    if user is None:
        return False
    return bool(
        user.username != f"erased-{user.pk}"
        or user.first_name
        or user.last_name
        or user.email
        or user.has_usable_password()
        or user.is_active
        or user.is_staff
        or user.is_superuser
        or user.is_network_coordinator
        or user.last_login
    )


def erase(user: User | None, emails: list[str], *, apply: bool = True) -> dict[str, int]:
    """Delete tokens, devices and sign-in records; anonymise the account (sign-in impossible)."""
    anonymise = _needs_anonymising(user)
    counts = {
        "api_tokens_deleted": ApiToken.objects.filter(user=user).count() if user else 0,
        "two_factor_devices_deleted": len(otp_devices(user)),
        "sign_in_records_deleted": sum(_axes(m, user, emails).count() for m in SIGN_IN_MODELS),
        "account_anonymised": int(anonymise),
        "preferences_deleted": UserPreference.objects.filter(user=user).count() if user else 0,
    }
    if not apply:
        return counts
    if user is not None:
        ApiToken.objects.filter(user=user).delete()
        for device in otp_devices(user):
            device.delete()
        forget_preferred_language(user)
    for model in SIGN_IN_MODELS:
        _axes(model, user, emails).delete()
    if anonymise and user is not None:  # only an account is anonymised
        user.username = f"erased-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.is_network_coordinator = False
        user.last_login = None
        user.set_unusable_password()  # also ends every open session of the account
        user.save()
    return counts


# --- retention -----------------------------------------------------------------------------------

PERSONAL_KEYS = {
    "email",
    "phone",
    "first_name",
    "last_name",
    "username",
    "user",
    "respondent",
    "uploaded_by",
    "created_by",
    "decided_by",
    "recorded_by",
    "opened_by",
}


def _drop_personal_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_personal_keys(v) for k, v in value.items() if k not in PERSONAL_KEYS}
    if isinstance(value, list):
        return [_drop_personal_keys(v) for v in value]
    return value


def _has_personal_keys(value: Any) -> bool:
    if isinstance(value, dict):
        return any(k in PERSONAL_KEYS or _has_personal_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_personal_keys(v) for v in value)
    return False


def _old_tokens(cutoff: datetime, apply: bool) -> int:
    tokens = ApiToken.objects.filter(
        Q(last_used_at__lt=cutoff) | Q(last_used_at__isnull=True, created_at__lt=cutoff)
    )
    count = tokens.count()
    if apply and count:
        tokens.delete()
    return count


def _old_sign_ins(cutoff: datetime, apply: bool) -> int:
    count = 0
    for model in SIGN_IN_MODELS:
        old = model.objects.filter(attempt_time__lt=cutoff)
        count += old.count()
        if apply:
            old.delete()
    return count


def _old_audit_actors(cutoff: datetime, apply: bool) -> int:
    count = 0
    old = ActionLog.objects.filter(at__lt=cutoff).only("id", "actor_id", "data")
    for entry in old.iterator(chunk_size=2000):
        if entry.actor_id is None and not _has_personal_keys(entry.data):
            continue
        count += 1
        if apply:
            entry.actor = None
            entry.data = _drop_personal_keys(entry.data)
            entry.save(update_fields=["actor", "data"])
    return count


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "api_tokens",
            "ECHOS_RETENTION_TOKEN_DAYS",
            365,
            "days",
            "delete API tokens not used (or never used and created) for {limit} {unit}",
            _old_tokens,
        ),
        RetentionRule(
            "sign_ins",
            "ECHOS_RETENTION_SIGNIN_DAYS",
            90,
            "days",
            "delete sign-in records (time, IP address, browser) older than {limit} {unit}",
            _old_sign_ins,
        ),
        RetentionRule(
            "audit",
            "ECHOS_RETENTION_AUDIT_YEARS",
            5,
            "years",
            "forget who made audit entries older than {limit} {unit} (actor and personal fields "
            "removed; action, object and date kept)",
            _old_audit_actors,
        ),
    ]
