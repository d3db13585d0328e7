"""Work days: a part-time technician works only on its ``work_days`` (``Mon;Wed``, ``Τρι;Πεμ``).

The optional ``work_days`` column of ``technicians.csv`` (empty: every working day).  On
any other weekday the technician is away as with an absence: it serves no ticket, so
its route that day has no visit (and costs nothing).

- pre-check: the technician works on the plan date's weekday; nobody of the pool does:
  ``not_work_day``;
- encoding: the ticket node's ``allowed_vehicles`` (the pre-check's candidates);
- checker: ``WORK_DAYS``.
"""

from __future__ import annotations

from typing import Final

from dromologio.models import WEEKDAYS, Technician, Ticket, checker
from dromologio.models.service_columns import work_days, works_on

from .base import Day, Pool, Reason, Rule

RULE_ID: Final = "work_days"
NOT_WORK_DAY: Final = "not_work_day"

_WEEKDAY_EL: Final = ("Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή")


def not_work_day(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    weekday = day.plan_date.weekday()
    names = ", ".join(
        f"{t.technician_id} ({';'.join(d for d in WEEKDAYS if d in work_days(t))})" for t in pool
    )
    return Reason(
        NOT_WORK_DAY,
        f"κανένας τεχνικός με {ticket.skill} δεν εργάζεται {_WEEKDAY_EL[weekday]}: {names} / "
        f"no technician with skill {ticket.skill} works on {WEEKDAYS[weekday]}: {names}",
    )


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    return works_on(technician, day.plan_date)


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Ο τεχνικός μερικής απασχόλησης εργάζεται μόνο τις ημέρες του",
    title_en="A part-time technician works only on its work days",
    checker_rules=(checker.WORK_DAYS,),
    reason_codes=(NOT_WORK_DAY,),
    admits=admits,
    explain=not_work_day,
)
