"""Ferry: water is crossed only on a timetabled sailing that runs today, boarded after check-in.

Every sailing that runs today becomes a node, copied once per technician who might
cross: entered at its departure port and left at its arrival port, its time window
exactly its departure, its "service" the crossing, its setup the policy's check-in and
its entry cost the fare.  So a route crosses water only as timetabled.

- pre-check: :class:`Reach` times every journey by road or by today's sailings, for the
  ``school_hours`` pre-check; when every candidate must cross water and none can do the
  visit, this rule says why: ``water`` (no timetable at all), ``no_sailing`` (no sailing
  reaches the island today), ``no_round_trip`` (reached, but no way to work and get back
  within the shift, nor to stay the night — or, when a night away would serve it and the
  plan ends today, that it needs a plan of two days: :func:`needs_two_days`); both name the
  last sailing home that would still do (:func:`last_sailing_home`: port, departure, when to
  leave the school), or say that no sailing brings anyone home within the shift today;
- nodes: one per sailing and technician who may use it (sailings inside the shift, between
  islands that the technician's start or home reach today);
- encoding: the sailing nodes' ``time_windows`` (the departure), ``service`` (the crossing),
  ``setup`` (check-in), ``entry_cost`` (the fare), ``allowed_vehicles`` (their technician),
  ``drop_penalty`` 0 (optional) and a ``location`` of their own (a boat is never "the same
  place" as anything else);
- checker: ``FERRY_CROSSING``, ``FERRY_TIMETABLE``, ``FERRY_BOARDING``, ``FERRY_CHECK_IN``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from dromologio.geo import TravelMatrices
from dromologio.geo.ferries import FerryNetwork
from dromologio.models import School, Technician, Ticket, checker

from . import lodging, shift
from .base import (
    COST_UNITS_PER_EUR,
    Day,
    InstanceDraft,
    Location,
    NodeInfo,
    NodeList,
    Pool,
    Reason,
    Rule,
    StartPoint,
    hhmm,
)

RULE_ID: Final = "ferry"
WATER: Final = "water"
NO_SAILING: Final = "no_sailing"
NO_ROUND_TRIP: Final = "no_round_trip"

WEEKDAY_EL = ("Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή")
WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def across_water(ticket: Ticket, school: School) -> Reason:
    return Reason(
        WATER,
        f"το σχολείο είναι στο νησί {school.island} και κανένας τεχνικός με {ticket.skill} δεν έχει έδρα εκεί "
        f"(χωρίς δρομολόγιο πλοίου) / the school is on {school.island} and no technician with skill "
        f"{ticket.skill} is based there (no sailing planned to reach it)",
    )


def no_sailing(ticket: Ticket, school: School, day: date) -> Reason:
    weekday = day.weekday()
    return Reason(
        NO_SAILING,
        f"κανένα δρομολόγιο πλοίου δεν φτάνει στο νησί {school.island} την {WEEKDAY_EL[weekday]} "
        f"{day.isoformat()} μέσα στη βάρδια / no sailing reaches {school.island} on {WEEKDAY_EN[weekday]} "
        f"{day.isoformat()} within a shift",
    )


@dataclass(frozen=True)
class LastSailing:
    """The last sailing of the day that still brings a technician home within the shift (and the
    overtime allowed): where and when it leaves, and by when the work must end to catch it."""

    port_name: str
    depart_s: int
    #: the latest the technician may leave the school and still board it (check-in included).
    leave_by_s: int


def last_sailing_words(last: LastSailing | None, island: str) -> tuple[str, str]:
    """The last sailing home in Greek and in English, or that there is none today."""
    if last is None:
        return (
            f"κανένα πλοίο από το νησί {island} δεν φέρνει τον τεχνικό πίσω μέσα στη βάρδια σήμερα",
            f"no sailing from {island} brings the technician home within the shift today",
        )
    depart, leave = hhmm(last.depart_s // 60), hhmm(last.leave_by_s // 60)
    return (
        f"το τελευταίο πλοίο της επιστροφής φεύγει από {last.port_name} στις {depart} "
        f"(αναχώρηση από το σχολείο ως τις {leave})",
        f"the last sailing home leaves {last.port_name} at {depart} (leave the school by {leave})",
    )


def no_round_trip(
    ticket: Ticket,
    school: School,
    day: date,
    first_arrival_s: int,
    may_lodge: bool,
    last: LastSailing | None = None,
    finish_s: int | None = None,
) -> Reason:
    """Reached, but nobody can do the work and catch a sailing home within the shift (``last``: the
    last sailing that would still do, ``finish_s``: the earliest the work ends)."""
    arrival = hhmm(first_arrival_s // 60)
    stay_el = "" if may_lodge else " (διανυκτέρευση δεν επιτρέπεται σήμερα)"
    stay_en = "" if may_lodge else " (no overnight stay allowed today)"
    sailing_el, sailing_en = last_sailing_words(last, school.island)
    finish_el = finish_en = ""
    if finish_s is not None:
        finish_el = f"· η εργασία τελειώνει το νωρίτερο στις {hhmm(finish_s // 60)}"
        finish_en = f"; the work ends at {hhmm(finish_s // 60)} at the earliest"
    return Reason(
        NO_ROUND_TRIP,
        f"το νησί {school.island} προσεγγίζεται το νωρίτερο στις {arrival}· δεν προλαβαίνει κανείς "
        f"{ticket.service_minutes}' εργασίας στο {school.name} και επιστροφή μέσα στη βάρδια{stay_el}: "
        f"{sailing_el}{finish_el} / "
        f"{school.island} is reached at {arrival} at the earliest: nobody can do {ticket.service_minutes} min "
        f"at {school.name} and get back within the shift{stay_en}: {sailing_en}{finish_en}",
    )


def needs_two_days(ticket: Ticket, school: School, finish_s: int, last: LastSailing | None = None) -> Reason:
    """Only a night away would serve the ticket, and the plan ends today (``last``: the last sailing
    home today, left before the work is done)."""
    finish = hhmm(finish_s // 60)
    sailing_el, sailing_en = last_sailing_words(last, school.island)
    return Reason(
        NO_ROUND_TRIP,
        f"χρειάζεται πλάνο δύο ημερών: η εργασία στο {school.name} ({school.island}) τελειώνει στις {finish} "
        f"και κανένα πλοίο δεν φέρνει τον τεχνικό πίσω μέσα στη βάρδια ({sailing_el})· μόνο με διανυκτέρευση "
        f"εξυπηρετείται, και το πλάνο τελειώνει σήμερα / needs a 2-day plan: the work at {school.name} "
        f"({school.island}) ends at {finish} at the earliest and no sailing brings the technician back within "
        f"the shift ({sailing_en}); only a night away would serve it, and the plan ends today",
    )


def last_sailing_home(day: Day, technician: Technician, here: int, after_s: int = 0) -> LastSailing | None:
    """The last of today's sailings from the island of ``here`` (a location) that, boarded after
    check-in and left for no earlier than ``after_s`` (the technician's arrival there), still brings
    ``technician`` home by the end of the shift and its overtime; None when none does."""
    home = day.home_of[technician.technician_id]
    island = day.locations[here].island
    latest = shift.latest_return_s(day, technician)
    leaving = [
        s
        for s in day.network.sailings
        if day.problem.port_by_id[s.sailing.from_port].island == island
        and s.depart_s >= technician.shift_start_min * 60
    ]
    for sailing in sorted(leaving, key=lambda s: -s.depart_s):
        port = day.port_location[sailing.sailing.from_port]
        leave_by = sailing.depart_s - day.check_in_s - day.reach.road_s(here, port)
        if leave_by < after_s:
            continue
        back = day.reach.arrival(here, home, leave_by)
        if back is not None and back <= latest:
            return LastSailing(
                day.problem.port_by_id[sailing.sailing.from_port].name, sailing.depart_s, leave_by
            )
    return None


def latest_sailing_home(day: Day, technicians: Pool, here: int, after_s: int = 0) -> LastSailing | None:
    """Of :func:`last_sailing_home` for each of ``technicians``, the latest."""
    found = [
        last for tech in technicians if (last := last_sailing_home(day, tech, here, after_s)) is not None
    ]
    return max(found, key=lambda last: last.leave_by_s, default=None)


class Reach:
    """Travel times between locations by road and, across water, by one day's sailings."""

    def __init__(
        self,
        matrices: TravelMatrices,
        locations: Sequence[Location | StartPoint],
        network: FerryNetwork,
        port_location: dict[str, int],
        check_in_s: int,
    ) -> None:
        self.matrices = matrices
        self.islands = [loc.island for loc in locations]
        self.network = network
        self.port_location = port_location
        self.check_in_s = check_in_s
        #: journeys across water already timed: technicians of one base ask the same ones.
        self._crossings: dict[tuple[int, int, int], int | None] = {}

    def road_s(self, a: int, b: int) -> int:
        return int(self.matrices.duration_s[a, b])

    def road_m(self, a: int, b: int) -> int:
        return int(self.matrices.distance_m[a, b])

    def same_island(self, a: int, b: int) -> bool:
        return self.islands[a] == self.islands[b]

    def arrival(self, origin: int, destination: int, leave_s: int) -> int | None:
        """Earliest arrival leaving at ``leave_s``, by road or by the day's sailings."""
        if self.same_island(origin, destination):
            return leave_s + self.road_s(origin, destination)
        key = (origin, destination, leave_s)
        if key not in self._crossings:
            self._crossings[key] = self.network.earliest_arrival(
                origin,
                destination,
                leave_s,
                road_s=self.road_s,
                island_of=self.islands.__getitem__,
                port_location=self.port_location,
                check_in_s=self.check_in_s,
            )
        return self._crossings[key]


def explain_crossing(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    """Why nobody of ``pool``, all of whom must cross water, can do the visit today."""
    school = day.school_of(ticket)
    if not day.problem.sailings:
        return across_water(ticket, school)
    here = day.here(ticket)
    arrivals = [
        arrive
        for tech in pool
        if (arrive := day.reach.arrival(day.start_of[tech.technician_id], here, tech.shift_start_min * 60))
        is not None
    ]
    if not arrivals:
        return no_sailing(ticket, school, day.plan_date)
    may_lodge = any(lodging.may_stay_overnight(day, tech) for tech in pool)
    return no_round_trip(
        ticket,
        school,
        day.plan_date,
        min(arrivals),
        may_lodge,
        latest_sailing_home(day, pool, here, min(arrivals)),
    )


def add_nodes(day: Day, nodes: NodeList) -> None:
    """Today's sailings, copied per technician who might cross."""
    problem = day.problem
    network = day.network
    for vehicle, tech in enumerate(day.technicians):
        home_island = problem.base_of(tech).island
        start_island = day.start_points[tech.technician_id].island
        positioning = {
            island for (tid, island) in lodging.positioning(day, nodes) if tid == tech.technician_id
        }
        wanted = nodes.ticket_islands(tech.technician_id) | positioning | {home_island, start_island}
        if wanted == {home_island}:
            continue
        reachable = network.islands_reached_from(start_island) | network.islands_reached_from(home_island)
        for day_sailing in network.sailings:
            sailing = day_sailing.sailing
            from_island = problem.port_by_id[sailing.from_port].island
            to_island = problem.port_by_id[sailing.to_port].island
            if from_island not in reachable or to_island not in reachable:
                continue
            # within the shift, or the crossing a trip away may make outside it (the morning
            # boat from a lodging, the evening boat to one: the model bounds which route may)
            if day_sailing.depart_s < min(
                tech.shift_start_min * 60, day.departure_s(tech)
            ) or day_sailing.arrive_s > shift.latest_lodging_s(day, tech):
                continue
            port = problem.port_by_id[sailing.from_port]
            info = NodeInfo("sailing", port.lat, port.lon, from_island, sailing=day_sailing, vehicle=vehicle)
            nodes.add(info, day.port_location[sailing.from_port], day.port_location[sailing.to_port])


def encode(day: Day, draft: InstanceDraft) -> None:
    for node, info in draft.of_kind("sailing"):
        if info.sailing is None or info.vehicle is None:
            continue
        crossing = info.sailing
        draft.service[node] = crossing.arrive_s - crossing.depart_s
        draft.time_windows[node] = (crossing.depart_s, crossing.depart_s)
        draft.drop_penalty[node] = 0
        draft.setup[node] = day.check_in_s
        draft.entry_cost[node] = round((crossing.sailing.fare_eur or 0.0) * COST_UNITS_PER_EUR)
        draft.location[node] = -1 - node  # a boat is never "the same place" as anything else
        draft.allowed_vehicles[node] = frozenset({info.vehicle})


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Η θάλασσα περνιέται μόνο με δρομολόγιο πλοίου της ημέρας",
    title_en="Water is crossed only on a timetabled sailing that runs today",
    checker_rules=(
        checker.FERRY_CROSSING,
        checker.FERRY_TIMETABLE,
        checker.FERRY_BOARDING,
        checker.FERRY_CHECK_IN,
    ),
    reason_codes=(WATER, NO_SAILING, NO_ROUND_TRIP),
    add_nodes=add_nodes,
    encode=encode,
)
