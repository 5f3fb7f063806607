"""Writes for initiatives, activities, decisions and links: guard, transaction, audit."""

import json
import math
import re
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.languages import language_codes
from echos.core.models import Country, Term
from echos.core.multilingual import clean_source_language, clean_translations, field_limits
from echos.core.rules import check_web_address
from echos.hubs import permissions as hub_perms
from echos.synergies.models import Activity, Decision, Initiative, SynergyLink
from echos.synergies.tasks import refresh_after_commit

# What the initiative's web address accepts (Django's <slug:> converter).
SLUG = re.compile(r"[-a-zA-Z0-9_]+")

DATA = Path(__file__).resolve().parent / "data"


def _terms(vocabulary: str, codes, field: str) -> list[Term]:
    codes = list(dict.fromkeys(codes or []))
    terms = list(Term.objects.filter(vocabulary=vocabulary, code__in=codes))
    unknown = sorted(set(codes) - {t.code for t in terms})
    if unknown:
        raise RuleViolation(
            _("Unknown %(field)s: %(codes)s.") % {"field": field, "codes": ", ".join(unknown)},
            field,
        )
    return terms


# --- initiatives ------------------------------------------------------------------------------


@transaction.atomic
def save_initiative(
    *,
    actor,
    initiative: Initiative | None = None,
    objectives=None,
    ebcp_pillars=None,
    policy_areas=None,
    countries=None,
    **fields,
) -> Initiative:
    """Create or change an initiative of the catalogue (network coordinators)."""
    guard(hub_perms.is_network_coordinator(actor), actor)
    initiative = initiative or Initiative()
    created = initiative.pk is None
    for key, value in fields.items():
        setattr(initiative, key, value)
    if not (initiative.name or "").strip():
        raise RuleViolation(_("Give the initiative a name."), "name")
    if not (initiative.description or "").strip():
        raise RuleViolation(
            _("Describe the initiative: matching works on the description."), "description"
        )
    if initiative.programme not in Initiative.Programme.values:
        raise RuleViolation(_("Unknown programme."), "programme")
    initiative.source_language = clean_source_language(initiative.source_language)
    initiative.translations = clean_translations(
        initiative.translations, field_limits(Initiative), initiative.source_language
    )
    check_web_address(initiative.website, "website")
    if not initiative.key:
        initiative.key = slugify(initiative.acronym or initiative.name)[:80]
        if not initiative.key:
            raise RuleViolation(
                _("The name needs letters or digits: they make the initiative's web address."),
                "acronym" if initiative.acronym else "name",
            )
    elif not SLUG.fullmatch(initiative.key):
        raise RuleViolation(_("A key holds only letters, digits, hyphens and underscores."), "key")
    if Initiative.objects.filter(key=initiative.key).exclude(pk=initiative.pk).exists():
        raise Conflict(
            _("An initiative with the key %(key)s exists.") % {"key": initiative.key}, "key"
        )
    initiative.save()
    if objectives is not None:
        initiative.objectives.set(_terms("objectives", objectives, "objectives"))
    if ebcp_pillars is not None:
        initiative.ebcp_pillars.set(_terms("ebcp_pillars", ebcp_pillars, "ebcp_pillars"))
    if policy_areas is not None:
        initiative.policy_areas.set(_terms("policy_areas", policy_areas, "policy_areas"))
    if countries is not None:
        found = list(Country.objects.filter(pk__in=countries))
        if len(found) != len(set(countries)):
            raise RuleViolation(_("Unknown country code."), "countries")
        initiative.countries.set(found)
    log_action(
        actor=actor,
        action="synergies.initiative." + ("created" if created else "updated"),
        target=initiative,
        data={
            "key": initiative.key,
            "source_language": initiative.source_language,
            "languages": sorted(initiative.translations),
        },
    )
    refresh_after_commit(initiative)
    return initiative


