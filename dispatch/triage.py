"""Triage: which tickets are routed at all.

Warranty hardware goes to the vendor (even when it could also be handled remotely),
remote tickets are solved by phone or remote tools; only the rest need a visit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dromologio.models import Ticket


@dataclass(frozen=True)
class Triage:
    to_visit: tuple[Ticket, ...]
    remote: tuple[str, ...]
    vendor: tuple[str, ...]


def triage(tickets: Iterable[Ticket]) -> Triage:
    to_visit: list[Ticket] = []
    remote: list[str] = []
    vendor: list[str] = []
    for ticket in tickets:
        if ticket.warranty:
            vendor.append(ticket.ticket_id)
        elif ticket.remote:
            remote.append(ticket.ticket_id)
        else:
            to_visit.append(ticket)
    return Triage(tuple(to_visit), tuple(remote), tuple(vendor))
