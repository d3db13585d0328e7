"""The routing rules, one module each: hard rules first, then soft ones.

Read like a constraint list: every rule has a constant id, a Greek and an English title,
the plan checker's rules that verify it, the reason codes it gives, and its hooks —
a pre-check (can this technician ever serve this ticket today?), nodes of its own, and
its encoding in the :class:`~dromologio.dispatch.instance.RoutingInstance` (see
:mod:`.base`).  :mod:`dromologio.dispatch.build` walks the registry in this order.

Hard rules (a plan never breaks them):

- ``lock``         — a locked ticket goes only to its technician (:mod:`.lock`)
- ``skill``        — the technician has the ticket's skill (:mod:`.skill`)
- ``four_by_four`` — a school that needs a 4x4 gets a technician with one (:mod:`.four_by_four`)
- ``closure``      — nobody is sent down a closed road (:mod:`.closure`)
- ``school_hours`` — work at a school happens inside its hours (:mod:`.school_hours`)
- ``shift``        — a route starts and ends inside the shift (:mod:`.shift`)
- ``ferry``        — water is crossed only on a timetabled sailing that runs today (:mod:`.ferry`)
- ``lodging``      — a night away only across water, in a multi-day plan, where allowed (:mod:`.lodging`)
- ``km_cap``       — a day's km stay within the technician's cap (:mod:`.km_cap`)
- ``work_days``    — a part-time technician works only on its work days (:mod:`.work_days`)
- ``lunch_break``  — a route with visits holds a lunch break inside the lunch window (:mod:`.lunch_break`)

Soft rules (terms of the objective, in EUR):

- ``travel_cost``  — km at the technician's rate and hours on the road (:mod:`.travel_cost`)
- ``per_diem``     — the per diem for a day beyond the employer's distance (:mod:`.per_diem`)
- ``fairness``     — a technician ahead of its employer's allowances pays more for new ones (:mod:`.fairness`)
- ``own_directorate`` — a cost per visit outside the technician's own Directorate(s) (:mod:`.own_directorate`)
- ``zone``         — a cost per visit outside the technician's home zone (:mod:`.zone`)
- ``balance``      — a cost per hour of work of the busiest technician (:mod:`.balance`)
- ``drop_value``   — a ticket left undone costs its value, by priority tier (:mod:`.drop_value`)
- ``second_visit`` — a cost for a visit that does not serve the school's first ticket (:mod:`.second_visit`)
- ``preventive``   — due preventive visits fill the slack; the reason when they do not fit (:mod:`.preventive`)

The pre-checks run in the order of :data:`HARD_RULES` (lock, skill, four_by_four,
closure, school_hours, km_cap, work_days): the first that leaves nobody gives the ticket's reason.
The rule index, with the checker rules, reason codes and tests, is in
``docs/architecture.md`` ("The rules").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from . import (
    balance,
    closure,
    drop_value,
    fairness,
    ferry,
    four_by_four,
    km_cap,
    lock,
    lodging,
    lunch_break,
    own_directorate,
    per_diem,
    preventive,
    school_hours,
    second_visit,
    shift,
    skill,
    travel_cost,
    work_days,
    zone,
)
from .base import Reason, Rule

LOCK: Final = lock.RULE_ID
SKILL: Final = skill.RULE_ID
FOUR_BY_FOUR: Final = four_by_four.RULE_ID
CLOSURE: Final = closure.RULE_ID
SCHOOL_HOURS: Final = school_hours.RULE_ID
SHIFT: Final = shift.RULE_ID
FERRY: Final = ferry.RULE_ID
LODGING: Final = lodging.RULE_ID
KM_CAP: Final = km_cap.RULE_ID
TRAVEL_COST: Final = travel_cost.RULE_ID
PER_DIEM: Final = per_diem.RULE_ID
FAIRNESS: Final = fairness.RULE_ID
OWN_DIRECTORATE: Final = own_directorate.RULE_ID
BALANCE: Final = balance.RULE_ID
DROP_VALUE: Final = drop_value.RULE_ID
SECOND_VISIT: Final = second_visit.RULE_ID
PREVENTIVE: Final = preventive.RULE_ID
WORK_DAYS: Final = work_days.RULE_ID
ZONE: Final = zone.RULE_ID
LUNCH_BREAK: Final = lunch_break.RULE_ID

#: The hard rules, in the order of their pre-checks and nodes.
HARD_RULES: Final[tuple[Rule, ...]] = (
    lock.RULE,
    skill.RULE,
    four_by_four.RULE,
    closure.RULE,
    school_hours.RULE,
    shift.RULE,
    ferry.RULE,
    lodging.RULE,
    km_cap.RULE,
    work_days.RULE,
    lunch_break.RULE,
)
#: The soft rules: the terms of the objective.
SOFT_RULES: Final[tuple[Rule, ...]] = (
    travel_cost.RULE,
    per_diem.RULE,
    fairness.RULE,
    own_directorate.RULE,
    zone.RULE,
    balance.RULE,
    drop_value.RULE,
    second_visit.RULE,
    preventive.RULE,
)
RULES: Final[tuple[Rule, ...]] = HARD_RULES + SOFT_RULES
#: Every rule id, hard ones first.
RULE_IDS: Final[tuple[str, ...]] = tuple(r.rule_id for r in RULES)
#: The hard rules with a pre-check, in the order they narrow a ticket's technicians.
PRECHECKS: Final[tuple[Rule, ...]] = tuple(r for r in HARD_RULES if r.admits is not None)
RULE_BY_ID: Final[Mapping[str, Rule]] = {r.rule_id: r for r in RULES}
#: reason code -> the id of the rule whose text carries it.
RULE_OF_REASON: Final[Mapping[str, str]] = {code: r.rule_id for r in RULES for code in r.reason_codes}

__all__ = [
    "BALANCE",
    "CLOSURE",
    "DROP_VALUE",
    "FAIRNESS",
    "FERRY",
    "FOUR_BY_FOUR",
    "HARD_RULES",
    "KM_CAP",
    "LOCK",
    "LODGING",
    "LUNCH_BREAK",
    "OWN_DIRECTORATE",
    "PER_DIEM",
    "PRECHECKS",
    "PREVENTIVE",
    "RULES",
    "RULE_BY_ID",
    "RULE_IDS",
    "RULE_OF_REASON",
    "SCHOOL_HOURS",
    "SECOND_VISIT",
    "SHIFT",
    "SKILL",
    "SOFT_RULES",
    "TRAVEL_COST",
    "WORK_DAYS",
    "ZONE",
    "Reason",
    "Rule",
]
