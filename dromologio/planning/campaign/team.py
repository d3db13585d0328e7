"""One team's campaign, day by day: a day problem of nearby schools, solved and checked.

Each working day the team's *seed* is the remaining school farthest from its base (the far ones
first, so that what is left stays compact around the base), and the day's candidates are the seed
and its nearest remaining schools (straight line; another island counts ``ISLAND_KM`` more),
twice as many as a day is likely to fit.  The day problem (the team, its base, the candidates as
one visit each, the ferries, the policy and the calendar) is solved with :func:`dispatch.solve`
under :data:`CAMPAIGN_PARAMS`, whose search is deterministic for a fixed seed; the solver chooses
which candidates fit, and the others stay for later days.  The seed's visit is worth more (high
priority): a school unserved ``SEED_TRIES`` times (as the seed, or in a cluster that gave
nothing, such as an island no day trip reaches) is set aside with the solver's reason, and a day
whose cluster gives nothing tries the next one (``ATTEMPTS_PER_DAY``).  Schools whose Directorate
is off that day (local holidays, breaks) wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from dromologio.dispatch import InlineExecutor, SearchParams, solve
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.geo.distance import haversine_km
from dromologio.models import Base, Problem, Route, School, Ticket
from dromologio.models.audit import audit_plan
from dromologio.models.calendar import WorkCalendar
from dromologio.models.checker import check_plan

from .request import CampaignRequest
from .result import CampaignDay, TeamSchedule

__all__ = ["CAMPAIGN_PARAMS", "day_problem", "plan_team"]

#: one search in this process, OR-Tools alone, descending to the first local optimum: the same
#: day problem and seed give the same plan on any machine, whatever the time limit left over.
CAMPAIGN_PARAMS = SearchParams(num_workers=1, use_pyvrp=False, metaheuristic="GREEDY_DESCENT")
#: extra straight-line distance between schools of different islands (or island and mainland).
ISLAND_KM = 500.0
#: times a school may go unserved (as the seed, or in a cluster that gave nothing) before it is set aside.
SEED_TRIES = 2
#: clusters tried on one day before the day is given up (a cluster on an island no day trip reaches
#: gives nothing).
ATTEMPTS_PER_DAY = 3
NOT_SERVED = "η ομάδα δεν το εξυπηρέτησε / the team could not serve it in a day"
NOT_REACHED = "δεν χώρεσε ως την τελευταία μέρα / not reached by the campaign's last day"
#: minutes of travel assumed per visit when sizing a day's candidates.
TRAVEL_PER_VISIT_MIN = 30


def _km(a: School | Base, b: School) -> float:
    far = 0.0 if a.island == b.island else ISLAND_KM
    return haversine_km(a.lat, a.lon, b.lat, b.lon) + far


def ticket_id(request: CampaignRequest, school_id: str) -> str:
    """The id of a campaign visit's ticket (one per school)."""
    return f"{request.label[:20].replace(' ', '-')}-{school_id}"


def day_problem(
    problem: Problem,
    request: CampaignRequest,
    technician_id: str,
    day: date,
    school_ids: Sequence[str],
    seed: str,
) -> Problem:
    """The problem of one team-day: the team alone and a visit to each candidate school."""
    technician = problem.technician_by_id[technician_id]
    opened = datetime.combine(request.start, time(8, 0))
    tickets = tuple(
        Ticket(
            ticket_id=ticket_id(request, s),
            school_id=s,
            opened_at=min(opened, datetime.combine(day, time(0, 0))),
            category=request.label,
            skill=request.skill,
            priority="high" if s == seed else "normal",
            service_minutes=request.minutes_at(s),
        )
        for s in school_ids
    )
    return problem.replace(
        schools=tuple(problem.school_by_id[s] for s in school_ids),
        bases=(problem.base_of(technician),),
        technicians=(technician,),
        tickets=tickets,
        absences=(),
        travel_times=tuple(
            k
            for k in problem.travel_times
            if {k.from_id, k.to_id} <= {*school_ids, technician.base_id, *problem.port_by_id}
        ),
    )


