"""Synthetic events and registrations for ``echos generate-data`` (the events app's generator steps).

Events spread over two years around the reference day, in every generated hub's country and time
zone; registrations are streamed in batches (only counters are held), with attendance recorded
for past events. Same seed, same rows (UIDs included). Generated people carry no real identity:
"Participant N" at ``generated.invalid``.
"""

import uuid
from collections.abc import Iterator
from datetime import timedelta

from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.multilingual import refresh_search_text
from echos.core.synthetic import REFERENCE_DATETIME, apportion, insert, step
from echos.events.models import Audience, Event, EventType, Format, Registration, country_timezone
from echos.hubs.generate import Context

UID_NAMESPACE = uuid.UUID("5b0e4a52-7f2c-4c36-9d0a-1f3f8f6c2a10")
OBJECTIVES = [
    "understanding",
    "prevention",
    "diagnosis_treatment",
    "quality_of_life",
    "equitable_access",
]
TYPES = [t.value for t in EventType]
TYPE_WEIGHTS = [1, 6, 1, 8, 10, 3, 8, 5, 1]
AUDIENCES = [a.value for a in Audience]
FORMATS = [f.value for f in Format]


@step("events", after="activities")
def generate_events(ctx: Context) -> int:
    """Events of the generated hubs, two years around the reference day."""
    rng = ctx.rng("events")
    hubs = [h for h in ctx.hubs if h.generated]
    if not hubs or not ctx.scale.events:
        return 0
    shares = apportion(ctx.scale.events, [ctx.country_weight(h.country) for h in hubs])
    ctx.event_capacity = []

    def rows() -> Iterator[Event]:
        n = 0
        for hub, share in zip(hubs, shares, strict=True):
            language = COUNTRY_LANGUAGE.get(hub.country, "en")
            tz = country_timezone(hub.country)
            for _ in range(share):
                n += 1
                kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
                fmt = rng.choice(FORMATS)
                start = REFERENCE_DATETIME + timedelta(
                    days=rng.randint(-365, 365), hours=rng.choice([7, 9, 12, 15, 16])
                )
                audiences = sorted(rng.sample(AUDIENCES, rng.randint(1, 3)))
                objectives = sorted(rng.sample(OBJECTIVES, rng.randint(1, 2)))
                capacity = rng.choice([None, 30, 50, 100, 200])
                ctx.event_capacity.append(capacity)
                event = Event(
                    # Stable for a seed, distinct from the events of an earlier run (new hub ids).
                    uid=uuid.uuid5(UID_NAMESPACE, f"{ctx.seed}:{hub.pk}:{n}"),
                    title=f"Synthetic {kind.replace('_', ' ')} {n} ({hub.country})",
                    description="Synthetic event generated for scale tests.",
                    type=kind,
                    hub_id=hub.pk,
                    format=fmt,
                    country_id=hub.country,
                    venue="" if fmt == "online" else f"Venue {n}",
                    online_url="" if fmt == "in_person" else f"https://meet.generated.invalid/{n}",
                    languages=f",{language},en," if language != "en" else ",en,",
                    audiences="," + ",".join(audiences) + ",",
                    objectives="," + ",".join(objectives) + ",",
                    start=start,
                    end=start + timedelta(hours=rng.choice([1, 2, 3, 6])),
                    time_zone=tz,
                    capacity=capacity,
                    status=rng.choices(
                        ["published", "cancelled", "postponed", "draft"], [90, 4, 2, 4]
                    )[0],
                    is_demo=True,
                    created_at=start - timedelta(days=60),
                    source_language="en",
                )
                # bulk_create skips save(): the folded search text is filled here (a fold of
                # ~80 characters, a few microseconds an event).
                refresh_search_text([event])
                yield event

    ctx.event_ids = []
    return insert(
        ctx,
        Event,
        "events",
        rows(),
        ctx.scale.events,
        on_batch=lambda chunk: ctx.event_ids.extend((e.pk, e.start) for e in chunk),
    )


@step("registrations", after="events")
def generate_registrations(ctx: Context) -> int:
    """Registrations spread over the events; past ones with attendance, full ones with a waitlist."""
    rng = ctx.rng("registrations")
    events = getattr(ctx, "event_ids", [])
    total = ctx.scale.registrations
    if not events or not total:
        return 0
    weights = [rng.random() + 0.2 for _ in events]
    shares = apportion(total, weights)
    public = [a for a in AUDIENCES if a in ("citizens", "patients_carers", "youth")]

    def rows() -> Iterator[Registration]:
        person = 0
        for (event_id, start), capacity, share in zip(
            events, ctx.event_capacity, shares, strict=True
        ):
            past = start < REFERENCE_DATETIME
            for i in range(share):
                person += 1
                if capacity is not None and i >= capacity:
                    status = Registration.Status.WAITLISTED
                elif past:
                    status = rng.choices(
                        [Registration.Status.ATTENDED, Registration.Status.NO_SHOW], [75, 25]
                    )[0]
                else:
                    status = rng.choices(
                        [Registration.Status.REGISTERED, Registration.Status.CANCELLED], [92, 8]
                    )[0]
                created = start - timedelta(days=rng.randint(1, 50), minutes=rng.randint(0, 900))
                audience = rng.choice(public) if rng.random() < 0.45 else rng.choice(AUDIENCES)
                yield Registration(
                    event_id=event_id,
                    name=f"Participant {person}",
                    email=f"participant-{person}@generated.invalid",
                    audience=audience,
                    status=status,
                    consent_at=created,
                    email_confirmed_at=created,
                    checked_in_at=start if status == Registration.Status.ATTENDED else None,
                    created_at=created,
                    is_demo=True,
                )

    return insert(ctx, Registration, "registrations", rows(), total)
