"""Drop value: leaving a ticket undone today costs its value — its priority tier's floor + priority x age x due.

A ticket's own value (:func:`ticket_value_eur`), in EUR, is

- the priority value from ``policy.priority_value_eur``, times
- the age factor ``1 + age_bonus_per_day x days open``, capped at ``max_age_factor``, times
- the due factor: ``overdue_factor`` when ``due_by`` is before the planned day ends,
  ``due_soon_factor`` when it falls within ``due_soon_hours`` after that, else 1.

``policy.priority_mode`` says how priorities rank (:func:`day_values`):

- ``weighted``: the own value alone, so two or three normal tickets may outweigh one urgent;
- ``urgent_first`` (the default): an urgent ticket's value is its own value plus a *floor*
  above the values of all other tickets of the problem on that day together with the most
  the day's routes could cost (:func:`day_cost_bound_eur`), so no set of lower tickets and
  no travel saving ever displaces an urgent ticket that a technician can serve;
- ``strict_tiers``: the same floor for every priority over all lower ones (urgent over high
  over normal over low).

Within a tier the own value (age, due date) still orders tickets.  Values are capped at
:data:`MAX_VALUE_EUR` (10^14 cost units), so the objective of up to 90,000 tickets a day
stays within the solver's 64-bit integers.  ``urgent_first`` floors stay far below the
cap (tens of thousands of EUR on a regional day); ``strict_tiers`` floors multiply with
the tickets of each tier, and a tier whose floor reaches the cap is no longer strict.

- encoding: the ticket nodes' ``drop_penalty`` (the value in cost units): every visit is
  optional at that price (OR-Tools disjunctions); nodes whose floor outweighs the day's
  travel are ``protected``;
- reasons, for tickets the solver leaves out (:func:`explain_drop`): ``not_worth`` when a
  technician who could go is idle (the trip costs more than the value; never for a
  protected ticket), else ``capacity``: "lower priority" only when every ticket the
  technicians who could go serve today has a higher priority; "full days" naming the
  visits of the same priority (or, for an unprotected ticket, a lower one) that took their
  time; else no route was found that fits it in with every rule kept.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from dromologio.models import Policy, Problem, Technician, Ticket
from dromologio.models.service_columns import outside_zone_eur

from ..costs import employer_policy, km_rate
from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Reason, Rule

RULE_ID: Final = "drop_value"
NOT_WORTH: Final = "not_worth"
CAPACITY: Final = "capacity"

#: priorities from the lowest tier up.
TIERS: Final = ("low", "normal", "high", "urgent")
#: the most a ticket is worth, in EUR (10^14 cost units): the values of 90,000 tickets stay within int64.
MAX_VALUE_EUR: Final = 1e10
MAX_PENALTY: Final = round(MAX_VALUE_EUR * COST_UNITS_PER_EUR)


def ticket_value_eur(ticket: Ticket, plan_date: date, policy: Policy) -> float:
    """The ticket's own value on ``plan_date``, in EUR: priority value x age factor x due factor.

    Its priority tier's floor (``priority_mode``) comes on top: :func:`day_values`.
    """
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


def day_cost_bound_eur(problem: Problem, plan_date: date) -> float:
    """The most the routes of ``plan_date`` could add to the objective, in EUR.

    Per technician, over its shift: driving the whole shift at the policy's fastest road
    speed (km at its rate plus tolls, hours at ``time_value_eur_per_hour``); a per diem,
    an outside-Directorate visit and a second visit at every visit the shift has time for
    (``visit_setup_min`` plus the shortest service each); a night away (overnight
    allowance and per diem); the dearest fare of the day on every sailing the shift has
    time for; the fairness surcharge on those allowances and that night; and the busiest
    shift at ``balance_eur_per_hour``.
    """
    policy = problem.policy
    tickets = [t for t in problem.tickets if t.needs_visit]
    if not tickets or not problem.technicians:
        return 0.0
    fastest = max(policy.road_speed_kmh.values())
    schools = len({t.school_id for t in tickets})
    shortest_visit = max(1, policy.visit_setup_min + min(t.service_minutes for t in tickets))
    sailings = [s for s in problem.sailings if s.runs_on(plan_date)]
    dearest = max((s.fare_eur or 0.0 for s in sailings), default=0.0)
    shortest_crossing = max(1, policy.ferry_check_in_min + min((s.duration_min for s in sailings), default=0))
    total = 0.0
    longest = 0.0
    for tech in problem.technicians:
        rules = employer_policy(problem, tech)
        overtime = int(rules.overtime_max_min_per_day)
        minutes = tech.shift_end_min - tech.shift_start_min + overtime
        hours = minutes / 60.0
        total += overtime / 60.0 * rules.overtime_eur_per_hour
        visits = min(schools, minutes // shortest_visit)
        crossings = min(len(sailings), minutes // shortest_crossing)
        total += hours * (fastest * (km_rate(problem, tech) + rules.toll_eur_per_km))
        total += hours * policy.time_value_eur_per_hour
        total += visits * (
            rules.per_diem_eur
            + policy.outside_directorate_eur
            + outside_zone_eur(problem)
            + policy.second_visit_eur
        )
        total += rules.overnight_eur + rules.per_diem_eur + crossings * dearest
        # The fairness surcharge on those allowances and that night (0 by default).
        total += rules.fairness_eur_per_allowance_eur * (
            visits * rules.per_diem_eur + rules.overnight_eur + rules.per_diem_eur
        )
        total += rules.fairness_eur_per_night
        longest = max(longest, hours)
    return total + longest * policy.balance_eur_per_hour


def tier_floors_eur(problem: Problem, plan_date: date) -> dict[str, float]:
    """Per priority, what its tickets are worth on ``plan_date`` above their own value (``priority_mode``).

    A floor is the value of every ticket of the problem that needs a visit and has a lower
    priority (its own floor, its own value and a second visit each) plus
    :func:`day_cost_bound_eur`: more than any set of them, and their travel, could save.
    """
    policy = problem.policy
    floors = dict.fromkeys(TIERS, 0.0)
    if policy.priority_mode == "weighted":
        return floors
    own: dict[str, float] = dict.fromkeys(TIERS, 0.0)
    count: dict[str, int] = dict.fromkeys(TIERS, 0)
    for ticket in problem.tickets:
        if ticket.needs_visit:
            own[ticket.priority] += ticket_value_eur(ticket, plan_date, policy) + policy.second_visit_eur
            count[ticket.priority] += 1
    bound = day_cost_bound_eur(problem, plan_date)
    if policy.priority_mode == "urgent_first":
        floors["urgent"] = min(MAX_VALUE_EUR, sum(own[p] for p in TIERS[:-1]) + bound)
        return floors
    below = 0.0
    for position, tier in enumerate(TIERS):
        if position:
            floors[tier] = min(MAX_VALUE_EUR, below + bound)
        below += own[tier] + count[tier] * floors[tier]
    return floors


@dataclass(frozen=True)
class DayValues:
    """The values of tickets left undone on one day: own value + the floor of the priority tier."""

    plan_date: date
    policy: Policy
    floors: Mapping[str, float]

    def value_eur(self, ticket: Ticket) -> float:
        """What leaving ``ticket`` undone on the day costs, in EUR (at most :data:`MAX_VALUE_EUR`)."""
        own = ticket_value_eur(ticket, self.plan_date, self.policy)
        return min(MAX_VALUE_EUR, self.floors[ticket.priority] + own)

    def protected(self, ticket: Ticket) -> bool:
        """Whether the ticket's tier floor outweighs every lower ticket and the day's travel."""
        return self.floors[ticket.priority] > 0.0


def day_values(problem: Problem, plan_date: date) -> DayValues:
    """The values of ``problem``'s tickets on ``plan_date`` under its ``priority_mode``."""
    return DayValues(plan_date, problem.policy, tier_floors_eur(problem, plan_date))


