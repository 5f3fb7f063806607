"""OAI-PMH 2.0 endpoint of the public library catalogue (``/library/oai``), Dublin Core records.

Only ``Resource.objects.public()`` exists for this endpoint: a network or hub-only resource is
``idDoesNotExist`` even by its identifier, and never in a list. Verbs: Identify,
ListMetadataFormats (``oai_dc``), ListSets (one set per resource type and per language:
``type:guideline``, ``language:pt``), ListIdentifiers, ListRecords and GetRecord.

Datestamps are ``updated_at`` in UTC at second granularity. Lists are paged by ``PAGE_SIZE``
records in (datestamp, id) order; the resumption token carries the request's arguments and the
last (datestamp, id) seen, signed so that a changed token is ``badResumptionToken``. A record
changed during a harvest moves behind the cursor and is picked up by the next incremental
harvest (``from``). Deletions are not tracked (``deletedRecord`` is ``no``).

Every answer is ``200 text/xml`` built with ``xml.etree`` (escaped); errors are OAI error
elements, never an HTTP error (the protocol's rule), and a bad or repeated argument never reaches
the database.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core import signing
from django.db.models import Min, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from echos.core.multilingual import every_language
from echos.library.models import Resource, ResourceQuerySet, ResourceTag, ResourceType

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# ``xml:lang`` on dc:title and dc:description: the catalogue text in each of its languages.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
# The OAI namespace is the answers' default namespace (``xmlns="..."``, as harvesters expect); no
# other tree in the process uses it.
for prefix, uri in (
    ("", OAI_NS),
    ("oai_dc", OAI_DC_NS),
    ("dc", DC_NS),
    ("xsi", XSI_NS),
    ("oai-identifier", ID_NS),
):
    ET.register_namespace(prefix, uri)

PAGE_SIZE = 100
TOKEN_SALT = "echos.library.oai"
TOKEN_MAX_AGE = timedelta(days=1)
MAX_ARGUMENT = 500
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
PORT = re.compile(r":\d+$")
# Characters XML 1.0 cannot carry at all (C0 controls other than tab, newline, carriage return).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (the rest is escaped by the serialiser)."""
    return NOT_XML.sub("", text)


