"""A ticket's level of support in a problem folder, on the command line: ``level``.

dromologio level FOLDER TICKET                               the ticket's level and its moves
dromologio level FOLDER TICKET LEVEL --reason TEXT [--at ISO]  move it to another level

A move must be allowed (:func:`dromologio.planning.service.levels.is_allowed`); it rewrites
``tickets.csv`` through the writers (its ``level`` and the flags the level gives) and appends
the move to the folder's optional ``ticket_events.csv`` (``docs/problem-format.md``).
:func:`register` adds the command to an application.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dromologio.models import Problem, Ticket
from dromologio.models.calendar import ATHENS, today
from dromologio.models.cells import CellError, format_instant, parse_instant, suggestion
from dromologio.models.service_columns import LEVEL, LEVEL_FLAGS, parse_level, ticket_level
from dromologio.models.table_specs import TICKETS
from dromologio.models.writers import cell_text, write_csv, written_columns
from dromologio.planning.service.levels import LEVEL_EVENT, LEVEL_TITLES, allowed_moves, is_allowed
from dromologio.reports.terminal import read_problem_or_exit

console = Console()
errors = Console(stderr=True)

#: the optional history of a folder's tickets, one row per move between levels.
EVENTS_FILE = "ticket_events.csv"
EVENT_COLUMNS: tuple[str, ...] = ("ticket_id", "at", "kind", "from_level", "to_level", "reason")


@dataclass(frozen=True)
class LevelMove:
    """One row of ``ticket_events.csv``."""

    ticket_id: str
    at: str
    source: str
    target: str
    reason: str

    def cells(self) -> list[str]:
        return [self.ticket_id, self.at, LEVEL_EVENT, self.source, self.target, self.reason]


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]{message}[/]", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def read_moves(folder: Path, ticket_id: str) -> list[LevelMove]:
    """The moves of ``ticket_id`` in the folder's ``ticket_events.csv``, in file order (none without one)."""
    path = folder / EVENTS_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        LevelMove(
            r["ticket_id"],
            r.get("at") or "",
            r.get("from_level") or "",
            r.get("to_level") or "",
            r.get("reason") or "",
        )
        for r in rows
        if r.get("ticket_id") == ticket_id and (r.get("kind") or LEVEL_EVENT) == LEVEL_EVENT
    ]


def append_move(folder: Path, move: LevelMove) -> None:
    """Append ``move`` to the folder's ``ticket_events.csv`` (created with its header when absent)."""
    path = folder / EVENTS_FILE
    if not path.is_file():
        write_csv(path, EVENT_COLUMNS, [move.cells()])
        return
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(move.cells())


def moved_ticket(ticket: Ticket, target: str) -> Ticket:
    """``ticket`` at ``target``: its ``level`` cell and the flags the level gives."""
    remote, warranty = LEVEL_FLAGS[target]
    return replace(ticket, remote=remote, warranty=warranty, extra={**ticket.extra, LEVEL: target})


def write_tickets(folder: Path, tickets: tuple[Ticket, ...]) -> None:
    """Rewrite the folder's ``tickets.csv`` as the writers write it (extra columns after the contract's)."""
    columns = written_columns(TICKETS, tickets)
    extras: dict[str, None] = {}
    for ticket in tickets:
        extras.update(dict.fromkeys(ticket.extra))
    write_csv(
        folder / TICKETS.file,
        [c.name for c in columns] + list(extras),
        (
            [cell_text(c.value_of(t)) for c in columns] + [t.extra.get(name, "") for name in extras]
            for t in tickets
        ),
    )


def _ticket(problem: Problem, ticket_id: str) -> Ticket:
    ids = [t.ticket_id for t in problem.tickets]
    found = next((t for t in problem.tickets if t.ticket_id == ticket_id), None)
    if found is None:
        raise _fail(f"δεν υπάρχει δελτίο / no ticket '{ticket_id}'{suggestion(ticket_id, ids)}")
    return found


def _show(folder: Path, ticket: Ticket) -> None:
    level = ticket_level(ticket)
    console.print(f"{ticket.ticket_id}: [bold]{level}[/] — {LEVEL_TITLES.get(level, level)}", highlight=False)
    allowed = ", ".join(allowed_moves(level)) or "—"
    console.print(f"  επιτρεπτές μετακινήσεις / allowed moves: {allowed}", highlight=False)
    moves = read_moves(folder, ticket.ticket_id)
    if not moves:
        console.print("  καμία μετακίνηση / no moves", highlight=False)
    for move in moves:
        console.print(
            f"  {move.at}  {move.source} → {move.target}: {move.reason}", highlight=False, soft_wrap=True
        )


def _when(at: str | None, ticket: Ticket, moves: list[LevelMove]) -> str:
    """When the move happened: ``--at`` or now (today's date as the planner takes it), in order."""
    if at is None:
        when = datetime.combine(today(), datetime.now(ATHENS).time()).replace(second=0, microsecond=0)
    else:
        try:
            when = parse_instant(at.strip())
        except CellError as error:
            raise _fail(f"--at: {error.message}; {error.fix}") from error
    if when < ticket.opened_at:
        raise _fail(
            f"--at: {format_instant(when)} είναι πριν ανοίξει το δελτίο / is before the ticket was opened "
            f"({format_instant(ticket.opened_at)}); write when the move happened"
        )
    last = moves[-1].at if moves else ""
    if last and format_instant(when) < last:
        raise _fail(
            f"--at: {format_instant(when)} είναι πριν την τελευταία μετακίνηση / is before the ticket's last move "
            f"({last}); moves are recorded in the order they happened"
        )
    return format_instant(when)


def level(
    folder: Annotated[Path, typer.Argument(help="problem folder (CSV)", show_default=False)],
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET", help="the ticket id", show_default=False)],
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="LEVEL", help="school, remote, on_site, third_level or vendor", show_default=False
        ),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="why it moves (needed for a move)")] = "",
    at: Annotated[str | None, typer.Option("--at", help="when, YYYY-MM-DDTHH:MM (default: now)")] = None,
) -> None:
    """Επίπεδο υποστήριξης / a ticket's level: show it and its moves, or move it to LEVEL."""
    if not folder.is_dir():
        raise _fail(f"{folder}: δεν είναι φάκελος προβλήματος / not a problem folder (one with tickets.csv)")
    problem = read_problem_or_exit(folder)
    ticket = _ticket(problem, ticket_id)
    if target is None:
        _show(folder, ticket)
        return
    try:
        wanted = parse_level(target)
    except CellError as error:
        raise _fail(f"LEVEL: {error.message}") from error
    current = ticket_level(ticket)
    if not is_allowed(current, wanted):
        allowed = ", ".join(allowed_moves(current))
        raise _fail(
            f"{ticket_id}: {current} → {wanted} δεν επιτρέπεται / is not allowed; "
            f"from {current} a ticket may move to: {allowed}"
        )
    if not reason.strip():
        raise _fail(
            "--reason: γράψτε την αιτία / write why the ticket moves, e.g. --reason 'remote attempt failed'"
        )
    when = _when(at, ticket, read_moves(folder, ticket_id))
    tickets = tuple(moved_ticket(t, wanted) if t.ticket_id == ticket_id else t for t in problem.tickets)
    write_tickets(folder, tickets)
    append_move(folder, LevelMove(ticket_id, when, current, wanted, " ".join(reason.split())))
    console.print(f"{ticket_id}: {current} → {wanted} ({when})", highlight=False)


def register(application: typer.Typer) -> None:
    """Add ``level`` to ``application``."""
    application.command("level")(level)
