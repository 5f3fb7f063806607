"""Mentor–mentee pairing of hubs from their maturity levels: pure functions, no database.

Input (the command ``echos exchange pair`` and ``POST /api/v1/exchange/pair``): a JSON array of
``{"id", "levels": {"<dimension>": 1-5, ...}, "capacity": N, "languages": ["en", ...],
"seeking": true|false}``. Any dimension names, but the same set for every hub. Field names in
errors are 0-based paths such as ``hubs[3].levels.funding``.

Benefit of mentor *m* for mentee *e* (an integer, 0 or more)::

    benefit(e, m) = sum over dimensions d of  weight_e(d) * max(0, level_m(d) - level_e(d))
    weight_e(d)   = 2 where d is one of the mentee's weakest dimensions (its lowest level), else 1

and 0 when *m* is *e*, when they share no language, when *e* is not seeking or when *m* has no
capacity. What the mentor can learn from the mentee in return (the dimensions where the mentee is
ahead) is explained but does not count: the pairing serves the mentee.

Europe-wide pairing: each seeking hub gets at most one mentor, each mentor at most ``capacity``
mentees, never itself; the total benefit is maximised exactly by ``scipy.optimize.
linear_sum_assignment`` on the benefit matrix with each mentor's column repeated as many times as
it has places (capped at the number of mentees it could help: more places could never be used).
All benefits are ≥ 0, so a maximum assignment of full size is also a maximum matching; pairs of
zero benefit are then left out (the mentee stays unpaired).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from scipy.optimize import linear_sum_assignment

from echos.core.exceptions import RuleViolation
from echos.core.middleware import MAX_JSON_DEPTH, json_depth

MIN_LEVEL, MAX_LEVEL = 1, 5
MAX_HUBS = 5_000
MAX_DIMENSIONS = 50
MAX_LANGUAGES = 20
MAX_NAME = 100
MAX_BODY = 4 * 1024 * 1024
WEAKEST_WEIGHT = 2

HubId = str | int


class PairingInvalid(RuleViolation):
    """A pairing input that cannot be used; ``field`` is the path of the offending value."""

    def __init__(self, field: str, message: str):
        super().__init__(message, field)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class PairingHub:
    """One hub of a pairing input, validated."""

    id: HubId
    levels: dict[str, int]
    capacity: int
    languages: frozenset[str]
    seeking: bool

    @property
    def key(self) -> str:
        """The id as text: the keys of ``benefits`` in the output."""
        return str(self.id)


@dataclass(frozen=True)
class Step:
    """One dimension where one side is ahead: both levels and the difference."""

    dimension: str
    ahead: int
    behind: int
    weight: int = 1

    @property
    def gain(self) -> int:
        return self.ahead - self.behind

    @property
    def weighted(self) -> int:
        return self.gain * self.weight


@dataclass(frozen=True)
class Explanation:
    """Why a mentor suits a mentee, in numbers: what each side can learn from the other."""

    languages: tuple[str, ...]
    mentee_learns: tuple[Step, ...]
    mentor_learns: tuple[Step, ...]
    benefit: int


# Input


def _int(value: object) -> bool:
    """A JSON integer: ``True`` is not 1 here."""
    return type(value) is int


def _text(value: object, field: str, *, limit: int = MAX_NAME) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PairingInvalid(field, _("Must be a non-empty text."))
    if len(value) > limit:
        raise PairingInvalid(field, _("Must be at most %(n)d characters.") % {"n": limit})
    return value.strip()


def _levels(value: object, field: str) -> dict[str, int]:
    if not isinstance(value, dict) or not value:
        raise PairingInvalid(
            field, _("Must be an object of dimension names and levels from 1 to 5.")
        )
    if len(value) > MAX_DIMENSIONS:
        raise PairingInvalid(field, _("At most %(n)d dimensions.") % {"n": MAX_DIMENSIONS})
    levels = {}
    for name, level in value.items():
        where = f"{field}.{name}"
        _text(name, where)
        if not _int(level) or not MIN_LEVEL <= level <= MAX_LEVEL:
            raise PairingInvalid(where, _("Must be a whole number from 1 to 5."))
        levels[name] = level
    return levels


def _languages(value: object, field: str) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        raise PairingInvalid(field, _('Must be a non-empty list of language codes (such as "en").'))
    if len(value) > MAX_LANGUAGES:
        raise PairingInvalid(field, _("At most %(n)d languages.") % {"n": MAX_LANGUAGES})
    return frozenset(_text(code, f"{field}[{i}]", limit=35).lower() for i, code in enumerate(value))


def _hub(item: object, field: str) -> PairingHub:
    if not isinstance(item, dict):
        raise PairingInvalid(field, _("Must be an object."))
    for key in ("id", "levels", "capacity", "languages", "seeking"):
        if key not in item:
            raise PairingInvalid(f"{field}.{key}", _("This field is required."))
    hub_id = item["id"]
    if _int(hub_id):
        if abs(hub_id) >= 2**63:
            raise PairingInvalid(f"{field}.id", _("Must be text or a whole number."))
    else:
        hub_id = _text(hub_id, f"{field}.id")
    capacity = item["capacity"]
    if not _int(capacity) or capacity < 0 or capacity > MAX_HUBS:
        raise PairingInvalid(
            f"{field}.capacity",
            _("Must be a whole number from 0 to %(n)d.") % {"n": MAX_HUBS},
        )
    if not isinstance(item["seeking"], bool):
        raise PairingInvalid(f"{field}.seeking", _("Must be true or false."))
    return PairingHub(
        id=hub_id,
        levels=_levels(item["levels"], f"{field}.levels"),
        capacity=capacity,
        languages=_languages(item["languages"], f"{field}.languages"),
        seeking=item["seeking"],
    )


def parse_hubs(data: object) -> list[PairingHub]:
    """Validate a pairing input; the first problem raises ``PairingInvalid`` naming its field."""
    if not isinstance(data, list):
        raise PairingInvalid("hubs", _("Must be a JSON array of hubs."))
    if len(data) > MAX_HUBS:
        raise PairingInvalid("hubs", _("At most %(n)d hubs at a time.") % {"n": MAX_HUBS})
    hubs: list[PairingHub] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        hub = _hub(item, f"hubs[{i}]")
        if hub.key in seen:
            raise PairingInvalid(
                f"hubs[{i}].id",
                _("Duplicate id %(id)s: hubs[%(first)d] has it already.")
                % {"id": json.dumps(hub.id), "first": seen[hub.key]},
            )
        seen[hub.key] = i
        if hubs and set(hub.levels) != set(hubs[0].levels):
            missing = sorted(set(hubs[0].levels) - set(hub.levels))
            if missing:
                raise PairingInvalid(
                    f"hubs[{i}].levels.{missing[0]}",
                    _("Missing: every hub needs the same dimensions as hubs[0]."),
                )
            extra = sorted(set(hub.levels) - set(hubs[0].levels))[0]
            raise PairingInvalid(
                f"hubs[{i}].levels.{extra}",
                _("Unknown dimension: every hub needs the same dimensions as hubs[0]."),
            )
        hubs.append(hub)
    return hubs


# Benefit and its explanation


def weights(levels: dict[str, int]) -> dict[str, int]:
    """The mentee's weight per dimension: ``WEAKEST_WEIGHT`` on its lowest level(s), else 1."""
    lowest = min(levels.values())
    return {d: WEAKEST_WEIGHT if v == lowest else 1 for d, v in levels.items()}