def load_initiatives() -> int:
    """Load the sourced catalogue in data/initiatives.json (idempotent: existing keys are updated)."""
    doc = json.loads((DATA / "initiatives.json").read_text(encoding="utf-8"))
    sources = {
        s["key"]: f"{s.get('title', '')} — {s.get('url', '')}" for s in doc.get("sources", [])
    }
    for row in doc["initiatives"]:
        save_initiative(
            actor=None,
            initiative=Initiative.objects.filter(key=row["key"]).first(),
            key=row["key"],
            name=row["name"],
            acronym=row.get("acronym") or "",
            programme=row["programme"],
            description=row["description"],
            start=str(row.get("start") or "")[:10],
            end=str(row.get("end") or "")[:10],
            website=row.get("website") or "",
            partners=row.get("partners") or "",
            source=sources.get(row.get("source"), "")[:400],
            objectives=row.get("objectives", []),
            ebcp_pillars=row.get("ebcp_pillars", []),
            policy_areas=row.get("policy_areas", []),
            countries=[
                c for c in row.get("countries", []) if Country.objects.filter(pk=c).exists()
            ],
        )
    return len(doc["initiatives"])


# --- activities ---------------------------------------------------------------------------------


def validate_activity(activity: Activity) -> None:
    """Text, language, dates and region rules."""
    if not (activity.title or "").strip():
        raise RuleViolation(_("Give the activity a title."), "title")
    if not (activity.description or "").strip():
        raise RuleViolation(
            _("Describe the activity: suggestions are found from the description."), "description"
        )
    if len(activity.description) > 100_000:
        raise RuleViolation(_("Keep the description under 100,000 characters."), "description")
    # Any ISO 639-1 language (a hub may work in Catalan or Ukrainian); translations only into the
    # languages the platform offers.
    code = str(activity.source_language or "").strip().lower()
    if code == "no":
        code = "nb"
    if code not in language_codes() | {"nb"}:
        raise RuleViolation(
            _("Unknown language code %(code)r: use ISO 639-1, e.g. pl.")
            % {"code": str(activity.source_language)[:20]},
            "source_language",
        )
    activity.source_language = code
    activity.translations = clean_translations(
        activity.translations, field_limits(Activity), activity.source_language
    )
    if activity.start and activity.end and activity.end < activity.start:
        raise RuleViolation(_("The activity cannot end before it starts."), "end")
    if activity.region is not None and activity.region.country_id != activity.hub.country_id:
        raise RuleViolation(_("The region is not in the hub's country."), "region")


@transaction.atomic
def save_activity(
    *,
    actor,
    hub=None,
    activity: Activity | None = None,
    objectives=None,
    policy_areas=None,
    target_groups=None,
    **fields,
) -> Activity:
    """Record or change a hub activity (the hub's editors and coordinators).

    ``language`` is still accepted for ``source_language`` (its name before #17)."""
    if "language" in fields:
        fields.setdefault("source_language", fields.pop("language"))
    activity = activity or Activity(hub=hub)
    guard(hub_perms.can_edit_hub(actor, activity.hub), actor)
    created = activity.pk is None
    for key, value in fields.items():
        setattr(activity, key, value)
    if created and actor is not None and actor.is_authenticated:
        activity.created_by = actor
    validate_activity(activity)
    activity.save()
    if objectives is not None:
        activity.objectives.set(_terms("objectives", objectives, "objectives"))
    if policy_areas is not None:
        activity.policy_areas.set(_terms("policy_areas", policy_areas, "policy_areas"))
    if target_groups is not None:
        activity.target_groups.set(_terms("stakeholder_groups", target_groups, "target_groups"))
    log_action(
        actor=actor,
        action="synergies.activity." + ("created" if created else "updated"),
        target=activity,
        data={
            "hub": activity.hub_id,
            "title": activity.title,
            "source_language": activity.source_language,
            "languages": sorted(activity.translations),
        },
    )
    refresh_after_commit(activity)
    return activity


