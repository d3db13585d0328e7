"""Terminal tables that stay readable at 80 columns.

On a narrow terminal (fewer than :data:`WIDE_COLUMNS` columns) a table shows its essential
columns only; ``--wide`` shows them all.  Either way every column folds its text onto more
lines instead of cutting it to "…", so no figure is ever lost.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Annotated

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

__all__ = [
    "WIDE_COLUMNS",
    "WideOption",
    "fold_columns",
    "is_narrow",
    "pick_columns",
    "print_table",
    "rendered_width",
]

#: terminals at least this wide show every column.
WIDE_COLUMNS = 120

#: ``--wide``: every column, whatever the terminal's width.
WideOption = Annotated[
    bool,
    typer.Option("--wide", help="όλες οι στήλες / every column of the tables, however narrow the terminal"),
]


def is_narrow(console: Console, wide: bool = False) -> bool:
    """Whether to show the essential columns only: a terminal under :data:`WIDE_COLUMNS` without ``--wide``."""
    return not wide and console.width < WIDE_COLUMNS


def pick_columns(columns: Sequence[str], essential: Sequence[str], narrow: bool) -> list[str]:
    """``columns`` in their order; on a narrow terminal only those in ``essential``."""
    keep = set(essential)
    return [c for c in columns if not narrow or c in keep]


def fold_columns(table: Table, *, keep_whole: int = 24) -> Table:
    """Let every column wrap and fold its text rather than cut it to "…".

    Left-aligned (text) columns ask to keep words of up to ``keep_whole`` characters whole,
    so names wrap between words and the figures' headers wrap instead; :func:`print_table`
    drops that wish where the terminal is too narrow for it.
    """
    for column in table.columns:
        column.overflow = "fold"
        column.no_wrap = False
        if column.justify == "left":
            longest = max((len(word) for cell in column.cells for word in str(cell).split()), default=0)
            column.min_width = min(keep_whole, longest) or None
    return table


def rendered_width(table: Table, width: int) -> int:
    """How many columns ``table`` takes when rendered for a terminal ``width`` wide (uncropped)."""
    probe = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    with probe.capture() as captured:
        probe.print(table, crop=False)
    return max((cell_len(line) for line in captured.get().splitlines()), default=0)


def print_table(console: Console, table: Table, *, wide: bool = False) -> None:
    """Print ``table`` within the terminal's width; ``wide``: at its natural width, however wide.

    Within the width, words kept whole (:func:`fold_columns`) give way when the table would
    not fit otherwise, so nothing is cropped at the terminal's edge.
    """
    if wide:
        natural = Measurement.get(console, console.options.update(width=10_000), table).maximum
        width = console.width
        console.width = max(width, natural)
        try:
            console.print(table, crop=False)
        finally:
            console.width = width
        return
    if rendered_width(table, console.width) > console.width:
        for column in table.columns:
            column.min_width = None
    console.print(table)