def explain(mentee: PairingHub, mentor: PairingHub) -> Explanation:
    """Shared languages, what each side is ahead in (with both levels) and the mentee's benefit."""
    languages = tuple(sorted(mentee.languages & mentor.languages))
    weight = weights(mentee.levels)
    learns = tuple(
        sorted(
            (
                Step(d, mentor.levels[d], mentee.levels[d], weight[d])
                for d in mentee.levels
                if mentor.levels[d] > mentee.levels[d]
            ),
            key=lambda s: (-s.weighted, s.dimension),
        )
    )
    teaches = tuple(
        sorted(
            (
                Step(d, mentee.levels[d], mentor.levels[d])
                for d in mentee.levels
                if mentee.levels[d] > mentor.levels[d]
            ),
            key=lambda s: (-s.gain, s.dimension),
        )
    )
    usable = mentee.key != mentor.key and bool(languages) and mentee.seeking and mentor.capacity > 0
    return Explanation(languages, learns, teaches, sum(s.weighted for s in learns) if usable else 0)


def benefit(mentee: PairingHub, mentor: PairingHub) -> int:
    """The mentee's benefit from the mentor (module docstring)."""
    return explain(mentee, mentor).benefit


def language_name(code: str) -> str:
    """A language's name in the active language, or the code when it is not an ISO 639 code."""
    return _language_name(code, get_language() or "en")