# Audiences of events as stakeholder groups of activities.
AUDIENCE_GROUPS = {
    "citizens": "citizens",
    "youth": "citizens",
    "patients_carers": "patients",
    "health_professionals": "healthcare_providers",
    "researchers": "research",
    "policymakers": "authorities",
    "industry": "industry",
}


# Official languages of the MS/AC countries, to pick an event's main language among its languages.
COUNTRY_LANGUAGES = {
    "AL": ("sq",), "AM": ("hy",), "AT": ("de",), "BA": ("bs", "hr", "sr"),
    "BE": ("nl", "fr", "de"), "BG": ("bg",), "CH": ("de", "fr", "it", "rm"), "CY": ("el", "tr"),
    "CZ": ("cs",), "DE": ("de",), "DK": ("da",), "EE": ("et",), "ES": ("es", "ca", "eu", "gl"),
    "FI": ("fi", "sv"), "FO": ("fo", "da"), "FR": ("fr",), "GB": ("en", "cy"), "GE": ("ka",),
    "GR": ("el",), "HR": ("hr",), "HU": ("hu",), "IE": ("ga", "en"), "IL": ("he", "ar"),
    "IS": ("is",), "IT": ("it",), "LT": ("lt",), "LU": ("lb", "fr", "de"), "LV": ("lv",),
    "MD": ("ro",), "ME": ("sr", "bs", "sq", "hr"), "MK": ("mk", "sq"), "MT": ("mt", "en"),
    "NL": ("nl",), "NO": ("nb", "nn", "no"), "PL": ("pl",), "PT": ("pt",), "RO": ("ro",),
    "RS": ("sr",), "SE": ("sv",), "SI": ("sl",), "SK": ("sk",), "TN": ("ar",), "TR": ("tr",),
    "UA": ("uk",), "XK": ("sq", "sr"), "CA": ("en", "fr"), "EG": ("ar",), "KR": ("ko",),
    "NZ": ("en", "mi"),
}  # fmt: skip


def event_language(event, hub) -> str:
    """The event's language of its country (or else of the hub's country), else its first one."""
    languages = event.language_codes
    for country in (event.country_id, hub.country_id):
        for code in COUNTRY_LANGUAGES.get(country, ()):
            if code in languages:
                return code
    return languages[0] if languages else "en"


def event_activity_hub(actor, event):
    """The hub an event is recorded for: the organising hub when the actor may edit it, else the
    first co-organising hub the actor edits (an activity of *their* hub); None when neither."""
    if actor is None or hub_perms.can_edit_hub(actor, event.hub):
        return event.hub
    for hub in event.co_organisers.order_by("pk"):
        if hub_perms.can_edit_hub(actor, hub):
            return hub
    return None


def can_record_event(actor, event) -> bool:
    """Whether the actor may record the event as a synergy activity (see ``event_activity_hub``)."""
    return event_activity_hub(actor, event) is not None


@transaction.atomic
def activity_from_event(*, actor, event) -> Activity:
    """Turn an event into an activity of the actor's hub (the organising hub, or a co-organising
    hub they edit) without retyping; again later, it is refreshed.

    An event held abroad keeps no region (regions are those of the hub's country): where it took
    place is added to the description instead.
    """
    hub = event_activity_hub(actor, event)
    guard(hub is not None, actor)
    existing = Activity.objects.filter(
        hub=hub, origin=Activity.Origin.EVENT, origin_id=str(event.pk)
    ).first()
    local_start, local_end = event.start.astimezone(event.tz), event.end.astimezone(event.tz)
    description = event.description
    region = event.region
    if region and region.country_id != hub.country_id:
        region = None
    if event.country_id != hub.country_id:
        place = ", ".join(str(p) for p in (event.region, event.country) if p)
        description = f"{description}\n\n" + _("Held in %(place)s.") % {"place": place}
    # An event written in several languages (#17) brings its translations along.
    # Its source language when it was translated (then surely declared), else the language of
    # its country among those it is held in.
    language = (
        getattr(event, "source_language", "") if getattr(event, "translations", None) else ""
    ) or event_language(event, hub)
    translations = {
        code: {
            k: v[:250] if k == "title" else v
            for k, v in texts.items()
            if k in ("title", "description")
        }
        for code, texts in (getattr(event, "translations", None) or {}).items()
        if isinstance(texts, dict) and code != language
    }
    return save_activity(
        actor=actor,
        hub=hub,
        activity=existing,
        title=event.title[:250],
        description=description,
        source_language=language,
        translations={k: v for k, v in translations.items() if v},
        start=local_start.date(),
        end=local_end.date(),
        region=region,
        origin=Activity.Origin.EVENT,
        origin_id=str(event.pk),
        objectives=event.objective_codes,
        target_groups=sorted(
            {AUDIENCE_GROUPS[a] for a in event.audience_codes if a in AUDIENCE_GROUPS}
        ),
    )


