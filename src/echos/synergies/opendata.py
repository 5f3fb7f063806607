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
            i.source_language, i.is_demo,
        )  # fmt: skip


def _translations(model, fields: tuple[str, ...]) -> Iterator[tuple]:
    """Every translation of ``fields`` of ``model``'s rows: (id, field, language, text) (#17)."""
    columns = ("pk", "key", "translations") if model is Initiative else ("pk", "translations")
    for obj in model.objects.order_by("pk").only(*columns).iterator(chunk_size=CHUNK):
        for language in sorted(obj.translations or {}):
            texts = obj.translations[language] or {}
            for field in fields:
                if texts.get(field):
                    yield (
                        obj.key if model is Initiative else obj.pk,
                        field,
                        language,
                        texts[field],
                    )


def _initiative_translations() -> Iterator[tuple]:
    yield from _translations(Initiative, ("name", "description"))


def _activity_translations() -> Iterator[tuple]:
    # The activities table publishes titles only; so do their translations.
    yield from _translations(Activity, ("title",))


def _activities() -> Iterator[tuple]:
    yield from values_rows(
        Activity.objects.all(),
        [
            "pk",
            "hub_id",
            "title",
            "source_language",
            "start",
            "end",
            "region_id",
            "origin",
            "is_demo",
        ],
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
            Field("source_language", "string", "ISO 639-1 code of name and description"),
            DEMO,
        ),
        rows=_initiatives,
    ),
    Table(
        name="initiative_translations",
        title="Translations of the initiatives",
        description="Names and descriptions of initiatives in other languages than written.",
        model="synergies.Initiative",
        fields=(
            Field("initiative", "string", "Key of the initiative"),
            Field("field", "string", "name or description"),
            Field("language", "string", "ISO 639-1 code of the translation"),
            Field("text", "string", "The translated text"),
        ),
        rows=_initiative_translations,
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
            Field("source_language", "string", "ISO 639-1 code of the title as written"),
            Field("start", "date", "Start"),
            Field("end", "date", "End"),
            Field("region", "string", "ISO 3166-2 code"),
            Field("origin", "string", "Where the activity was recorded"),
            DEMO,
        ),
        rows=_activities,
    ),
    Table(
        name="activity_translations",
        title="Translations of the activities' titles",
        description="Titles of activities in other languages than written.",
        model="synergies.Activity",
        fields=(
            Field("activity", "integer", "Activity identifier"),
            Field("field", "string", "title"),
            Field("language", "string", "ISO 639-1 code of the translation"),
            Field("text", "string", "The translated text"),
        ),
        rows=_activity_translations,
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
