"""What an import accepts: its columns, the bounds on a file, and the errors of a whole file."""

from django.utils.translation import gettext as _

# Column name -> (required, help). The README documents the same table.
COLUMNS = {
    "organisations": {
        "name": (True, "Organisation name"),
        "country": (True, "ISO 3166-1 alpha-2 code, e.g. NO"),
        "stakeholder_group": (True, "Code from the stakeholder_groups vocabulary, e.g. research"),
        "region": (False, "ISO 3166-2 code, e.g. NO-03"),
        "website": (False, "https://…"),
        "description": (False, "Free text"),
    },
    "memberships": {
        "organisation": (True, "Organisation id, or its exact name"),
        "country": (False, "Organisation's country when matching by name (default: the hub's)"),
        "role": (False, "coordinating_group, founding_member, member (default) or observer"),
        "since": (False, "YYYY-MM-DD"),
        "until": (False, "YYYY-MM-DD"),
        "stakeholder_group": (
            False,
            "Creates the organisation when no organisation matches the name",
        ),
        "website": (False, "Used only when the organisation is created"),
    },
}


# XLSX is zipped XML: allow it to unpack to this many times the upload limit.
XLSX_UNPACKED_FACTOR = 5
# A header wider than this is refused as a whole; no row is read wider than this plus one.
MAX_COLUMNS = 50
# A CSV header line longer than this (in characters) is refused.
MAX_HEADER_CHARS = 10_000
# Problems listed in a report; the rest are counted in one last line.
MAX_ERRORS = 100
# Shared strings an XLSX may hold per row allowed: the widest kind's columns, plus one.
STRINGS_PER_ROW = max(len(columns) for columns in COLUMNS.values()) + 1
# Rows per query when reading stored data and writing the file's rows.
BATCH = 500
BIGGEST_ID = 2**63 - 1


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


class TooManyRows(ImportFileError):
    """More rows were read, empty ones included, than any import may have."""

    def __init__(self, row: int, limit: int):
        super().__init__(
            _(
                "The file has more than %(limit)d rows after the header, counting empty ones "
                "(twice ECHOS_IMPORT_MAX_ROWS). Remove the empty rows or split the file."
            )
            % {"limit": limit}
        )
        self.row = row
