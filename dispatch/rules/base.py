"""What every rule sees and writes: the rule record, the day, the nodes and the instance draft.

A routing rule (:class:`Rule`) has up to three parts, each optional:

- a *pre-check* — ``admits(day, technician, ticket)``: can this technician ever serve this
  ticket today, as far as this rule goes? — and ``explain(day, ticket, pool)``: why nobody
  of ``pool`` (everyone the earlier pre-checks left) can.  ``restate`` lets a rule that
  passed reword a later rule's reason (a locked ticket names its lock);
- *nodes* of its own — ``add_nodes(day, nodes)`` (sailings, lodgings);
- an *encoding* — ``encode(day, draft)``: writes the rule's arrays into the
  :class:`~dromologio.dispatch.instance.RoutingInstance` being built.

The builder (:mod:`dromologio.dispatch.build`) walks the registry of
:mod:`dromologio.dispatch.rules` in a fixed order: the day's data (:class:`Day`), the
pre-checks, the nodes (:class:`NodeList`), the encodings (:class:`InstanceDraft`), the
instance.  Reasons are written Greek first and English second, with a machine code.

Cost units: 1 EUR = :data:`COST_UNITS_PER_EUR` units (integers for OR-Tools).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from dromologio.geo import TravelMatrices
from dromologio.geo.closures import Closure
from dromologio.geo.ferries import DaySailing, FerryNetwork
from dromologio.models import Base, Policy, Port, Problem, School, Technician, Ticket

from ..costs import employer_policy
from ..instance import FloatArray, IntArray, RoutingInstance

if TYPE_CHECKING:
    from .fairness import Allowances
    from .ferry import Reach

COST_UNITS_PER_EUR = 10_000
#: the end of the day, in seconds: the latest time of a node no rule bounds.
DAY_S = 24 * 3600

Location = Base | School | Port


# --------------------------------------------------------------------------- reasons


@dataclass(frozen=True)
class Reason:
    """Why a ticket is not visited: a machine code and a text, Greek first, English second."""

    code: str
    text: str


def hhmm(minutes: int) -> str:
    """``HH:MM`` of minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --------------------------------------------------------------------------- the rule record

Pool = tuple[Technician, ...]
Admits = Callable[["Day", Technician, Ticket], bool]
Explain = Callable[["Day", Ticket, Pool], Reason]
Restate = Callable[["Day", Ticket, Reason], Reason]
AddNodes = Callable[["Day", "NodeList"], None]
Encode = Callable[["Day", "InstanceDraft"], None]


@dataclass(frozen=True)
class Rule:
    """One routing rule: its id, titles, checker rules, reason codes and hooks.

    ``hard`` rules are never broken by a plan; ``soft`` ones are terms of the objective.
    """

    #: constant id, as the rule index of docs/architecture.md lists it.
    rule_id: str
    hard: bool
    title_el: str
    title_en: str
    #: the rules of :mod:`dromologio.models.checker` that verify this rule in a plan (none for soft ones).
    checker_rules: tuple[str, ...] = ()
    #: the ``unassigned[].code`` values this rule's texts carry.
    reason_codes: tuple[str, ...] = ()
    admits: Admits | None = None
    explain: Explain | None = None
    restate: Restate | None = None
    add_nodes: AddNodes | None = None
    encode: Encode | None = None
    #: where the OR-Tools model reads the rule's arrays, when it does more than take them as they are.
    engine: str = ""

    def __post_init__(self) -> None:
        if (self.admits is None) != (self.explain is None):
            raise ValueError(f"rule {self.rule_id}: a pre-check needs both admits and explain")
        if not self.hard and (self.checker_rules or self.admits is not None):
            raise ValueError(f"rule {self.rule_id}: a soft rule has no pre-check and no checker rule")

    @property
    def checker_rule(self) -> str | None:
        """The first checker rule, or None for a rule the checker does not verify."""
        return self.checker_rules[0] if self.checker_rules else None

    def narrow(self, day: Day, ticket: Ticket, pool: Pool) -> tuple[Pool, Reason | None]:
        """The technicians of ``pool`` this rule admits, or nobody and the reason."""
        if self.admits is None or self.explain is None:
            return pool, None
        admits = self.admits
        kept = tuple(t for t in pool if admits(day, t, ticket))
        if kept:
            return kept, None
        return (), self.explain(day, ticket, pool)


