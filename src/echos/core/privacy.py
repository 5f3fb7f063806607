"""Personal data across every capability: export, erasure and retention (GDPR articles 15, 17, 5(1)e).

A *subject* is a person found by username or e-mail: their account (if any) and the contact-person
records of organisations that belong to them (linked to the account or carrying the e-mail).

- ``export_subject`` gathers everything stored about the subject, organised by capability.
- ``erase_subject`` deletes what only describes the person (contact records, API tokens, hub roles,
  two-factor devices, sign-in records), anonymises the account, and keeps what the network needs as aggregates
  (responses, evidence, activities, audit entries) with the person's link set to NULL and their
  name/e-mail scrubbed from the audit log. One transaction; running it again changes nothing.
- ``run_retention`` applies the retention rules (``ECHOS_RETENTION_*``; see ``RULES``).

New capabilities that store personal data add their part to ``collect`` and ``_erase``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.assessment.models import ConsensusRound, Evidence, Response
from echos.core.audit import jsonable, log_action
from echos.core.models import ActionLog, ApiToken, User
from echos.engagement import privacy as engagement_privacy
from echos.events import privacy as events_privacy
from echos.hubs.models import HubRole, Person, StageChange
from echos.participation import privacy as participation_privacy
from echos.synergies.models import Activity, Decision, MatchJob, SynergyLink

# Capabilities that keep their own personal data: each offers collect(user, emails),
# erase(user, emails, apply=...) -> counts, names(user, emails) (scrubbed from the audit log),
# retention_rules() and find_people(query) (the search of ``privacy_people``); COUNT_LABELS, if
# present, label its erasure counts.
CAPABILITIES = {
    "events": events_privacy,
    "participation": participation_privacy,
    "engagement": engagement_privacy,
}

ERASED = "[erased]"
ERASED_USERNAME = re.compile(r"^erased-\d+$")

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

SECTION_LABELS = {
    "accounts": _("Account"),
    "accounts.account": _("Account details"),
    "accounts.api_tokens": _("API tokens"),
    "accounts.two_factor_devices": _("Two-factor devices"),
    "accounts.sign_ins": _("Sign-ins"),
    "accounts.failed_sign_ins": _("Failed sign-ins"),
    "accounts.admin_actions": _("Changes made in the admin"),
    "hubs": _("Hubs and organisations"),
    "hubs.roles": _("Roles on hubs"),
    "hubs.contact_people": _("Contact-person records"),
    "hubs.stage_changes_recorded": _("Lifecycle changes recorded"),
    "assessment": _("Mapping and maturity"),
    "assessment.responses": _("Questionnaire responses answered"),
    "assessment.evidence": _("Evidence uploaded"),
    "assessment.rounds_opened": _("Consensus rounds opened"),
    "synergies": _("Synergies"),
    "synergies.activities": _("Activities created"),
    "synergies.decisions": _("Decisions on suggestions"),
    "synergies.links": _("Synergy links created"),
    "events": _("Events"),
    "events.registrations": _("Event registrations"),
    "events.events_created": _("Events created"),
    "participation": _("Participation"),
    "participation.consultation_answers": _("Consultation answers"),
    "participation.proposals": _("Proposals"),
    "participation.supports": _("Supports"),
    "participation.comments": _("Comments"),
    "participation.reports": _("Reports to moderators"),
    "engagement": _("Engagement"),
    "engagement.engagement_records_created": _("Engagement records created"),
    "audit": _("Audit log"),
    "audit.entries": _("Changes made (audit entries)"),
}


class SubjectError(ValueError):
    """The search does not designate one person."""


# --- the subject ---------------------------------------------------------------------------------


@dataclass
class Subject:
    """One person: an account (or None) and the e-mail addresses that identify them."""

    username: str = ""
    email: str = ""
    user: User | None = None
    emails: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.username or self.email

    def persons(self) -> QuerySet:
        """Contact-person records of this person: linked to the account or carrying an e-mail."""
        q = Q(pk__in=[])
        if self.user is not None:
            q |= Q(user=self.user)
        for email in self.emails:
            q |= Q(email__iexact=email)
        return Person.objects.filter(q).select_related("organisation")

    def sign_in_usernames(self) -> set[str]:
        """Names typed at sign-in that point to this person (axes stores them as typed)."""
        names = set(self.emails)
        if self.user is not None:
            names.add(self.user.username)
        return {n for n in names if n}

    def _axes(self, model) -> QuerySet:
        q = Q(pk__in=[])
        for name in self.sign_in_usernames():
            q |= Q(username__iexact=name)
        return model.objects.filter(q)


def find_subject(*, username: str = "", email: str = "") -> Subject:
    """The person with this username or e-mail (exactly one of them).

    An unknown person is an empty subject, not an error: after an erasure nothing is left.
    """
    username, email = (username or "").strip(), (email or "").strip()
    if bool(username) == bool(email):
        raise SubjectError(_("Give either a username or an e-mail address."))
    subject = Subject(username=username, email=email)
    if username:
        subject.user = User.objects.filter(username=username).first()
    else:
        users = list(User.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise SubjectError(
                _("Several accounts use this e-mail address: give the username instead.")
            )
        subject.user = users[0] if users else None
        subject.emails.add(email.lower())
    if subject.user is not None and subject.user.email:
        subject.emails.add(subject.user.email.lower())
    return subject


def _otp_devices(user: User | None) -> list:
    """Second-factor devices (authenticator apps) of the account, if two-factor is installed."""
    if user is None or not apps.is_installed("django_otp"):
        return []
    from django_otp import devices_for_user

    return list(devices_for_user(user, confirmed=None))


# --- export --------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


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
    }


def _target(obj) -> dict | None:
    if obj is None:
        return None
    return {"type": obj._meta.label_lower, "id": obj.pk, "name": str(obj)}


def collect(subject: Subject) -> dict:
    """Every record about the subject, by capability (lists of plain dicts)."""
    user = subject.user
    mine = (lambda qs, **f: qs.filter(**f)) if user is not None else (lambda qs, **f: qs.none())
    accounts = {
        "account": _account(user),
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
            }
            for t in mine(ApiToken.objects, user=user).order_by("created_at")
        ],
        "matching_jobs": [
            {
                "id": str(j.id),
                "status": j.status,
                "created_at": _iso(j.created_at),
                "finished_at": _iso(j.finished_at),
                "request": j.request,
                "result": j.result,
            }
            for j in mine(MatchJob.objects, owner=user).order_by("created_at")
        ],
        "two_factor_devices": [
            {
                "type": d._meta.verbose_name,
                "name": d.name,
                "confirmed": d.confirmed,
                "created_at": _iso(getattr(d, "created_at", None)),
                "last_used_at": _iso(getattr(d, "last_used_at", None)),
            }
            for d in _otp_devices(user)
        ],
        "sign_ins": [
            {
                "at": _iso(a.attempt_time),
                "signed_out_at": _iso(a.logout_time),
                "username_typed": a.username,
                "ip_address": a.ip_address,
                "user_agent": a.user_agent,
            }
            for a in subject._axes(AccessLog).order_by("attempt_time")
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
            for a in subject._axes(model).order_by("attempt_time")
        ],
        "admin_actions": [
            {
                "at": _iso(e.action_time),
                "object_type": e.content_type.model if e.content_type else None,
                "object_id": e.object_id,
                "object": e.object_repr,
                "action": {1: "added", 2: "changed", 3: "deleted"}.get(e.action_flag),
                "message": e.get_change_message(),
            }
            for e in mine(LogEntry.objects, user=user)
            .select_related("content_type")
            .order_by("action_time")
        ],
    }
    hubs = {
        "roles": [
            {"hub": _target(r.hub), "country": r.hub.country_id, "role": r.role}
            for r in mine(HubRole.objects, user=user).select_related("hub").order_by("hub_id")
        ],
        "contact_people": [
            {
                "id": p.pk,
                "organisation": _target(p.organisation),
                "name": p.name,
                "email": p.email,
                "phone": p.phone,
                "position": p.position,
                "linked_to_account": p.user_id is not None,
                "is_demo": p.is_demo,
            }
            for p in subject.persons().order_by("pk")
        ],
        "stage_changes_recorded": [
            {
                "hub": _target(c.hub),
                "stage": c.stage,
                "date": _iso(c.date),
                "recorded_at": _iso(c.recorded_at),
            }
            for c in mine(StageChange.objects, recorded_by=user).select_related("hub")
        ],
    }
    assessment = {
        "responses": [
            {
                "id": r.pk,
                "instrument": {
                    "code": r.instrument.code,
                    "version": r.instrument.version,
                    "title": r.instrument.title,
                },
                "hub": _target(r.hub),
                "country": r.country_id,
                "kind": r.kind,
                "status": r.status,
                "is_public": r.is_public,
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
                "submitted_at": _iso(r.submitted_at),
                "answers": r.answers,
                "notes": r.notes,
            }
            for r in mine(Response.objects, respondent=user)
            .select_related("instrument", "hub")
            .order_by("created_at")
        ],
        "evidence": [
            {
                "id": e.pk,
                "response": e.response_id,
                "question": e.question,
                "file_name": e.filename,
                "link": e.link,
                "uploaded_at": _iso(e.created_at),
            }
            for e in mine(Evidence.objects, uploaded_by=user).order_by("created_at")
        ],
        "rounds_opened": [
            {"hub": _target(r.hub), "opened_at": _iso(r.opened_at), "status": r.status}
            for r in mine(ConsensusRound.objects, opened_by=user).select_related("hub")
        ],
    }
    synergies = {
        "activities": [
            {
                "id": a.pk,
                "hub": _target(a.hub),
                "title": a.title,
                "language": a.language,
                "created_at": _iso(a.created_at),
            }
            for a in mine(Activity.objects, created_by=user).select_related("hub")
        ],
        "decisions": [
            {
                "id": d.pk,
                "hub": d.hub_id,
                "activity": d.activity_id,
                "initiative": d.initiative_id,
                "other_activity": d.other_activity_id,
                "verdict": d.verdict,
                "decided_at": _iso(d.decided_at),
            }
            for d in mine(Decision.objects, decided_by=user)
        ],
        "links": [
            {
                "id": link.pk,
                "hub": link.hub_id,
                "activity": link.activity_id,
                "initiative": link.initiative_id,
                "other_activity": link.other_activity_id,
                "status": link.status,
                "notes": link.notes,
                "created_at": _iso(link.created_at),
            }
            for link in mine(SynergyLink.objects, created_by=user)
        ],
    }
    audit = {
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
            for e in mine(ActionLog.objects, actor=user)
            .select_related("target_type")
            .order_by("at", "id")
        ]
    }
    emails = sorted(subject.emails)
    return {
        "accounts": accounts,
        "hubs": hubs,
        "assessment": assessment,
        "synergies": synergies,
        **{name: module.collect(user, emails) for name, module in CAPABILITIES.items()},
        "audit": audit,
    }


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


def is_empty(data: dict) -> bool:
    """True when an export holds nothing about the person."""
    return data["accounts"]["account"] is None and not any(
        rows for capability, sections in _sections(data) for _key, rows in sections
    )


def _sections(data: dict):
    for capability in ("accounts", "hubs", "assessment", "synergies", *CAPABILITIES, "audit"):
        yield (
            capability,
            [(k, v) for k, v in data[capability].items() if isinstance(v, list)],
        )


def preview(data: dict) -> list[dict]:
    """The export as labelled sections with counts, for the coordinators' page."""
    out = []
    for capability, sections in _sections(jsonable(data)):
        out.append(
            {
                "label": SECTION_LABELS[capability],
                "sections": [
                    {
                        "key": f"{capability}.{key}",
                        "label": SECTION_LABELS.get(f"{capability}.{key}", key),
                        "count": len(rows),
                        "json": json.dumps(rows, indent=2, ensure_ascii=False),
                    }
                    for key, rows in sections
                ],
            }
        )
    return out


