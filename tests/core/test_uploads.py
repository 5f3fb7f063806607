"""Uploaded files are checked by their content against the declared type, not by the name alone."""

import io
import zipfile

import openpyxl
import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile

from echos.core.exceptions import RuleViolation
from echos.core.uploads import clean_name, validate_upload

ALLOWED = {"pdf", "png", "jpg", "docx", "xlsx", "odt", "txt", "csv"}
MAX = 1024 * 1024

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"
    + b"\x00" * 45
    + b"This program cannot be run in DOS mode.\r\n"
)
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/api/v1/tokens')</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def docx(main_type: str = WORD_MAIN, extra: dict | None = None) -> bytes:
    """A minimal Word document as Word writes its package."""
    return package(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
            ),
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
            **(extra or {}),
        }
    )


def xlsx() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Kreftmisjonshub Norge"
    book.save(buffer)
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    segno.make("https://cancermissionhubs.eu").save(buffer, kind="png")
    return buffer.getvalue()


def check(name: str, content: bytes, **options):
    upload = SimpleUploadedFile(name, content)
    return validate_upload(
        upload, allowed=options.get("allowed", ALLOWED), max_bytes=options.get("max_bytes", MAX)
    )


def refused(name: str, content: bytes, **options) -> str:
    with pytest.raises(RuleViolation) as exc:
        check(name, content, **options)
    assert exc.value.field == "file"
    return exc.value.message


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("minutes.pdf", PDF, "application/pdf"),
        ("Minutes.PDF", PDF, "application/pdf"),
        ("report.docx", docx(), "application/vnd.openxmlformats-officedocument"),
        ("budget.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument"),
        ("plan.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("qr.png", png(), "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100, "image/jpeg"),
        ("members.csv", "MZ_code,name\n1,Kreftforeningen\n2,Ærø\n".encode(), "text/csv"),
        ("notes.txt", "\ufeffMøte i Bergen, 3 < 5.\n".encode(), "text/plain"),
    ],
)
def test_real_files_are_accepted(name, content, content_type):
    cleaned = check(name, content)
    assert cleaned.content_type.startswith(content_type)
    assert cleaned.name.lower() == name.lower()


def test_file_is_left_at_its_start_for_saving():
    upload = SimpleUploadedFile("report.docx", docx())
    validate_upload(upload, allowed=ALLOWED, max_bytes=MAX)
    assert upload.read() == docx()


def test_renamed_program_is_refused():
    assert "Programs are not accepted" in refused("calc.exe.pdf", PROGRAM)
    assert "Programs are not accepted" in refused("calc.pdf", PROGRAM)
    assert "Programs are not accepted" in refused("run.txt", b"#!/bin/sh\nrm -rf ~\n")
    assert "Programs are not accepted" in refused("tool.png", b"\x7fELF\x02\x01\x01\x00" * 8)


@pytest.mark.parametrize("name", ["page.pdf", "evil.html.pdf", "notes.txt", "members.csv"])
def test_html_is_refused_whatever_the_name(name):
    assert "Web pages" in refused(name, HTML)


def test_html_inside_text_is_refused():
    message = refused("members.csv", b"name,site\nOslo,<script>alert(1)</script>\n")
    assert ".csv" in message


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.txt"])
def test_svg_is_refused(name):
    assert refused(name, SVG)


def test_refused_extensions_name_the_type():
    assert ".svg" in refused("logo.svg", SVG)
    assert ".html" in refused("page.html", b"x") and ".exe" in refused("setup.exe", PROGRAM)
    assert ".?" in refused("README", b"text")


@pytest.mark.parametrize(
    "content",
    [
        package({"readme.txt": "not an office document"}),
        docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        docx(extra={"word/vbaProject.bin": "macros"}),
        b"PK\x03\x04 truncated",
        xlsx(),
        PDF,
    ],
    ids=["plain-zip", "macro-type", "macro-part", "broken-zip", "xlsx", "pdf"],
)
def test_docx_must_be_a_word_document(content):
    assert ".docx" in refused("report.docx", content)


def test_odt_must_name_its_type():
    spreadsheet = odt().replace(b"opendocument.text", b"opendocument.spreadsheet")
    assert ".odt" in refused("plan.odt", spreadsheet)
    assert ".odt" in refused("plan.odt", docx())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("image.png", PDF),
        ("photo.jpg", png()),
        ("minutes.pdf", b"minutes of the meeting"),
        ("minutes.pdf", b" %PDF-1.4"),
        ("notes.txt", b"caf\xe9 latin-1"),
        ("notes.txt", b"a\x00b"),
    ],
)
def test_content_must_match_the_declared_type(name, content):
    assert f".{name.rsplit('.', 1)[1]}" in refused(name, content)


def test_size_limit_and_empty_file():
    assert check("big.pdf", PDF + b"0" * (MAX - len(PDF)))
    assert "larger than 1 MB" in refused("big.pdf", PDF + b"0" * (MAX - len(PDF) + 1))
    assert "empty" in refused("empty.pdf", b"")


def test_extension_outside_allowed_is_refused_even_if_known():
    assert "pdf" in refused("photo.png", png(), allowed={"pdf"})


def test_allowed_must_be_checkable():
    with pytest.raises(ValueError):
        check("page.html", HTML, allowed={"pdf", "html"})


def test_long_name_keeps_its_extension():
    cleaned = check("r" * 300 + ".pdf", PDF)
    assert cleaned.name.endswith(".pdf") and len(cleaned.name) == 100
    assert cleaned.name == "r" * 96 + ".pdf"


@pytest.mark.parametrize(
    ("raw", "extension", "expected"),
    [
        ("evil.html.pdf", "pdf", "evil_html.pdf"),
        ("../../etc/passwd.txt", "txt", "passwd.txt"),
        ("C:\\Users\\kari\\Rapport 2025.PDF", "pdf", "Rapport 2025.pdf"),
        ("invoice\u202efdp.exe.pdf", "pdf", "invoicefdp_exe.pdf"),
        ("line\nbreak\x00.csv", "csv", "linebreak.csv"),
        (".pdf", "pdf", "file.pdf"),
        ("møte referat.docx", "docx", "møte referat.docx"),
    ],
)
def test_clean_name(raw, extension, expected):
    assert clean_name(raw, extension) == expected
