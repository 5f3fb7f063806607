"""Writes to the library: resources, their versions and tags, downloads; guard, transaction, audit.

Every input is checked before anything is stored (a refused upload leaves no row and no file).
A file is checked by its content (``core.uploads.validate_upload``), stored under the data
directory (``MEDIA_ROOT/library/<resource>/<version>/``), never served from there directly, and
its text is read by a background task once the transaction has committed
(``tasks.extract_version_text``). The full-text index follows every change (``index``).
"""

import hashlib
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from echos.core.audit import diff, log_action, snapshot
from echos.core.exceptions import RuleViolation, guard
from echos.core.multilingual import clean_source_language, clean_translations, field_limits
from echos.core.rules import check_web_address
from echos.core.uploads import CleanUpload, validate_upload
from echos.hubs.models import Hub, Organisation
from echos.library import index
from echos.library import permissions as perms
from echos.library.models import (
    Resource,
    ResourceTag,
    ResourceType,
    ResourceVersion,
    TextStatus,
    Visibility,
)
from echos.library.text import ExtractionError, can_extract, extract_text
from echos.library.vocab import check_language, check_tags

UPLOAD_EXTENSIONS = {
    "pdf", "docx", "odt", "xlsx", "ods", "pptx", "odp", "png", "jpg", "jpeg", "gif", "webp",
    "txt", "csv",
}  # fmt: skip
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
MAX_TITLE = 300
MAX_DESCRIPTION = 20_000
MAX_LICENCE = 120
FIELDS = [
    "title",
    "description",
    "language",
    "type",
    "url",
    "hub",
    "organisation",
    "licence",
    "published",
    "visibility",
    "source_language",
    "translations",
]


