"""Drop value: leaving a ticket undone today costs its value — priority x age factor x due factor.

value = priority value x age factor x due factor, in EUR, where

- the priority value comes from ``policy.priority_value_eur``;
- the age factor is ``1 + age_bonus_per_day x days open``, capped at ``max_age_factor``;
- the due factor is ``overdue_factor`` when ``due_by`` is before the planned day ends,
  ``due_soon_factor`` when it falls within ``due_soon_hours`` after that, else 1.

So urgent and old tickets win the day, and an SLA about to break wins over both.

- encoding: the ticket nodes' ``drop_penalty`` (the value in cost units): every visit is
  optional at that price (OR-Tools disjunctions);
- reasons, for tickets the solver leaves out (:func:`explain_drop`): ``not_worth`` when a
  technician who could go is idle (the trip costs more than the value), else ``capacity``
  (the days of those who could go are full of more valuable visits).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

from dromologio.models import Policy, Technician, Ticket

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Reason, Rule

RULE_ID: Final = "drop_value"
NOT_WORTH: Final = "not_worth"
CAPACITY: Final = "capacity"


def ticket_value_eur(ticket: Ticket, plan_date: date, policy: Policy) -> float:
    """What leaving ``ticket`` undone on ``plan_date`` costs, in EUR."""
    day_start = datetime.combine(plan_date, time())
    day_end = day_start + timedelta(days=1)
    days_open = max(0.0, (day_start - ticket.opened_at).total_seconds() / 86400.0)
    age_factor = min(policy.max_age_factor, 1.0 + policy.age_bonus_per_day * days_open)
    due_factor = 1.0
    if ticket.due_by is not None:
        if ticket.due_by <= day_end:
            due_factor = policy.overdue_factor
        elif ticket.due_by <= day_end + timedelta(hours=policy.due_soon_hours):
            due_factor = policy.due_soon_factor
    return policy.priority_value_eur[ticket.priority] * age_factor * due_factor


def not_worth(ticket: Ticket, idle: Sequence[Technician]) -> Reason:
    names = ", ".join(t.technician_id for t in idle)
    return Reason(
        NOT_WORTH,
        f"δεν αξίζει το ταξίδι σήμερα: μετακίνηση και αποζημιώσεις κοστίζουν περισσότερο από την αξία του "
        f"αιτήματος ({ticket.priority}) — μπορούν οι {names} / not worth the trip today: travel and allowances "
        f"cost more than the ticket's value ({ticket.priority}); {names} could go — raise its priority or plan "
        "it with other tickets there",
    )


def capacity(ticket: Ticket, candidates: Sequence[Technician]) -> Reason:
    names = ", ".join(t.technician_id for t in candidates)
    return Reason(
        CAPACITY,
        f"χαμηλότερη προτεραιότητα από όσα γέμισαν τη μέρα των τεχνικών που μπορούν ({names}) / "
        f"lower priority than the visits that filled the day of the technicians who could go ({names})",
    )


def explain_drop(ticket: Ticket, candidates: Sequence[Technician], idle_ids: Collection[str]) -> Reason:
    """Why the solver left out a ticket that ``candidates`` could serve; ``idle_ids``: technicians with empty days."""
    idle = [t for t in candidates if t.technician_id in idle_ids]
    return not_worth(ticket, idle) if idle else capacity(ticket, list(candidates))


def encode(day: Day, draft: InstanceDraft) -> None:
    for node, info in draft.of_kind("ticket"):
        if info.ticket is not None:
            value = ticket_value_eur(info.ticket, day.plan_date, day.policy)
            draft.drop_penalty[node] = round(value * COST_UNITS_PER_EUR)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Αίτημα που μένει ανεξυπηρέτητο κοστίζει την αξία του (προτεραιότητα, ηλικία, προθεσμία)",
    title_en="A ticket left undone costs its value (priority, age, due date)",
    reason_codes=(NOT_WORTH, CAPACITY),
    encode=encode,
    engine="a disjunction per ticket node with drop_penalty as its penalty",
)
