"""Small real documents for the demo and the bench: PDF (fpdf2), DOCX and ODT (stdlib zipfile).

The PDF embeds the shipped DejaVu Sans (``fonts/``, Bitstream Vera licence in ``LICENSE.txt``) so
that Polish, Greek and every other European script render and extract as text. It uses a subset of
the font cut to the European scripts (``DejaVuSans-eu.ttf``, 1,300 of 6,000 glyphs, written by
``write_european_fonts``): fpdf2 parses the whole font for every document, ~0.25 s for the full
font against ~0.1 s for the subset. A text with a character outside the subset gets the full font. DOCX and ODT are
minimal valid packages (the parts Word, LibreOffice and the library's text extraction need),
written without any dependency. Every document carries a "demo" notice in its body.
"""

import io
import zipfile
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

FONTS = Path(__file__).resolve().parent / "fonts"
DEMO_NOTICE = "Demo document written for echos; invented content."

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


FONT_NAMES = ("DejaVuSans", "DejaVuSans-Bold")
# The code points of the European subset: Latin (with Extended-A, -B and Additional), Greek,
# Cyrillic, general punctuation, the euro and trade mark signs and the replacement character.
EUROPEAN = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x1E00, 0x1EFF),
    (0x2010, 0x2027),
    (0x2030, 0x203A),
    (0x20AC, 0x20AC),
    (0x2122, 0x2122),
    (0xFFFD, 0xFFFD),
)


def european(text: str) -> bool:
    """Whether every character of ``text`` (line breaks aside) is in the European subset."""
    return all(
        any(low <= ord(char) <= high for low, high in EUROPEAN) for char in set(text) - {"\n"}
    )


@cache
def _font_paths(full: bool = False) -> tuple[str, str]:
    """The regular and bold font files: the European subset unless ``full``."""
    suffix = "" if full else "-eu"
    regular, bold = (FONTS / f"{name}{suffix}.ttf" for name in FONT_NAMES)
    return str(regular), str(bold)


def write_european_fonts() -> list[Path]:
    """Write the European subsets of the shipped fonts next to them (run once when the fonts or
    ``EUROPEAN`` change: ``python -c "from echos.library.demo_documents import *;
    write_european_fonts()"``). No hinting and no layout tables: fpdf2 uses neither."""
    # lazy: fontTools is needed only to rebuild the shipped font subsets
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "FFTM"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    written = []
    for name in FONT_NAMES:
        font = TTFont(FONTS / f"{name}.ttf", recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[c for low, high in EUROPEAN for c in range(low, high + 1)])
        subsetter.subset(font)
        target = FONTS / f"{name}-eu.ttf"
        font.save(target)
        written.append(target)
    return written


def pdf(title: str, paragraphs: Sequence[str], *, notice: str = DEMO_NOTICE) -> bytes:
    """A tagged-text PDF: the title in bold, then each paragraph, then the notice."""
    # lazy: fpdf2 (and Pillow, fontTools) load only when the demo writes its PDFs
    from fpdf import FPDF

    regular, bold = _font_paths(full=not european("".join([title, *paragraphs, notice])))
    document = FPDF(format="A4")
    document.set_title(title)
    document.set_creator("echos demo")
    document.add_font("DejaVu", "", regular)
    document.add_font("DejaVu", "B", bold)
    document.set_auto_page_break(auto=True, margin=18)
    document.add_page()
    document.set_font("DejaVu", "B", 15)
    document.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    document.set_font("DejaVu", "", 11)
    for paragraph in paragraphs:
        document.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        document.ln(2)
    if notice:
        document.set_font("DejaVu", "", 8)
        document.multi_cell(0, 5, notice, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def _zip(parts: list[tuple[str, str]], *, first_stored: bool = False) -> bytes:
    """A zip of text parts in order; ODT needs its ``mimetype`` first and uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, text) in enumerate(parts):
            kind = zipfile.ZIP_STORED if first_stored and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), text, kind)
    return buffer.getvalue()


DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
<Relationship Id="rId2"
 Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
 Target="docProps/core.xml"/>
</Relationships>"""

DOCX_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>{title}</dc:title><dc:creator>echos demo</dc:creator>
</cp:coreProperties>"""

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(title: str, paragraphs: Sequence[str], *, notice: str = DEMO_NOTICE) -> bytes:
    """A minimal WordprocessingML package: the title in bold, then the paragraphs and notice."""

    def para(text: str, bold: bool = False) -> str:
        run_props = '<w:rPr><w:b/><w:sz w:val="30"/></w:rPr>' if bold else ""
        return f'<w:p><w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = para(title, bold=True) + "".join(para(p) for p in [*paragraphs, notice] if p)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )
    return _zip(
        [
            ("[Content_Types].xml", DOCX_CONTENT_TYPES),
            ("_rels/.rels", DOCX_RELS),
            ("docProps/core.xml", DOCX_CORE.format(title=escape(title))),
            ("word/document.xml", document),
        ]
    )


ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.text" manifest:version="1.2"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""

ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:text>{body}</office:text></office:body>
</office:document-content>"""


def odt(title: str, paragraphs: Sequence[str], *, notice: str = DEMO_NOTICE) -> bytes:
    """A minimal OpenDocument text: mimetype first (stored), manifest and content."""
    body = f'<text:h text:outline-level="1">{escape(title)}</text:h>' + "".join(
        f"<text:p>{escape(p)}</text:p>" for p in [*paragraphs, notice] if p
    )
    return _zip(
        [
            ("mimetype", CONTENT_TYPES["odt"]),
            ("META-INF/manifest.xml", ODT_MANIFEST),
            ("content.xml", ODT_CONTENT.format(body=body)),
        ],
        first_stored=True,
    )


WRITERS = {"pdf": pdf, "docx": docx, "odt": odt}


def document(kind: str, title: str, paragraphs: Sequence[str]) -> bytes:
    """The bytes of a ``kind`` (pdf, docx, odt) document (kept: a second demo load reuses them)."""
    return _document(kind, title, tuple(paragraphs))


@lru_cache(maxsize=128)
def _document(kind: str, title: str, paragraphs: tuple[str, ...]) -> bytes:
    return WRITERS[kind](title, paragraphs)