def max_upload_bytes() -> int:
    """The largest file the library accepts (setting ``ECHOS_LIBRARY_MAX_UPLOAD_BYTES``)."""
    return int(getattr(settings, "ECHOS_LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def clean_file(file, field: str = "file") -> CleanUpload:
    """The stored name and content type of an upload, its content checked against its type."""
    return validate_upload(
        file, allowed=UPLOAD_EXTENSIONS, max_bytes=max_upload_bytes(), field=field
    )


def _check(resource: Resource) -> None:
    """The rules on a resource's own fields, each refusal naming its field."""
    resource.title = (resource.title or "").strip()
    if not resource.title:
        raise RuleViolation(_("Give the resource a title."), "title")
    if len(resource.title) > MAX_TITLE:
        raise RuleViolation(_("The title is too long."), "title")
    if len(resource.description or "") > MAX_DESCRIPTION:
        raise RuleViolation(_("The description is too long."), "description")
    if len(resource.licence or "") > MAX_LICENCE:
        raise RuleViolation(_("The licence is too long."), "licence")
    resource.language = check_language(resource.language)
    resource.source_language = clean_source_language(resource.source_language)
    resource.translations = clean_translations(
        resource.translations, field_limits(Resource), resource.source_language
    )
    if resource.type not in ResourceType.values:
        raise RuleViolation(_("Unknown type of resource."), "type")
    if resource.visibility not in Visibility.values:
        raise RuleViolation(_("Unknown visibility."), "visibility")
    if resource.visibility == Visibility.HUB and resource.hub_id is None:
        raise RuleViolation(_("Only a hub's resource can be limited to its team."), "visibility")
    check_web_address(resource.url, "url")
    if len(resource.url or "") > 1000:
        raise RuleViolation(_("The link is too long."), "url")
    if resource.published is not None and not isinstance(resource.published, date):
        raise RuleViolation(_("Enter a date."), "published")


def _check_sources(actor, hub: Hub | None, organisation: Organisation | None) -> None:
    guard(perms.can_add_resource(actor, hub), actor)
    if organisation is not None:
        guard(perms.can_credit_organisation(actor, organisation), actor)


def _translation_group(actor, translation_of: Resource | None, language: str) -> uuid.UUID:
    """The group of the resource translated (checked: readable, no resource yet in ``language``)."""
    if translation_of is None:
        return uuid.uuid4()
    if not perms.can_view_resource(actor, translation_of) and actor is not None:
        raise RuleViolation(_("No such resource to translate."), "translation_of")
    group = translation_of.translation_group
    if Resource.objects.filter(translation_group=group, language=language).exists():
        raise RuleViolation(
            _("This resource already has a translation in this language."), "language"
        )
    return group


def _set_tags(resource: Resource, tags: list[tuple[str, str]]) -> None:
    resource.tags.all().delete()
    ResourceTag.objects.bulk_create(
        ResourceTag(resource=resource, vocabulary=v, code=c) for v, c in tags
    )


def tag_list(resource: Resource) -> list[list[str]]:
    """The resource's tags as ``[vocabulary, code]`` pairs (for the audit log and the API)."""
    return [[t.vocabulary, t.code] for t in resource.tags.all()]


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _store_version(actor, resource: Resource, file, clean: CleanUpload) -> ResourceVersion:
    """Save the file as the resource's next version and queue the reading of its text."""
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    last = resource.versions.aggregate(n=Max("number"))["n"] or 0
    version = ResourceVersion(
        resource=resource,
        number=last + 1,
        original_name=clean.name,
        content_type=clean.content_type,
        size=file.size,
        sha256=_sha256(file),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.file.save(clean.name, file, save=False)
    version.save()
    status = TextStatus.PENDING if can_extract(clean.name) else TextStatus.NONE
    Resource.objects.filter(pk=resource.pk).update(text_status=status)
    resource.text_status = status
    if status == TextStatus.PENDING:
        # cycle: echos.library.tasks imports these services
        from echos.library.tasks import extract_version_text

        pk = version.pk
        transaction.on_commit(lambda: extract_version_text(pk))
    return version


@transaction.atomic
def create_resource(
    *,
    actor,
    title: str,
    description: str,
    language: str,
    type: str,
    tags: list[tuple[str, str]],
    file=None,
    url: str = "",
    hub: Hub | None = None,
    organisation: Organisation | None = None,
    licence: str = "",
    published: date | None = None,
    visibility: str = Visibility.PUBLIC,
    translation_of: Resource | None = None,
    is_demo: bool = False,
    source_language: str = "",
    translations: dict | None = None,
) -> Resource:
    """Add a document (``file``) or a link (``url``) to the library, with its tags.

    ``source_language`` is the language of the title and description (by default the document's
    ``language``); ``translations`` gives them in other languages (``{"fr": {"title": …}}``)."""
    _check_sources(actor, hub, organisation)
    resource = Resource(
        title=title,
        description=(description or "").strip(),
        language=language,
        type=type,
        url=(url or "").strip(),
        hub=hub,
        organisation=organisation,
        licence=(licence or "").strip(),
        published=published,
        visibility=visibility,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
        source_language=source_language or language,
        translations=translations or {},
    )
    _check(resource)
    if file is not None and resource.url:
        raise RuleViolation(_("Give a file or a link, not both."), "url")
    if file is None and not resource.url:
        raise RuleViolation(_("Give a file to upload or a link."), "file")
    clean_tags = check_tags(tags)
    clean = clean_file(file) if file is not None else None
    resource.translation_group = _translation_group(actor, translation_of, resource.language)
    resource.save()
    _set_tags(resource, clean_tags)
    version = _store_version(actor, resource, file, clean) if clean is not None else None
    index.index_resource(resource)
    data = snapshot(resource, FIELDS) | {"tags": tag_list(resource)}
    if version is not None:
        data["version"] = {"number": version.number, "file": version.original_name}
    log_action(actor=actor, action="library.resource.created", target=resource, data=data)
    return resource


@transaction.atomic
def add_version(*, actor, resource: Resource, file) -> ResourceVersion:
    """Upload a new file for a document; the older versions stay downloadable."""
    guard(perms.can_edit_resource(actor, resource), actor)
    if resource.url:
        raise RuleViolation(_("A link has no file versions."), "file")
    clean = clean_file(file)
    version = _store_version(actor, resource, file, clean)
    Resource.objects.filter(pk=resource.pk).update(updated_at=version.uploaded_at)
    index.index_resource(resource)
    log_action(
        actor=actor,
        action="library.version.added",
        target=resource,
        data={"version": version.number, "file": version.original_name, "sha256": version.sha256},
    )
    return version


@transaction.atomic
def update_resource(
    *, actor, resource: Resource, tags: list[tuple[str, str]] | None = None, **changes: Any
) -> Resource:
    """Change a resource's fields and (when given) its tags; a document keeps its files."""
    guard(perms.can_edit_resource(actor, resource), actor)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    if "hub" in changes or "organisation" in changes:
        _check_sources(
            actor,
            changes.get("hub", resource.hub),
            changes.get("organisation", resource.organisation),
        )
    if "url" in changes and bool((changes["url"] or "").strip()) != bool(resource.url):
        raise RuleViolation(_("A document stays a document and a link stays a link."), "url")
    before = snapshot(resource, FIELDS) | {"tags": tag_list(resource)}
    for key, value in changes.items():
        setattr(resource, key, value.strip() if isinstance(value, str) else value)
    _check(resource)
    if "language" in changes and (
        resource.other_languages().filter(language=resource.language).exists()
    ):
        raise RuleViolation(
            _("This resource already has a translation in this language."), "language"
        )
    clean_tags = check_tags(tags) if tags is not None else None
    resource.save()
    if clean_tags is not None:
        _set_tags(resource, clean_tags)
    after = snapshot(resource, FIELDS) | {"tags": tag_list(resource)}
    changed = diff(before, after)
    if changed:
        index.index_resource(resource)
        log_action(
            actor=actor,
            action="library.resource.updated",
            target=resource,
            data={"changed": changed},
        )
    return resource


def _delete_files_after_commit(versions: list[ResourceVersion]) -> None:
    files = [(v.file.storage, v.file.name) for v in versions if v.file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def delete_resource(*, actor, resource: Resource) -> None:
    """Delete a resource with all its versions (their files go once the deletion commits)."""
    guard(perms.can_delete_resource(actor, resource), actor)
    versions = list(resource.versions.all())
    data = snapshot(resource, FIELDS) | {
        "tags": tag_list(resource),
        "versions": [{"number": v.number, "file": v.original_name} for v in versions],
        "translation_group": str(resource.translation_group),
    }
    log_action(actor=actor, action="library.resource.deleted", target=resource, data=data)
    pk = resource.pk
    resource.delete()
    index.remove([pk])
    _delete_files_after_commit(versions)


@transaction.atomic
def withdraw_version(*, actor, resource: Resource, number: int) -> None:
    """Remove the newest version of a document (the one before becomes current again)."""
    guard(perms.can_edit_resource(actor, resource), actor)
    versions = list(resource.versions.order_by("-number"))
    if not versions or versions[0].number != number:
        raise RuleViolation(_("Only the newest version can be withdrawn."), "version")
    if len(versions) == 1:
        raise RuleViolation(_("A document keeps at least one version."), "version")
    latest, previous = versions[0], versions[1]
    latest.delete()
    _delete_files_after_commit([latest])
    status = _status_of(previous)
    Resource.objects.filter(pk=resource.pk).update(text_status=status)
    resource.text_status = status
    index.index_resource(resource)
    log_action(
        actor=actor,
        action="library.version.withdrawn",
        target=resource,
        data={"version": number, "file": latest.original_name},
    )


def _status_of(version: ResourceVersion) -> str:
    if not can_extract(version.original_name):
        return TextStatus.NONE
    return TextStatus.EXTRACTED if version.text else TextStatus.FAILED


def record_download(*, resource: Resource) -> None:
    """Count one download (a counter, not a change: nothing is audited)."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


def extract_now(version_id: int) -> str:
    """Read the text of one stored version and index it; returns the resource's text status.

    A file whose text cannot be read stays listed and downloadable, marked ``failed``.
    """
    version = ResourceVersion.objects.select_related("resource").filter(pk=version_id).first()
    if version is None:
        return "gone"
    try:
        with version.file.open("rb") as stored:
            text = extract_text(stored, version.original_name)
        status = TextStatus.EXTRACTED if text else TextStatus.FAILED
    except (ExtractionError, OSError):
        text, status = "", TextStatus.FAILED
    with transaction.atomic():
        ResourceVersion.objects.filter(pk=version.pk).update(text=text)
        resource = version.resource
        newest = resource.versions.aggregate(n=Max("number"))["n"]
        if newest == version.number:
            Resource.objects.filter(pk=resource.pk).update(text_status=status)
            index.index_resource(resource)
    return str(status)
