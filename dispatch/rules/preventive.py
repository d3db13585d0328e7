"""Preventive visits: due maintenance visits fill the days' slack and never displace a repair.

A preventive visit is a synthetic ticket ``PM-<school>-<due date>`` of category
``preventive`` (made by :mod:`dromologio.planning.preventive` from the schools'
``maintenance_days`` and ``last_maintenance``), valued at the policy's
``preventive_priority`` (low by default: at most ``max_age_factor`` x 50 EUR, below an
urgent ticket's own 400 EUR and, under ``urgent_first``, below every urgent ticket's
floor), its value rising with the days it is overdue as a ticket's with age.  It needs
the ``preventive_skill``; at a school with a repair ticket a technician with both skills
serves both in one visit (one setup, the minutes added).  So the routing needs nothing
of its own: this rule names the reason a preventive visit is left undone.

- reason: ``no_slack`` — no technician had room for it today (given by the planning
  layer in place of the ``drop_value`` rule's ``capacity`` / ``not_worth``).
"""

from __future__ import annotations

from typing import Final

from dromologio.models import Ticket

from .base import Reason, Rule

RULE_ID: Final = "preventive"
NO_SLACK: Final = "no_slack"
#: the category and id prefix of a preventive visit's ticket.
CATEGORY: Final = "preventive"
PREFIX: Final = "PM-"


def is_preventive(ticket: Ticket) -> bool:
    """True for the synthetic ticket of a preventive visit."""
    return ticket.category == CATEGORY and ticket.ticket_id.startswith(PREFIX)


def no_slack(ticket: Ticket) -> Reason:
    return Reason(
        NO_SLACK,
        f"η προληπτική επίσκεψη στο {ticket.school_id} δεν χώρεσε: δεν έμεινε χρόνος από τις βλάβες / "
        f"the preventive visit to {ticket.school_id} did not fit: repairs left no slack",
    )


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Προληπτικές επισκέψεις στα κενά της ημέρας, ποτέ στη θέση επείγουσας βλάβης",
    title_en="Preventive visits fill the days' slack, never in place of an urgent repair",
    reason_codes=(NO_SLACK,),
)
