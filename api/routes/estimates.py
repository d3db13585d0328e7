"""Estimates: the stored ticket history replayed day by day with the solver, against the budget, as a job.

POST answers 202 with the job at once; GET ``/estimates/{id}`` shows its progress (days planned)
and GET ``/estimates/{id}/result`` the estimate once done: the same projection, band and budget
comparison as ``dromologio estimate`` (:func:`dromologio.planning.estimate.estimate_costs`), with the
budget lines of the database as its budget.  Who may: admin and planner over everything; a
dispatcher over the schools, tickets and technicians of its Directorates; a partner over its own
employer's technicians and budget, on the schools of its Directorates.

Jobs are kept in memory, in the service process (:mod:`..memory_jobs`), as campaigns are: an
estimate is a planning exercise whose answer is its result document; a restart forgets it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from dromologio.dispatch.executor import SolveExecutor
from dromologio.models import Problem
from dromologio.planning.estimate import BUDGET_COLUMNS, estimate_costs

from .. import convert
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep, SettingsDep
from ..entity import Request as RequestBody
from ..entity import Response as ResponseBody
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..fieldtypes import SEED_MAX, Day, LocalDateTime
from ..memory_jobs import JobStatus, MemoryJob, MemoryJobs, app_jobs, executor_description
from ..tables import (
    BaseRow,
    BudgetLineRow,
    PolicyRow,
    PortRow,
    SailingRow,
    SchoolRow,
    TechnicianRow,
    TicketRow,
)
from .absences import stored_absences
from .budgets import employer_filter
from .common import now

router = APIRouter(prefix="/estimates", tags=["estimates"], responses=PROBLEM_RESPONSES)

#: the longest period one request may replay, in days.
MAX_ESTIMATE_DAYS = 366


class EstimateCreate(RequestBody):
    start: Day | None = Field(
        default=None,
        description="first day planned; the day the first stored ticket was opened when absent",
        examples=["2026-11-09"],
    )
    end: Day | None = Field(
        default=None,
        description="last day planned (included); the day the last stored ticket was opened when absent",
        examples=["2026-11-20"],
    )
    time_limit_s: float = Field(
        default=1.0, gt=0, le=30, description="solver seconds per day and region at most", examples=[1]
    )
    seed: int = Field(
        default=0, ge=0, le=SEED_MAX, description="random seed: the same seed, the same estimate"
    )


class EstimateJob(ResponseBody):
    estimate_id: str = Field(description="the estimate's id")
    status: JobStatus = Field(description="queued, running, done or failed")
    start: date | None = Field(description="first day asked (null: the first ticket's)")
    end: date | None = Field(description="last day asked (null: the last ticket's)")
    tickets: int = Field(description="tickets of the history (the stored tickets the caller sees)")
    technicians: int = Field(description="technicians planned")
    employers: list[str] = Field(description="the employers (partner bodies) of those technicians")
    directorates: list[str] = Field(description="the Directorates of the history's schools")
    progress: str = Field(description="what is being planned now, in words")
    runs_on: str = Field(description="where the solver runs (the service's scheduler setting)")
    created_at: LocalDateTime = Field(description="when it was posted (local time)")
    error: str | None = Field(description="why it failed")


@dataclass(kw_only=True)
class _Job(MemoryJob):
    body: EstimateCreate
    problem: Problem
    budget: pd.DataFrame
    directorates: frozenset[str]
    employers: frozenset[str]
    runs_on: str
    progress: str = ""

    def view(self) -> EstimateJob:
        return EstimateJob(
            estimate_id=self.job_id,
            status=self.status,
            start=self.body.start,
            end=self.body.end,
            tickets=len(self.problem.tickets),
            technicians=len(self.problem.technicians),
            employers=sorted(self.employers),
            directorates=sorted(self.directorates),
            progress=self.progress,
            runs_on=self.runs_on,
            created_at=self.created_at,
            error=self.error,
        )

    def seen_by(self, principal: Principal) -> bool:
        if principal.reads_all:
            return True
        if principal.role == "partner" and not self.employers <= {principal.employer}:
            return False
        return principal.sees_directorates(self.directorates)

    def estimate(self, executor: SolveExecutor) -> dict[str, Any]:
        """The estimate, planned on ``executor``, as its result document."""

        def progress(text: str) -> None:
            self.progress = text

        result = estimate_costs(
            self.problem,
            budget=self.budget,
            start=self.body.start,
            end=self.body.end,
            time_limit_s=self.body.time_limit_s,
            seed=self.body.seed,
            progress=progress,
            executor=executor,
        )
        queue = result.queue
        return {
            "start": result.start.isoformat(),
            "end": result.end.isoformat(),
            "days": len(result.days),
            "regions": len(result.regions),
            "method": result.method,
            "warnings": list(result.warnings),
            "total_eur": result.total_eur,
            "tickets_served": int(queue["served"].sum()),
            "tickets_open_at_end": int(queue["carried_over"].iloc[-1]) if len(queue) else 0,
            "no_visit": result.no_visit,
            "budget": _records(result.budget),
            "daily": _records(result.daily),
            "queue": _records(queue),
        }


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON rows (NaN as null)."""
    rows: list[dict[str, Any]] = json.loads(table.to_json(orient="records", force_ascii=False))
    return rows


EstimateJobs = MemoryJobs[_Job]


def estimate_jobs(request: Request, settings: SettingsDep) -> EstimateJobs:
    """The application's estimate jobs (made on first use)."""
    return app_jobs(request, settings, "estimate")


