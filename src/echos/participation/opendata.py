"""Public tables of participation in the open-data dump (core.opendata; issue #15).

Consultations and their aggregate results (the tallies of confirmed answers per question and
option), and the proposals' public facts. Never an answer, an answer's personal fields, a name
shown, a comment or who contributed.
"""

import json
from collections.abc import Iterator

from echos.core.opendata import Field, Table, values_rows
from echos.participation.models import AnswerTally, Consultation, Proposal


def _consultations() -> Iterator[tuple]:
    for row in values_rows(
        Consultation.objects.all(),
        ["pk", "hub_id", "title", "languages", "opens_at", "closes_at", "confirmed_count",
         "follow_up_published_at", "is_demo", "source_language", "translations"],
    ):  # fmt: skip
        texts = _title_translations(row[10])  # never the follow-up (not in the table)
        yield (
            row[:3]
            + (";".join(row[3] or []),)
            + row[4:10]
            + (json.dumps(texts, ensure_ascii=False, sort_keys=True),)
        )


def _title_translations(translations) -> dict:
    """The title and description of a consultation in other languages (never the follow-up)."""
    out = {}
    for language, fields in (translations or {}).items():
        kept = {k: v for k, v in (fields or {}).items() if k in ("title", "description")}
        if kept:
            out[language] = kept
    return out


def _results() -> Iterator[tuple]:
    yield from values_rows(
        AnswerTally.objects.all(), ["consultation_id", "question", "option", "count"]
    )


def _proposals() -> Iterator[tuple]:
    yield from values_rows(
        Proposal.objects.confirmed().filter(is_hidden=False),
        ["pk", "hub_id", "consultation_id", "title", "status", "support_count", "comment_count",
         "answered_at", "created_at", "is_demo", "language"],
    )  # fmt: skip


DEMO = Field("is_demo", "boolean", "Invented demonstration data, not a real fact")

TABLES = [
    Table(
        name="consultations",
        title="Public consultations",
        description="The hubs' public consultations with the number of confirmed answers.",
        model="participation.Consultation",
        fields=(
            Field("id", "integer", "Consultation identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("title", "string", "Title"),
            Field("languages", "string", "ISO 639-1 codes, separated by ;"),
            Field("opens_at", "datetime", "Opens (UTC)"),
            Field("closes_at", "datetime", "Closes (UTC)"),
            Field("confirmed_answers", "integer", "Number of confirmed answers"),
            Field("follow_up_published_at", "datetime", "When the follow-up was published (UTC)"),
            DEMO,
            Field("source_language", "string", "ISO 639-1 code of the title"),
            Field(
                "translations",
                "string",
                'Title and description in other languages, JSON: {"fr": {"title": "…"}}',
            ),
        ),
        rows=_consultations,
    ),
    Table(
        name="consultation_results",
        title="Results of the consultations",
        description=(
            "Confirmed answers per question and option; an empty option counts who answered the "
            "question. Aggregates only."
        ),
        model="participation.AnswerTally",
        fields=(
            Field("consultation", "integer", "Consultation identifier"),
            Field("question", "string", "Question code"),
            Field("option", "string", "Option code (empty: answered the question)"),
            Field("count", "integer", "Number of confirmed answers"),
        ),
        rows=_results,
    ),
    Table(
        name="proposals",
        title="Proposals",
        description="Confirmed, visible proposals with their status and counts (no author).",
        model="participation.Proposal",
        fields=(
            Field("id", "integer", "Proposal identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("consultation", "integer", "Consultation identifier"),
            Field("title", "string", "Title"),
            Field("status", "string", "Status code"),
            Field("supports", "integer", "Number of supports"),
            Field("comments", "integer", "Number of comments"),
            Field("answered_at", "datetime", "When the hub answered (UTC)"),
            Field("created_at", "datetime", "Submitted (UTC)"),
            DEMO,
            Field("language", "string", 'ISO 639-1 code the author wrote in ("" if unknown)'),
        ),
        rows=_proposals,
    ),
]