def export_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- erasure -------------------------------------------------------------------------------------


def _needles(subject: Subject, persons: list[Person]) -> list[str]:
    """The strings that identify the person in free text: names, e-mails, phone numbers."""
    values = set(subject.emails)
    for module in CAPABILITIES.values():
        values |= module.names(subject.user, sorted(subject.emails))
    user = subject.user
    if user is not None:
        values |= {user.email, user.get_full_name()}
        if not ERASED_USERNAME.match(user.username):
            values.add(user.username)
    for p in persons:
        values |= {p.name, p.email, p.phone}
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


def _mentions(pattern: re.Pattern | None):
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


def _account_needs_anonymising(user: User | None) -> bool:
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


# What stays, with the person's link set to NULL: (model, field, summary key).
UNLINKED: list[tuple[Any, str, str]] = [
    (Response, "respondent", "responses_kept"),
    (Evidence, "uploaded_by", "evidence_kept"),
    (StageChange, "recorded_by", "stage_changes_kept"),
    (ConsensusRound, "opened_by", "rounds_kept"),
    (Activity, "created_by", "activities_kept"),
    (Decision, "decided_by", "decisions_kept"),
    (SynergyLink, "created_by", "links_kept"),
    (ActionLog, "actor", "audit_entries_unlinked"),
]