JobsDep = Annotated[EstimateJobs, Depends(estimate_jobs)]


def _problem(session: Session, principal: Principal, body: EstimateCreate) -> Problem:
    """The caller's schools, their tickets (the history), its technicians and their bases, the ferries,
    the policy and the technicians' absences over the period."""
    schools = list(
        session.scalars(select(SchoolRow).where(principal.school_filter()).order_by(SchoolRow.school_id))
    )
    school_ids = [s.school_id for s in schools]
    tickets = session.scalars(
        select(TicketRow).where(TicketRow.school_id.in_(school_ids)).order_by(TicketRow.ticket_id)
    )
    technicians = list(
        session.scalars(
            select(TechnicianRow).where(principal.technician_filter()).order_by(TechnicianRow.technician_id)
        )
    )
    bases = session.scalars(
        select(BaseRow).where(BaseRow.base_id.in_(sorted({t.base_id for t in technicians})))
    )
    policy = session.get(PolicyRow, 1)
    problem = convert.problem_from_rows(
        schools=schools,
        bases=bases,
        technicians=technicians,
        tickets=tickets,
        ports=session.scalars(select(PortRow).order_by(PortRow.port_id)),
        sailings=session.scalars(select(SailingRow).order_by(SailingRow.sailing_id)),
        policy=None if policy is None else policy.data,
        name="estimate",
    )
    opened = [t.opened_at.date() for t in problem.tickets]
    first = body.start or min(opened, default=None)
    last = body.end or max(opened, default=None)
    if first is None or last is None or last < first:
        return problem
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return problem.replace(
        absences=tuple(stored_absences(session, [t.technician_id for t in technicians], days))
    )


def _budget(session: Session, principal: Principal, employers: frozenset[str]) -> pd.DataFrame:
    """The budget lines the caller reads of ``employers`` as a budget table (``employer, period,
    budget_eur``); lines of one employer and period are added up."""
    amounts: dict[tuple[str, str], float] = {}
    query = select(BudgetLineRow).where(
        employer_filter(principal), BudgetLineRow.employer.in_(sorted(employers))
    )
    for line in session.scalars(query):
        period = f"{line.year:04d}" if line.month is None else f"{line.year:04d}-{line.month:02d}"
        amounts[(line.employer, period)] = amounts.get((line.employer, period), 0.0) + line.amount_eur
    rows = [{"employer": e, "period": p, "budget_eur": a} for (e, p), a in sorted(amounts.items())]
    return pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Estimate the costs against the budget: answers 202 with the job",
)
def create_estimate(
    body: EstimateCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    jobs: JobsDep,
    settings: SettingsDep,
    response: Response,
) -> EstimateJob:
    if body.time_limit_s > settings.max_time_limit_s:
        raise ApiError(
            422,
            f"time_limit_s may be at most {settings.max_time_limit_s:g}",
            errors=[("body.time_limit_s", f"at most {settings.max_time_limit_s:g}")],
        )
    if body.start is not None and body.end is not None:
        if body.end < body.start:
            raise ApiError(422, "end is before start", errors=[("body.end", "on or after start")])
        if (body.end - body.start).days >= MAX_ESTIMATE_DAYS:
            raise ApiError(
                422, f"an estimate spans at most {MAX_ESTIMATE_DAYS} days", errors=[("body.end", "earlier")]
            )
    problem = _problem(session, principal, body)
    if not problem.technicians:
        raise ApiError(422, "no technician to plan with: the caller sees none")
    if not problem.tickets and (body.start is None or body.end is None):
        raise ApiError(
            422,
            "there is no stored ticket; give the period with start and end",
            errors=[("body.start", "a day")],
        )
    employers = frozenset(t.employer for t in problem.technicians)
    job = _Job(
        job_id=uuid.uuid4().hex[:16],
        created_at=now(),
        body=body,
        problem=problem,
        budget=_budget(session, principal, employers),
        directorates=frozenset(s.directorate for s in problem.schools),
        employers=employers,
        runs_on=executor_description(settings),
    )
    jobs.submit(job, job.estimate)
    response.headers["Location"] = f"/estimates/{job.job_id}"
    return job.view()


@router.get("", summary="Estimates the caller sees, newest first")
def list_estimates(principal: CurrentPrincipal, jobs: JobsDep) -> list[EstimateJob]:
    return [j.view() for j in jobs.visible(lambda j: j.seen_by(principal))]


def _job(principal: Principal, jobs: EstimateJobs, estimate_id: str) -> _Job:
    job = jobs.get(estimate_id)
    if job is None or not job.seen_by(principal):
        raise not_found("estimate", estimate_id)
    return job


@router.get("/{estimate_id}", summary="The estimate's job: status and progress")
def get_estimate(estimate_id: str, principal: CurrentPrincipal, jobs: JobsDep) -> EstimateJob:
    return _job(principal, jobs, estimate_id).view()


@router.get(
    "/{estimate_id}/result",
    summary="The estimate: per employer and budget period the cost, projection, band and budget; per day and "
    "employer the cumulative cost; the ticket queue; how the projection was made",
)
def get_estimate_result(estimate_id: str, principal: CurrentPrincipal, jobs: JobsDep) -> dict[str, Any]:
    job = _job(principal, jobs, estimate_id)
    if job.result is None:
        raise ApiError(409, f"estimate '{estimate_id}' has no result yet (status {job.status})")
    return job.result
