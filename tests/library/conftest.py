"""Helpers of the library tests: tiny PDF, DOCX and ODT files built in memory, and resources."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (fpdf2 with a Unicode core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bytes(*paragraphs: str) -> bytes:
    """A minimal Word document with one paragraph per string."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", DOCX_TYPES)
        package.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes(*paragraphs: str) -> bytes:
    """A minimal OpenDocument text with one paragraph per string."""
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            f'xmlns:office="{office}" xmlns:text="{text}"><office:body><office:text>{body}'
            "</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def make_resource(db):
    """Create a resource through the service (a link unless a file is given)."""
    from echos.library import services

    def make(title="A resource", *, actor=None, description="", language="en", file=None, **kw):
        kw.setdefault("type", "guideline")
        kw.setdefault("tags", [])
        if file is None:
            kw.setdefault("url", "https://example.org/resource")
        return services.create_resource(
            actor=actor, title=title, description=description, language=language, file=file, **kw
        )

    return make
