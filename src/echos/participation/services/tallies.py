"""Consultation tallies: the cells a questionnaire counts and what one confirmed answer adds."""

from django.db.models import F, Q

from echos.participation.models import Answer, AnswerTally, Consultation
from echos.questionnaires import engine


def tally_cells(definition: dict) -> list[tuple[str, str]]:
    """Every (question, option) a consultation counts: "" for "answered", options of choice questions."""
    cells = []
    for q in engine.questions(definition):
        cells.append((q.code, ""))
        if q.type in {"single", "multiple"}:
            cells.extend((q.code, value) for value, _label in q.options)
        elif q.type == "scale":
            cells.extend((q.code, str(level["value"])) for level in q.spec.get("levels", []))
    return cells


def question_types(definition: dict) -> dict[str, str]:
    """Question code → type, for counting many answers to one definition."""
    return {q.code: q.type for q in engine.questions(definition)}


def tally_pairs(
    definition: dict, answers: dict, types: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """The (question, option) cells one set of cleaned answers adds 1 to."""
    types = types or question_types(definition)
    pairs = []
    for code, value in answers.items():
        kind = types.get(code)
        if kind is None:
            continue
        pairs.append((code, ""))
        if kind == "multiple":
            pairs.extend((code, str(v)) for v in value)
        elif kind in {"single", "scale"}:
            pairs.append((code, str(value)))
    return pairs


def _tally(answer: Answer) -> None:
    """Add a confirmed answer to its consultation's tallies (same transaction as the confirmation)."""
    pairs = tally_pairs(answer.consultation.instrument.definition, answer.answers)
    if pairs:
        match = Q(pk__in=[])
        for question, option in pairs:
            match |= Q(question=question, option=option)
        cells = AnswerTally.objects.filter(match, consultation_id=answer.consultation_id)
        updated = cells.update(count=F("count") + 1)
        if updated < len(pairs):
            # A cell not created with the consultation (a vocabulary option added later).
            known = set(cells.values_list("question", "option"))
            AnswerTally.objects.bulk_create(
                [
                    AnswerTally(
                        consultation_id=answer.consultation_id, question=q, option=o, count=1
                    )
                    for q, o in pairs
                    if (q, o) not in known
                ]
            )
    Consultation.objects.filter(pk=answer.consultation_id).update(
        confirmed_count=F("confirmed_count") + 1
    )
