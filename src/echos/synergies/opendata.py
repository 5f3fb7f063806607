"""Public tables of synergies in the open-data dump (core.opendata; issue #15). Never personal data.

The catalogue of European initiatives, the hubs' activities and the synergy links they follow; the
links' notes and who created or decided anything are not published.
"""

from collections.abc import Iterator

from echos.core.opendata import CHUNK, Field, Table, joined, values_rows
from echos.synergies.models import Activity, Initiative, SynergyLink

DEMO = Field("is_demo", "boolean", "Invented demonstration data, not a real fact")


def _initiatives() -> Iterator[tuple]:
    queryset = Initiative.objects.order_by("pk").prefetch_related("countries")
    for i in queryset.iterator(chunk_size=CHUNK):
        yield (
            i.key, i.name, i.acronym, i.programme, i.description,
            joined(c.code for c in i.countries.all()), i.start, i.end, i.website, i.source,
            i.is_demo,
        )  # fmt: skip


def _activities() -> Iterator[tuple]:
    yield from values_rows(
        Activity.objects.all(),
        ["pk", "hub_id", "title", "language", "start", "end", "region_id", "origin", "is_demo"],
    )


def _links() -> Iterator[tuple]:
    yield from values_rows(
        SynergyLink.objects.all(),
        ["pk", "hub_id", "activity_id", "initiative__key", "other_activity_id", "status",
         "created_at", "status_changed_at"],
    )  # fmt: skip


TABLES = [
    Table(
        name="initiatives",
        title="European cancer initiatives",
        description="Mission projects, EBCP flagships, joint actions and networks, with sources.",
        model="synergies.Initiative",
        fields=(
            Field("key", "string", "Stable key"),
            Field("name", "string", "Name"),
            Field("acronym", "string", "Acronym"),
            Field("programme", "string", "Programme code"),
            Field("description", "string", "Description"),
            Field("countries", "string", "ISO codes of the countries involved, separated by ;"),
            Field("start", "string", "Start (year or year-month)"),
            Field("end", "string", "End (year or year-month)"),
            Field("website", "string", "Website"),
            Field("source", "string", "Public source"),
            DEMO,
        ),
        rows=_initiatives,
    ),
    Table(
        name="activities",
        title="Activities of the hubs",
        description="Activities that hubs record, which the synergy engine matches.",
        model="synergies.Activity",
        fields=(
            Field("id", "integer", "Activity identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("title", "string", "Title"),
            Field("language", "string", "ISO 639-1 code of the title"),
            Field("start", "date", "Start"),
            Field("end", "date", "End"),
            Field("region", "string", "ISO 3166-2 code"),
            Field("origin", "string", "Where the activity was recorded"),
            DEMO,
        ),
        rows=_activities,
    ),
    Table(
        name="synergy_links",
        title="Synergy links",
        description="Synergies a hub follows from first contact to collaboration.",
        model="synergies.SynergyLink",
        fields=(
            Field("id", "integer", "Link identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("activity", "integer", "Activity identifier"),
            Field("initiative", "string", "Key of the linked initiative"),
            Field("other_activity", "integer", "Identifier of the linked activity"),
            Field("status", "string", "proposed, contacted, collaborating or concluded"),
            Field("created_at", "datetime", "Created (UTC)"),
            Field("status_changed_at", "datetime", "Status last changed (UTC)"),
        ),
        rows=_links,
    ),
]
