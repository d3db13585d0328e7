"""Lodging: a technician may end a day across water from home and start the next one there.

A night away is planned on any day of a multi-day plan but the last, when the employer's
``allow_overnight`` allows it; a technician who starts the day away may always stay
another night where they are.  A night away earns the overnight allowance and the full
per diem (both charged here, on the lodging node: see also :mod:`.per_diem`).

- pre-check: none of its own; the ``school_hours`` pre-check admits a technician who may
  stay overnight (:func:`may_stay_overnight`) across water from home when the work is done
  within the shift, and the ``ferry`` rule's ``no_round_trip`` says when no stay is allowed;
- nodes: per technician, an optional night's stay at the first port of each island (or the
  mainland) across water from home where it could serve tickets — with the next plan date
  known, only where a way home follows: tomorrow's sailings within the shift (rolling), or a
  later day of the plan's horizon after more nights (a tour, :mod:`..tours`, at most
  ``max_nights_away`` in a row) — and where it
  starts the day, when away; with the next plan date known, also on islands whose tickets
  nobody can serve today but the technician could serve tomorrow starting there (a night
  that *positions* the technician: :func:`positioning`);
- encoding: the lodging nodes' ``entry_cost`` (overnight allowance + per diem; a night where
  the technician starts that the horizon does not allow, while home fits today,
  ``STRANDED_NIGHT_EUR`` more), ``allowed_vehicles`` (their technician), ``drop_penalty``
  (optional: 0, or for a night that positions the technician the value of the tickets it opens
  over the tour less its later nights; a technician with no way home today must stay:
  ``MAX_PENALTY``), a ``location`` of
  their own (reached only from the island itself), ``distance``/``duration`` rows that
  lead only to the end nodes, at no travel (after a night away the route ends), and
  ``late_end_nodes`` (the route may reach it by ``vehicle_late_end``: an evening crossing after
  the shift, the policy's ``crossing_outside_shift_min``);
- checker: ``LODGING``, ``OVERNIGHT_ALLOWED``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final
from weakref import WeakKeyDictionary

from dromologio.geo import UNREACHABLE_M, UNREACHABLE_S
from dromologio.geo.ferries import FerryNetwork
from dromologio.models import Technician, checker

from .. import tours
from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, NodeInfo, NodeList, Rule
from .drop_value import MAX_PENALTY, ticket_value_eur

if TYPE_CHECKING:
    from .ferry import Reach

RULE_ID: Final = "lodging"

#: the objective's price of a night the horizon does not allow (the plan's last day, the
#: overnight forbidden, ``max_nights_away`` reached) for a technician who could be home today:
#: offered so that its day always has a plan, never chosen when the way home fits.
STRANDED_NIGHT_EUR: Final = 10_000.0


def may_stay_overnight(day: Day, technician: Technician) -> bool:
    """Whether today may end with the technician lodging away (multi-day plans, employer's rules)."""
    return day.allow_lodging and day.rules_for(technician).allow_overnight


def home_tomorrow(day: Day, technician: Technician, island: str, tomorrow: Reach | None = None) -> bool:
    """Whether a night on ``island`` (at its first port) leaves a way home within tomorrow's shift.

    ``tomorrow``: travel by the next plan date's sailings (default: the day's own ``tomorrow``).
    """
    ports = day.network.ports_on(island)
    tomorrow = tomorrow or day.tomorrow
    if not ports or tomorrow is None:
        return False
    back = tomorrow.arrival(
        day.port_location[ports[0].port_id],
        day.home_of[technician.technician_id],
        tours.morning_s(day, technician),
    )
    overtime = int(day.rules_for(technician).overtime_max_min_per_day)
    return back is not None and back <= (technician.shift_end_min + overtime) * 60


def next_working_day(plan_date: date) -> date:
    """The working day (Monday to Friday) after ``plan_date``."""
    following = plan_date + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following


_LONGER_PLAN: WeakKeyDictionary[Day, Reach] = WeakKeyDictionary()


def home_in_a_longer_plan(day: Day, technician: Technician, island: str) -> bool:
    """Whether a plan one working day longer could keep the technician on ``island`` tonight and
    bring them home tomorrow within the shift (what a night away needs, :func:`add_nodes`)."""
    if not day.rules_for(technician).allow_overnight:
        return False
    tomorrow = day.tomorrow
    if tomorrow is None:
        from .ferry import Reach

        tomorrow = _LONGER_PLAN.get(day)
        if tomorrow is None:
            network = FerryNetwork(day.problem.ports, day.problem.sailings, next_working_day(day.plan_date))
            tomorrow = Reach(day.matrices, day.locations, network, dict(day.port_location), day.check_in_s)
            _LONGER_PLAN[day] = tomorrow
    return home_tomorrow(day, technician, island, tomorrow)


#: what a night that positions a technician is worth, per day: (technician id, island) -> EUR.
_POSITIONING: WeakKeyDictionary[Day, dict[tuple[str, str], float]] = WeakKeyDictionary()


def positioning(day: Day, nodes: NodeList) -> dict[tuple[str, str], float]:
    """Nights that position a technician for the days ahead: (technician id, island) -> EUR.

    With the next plan date known and a night away allowed, an island across water from the
    technician's home counts when tickets nobody can serve today could be served tomorrow by
    the technician starting from the island's first port at the start of the shift (skills,
    4x4, the school's hours), on that island or one tomorrow's sailings reach, with a way home
    after: tomorrow within the shift and the day's overtime, or, in a tour over the horizon,
    after more nights (:func:`.tours.tour_worth`).  The worth is the own value of those tickets
    tomorrow (priority x age x due, no tier floor), as many as the tour's shifts hold, less the
    allowances of the tour's nights after tonight.
    """
    found = _POSITIONING.get(day)
    if found is not None:
        return found
    found = {}
    routed = {t.ticket_id for t in nodes.routed}
    waiting = [t for t in day.tickets if t.ticket_id not in routed and t.ticket_id not in day.locks]
    if day.tomorrow is not None and day.next_date is not None and waiting:
        islands = sorted({p.island for p in day.problem.ports})
        for tech in day.technicians:
            if not may_stay_overnight(day, tech) or tours.nights_left(day, tech) < 1:
                continue
            rules = day.rules_for(tech)
            values = {t.ticket_id: ticket_value_eur(t, day.next_date, rules) for t in waiting}
            home_island = day.problem.base_of(tech).island
            for island in islands:
                if island == home_island:
                    continue
                worth = tours.tour_worth(day, tech, island, waiting, values)
                if worth > 0:
                    found[(tech.technician_id, island)] = worth
    _POSITIONING[day] = found
    return found


def night_allowed(day: Day, technician: Technician, island: str) -> bool:
    """Whether tonight may be spent on ``island``: overnight allowed, and home within the horizon
    (tomorrow when rolling) in no more nights in a row than ``max_nights_away``."""
    if not may_stay_overnight(day, technician):
        return False
    if day.tomorrow is None:
        return tours.nights_left(day, technician) >= 1
    return tours.nights_home(day, technician, island) is not None


def home_today(day: Day, technician: Technician) -> bool:
    """Whether the technician, from where it starts, can be home today within the shift."""
    from .shift import latest_return_s

    tid = technician.technician_id
    back = day.reach.arrival(day.start_of[tid], day.home_of[tid], day.departure_s(technician))
    return back is not None and back <= latest_return_s(day, technician)


def add_nodes(day: Day, nodes: NodeList) -> None:
    """An optional night away per technician and island."""
    worth = positioning(day, nodes)
    for vehicle, tech in enumerate(day.technicians):
        home = day.problem.base_of(tech).island
        islands: set[str] = set()
        if may_stay_overnight(day, tech):
            islands |= {
                island
                for island in nodes.ticket_islands(tech.technician_id) - {home}
                if night_allowed(day, tech, island)
            }
            islands |= {island for (tid, island) in worth if tid == tech.technician_id}
        # Without another night where they are (when no sailing takes them home within the
        # shift, or on a plan's last day), the day of a technician who starts away would have
        # no plan at all: that night is always offered (dear when the horizon forbids it, below).
        start_island = day.start_points[tech.technician_id].island
        if start_island != home:
            islands.add(start_island)
        for island in sorted(islands):
            ports = day.network.ports_on(island)
            if not ports:
                continue
            port = ports[0]
            info = NodeInfo("lodging", port.lat, port.lon, island, vehicle=vehicle)
            nodes.add(info, day.port_location[port.port_id])


def _stranded(day: Day, technician: Technician, island: str) -> bool:
    """A night where the technician starts, which the horizon does not allow, while home fits today."""
    start = day.start_points[technician.technician_id].island
    if island != start or night_allowed(day, technician, island):
        return False
    return home_today(day, technician)


def _held(day: Day, technician: Technician, island: str) -> bool:
    """A technician who starts the day on ``island``, away from home, with no way home today."""
    start = day.start_points[technician.technician_id].island
    home = day.problem.base_of(technician).island
    return island == start != home and not home_today(day, technician)


def encode(day: Day, draft: InstanceDraft) -> None:
    end_nodes = draft.end_nodes
    for node, info in draft.of_kind("lodging"):
        if info.vehicle is None:
            continue
        technician = day.technicians[info.vehicle]
        # Skipping a night that positions the technician for tomorrow forgoes what it opens.
        opens = _POSITIONING.get(day, {}).get((technician.technician_id, info.island), 0.0)
        draft.drop_penalty[node] = round(opens * COST_UNITS_PER_EUR)
        if _held(day, technician, info.island):
            # No way home today (a strike, a timetable the look-ahead could not foresee): the
            # night where it is must not be skipped, else the route would be left empty.  A
            # penalty no ticket reaches rather than a mandatory node, so that a first solution
            # can always be built and the search inserts the night.
            draft.drop_penalty[node] = MAX_PENALTY
        # A night away earns the overnight allowance and the full per diem.
        rules = day.rules_for(technician)
        night_eur = rules.overnight_eur + rules.per_diem_eur
        if _stranded(day, technician, info.island):
            night_eur += STRANDED_NIGHT_EUR
        draft.entry_cost[node] = round(night_eur * COST_UNITS_PER_EUR)
        draft.allowed_vehicles[node] = frozenset({info.vehicle})
        # The evening crossing to it may land after the shift (``crossing_outside_shift_min``).
        draft.late_end_nodes[node] = True
        # After a night away the route ends: only the end node follows, at no travel.
        draft.duration[node, :] = UNREACHABLE_S
        draft.distance[node, :] = UNREACHABLE_M
        for end in end_nodes:
            draft.duration[node, end] = 0
            draft.distance[node, end] = 0
        # ... and the lodging is only reached from the island itself (no extra crossing).
        draft.location[node] = -1 - node


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Διανυκτέρευση μόνο πέρα από τη θάλασσα, σε πολυήμερο πλάνο, όπου επιτρέπεται",
    title_en="A night away only across water from home, in a multi-day plan, where the employer allows it",
    checker_rules=(checker.LODGING, checker.OVERNIGHT_ALLOWED),
    add_nodes=add_nodes,
    encode=encode,
)