# --------------------------------------------------------------------------- the day (data)


@dataclass(frozen=True)
class StartPoint:
    """Where a technician starts the day: its base, or where it lodged last night.

    Re-planned from now (:mod:`dromologio.dispatch.live`), where the technician is: the
    school of its current or last visit, or its base, and ``free_from_s`` (seconds of the
    day) when it may leave there at the earliest.
    """

    lat: float
    lon: float
    island: str
    lodging: bool = False
    free_from_s: int | None = None
    #: re-planned from now: the lunch break is already taken (the ``lunch_break`` rule plans none).
    break_taken: bool = False


@dataclass(frozen=True, eq=False)
class Day:
    """One day's data, as every rule reads it: the problem, places, travel and today's sailings.

    Places are indices of ``locations`` (the rows of ``matrices``): technicians' bases
    (``home_of``) and start points (``start_of``), schools and ports.
    """

    problem: Problem
    plan_date: date
    #: the tickets that need a visit.
    tickets: tuple[Ticket, ...]
    start_points: Mapping[str, StartPoint]
    locations: tuple[Location | StartPoint, ...]
    location_of: Mapping[tuple[str, str], int]
    home_of: Mapping[str, int]
    start_of: Mapping[str, int]
    port_location: Mapping[str, int]
    matrices: TravelMatrices
    network: FerryNetwork
    #: travel by road or by today's sailings (see :mod:`.ferry`).
    reach: Reach
    #: the same by tomorrow's sailings, when the day may end with a night away.
    tomorrow: Reach | None = None
    allow_lodging: bool = False
    next_date: date | None = None
    #: a tour over the horizon: the plan's working days after this one (``next_date`` first); a
    #: night away may then end in more nights as long as one of them brings the technician home
    #: (:mod:`dromologio.dispatch.tours`).  Empty: rolling, home by ``next_date``'s sailings.
    horizon: tuple[date, ...] = ()
    #: per technician starting the day away, the nights in a row it has spent away so far.
    nights_away: Mapping[str, int] = field(default_factory=dict)
    #: ticket id -> the only technician who may serve it.
    locks: Mapping[str, str] = field(default_factory=dict)
    closures: tuple[Closure, ...] = ()
    #: re-planned from now: nothing starts before this second of the day (0: the day is ahead).
    now_s: int = 0
    #: a locked ticket the pre-check lets through must be served (its node is mandatory).
    commit_locks: bool = True
    #: per technician, the overtime minutes already planned earlier in this calendar week.
    overtime_used_min: Mapping[str, int] = field(default_factory=dict)
    #: per technician, the allowances earned on earlier days of the plan (the ``fairness`` rule).
    allowances_so_far: Mapping[str, Allowances] = field(default_factory=dict)

    @property
    def technicians(self) -> tuple[Technician, ...]:
        return self.problem.technicians

    @property
    def policy(self) -> Policy:
        return self.problem.policy

    @property
    def setup_s(self) -> int:
        """Parking, signing in and setting up at a school, once per visit."""
        return self.policy.visit_setup_min * 60

    @property
    def check_in_s(self) -> int:
        """Time at the port before a sailing departs."""
        return self.policy.ferry_check_in_min * 60

    def departure_s(self, technician: Technician) -> int:
        """When the technician may leave its start point at the earliest: the shift start (less the
        crossing a day that starts lodging away may make before it, ``crossing_outside_shift_min``),
        or later when re-planned from now (still at a school, or the day already under way)."""
        point = self.start_points[technician.technician_id]
        free = 0 if point.free_from_s is None else point.free_from_s
        early = self.crossing_outside_shift_s(technician) if point.lodging else 0
        return max(technician.shift_start_min * 60 - early, free, self.now_s)

    def crossing_outside_shift_s(self, technician: Technician) -> int:
        """Seconds a trip's crossing may run before the shift starts or after it ends (the policy's
        ``crossing_outside_shift_min``): the morning boat from a lodging, the evening boat to one."""
        return int(self.rules_for(technician).crossing_outside_shift_min) * 60

    def opened_s(self, ticket: Ticket) -> int:
        """The second of the day the ticket was opened: 0 when opened before the day (no bound)."""
        opened = ticket.opened_at
        if opened.date() < self.plan_date:
            return 0
        if opened.date() > self.plan_date:
            return DAY_S
        return opened.hour * 3600 + opened.minute * 60 + opened.second

    def earliest_visit_s(self, ticket: Ticket) -> int:
        """No visit starts (setup included) before now or before its ticket was opened."""
        return max(self.now_s, self.opened_s(ticket))

    def school_of(self, ticket: Ticket) -> School:
        return self.problem.school_by_id[ticket.school_id]

    def here(self, ticket: Ticket) -> int:
        """The location of the ticket's school."""
        return self.location_of[("school", ticket.school_id)]

    def rules_for(self, technician: Technician) -> Policy:
        """The travel rules of the technician's employer."""
        return employer_policy(self.problem, technician)


