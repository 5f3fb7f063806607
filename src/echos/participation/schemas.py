"""Response schemas of the participation API: consultations, results, proposals, comments, moderation."""

from typing import Any

from ninja import Schema
from pydantic import Field

# Options of a choice question have text values; the levels of a scale keep the definition's value.
OptionValue = str | int


class InstrumentRefOut(Schema):
    code: str
    version: int


class OptionOut(Schema):
    value: OptionValue
    label: str


class QuestionOut(Schema):
    code: str
    type: str
    text: str
    required: bool
    options: list[OptionOut]
    show_if: dict[str, Any] | None


class ConsultationOut(Schema):
    """A consultation; ``follow_up`` and its date are null until the hub publishes them."""

    id: int
    hub: int
    title: str
    description: str
    source_language: str = Field(description="The language of title, description and follow-up")
    translations: dict[str, dict[str, str]] = Field(
        description="The text in other languages: {language: {field: text}}"
    )
    languages: list[str]
    opens_at: str | None
    closes_at: str | None
    state: str
    mode: str
    instrument: InstrumentRefOut
    answers: int
    follow_up: str | None
    follow_up_published_at: str | None
    is_demo: bool
    url: str


class ConsultationDetailOut(ConsultationOut):
    questions: list[QuestionOut]


class ResultOptionOut(Schema):
    value: str
    label: str
    count: int


class ResultQuestionOut(Schema):
    code: str
    type: str
    text: str
    answered: int
    options: list[ResultOptionOut]


class ResultsOut(Schema):
    """Confirmed answers per question and option; ``final`` once the consultation has closed."""

    consultation: int
    answers: int
    final: bool
    questions: list[ResultQuestionOut]


class ProposalOut(Schema):
    id: int
    hub: int
    consultation: int | None
    title: str
    body: str
    language: str = Field(description="The language the author wrote in (never translated)")
    author: str | None
    created_at: str | None
    status: str
    answer: str
    source_language: str = Field(description="The language of the hub's answer")
    translations: dict[str, dict[str, str]] = Field(
        description='The answer in other languages: {"fr": {"answer": …}}'
    )
    answered_at: str | None
    supports: int
    comments: int
    is_demo: bool
    url: str


class CommentOut(Schema):
    id: int
    proposal: int
    body: str
    language: str
    author: str | None
    created_at: str | None


class ModerationEntryOut(Schema):
    at: str | None
    action: str
    reason: str


class ProposalDetailOut(ProposalOut):
    comment_list: list[CommentOut]
    moderation: list[ModerationEntryOut]


class ModerationOut(Schema):
    """A moderation action on a proposal or (then ``proposal`` is null) a comment."""

    id: int
    action: str
    reason: str
    proposal: int | None
    comment: int | None
    at: str | None
