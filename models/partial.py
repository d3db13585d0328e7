"""Part of a problem: the tables one import brings to a store that already holds the rest.

A service keeps schools, bases and ports between imports, so an import may bring
only some tables (the daily ``tickets.csv`` of the helpdesk) whose rows refer to
rows stored before.  :class:`StoredIds` says what is stored; the readers'
:func:`~dromologio.models.readers.read_tables` checks every reference against
the tables given and those ids, and returns :class:`ProblemTables`: each row
validated, with the file and row it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .policy import Policy
from .problem import Base, Port, Problem, Sailing, School, Technician, Ticket

__all__ = ["ProblemTables", "StoredIds"]

#: the tables of a problem (as in :data:`dromologio.models.readers.TABLES`).
_TABLES = ("schools", "bases", "technicians", "tickets", "ports", "ferries")


@dataclass(frozen=True)
class StoredIds:
    """Ids kept by the service that the rows of an import may refer to.

    ``visible`` narrows the ids that a "did you mean" may offer (those the caller
    may see), by table; a table absent from it offers all its ids.
    """

    schools: frozenset[str] = frozenset()
    bases: frozenset[str] = frozenset()
    ports: frozenset[str] = frozenset()
    #: islands that have a stored port.
    port_islands: frozenset[str] = frozenset()
    visible: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def ids(self, table: str) -> frozenset[str]:
        """The stored ids of ``schools``, ``bases`` or ``ports``."""
        return {"schools": self.schools, "bases": self.bases, "ports": self.ports}.get(table, frozenset())

    def hints(self, table: str) -> frozenset[str]:
        """The stored ids a "did you mean" may name."""
        return self.visible.get(table, self.ids(table))


@dataclass(frozen=True)
class ProblemTables:
    """The tables a source holds, validated, with where each row came from.

    ``present`` names the tables the source holds (even empty ones), ``labels``
    the file, sheet or document table of each (as issues name them) and ``rows``
    the row number of each item, in order.  ``policy`` is ``None`` when the
    source has none.
    """

    schools: tuple[School, ...] = ()
    bases: tuple[Base, ...] = ()
    technicians: tuple[Technician, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    ports: tuple[Port, ...] = ()
    sailings: tuple[Sailing, ...] = ()
    policy: Policy | None = None
    name: str = ""
    present: frozenset[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)
    rows: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "rows", MappingProxyType(dict(self.rows)))

    def label(self, table: str) -> str:
        """``tickets.csv``, ``problem.xlsx:tickets`` or ``problem.json:tickets``."""
        return self.labels.get(table, table)

    def row(self, table: str, index: int) -> int:
        """The row number of the ``index``-th item of ``table`` (its 1-based position when unknown)."""
        numbers = self.rows.get(table, ())
        return numbers[index] if index < len(numbers) else index + 1

    @classmethod
    def of_problem(cls, problem: Problem, *, has_policy: bool, label: str = "problem") -> ProblemTables:
        """A whole problem as tables; rows are numbered by position, files named ``{label}:{table}``."""
        items = {
            "schools": problem.schools,
            "bases": problem.bases,
            "technicians": problem.technicians,
            "tickets": problem.tickets,
            "ports": problem.ports,
            "ferries": problem.sailings,
        }
        return cls(
            schools=problem.schools,
            bases=problem.bases,
            technicians=problem.technicians,
            tickets=problem.tickets,
            ports=problem.ports,
            sailings=problem.sailings,
            policy=problem.policy if has_policy else None,
            name=problem.name,
            present=frozenset(_TABLES),
            labels={t: f"{label}:{t}" for t in _TABLES},
            rows={t: tuple(range(1, len(items[t]) + 1)) for t in _TABLES},
        )