COUNT_LABELS = {
    "contact_people_deleted": _("contact-person records deleted"),
    "api_tokens_deleted": _("API tokens deleted"),
    "matching_jobs_deleted": _("Batch-matching jobs deleted"),
    "hub_roles_deleted": _("hub roles deleted"),
    "two_factor_devices_deleted": _("two-factor devices deleted"),
    "sign_in_records_deleted": _("sign-in records deleted"),
    "responses_kept": _("responses kept without the respondent"),
    "evidence_kept": _("evidence kept without the uploader"),
    "stage_changes_kept": _("lifecycle changes kept without who recorded them"),
    "rounds_kept": _("consensus rounds kept without who opened them"),
    "activities_kept": _("activities kept without their author"),
    "decisions_kept": _("decisions kept without who made them"),
    "links_kept": _("synergy links kept without their author"),
    "audit_entries_unlinked": _("audit entries kept without the actor"),
    "log_entries_scrubbed": _("log entries with the name or e-mail removed"),
    "account_anonymised": _("account anonymised"),
    "event_registrations_anonymised": _("event registrations kept without name, e-mail or answers"),
    "events_unlinked": _("events kept without who created them"),
    "engagement_records_unlinked": _("engagement records kept without their author"),
}


def summary_rows(summary: dict) -> list[tuple[str, int]]:
    """The non-zero counts of an erasure summary, labelled."""
    labels = COUNT_LABELS.copy()
    for module in CAPABILITIES.values():
        labels.update(getattr(module, "COUNT_LABELS", {}))
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
        persons = list(subject.persons())
        pattern = _pattern(_needles(subject, persons))
        counts: dict[str, int] = {
            "contact_people_deleted": len(persons),
            "api_tokens_deleted": ApiToken.objects.filter(user=user).count() if user else 0,
            "matching_jobs_deleted": MatchJob.objects.filter(owner=user).count() if user else 0,
            "hub_roles_deleted": HubRole.objects.filter(user=user).count() if user else 0,
            "two_factor_devices_deleted": len(_otp_devices(user)),
            "sign_in_records_deleted": sum(
                subject._axes(m).count() for m in (AccessLog, AccessAttempt, AccessFailureLog)
            ),
        }
        emails = sorted(subject.emails)
        for module in CAPABILITIES.values():
            counts.update(module.erase(user, emails, apply=False))
        for model, fk, key in UNLINKED:
            counts[key] = model.objects.filter(**{fk: user}).count() if user else 0
        mentions = list(_mentions(pattern))
        counts["log_entries_scrubbed"] = len(mentions)
        anonymise = _account_needs_anonymising(user)
        counts["account_anonymised"] = int(anonymise)
        changed = any(counts.values())
        summary = {"changed": changed, "account": user.pk if user else None, "counts": counts}
        if not apply or not changed:
            return summary

        Person.objects.filter(pk__in=[p.pk for p in persons]).delete()
        for module in CAPABILITIES.values():
            module.erase(user, emails, apply=True)
        if user is not None:
            ApiToken.objects.filter(user=user).delete()
            MatchJob.objects.filter(owner=user).delete()
            HubRole.objects.filter(user=user).delete()
            for device in _otp_devices(user):
                device.delete()
            for model, fk, _key in UNLINKED:
                model.objects.filter(**{fk: user}).update(**{fk: None})
        for model in (AccessLog, AccessAttempt, AccessFailureLog):
            subject._axes(model).delete()
        for entry in mentions:
            if isinstance(entry, ActionLog):
                entry.save(update_fields=["data", "target_repr"])
            else:
                entry.save(update_fields=["object_repr", "change_message"])
        if anonymise and user is not None:  # only an account is anonymised
            user.username = f"erased-{user.pk}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = user.is_staff = user.is_superuser = False
            user.is_network_coordinator = False
            user.last_login = None
            user.set_unusable_password()  # also ends every open session of the account
            user.save()
        if actor is not None and user is not None and actor.pk == user.pk:
            actor = None  # the account no longer exists as a person
        log_action(
            actor=actor,
            action="core.person.erased",
            target=user,
            data=summary,
        )
        return summary


