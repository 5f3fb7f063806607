"""Uploads: checked by content (not by name), size-limited, stored under the data directory, text
read in the background, served only as attachments."""

import io
import zipfile

import pytest
from django.conf import settings

from echos.core.exceptions import RuleViolation
from echos.library import services
from echos.library.models import Resource, ResourceVersion
from echos.library.search import search
from echos.library.text import ExtractionError, extract_text

from .conftest import docx_bytes, odt_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def create(file, actor=None, **kw):
    return services.create_resource(
        actor=actor,
        title=kw.pop("title", "A document"),
        description="",
        language="en",
        type="report",
        tags=[],
        file=file,
        **kw,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100),
        ("report.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100),
        ("evil.html.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("page.pdf", b"<html><body>not a pdf</body></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("page.html", b"<html></html>"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("notes.docx", b"PK\x03\x04 not really a zip"),
        ("empty.pdf", b""),
    ],
)
def test_files_not_matching_their_type_are_refused_and_nothing_is_stored(name, content):
    with pytest.raises(RuleViolation) as refused:
        create(upload(name, content))
    assert refused.value.field == "file"
    assert not Resource.objects.exists()
    assert not ResourceVersion.objects.exists()


def test_files_over_the_limit_are_refused(settings):
    settings.ECHOS_LIBRARY_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(RuleViolation) as refused:
        create(upload("big.pdf", b"%PDF-1.4\n" + b"0" * 2000))
    assert refused.value.field == "file"
    assert "larger" in refused.value.message
    assert not Resource.objects.exists()


def test_a_file_or_a_link_but_not_both_nor_neither():
    with pytest.raises(RuleViolation) as both:
        create(upload("a.pdf", pdf_bytes("x")), url="https://example.org/")
    assert both.value.field == "url"
    with pytest.raises(RuleViolation) as neither:
        create(None)
    assert neither.value.field == "file"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x", "example.org"]
)
def test_links_must_be_http(url):
    with pytest.raises(RuleViolation) as refused:
        create(None, url=url)
    assert refused.value.field == "url"


def test_file_is_stored_under_the_data_directory_with_its_checksum(
    django_capture_on_commit_callbacks,
):
    content = pdf_bytes("Stored text")
    with django_capture_on_commit_callbacks(execute=True):
        resource = create(upload("../../etc/My report.v2.pdf", content))
    version = resource.versions.get()
    path = version.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert str(settings.DATA_DIR) in path and "/src/echos/" not in path
    assert version.original_name == "My report_v2.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(content)
    import hashlib

    assert version.sha256 == hashlib.sha256(content).hexdigest()


def test_text_inside_pdf_docx_and_odt_is_found(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pdf = create(upload("a.pdf", pdf_bytes("Rehabilitation after treatment")), title="One")
        docx = create(upload("b.docx", docx_bytes("Psycho-oncology for families")), title="Two")
        odt = create(upload("c.odt", odt_bytes("Palliative pathways")), title="Three")
    for resource in (pdf, docx, odt):
        resource.refresh_from_db()
        assert resource.text_status == "extracted"
    assert [r.resource for r in search("rehabilitation", user=None).results] == [pdf]
    assert [r.resource for r in search("oncology families", user=None).results] == [docx]
    hit = search("palliative", user=None).results[0]
    assert hit.resource == odt
    assert "<mark>Palliative</mark>" in hit.snippet


def test_accented_text_inside_a_docx_is_found_unaccented(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        docx = create(upload("pl.docx", docx_bytes("Profilaktyka i zdrowie publiczne w Łodzi")))
    hit = search("lodzi", user=None).results[0]
    assert hit.resource == docx
    assert "<mark>Łodzi</mark>" in hit.snippet


def test_a_document_whose_text_cannot_be_read_is_listed_and_says_so(
    django_capture_on_commit_callbacks, client
):
    broken = b"%PDF-1.4\n%broken beyond repair\n"
    with django_capture_on_commit_callbacks(execute=True):
        resource = create(upload("broken.pdf", broken), title="Damaged annual report")
    resource.refresh_from_db()
    assert resource.text_status == "failed"
    assert [r.resource for r in search("damaged", user=None).results] == [resource]
    page = client.get(resource.get_absolute_url())
    assert "could not be read" in page.content.decode()
    listing = client.get("/library/")
    assert "Damaged annual report" in listing.content.decode()


def test_images_are_kept_without_text():
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82"
    )
    resource = create(upload("chart.png", png))
    assert resource.text_status == "none"


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, data in members.items():
            package.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_zip_bombs_and_entities_are_refused_by_extraction():
    bomb = _zip({"word/document.xml": b"<a>" + b" " * 20_000_000 + b"</a>"})
    with pytest.raises(ExtractionError):
        extract_text(bomb, "bomb.docx")
    laughs = _zip(
        {
            "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l "lol">]><a>&l;</a>',
        },
        zipfile.ZIP_STORED,
    )
    with pytest.raises(ExtractionError):
        extract_text(laughs, "laughs.docx")
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(b"not a zip"), "x.odt")


def test_extracted_text_is_bounded(monkeypatch):
    from echos.library import text

    monkeypatch.setattr(text, "MAX_TEXT_CHARS", 50)
    long = docx_bytes(*["word " * 20] * 10)
    assert len(extract_text(io.BytesIO(long), "long.docx")) <= 50


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("a.pdf", lambda: pdf_bytes("x"), "application/pdf"),
        (
            "b.docx",
            lambda: docx_bytes("x"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_downloads_are_attachments_with_a_safe_type_and_nosniff(client, name, make, content_type):
    content = make()
    resource = create(upload(name, content))
    response = client.get(f"/library/{resource.pk}/v1/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == content
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_link_visits_are_counted(client):
    resource = create(None, url="https://example.org/guide")
    response = client.get(f"/library/{resource.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "https://example.org/guide"
    resource.refresh_from_db()
    assert resource.download_count == 1
