"""Personal data of the library.

Resources and their files are the network's documents, not personal data; the one link to a person
is the account that uploaded a resource or a version (``created_by``, ``uploaded_by``), shown to
nobody but the audit log and the admin. Export lists what the person uploaded; erasure unlinks it
(the documents stay, as the network's). No retention rule is needed.
"""

from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso, owned, unlink
from echos.library.models import Resource, ResourceVersion

SECTION = "library"
SECTION_LABELS = {
    "library": _("Library"),
    "library.resources_added": _("Resources added to the library"),
    "library.versions_uploaded": _("Files uploaded to the library"),
}
COUNT_LABELS = {
    "resources_unlinked": _("library resources kept without who added them"),
    "versions_unlinked": _("library files kept without who uploaded them"),
}
KEPT = [
    (Resource, "created_by", "resources_unlinked"),
    (ResourceVersion, "uploaded_by", "versions_unlinked"),
]


def find_people(query: str, *, limit: int = 50) -> list:
    """Resources name organisations and hubs, never people: nothing to find here."""
    return []


def names(user, emails) -> set[str]:
    """No names of people are kept here."""
    return set()


def collect(user, emails) -> dict:
    """Resources the person added and files they uploaded."""
    return {
        "resources_added": [
            {"id": r.pk, "title": r.title, "created_at": iso(r.created_at)}
            for r in owned(Resource, user, created_by=user).order_by("pk")
        ],
        "versions_uploaded": [
            {
                "resource": v.resource_id,
                "version": v.number,
                "file": v.original_name,
                "uploaded_at": iso(v.uploaded_at),
            }
            for v in owned(ResourceVersion, user, uploaded_by=user).defer("text").order_by("pk")
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Unlink the person from what they added; the documents stay."""
    return unlink(user, KEPT, apply=apply)


def retention_rules() -> list:
    return []
