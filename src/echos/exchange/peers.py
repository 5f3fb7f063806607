"""Peer suggestions for one hub of the registry, and the Europe-wide pairing of all hubs.

A peer is suggested to a hub when it is strong where the hub is weak (its latest maturity
self-assessment, read through ``assessment.benchmarks``), similar in context (archetype, level,
size, region or country), shares a working language and has room to host. The maturity part is
``pairing.benefit`` (the same definition as the batch pairing), computed in both directions.

Privacy follows the assessment app: a hub's private scores are used only where the viewer may see
them (``benchmarks.peers_visible_to``, ``permissions.can_view_hub_scores``). A peer whose results
the viewer may not see is never named as "strong in" anything: at most it appears among the hubs
similar in context, without a word about its maturity. When the viewer may not see the hub's own
results, no maturity is compared at all.

Working languages and capacity to host come from the hub's exchange profile (``profiles``: set by
its team) when it has one; a hub not open to mentoring requests hosts nobody. Without a profile,
the defaults: a hub works in its country's main language (``core.languages.COUNTRY_LANGUAGE``;
English for a country not listed there), and national hubs also in English, the language of the
network's knowledge-exchange programme; it can host ``DEFAULT_CAPACITY`` mentees once it has been
launched (or gone further), none before. Every page reads a fixed number of queries, whatever the number of hubs;
the hubs' contexts and the Europe-wide pairing are kept a few minutes in the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from echos.assessment import benchmarks, scoring
from echos.assessment import permissions as assessment_perms
from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import localized_iso_name
from echos.exchange import pairing, profiles
from echos.exchange.models import ExchangeProfile
from echos.exchange.pairing import Explanation, PairingHub, Step
from echos.hubs.models import Archetype, Hub, Level, Membership, Stage

DEFAULT_CAPACITY = 3
HOSTING_STAGES = frozenset({Stage.LAUNCHED, Stage.OPERATIONAL, Stage.SUSTAINED})
# Each shared trait of context adds this much to a suggestion's score: as much as one level of
# progress on a dimension that is not the hub's weakest.
CONTEXT_POINTS = 1
SIMILAR_SIZE = 2  # member counts within this factor of each other are "similar"
LIMIT = 8
NETWORK_LANGUAGE = "en"
PAIRING_CACHE_SECONDS = 600
CONTEXT_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Context:
    """What a suggestion compares besides maturity, for one hub (public registry data)."""

    pk: int
    name: str
    country_id: str
    country: str
    region: str
    region_id: str | None
    level: str
    archetype: str
    stage: str
    members: int
    languages: frozenset[str]
    capacity: int
    open_to_mentoring: bool = True


@dataclass
class Suggestion:
    """One peer with its score and the reasons in words, numbers included, both directions.

    ``score`` = the hub's benefit from the peer (``pairing.benefit``) + ``CONTEXT_POINTS`` per
    shared trait of context.
    """

    peer: Context
    languages: str
    traits: list[str]
    you_learn: list[str] = field(default_factory=list)
    they_learn: list[str] = field(default_factory=list)
    benefit_to_you: int = 0
    benefit_to_them: int = 0

    @property
    def score(self) -> int:
        return self.benefit_to_you + CONTEXT_POINTS * len(self.traits)

    @property
    def summary(self) -> str:
        """How the score adds up, in words."""
        return _(
            "Score %(score)d: %(benefit)d from maturity and %(traits)d from shared context."
        ) % {
            "score": self.score,
            "benefit": self.benefit_to_you,
            "traits": CONTEXT_POINTS * len(self.traits),
        }

    @property
    def hosting(self) -> str:
        """The peer's room to host, in words."""
        if self.peer.capacity:
            return _("Can host up to %(n)d hubs.") % {"n": self.peer.capacity}
        if not self.peer.open_to_mentoring:
            return _("Not taking mentoring requests at the moment.")
        if self.peer.stage not in HOSTING_STAGES:
            return _("Not hosting yet: it has not been launched.")
        return _("Not hosting at the moment.")


