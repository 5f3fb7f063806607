"""The OAI-PMH endpoint: Identify, formats, sets, records in Dublin Core, paging, errors — and only
public resources, ever. Answers are parsed as XML and checked element by element (no XSD offline)."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from echos.library import oai
from echos.library.models import Resource, ResourceTag

NS = {"o": oai.OAI_NS, "oai_dc": oai.OAI_DC_NS, "dc": oai.DC_NS}


def make(title, *, visibility="public", hub=None, language="en", type="guideline", group=None):
    resource = Resource.objects.create(
        title=title,
        description=f"About {title} & <more>.",
        language=language,
        type=type,
        visibility=visibility,
        hub=hub,
        licence="CC-BY-4.0",
        url="https://example.org/doc",
        **({"translation_group": group} if group else {}),
    )
    ResourceTag.objects.create(resource=resource, vocabulary="objectives", code="prevention")
    return resource


def ask(client, **params):
    response = client.get("/library/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{oai.OAI_NS}}}OAI-PMH"
    assert root.find("o:responseDate", NS) is not None
    assert root.findtext("o:request", namespaces=NS) == "http://testserver/library/oai"
    return root


def error_of(root):
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


def oai_id(resource):
    return f"oai:testserver:library/{resource.pk}"


@pytest.fixture
def catalogue(hubs):
    public = make("Public guide")
    twin = make("Guia público", language="pt", group=public.translation_group)
    network = make("Network draft", visibility="network", group=public.translation_group)
    hub_only = make("Hub minutes", visibility="hub", hub=hubs["norway"])
    return {"public": public, "twin": twin, "network": network, "hub": hub_only}


def test_identify_has_the_required_elements(client, catalogue):
    root = ask(client, verb="Identify")
    assert error_of(root) is None
    body = root.find("o:Identify", NS)
    for name in (
        "repositoryName",
        "baseURL",
        "protocolVersion",
        "adminEmail",
        "earliestDatestamp",
        "deletedRecord",
        "granularity",
    ):
        assert body.findtext(f"o:{name}", namespaces=NS), name
    assert body.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert body.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_list_metadata_formats_offers_oai_dc(client, catalogue):
    root = ask(client, verb="ListMetadataFormats")
    prefixes = [e.text for e in root.iter(f"{{{oai.OAI_NS}}}metadataPrefix")]
    assert prefixes == ["oai_dc"]
    root = ask(client, verb="ListMetadataFormats", identifier=oai_id(catalogue["hub"]))
    assert error_of(root) == "idDoesNotExist"


def test_list_records_has_dublin_core_of_public_resources_only(client, catalogue):
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert error_of(root) is None
    records = root.findall("o:ListRecords/o:record", NS)
    ids = {r.findtext("o:header/o:identifier", namespaces=NS) for r in records}
    assert ids == {oai_id(catalogue["public"]), oai_id(catalogue["twin"])}
    for record in records:
        header = record.find("o:header", NS)
        datestamp = header.findtext("o:datestamp", namespaces=NS)
        assert datetime.strptime(datestamp, "%Y-%m-%dT%H:%M:%SZ")
        dc = record.find("o:metadata/oai_dc:dc", NS)
        assert dc is not None
        for name in ("title", "identifier", "language", "type", "date", "rights", "subject"):
            assert dc.findtext(f"dc:{name}", namespaces=NS), name
    public = next(r for r in records if "Public guide" in ET.tostring(r, encoding="unicode"))
    dc = public.find("o:metadata/oai_dc:dc", NS)
    assert dc.findtext("dc:description", namespaces=NS) == "About Public guide & <more>."
    relations = [e.text for e in dc.findall("dc:relation", NS)]
    # The Portuguese translation is related; the network twin is never named.
    assert relations == [f"http://testserver/library/{catalogue['twin'].pk}/"]


def test_list_identifiers_and_sets(client, catalogue):
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="language:pt")
    headers = root.findall("o:ListIdentifiers/o:header", NS)
    assert [h.findtext("o:identifier", namespaces=NS) for h in headers] == [
        oai_id(catalogue["twin"])
    ]
    specs = {e.text for e in ask(client, verb="ListSets").iter(f"{{{oai.OAI_NS}}}setSpec")}
    assert {"type:guideline", "language:en", "language:pt"} <= specs


@pytest.mark.parametrize("key", ["network", "hub"])
def test_get_record_of_a_non_public_resource_does_not_exist(client, catalogue, key):
    root = ask(client, verb="GetRecord", identifier=oai_id(catalogue[key]), metadataPrefix="oai_dc")
    assert error_of(root) == "idDoesNotExist"
    assert "Network draft" not in ET.tostring(root, encoding="unicode")


def test_get_record_of_a_public_resource(client, catalogue):
    root = ask(
        client, verb="GetRecord", identifier=oai_id(catalogue["public"]), metadataPrefix="oai_dc"
    )
    assert error_of(root) is None
    assert root.findtext(".//dc:title", namespaces=NS) == "Public guide"
    assert root.find("o:request", NS).get("identifier") == oai_id(catalogue["public"])


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Dance"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-30"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01",
             "until": "2026-01-02T00:00:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-02",
             "until": "2030-01-01"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:red"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": "oai:testserver:library/999999", "metadataPrefix": "x"}, "idDoesNotExist"),
        ({"verb": "GetRecord", "identifier": "nonsense", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
    ],
)  # fmt: skip
def test_errors(client, catalogue, params, code):
    root = ask(client, **params)
    assert error_of(root) == code
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}
    assert root.find("o:ListRecords", NS) is None


def test_repeated_argument_is_bad_argument(client, catalogue):
    response = client.get(
        "/library/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc"
    )
    assert error_of(ET.fromstring(response.content)) == "badArgument"


def test_post_is_answered_like_get(client, catalogue):
    response = client.post("/library/oai", {"verb": "Identify"})
    assert response.status_code == 200
    assert error_of(ET.fromstring(response.content)) is None


def test_from_until_select_by_datestamp(client, catalogue):
    old = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    Resource.objects.filter(pk=catalogue["public"].pk).update(updated_at=old)
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-05-01")
    ids = [h.text for h in root.iter(f"{{{oai.OAI_NS}}}identifier")]
    assert ids == [oai_id(catalogue["public"])]
    root = ask(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-05-01T11:59:59Z"
    )
    assert error_of(root) == "noRecordsMatch"
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-05-02"})
    ids = [h.text for h in root.iter(f"{{{oai.OAI_NS}}}identifier")]
    assert ids == [oai_id(catalogue["twin"])]


def test_resumption_tokens_page_through_every_public_record_once(client, catalogue, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    made = [make(f"Doc {i}") for i in range(7)]
    for i, resource in enumerate(made):
        # Two share a datestamp: the (datestamp, id) cursor must not skip or repeat either.
        Resource.objects.filter(pk=resource.pk).update(updated_at=base + timedelta(seconds=i // 2))
    make("Hidden", visibility="network")
    seen, cursors = [], []
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        body = root.find("o:ListRecords", NS)
        seen += [h.text for h in body.iter(f"{{{oai.OAI_NS}}}identifier")]
        token = body.find("o:resumptionToken", NS)
        assert token is not None
        assert token.get("completeListSize") == "9"
        cursors.append(token.get("cursor"))
        if not token.text:
            break
        root = ask(client, verb="ListRecords", resumptionToken=token.text)
    assert cursors == ["0", "3", "6"]
    assert len(seen) == len(set(seen)) == 9
    assert {oai_id(r) for r in made} <= set(seen)


def test_tampered_token_is_refused(client, catalogue, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 1)
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(".//o:resumptionToken", namespaces=NS)
    root = ask(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")
    assert error_of(root) == "badResumptionToken"