# --------------------------------------------------------------------------- nodes


@dataclass(frozen=True)
class NodeInfo:
    """What a node of the instance stands for."""

    kind: str  # "start", "end", "ticket", "sailing", "lodging"
    lat: float
    lon: float
    island: str
    ticket: Ticket | None = None
    sailing: DaySailing | None = None
    vehicle: int | None = None


class NodeList:
    """The nodes of the instance as they are added, each entered at one location and left at another."""

    def __init__(
        self, day: Day, routed: Sequence[Ticket], candidates_of_ticket: Mapping[str, tuple[Technician, ...]]
    ) -> None:
        self.nodes: list[NodeInfo] = []
        self.node_in: list[int] = []
        self.node_out: list[int] = []
        self.start_node: dict[str, int] = {}
        self.end_node: dict[str, int] = {}
        #: tickets some technician can serve, and who.
        self.routed = tuple(routed)
        self.candidates_of_ticket = candidates_of_ticket
        self.vehicle_of = {t.technician_id: v for v, t in enumerate(day.technicians)}
        self._ticket_islands: dict[str, set[str]] = {t.technician_id: set() for t in day.technicians}
        for ticket in self.routed:
            island = day.school_of(ticket).island
            for tech in candidates_of_ticket[ticket.ticket_id]:
                self._ticket_islands[tech.technician_id].add(island)

    def add(self, info: NodeInfo, loc_in: int, loc_out: int | None = None) -> int:
        """Add a node entered at location ``loc_in`` and left at ``loc_out`` (default: the same)."""
        self.nodes.append(info)
        self.node_in.append(loc_in)
        self.node_out.append(loc_in if loc_out is None else loc_out)
        return len(self.nodes) - 1

    def ticket_islands(self, technician_id: str) -> set[str]:
        """The islands of the tickets the technician could serve today."""
        return self._ticket_islands[technician_id]


# --------------------------------------------------------------------------- the instance draft


