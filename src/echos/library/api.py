"""The library over JSON: list and search (with snippets), one resource, and its owners' writes.

Reads show only what the caller may see (a token shows more); a resource the caller may not see
answers 404 to reads and writes alike. Uploads are multipart; every refusal names its field and
stores nothing.
"""

import json

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile

from echos.core.api import TokenAuth, api_user, page_of
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub, Organisation
from echos.library import permissions as perms
from echos.library import search, services, vocab
from echos.library.models import Resource, ResourceType, ResourceVersion
from echos.library.schemas import (
    MAX_ID,
    ResourceDetailOut,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    VersionOut,
)

router = Router(tags=["library"])
auth = TokenAuth()
NULLABLE = {"hub", "organisation", "published"}


def version_out(v: ResourceVersion) -> dict:
    return {
        "number": v.number,
        "file": v.original_name,
        "content_type": v.content_type,
        "size": v.size,
        "sha256": v.sha256,
        "uploaded_at": v.uploaded_at.isoformat(),
        "download": reverse("library:download", args=[v.resource_id, v.number]),
    }


def resource_out(r: Resource, snippet: str | None = None, rank: float | None = None) -> dict:
    versions = sorted(r.versions.all(), key=lambda v: -v.number)
    return {
        "id": r.pk,
        "title": r.title,
        "description": r.description,
        "language": r.language,
        "source_language": r.source_language,
        "catalogue_translations": r.translations or {},
        "type": r.type,
        "url": r.url,
        "hub": r.hub_id,
        "organisation": r.organisation_id,
        "licence": r.licence,
        "published": r.published.isoformat() if r.published else None,
        "visibility": r.visibility,
        "translation_group": str(r.translation_group),
        "tags": [f"{t.vocabulary}:{t.code}" for t in r.tags.all()],
        "text_status": r.text_status,
        "download_count": r.download_count,
        "latest_version": version_out(versions[0]) if versions else None,
        "created_at": r.created_at.isoformat(),
        "updated_at": r.updated_at.isoformat(),
        "page": r.get_absolute_url(),
        "snippet": snippet,
        "rank": rank,
    }


def _with_parts(qs):
    """Tags and versions (without their text) in two queries for a whole page."""
    return qs.prefetch_related(
        "tags", Prefetch("versions", queryset=ResourceVersion.objects.defer("text"))
    )


def _readable(request, resource_id: int) -> Resource:
    resource = get_object_or_404(Resource, pk=resource_id)
    if not perms.can_view_resource(request.user, resource):
        raise Http404
    return resource


def _tags(values: list[str], field: str) -> list[tuple[str, str]]:
    return vocab.check_tags([vocab.parse_tag(t, field) for t in values], field)


def _hub(pk: int | None) -> Hub | None:
    if pk is None:
        return None
    hub = Hub.objects.filter(pk=pk).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    return hub