class OAIError(Exception):
    """An OAI-PMH error: its code (``badArgument``...) and a message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(
    parent: ET.Element, tag: str, text: str | None = None, ns: str = OAI_NS, **attrs: str
) -> ET.Element:
    element = ET.SubElement(parent, _q(ns, tag), attrs)
    if text is not None:
        element.text = clean_xml(text)
    return element


def stamp(moment: datetime) -> str:
    """A UTC datestamp at second granularity (``2026-01-01T00:00:00Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(value: str, *, end: bool) -> tuple[datetime, str]:
    """A ``from``/``until`` argument as a UTC datetime and its granularity; ``end`` takes a day's
    last second (``until=2026-01-01`` includes that whole day)."""
    try:
        if DAY.match(value):
            day = datetime.strptime(value, "%Y-%m-%d").date()
            moment = datetime.combine(day, time(23, 59, 59) if end else time(0, 0), tzinfo=UTC)
            return moment, "day"
        if SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
    except ValueError:
        pass
    raise OAIError("badArgument", f"The date {value!r} is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def repository_id(request: HttpRequest) -> str:
    """The repository part of identifiers: the host name the harvester used, without the port."""
    host = PORT.sub("", request.get_host()).strip("[]")
    return host or "localhost"


def identifier(request: HttpRequest, pk: int) -> str:
    return f"oai:{repository_id(request)}:library/{pk}"


def pk_of(request: HttpRequest, value: str) -> int:
    """The resource id of an identifier of this repository, else ``idDoesNotExist``."""
    prefix = f"oai:{repository_id(request)}:library/"
    number = value[len(prefix) :] if value.startswith(prefix) else ""
    if not number.isdigit() or len(number) > 18:
        raise OAIError("idDoesNotExist", f"No record has the identifier {value!r}.")
    return int(number)


@dataclass(frozen=True)
class Selection:
    """What a list request selects: format, dates, set and the cursor after the last record."""

    prefix: str
    since: datetime | None = None
    until: datetime | None = None
    set_spec: str = ""
    after: tuple[datetime, int] | None = None
    cursor: int = 0

    def token(self, last: Resource, cursor: int) -> str:
        """The signed resumption token of the page after ``last``."""
        data = {
            "p": self.prefix,
            "f": self.since.isoformat() if self.since else None,
            "u": self.until.isoformat() if self.until else None,
            "s": self.set_spec,
            "a": [last.updated_at.astimezone(UTC).isoformat(), last.pk],
            "c": cursor,
        }
        return signing.dumps(data, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> "Selection":
        try:
            data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            after = (datetime.fromisoformat(data["a"][0]), int(data["a"][1]))
            return cls(
                prefix=str(data["p"]),
                since=datetime.fromisoformat(data["f"]) if data["f"] else None,
                until=datetime.fromisoformat(data["u"]) if data["u"] else None,
                set_spec=str(data["s"]),
                after=after,
                cursor=int(data["c"]),
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError) as exc:
            raise OAIError(
                "badResumptionToken", "The resumption token is invalid or expired."
            ) from exc


def sets() -> list[tuple[str, str]]:
    """(setSpec, setName) pairs: one per resource type, one per language of a public resource."""
    types = [(f"type:{value}", str(label)) for value, label in ResourceType.choices]
    languages = Resource.objects.public().values_list("language", flat=True).distinct()
    return types + [(f"language:{code}", code) for code in sorted(set(languages))]


def _apply_set(qs: ResourceQuerySet, set_spec: str) -> ResourceQuerySet:
    kind, _sep, value = set_spec.partition(":")
    if kind == "type" and value in ResourceType.values:
        return qs.filter(type=value)
    if kind == "language" and value and len(value) <= 8:
        return qs.filter(language=value)
    raise OAIError("badArgument", f"The set {set_spec!r} does not exist (see ListSets).")


def selected(selection: Selection) -> ResourceQuerySet:
    """The public resources a list selection covers, in (datestamp, id) order."""
    qs = Resource.objects.public()
    if selection.since:
        qs = qs.filter(updated_at__gte=selection.since)
    if selection.until:
        qs = qs.filter(updated_at__lt=selection.until + timedelta(seconds=1))
    if selection.set_spec:
        qs = _apply_set(qs, selection.set_spec)
    return qs.order_by("updated_at", "pk")


def _arguments(params: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, checked against the verb's required and allowed arguments."""
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} does not take the argument {name!r}.")
        if len(values) != 1 or len(values[0]) > MAX_ARGUMENT:
            raise OAIError("badArgument", f"The argument {name!r} is repeated or too long.")
        args[name] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, args
    missing = required - set(args)
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(missing))}.")
    return verb, args


def _check_prefix(prefix: str) -> None:
    if prefix != "oai_dc":
        raise OAIError("cannotDisseminateFormat", f"The format {prefix!r} is not offered (oai_dc).")


def selection_of(args: dict[str, str]) -> Selection:
    """The selection of a list request, from its arguments or its resumption token."""
    if "resumptionToken" in args:
        return Selection.from_token(args["resumptionToken"])
    since = until = None
    granularity = set()
    if "from" in args:
        since, g = parse_stamp(args["from"], end=False)
        granularity.add(g)
    if "until" in args:
        until, g = parse_stamp(args["until"], end=True)
        granularity.add(g)
    if len(granularity) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if since and until and since > until:
        raise OAIError("badArgument", "from is later than until.")
    _check_prefix(args["metadataPrefix"])
    return Selection(args["metadataPrefix"], since, until, args.get("set", ""))


def _page(selection: Selection) -> tuple[list[Resource], int, bool]:
    """One page of records after the selection's cursor, the list's size and whether more follow."""
    qs = selected(selection)
    total = qs.count()
    if selection.after:
        moment, pk = selection.after
        qs = qs.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    rows = list(
        qs.select_related("hub", "organisation").prefetch_related(
            Prefetch("tags", queryset=ResourceTag.objects.order_by("vocabulary", "code")),
            "versions",
        )[: PAGE_SIZE + 1]
    )
    return rows[:PAGE_SIZE], total, len(rows) > PAGE_SIZE


def _translations(resources: Iterable[Resource]) -> dict[Any, list[int]]:
    """The public resources of each translation group on the page (one query)."""
    groups = {r.translation_group for r in resources}
    found: dict[Any, list[int]] = {}
    rows = Resource.objects.public().filter(translation_group__in=groups).order_by("pk")
    for pk, group in rows.values_list("pk", "translation_group"):
        found.setdefault(group, []).append(pk)
    return found


def _header(parent: ET.Element, request: HttpRequest, resource: Resource) -> None:
    header = _sub(parent, "header")
    _sub(header, "identifier", identifier(request, resource.pk))
    _sub(header, "datestamp", stamp(resource.updated_at))
    _sub(header, "setSpec", f"type:{resource.type}")
    _sub(header, "setSpec", f"language:{resource.language}")


def dublin_core(
    parent: ET.Element, request: HttpRequest, resource: Resource, translations: list[int]
) -> None:
    """The ``oai_dc:dc`` element of a resource."""
    dc = ET.SubElement(
        parent,
        _q(OAI_DC_NS, "dc"),
        {_q(XSI_NS, "schemaLocation"): f"{OAI_DC_NS} {OAI_DC_SCHEMA}"},
    )
    for language, text in every_language(resource, "title").items():
        _sub(dc, "title", text, DC_NS, **{XML_LANG: language})
    for source in (resource.organisation, resource.hub):
        if source is not None:
            _sub(dc, "creator", str(source), DC_NS)
    for tag in resource.tags.all():
        _sub(dc, "subject", f"{tag.vocabulary}:{tag.code}", DC_NS)
    for language, text in every_language(resource, "description").items():
        if text:
            _sub(dc, "description", text, DC_NS, **{XML_LANG: language})
    _sub(dc, "publisher", "echos – Cancer Mission Hubs library", DC_NS)
    day = resource.published or resource.created_at.date()
    _sub(dc, "date", day.isoformat(), DC_NS)
    _sub(dc, "type", "Dataset" if resource.type == ResourceType.DATASET else "Text", DC_NS)
    _sub(dc, "type", resource.type, DC_NS)
    versions = sorted(resource.versions.all(), key=lambda v: v.number)
    if versions:
        _sub(dc, "format", versions[-1].content_type, DC_NS)
    _sub(dc, "identifier", request.build_absolute_uri(resource.get_absolute_url()), DC_NS)
    if resource.url:
        _sub(dc, "identifier", resource.url, DC_NS)
    _sub(dc, "language", resource.language, DC_NS)
    for pk in translations:
        if pk != resource.pk:
            _sub(
                dc,
                "relation",
                request.build_absolute_uri(reverse("library:resource", args=[pk])),
                DC_NS,
            )
    if resource.licence:
        _sub(dc, "rights", resource.licence, DC_NS)


def _record(
    parent: ET.Element, request: HttpRequest, resource: Resource, translations: list[int]
) -> None:
    record = _sub(parent, "record")
    _header(record, request, resource)
    dublin_core(_sub(record, "metadata"), request, resource, translations)


def identify(root: ET.Element, request: HttpRequest, args: dict[str, str]) -> None:
    body = _sub(root, "Identify")
    _sub(body, "repositoryName", "echos – Cancer Mission Hubs library")
    _sub(body, "baseURL", base_url(request))
    _sub(body, "protocolVersion", "2.0")
    _sub(body, "adminEmail", settings.DEFAULT_FROM_EMAIL)
    earliest = Resource.objects.public().aggregate(m=Min("updated_at"))["m"]
    _sub(body, "earliestDatestamp", stamp(earliest or datetime.now(UTC)))
    _sub(body, "deletedRecord", "no")
    _sub(body, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    description = _sub(body, "description")
    oai_id = ET.SubElement(
        description,
        _q(ID_NS, "oai-identifier"),
        {_q(XSI_NS, "schemaLocation"): f"{ID_NS} {ID_SCHEMA}"},
    )
    _sub(oai_id, "scheme", "oai", ID_NS)
    _sub(oai_id, "repositoryIdentifier", repository_id(request), ID_NS)
    _sub(oai_id, "delimiter", ":", ID_NS)
    _sub(oai_id, "sampleIdentifier", identifier(request, 1), ID_NS)


def list_metadata_formats(root: ET.Element, request: HttpRequest, args: dict[str, str]) -> None:
    if "identifier" in args:
        pk = pk_of(request, args["identifier"])
        if not Resource.objects.public().filter(pk=pk).exists():
            raise OAIError(
                "idDoesNotExist", f"No record has the identifier {args['identifier']!r}."
            )
    body = _sub(root, "ListMetadataFormats")
    fmt = _sub(body, "metadataFormat")
    _sub(fmt, "metadataPrefix", "oai_dc")
    _sub(fmt, "schema", OAI_DC_SCHEMA)
    _sub(fmt, "metadataNamespace", OAI_DC_NS)


def list_sets(root: ET.Element, request: HttpRequest, args: dict[str, str]) -> None:
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "ListSets answers in one page.")
    body = _sub(root, "ListSets")
    for spec, name in sets():
        element = _sub(body, "set")
        _sub(element, "setSpec", spec)
        _sub(element, "setName", name)


def get_record(root: ET.Element, request: HttpRequest, args: dict[str, str]) -> None:
    pk = pk_of(request, args["identifier"])
    resource = (
        Resource.objects.public()
        .select_related("hub", "organisation")
        .prefetch_related("tags", "versions")
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise OAIError("idDoesNotExist", f"No record has the identifier {args['identifier']!r}.")
    _check_prefix(args["metadataPrefix"])
    body = _sub(root, "GetRecord")
    _record(body, request, resource, _translations([resource]).get(resource.translation_group, []))


def _list(root: ET.Element, request: HttpRequest, args: dict[str, str], *, records: bool) -> None:
    selection = selection_of(args)
    rows, total, more = _page(selection)
    if not rows:
        raise OAIError("noRecordsMatch", "No public record matches these arguments.")
    body = _sub(root, "ListRecords" if records else "ListIdentifiers")
    groups = _translations(rows) if records else {}
    for resource in rows:
        if records:
            _record(body, request, resource, groups.get(resource.translation_group, []))
        else:
            _header(body, request, resource)
    cursor = selection.cursor + len(rows)
    attrs = {"completeListSize": str(total), "cursor": str(selection.cursor)}
    token = _sub(body, "resumptionToken", **attrs)
    if more:
        token.text = selection.token(rows[-1], cursor)
    elif not selection.after:
        body.remove(token)  # a complete list in one answer has no token


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda root, request, args: _list(root, request, args, records=False),
    "ListRecords": lambda root, request, args: _list(root, request, args, records=True),
}


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("library:oai"))


def respond(request: HttpRequest, params: Mapping[str, list[str]]) -> bytes:
    """The OAI-PMH XML answer to ``params`` (the request's arguments, each with its values)."""
    root = ET.Element(
        _q(OAI_NS, "OAI-PMH"), {_q(XSI_NS, "schemaLocation"): f"{OAI_NS} {OAI_SCHEMA}"}
    )
    _sub(root, "responseDate", stamp(datetime.now(UTC)))
    request_element = _sub(root, "request", base_url(request))
    try:
        verb, args = _arguments(params)
        for name, value in (("verb", verb), *sorted(args.items())):
            request_element.set(name, clean_xml(value))
        HANDLERS[verb](root, request, args)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()  # the protocol echoes no attributes for these
        for child in list(root)[2:]:
            root.remove(child)
        _sub(root, "error", error.message, code=error.code)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """``/library/oai``: GET or form-encoded POST, as the protocol allows."""
    query = request.POST if request.method == "POST" else request.GET
    params = {name: query.getlist(name) for name in query}
    response = HttpResponse(respond(request, params), content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
