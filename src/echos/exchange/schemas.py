"""Request and response schemas of the network-of-support API."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from echos.core.api import one_of
from echos.exchange.models import (
    Challenge,
    Commitment,
    Invitation,
    SessionKind,
    StepStatus,
    SupportRequest,
    Twinning,
)

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, Field(max_length=10000)]


class ExchangeResourceOut(Schema):
    id: int
    title: str
    url: str


class CheckOut(Schema):
    met: bool
    text: str


class StepOut(Schema):
    id: int
    code: str
    title: str
    hint: str
    stage: str
    dimension: str
    owner: str
    due: dt.date | None
    status: str
    completed_on: dt.date | None
    evidence: str
    link: str
    overdue: bool
    check: CheckOut | None
    resources: list[ExchangeResourceOut]


class StageOfferOut(Schema):
    stage: str
    label: str
    date: dt.date
    evidence: str
    link: str
    hub: int | None


class RoadmapOut(Schema):
    id: int
    country: str
    national_hub: int | None
    hub_stage: str | None
    done: int
    total: int
    percent: int
    next_step: str | None
    offer: StageOfferOut | None
    notes: str
    is_demo: bool
    url: str
    steps: list[StepOut]


class RoadmapIn(Schema):
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")
    notes: str = Field("", max_length=5000)


class StepPatch(Schema):
    owner: str | None = Field(None, max_length=200)
    due: dt.date | None = None
    status: Annotated[str, one_of(StepStatus)] | None = None
    completed_on: dt.date | None = None
    evidence: str | None = Field(None, max_length=5000)
    link: str | None = Field(None, max_length=200)
    resources: list[Id] | None = Field(None, max_length=50, description="Ids of library resources")


class ExchangeStageChangeOut(Schema):
    hub: int
    stage: str
    date: dt.date
    evidence: str
    link: str
    stage_change: int


class CommitmentOut(Schema):
    id: int
    session: int
    hub: int
    owner: str
    what: str
    due: dt.date
    status: str
    done_on: dt.date | None
    overdue: bool
    is_demo: bool


class CommitmentIn(Schema):
    hub: Id
    owner: str = Field(min_length=1, max_length=200)
    what: str = Field(min_length=1, max_length=2000)
    due: dt.date


class CommitmentPatch(Schema):
    hub: Id | None = None
    owner: str | None = Field(None, min_length=1, max_length=200)
    what: str | None = Field(None, min_length=1, max_length=2000)
    due: dt.date | None = None
    status: Annotated[str, one_of(Commitment.Status)] | None = None
    done_on: dt.date | None = None


class ExchangeSessionOut(Schema):
    id: int
    event: int
    title: str
    kind: str
    start: str
    end: str
    country: str
    host_hubs: list[int]
    participating_hubs: list[int]
    countries: list[str]
    objectives: list[str]
    dimensions: list[str]
    goals: str
    materials: str
    conclusions: str
    next_steps: str
    challenges: list[str]
    dialogue_status: str
    commitments: list[CommitmentOut]
    resources: list[ExchangeResourceOut]
    source: str
    is_demo: bool
    url: str


class SessionFields(Schema):
    participating_hubs: list[Id] | None = Field(None, max_length=60)
    countries: list[Annotated[str, Field(min_length=2, max_length=2)]] | None = Field(
        None, max_length=60
    )
    objectives: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=10)
    dimensions: list[Annotated[str, Field(max_length=60)]] | None = Field(None, max_length=20)
    goals: Text | None = None
    materials: Text | None = None
    conclusions: Text | None = None
    next_steps: Text | None = None
    challenges: list[Annotated[str, one_of(Challenge)]] | None = Field(None, max_length=6)
    resources: list[Id] | None = Field(None, max_length=50, description="Ids of library resources")


class ExchangeSessionIn(SessionFields):
    hub: Id = Field(description="The host hub (organiser of the event)")
    co_hosts: list[Id] = Field([], max_length=20)
    kind: Annotated[str, one_of(SessionKind)]
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20000)
    format: str = Field(description="in_person, online or hybrid", max_length=10)
    languages: list[Annotated[str, Field(max_length=3)]] = Field(min_length=1, max_length=10)
    start: dt.datetime
    end: dt.datetime
    time_zone: str = Field("Europe/Brussels", max_length=64)
    online_url: str = Field("", max_length=200)


class InvitationIn(Schema):
    group: str = Field(max_length=40, description="Code of the stakeholder_groups vocabulary")
    name: str = Field("", max_length=250)
    organisation: Id | None = None


class InvitationStatusIn(Schema):
    status: Annotated[str, one_of(Invitation.Status)]


class InvitationOut(Schema):
    id: int
    group: str
    name: str
    organisation: int | None
    status: str


class DialogueOut(Schema):
    session: int
    dialogue_status: str
    missing_groups: list[str]
    invitations: list[InvitationOut]
    stage_offer_hub: int | None


class DialogueRecordIn(Schema):
    conclusions: str = Field(min_length=1, max_length=10000)
    next_steps: str = Field("", max_length=10000)


class MilestoneOut(Schema):
    id: int
    title: str
    due: dt.date
    done_on: dt.date | None


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due: dt.date


class NoteOut(Schema):
    id: int
    text: str
    at: str


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class TwinningOut(Schema):
    id: int
    title: str
    hubs: list[int]
    dimensions: list[str]
    goals: str
    start: dt.date
    end: dt.date
    duration_days: int
    practice: str
    adaptation: str
    outcome: str
    status: str
    levels_before: dict[str, dict[str, int | None]]
    levels_after: dict[str, dict[str, int | None]]
    milestones: list[MilestoneOut]
    notes: list[NoteOut]
    is_demo: bool
    url: str


Levels = dict[
    Annotated[str, Field(max_length=20)], dict[Annotated[str, Field(max_length=60)], int | None]
]


class TwinningIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    hubs: list[Id] = Field(min_length=2, max_length=12)
    dimensions: list[Annotated[str, Field(max_length=60)]] = Field(min_length=1, max_length=20)
    goals: str = Field(min_length=1, max_length=10000)
    start: dt.date
    end: dt.date
    practice: Text = ""
    adaptation: Text = ""
    milestones: list[MilestoneIn] = Field([], max_length=50)
    levels_before: Levels | None = None


class TwinningPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    goals: str | None = Field(None, min_length=1, max_length=10000)
    start: dt.date | None = None
    end: dt.date | None = None
    practice: Text | None = None
    adaptation: Text | None = None
    outcome: Text | None = None
    status: Annotated[str, one_of(Twinning.Status)] | None = None
    levels_before: Levels | None = None
    levels_after: Levels | None = None


class AnswerOut(Schema):
    id: int
    hub: int | None
    author: str
    text: str
    at: str


class ExchangeSuggestionOut(Schema):
    hub_id: int
    name: str
    reason: str


class SupportRequestOut(Schema):
    id: int
    hub: int
    title: str
    text: str
    dimension: str
    objective: str | None
    visibility: str
    asked_hubs: list[int]
    status: str
    created_at: str
    first_answered_at: str | None
    hours_to_first_answer: float | None
    closed_at: str | None
    answers: list[AnswerOut]
    is_demo: bool
    url: str


class SupportRequestIn(Schema):
    hub: Id
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=10000)
    dimension: str = Field("", max_length=60)
    objective: str | None = Field(None, max_length=40)
    visibility: Annotated[str, one_of(SupportRequest.Visibility)] = "network"
    asked_hubs: list[Id] = Field([], max_length=10)


class AnswerIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    hub: Id | None = None


class ExchangeStatusIn(Schema):
    status: Annotated[str, one_of(["open", "closed"])]


class PeerHubOut(Schema):
    id: int
    name: str
    country: str
    level: str
    archetype: str
    stage: str
    capacity: int


class PeerSuggestionOut(Schema):
    """One peer, with the reasons in words (numbers included) both ways and how its score adds up."""

    peer: PeerHubOut
    languages: str
    traits: list[str]
    you_learn: list[str]
    they_learn: list[str]
    benefit_to_you: int
    benefit_to_them: int
    score: int
    summary: str
    hosting: str


class PeersOut(Schema):
    hub: int
    maturity_shown: bool
    assessed: bool
    learn_from: list[PeerSuggestionOut]
    can_help: list[PeerSuggestionOut]
    similar: list[PeerSuggestionOut]


class ExchangeProfileIn(Schema):
    """A hub's exchange profile, every field given (PUT)."""

    capacity: int = Field(ge=0, le=20, description="Hubs it can mentor at once, 0 to 20.")
    languages: list[Annotated[str, Field(min_length=2, max_length=2)]] = Field(
        min_length=1, max_length=10, description="Working languages, ISO 639-1 codes."
    )
    open_to_mentoring: bool


class ExchangeProfileOut(Schema):
    """What peers and the pairing use for the hub: its profile, or the defaults
    (``from_profile`` false)."""

    hub: int
    from_profile: bool
    capacity: int
    languages: list[str]
    open_to_mentoring: bool
    effective_capacity: int
