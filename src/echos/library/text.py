"""Text of the library's documents: the accent and case fold of search, and bounded extraction of
the text inside PDF, DOCX and ODT files.

``fold`` maps each character to exactly one character (``São`` → ``sao``, ``Zdrowie`` →
``zdrowie``, ``Υγεία`` → ``υγεια``), so a folded text has the length of its original and a position
found in one is the same position in the other: PostgreSQL searches and highlights the folded copy,
and the snippet is cut from the original at the same place. A character whose fold would be longer
(``ß``, ligatures) is only lower-cased.

Extraction never trusts a file: office documents are zip packages whose parts are read with a cap
on their decompressed size and on their compression ratio (a zip bomb is refused), XML with a
document type declaration is refused (no entity expansion), and every text stops at
``MAX_TEXT_CHARS``.
"""

import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree import ElementTree

from echos.core.folding import fold

MAX_TEXT_CHARS = 1_000_000  # text kept from one file
MAX_PART_BYTES = 50 * 1024 * 1024  # decompressed size of one XML part of an office document
MAX_RATIO = 200  # decompressed / compressed size of a part beyond which it is a zip bomb
MAX_PDF_PAGES = 2000

# Marks of a hit in a snippet, from the private use area; removed from every indexed text so that
# no document can forge them.
HIT_START = "\ue000"
HIT_END = "\ue001"
WORD = re.compile(r"[^\W_]+")


class ExtractionError(Exception):
    """The text of a file could not be read (damaged, encrypted, too large, a zip bomb)."""


def clean(text: str) -> str:
    """``text`` without the snippet marks and NUL characters (which no column stores)."""
    return text.replace(HIT_START, " ").replace(HIT_END, " ").replace("\x00", " ")


def words(query: str) -> list[str]:
    """The folded words of a query (letters and digits; punctuation and operators dropped)."""
    return WORD.findall(fold(query))


# --- extraction -----------------------------------------------------------------------------------


def _bounded(parts: Iterator[str]) -> str:
    out: list[str] = []
    size = 0
    for part in parts:
        out.append(part)
        size += len(part)
        if size >= MAX_TEXT_CHARS:
            break
    return clean("".join(out)[:MAX_TEXT_CHARS]).strip()


def _pdf(file: BinaryIO) -> str:
    # lazy: pypdf is read only when a PDF is, not by every process that imports the library
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted:
        raise ExtractionError("encrypted PDF")

    def pages() -> Iterator[str]:
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES:
                break
            yield (page.extract_text() or "") + "\n"

    return _bounded(pages())


def _part(package: zipfile.ZipFile, name: str) -> bytes:
    """One XML part of an office package, refused when it is too large or too compressed."""
    try:
        info = package.getinfo(name)
    except KeyError:
        raise ExtractionError(f"no {name} in the package") from None
    if info.file_size > MAX_PART_BYTES:
        raise ExtractionError("part too large")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise ExtractionError("compression ratio of a zip bomb")
    with package.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)  # the header may lie about the size
    if len(data) > MAX_PART_BYTES:
        raise ExtractionError("part too large")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ExtractionError("document type declarations are not read")
    return data


def _paragraphs(data: bytes, paragraph_tags: set[str], text_tags: set[str] | None) -> str:
    """Text of an XML part, one line per paragraph element.

    ``text_tags`` limits the text to those elements (``w:t`` of Word); None takes all text.
    """
    lines: list[str] = []
    size = 0
    current: list[str] = []
    for event, element in ElementTree.iterparse(_Bytes(data), events=("start", "end")):
        tag = element.tag
        if event == "end" and text_tags is not None and tag in text_tags and element.text:
            current.append(element.text)
        elif event == "end" and tag in paragraph_tags:
            if text_tags is None:
                current.append("".join(element.itertext()))
            line = "".join(current).strip()
            current = []
            if line:
                lines.append(line)
                size += len(line)
            element.clear()
            if size >= MAX_TEXT_CHARS:
                break
        elif event == "end" and tag.endswith("}tab") and text_tags is not None:
            current.append("\t")
    return _bounded(iter(["\n".join(lines)]))


class _Bytes:
    """A minimal file object over bytes for ``iterparse``."""

    def __init__(self, data: bytes):
        self.data = data
        self.at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk = self.data[self.at : end]
        self.at += len(chunk)
        return chunk


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _docx(file: BinaryIO) -> str:
    with zipfile.ZipFile(file) as package:
        return _paragraphs(_part(package, "word/document.xml"), {f"{W}p"}, {f"{W}t"})


def _odt(file: BinaryIO) -> str:
    with zipfile.ZipFile(file) as package:
        return _paragraphs(_part(package, "content.xml"), {f"{TEXT}p", f"{TEXT}h"}, None)


EXTRACTORS = {"pdf": _pdf, "docx": _docx, "odt": _odt}


def can_extract(name: str) -> bool:
    """Whether the library reads the text inside files of this name's type."""
    return name.rsplit(".", 1)[-1].lower() in EXTRACTORS


def extract_text(file: BinaryIO, name: str) -> str:
    """The text inside a PDF, DOCX or ODT file, at most ``MAX_TEXT_CHARS`` long.

    Raises ``ExtractionError`` when the file cannot be read; any parser failure is one.
    """
    extractor = EXTRACTORS.get(name.rsplit(".", 1)[-1].lower())
    if extractor is None:
        raise ExtractionError("no text extraction for this type")
    try:
        return extractor(file)
    except ExtractionError:
        raise
    except Exception as error:  # a damaged file may fail anywhere inside the parsers
        raise ExtractionError(f"{type(error).__name__}: {error}") from error
