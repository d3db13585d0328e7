"""Input errors: every problem found in a problem folder, reported at once.

Readers never stop at the first bad cell.  They collect one :class:`InputIssue`
per finding (file, row, column, the value found, what is wrong and how to fix
it) across all the files of a problem, and raise a single :class:`InputError`
that lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class InputIssue:
    """One finding in the input.

    ``file`` names the file (``tickets.csv``), the sheet of a workbook
    (``problem.xlsx:tickets``) or the table of a JSON document
    (``problem.json:tickets``).  ``row`` is the line of a CSV file or the row
    of a sheet, counting the header as row 1, or the 1-based position of the
    row in a JSON list; ``None`` when the issue concerns the whole file.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    fix: str = ""

    @property
    def where(self) -> str:
        """``tickets.csv row 14, column skill`` (as much of it as is known)."""
        place = self.file
        if self.row is not None:
            place += f" row {self.row}"
        if self.column is not None:
            place += f", column {self.column}"
        return place

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        if self.fix:
            text += f" — fix: {self.fix}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the API)."""
        return asdict(self)


class InputError(ValueError):
    """The input cannot be read; ``issues`` lists every problem found, in file and row order."""

    def __init__(self, issues: Iterable[InputIssue]) -> None:
        self.issues: list[InputIssue] = list(issues)
        super().__init__(self.report())

    def report(self) -> str:
        """A count headline, then one issue per line."""
        count = len(self.issues)
        headline = f"{count} problem{'' if count == 1 else 's'} in the input:"
        return "\n".join([headline, *(f"- {issue}" for issue in self.issues)])

    def __str__(self) -> str:
        return self.report()

    def __reduce__(self) -> tuple[type[InputError], tuple[list[InputIssue]]]:
        return (type(self), (self.issues,))
