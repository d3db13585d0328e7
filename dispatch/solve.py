"""The one entry point: ``solve(problem, plan_date, ...) -> Result``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dromologio.geo import RoadEstimateModel, TravelModel
from dromologio.models import Plan, Problem

from .build import DayModel, build_day
from .engine import ProgressCallback, StopCallback, solve_instance
from .extract import extract_routes, extract_unassigned, objective_eur
from .instance import InstanceSolution
from .params import SearchParams
from .triage import triage


@dataclass(frozen=True)
class Result:
    plan: Plan
    model: DayModel
    solution: InstanceSolution


def default_travel_model(problem: Problem) -> TravelModel:
    return RoadEstimateModel(problem.policy.road_speed_kmh, problem.policy.road_circuity)


def solve(
    problem: Problem,
    plan_date: date,
    *,
    time_limit_s: float | None = None,
    seed: int = 0,
    params: SearchParams | None = None,
    travel: TravelModel | None = None,
    on_solution: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
) -> Result:
    """Plan one day.  Every ticket ends in exactly one place of the plan.

    ``time_limit_s`` defaults to the policy's ``solver_time_limit_s``; the best
    plan found by then is returned.
    """
    limit = problem.policy.solver_time_limit_s if time_limit_s is None else time_limit_s
    sorted_out = triage(problem.tickets)
    model = build_day(problem, sorted_out.to_visit, plan_date, travel or default_travel_model(problem))
    solution = solve_instance(
        model.instance,
        time_limit_s=limit,
        seed=seed,
        params=params,
        on_solution=on_solution,
        should_stop=should_stop,
    )
    rates = {t.technician_id: problem.cost_per_km(t) for t in problem.technicians}
    routes = extract_routes(model, solution, rates)
    unassigned = extract_unassigned(model, solution)
    visited = sum(len(r.ticket_ids) for r in routes)
    kpis = {
        "tickets": len(problem.tickets),
        "to_visit": len(sorted_out.to_visit),
        "visited": visited,
        "unassigned": len(unassigned),
        "remote": len(sorted_out.remote),
        "vendor": len(sorted_out.vendor),
        "visits": sum(len(r.visits) for r in routes),
        "technicians_used": sum(1 for r in routes if r.visits),
        "distance_km": round(sum(r.distance_km for r in routes), 1),
        "travel_minutes": sum(r.travel_minutes for r in routes),
        "cost_eur": round(sum(r.cost_eur for r in routes), 2),
        "objective_eur": round(objective_eur(solution), 2),
        "solve_seconds": round(solution.solve_seconds, 2),
        "first_solution_seconds": (
            round(solution.first_solution_seconds, 3) if solution.first_solution_seconds is not None else None
        ),
        "status": solution.status,
    }
    plan = Plan(
        dates=(plan_date,),
        routes=tuple(routes),
        unassigned=tuple(unassigned),
        remote=sorted_out.remote,
        vendor=sorted_out.vendor,
        kpis=kpis,
    )
    return Result(plan=plan, model=model, solution=solution)
