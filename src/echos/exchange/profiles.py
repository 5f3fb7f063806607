"""A hub's exchange profile: hosting capacity (0–20 hubs at once), working languages (ISO 639-1
codes, offered by name from ``core.languages``) and whether it is open to mentoring requests.

Set by the hub's team (its editors and the coordinators above it) and the network, audited as
``exchange.profile.updated`` and revertible. Peers and the Europe-wide pairing read it through
``effective``: a hub without a profile gets the defaults (``peers.capacity_for`` by stage, the
country's language and English for national hubs); a hub not open to mentoring requests is
offered as nobody's mentor, whatever its capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.languages import COUNTRY_LANGUAGE, LANGUAGE_CODES, language_codes
from echos.exchange.models import ExchangeProfile
from echos.exchange.pairing import language_name
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub

MAX_CAPACITY = ExchangeProfile.MAX_CAPACITY
MAX_LANGUAGES = 10


@cache
def offered_codes() -> frozenset[str]:
    """The working languages a profile may name: the ISO 639-1 codes among the platform's
    languages and the countries' main languages (``core.languages``)."""
    return frozenset((set(LANGUAGE_CODES) | set(COUNTRY_LANGUAGE.values())) & language_codes())


def language_choices() -> list[tuple[str, str]]:
    """(code, name in the active language), sorted by name: what the page offers."""

    return sorted(((c, language_name(c)) for c in offered_codes()), key=lambda c: c[1].lower())


@dataclass(frozen=True)
class Offer:
    """What peers and the pairing use for one hub: its profile, or the defaults."""

    capacity: int
    languages: frozenset[str]
    open_to_mentoring: bool
    from_profile: bool


def can_edit_profile(user, hub: Hub) -> bool:
    """The hub's team (editors, coordinators at or above it) and the network."""
    return hub_perms.can_edit_hub(user, hub)


def clean_capacity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
        raise RuleViolation(
            _("Give a whole number of hubs from 0 to %(n)d.") % {"n": MAX_CAPACITY}, "capacity"
        )
    return value


def clean_languages(value: object) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise RuleViolation(_("Choose at least one working language."), "languages")
    if len(value) > MAX_LANGUAGES:
        raise RuleViolation(
            _("Choose at most %(n)d working languages.") % {"n": MAX_LANGUAGES}, "languages"
        )
    codes = set()
    for code in value:
        if not isinstance(code, str) or code not in offered_codes():
            raise RuleViolation(
                _("Unknown language: choose ISO 639-1 codes from the list offered."), "languages"
            )
        codes.add(code)
    return sorted(codes)


def _snapshot(profile: ExchangeProfile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "capacity": profile.capacity,
        "languages": list(profile.languages),
        "open_to_mentoring": profile.open_to_mentoring,
    }


@transaction.atomic
def update_profile(
    *, actor, hub: Hub, capacity: object, languages: object, open_to_mentoring: object
) -> ExchangeProfile:
    """Create or replace the hub's exchange profile (every field given, as a PUT)."""
    guard(can_edit_profile(actor, hub), actor)
    capacity = clean_capacity(capacity)
    codes = clean_languages(languages)
    if not isinstance(open_to_mentoring, bool):
        raise RuleViolation(_("Must be true or false."), "open_to_mentoring")
    profile = ExchangeProfile.objects.select_for_update().filter(hub=hub).first()
    before = _snapshot(profile)
    if profile is None:
        profile = ExchangeProfile(hub=hub)
    profile.capacity = capacity
    profile.languages = codes
    profile.open_to_mentoring = open_to_mentoring
    profile.save()
    log_action(
        actor=actor,
        action="exchange.profile.updated",
        target=hub,
        data={"before": before, "after": _snapshot(profile)},
    )
    return profile


@transaction.atomic
def restore_profile(*, actor, hub: Hub, before: dict | None) -> None:
    """Put back a profile as it was (``None``: no profile, the defaults), audited (revert)."""
    profile = ExchangeProfile.objects.select_for_update().filter(hub=hub).first()
    current = _snapshot(profile)
    if before is None:
        if profile is not None:
            profile.delete()
    else:
        ExchangeProfile.objects.update_or_create(
            hub=hub,
            defaults={
                "capacity": before["capacity"],
                "languages": before["languages"],
                "open_to_mentoring": before["open_to_mentoring"],
            },
        )
    log_action(
        actor=actor,
        action="exchange.profile.restored",
        target=hub,
        data={"before": current, "after": before},
    )


def offer_for(hub: Hub) -> Offer:
    """The hub's profile, or the defaults of ``peers`` (one query)."""
    # cycle: echos.exchange.peers imports this module
    from echos.exchange import peers

    profile = ExchangeProfile.objects.filter(hub=hub).first()
    default_capacity = peers.capacity_for(hub.stage)
    default_languages = peers.working_languages(hub.country_id, hub.level)
    return effective(profile, default_capacity, default_languages)


def effective(
    profile: ExchangeProfile | None, default_capacity: int, default_languages: frozenset[str]
) -> Offer:
    """A profile's offer (capacity 0 when not open to mentoring), else the defaults."""
    if profile is None:
        return Offer(default_capacity, default_languages, True, False)
    return Offer(
        profile.capacity if profile.open_to_mentoring else 0,
        frozenset(profile.languages),
        profile.open_to_mentoring,
        True,
    )
