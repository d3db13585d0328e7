"""CSV dialects: the plain machine CSV of the file contract, and the one Greek Excel opens right.

Excel on Greek Windows reads a CSV as the system's code page unless the file starts with a
byte order mark, splits columns at ``;`` (the Greek list separator) and reads ``1,5`` as a
number (the Greek decimal comma).  :data:`GREEK_EXCEL` writes that; :data:`PLAIN` is the
contract's UTF-8, comma-separated CSV with decimal points, for programs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "DIALECTS",
    "GREEK_EXCEL",
    "PLAIN",
    "CsvDialect",
    "csv_dialect",
    "csv_text",
    "format_value",
    "write_csv_rows",
    "write_frame_csv",
]


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: column separator, decimal mark and a UTF-8 byte order mark."""

    delimiter: str = ","
    decimal: str = "."
    bom: bool = False

    def __post_init__(self) -> None:
        if len(self.delimiter) != 1 or self.delimiter in '"\r\n':
            raise ValueError(
                f"the separator '{self.delimiter}' must be one character, not a quote or a line break"
            )
        if self.decimal not in (".", ","):
            raise ValueError(f"the decimal mark '{self.decimal}' must be '.' or ','")
        if self.delimiter == self.decimal:
            raise ValueError(
                f"the separator and the decimal mark are both '{self.delimiter}'; use ';' with ','"
            )

    @property
    def encoding(self) -> str:
        """The text encoding to write with (``utf-8-sig`` writes the byte order mark)."""
        return "utf-8-sig" if self.bom else "utf-8"


#: the file contract's CSV (docs/problem-format.md): UTF-8, ``,`` and decimal points.
PLAIN = CsvDialect()
#: what Excel on Greek Windows opens right: a byte order mark, ``;`` and decimal commas.
GREEK_EXCEL = CsvDialect(delimiter=";", decimal=",", bom=True)
#: dialects by the name the API's ``excel`` parameter takes.
DIALECTS: Mapping[str, CsvDialect] = {"el": GREEK_EXCEL}


def csv_dialect(*, excel: bool = False, sep: str | None = None, decimal: str | None = None) -> CsvDialect:
    """The dialect of the command line's ``--excel``, ``--sep`` and ``--decimal`` options.

    ``excel`` starts from :data:`GREEK_EXCEL`, else from :data:`PLAIN`; ``sep`` and ``decimal``
    replace its separator and decimal mark.  Any choice other than the plain CSV carries a
    byte order mark, so that Excel reads the Greek text as UTF-8.
    """
    base = GREEK_EXCEL if excel else PLAIN
    chosen = CsvDialect(
        delimiter=base.delimiter if sep is None else sep,
        decimal=base.decimal if decimal is None else decimal,
        bom=base.bom,
    )
    return chosen if chosen == PLAIN else CsvDialect(chosen.delimiter, chosen.decimal, bom=True)


def format_value(value: Any, dialect: CsvDialect) -> str:
    """A cell's text: numbers with the dialect's decimal mark, no thousands separator, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float):
        if value != value:  # NaN: an undefined ratio
            return ""
        return repr(value).replace(".", dialect.decimal)
    return str(value)


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], dialect: CsvDialect = PLAIN) -> str:
    """Rows as CSV text in ``dialect`` (the byte order mark as the first character when it has one)."""
    buffer = io.StringIO()
    if dialect.bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_value(row.get(column), dialect) for column in columns])
    return buffer.getvalue()


def write_csv_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    path: str | PathLike[str],
    dialect: CsvDialect = PLAIN,
) -> Path:
    """Write rows to ``path`` as CSV in ``dialect``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(csv_text(rows, columns, dialect), encoding="utf-8", newline="")
    return target


def write_frame_csv(frame: pd.DataFrame, path: str | PathLike[str], dialect: CsvDialect = PLAIN) -> Path:
    """Write a table to ``path`` as CSV in ``dialect`` (empty cells where a ratio is undefined)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(
        target,
        index=False,
        sep=dialect.delimiter,
        decimal=dialect.decimal,
        encoding=dialect.encoding,
        lineterminator="\n",
    )
    return target
