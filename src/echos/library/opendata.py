"""Public tables of the library in the open-data dump (core.opendata; issue #15).

Metadata of the public resources only (the files stay on the library's pages, under their own
licences); never who uploaded or created a resource.
"""

import json
from collections.abc import Iterator

from echos.core.opendata import Field, Table, values_rows
from echos.library.models import Resource


def _resources() -> Iterator[tuple]:
    for row in values_rows(
        Resource.objects.public(),
        ["pk", "title", "language", "type", "url", "hub_id", "organisation_id", "licence",
         "published", "translation_group", "is_demo", "description", "source_language",
         "translations"],
    ):  # fmt: skip
        *head, translations = row
        yield (*head, json.dumps(translations or {}, ensure_ascii=False, sort_keys=True))


TABLES = [
    Table(
        name="library_resources",
        title="Library resources",
        description="Metadata of the library's public resources; translations share a group.",
        model="library.Resource",
        fields=(
            Field("id", "integer", "Resource identifier"),
            Field("title", "string", "Title"),
            Field("language", "string", "ISO 639-1 code"),
            Field("type", "string", "Resource type code"),
            Field("url", "string", "Link"),
            Field("hub", "integer", "Identifier of the hub that published it"),
            Field("organisation", "integer", "Identifier of the publishing organisation"),
            Field("licence", "string", "Licence"),
            Field("published", "date", "Publication date"),
            Field(
                "translation_group", "string", "Resources with the same group translate each other"
            ),
            Field("is_demo", "boolean", "Invented demonstration data, not a real fact"),
            Field("description", "string", "Description, in the source language"),
            Field("source_language", "string", "ISO 639-1 code of title and description"),
            Field(
                "translations",
                "string",
                'Title and description in other languages, JSON: {"fr": {"title": "…"}}',
            ),
        ),
        rows=_resources,
    ),
]
