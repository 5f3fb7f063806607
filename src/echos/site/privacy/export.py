"""The export: everything stored about a subject, by app, as JSON (GDPR article 15)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone

from echos.core.audit import jsonable, log_action
from echos.core.models import ActionLog
from echos.site.privacy.subject import AUDIT, Subject, section_labels, sections

EXPLANATION = (
    "This file holds every record echos keeps about one person, organised by capability: "
    "'accounts' is the sign-in account, its API tokens and two-factor devices (never their "
    "secrets) and sign-in records; 'hubs' holds roles on hubs, contact-person records of organisations and lifecycle "
    "changes the person recorded; 'assessment' holds questionnaire responses they answered "
    "(with the answers) and evidence they uploaded; 'synergies' holds activities, decisions and "
    "synergy links they created; 'events' holds event registrations (with the answers given "
    "to the organisers) and events they created; 'participation' holds consultation answers, "
    "proposals, supports, comments and reports; 'audit' lists the changes they made, as written in "
    "the audit log. The password is never exported: only a hash is stored and it cannot be read back. "
    "Ask the network secretariat to correct or erase these data."
)


def _iso(value):
    return value.isoformat() if value else None


def _audit(user) -> dict:
    entries = ActionLog.objects.filter(actor=user) if user is not None else ActionLog.objects.none()
    return {
        "entries": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "target": {
                    "type": e.target_type.model if e.target_type else None,
                    "id": e.target_id,
                    "name": e.target_repr,
                },
                "data": e.data,
            }
            for e in entries.select_related("target_type").order_by("at", "id")
        ]
    }


def _with_account_parts(accounts: dict, after: str, parts: dict) -> dict:
    """``accounts`` with what other apps keep of the account inserted after the key ``after``."""
    out = {}
    for key, value in accounts.items():
        out[key] = value
        if key == after:
            out.update(parts)
    return out if after in accounts else {**accounts, **parts}


def collect(subject: Subject) -> dict:
    """Every record about the subject, by app (lists of plain dicts); the audit log last."""
    user, emails = subject.user, subject.email_list
    modules = sections()
    data = {module.SECTION: module.collect(user, emails) for module in modules}
    account_parts: dict = {}
    for module in modules:
        if hasattr(module, "collect_account"):
            account_parts.update(module.collect_account(user))
    first = modules[0]  # core's section: the account
    data[first.SECTION] = _with_account_parts(
        data[first.SECTION], getattr(first, "ACCOUNT_PARTS_AFTER", ""), account_parts
    )
    data[AUDIT] = _audit(user)
    return data


def export_subject(subject: Subject, *, actor=None) -> dict:
    """Everything stored about the subject, as a JSON-safe dict (the export is itself audited)."""
    data = {
        "generated_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        "searched_for": {"username": subject.username, "email": subject.email},
        "explanation": EXPLANATION,
        **collect(subject),
    }
    if not is_empty(data):
        log_action(
            actor=actor,
            action="core.person.exported",
            target=subject.user,
            data={"account": subject.user.pk if subject.user else None},
        )
    return jsonable(data)


def export_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _section_keys() -> list[str]:
    return [*(module.SECTION for module in sections()), AUDIT]


def is_empty(data: dict) -> bool:
    """True when an export holds nothing about the person."""
    return data["accounts"]["account"] is None and not any(
        rows for _section, lists in _sections(data) for _key, rows in lists
    )


def _sections(data: dict):
    for section in _section_keys():
        yield section, [(k, v) for k, v in data[section].items() if isinstance(v, list)]


def preview(data: dict) -> list[dict]:
    """The export as labelled sections with counts, for the coordinators' page."""
    labels = section_labels()
    out = []
    for section, lists in _sections(jsonable(data)):
        out.append(
            {
                "label": labels[section],
                "sections": [
                    {
                        "key": f"{section}.{key}",
                        "label": labels.get(f"{section}.{key}", key),
                        "count": len(rows),
                        "json": json.dumps(rows, indent=2, ensure_ascii=False),
                    }
                    for key, rows in lists
                ],
            }
        )
    return out
