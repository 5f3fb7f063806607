"""Public tables of engagement in the open-data dump (core.opendata; issue #15).

Engagement records' public facts (what, when, at which IAP2 level, how many took part, which
groups were reached) and the relationships between organisations. Never the stakeholder register
(influence, interest, notes, owner), never follow-ups, never who recorded anything.
"""

from collections.abc import Iterator

from echos.core.opendata import CHUNK, Field, Table, joined, values_rows
from echos.engagement.models import EngagementRecord, Relationship

DEMO = Field("is_demo", "boolean", "Invented demonstration data, not a real fact")


def _records() -> Iterator[tuple]:
    queryset = (
        EngagementRecord.objects.order_by("pk")
        .select_related("level")
        .prefetch_related("stakeholder_groups")
    )
    for r in queryset.iterator(chunk_size=CHUNK):
        yield (
            r.pk, r.hub_id, r.title, r.date, r.end_date, r.level.code,
            joined(g.code for g in r.stakeholder_groups.all()), r.participants, r.format,
            r.status, r.language, r.region_id, r.is_demo,
        )  # fmt: skip


def _relationships() -> Iterator[tuple]:
    yield from values_rows(
        Relationship.objects.all(),
        ["pk", "source_id", "target_id", "kind", "since", "until", "hub_id", "source_note",
         "is_demo"],
    )  # fmt: skip


TABLES = [
    Table(
        name="engagement_records",
        title="Engagement records",
        description="What the hubs did with their stakeholders, at which IAP2 engagement level.",
        model="engagement.EngagementRecord",
        fields=(
            Field("id", "integer", "Record identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("title", "string", "Title"),
            Field("date", "date", "Date (first day)"),
            Field("end_date", "date", "Last day"),
            Field("level", "string", "IAP2 engagement level code"),
            Field(
                "stakeholder_groups", "string", "Stakeholder group codes reached, separated by ;"
            ),
            Field("participants", "integer", "Number of participants"),
            Field("format", "string", "Format code"),
            Field("status", "string", "planned, held or cancelled"),
            Field("language", "string", "ISO 639-1 code"),
            Field("region", "string", "ISO 3166-2 code"),
            DEMO,
        ),
        rows=_records,
    ),
    Table(
        name="organisation_relationships",
        title="Relationships between organisations",
        description="Dated, typed ties between organisations, recorded by a hub with a source.",
        model="engagement.Relationship",
        fields=(
            Field("id", "integer", "Relationship identifier"),
            Field("source", "integer", "Identifier of the organisation the tie starts from"),
            Field("target", "integer", "Identifier of the organisation it goes to"),
            Field("kind", "string", "funds, represents, partners_with, hosts or member_of"),
            Field("since", "date", "Since"),
            Field("until", "date", "Until"),
            Field("hub", "integer", "Identifier of the hub that recorded it"),
            Field("source_note", "string", "Public source"),
            DEMO,
        ),
        rows=_relationships,
    ),
]
