"""The synthetic-data generator's framework: ordered steps, batched inserts and seeded helpers.

Each app registers its steps with ``@step(name, after=...)``; a step takes the run's context (today
``echos.hubs.generate.Context``: seed, counts, batch size, progress callback and what earlier steps
made) and returns the rows it created. Every date comes from ``REFERENCE_DATE``, so the same seed
gives the same rows.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any, Protocol, cast

from django.db import models

REFERENCE_DATE = date(2026, 1, 1)
REFERENCE_DATETIME = datetime.combine(REFERENCE_DATE, time(0, 0), tzinfo=UTC)


# Rounded populations in millions (2024), only to spread synthetic hubs and organisations.
# fmt: off
POPULATION_MILLIONS = {
    "AT": 9.1, "BE": 11.8, "BG": 6.4, "HR": 3.9, "CY": 0.9, "CZ": 10.9, "DK": 5.9, "EE": 1.4,
    "FI": 5.6, "FR": 68.4, "DE": 83.4, "GR": 10.4, "HU": 9.6, "IE": 5.3, "IT": 59.0, "LV": 1.9,
    "LT": 2.9, "LU": 0.7, "MT": 0.6, "NL": 17.9, "PL": 36.6, "PT": 10.6, "RO": 19.1, "SK": 5.4,
    "SI": 2.1, "ES": 48.6, "SE": 10.6, "AL": 2.7, "AM": 3.0, "BA": 3.2, "CA": 40.1, "EG": 107.0,
    "FO": 0.05, "GE": 3.7, "IS": 0.4, "IL": 9.9, "XK": 1.6, "MD": 2.4, "ME": 0.6, "NZ": 5.3,
    "MK": 1.8, "NO": 5.6, "KR": 51.7, "RS": 6.6, "CH": 8.9, "TN": 12.3, "TR": 85.3, "UA": 37.0,
    "GB": 68.3,
}
# fmt: on


class GenerationRefused(Exception):
    """The database already holds hubs and ``force`` was not given."""


Progress = Callable[[str, int, int], None]


class BatchContext(Protocol):
    """What ``insert`` needs of a run's context."""

    @property
    def batch(self) -> int: ...

    @property
    def progress(self) -> Progress: ...


StepFunction = Callable[[Any], int]


@dataclass(frozen=True)
class Step:
    name: str
    run: StepFunction


STEPS: list[Step] = []
# Steps whose ``after`` step is not registered yet (their app's module was imported first), by the
# name they follow: placed as soon as that step registers.
PENDING: dict[str, list[Step]] = {}


def _place(entry: Step, after: str | None) -> None:
    if after is None:
        STEPS.append(entry)
    else:
        index = next((i for i, s in enumerate(STEPS) if s.name == after), None)
        if index is None:
            PENDING.setdefault(after, []).append(entry)
            return
        STEPS.insert(index + 1, entry)
    for waiting in PENDING.pop(entry.name, []):
        _place(waiting, entry.name)


def step(name: str, after: str | None = None):
    """Register a generator step; ``after`` places it behind another step, else it goes last.

    Apps register in ``INSTALLED_APPS`` order (``core.registry.load_generator_steps``); a module
    imported earlier than the one with its ``after`` step waits in ``PENDING`` until that one
    registers, so the order does not depend on which module was imported first.
    """

    def register(func: StepFunction) -> StepFunction:
        entry = Step(name, func)
        waiting = (s for steps in PENDING.values() for s in steps)
        if any(s.name == name for s in STEPS) or any(s.name == name for s in waiting):
            raise ValueError(f"Generator step {name!r} is already registered.")
        _place(entry, after)
        return func

    return register


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most ``size`` items, pulled lazily from ``rows``."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert(
    ctx: BatchContext,
    model: type[models.Model],
    label: str,
    rows: Iterable,
    total: int,
    on_batch: Callable[[list], None] | None = None,
    done_before: int = 0,
) -> int:
    """``bulk_create`` rows in batches, report progress, pin ``updated_at`` to the reference day."""
    done = 0
    first = last = None
    manager = cast(Any, model).objects
    ctx.progress(label, done_before, total)
    for chunk in chunks(rows, ctx.batch):
        manager.bulk_create(chunk, batch_size=ctx.batch)
        if on_batch is not None:
            on_batch(chunk)
        first = chunk[0].pk if first is None else first
        last = chunk[-1].pk
        done += len(chunk)
        ctx.progress(label, done_before + done, total)
    # bulk_create fills auto_now fields with the wall clock: reset them for reproducible rows.
    if done and any(f.name == "updated_at" for f in model._meta.fields):
        manager.filter(pk__gte=first, pk__lte=last).update(updated_at=REFERENCE_DATETIME)
    return done


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integer shares proportional to ``weights`` (largest remainder)."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0:
        return [
            total // len(weights) + (1 if i < total % len(weights) else 0)
            for i in range(len(weights))
        ]
    whole = sum(weights)
    exact = [rest * w / whole for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: rest - sum(shares)]:
        shares[i] += 1
    return [b + s for b, s in zip(base, shares, strict=True)]


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end]."""
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