# --- retention -----------------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    """A retention limit: from settings if defined there, else the environment; 0 disables."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.getenv(name, "")
    return int(value) if str(value).strip() != "" else default


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


def _drop_personal_keys(value):
    if isinstance(value, dict):
        return {k: _drop_personal_keys(v) for k, v in value.items() if k not in PERSONAL_KEYS}
    if isinstance(value, list):
        return [_drop_personal_keys(v) for v in value]
    return value


def _has_personal_keys(value) -> bool:
    if isinstance(value, dict):
        return any(k in PERSONAL_KEYS or _has_personal_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_personal_keys(v) for v in value)
    return False


@dataclass
class Rule:
    key: str
    setting: str
    default: int
    unit: str  # "days" or "years"
    description: str

    @property
    def limit(self) -> int:
        return _setting(self.setting, self.default)

    def cutoff(self, now):
        days = self.limit * (365 if self.unit == "years" else 1)
        return now - timedelta(days=days)


RULES = [
    Rule(
        "drafts",
        "ECHOS_RETENTION_DRAFT_DAYS",
        365,
        "days",
        "delete questionnaire drafts (and their evidence files) not changed for {limit} {unit}",
    ),
    Rule(
        "api_tokens",
        "ECHOS_RETENTION_TOKEN_DAYS",
        365,
        "days",
        "delete API tokens not used (or never used and created) for {limit} {unit}",
    ),
    Rule(
        "match_jobs",
        "ECHOS_MATCH_JOB_KEEP_DAYS",
        7,
        "days",
        "delete batch-matching jobs (their texts and results) created more than {limit} {unit} ago",
    ),
    Rule(
        "sign_ins",
        "ECHOS_RETENTION_SIGNIN_DAYS",
        90,
        "days",
        "delete sign-in records (time, IP address, browser) older than {limit} {unit}",
    ),
    Rule(
        "audit",
        "ECHOS_RETENTION_AUDIT_YEARS",
        5,
        "years",
        "forget who made audit entries older than {limit} {unit} (actor and personal fields "
        "removed; action, object and date kept)",
    ),
]


