"""The campaign end to end: working days, schools to teams, each team's days as one task.

Teams are independent once the schools are shared out (:mod:`.assign`), so each team's campaign
(:func:`.team.plan_team`) is one task of a :class:`~dromologio.dispatch.SolveExecutor`: local
processes by default, a Dask cluster when given.  The problem, cut down to the campaign's
schools and teams, is shared once (scattered on Dask), not sent with every task.  Each task is
deterministic for the request's seed, so the plan does not depend on where the tasks ran.
A failed task stops the campaign with the team named (:class:`CampaignTaskError`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import date

from dromologio.dispatch import LocalExecutor, SolveExecutor
from dromologio.models import Problem
from dromologio.models.calendar import WorkCalendar

from .assign import assign_schools
from .request import CampaignError, CampaignRequest
from .result import Campaign, TeamSchedule
from .team import plan_team

__all__ = ["CampaignTaskError", "ProgressCallback", "campaign_problem", "plan_campaign", "team_days"]

#: called after each team's task with (teams done, teams, schools done so far).
ProgressCallback = Callable[[int, int, int], None]


class CampaignTaskError(RuntimeError):
    """A team's task failed; the message names the team and the error."""


def campaign_problem(problem: Problem, request: CampaignRequest) -> Problem:
    """The problem cut down to the campaign: its schools, its teams and their bases, no tickets."""
    request.check_against(problem)
    teams = tuple(problem.technician_by_id[t] for t in request.team_ids)
    base_ids = {t.base_id for t in teams}
    return problem.replace(
        schools=tuple(problem.school_by_id[s] for s in sorted(request.school_ids)),
        bases=tuple(b for b in problem.bases if b.base_id in base_ids),
        technicians=teams,
        tickets=(),
        absences=tuple(a for a in problem.absences if a.technician_id in request.team_ids),
        travel_times=(),
    )


def team_days(
    problem: Problem, request: CampaignRequest
) -> tuple[tuple[date, ...], dict[str, tuple[date, ...]]]:
    """The campaign's working days (a day some campaign school works) and each team's (not away)."""
    calendar = WorkCalendar(problem.calendar)
    directorates = {problem.school_by_id[s].directorate for s in request.school_ids}
    days = calendar.between(request.start, request.end, directorates)
    per_team = {
        t: tuple(d for d in days if not any(a.technician_id == t and a.covers(d) for a in problem.absences))
        for t in request.team_ids
    }
    return days, per_team


def plan_campaign(
    problem: Problem,
    request: CampaignRequest,
    *,
    executor: SolveExecutor | None = None,
    on_progress: ProgressCallback | None = None,
    audit: bool = False,
) -> Campaign:
    """Plan the campaign (see the module text); ``executor`` defaults to local processes.

    ``audit`` also audits every day plan (slower; the tests do).
    """
    small = campaign_problem(problem, request)
    days, per_team = team_days(small, request)
    if not days:
        raise CampaignError(
            f"no working day between {request.start} and {request.end} for the campaign's schools "
            "/ καμία εργάσιμη μέρα: choose other dates"
        )
    shares = assign_schools(small, request.school_ids, {t: len(d) for t, d in per_team.items()})
    assigned = {s for ids in shares.values() for s in ids}
    unreachable = {
        s: "καμία ομάδα δεν εργάζεται αυτές τις μέρες / no team works on these days"
        for s in request.school_ids
        if s not in assigned
    }
    owned = executor is None
    runner: SolveExecutor = executor if executor is not None else LocalExecutor()
    try:
        shared = runner.share(small)
        futures: list[tuple[str, Future[TeamSchedule]]] = [
            (t, runner.submit(plan_team, shared, request, t, shares[t], per_team[t], audit))
            for t in sorted(shares)
            if shares[t]
        ]
        schedules: list[TeamSchedule] = []
        for team, future in futures:
            try:
                schedules.append(future.result())
            except Exception as error:
                for _, other in futures:
                    other.cancel()
                raise CampaignTaskError(f"team {team}: {type(error).__name__}: {error}") from error
            if on_progress is not None:
                on_progress(
                    len(schedules), len(futures), sum(len(d.school_ids) for s in schedules for d in s.days)
                )
    finally:
        if owned:
            runner.close()
    return Campaign(
        label=request.label,
        start=request.start,
        end=request.end,
        working_days=days,
        teams=tuple(sorted(schedules, key=lambda s: s.technician_id)),
        unreachable=unreachable,
    )