# --------------------------------------------------------------------------- reasons


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
    """The days of those who could go are full of visits of higher priority."""
    names = ", ".join(t.technician_id for t in candidates)
    return Reason(
        CAPACITY,
        f"χαμηλότερη προτεραιότητα από όσα γέμισαν τη μέρα των τεχνικών που μπορούν ({names}) / "
        f"lower priority than the visits that filled the day of the technicians who could go ({names})",
    )


def full_days(ticket: Ticket, candidates: Sequence[Technician], same_or_lower: Sequence[str]) -> Reason:
    """The days of those who could go are full, with visits of the same or lower priority that fit better."""
    names = ", ".join(t.technician_id for t in candidates)
    shown = ", ".join(same_or_lower[:5]) + (" …" if len(same_or_lower) > 5 else "")
    return Reason(
        CAPACITY,
        f"οι μέρες των τεχνικών που μπορούν ({names}) είναι γεμάτες· οι επισκέψεις ίδιας ή χαμηλότερης "
        f"προτεραιότητας ({shown}) είναι πιο κοντά στη διαδρομή τους ή αξίζουν περισσότερο (παλαιότερες, "
        f"με προθεσμία) / the days of the technicians who could go ({names}) are full: their visits of the "
        f"same or lower priority ({shown}) lie nearer their routes or are worth more (older, or due sooner)",
    )


