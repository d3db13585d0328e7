"""Tours over the horizon: which nights away lead home within the plan, and what they open.

A plan of several working days may keep a technician away for more than one night: a night
on an island is allowed when a later day of the plan's horizon (:attr:`.rules.base.Day.horizon`)
brings the technician home from that island within a shift (and the day's overtime), for no
more nights in a row than the employer's ``max_nights_away``.  In between, the technician may
stay or move on to another island where the same holds (each night is judged by its own
island), so a tour can always end: staying put until the day that brings it home is allowed.
Without a horizon (rolling plans, the fast mode) a night is allowed only when tomorrow's
sailings bring the technician home.

:func:`nights_home` counts the nights until the first day whose sailings bring the technician
home from the island's first port at the start of the shift; the ``lodging`` rule offers a night
only where it is finite, and values a night that positions a technician by the tickets the
tour makes reachable on the following days (:func:`tour_worth`), less its later nights.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from dromologio.geo.ferries import FerryNetwork
from dromologio.models import Technician, Ticket

if TYPE_CHECKING:
    from .rules.base import Day
    from .rules.ferry import Reach

__all__ = ["horizon_of", "morning_s", "nights_home", "nights_left", "reach_on", "tour_worth"]

_REACH: WeakKeyDictionary[Day, dict[date, Reach]] = WeakKeyDictionary()
_NIGHTS: WeakKeyDictionary[Day, dict[tuple[str, str, int], int | None]] = WeakKeyDictionary()


def horizon_of(day: Day) -> tuple[date, ...]:
    """The plan days after ``day`` a tour may use: the horizon, or tomorrow alone when rolling."""
    if day.horizon:
        return day.horizon
    return (day.next_date,) if day.next_date is not None else ()


def reach_on(day: Day, on: date) -> Reach:
    """Travel by road and by the sailings of ``on``, between the day's places (cached per day)."""
    from .rules.ferry import Reach

    if on == day.plan_date:
        return day.reach
    if on == day.next_date and day.tomorrow is not None:
        return day.tomorrow
    cached = _REACH.setdefault(day, {})
    if on not in cached:
        network = FerryNetwork(day.problem.ports, day.problem.sailings, on)
        cached[on] = Reach(day.matrices, day.locations, network, dict(day.port_location), day.check_in_s)
    return cached[on]


def latest_home_s(day: Day, technician: Technician) -> int:
    """The latest a technician may be home on a later day: the shift's end and a day's overtime
    (the shift's end alone under a weekly limit, which earlier days may have used up)."""
    rules = day.rules_for(technician)
    overtime = int(rules.overtime_max_min_per_day) if rules.overtime_max_min_per_week is None else 0
    return (technician.shift_end_min + overtime) * 60


def morning_s(day: Day, technician: Technician) -> int:
    """When a technician who slept away may leave the lodging on a later day: the shift's start,
    less the crossing a trip may make before it (the policy's ``crossing_outside_shift_min``)."""
    return technician.shift_start_min * 60 - day.crossing_outside_shift_s(technician)


def nights_left(day: Day, technician: Technician) -> int:
    """Nights in a row the technician may still spend away, tonight included (``max_nights_away``)."""
    spent = day.nights_away.get(technician.technician_id, 0)
    return day.rules_for(technician).max_nights_away - spent


def _port(day: Day, island: str) -> int | None:
    ports = day.network.ports_on(island)
    return day.port_location[ports[0].port_id] if ports else None


def nights_home(day: Day, technician: Technician, island: str, after: int = 0) -> int | None:
    """The fewest nights away, tonight on ``island`` included, after which the technician is home.

    ``after``: the tour's first morning is the ``after``-th day of :func:`horizon_of` (0: tomorrow),
    the nights before it already spent away.  Each morning, from the island's first port at the
    start of the shift, home within the shift (:func:`latest_home_s`) ends the tour; else the
    technician stays one more night.  None when no day of the horizon brings the technician home
    within :func:`nights_left` nights.
    """
    key = (technician.technician_id, island, after)
    cached = _NIGHTS.setdefault(day, {})
    if key not in cached:
        cached[key] = _walk(day, technician, island, after)
    return cached[key]


def _walk(day: Day, technician: Technician, island: str, after: int) -> int | None:
    horizon = horizon_of(day)
    allowed = nights_left(day, technician)
    home = day.home_of[technician.technician_id]
    port = _port(day, island)
    start_s = morning_s(day, technician)
    latest = latest_home_s(day, technician)
    if port is None:
        return None
    for k in range(after, len(horizon)):
        nights = k + 1  # tonight and every night until the morning of horizon[k]
        if nights > allowed:
            return None
        back = reach_on(day, horizon[k]).arrival(port, home, start_s)
        if back is not None and back <= latest:
            return nights
        if not day.horizon:
            return None  # rolling: home by tomorrow's sailings or no night
    return None


def tour_worth(
    day: Day,
    technician: Technician,
    island: str,
    waiting: Sequence[Ticket],
    value_of: dict[str, float],
) -> float:
    """What a night on ``island`` tonight opens over the tour, in EUR, less the tour's later nights.

    A ticket counts when the technician, from the island's first port at the start of tomorrow's
    shift, reaches its school (on that island; in a tour, on any island) by tomorrow's sailings, serves it within the school's hours (skills
    and 4x4 permitting) and then gets home: tomorrow within the shift, or — in a tour — after more
    nights (:func:`nights_home` from the ticket's island).  For each length of tour, the most
    valuable tickets that its shifts hold count, less the overnight allowance and per diem of its
    nights after tonight; the best length gives the worth (0 when nothing pays).
    """
    horizon = horizon_of(day)
    port = _port(day, island)
    if not horizon or port is None:
        return 0.0
    tomorrow = reach_on(day, horizon[0])
    home = day.home_of[technician.technician_id]
    home_island = day.problem.base_of(technician).island
    rules = day.rules_for(technician)
    latest = latest_home_s(day, technician)
    start_s = morning_s(day, technician)
    shift_s = (technician.shift_end_min - technician.shift_start_min) * 60
    # (nights the ticket's tour takes, its value, its work in seconds)
    opened: list[tuple[int, float, int]] = []
    for ticket in waiting:
        school = day.school_of(ticket)
        if school.island == home_island or ticket.skill not in technician.skills:
            continue
        if not day.horizon and school.island != island:
            continue  # rolling: a night positions the technician for its own island's tickets
        if school.needs_4x4 and not technician.has_4x4:
            continue
        here = day.here(ticket)
        arrived = tomorrow.arrival(port, here, start_s)
        if arrived is None:
            continue
        work_s = day.setup_s + ticket.service_minutes * 60
        finish = max(arrived, school.opens_min * 60) + work_s
        if finish > school.closes_min * 60:
            continue
        back = tomorrow.arrival(here, home, finish)
        if back is not None and back <= latest:
            nights: int | None = 1
        else:
            later = nights_home(day, technician, school.island, after=1) if day.horizon else None
            nights = later
        if nights is None:
            continue
        opened.append((nights, value_of[ticket.ticket_id], work_s))
    night_eur = rules.overnight_eur + rules.per_diem_eur
    best = 0.0
    for length in sorted({n for n, _, _ in opened}):
        total, busy = 0.0, 0
        for _, value, work_s in sorted((t for t in opened if t[0] <= length), key=lambda t: -t[1]):
            if busy + work_s > shift_s * length:
                continue
            total, busy = total + value, busy + work_s
        best = max(best, total - (length - 1) * night_eur)
    return best
