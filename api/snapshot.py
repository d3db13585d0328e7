"""Reading a job's problem snapshot, tolerating bad ticket rows.

A plan job stores its problem as the contract's JSON document.  A ticket row of
that document that cannot be read (a date like ``201-02-03T19:14``, a school that
is not there, an id used twice) must not sink the whole plan: the row is left out
of the solve and the ticket is reported among the plan's unassigned tickets, with
code :data:`BAD_INPUT` and a reason naming the field and its value (Greek first,
then English).  A bad row of any other table still stops the job, with every issue
found named in the message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dromologio.models import Problem
from dromologio.models.errors import InputError, InputIssue
from dromologio.models.plan import Unassigned
from dromologio.models.readers import read_problem_dict

#: the machine code of a ticket whose row in the snapshot cannot be read.
BAD_INPUT = "bad_input"
#: passes over the document: a row left out can only reveal issues of other ticket rows once.
_PASSES = 3


class SnapshotError(ValueError):
    """The snapshot cannot be solved: ``issues`` are in tables other than the tickets."""

    def __init__(self, issues: Sequence[InputIssue]) -> None:
        self.issues = list(issues)
        super().__init__(
            "the problem stored with the job cannot be read: " + "; ".join(str(i) for i in self.issues)
        )


@dataclass(frozen=True)
class Snapshot:
    """The problem to solve, the tickets left out of it, and notes on rows dropped without a ticket."""

    problem: Problem
    left_out: tuple[Unassigned, ...] = ()
    notes: tuple[str, ...] = ()


def bad_ticket_reason(issues: Sequence[InputIssue]) -> str:
    """Why a ticket row was left out, Greek first, then English, naming each field and its value."""
    fields = [
        (issue.column or "?", "" if issue.value is None else issue.value, issue.message) for issue in issues
    ]
    greek = "; ".join(f"{name} = «{value}»" for name, value, _ in fields)
    english = "; ".join(f"{name} = '{value}': {message}" for name, value, message in fields)
    return (
        f"το αίτημα έμεινε εκτός σχεδίου, γιατί δεν διαβάζεται: {greek} / "
        f"the ticket was left out of the plan because its row cannot be read: {english}"
    )


def _ticket_id(row: object, position: int) -> str:
    ident = row.get("ticket_id") if isinstance(row, Mapping) else None
    if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
        return str(ident).strip()
    return f"tickets[{position}]"


def read_snapshot(doc: Mapping[str, Any], *, source: str = "plan") -> Snapshot:
    """The problem of ``doc`` without its unreadable ticket rows, and those tickets as unassigned.

    Raises :class:`SnapshotError` when a table other than the tickets has issues (or the
    tickets table as a whole cannot be read).
    """
    tickets_label = f"{source}:tickets"
    rows = doc.get("tickets")
    kept: list[int] = list(range(len(rows))) if isinstance(rows, list) else []
    bad: dict[int, list[InputIssue]] = {}
    current: Mapping[str, Any] = doc
    for _ in range(_PASSES):
        try:
            problem = read_problem_dict(current, source=source)
        except InputError as error:
            row_issues = [i for i in error.issues if i.file == tickets_label and i.row is not None]
            others = [i for i in error.issues if i not in row_issues]
            if others or not row_issues or not isinstance(rows, list):
                raise SnapshotError(others or error.issues) from None
            dropped = {kept[i.row - 1] for i in row_issues if i.row is not None and 0 < i.row <= len(kept)}
            for issue in row_issues:
                if issue.row is not None and 0 < issue.row <= len(kept):
                    bad.setdefault(kept[issue.row - 1], []).append(issue)
            kept = [k for k in kept if k not in dropped]
            current = {**doc, "tickets": [rows[k] for k in kept]}
            continue
        return _snapshot(problem, rows if isinstance(rows, list) else [], bad)
    raise SnapshotError([i for issues in bad.values() for i in issues])


def _snapshot(problem: Problem, rows: list[Any], bad: dict[int, list[InputIssue]]) -> Snapshot:
    placed = {t.ticket_id for t in problem.tickets}
    left_out: list[Unassigned] = []
    notes: list[str] = []
    for index in sorted(bad):
        ticket_id = _ticket_id(rows[index], index + 1)
        reason = bad_ticket_reason(bad[index])
        if ticket_id in placed:
            # A second row of a ticket already in the plan: the ticket is planned once, the row noted.
            notes.append(f"tickets row {index + 1} ({ticket_id}) left out: {reason}")
            continue
        placed.add(ticket_id)
        left_out.append(Unassigned(ticket_id=ticket_id, reason=reason, code=BAD_INPUT))
    return Snapshot(problem=problem, left_out=tuple(left_out), notes=tuple(notes))
