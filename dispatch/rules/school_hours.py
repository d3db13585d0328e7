"""School hours: work at a school, as long as its tickets need, happens while the school is open.

- pre-check: the technician, leaving at the start of the shift (re-planned from now: where it
  is, when it is free), reaches the school (by road
  or today's sailings, see :class:`.ferry.Reach`), sets up, does the ticket's service
  minutes before the school closes, and is back home within the shift — or, where the
  ``lodging`` rule allows a night away across water, is done within the shift.  Nobody
  can: the limit that binds (:func:`explain`) — ``hours`` when the school closes first,
  the ``shift`` rule's ``shift`` when the work fits the school's hours but nobody is back
  by the end of the shift, the ``ferry`` rule's reasons across water (``no_round_trip``
  saying "needs a 2-day plan" when only a night away would serve it and the plan ends
  today);
- encoding: the ticket nodes' ``service`` (service minutes), ``setup`` (the policy's visit
  setup, paid once per visit: tickets at one school share a location) and
  ``time_windows`` (start of service from opening + setup until closing − service; no visit
  starts before its ticket was opened that day, nor, re-planned from now, before now);
- checker: ``SCHOOL_HOURS``, ``SERVICE_TIME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dromologio.models import School, Technician, Ticket, checker

from . import ferry, lodging, shift
from .base import Day, InstanceDraft, Pool, Reason, Rule, hhmm

RULE_ID: Final = "school_hours"
HOURS: Final = "hours"


def outside_hours(
    ticket: Ticket, school: School, earliest_s: int | None = None, by_sea: bool = False
) -> Reason:
    """Nobody can do the work before the school closes (``earliest_s``: the earliest arrival,
    ``by_sea``: by today's sailings)."""
    hours = f"{hhmm(school.opens_min)}–{hhmm(school.closes_min)}"
    arrive_el = arrive_en = ""
    if earliest_s is not None:
        sea_el, sea_en = (" με τα σημερινά πλοία", " by today's sailings") if by_sea else ("", "")
        arrive_el = f" (άφιξη το νωρίτερο {hhmm(earliest_s // 60)}{sea_el})"
        arrive_en = f" (arriving at {hhmm(earliest_s // 60)} at the earliest{sea_en})"
    return Reason(
        HOURS,
        f"κανένας τεχνικός με {ticket.skill} δεν προλαβαίνει {ticket.service_minutes}' εργασίας στο {school.name} "
        f"μέσα στο ωράριο {hours}{arrive_el} / no technician with skill {ticket.skill} can reach "
        f"{school.name} and do {ticket.service_minutes} min of work inside school hours {hours}{arrive_en}",
    )


@dataclass(frozen=True)
class Attempt:
    """One technician's try at the visit alone: when it could arrive, finish the work and be back (seconds)."""

    arrive: int | None = None
    finish: int | None = None
    back: int | None = None
    #: the school lies across water from the technician's home.
    across: bool = False

    def limit(self, day: Day, technician: Technician, school: School) -> str:
        """What keeps the technician from the visit: "" (nothing), "unreached", "hours", "shift",
        "overnight" (only a night away would do: the employer allows one and the next working
        day's sailings bring the technician home, but the plan ends today) or "no_return"
        (across water, no way back and no night away)."""
        if self.arrive is None or self.finish is None:
            return "unreached"
        if self.finish > school.closes_min * 60:
            return "hours"
        shift_end = shift.latest_return_s(day, technician)
        if self.back is not None and self.back <= shift_end:
            return ""
        if not self.across:
            return "shift"
        if self.finish <= shift_end:
            if lodging.may_stay_overnight(day, technician):
                return ""
            if not day.allow_lodging and lodging.home_in_a_longer_plan(day, technician, school.island):
                return "overnight"
        return "no_return"


def attempt(day: Day, technician: Technician, ticket: Ticket) -> Attempt:
    """The technician, leaving at the start of the shift, serving ``ticket`` alone and heading home."""
    school = day.school_of(ticket)
    here = day.here(ticket)
    home = day.home_of[technician.technician_id]
    across = not day.reach.same_island(here, home)
    arrive = day.reach.arrival(day.start_of[technician.technician_id], here, day.departure_s(technician))
    if arrive is None:
        return Attempt(across=across)
    begin = max(arrive, school.opens_min * 60, day.earliest_visit_s(ticket)) + day.setup_s
    finish = begin + ticket.service_minutes * 60
    back = day.reach.arrival(here, home, finish) if finish <= school.closes_min * 60 else None
    return Attempt(arrive, finish, back, across)


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    return attempt(day, technician, ticket).limit(day, technician, day.school_of(ticket)) == ""


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    """The limit that keeps the most willing technician away, in this order: a night away the plan's
    horizon does not allow (``no_round_trip``: needs a 2-day plan), the shift (``shift``), no way back
    across water (``no_round_trip``), the school's hours (``hours``); nobody reaching the school across
    water: the ``ferry`` rule's reason."""
    school = day.school_of(ticket)
    tries = [(tech, attempt(day, tech, ticket)) for tech in pool]
    limits = [(tech, a, a.limit(day, tech, school)) for tech, a in tries]
    here = day.here(ticket)
    overnight = [a for _, a, limit in limits if limit == "overnight" and a.finish is not None]
    if overnight:
        arrive = min(a.arrive for a in overnight if a.arrive is not None)
        return ferry.needs_two_days(
            ticket,
            school,
            min(a.finish for a in overnight if a.finish is not None),
            ferry.latest_sailing_home(day, pool, here, arrive),
        )
    after = [(a.back, tech) for tech, a, limit in limits if limit == "shift" and a.back is not None]
    if after:
        back, tech = min(after, key=lambda pair: pair[0] - shift.latest_return_s(day, pair[1]))
        return shift.after_shift(
            ticket, school, back, tech.shift_end_min, shift.overtime_today_min(day, tech)
        )
    stranded = [(tech, a) for tech, a, limit in limits if limit == "no_return" and a.arrive is not None]
    if stranded:
        may_lodge = any(lodging.may_stay_overnight(day, tech) for tech in pool)
        arrive = min(a.arrive for _, a in stranded if a.arrive is not None)
        return ferry.no_round_trip(
            ticket,
            school,
            day.plan_date,
            arrive,
            may_lodge,
            ferry.latest_sailing_home(day, tuple(tech for tech, _ in stranded), here, arrive),
            min((a.finish for _, a in stranded if a.finish is not None), default=None),
        )
    reached = [a.arrive for _, a, _ in limits if a.arrive is not None]
    by_sea = all(not day.reach.same_island(day.start_of[t.technician_id], here) for t in pool)
    if not reached and by_sea:
        return ferry.explain_crossing(day, ticket, pool)
    return outside_hours(ticket, school, min(reached, default=None), by_sea)


def encode(day: Day, draft: InstanceDraft) -> None:
    setup_s = day.setup_s
    for node, info in draft.of_kind("ticket"):
        if info.ticket is None:
            continue
        school = day.school_of(info.ticket)
        service_s = info.ticket.service_minutes * 60
        draft.service[node] = service_s
        earliest = max(school.opens_min * 60, day.earliest_visit_s(info.ticket)) + setup_s
        draft.time_windows[node] = (earliest, school.closes_min * 60 - service_s)
        draft.setup[node] = setup_s


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Εργασία στο σχολείο μόνο μέσα στο ωράριό του",
    title_en="Work at a school happens inside its hours",
    checker_rules=(checker.SCHOOL_HOURS, checker.SERVICE_TIME),
    reason_codes=(HOURS,),
    admits=admits,
    explain=explain,
    encode=encode,
)
