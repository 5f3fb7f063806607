"""The library API: list and search with snippets, one resource, multipart creation, PATCH, new
versions, DELETE; every bad input names its field and stores nothing."""

import pytest

from echos.library.models import Resource, ResourceVersion

from .conftest import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(personas, token_client):
    return token_client(personas["editor_no"])


def _post(client, **data):
    data.setdefault("title", "Survivorship guide")
    data.setdefault("language", "pt")
    data.setdefault("type", "guideline")
    return client.post("/api/v1/resources", data)


def test_create_a_document_with_tags_and_find_its_text(
    editor, hubs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            editor,
            description="Para equipas de saúde",
            file=upload("guia.docx", docx_bytes("Reabilitação e qualidade de vida")),
            tags=["objectives:quality_of_life", "stages:launched"],
            hub=hubs["norway"].pk,
            visibility="hub",
            licence="CC BY 4.0",
            published="2025-05-01",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tags"] == ["objectives:quality_of_life", "stages:launched"]
    assert body["latest_version"]["file"] == "guia.docx"
    assert body["visibility"] == "hub" and body["hub"] == hubs["norway"].pk
    found = editor.get("/api/v1/resources", {"q": "reabilitacao"}).json()
    assert found["count"] == 1
    assert "<mark>Reabilitação</mark>" in found["items"][0]["snippet"]
    assert found["items"][0]["rank"] > 0
    detail = editor.get(f"/api/v1/resources/{body['id']}").json()
    assert detail["text_status"] == "extracted"
    assert [v["number"] for v in detail["versions"]] == [1]


def test_create_a_link(editor):
    response = _post(editor, url="https://example.org/guide", tags=["dimensions:funding"])
    assert response.status_code == 201
    assert response.json()["latest_version"] is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "https://example.org", "tags": ["objectives:nonsense"]}, "tags"),
        ({"url": "https://example.org", "tags": ["nonsense:prevention"]}, "tags"),
        ({"url": "https://example.org", "tags": ["prevention"]}, "tags"),
        ({"url": "https://example.org", "tags": ["dimensions:nope"]}, "tags"),
        ({"url": "https://example.org", "language": "xx"}, "language"),
        ({"url": "https://example.org", "language": "portuguese"}, "language"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.org/a"}, "url"),
        ({"url": "https://example.org", "type": "novel"}, "type"),
        ({"url": "https://example.org", "title": ""}, "title"),
        ({"url": "https://example.org", "visibility": "hub"}, "visibility"),
        ({"url": "https://example.org", "hub": 999999}, "hub"),
        ({"file": upload("x.pdf", b"<html><script>alert(1)</script></html>")}, "file"),
        ({"file": upload("x.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60)}, "file"),
        ({"file": upload("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")}, "file"),
        ({}, "file"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(editor, data, field):
    response = _post(editor, **data)
    assert response.status_code in (400, 422), response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Resource.objects.exists()
    assert not ResourceVersion.objects.exists()


def test_file_over_the_limit_names_the_field(editor, settings):
    settings.ECHOS_LIBRARY_MAX_UPLOAD_BYTES = 500
    response = _post(editor, file=upload("big.pdf", pdf_bytes("x" * 50) + b"0" * 1000))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    assert not Resource.objects.exists()


@pytest.mark.parametrize("q", ["", "a", " ", "*"])
def test_empty_or_one_character_query_is_a_clear_error(editor, make_resource, q):
    make_resource("Anything")
    response = editor.get("/api/v1/resources", {"q": q})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"


def test_list_filters_and_bad_filters(editor, make_resource):
    make_resource("Brief", type="policy_brief", language="de", tags=[("objectives", "prevention")])
    make_resource("Report", type="report", language="en")
    assert [
        i["title"]
        for i in editor.get("/api/v1/resources", {"type": "policy_brief"}).json()["items"]
    ] == ["Brief"]
    assert [
        i["title"] for i in editor.get("/api/v1/resources", {"language": "de"}).json()["items"]
    ] == ["Brief"]
    assert [
        i["title"]
        for i in editor.get("/api/v1/resources", {"tag": "objectives:prevention"}).json()["items"]
    ] == ["Brief"]
    for params, field in [
        ({"tag": "objectives:nope"}, "tag"),
        ({"language": "zz"}, "language"),
        ({"type": "novel"}, "type"),
    ]:
        response = editor.get("/api/v1/resources", params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field


def test_versions_keep_the_old_file_and_search_the_new_text(
    editor, django_capture_on_commit_callbacks
):
    original = pdf_bytes("Original wording")
    with django_capture_on_commit_callbacks(execute=True):
        created = _post(editor, file=upload("plan.pdf", original)).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"/api/v1/resources/{created['id']}/versions",
            {"file": upload("plan-2.pdf", pdf_bytes("Revised wording"))},
        )
    assert response.status_code == 201 and response.json()["number"] == 2
    detail = editor.get(f"/api/v1/resources/{created['id']}").json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    old = editor.get(detail["versions"][1]["download"])
    assert old.status_code == 200 and b"".join(old.streaming_content) == original
    assert editor.get("/api/v1/resources", {"q": "revised"}).json()["count"] == 1
    assert editor.get("/api/v1/resources", {"q": "original"}).json()["count"] == 0
    bad = editor.post(
        f"/api/v1/resources/{created['id']}/versions", {"file": upload("v3.pdf", b"<html></html>")}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "file"
    assert ResourceVersion.objects.count() == 2


def test_patch_and_delete(editor):
    created = _post(editor, url="https://example.org/a").json()
    patched = editor.patch(
        f"/api/v1/resources/{created['id']}",
        {"title": "New title", "tags": ["policy_areas:employment"], "published": None},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "New title"
    assert patched.json()["tags"] == ["policy_areas:employment"]
    bad = editor.patch(
        f"/api/v1/resources/{created['id']}", {"language": "qq"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "language"
    assert editor.delete(f"/api/v1/resources/{created['id']}").status_code == 204
    assert editor.get(f"/api/v1/resources/{created['id']}").status_code == 404


def test_translation_of_groups_and_refuses_a_second_one_in_a_language(editor):
    first = _post(editor, url="https://example.org/en", language="en", title="Equity guide").json()
    second = _post(
        editor,
        url="https://example.org/pl",
        language="pl",
        title="Przewodnik",
        translation_of=first["id"],
    )
    assert second.status_code == 201
    assert second.json()["translation_group"] == first["translation_group"]
    again = _post(
        editor,
        url="https://example.org/pl2",
        language="pl",
        title="Inny",
        translation_of=first["id"],
    )
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "language"
    assert editor.get(f"/api/v1/resources/{first['id']}").json()["translations"] == [
        second.json()["id"]
    ]


def test_openapi_schema_lists_the_library(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/resources",
        "/api/v1/resources/{resource_id}",
        "/api/v1/resources/{resource_id}/versions",
    } <= set(paths)
