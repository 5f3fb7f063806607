"""The report of an import: each bad row with its column and reason, at most MAX_ERRORS listed."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from echos.hubs.imports.limits import MAX_ERRORS


@dataclass
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    kind: str
    total: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    unlisted: int = 0  # problems found beyond MAX_ERRORS
    problems: int = 0  # every problem found, listed or not

    def add(self, error: RowError) -> None:
        """List the problem, or only count it once MAX_ERRORS are listed."""
        self.problems += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.unlisted += 1

    def close(self) -> "ImportReport":
        """One last line saying how many problems were not listed."""
        if self.unlisted:
            self.errors.append(
                RowError(
                    self.errors[-1].row,
                    None,
                    _("… and %(count)d more problems, not listed (the first %(limit)d are).")
                    % {"count": self.unlisted, "limit": MAX_ERRORS},
                )
            )
            self.unlisted = 0
        return self

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "ok": self.ok,
            "total": self.total,
            "created": self.created,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }
