"""The one check of an uploaded file: its name, its size and its content against the declared type.

Every app that stores a file a person uploaded (evidence of the assessment, the resource library)
calls ``validate_upload`` and keeps the name it returns. The declared type is the name's last
extension; the content must be that type by its own signature (magic numbers through ``filetype``,
the inner files of office documents, UTF-8 for text), so ``report.exe`` renamed ``report.pdf`` or a
web page named ``evil.html.pdf`` is refused. Web pages, SVG, XML and executable programs are refused
whatever the name, since a browser or a desktop could run them. Inner dots of the name become
underscores (``evil.html.pdf`` is kept as ``evil_html.pdf``: some servers treat every extension of a
name as its type) and a long name is shortened before its extension, never through it.
"""

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import filetype
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation

MAX_NAME_LENGTH = 100  # Django's FileField keeps 100 characters of the stored path by default
SNIFF_BYTES = 8192

# Refused whatever ``allowed`` says: a browser renders them or a computer runs them.
REFUSED_EXTENSIONS = frozenset(
    "htm html xhtml shtml svg svgz xml xsl js mjs css swf exe dll com bat cmd msi scr pif cpl "
    "vbs vbe wsf ps1 sh bash jar apk app dmg deb rpm elf bin so dylib php phtml py pl rb".split()
)
EXECUTABLE_KINDS = frozenset({"exe", "elf", "wasm", "swf", "crx", "deb", "rpm", "cab"})
EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows and DOS programs
    b"\x7fELF",  # Linux programs
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
)
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|\?xml)\b"
    rb"|javascript\s*:",
    re.IGNORECASE,
)


class CleanUpload(NamedTuple):
    """A file that passed: the name to store it under and its content type."""

    name: str
    content_type: str


@dataclass(frozen=True)
class Kind:
    """One accepted type: its content type and the check of its content."""

    content_type: str
    check: Callable[[object, bytes], bool]


def _mime(expected: str) -> Callable[[object, bytes], bool]:
    return lambda file, head: filetype.guess_mime(head) == expected


def _pdf(file, head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _ooxml(main_type: str) -> Callable[[object, bytes], bool]:
    """An Office Open XML package whose main part is ``main_type`` (macro-enabled ones differ)."""

    def check(file, head: bytes) -> bool:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or any(
                n.lower().endswith("vbaproject.bin") for n in names
            ):
                return False
            with package.open("[Content_Types].xml") as types:
                declared = types.read(1024 * 1024)
        return f'ContentType="{main_type}"'.encode() in declared

    return check


def _odf(mimetype: str) -> Callable[[object, bytes], bool]:
    """An OpenDocument package whose ``mimetype`` file names ``mimetype``."""

    def check(file, head: bytes) -> bool:
        with zipfile.ZipFile(file) as package:
            if "mimetype" not in package.namelist():
                return False
            with package.open("mimetype") as declared:
                return declared.read(200).strip() == mimetype.encode()

    return check


def _text(file, head: bytes) -> bool:
    data = _read(file, None)
    if b"\x00" in data or MARKUP.search(data):
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"
KINDS = {
    "pdf": Kind("application/pdf", _pdf),
    "png": Kind("image/png", _mime("image/png")),
    "jpg": Kind("image/jpeg", _mime("image/jpeg")),
    "jpeg": Kind("image/jpeg", _mime("image/jpeg")),
    "gif": Kind("image/gif", _mime("image/gif")),
    "webp": Kind("image/webp", _mime("image/webp")),
    "docx": Kind(
        f"{OOXML}.wordprocessingml.document",
        _ooxml(f"{OOXML}.wordprocessingml.document.main+xml"),
    ),
    "xlsx": Kind(f"{OOXML}.spreadsheetml.sheet", _ooxml(f"{OOXML}.spreadsheetml.sheet.main+xml")),
    "pptx": Kind(
        f"{OOXML}.presentationml.presentation",
        _ooxml(f"{OOXML}.presentationml.presentation.main+xml"),
    ),
    "odt": Kind(f"{ODF}.text", _odf(f"{ODF}.text")),
    "ods": Kind(f"{ODF}.spreadsheet", _odf(f"{ODF}.spreadsheet")),
    "odp": Kind(f"{ODF}.presentation", _odf(f"{ODF}.presentation")),
    "txt": Kind("text/plain", _text),
    "csv": Kind("text/csv", _text),
}


def _read(file, size: int | None) -> bytes:
    """The first ``size`` bytes (all with None), leaving the file at its start for saving."""
    file.seek(0)
    data = file.read() if size is None else file.read(size)
    file.seek(0)
    return data


def is_program(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a program or a script.

    Binary programs carry NUL bytes in their first header, which tells ``MZ…`` text (a CSV column
    named MZ_code) from a Windows program.
    """
    if head.startswith(b"#!/"):
        return True
    if b"\x00" not in head[:64]:
        return False
    guessed = filetype.guess(head)
    return head.startswith(EXECUTABLE_SIGNATURES) or (
        guessed is not None and guessed.extension in EXECUTABLE_KINDS
    )


def clean_name(name: str, extension: str, max_length: int = MAX_NAME_LENGTH) -> str:
    """``name`` without folders, control or invisible characters and inner dots, ending in
    ``.extension`` and at most ``max_length`` characters long."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] not in "CZ" or c == " ")
    stem = base[: -len(extension) - 1] if base.lower().endswith(f".{extension}") else base
    stem = re.sub(r"\s+", " ", stem.replace(".", "_")).strip(" _-") or "file"
    return f"{stem[: max_length - len(extension) - 1].rstrip(' _-') or 'file'}.{extension}"


def validate_upload(file, *, allowed: set[str], max_bytes: int, field: str = "file") -> CleanUpload:
    """Check an uploaded ``file`` and return the name to store it under and its content type.

    ``allowed`` are extensions known to ``KINDS``. A refusal is a ``RuleViolation`` naming
    ``field`` and the problem.
    """
    unknown = set(allowed) - set(KINDS)
    if unknown:
        raise ValueError(f"No content check for {', '.join(sorted(unknown))}.")
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in REFUSED_EXTENSIONS or extension not in allowed:
        raise RuleViolation(
            _("Files of type .%(ext)s are not accepted; use one of: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(allowed))},
            field,
        )
    if file.size > max_bytes:
        raise RuleViolation(
            _("The file is larger than %(mb)s MB.") % {"mb": f"{max_bytes / (1024 * 1024):g}"},
            field,
        )
    if not file.size:
        raise RuleViolation(_("The file is empty."), field)
    head = _read(file, SNIFF_BYTES)
    if is_program(head):
        raise RuleViolation(_("Programs are not accepted, whatever the file name."), field)
    if MARKUP.match(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        raise RuleViolation(
            _("Web pages, SVG and XML files are not accepted, whatever the file name."), field
        )
    kind = KINDS[extension]
    try:
        matches = kind.check(file, head)
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError, EOFError, RuntimeError, ValueError):
        matches = False
    finally:
        file.seek(0)
    if not matches:
        raise RuleViolation(
            _("The content of the file is not a .%(ext)s file.") % {"ext": extension}, field
        )
    return CleanUpload(clean_name(name, extension), kind.content_type)
