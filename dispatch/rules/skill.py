"""Skill: a technician serves only tickets whose skill they have.

- pre-check: the technician has the ticket's skill; nobody has it: ``no_skill``;
- encoding: the ticket node's ``allowed_vehicles`` (the pre-check's candidates);
- checker: ``SKILL``.
"""

from __future__ import annotations

from typing import Final

from dromologio.models import Technician, Ticket, checker

from .base import Day, Pool, Reason, Rule

RULE_ID: Final = "skill"
NO_SKILL: Final = "no_skill"


def no_skill(ticket: Ticket) -> Reason:
    return Reason(
        NO_SKILL,
        f"κανένας τεχνικός δεν έχει την ειδικότητα {ticket.skill} / no technician has skill {ticket.skill}",
    )


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    return ticket.skill in technician.skills


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    return no_skill(ticket)


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Ο τεχνικός έχει την ειδικότητα του αιτήματος",
    title_en="The technician has the ticket's skill",
    checker_rules=(checker.SKILL,),
    reason_codes=(NO_SKILL,),
    admits=admits,
    explain=explain,
)