@transaction.atomic
def delete_activity(*, actor, activity: Activity) -> None:
    guard(hub_perms.can_edit_hub(actor, activity.hub), actor)
    log_action(
        actor=actor,
        action="synergies.activity.deleted",
        target=activity.hub,
        data={"activity": activity.pk, "title": activity.title},
    )
    activity.delete()


# --- decisions and links ----------------------------------------------------------------------------


@transaction.atomic
def decide(
    *,
    actor,
    activity: Activity,
    verdict: str,
    initiative: Initiative | None = None,
    other_activity: Activity | None = None,
    score: float | None = None,
) -> Decision:
    """Accept (creates a proposed synergy link) or reject (never suggested again) a suggestion."""
    guard(hub_perms.can_edit_hub(actor, activity.hub), actor)
    if (initiative is None) == (other_activity is None):
        raise RuleViolation(_("Choose an initiative or an activity."), "initiative")
    if verdict not in Decision.Verdict.values:
        raise RuleViolation(_("The decision is accept or reject."), "verdict")
    if score is not None and not math.isfinite(score):
        raise RuleViolation(_("The score must be a finite number."), "score")
    if other_activity is not None and other_activity.hub_id == activity.hub_id:
        raise RuleViolation(_("Link to another hub's activity."), "other_activity")
    decision, _created = Decision.objects.update_or_create(
        hub=activity.hub,
        activity=activity,
        initiative=initiative,
        other_activity=other_activity,
        defaults={
            "verdict": verdict,
            "score": score,
            "decided_at": timezone.now(),
            "decided_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    if verdict == Decision.Verdict.ACCEPTED:
        SynergyLink.objects.get_or_create(
            hub=activity.hub,
            activity=activity,
            initiative=initiative,
            other_activity=other_activity,
            defaults={"score": score, "created_by": decision.decided_by},
        )
    log_action(
        actor=actor,
        action=f"synergies.suggestion.{verdict}",
        target=activity,
        data={
            "initiative": initiative.key if initiative else None,
            "other_activity": other_activity.pk if other_activity else None,
            "score": score,
        },
    )
    return decision


@transaction.atomic
def update_link(
    *, actor, link: SynergyLink, status: str | None = None, notes: str | None = None
) -> SynergyLink:
    """Move a synergy link along proposed → contacted → collaborating → concluded, with notes."""
    guard(hub_perms.can_edit_hub(actor, link.hub), actor)
    before = link.status
    if status is not None:
        if status not in SynergyLink.Status.values:
            raise RuleViolation(_("Unknown status."), "status")
        if status != link.status:
            link.status = status
            link.status_changed_at = timezone.now()
    if notes is not None:
        link.notes = notes[:20000]
    link.save()
    log_action(
        actor=actor,
        action="synergies.link.updated",
        target=link.activity,
        data={"link": link.pk, "from": before, "to": link.status},
    )
    return link


__all__ = ["date"]