def _day_size(
    problem: Problem, request: CampaignRequest, technician_id: str, school_ids: Sequence[str]
) -> int:
    technician = problem.technician_by_id[technician_id]
    shift = technician.shift_end_min - technician.shift_start_min
    minutes = sum(request.minutes_at(s) for s in school_ids) / max(1, len(school_ids))
    return max(2, 2 * int(shift // (minutes + TRAVEL_PER_VISIT_MIN)))


def _solve_day(
    one_day: Problem, request: CampaignRequest, day: date, audit: bool
) -> tuple[tuple[str, ...], Route | None, tuple[str, ...], dict[str, str]]:
    """The schools visited (route order), the route, the checker's (and audit's) findings and the
    solver's reason for each school left out."""
    plan = solve(
        one_day,
        day,
        days=1,
        time_limit_s=request.time_limit_s,
        seed=request.seed,
        params=CAMPAIGN_PARAMS,
        executor=InlineExecutor(1),
    ).plan
    violations = [str(v) for v in check_plan(one_day, plan).violations]
    if audit:
        road = road_times(one_day, default_travel_model(one_day))
        violations += [f"audit: {f}" for f in audit_plan(one_day, plan, road=road).findings]
    route = next((r for r in plan.routes if r.visits), None)
    visited = tuple(stop.school_id for stop in route.visits if stop.school_id) if route else ()
    school_of = {t.ticket_id: t.school_id for t in one_day.tickets}
    reasons = {school_of[u.ticket_id]: u.reason for u in plan.unassigned if u.ticket_id in school_of}
    return visited, route, tuple(violations), reasons


def plan_team(
    problem: Problem,
    request: CampaignRequest,
    technician_id: str,
    school_ids: Sequence[str],
    days: Sequence[date],
    audit: bool = False,
) -> TeamSchedule:
    """The team's days: each a checked day plan of the schools it visits (see the module text).

    ``audit`` also runs the plan audit on each day (its findings count as violations).
    """
    technician = problem.technician_by_id[technician_id]
    base = problem.base_of(technician)
    calendar = WorkCalendar(problem.calendar)
    remaining = sorted(school_ids, key=lambda s: (-_km(base, problem.school_by_id[s]), s))
    size = _day_size(problem, request, technician_id, school_ids)
    misses: dict[str, int] = {}
    set_aside: dict[str, str] = {}
    schedule: list[CampaignDay] = []
    for day in days:
        tried: set[str] = set()
        for _ in range(ATTEMPTS_PER_DAY):
            open_today = [
                s
                for s in remaining
                if s not in tried and calendar.is_working_day(day, [problem.school_by_id[s].directorate])
            ]
            if not open_today:
                break
            seed = open_today[0]
            anchor = problem.school_by_id[seed]
            nearest = sorted(open_today[1:], key=lambda s: (_km(anchor, problem.school_by_id[s]), s))
            candidates = [seed, *nearest[: size - 1]]
            one_day = day_problem(problem, request, technician_id, day, candidates, seed)
            visited, route, violations, why = _solve_day(one_day, request, day, audit)
            # A cluster that gives nothing counts against every school in it; otherwise the seed alone.
            missed = [seed] if visited and seed not in visited else ([] if visited else candidates)
            for school_id in missed:
                misses[school_id] = misses.get(school_id, 0) + 1
            given_up = {s for s in missed if misses[s] >= SEED_TRIES}
            set_aside.update({s: why.get(s, NOT_SERVED) for s in given_up})
            remaining = [s for s in remaining if s not in visited and s not in given_up]
            if visited:
                schedule.append(CampaignDay(technician_id, day, visited, route, violations))
                break
            tried.update(candidates)
        if not remaining:
            break
    return TeamSchedule(
        technician_id=technician_id,
        school_ids=tuple(school_ids),
        days=tuple(schedule),
        left={**dict.fromkeys(remaining, NOT_REACHED), **set_aside},
    )
