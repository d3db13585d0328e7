"""School hours: work at a school, as long as its tickets need, happens while the school is open.

- pre-check: the technician, leaving at the start of the shift, reaches the school (by road
  or today's sailings, see :class:`.ferry.Reach`), sets up, does the ticket's service
  minutes before the school closes, and is back home within the shift — or, where the
  ``lodging`` rule allows a night away across water, is done within the shift.  Nobody
  can: ``hours``, or the ``ferry`` rule's reason when every candidate must cross water;
- encoding: the ticket nodes' ``service`` (service minutes), ``setup`` (the policy's visit
  setup, paid once per visit: tickets at one school share a location) and
  ``time_windows`` (start of service from opening + setup until closing − service);
- checker: ``SCHOOL_HOURS``, ``SERVICE_TIME``.
"""

from __future__ import annotations

from typing import Final

from dromologio.models import School, Technician, Ticket, checker

from . import ferry, lodging
from .base import Day, InstanceDraft, Pool, Reason, Rule, hhmm

RULE_ID: Final = "school_hours"
HOURS: Final = "hours"


def outside_hours(ticket: Ticket, school: School) -> Reason:
    hours = f"{hhmm(school.opens_min)}–{hhmm(school.closes_min)}"
    return Reason(
        HOURS,
        f"κανένας τεχνικός με {ticket.skill} δεν προλαβαίνει {ticket.service_minutes}' εργασίας στο {school.name} "
        f"μέσα στο ωράριο {hours} και στη βάρδιά του / no technician with skill {ticket.skill} can reach "
        f"{school.name} and do {ticket.service_minutes} min of work inside school hours {hours} and their shift",
    )


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    school = day.school_of(ticket)
    here = day.here(ticket)
    home = day.home_of[technician.technician_id]
    arrive = day.reach.arrival(day.start_of[technician.technician_id], here, technician.shift_start_min * 60)
    if arrive is None:
        return False
    begin = max(arrive + day.setup_s, school.opens_min * 60 + day.setup_s)
    finish = begin + ticket.service_minutes * 60
    if finish > school.closes_min * 60:
        return False
    back = day.reach.arrival(here, home, finish)
    if back is not None and back <= technician.shift_end_min * 60:
        return True
    lodges = lodging.may_stay_overnight(day, technician) and not day.reach.same_island(here, home)
    return lodges and finish <= technician.shift_end_min * 60


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    here = day.here(ticket)
    if all(not day.reach.same_island(day.start_of[t.technician_id], here) for t in pool):
        return ferry.explain_crossing(day, ticket, pool)
    return outside_hours(ticket, day.school_of(ticket))


def encode(day: Day, draft: InstanceDraft) -> None:
    setup_s = day.setup_s
    for node, info in draft.of_kind("ticket"):
        if info.ticket is None:
            continue
        school = day.school_of(info.ticket)
        service_s = info.ticket.service_minutes * 60
        draft.service[node] = service_s
        draft.time_windows[node] = (school.opens_min * 60 + setup_s, school.closes_min * 60 - service_s)
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
