"""Synthetic consultations and confirmed answers with their tallies, streamed in batches.

``generate_answers`` is the generator step of participation (``consultation_answers``): one
consultation per chosen hub with the standard questionnaire, answers spread over them, rows
written with ``bulk_create`` in batches of ``batch`` so memory stays bounded (only the tallies,
one counter per consultation and option, are held). The same seed gives the same rows.
Generated answers carry no identity (no account, no e-mail) and are marked demo.
"""

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice

from django.db import transaction

from echos.core.multilingual import refresh_search_text
from echos.core.synthetic import step
from echos.hubs.generate import Context
from echos.participation import services
from echos.participation.models import Answer, AnswerTally, Consultation
from echos.questionnaires import engine

ANSWERS_PER_CONSULTATION = 100
REFERENCE = datetime(2026, 1, 1, tzinfo=UTC)
TEXTS = [
    "More information in plain language, please.",
    "Evening and weekend screening slots would help working people.",
    "Involve patient organisations from the start.",
    "Transport to the hospital is the biggest problem in rural areas.",
    "Information in more languages.",
    "Support for carers and families after treatment.",
]

Progress = Callable[[str, int, int], None]


def _no_progress(label: str, done: int, total: int) -> None:
    pass


def synthetic_answers(rng: random.Random, questions: list) -> dict:
    """One plausible set of answers in the engine's format, following the conditions."""
    answers: dict = {}
    for q in questions:
        if not engine.is_visible(q, answers):
            continue
        if not q.required and rng.random() < 0.3:
            continue
        if q.type == "single":
            answers[q.code] = rng.choice(q.options)[0]
        elif q.type == "multiple":
            values = [v for v, _label in q.options]
            k = rng.randint(1, min(len(values), q.spec.get("max_choices") or 3))
            chosen = set(rng.sample(values, k))
            answers[q.code] = [v for v in values if v in chosen]
        elif q.type == "scale":
            answers[q.code] = int(rng.choice(q.spec["levels"])["value"])
        elif q.type == "text":
            if rng.random() < 0.4:
                answers[q.code] = rng.choice(TEXTS)
    return answers


def _chunks(rows, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_answers(
    plan: list[tuple[Consultation, int]],
    *,
    rng: random.Random,
    batch: int = 5000,
    progress: Progress | None = None,
    label: str = "consultation answers",
) -> int:
    """Write ``n`` confirmed, identity-free answers for each (consultation, n) and add them to the tallies."""
    progress = progress or _no_progress
    total = sum(n for _c, n in plan)
    counts: dict[tuple[int, str, str], int] = {}
    per_consultation: dict[int, int] = {}
    cache: dict[int, tuple[dict, list, dict]] = {}

    def rows() -> Iterator[Answer]:
        for consultation, n in plan:
            definition = consultation.instrument.definition
            if consultation.instrument_id not in cache:
                cache[consultation.instrument_id] = (
                    definition,
                    engine.questions(definition),
                    services.question_types(definition),
                )
            _definition, questions, types = cache[consultation.instrument_id]
            span = max(1, int((consultation.closes_at - consultation.opens_at).total_seconds()))
            for _i in range(n):
                answers = synthetic_answers(rng, questions)
                at = consultation.opens_at + timedelta(seconds=rng.randrange(span))
                for q, o in services.tally_pairs(definition, answers, types):
                    key = (consultation.pk, q, o)
                    counts[key] = counts.get(key, 0) + 1
                per_consultation[consultation.pk] = per_consultation.get(consultation.pk, 0) + 1
                yield Answer(
                    consultation_id=consultation.pk,
                    answers=answers,
                    language="en",
                    created_at=at,
                    confirmed_at=at,
                    is_demo=True,
                )

    done = 0
    progress(label, 0, total)
    for chunk in _chunks(rows(), batch):
        Answer.objects.bulk_create(chunk, batch_size=batch)
        done += len(chunk)
        progress(label, done, total)
    ids = [c.pk for c, _n in plan]
    existing = {
        (t.consultation_id, t.question, t.option): t
        for t in AnswerTally.objects.filter(consultation_id__in=ids)
    }
    changed, new = [], []
    for (cid, q, o), n in counts.items():
        cell = existing.get((cid, q, o))
        if cell is None:
            new.append(AnswerTally(consultation_id=cid, question=q, option=o, count=n))
        else:
            cell.count += n
            changed.append(cell)
    AnswerTally.objects.bulk_update(changed, ["count"], batch_size=batch)
    AnswerTally.objects.bulk_create(new, batch_size=batch)
    consultations = [c for c, _n in plan]
    for c in consultations:
        c.confirmed_count += per_consultation.get(c.pk, 0)
    Consultation.objects.bulk_update(consultations, ["confirmed_count"], batch_size=batch)
    return done


@transaction.atomic
def generate_answers(
    hub_ids: list[int],
    *,
    count: int,
    seed: int,
    progress: Progress | None = None,
    batch: int = 5000,
) -> int:
    """Consultations of some of ``hub_ids`` (one each, ~100 answers per consultation) and ``count`` answers."""
    if count <= 0 or not hub_ids:
        return 0
    rng = random.Random(f"echos-generate:{seed}:consultation_answers")
    instrument = services.standard_instrument()
    hubs = sorted(hub_ids)
    chosen = sorted(rng.sample(hubs, min(len(hubs), max(1, count // ANSWERS_PER_CONSULTATION))))
    cells = services.tally_cells(instrument.definition)
    consultations = []
    for hub_id in chosen:
        opens = REFERENCE - timedelta(days=rng.randint(30, 400))
        consultations.append(
            Consultation(
                hub_id=hub_id,
                instrument=instrument,
                title=f"Synthetic consultation on priorities ({hub_id})",
                description="Synthetic consultation generated for load tests.",
                languages=["en"],
                source_language="en",
                opens_at=opens,
                closes_at=opens + timedelta(days=rng.choice([14, 30, 60])),
                is_demo=True,
                created_at=opens,
            )
        )
    refresh_search_text(consultations)  # bulk_create skips save()
    Consultation.objects.bulk_create(consultations, batch_size=batch)
    for chunk in _chunks(((c, q, o) for c in consultations for q, o in cells), batch):
        AnswerTally.objects.bulk_create(
            [AnswerTally(consultation_id=c.pk, question=q, option=o) for c, q, o in chunk]
        )
    weights = [rng.uniform(0.5, 1.5) for _c in consultations]
    whole = sum(weights)
    shares = [int(count * w / whole) for w in weights]
    for i in range(count - sum(shares)):
        shares[i % len(shares)] += 1
    return bulk_answers(
        list(zip(consultations, shares, strict=True)), rng=rng, batch=batch, progress=progress
    )


@step("consultation_answers", after="registrations")
def generate_consultation_answers(ctx: Context) -> int:
    """Public consultations of some generated hubs and their confirmed answers."""
    hubs = [h.pk for h in ctx.hubs if h.generated]
    return generate_answers(
        hubs,
        count=ctx.scale.consultation_answers,
        seed=ctx.seed,
        progress=ctx.progress,
        batch=ctx.batch,
    )
