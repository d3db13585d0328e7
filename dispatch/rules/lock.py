"""Lock: a ticket locked to a technician goes to that technician or stays unassigned.

Locks come from the dispatcher (``locks`` of :func:`~dromologio.dispatch.solve`, the
API's locks, ``--lock`` of the CLI), not from the problem files, so the plan checker
does not see them.

- pre-check: only the locked technician is admitted (first of all the pre-checks); a lock
  to a technician who is not in the problem is ``locked``, and when a later pre-check leaves
  nobody its reason is restated as ``locked`` ("locked to T2, who cannot serve it today: …");
- encoding: the ticket node's ``allowed_vehicles`` is the pre-check's candidates (the
  locked technician alone), and the node is mandatory: a lock commits — the pre-check
  found that the technician can serve it, so it is served (the ``drop_value`` rule gives
  it no drop penalty).  Locks to one technician that cannot all fit in its day are solved
  again without the commitment (:func:`~dromologio.dispatch.solve`), the lowest then
  left out with the solver's reason.
"""

from __future__ import annotations

from typing import Final

from dromologio.models import Technician, Ticket

from .base import Day, InstanceDraft, Pool, Reason, Rule

RULE_ID: Final = "lock"
LOCKED: Final = "locked"


def locked_to_unknown(ticket: Ticket, technician_id: str) -> Reason:
    return Reason(
        LOCKED,
        f"δεσμευμένο στον τεχνικό {technician_id}, που δεν υπάρχει / locked to technician {technician_id}, "
        "who is not in the problem",
    )


def locked(ticket: Ticket, technician_id: str, why: Reason) -> Reason:
    return Reason(
        LOCKED,
        f"δεσμευμένο στον {technician_id}, που δεν μπορεί σήμερα: {why.text.split(' / ')[0]} / "
        f"locked to {technician_id}, who cannot serve it today: {why.text.split(' / ')[-1]}",
    )


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    locked_to = day.locks.get(ticket.ticket_id)
    return locked_to is None or technician.technician_id == locked_to


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    return locked_to_unknown(ticket, day.locks[ticket.ticket_id])


def restate(day: Day, ticket: Ticket, reason: Reason) -> Reason:
    locked_to = day.locks.get(ticket.ticket_id)
    return reason if locked_to is None else locked(ticket, locked_to, reason)


def encode(day: Day, draft: InstanceDraft) -> None:
    if not day.commit_locks:
        return
    for node, info in draft.of_kind("ticket"):
        if info.ticket is not None and info.ticket.ticket_id in day.locks:
            draft.mandatory.add(node)


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Ένα δεσμευμένο αίτημα πηγαίνει μόνο στον τεχνικό του",
    title_en="A locked ticket goes only to its technician",
    reason_codes=(LOCKED,),
    admits=admits,
    explain=explain,
    restate=restate,
    encode=encode,
)
