"""What leaving a ticket undone today costs: the drop penalty of its visit.

value = priority value x age factor x due factor, in EUR, where
- the priority value comes from ``policy.priority_value_eur``;
- the age factor is ``1 + age_bonus_per_day x days open``, capped at ``max_age_factor``;
- the due factor is ``overdue_factor`` when ``due_by`` is before the planned day ends,
  ``due_soon_factor`` when it falls within ``due_soon_hours`` after that, else 1.

So urgent and old tickets win the day, and an SLA about to break wins over both.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dromologio.models import Policy, Ticket


def ticket_value_eur(ticket: Ticket, plan_date: date, policy: Policy) -> float:
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
