"""Retention (GDPR article 5(1)e): every app's rules, applied nightly and on request.

Limits come from ``ECHOS_RETENTION_*`` (settings, else the environment); 0 switches a rule off.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from echos.core.audit import log_action
from echos.core.retention import RetentionRule
from echos.site.privacy.subject import sections


def all_rules() -> list[RetentionRule]:
    """The rules of every app, in ``INSTALLED_APPS`` order."""
    return [rule for module in sections() for rule in module.retention_rules()]


def run_retention(*, apply: bool = False, now=None) -> list[dict]:
    """Apply (or with ``apply=False`` count) every enabled retention rule, in one transaction."""
    now = now or timezone.now()
    results = []
    with transaction.atomic():
        for rule in all_rules():
            limit = rule.limit
            count = rule.apply(now, apply) if limit > 0 else 0
            results.append(
                {
                    "rule": rule.key,
                    "setting": rule.setting,
                    "limit": limit,
                    "unit": rule.unit,
                    "description": rule.description.format(limit=limit, unit=rule.unit),
                    "count": count,
                    "enabled": limit > 0,
                }
            )
        if apply and any(r["count"] for r in results):
            log_action(
                actor=None,
                action="core.retention.applied",
                data={r["rule"]: r["count"] for r in results},
            )
    return results


def retention_limits() -> dict[str, int]:
    """The configured limits, for the privacy notice."""
    return {rule.key: rule.limit for rule in all_rules()}


def privacy_contact() -> str:
    """Where people send export and erasure requests (``ECHOS_PRIVACY_CONTACT``), if configured."""
    return str(
        getattr(settings, "ECHOS_PRIVACY_CONTACT", None) or os.getenv("ECHOS_PRIVACY_CONTACT", "")
    )