@lru_cache(maxsize=1024)
def _language_name(code: str, language: str) -> str:
    # lazy: the pairing stays importable without Django's app registry (pure module)
    from echos.core.models import localized_iso_name

    base = code.split("-")[0].split("_")[0]
    record = (
        pycountry.languages.get(alpha_2=base)
        if len(base) == 2
        else pycountry.languages.get(alpha_3=base)
    )
    return localized_iso_name("iso639-3", record.name) if record else code


def _texts() -> dict[str, str]:
    """The sentences of ``reasons`` in the active language, looked up once per pairing."""
    return {
        "languages": _("Both work in %(languages)s."),
        "weakest": _(
            "%(dimension)s: mentor %(mentor)d, mentee %(mentee)d (+%(gain)d, counted "
            "twice: one of the mentee's weakest dimensions)."
        ),
        "gain": _("%(dimension)s: mentor %(mentor)d, mentee %(mentee)d (+%(gain)d)."),
        "return": _(
            "In return the mentor can learn %(dimension)s: mentee %(mentee)d, mentor "
            "%(mentor)d (+%(gain)d)."
        ),
        "benefit": _("Benefit %(benefit)d: the sum of the gains above."),
    }


def reasons(explanation: Explanation, texts: dict[str, str] | None = None) -> list[str]:
    """The explanation in words, with the numbers behind it, for a mentee–mentor pair."""
    t = texts or _texts()
    names = ", ".join(language_name(c) for c in explanation.languages)
    out = [t["languages"] % {"languages": names}]
    for s in explanation.mentee_learns:
        values = {"dimension": s.dimension, "mentor": s.ahead, "mentee": s.behind, "gain": s.gain}
        out.append(t["weakest" if s.weight > 1 else "gain"] % values)
    for s in explanation.mentor_learns:
        values = {"dimension": s.dimension, "mentee": s.ahead, "mentor": s.behind, "gain": s.gain}
        out.append(t["return"] % values)
    out.append(t["benefit"] % {"benefit": explanation.benefit})
    return out


# The Europe-wide pairing


@dataclass
class Matrix:
    """Benefits of every seeking hub (rows) from every hub with capacity (columns)."""

    mentees: np.ndarray  # indexes into the hubs
    mentors: np.ndarray
    benefit: np.ndarray  # int32, len(mentees) × len(mentors)


def benefit_matrix(hubs: list[PairingHub]) -> Matrix:
    """``benefit`` for every mentee × mentor, vectorised (equal to the scalar one: tested)."""
    mentees = np.array([i for i, h in enumerate(hubs) if h.seeking], dtype=np.int64)
    mentors = np.array([i for i, h in enumerate(hubs) if h.capacity > 0], dtype=np.int64)
    out = np.zeros((len(mentees), len(mentors)), dtype=np.int32)
    if not len(mentees) or not len(mentors):
        return Matrix(mentees, mentors, out)
    dims = list(hubs[0].levels)
    levels = np.array([[h.levels[d] for d in dims] for h in hubs], dtype=np.int16)
    codes = sorted({c for h in hubs for c in h.languages})
    column = {c: j for j, c in enumerate(codes)}
    speaks = np.zeros((len(hubs), len(codes)), dtype=np.float32)
    for i, h in enumerate(hubs):
        speaks[i, [column[c] for c in h.languages]] = 1
    lowest = levels.min(axis=1, keepdims=True)
    weight = np.where(levels == lowest, WEAKEST_WEIGHT, 1).astype(np.int32)
    learner, teacher = levels[mentees].astype(np.int32), levels[mentors].astype(np.int32)
    # One dimension at a time: a few (mentees × mentors) int32 arrays, never one per dimension.
    for d in range(len(dims)):
        gain = teacher[None, :, d] - learner[:, d, None]
        np.maximum(gain, 0, out=gain)
        gain *= weight[mentees, d, None]
        out += gain
    out *= (speaks[mentees] @ speaks[mentors].T) > 0
    out[mentees[:, None] == mentors[None, :]] = 0
    return Matrix(mentees, mentors, out)