def _organisation(pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise RuleViolation("No such organisation.", "organisation")
    return organisation


def _json_translations(text: str) -> dict:
    """The ``catalogue_translations`` form field of a multipart upload: a JSON object (or nothing)."""
    if not (text or "").strip():
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep
        value = None
    if not isinstance(value, dict):
        raise RuleViolation(
            _('Give translations as a JSON object: {"fr": {"title": "…"}}.'),
            "catalogue_translations",
        )
    return value


@router.get(
    "/resources",
    response=page_of(ResourceOut),
    summary="Resources of the library; with q, a full-text search with snippets",
)
def list_resources(
    request,
    q: str = Query("", max_length=200, description="Words to find (two characters at least)"),
    language: str = Query("", max_length=8, description="ISO 639-1 code"),
    type: str = Query("", description=", ".join(ResourceType.values)),
    tag: list[str] = Query([], description="vocabulary:code, repeatable (all required)"),
    limit: int = Query(20, ge=1, le=search.MAX_PER_PAGE),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    user = api_user(request)
    if type and type not in ResourceType.values:
        raise RuleViolation("Unknown type of resource.", "type")
    lang = vocab.check_language(language) if language else None
    tags = _tags(tag[:40], "tag")
    if q or "q" in request.GET:
        found = search.search(
            q,
            user=user,
            per_page=limit,
            offset=offset,
            prefer_language=(get_language() or "en")[:2],
            language=lang,
            type=type or None,
            tags=tags,
        )
        ids = [hit.resource.pk for hit in found.results]
        rows = _with_parts(Resource.objects.filter(pk__in=ids)).in_bulk(ids)
        return {
            "count": found.count,
            "items": [
                resource_out(rows[hit.resource.pk], str(hit.snippet), hit.rank)
                for hit in found.results
                if hit.resource.pk in rows
            ],
        }
    qs = search.filtered(user, language=lang, type=type or None, tags=tags)
    qs = qs.order_by("-created_at", "-pk")
    count = qs.count()
    page = _with_parts(qs)[offset : offset + limit] if offset < count else []
    return {"count": count, "items": [resource_out(r) for r in page]}


@router.get("/resources/{resource_id}", response=ResourceDetailOut)
def get_resource(request, resource_id: int = Path(..., ge=1, le=MAX_ID)):
    request.user = api_user(request)
    resource = _readable(request, resource_id)
    other_languages = (
        Resource.objects.visible_to(request.user)
        .filter(translation_group=resource.translation_group)
        .exclude(pk=resource.pk)
        .values_list("pk", flat=True)
    )
    resource = _with_parts(Resource.objects.filter(pk=resource.pk)).get()
    return resource_out(resource) | {
        "versions": [
            version_out(v) for v in sorted(resource.versions.all(), key=lambda v: -v.number)
        ],
        "translations": list(other_languages),
        "other_languages": list(other_languages),
    }


@router.post("/resources", response={201: ResourceDetailOut}, auth=auth)
def create_resource(request, payload: Form[ResourceIn], file: UploadedFile | None = File(None)):
    """Add a document (multipart ``file``) or a link (``url``)."""
    data = payload.dict()
    translation_of = None
    if data.get("translation_of") is not None:
        translation_of = Resource.objects.filter(pk=data["translation_of"]).first()
        if translation_of is None or not perms.can_view_resource(request.user, translation_of):
            raise RuleViolation("No such resource to translate.", "translation_of")
    try:
        resource = _create(request, data, file, translation_of)
    except RuleViolation as exc:
        raise _catalogue_field(exc) from None
    return Status(201, get_resource(request, resource.pk))


def _create(request, data: dict, file, translation_of) -> Resource:
    return services.create_resource(
        actor=request.user,
        title=data["title"],
        description=data["description"],
        language=vocab.check_language(data["language"]),
        type=data["type"],
        tags=_tags(data["tags"], "tags"),
        file=file,
        url=data["url"],
        hub=_hub(data["hub"]),
        organisation=_organisation(data["organisation"]),
        licence=data["licence"],
        published=data["published"],
        visibility=data["visibility"],
        translation_of=translation_of,
        source_language=data["source_language"],
        translations=_json_translations(data["catalogue_translations"]),
    )


def _catalogue_field(exc: RuleViolation) -> RuleViolation:
    """The API names the catalogue text's translations ``catalogue_translations`` (``translations``
    has meant the ids of the same document in other languages since v1)."""
    if exc.field and exc.field.split(".")[0] == "translations":
        exc.field = "catalogue_" + exc.field
    return exc


@router.patch("/resources/{resource_id}", response=ResourceDetailOut, auth=auth)
def patch_resource(request, payload: ResourcePatch, resource_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change fields of a resource (its owners: uploader, hub team, network)."""
    resource = _readable(request, resource_id)
    changes = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in NULLABLE
    }
    tags = _tags(changes.pop("tags"), "tags") if "tags" in changes else None
    if "hub" in changes:
        changes["hub"] = _hub(changes["hub"])
    if "organisation" in changes:
        changes["organisation"] = _organisation(changes["organisation"])
    if "catalogue_translations" in changes:
        changes["translations"] = changes.pop("catalogue_translations")
    try:
        services.update_resource(actor=request.user, resource=resource, tags=tags, **changes)
    except RuleViolation as exc:
        raise _catalogue_field(exc) from None
    return get_resource(request, resource.pk)


@router.post("/resources/{resource_id}/versions", response={201: VersionOut}, auth=auth)
def add_version(
    request, resource_id: int = Path(..., ge=1, le=MAX_ID), file: UploadedFile = File(...)
):
    """Upload a new file for a document; older versions stay downloadable."""
    resource = _readable(request, resource_id)
    version = services.add_version(actor=request.user, resource=resource, file=file)
    return Status(201, version_out(version))


@router.delete("/resources/{resource_id}", response={204: None}, auth=auth)
def delete_resource(request, resource_id: int = Path(..., ge=1, le=MAX_ID)):
    """Delete a resource and all its versions (its owners and the network)."""
    resource = _readable(request, resource_id)
    services.delete_resource(actor=request.user, resource=resource)
    return Status(204, None)
