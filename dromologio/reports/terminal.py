"""What the commands share on the terminal: reading a problem, or showing every input error and exiting."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dromologio.models import Problem, ProblemError

from .exports.dialect import CsvDialect, csv_dialect

__all__ = [
    "DecimalOption",
    "ExcelOption",
    "SepOption",
    "csv_dialect_or_exit",
    "parse_date_or_exit",
    "read_problem_or_exit",
]

#: ``--excel``: the CSV files for Excel on Greek Windows.
ExcelOption = Annotated[
    bool,
    typer.Option(
        "--excel", help="CSV για ελληνικό Excel / CSV for Greek Excel: UTF-8 with a BOM, ';', decimal comma"
    ),
]
#: ``--sep``: the CSV column separator.
SepOption = Annotated[
    str | None, typer.Option("--sep", help="CSV column separator, e.g. ';' (default ',', with --excel ';')")
]
#: ``--decimal``: the CSV decimal mark.
DecimalOption = Annotated[
    str | None, typer.Option("--decimal", help="CSV decimal mark, '.' or ',' (default '.', with --excel ',')")
]

errors = Console(stderr=True)


def read_problem_or_exit(path: Path) -> Problem:
    """Read and validate a problem, or print every issue and exit with status 2."""
    from dromologio.models.errors import InputError
    from dromologio.models.readers import read_problem

    try:
        return read_problem(path)
    except InputError as error:
        errors.print(f"[bold red]Σφάλματα εισόδου / input errors[/] ({len(error.issues)}):")
        for issue in error.issues:
            errors.print(f"  • {issue}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from error
    except ProblemError as error:
        errors.print("[bold red]Ασυνεπές πρόβλημα / inconsistent problem:[/]")
        for line in error.issues:
            errors.print(f"  • {line}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from error
    except FileNotFoundError as error:
        errors.print(f"[bold red]Δεν βρέθηκε / not found:[/] {error}")
        raise typer.Exit(2) from error


def parse_date_or_exit(text: str) -> date:
    """A ``--date`` option: ``YYYY-MM-DD``, tomorrow when empty; a clear message and exit 2 otherwise."""
    if not text:
        return date.today() + timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        errors.print(f"[bold red]--date '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23[/]")
        raise typer.Exit(2) from error


def csv_dialect_or_exit(excel: bool, sep: str | None, decimal: str | None) -> CsvDialect:
    """The CSV dialect of ``--excel``, ``--sep`` and ``--decimal``; a clear message and exit 2 if they clash."""
    try:
        return csv_dialect(excel=excel, sep=sep, decimal=decimal)
    except ValueError as error:
        errors.print(f"[bold red]--sep/--decimal: {error}[/]", highlight=False)
        raise typer.Exit(2) from error