def expand(matrix: Matrix, capacities: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matrix that ``assign`` solves: ``(rows, columns, benefits)``, rows and columns as
    indexes into ``matrix.benefit``.

    Column *j* is repeated ``min(capacity_j, number of mentees it benefits)`` times; rows that no
    mentor benefits and columns that benefit nobody are left out (they could only take
    zero-benefit pairs, which are never made).
    """
    positive = matrix.benefit > 0
    repeats = np.minimum(capacities, positive.sum(axis=0))
    rows = np.flatnonzero(positive.any(axis=1))
    columns = np.repeat(np.arange(len(capacities)), repeats)
    return rows, columns, matrix.benefit[np.ix_(rows, columns)]


def assign(matrix: Matrix, capacities: np.ndarray) -> list[tuple[int, int]]:
    """The optimal pairs as (row, column) of ``matrix.benefit``; ``capacities`` per column.

    Exact: ``linear_sum_assignment`` maximising on the ``expand``-ed matrix (all benefits ≥ 0,
    so a maximum assignment of full size is a maximum-benefit matching).
    """
    rows, columns, sub = expand(matrix, capacities)
    if not sub.size:
        return []
    r, c = linear_sum_assignment(sub, maximize=True)
    return [(int(rows[i]), int(columns[j])) for i, j in zip(r, c, strict=True) if sub[i, j] > 0]


def pair(hubs: list[PairingHub]) -> dict[str, Any]:
    """The optimal pairing of validated hubs with reasons, total and every candidate's benefit."""
    matrix = benefit_matrix(hubs)
    capacities = np.array([hubs[j].capacity for j in matrix.mentors], dtype=np.int64)
    chosen = sorted(assign(matrix, capacities))
    texts = _texts()
    pairs = []
    for row, col in chosen:
        mentee, mentor = hubs[matrix.mentees[row]], hubs[matrix.mentors[col]]
        explanation = explain(mentee, mentor)
        pairs.append(
            {
                "mentee": mentee.id,
                "mentor": mentor.id,
                "benefit": explanation.benefit,
                "reasons": reasons(explanation, texts),
            }
        )
    mentor_keys = np.array([hubs[j].key for j in matrix.mentors], dtype=object)
    benefits: dict[str, dict[str, int]] = {}
    for row, i in enumerate(matrix.mentees):
        nz = np.flatnonzero(matrix.benefit[row])
        benefits[hubs[i].key] = dict(
            zip(mentor_keys[nz].tolist(), matrix.benefit[row, nz].tolist(), strict=True)
        )
    return {
        "pairs": pairs,
        "total_benefit": int(sum(p["benefit"] for p in pairs)),
        "benefits": benefits,
    }


def pair_from_json(data: object) -> dict[str, Any]:
    """Validate a decoded JSON input and pair it (the API's entry point)."""
    return pair(parse_hubs(data))


def pair_from_body(body: bytes | str) -> dict[str, Any]:
    """Decode a JSON document (a file, a request body) and pair it; bad JSON names ``hubs``."""

    if len(body) > MAX_BODY:
        raise PairingInvalid("hubs", _("At most %(n)d MiB.") % {"n": MAX_BODY // 2**20})
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise PairingInvalid("hubs", _("The input is not text in UTF-8.")) from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise PairingInvalid(
            "hubs", _("Nested more than %(n)d levels deep.") % {"n": MAX_JSON_DEPTH}
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PairingInvalid(
            "hubs",
            _("Invalid JSON at line %(line)d, column %(column)d: %(problem)s")
            % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg},
        ) from None
    return pair_from_json(data)
