"""What the commands share on the terminal: reading a problem, or showing every input error and exiting."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import typer
from rich.console import Console

from dromologio.models import Problem, ProblemError

__all__ = ["parse_date_or_exit", "read_problem_or_exit"]

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