class InstanceDraft:
    """The arrays of the instance while the rules write them.

    Every array starts neutral — nodes open all day, mandatory, no service, setup or entry
    cost, any vehicle; vehicles unbounded and free — so a rule left out of the registry
    leaves no trace.
    """

    def __init__(self, day: Day, nodes: NodeList) -> None:
        n = len(nodes.nodes)
        m = len(day.technicians)
        self.nodes: tuple[NodeInfo, ...] = tuple(nodes.nodes)
        self.vehicle_of = nodes.vehicle_of
        loc_in = np.array(nodes.node_in, dtype=np.int64)
        loc_out = np.array(nodes.node_out, dtype=np.int64)
        self.distance: IntArray = day.matrices.distance_m[np.ix_(loc_out, loc_in)].copy()
        self.duration: IntArray = day.matrices.duration_s[np.ix_(loc_out, loc_in)].copy()
        self.service: IntArray = np.zeros(n, dtype=np.int64)
        self.time_windows: IntArray = np.zeros((n, 2), dtype=np.int64)
        self.time_windows[:, 1] = DAY_S
        self.drop_penalty: IntArray = np.full(n, -1, dtype=np.int64)
        self.setup: IntArray = np.zeros(n, dtype=np.int64)
        self.entry_cost: IntArray = np.zeros(n, dtype=np.int64)
        self.location: IntArray = loc_in.copy()
        self.allowed_vehicles: list[frozenset[int] | None] = [None] * n
        #: per ticket node, the technicians who could serve it.
        self.candidates: dict[int, tuple[Technician, ...]] = {}
        self.vehicle_start: IntArray = np.array(
            [nodes.start_node[t.technician_id] for t in day.technicians], dtype=np.int64
        )
        self.vehicle_end: IntArray = np.array(
            [nodes.end_node[t.technician_id] for t in day.technicians], dtype=np.int64
        )
        self.vehicle_windows: IntArray = np.tile(np.array([0, DAY_S], dtype=np.int64), (m, 1))
        self.vehicle_distance_cost: FloatArray = np.zeros(m, dtype=np.float64)
        self.vehicle_time_cost: FloatArray = np.zeros(m, dtype=np.float64)
        self.vehicle_max_distance: IntArray = np.full(m, -1, dtype=np.int64)
        self.zone: npt.NDArray[np.bool_] | None = None
        self.zone_entry_cost: IntArray | None = None
        #: per vehicle and node, the cost of reaching the node from another location (a visit's cost).
        self.visit_cost: IntArray = np.zeros((m, n), dtype=np.int64)
        #: per vehicle, its shift's end and what each second of overtime after it costs (the ``shift`` rule).
        self.vehicle_soft_end: IntArray | None = None
        self.vehicle_overtime_cost: IntArray | None = None
        self.balance_cost = 0
        #: per vehicle, its break: earliest and latest start, length, guard (the ``lunch_break`` rule).
        self.vehicle_break: IntArray | None = None
        #: per vehicle, the latest end of a route through one of ``late_end_nodes`` (a night's
        #: lodging reached by an evening crossing: the ``shift`` and ``lodging`` rules).
        self.vehicle_late_end: IntArray | None = None
        self.late_end_nodes: npt.NDArray[np.bool_] = np.zeros(n, dtype=np.bool_)
        #: ticket nodes whose value outweighs every lower-priority ticket and the day's travel.
        self.protected: set[int] = set()
        #: ticket nodes that must be visited (a lock commits): no rule gives them a drop penalty.
        self.mandatory: set[int] = set()

    def of_kind(self, kind: str) -> list[tuple[int, NodeInfo]]:
        """The nodes of one kind, with their indices."""
        return [(node, info) for node, info in enumerate(self.nodes) if info.kind == kind]

    @property
    def end_nodes(self) -> list[int]:
        return sorted(set(self.vehicle_end.tolist()))

    def instance(self, name: str) -> RoutingInstance:
        return RoutingInstance(
            distance=self.distance,
            duration=self.duration,
            service=self.service,
            time_windows=self.time_windows,
            drop_penalty=self.drop_penalty,
            allowed_vehicles=tuple(self.allowed_vehicles),
            vehicle_start=self.vehicle_start,
            vehicle_end=self.vehicle_end,
            vehicle_windows=self.vehicle_windows,
            vehicle_distance_cost=self.vehicle_distance_cost,
            vehicle_time_cost=self.vehicle_time_cost,
            vehicle_max_distance=self.vehicle_max_distance,
            location=self.location,
            setup=self.setup,
            entry_cost=self.entry_cost,
            zone=self.zone,
            zone_entry_cost=self.zone_entry_cost,
            balance_cost=self.balance_cost,
            visit_cost=self.visit_cost if self.visit_cost.any() else None,
            vehicle_soft_end=self.vehicle_soft_end,
            vehicle_overtime_cost=self.vehicle_overtime_cost,
            vehicle_break=self.vehicle_break,
            vehicle_late_end=self.vehicle_late_end if self.late_end_nodes.any() else None,
            late_end_nodes=self.late_end_nodes
            if self.vehicle_late_end is not None and self.late_end_nodes.any()
            else None,
            name=name,
        )