@dataclass
class Peers:
    """The peers page of one hub: what may be shown to this viewer."""

    hub: Context
    maturity_shown: bool
    assessed: bool
    learn_from: list[Suggestion]
    can_help: list[Suggestion]
    similar: list[Suggestion]


def working_languages(country_id: str, level: str) -> frozenset[str]:
    """The country's main language, and English for national hubs (module docstring)."""
    main = COUNTRY_LANGUAGE.get(country_id, NETWORK_LANGUAGE)
    return frozenset({main, NETWORK_LANGUAGE} if level == Level.NATIONAL else {main})


def capacity_for(stage: str) -> int:
    """How many hubs a hub can mentor at once: launched hubs ``DEFAULT_CAPACITY``, others none."""
    return DEFAULT_CAPACITY if stage in HOSTING_STAGES else 0


def contexts() -> dict[int, Context]:
    """Every hub's context, by id: from the cache while no hub and no exchange profile changed
    (one query to tell; member counts may then be up to ``CONTEXT_CACHE_SECONDS`` old), else read
    (three more queries)."""
    stamp = Hub.objects.aggregate(
        n=Count("id"),
        at=Max("updated_at"),
        profiles=Count("exchange_profile"),
        profile_at=Max("exchange_profile__updated_at"),
    )
    key = (
        "exchange:contexts:"
        + hashlib.sha256(f"{get_language()}|{sorted(stamp.items())}".encode()).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = read_contexts()
        cache.set(key, found, CONTEXT_CACHE_SECONDS)
    return found


def read_contexts() -> dict[int, Context]:
    """Every hub's context, by id, its exchange profile applied (three queries)."""
    offers = {p.hub_id: p for p in ExchangeProfile.objects.all()}
    members = dict(
        Membership.objects.current()
        .values("hub_id")
        .annotate(n=Count("id"))
        .values_list("hub_id", "n")
    )
    rows = Hub.objects.values_list(
        "pk",
        "name_en",
        "name",
        "country_id",
        "country__name",
        "region_id",
        "region__name",
        "level",
        "archetype",
        "stage",
    ).order_by()
    names: dict[tuple[str, str], str] = {}  # ISO names in the active language, once each

    def display(domain: str, english: str | None) -> str:
        if not english:
            return ""
        if (domain, english) not in names:
            names[domain, english] = localized_iso_name(domain, english)
        return names[domain, english]

    def context(
        pk, name_en, name, country_id, country, region_id, region, level, archetype, stage
    ) -> Context:
        offer = profiles.effective(
            offers.get(pk), capacity_for(stage), working_languages(country_id, level)
        )
        return Context(
            pk=pk,
            name=name_en or name,
            country_id=country_id,
            country=display("iso3166-1", country),
            region=display("iso3166-2", region),
            region_id=region_id,
            level=level,
            archetype=archetype,
            stage=stage,
            members=members.get(pk, 0),
            languages=offer.languages,
            capacity=offer.capacity,
            open_to_mentoring=offer.open_to_mentoring,
        )

    return {row[0]: context(*row) for row in rows}


def _levels(row: dict, titles: dict[str, str]) -> dict[str, int]:
    """A score row's whole levels 1–5 keyed by dimension title (unscored dimensions left out)."""
    out = {}
    for code, value in row["dimensions"].items():
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= 5:
            out[titles.get(code, code)] = int(value)
    return out


def _as_pairing_hub(
    ctx: Context, levels: dict[str, int], dims: list[str], *, seeking: bool
) -> PairingHub:
    return PairingHub(
        id=ctx.pk,
        levels={d: levels[d] for d in dims},
        capacity=ctx.capacity,
        languages=ctx.languages,
        seeking=seeking,
    )


def _step_text(step: Step, *, mine: bool) -> str:
    """One dimension in words: ``mine`` when the hub of the page is the one ahead."""
    values = {"dimension": step.dimension, "ahead": step.ahead, "behind": step.behind}
    values["gain"] = step.gain
    if mine and step.weight > 1:
        return (
            _(
                "%(dimension)s: you %(ahead)d, they %(behind)d (+%(gain)d, counted twice: one "
                "of their weakest dimensions)."
            )
            % values
        )
    if mine:
        return _("%(dimension)s: you %(ahead)d, they %(behind)d (+%(gain)d).") % values
    if step.weight > 1:
        return (
            _(
                "%(dimension)s: they %(ahead)d, you %(behind)d (+%(gain)d, counted twice: one "
                "of your weakest dimensions)."
            )
            % values
        )
    return _("%(dimension)s: they %(ahead)d, you %(behind)d (+%(gain)d).") % values


def shared_traits(hub: Context, peer: Context) -> list[str]:
    """Which traits of context the two hubs share (one point each): cheap, no words yet."""
    out = []
    if hub.archetype and hub.archetype == peer.archetype:
        out.append("archetype")
    if hub.level == peer.level:
        out.append("level")
    small, large = sorted((hub.members, peer.members))
    if small > 0 and large <= SIMILAR_SIZE * small:
        out.append("size")
    if hub.region_id and hub.region_id == peer.region_id:
        out.append("region")
    elif hub.country_id == peer.country_id:
        out.append("country")
    return out


def context_reasons(hub: Context, peer: Context) -> list[str]:
    """The shared traits of context, each in words with its numbers."""
    texts = {
        "archetype": lambda: _("Same archetype: %(a)s.") % {"a": Archetype(peer.archetype).label},
        "level": lambda: _("Same level: %(level)s.") % {"level": Level(peer.level).label},
        "size": lambda: (
            _("Similar size: %(peer)d member organisations, you %(own)d.")
            % {"peer": peer.members, "own": hub.members}
        ),
        "region": lambda: _("Same region: %(region)s.") % {"region": peer.region},
        "country": lambda: _("Same country: %(country)s.") % {"country": peer.country},
    }
    return [texts[key]() for key in shared_traits(hub, peer)]


def _languages_text(codes: frozenset[str]) -> str:
    names = ", ".join(sorted(pairing.language_name(c) for c in codes))
    return _("Both work in %(languages)s.") % {"languages": names}


def _suggest(
    hub: Context, peer: Context, learn: Explanation | None, teach: Explanation | None
) -> Suggestion:
    return Suggestion(
        peer=peer,
        languages=_languages_text(hub.languages & peer.languages),
        traits=context_reasons(hub, peer),
        you_learn=[_step_text(s, mine=False) for s in learn.mentee_learns] if learn else [],
        they_learn=[_step_text(s, mine=True) for s in teach.mentee_learns] if teach else [],
        benefit_to_you=learn.benefit if learn else 0,
        benefit_to_them=teach.benefit if teach else 0,
    )


def suggestions(user: Any, hub: Hub, *, limit: int = LIMIT) -> Peers:
    """Peers of ``hub`` as ``user`` may see them (module docstring for what is shown to whom)."""
    all_contexts = contexts()
    own = all_contexts[hub.pk]
    scores = benchmarks.latest_scores()
    titles = scoring.dimension_titles(benchmarks.maturity_definition()) if scores else {}
    own_row = next((s for s in scores if s["hub_id"] == hub.pk), None)
    shown = own_row is not None and assessment_perms.can_view_hub_scores(user, hub)
    visible = benchmarks.peers_visible_to(user, scores, hub) if shown else []
    own_levels = _levels(own_row, titles) if own_row else {}
    compared: set[int] = set()
    # (peer, what the hub learns, what the peer learns): words only for those shown.
    found: list[tuple[Context, Explanation, Explanation]] = []
    for row in visible:
        peer = all_contexts.get(row["hub_id"])
        if peer is None or not (own.languages & peer.languages):
            continue
        levels = _levels(row, titles)
        dims = [d for d in own_levels if d in levels]
        if not dims:
            continue
        compared.add(peer.pk)
        me = _as_pairing_hub(own, own_levels, dims, seeking=True)
        them = _as_pairing_hub(peer, levels, dims, seeking=True)
        found.append((peer, pairing.explain(me, them), pairing.explain(them, me)))
    points = {peer.pk: CONTEXT_POINTS * len(shared_traits(own, peer)) for peer, _l, _t in found}
    learn_from = sorted(
        (f for f in found if f[1].benefit > 0),
        key=lambda f: (-(f[1].benefit + points[f[0].pk]), -f[1].benefit, f[0].name),
    )[:limit]
    can_help = sorted(
        (f for f in found if f[2].benefit > 0), key=lambda f: (-f[2].benefit, f[0].name)
    )[:limit]
    others = [
        (len(shared_traits(own, peer)), peer)
        for peer in all_contexts.values()
        if peer.pk != hub.pk and peer.pk not in compared and own.languages & peer.languages
    ]
    similar = sorted((o for o in others if o[0]), key=lambda o: (-o[0], o[1].name))[:limit]
    return Peers(
        hub=own,
        maturity_shown=shown,
        assessed=own_row is not None,
        learn_from=[_suggest(own, *f) for f in learn_from],
        can_help=[_suggest(own, *f) for f in can_help],
        similar=[_suggest(own, peer, None, None) for _n, peer in similar],
    )


def pairing_hubs() -> tuple[list[PairingHub], dict[int, Context], int]:
    """Every hub with a complete latest assessment as pairing input, their contexts, and how many
    assessed hubs were left out for an incomplete one.

    A hub seeks a mentor until it is sustained; it mentors as many hubs as its exchange profile
    says, or (no profile) ``capacity_for`` its stage.
    """
    all_contexts = contexts()
    scores = benchmarks.latest_scores()
    if not scores:
        return [], all_contexts, 0
    titles = scoring.dimension_titles(benchmarks.maturity_definition())
    dims = list(titles.values())
    hubs, skipped = [], 0
    for row in scores:
        ctx = all_contexts.get(row["hub_id"])
        levels = _levels(row, titles)
        if ctx is None or any(d not in levels for d in dims):
            skipped += 1
            continue
        hubs.append(_as_pairing_hub(ctx, levels, dims, seeking=ctx.stage != Stage.SUSTAINED))
    return hubs, all_contexts, skipped


def europe_pairing() -> dict[str, Any]:
    """``compute_europe_pairing``, kept ``PAIRING_CACHE_SECONDS`` in the cache while no hub, no
    exchange profile and no assessment has changed (one query to tell), per language."""
    stamp = Hub.objects.aggregate(
        n_hubs=Count("id", distinct=True),
        hub_at=Max("updated_at"),
        n_profiles=Count("exchange_profile", distinct=True),
        profile_at=Max("exchange_profile__updated_at"),
        n_responses=Count("responses"),
        response_at=Max("responses__updated_at"),
    )
    key = (
        "exchange:pairing:"
        + hashlib.sha256(f"{get_language()}|{sorted(stamp.items())}".encode()).hexdigest()
    )
    result = cache.get(key)
    if result is None:
        result = compute_europe_pairing()
        cache.set(key, result, PAIRING_CACHE_SECONDS)
    return result


def compute_europe_pairing() -> dict[str, Any]:
    """The optimal Europe-wide pairing of the registry's assessed hubs, with names and reasons."""
    hubs, all_contexts, skipped = pairing_hubs()
    result = pairing.pair(hubs)
    pairs = [
        {
            **p,
            "mentee_hub": all_contexts[int(p["mentee"])],
            "mentor_hub": all_contexts[int(p["mentor"])],
        }
        for p in result["pairs"]
    ]
    return {
        "pairs": pairs,
        "total_benefit": result["total_benefit"],
        "hubs": len(hubs),
        "seeking": sum(1 for h in hubs if h.seeking),
        "mentors": sum(1 for h in hubs if h.capacity > 0),
        "skipped": skipped,
    }
