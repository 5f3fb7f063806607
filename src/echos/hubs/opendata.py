"""Public tables of hubs in the open-data dump (core.opendata; issue #15). Never personal data.

Hubs, their lifecycle history, organisations and memberships are public on the registry's pages;
contact people, roles on hubs and who recorded a change are not, and are not here.
"""

from echos.core.multilingual import every_language
from echos.core.opendata import Field, Table, values_rows
from echos.hubs.models import Hub, Membership, Organisation, StageChange


def _hubs():
    yield from values_rows(
        Hub.objects.all(),
        [
            "pk", "country_id", "level", "parent_id", "region_id", "name", "name_en", "website",
            "host_organisation_id", "archetype", "stage", "stage_since", "latitude", "longitude",
            "source_language", "is_demo",
        ],
    )  # fmt: skip


def _hub_texts():
    """The mission of each hub in every language: the source text, then each translation (#17)."""
    queryset = Hub.objects.order_by("pk").only("pk", "mission", "source_language", "translations")
    for hub in queryset.iterator(chunk_size=2000):
        for language, text in every_language(hub, "mission").items():
            if text:
                yield (hub.pk, "mission", language, language == hub.source_language, text)


def _stage_changes():
    yield from values_rows(
        StageChange.objects.all(), ["pk", "hub_id", "stage", "date", "date_precision", "link"]
    )


def _organisations():
    yield from values_rows(
        Organisation.objects.all(),
        ["pk", "name", "stakeholder_group__code", "country_id", "region_id", "website", "source",
         "is_demo"],
    )  # fmt: skip


def _memberships():
    yield from values_rows(
        Membership.objects.exclude(status=Membership.Status.DECLINED),
        [
            "pk",
            "hub_id",
            "organisation_id",
            "role",
            "since",
            "until",
            "status",
            "source",
            "is_demo",
        ],
    )


DEMO = Field("is_demo", "boolean", "Invented demonstration data, not a real fact")

TABLES = [
    Table(
        name="hubs",
        title="Cancer Mission Hubs",
        description="National, regional and local hubs with their lifecycle stage.",
        model="hubs.Hub",
        fields=(
            Field("id", "integer", "Hub identifier"),
            Field("country", "string", "ISO 3166-1 alpha-2 code"),
            Field("level", "string", "national, regional or local"),
            Field("parent", "integer", "Identifier of the parent hub"),
            Field("region", "string", "ISO 3166-2 code of the region"),
            Field("name", "string", "Name in the local language"),
            Field("name_en", "string", "Name in English"),
            Field("website", "string", "Website"),
            Field("host_organisation", "integer", "Identifier of the host organisation"),
            Field("archetype", "string", "Organisational archetype"),
            Field("stage", "string", "Current lifecycle stage"),
            Field("stage_since", "date", "In this stage since"),
            Field("latitude", "number", "Latitude (WGS 84)"),
            Field("longitude", "number", "Longitude (WGS 84)"),
            Field("source_language", "string", "ISO 639-1 code of the language of the mission"),
            DEMO,
        ),
        rows=_hubs,
    ),
    Table(
        name="hub_texts",
        title="Hub missions in every language",
        description="Each hub's mission statement as written and in each of its translations.",
        model="hubs.Hub",
        fields=(
            Field("hub", "integer", "Hub identifier"),
            Field("field", "string", "Which text: mission"),
            Field("language", "string", "ISO 639-1 code of the text"),
            Field("is_source", "boolean", "The text as written (not a translation)"),
            Field("text", "string", "The text"),
        ),
        rows=_hub_texts,
    ),
    Table(
        name="hub_stage_changes",
        title="Lifecycle history of the hubs",
        description="Every dated change of a hub's lifecycle stage, with its evidence link.",
        model="hubs.StageChange",
        fields=(
            Field("id", "integer", "Change identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("stage", "string", "Stage reached"),
            Field("date", "date", "Date of the change"),
            Field("date_precision", "string", "Precision of the date: day, month or year"),
            Field("link", "string", "Link to the public evidence"),
        ),
        rows=_stage_changes,
    ),
    Table(
        name="organisations",
        title="Organisations",
        description="Organisations of the registry with their stakeholder group.",
        model="hubs.Organisation",
        fields=(
            Field("id", "integer", "Organisation identifier"),
            Field("name", "string", "Name of the organisation"),
            Field("stakeholder_group", "string", "Stakeholder group code (vocabularies)"),
            Field("country", "string", "ISO 3166-1 alpha-2 code"),
            Field("region", "string", "ISO 3166-2 code"),
            Field("website", "string", "Website"),
            Field("source", "string", "Public source"),
            DEMO,
        ),
        rows=_organisations,
    ),
    Table(
        name="hub_memberships",
        title="Memberships of hubs",
        description="Organisations' memberships of hubs (declined ones are left out).",
        model="hubs.Membership",
        fields=(
            Field("id", "integer", "Membership identifier"),
            Field("hub", "integer", "Hub identifier"),
            Field("organisation", "integer", "Organisation identifier"),
            Field("role", "string", "coordinating_group, founding_member, member or observer"),
            Field("since", "date", "Member since"),
            Field("until", "date", "Member until"),
            Field("status", "string", "pending or confirmed by the organisation"),
            Field("source", "string", "Public source"),
            DEMO,
        ),
        rows=_memberships,
    ),
]
