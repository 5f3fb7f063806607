"""Demo resources of the library: texts written for echos in ten languages, as real PDF, DOCX and
ODT files generated on the spot, plus links to real public documents (never copied).

The texts and the linked sources are in ``data/demo_resources.json``: families of resources that
translate one another (a version marked ``separate`` is a resource of its own), with their tags,
visibility and the demo hub (by country) they come from. Every row is ``is_demo``; every file says
it is a demo document. Resources go through ``services.create_resource`` (checks, tags, index,
audit) as the system; the text of each file is read at once, so that search inside the files
works as soon as ``echos demo`` is up.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from echos.hubs.models import Hub
from echos.library import demo_documents, services
from echos.library.models import Resource, ResourceVersion, TextStatus, Visibility

DATA = Path(__file__).resolve().parent / "data" / "demo_resources.json"

# The catalogue text (title, description) of a few demo resources in other languages than their
# document's (issue #17): a reader finds and reads what the document is about in their language,
# the document itself staying in its own. Written for echos, demo data like the rest.
CATALOGUE_TRANSLATIONS: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    ("prevention-week", "de"): {
        "en": {
            "title": "Case study: a bowel cancer screening action week",
            "description": "How GP practices, pharmacies and schools promoted early detection "
            "together for one week (demo). The document is in German.",
        },
        "fr": {
            "title": "Étude de cas : une semaine d'action pour le dépistage du cancer colorectal",
            "description": "Comment cabinets de médecine générale, pharmacies et écoles ont "
            "promu ensemble le dépistage pendant une semaine (démo). Le document est en allemand.",
        },
        "pl": {
            "title": "Studium przypadku: tydzień działań na rzecz badań przesiewowych jelita "
            "grubego",
            "description": "Jak przychodnie lekarzy rodzinnych, apteki i szkoły przez tydzień "
            "wspólnie zachęcały do wczesnego wykrywania (demo). Dokument jest w języku niemieckim.",
        },
    },
    ("return-to-work", "es"): {
        "en": {
            "title": "Case study: going back to work after cancer",
            "description": "A programme with employers to adapt the jobs and working hours of "
            "people who have had cancer (demo). The document is in Spanish.",
        },
        "pt": {
            "title": "Estudo de caso: regressar ao trabalho depois do cancro",
            "description": "Um programa com empresas para adaptar postos e horários de pessoas "
            "que tiveram cancro (demo). O documento está em espanhol.",
        },
    },
    ("ecac", "en"): {
        "de": {
            "title": "Europäischer Kodex zur Krebsbekämpfung (Link)",
            "description": "Link zur Seite der IARC über den Europäischen Kodex zur "
            "Krebsbekämpfung: die Empfehlungen, auf die die Präventionsarbeit eines Hubs die "
            "Bürgerinnen und Bürger hinweisen kann.",
        },
        "fr": {
            "title": "Code européen contre le cancer (lien)",
            "description": "Lien vers la page du CIRC sur le Code européen contre le cancer, "
            "les recommandations vers lesquelles les actions de prévention d'un hub peuvent "
            "orienter les citoyens.",
        },
        "el": {
            "title": "Ευρωπαϊκός Κώδικας κατά του Καρκίνου (σύνδεσμος)",
            "description": "Σύνδεσμος προς τη σελίδα του IARC για τον Ευρωπαϊκό Κώδικα κατά "
            "του Καρκίνου, τις συστάσεις στις οποίες μπορούν να παραπέμπουν τους πολίτες οι "
            "δράσεις πρόληψης ενός κόμβου.",
        },
    },
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt"}


def read_data() -> dict[str, Any]:
    """The demo texts, sources and tags (see the file's ``note``)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def _tags(family: dict[str, Any]) -> list[tuple[str, str]]:
    return [(vocabulary, code) for vocabulary, codes in family["tags"].items() for code in codes]


def _demo_hubs() -> dict[str, Hub]:
    """The demo national hub of each country (only demo hubs are credited with demo texts)."""
    hubs: dict[str, Hub] = {}
    for hub in Hub.objects.national().filter(is_demo=True).order_by("pk"):
        hubs.setdefault(hub.country_id, hub)
    return hubs


def _file(key: str, version: dict[str, Any]) -> SimpleUploadedFile:
    kind = version["format"]
    content = demo_documents.document(kind, version["title"], version["body"])
    name = f"{key}-{version['language']}.{EXTENSIONS[kind]}"
    return SimpleUploadedFile(name, content, content_type=demo_documents.CONTENT_TYPES[kind])


def _read_text_now(resource: Resource) -> None:
    """Extract the file's text unless the background task already did (immediate mode)."""
    resource.refresh_from_db(fields=["text_status"])
    if resource.text_status != TextStatus.PENDING:
        return
    version = ResourceVersion.objects.filter(resource=resource).order_by("-number").first()
    if version is not None:
        services.extract_now(version.pk)


def load_demo() -> dict[str, Any]:
    """Create the demo resources (idempotent); returns counts by kind and language."""
    if Resource.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    hubs = _demo_hubs()
    made: list[Resource] = []
    for family in read_data()["families"]:
        first: Resource | None = None
        for version in family["versions"]:
            hub = hubs.get(version["hub"]) if version.get("hub") else None
            visibility = version.get("visibility", Visibility.PUBLIC)
            if visibility == Visibility.HUB and hub is None:
                visibility = Visibility.NETWORK  # the demo hub is missing: keep it non-public
            translation_of = None if version.get("separate") else first
            resource = services.create_resource(
                actor=None,
                title=version["title"],
                description=version["description"],
                language=version["language"],
                type=family["type"],
                tags=_tags(family),
                file=_file(family["key"], version) if "format" in version else None,
                url=version.get("url", ""),
                hub=hub,
                licence=family.get("licence", ""),
                published=date.fromisoformat(family["published"]),
                visibility=visibility,
                translation_of=translation_of,
                is_demo=True,
                source_language=version["language"],
                translations=CATALOGUE_TRANSLATIONS.get((family["key"], version["language"])),
            )
            if "format" in version:
                _read_text_now(resource)
            first = first or resource
            made.append(resource)
    languages = sorted({r.language for r in made})
    return {
        "resources": len(made),
        "files": sum(1 for r in made if not r.url),
        "links": sum(1 for r in made if r.url),
        "languages": languages,
    }
