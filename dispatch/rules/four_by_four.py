"""4x4: a school whose road needs a 4x4 gets only technicians with one.

- pre-check: the school does not need a 4x4, or the technician has one; nobody: ``no_4x4``;
- encoding: the ticket node's ``allowed_vehicles`` (the pre-check's candidates);
- checker: ``FOUR_BY_FOUR``.
"""

from __future__ import annotations

from typing import Final

from dromologio.models import School, Technician, Ticket, checker

from .base import Day, Pool, Reason, Rule

RULE_ID: Final = "four_by_four"
NO_4X4: Final = "no_4x4"


def no_4x4(ticket: Ticket, school: School) -> Reason:
    return Reason(
        NO_4X4,
        f"ο δρόμος προς {school.name} θέλει 4x4 και κανένας τεχνικός με {ticket.skill} δεν έχει / "
        f"the road to {school.name} needs a 4x4 and no technician with skill {ticket.skill} has one",
    )


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    return technician.has_4x4 or not day.school_of(ticket).needs_4x4


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    return no_4x4(ticket, day.school_of(ticket))


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Σχολείο με δρόμο για 4x4 μόνο με 4x4",
    title_en="A school that needs a 4x4 gets a technician with one",
    checker_rules=(checker.FOUR_BY_FOUR,),
    reason_codes=(NO_4X4,),
    admits=admits,
    explain=explain,
)