def no_route(ticket: Ticket, candidates: Sequence[Technician]) -> Reason:
    """A ticket that outweighs the day's travel, left out: no day found could take it with every rule kept."""
    names = ", ".join(t.technician_id for t in candidates)
    return Reason(
        CAPACITY,
        f"δεν βρέθηκε διαδρομή που να το χωράει σήμερα με όλους τους κανόνες ({names}) / no route found that "
        f"fits it in today with every rule kept ({names}): sailings, km caps and the hours of the other visits "
        "leave no room",
    )


def explain_drop(
    ticket: Ticket,
    candidates: Sequence[Technician],
    idle_ids: Collection[str],
    served: Mapping[str, Sequence[Ticket]] | None = None,
    *,
    protected: bool = False,
) -> Reason:
    """Why the solver left out a ticket that ``candidates`` could serve.

    ``idle_ids``: technicians with empty days; ``served``: the tickets each technician
    serves today; ``protected``: the ticket outweighs every lower ticket and the day's
    travel (so "not worth the trip" cannot be why).
    """
    idle = [t for t in candidates if t.technician_id in idle_ids]
    if idle and not protected:
        return not_worth(ticket, idle)
    busy = [t for t in candidates if t.technician_id not in idle_ids]
    if idle or not busy:
        return no_route(ticket, list(candidates))
    rank = TIERS.index(ticket.priority)
    others = [o for t in busy for o in (served or {}).get(t.technician_id, ())]
    if others and all(TIERS.index(o.priority) > rank for o in others):
        return capacity(ticket, busy)
    # A protected ticket is displaced only by its own tier; any other by its own tier or a lower one.
    lowest = rank if protected else 0
    displacing = sorted({o.ticket_id for o in others if lowest <= TIERS.index(o.priority) <= rank})
    if displacing:
        return full_days(ticket, busy, displacing)
    return no_route(ticket, list(candidates))


def encode(day: Day, draft: InstanceDraft) -> None:
    values = day_values(day.problem, day.plan_date)
    for node, info in draft.of_kind("ticket"):
        if info.ticket is not None and node not in draft.mandatory:
            value = values.value_eur(info.ticket)
            draft.drop_penalty[node] = min(MAX_PENALTY, round(value * COST_UNITS_PER_EUR))
            if values.protected(info.ticket):
                draft.protected.add(node)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Αίτημα που μένει ανεξυπηρέτητο κοστίζει την αξία του (βαθμίδα προτεραιότητας, ηλικία, προθεσμία)",
    title_en="A ticket left undone costs its value (priority tier, age, due date)",
    reason_codes=(NOT_WORTH, CAPACITY),
    encode=encode,
    engine="a disjunction per ticket node with drop_penalty as its penalty",
)