def _draft_files(drafts) -> list[tuple]:
    return [
        (e.file.storage, e.file.name)
        for e in Evidence.objects.filter(response__in=drafts).exclude(file="")
    ]


def _apply_rule(rule: Rule, now, apply: bool) -> int:
    cutoff = rule.cutoff(now)
    if rule.key == "drafts":
        drafts = Response.objects.filter(status=Response.Status.DRAFT, updated_at__lt=cutoff)
        count = drafts.count()
        if apply and count:
            files = _draft_files(drafts)
            drafts.delete()
            transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
        return count
    if rule.key == "api_tokens":
        tokens = ApiToken.objects.filter(
            Q(last_used_at__lt=cutoff) | Q(last_used_at__isnull=True, created_at__lt=cutoff)
        )
        count = tokens.count()
        if apply and count:
            tokens.delete()
        return count
    if rule.key == "match_jobs":
        jobs = MatchJob.objects.filter(created_at__lt=cutoff)
        count = jobs.count()
        if apply and count:
            jobs.delete()
        return count
    if rule.key == "sign_ins":
        count = 0
        for model in (AccessLog, AccessAttempt, AccessFailureLog):
            old = model.objects.filter(attempt_time__lt=cutoff)
            count += old.count()
            if apply:
                old.delete()
        return count
    if rule.key == "audit":
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
    raise ValueError(rule.key)


def run_retention(*, apply: bool = False, now=None) -> list[dict]:
    """Apply (or with ``apply=False`` count) every enabled retention rule, in one transaction."""
    now = now or timezone.now()
    results = []
    with transaction.atomic():
        for rule in all_rules():
            limit = rule.limit
            if limit <= 0:
                count = 0
            elif isinstance(rule, Rule):
                count = _apply_rule(rule, now, apply)
            else:
                count = rule.apply(now, apply)
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


def all_rules() -> list:
    """The core rules and those of every capability with personal data."""
    return [*RULES, *(r for module in CAPABILITIES.values() for r in module.retention_rules())]


def retention_limits() -> dict[str, int]:
    """The configured limits, for the privacy notice."""
    return {rule.key: rule.limit for rule in all_rules()}


def privacy_contact() -> str:
    """Where people send export and erasure requests (``ECHOS_PRIVACY_CONTACT``), if configured."""
    return str(
        getattr(settings, "ECHOS_PRIVACY_CONTACT", None) or os.getenv("ECHOS_PRIVACY_CONTACT", "")
    )
