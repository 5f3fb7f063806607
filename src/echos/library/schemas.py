"""Schemas of the library API: resources (with snippets when searched), versions, and the input."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from echos.core.api import one_of
from echos.library.models import ResourceType, Visibility

MAX_ID = 2**63 - 1
TAGS_HELP = (
    "Tags as vocabulary:code (objectives, dimensions, stakeholder_groups, stages, policy_areas)"
)


class VersionOut(Schema):
    number: int
    file: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: str
    download: str


class ResourceOut(Schema):
    """A resource; ``snippet`` (HTML with ``<mark>``, text escaped) and ``rank`` when searched."""

    id: int
    title: str
    description: str
    language: str = Field(description="The language of the document itself (ISO 639-1)")
    source_language: str = Field(description="The language of title and description")
    catalogue_translations: dict[str, dict[str, str]] = Field(
        description="Title and description in other languages: {language: {field: text}}"
    )
    type: str
    url: str
    hub: int | None
    organisation: int | None
    licence: str
    published: str | None
    visibility: str
    translation_group: str
    tags: list[str]
    text_status: str
    download_count: int
    latest_version: VersionOut | None
    created_at: str
    updated_at: str
    page: str
    snippet: str | None = None
    rank: float | None = None


class ResourceDetailOut(ResourceOut):
    """A resource with its version history and the ids of the same document in other languages
    (those the caller may read): ``translations`` as since v1, and ``other_languages``, the same
    ids under a name that cannot be mistaken for the catalogue text's translations (#17)."""

    versions: list[VersionOut]
    translations: list[int] = Field(description="Ids of the same document in other languages")
    other_languages: list[int]


class ResourceIn(Schema):
    """A new resource (multipart form): ``file`` or ``url``."""

    title: str = Field(max_length=300)
    description: str = Field("", max_length=20_000)
    language: str = Field(max_length=8, description="ISO 639-1 code, e.g. pt")
    type: Annotated[str, one_of(ResourceType)]
    url: str = Field("", max_length=1000, description="An http(s) link, instead of a file")
    tags: list[Annotated[str, Field(max_length=80)]] = Field(
        [], max_length=40, description=TAGS_HELP
    )
    hub: int | None = Field(None, ge=1, le=MAX_ID)
    organisation: int | None = Field(None, ge=1, le=MAX_ID)
    licence: str = Field("", max_length=120)
    published: dt.date | None = None
    visibility: Annotated[str, one_of(Visibility)] = Visibility.PUBLIC
    translation_of: int | None = Field(
        None, ge=1, le=MAX_ID, description="Id of the resource this one translates"
    )
    source_language: str = Field(
        "", max_length=8, description="Language of title and description (default: language)"
    )
    catalogue_translations: str = Field(
        "",
        max_length=200_000,
        description='JSON object of title and description in other languages: {"fr": {"title": …}}',
    )


class ResourcePatch(Schema):
    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    language: str | None = Field(None, max_length=8)
    type: Annotated[str, one_of(ResourceType)] | None = None
    url: str | None = Field(None, max_length=1000)
    tags: list[Annotated[str, Field(max_length=80)]] | None = Field(
        None, max_length=40, description=TAGS_HELP
    )
    hub: int | None = Field(None, ge=1, le=MAX_ID)
    organisation: int | None = Field(None, ge=1, le=MAX_ID)
    licence: str | None = Field(None, max_length=120)
    published: dt.date | None = None
    visibility: Annotated[str, one_of(Visibility)] | None = None
    source_language: str | None = Field(None, max_length=8)
    catalogue_translations: dict[str, dict[str, str | None] | None] | None = Field(
        None, description="Title and description in other languages (replaces them all)"
    )
