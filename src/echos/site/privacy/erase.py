"""Erasure (GDPR article 17): every app erases its part; the audit log loses the person's name.

What only describes the person is deleted (contact records, API tokens, hub roles, two-factor
devices, sign-in records), the account is anonymised, and what the network needs as aggregates
(responses, evidence, activities, audit entries) stays with the person's link set to NULL and
their names and e-mails scrubbed from the audit and admin logs. One transaction; running it again
changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from echos.core.audit import log_action
from echos.core.models import ActionLog, User
from echos.site.privacy.subject import ERASED, Subject, sections

COUNT_LABELS = {
    "audit_entries_unlinked": _("audit entries kept without the actor"),
    "log_entries_scrubbed": _("log entries with the name or e-mail removed"),
}


def _needles(subject: Subject) -> list[str]:
    """The strings that identify the person in free text: names, e-mails, phone numbers."""
    values = set(subject.emails)
    for module in sections():
        values |= module.names(subject.user, subject.email_list)
    # Very short strings would match inside unrelated words; they are left alone.
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)


def _pattern(needles: list[str]) -> re.Pattern | None:
    if not needles:
        return None
    alternatives = "|".join(re.escape(n) for n in needles)
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?![\w@])", re.IGNORECASE)


def scrub(value, pattern: re.Pattern):
    """``value`` (JSON) with every mention of the person replaced by ``[erased]``."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {k: scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value]
    return value


def _mentions(pattern: re.Pattern | None) -> Iterator[ActionLog | LogEntry]:
    """Audit and admin-log entries whose text mentions the person, with their scrubbed values."""
    if pattern is None:
        return
    for entry in ActionLog.objects.only("id", "data", "target_repr").iterator(chunk_size=2000):
        text = json.dumps(entry.data, ensure_ascii=False) + "\n" + entry.target_repr
        if pattern.search(text):
            entry.data = scrub(entry.data, pattern)
            entry.target_repr = scrub(entry.target_repr, pattern)
            yield entry
    for log_entry in LogEntry.objects.only("id", "object_repr", "change_message").iterator(
        chunk_size=2000
    ):
        if pattern.search(log_entry.object_repr + "\n" + log_entry.change_message):
            log_entry.object_repr = scrub(log_entry.object_repr, pattern)
            log_entry.change_message = scrub(log_entry.change_message, pattern)
            yield log_entry


def summary_rows(summary: dict) -> list[tuple[str, int]]:
    """The non-zero counts of an erasure summary, labelled."""
    labels: dict[str, Any] = {}
    for module in sections():
        labels.update(getattr(module, "COUNT_LABELS", {}))
    labels.update(COUNT_LABELS)
    return [(str(labels.get(k, k)), n) for k, n in summary["counts"].items() if n]


def erase_subject(subject: Subject, *, actor=None, apply: bool = False) -> dict:
    """Erase the person everywhere (``apply=True``) or only count what would change.

    Returns ``{"changed": bool, "account": id|None, "counts": {...}}`` without personal data.
    """
    with transaction.atomic():
        user = subject.user
        if user is not None and apply:
            user = User.objects.select_for_update().get(pk=user.pk)
            subject.user = user
        emails = subject.email_list
        pattern = _pattern(_needles(subject))
        modules = sections()
        counts: dict[str, int] = {}
        for module in modules:
            counts.update(module.erase(user, emails, apply=False))
        counts["audit_entries_unlinked"] = (
            ActionLog.objects.filter(actor=user).count() if user else 0
        )
        mentions = list(_mentions(pattern))
        counts["log_entries_scrubbed"] = len(mentions)
        changed = any(counts.values())
        summary = {"changed": changed, "account": user.pk if user else None, "counts": counts}
        if not apply or not changed:
            return summary

        for module in modules:
            module.erase(user, emails, apply=True)
        if user is not None:
            ActionLog.objects.filter(actor=user).update(actor=None)
        for entry in mentions:
            if isinstance(entry, ActionLog):
                entry.save(update_fields=["data", "target_repr"])
            else:
                entry.save(update_fields=["object_repr", "change_message"])
        if actor is not None and user is not None and actor.pk == user.pk:
            actor = None  # the account no longer exists as a person
        log_action(
            actor=actor,
            action="core.person.erased",
            target=user,
            data=summary,
        )
        return summary
