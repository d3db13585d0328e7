"""Campaigns: one visit to each of many schools between two dates by given teams, as a job.

POST answers 202 with the job at once; GET ``/campaigns/{id}`` shows its progress (teams done,
schools planned) and GET ``/campaigns/{id}/result`` the campaign (summary, progress curve, each
team-day, the schools left with the reason) once done.  Who may: admin and planner anywhere, a
dispatcher for the schools and technicians of its Directorates; partner keys may not.

Jobs are kept in memory, in the service process (:mod:`..memory_jobs`, one set per application):
a campaign is a planning exercise whose answer is its result document, not the day's operations,
and a restart forgets it (post it again: the same request and seed give the same campaign).  They
run one at a time in a background thread, each team's days on the executor of the ``scheduler``
setting (:func:`dromologio.planning.campaign.plan_campaign`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from dromologio.dispatch.executor import SolveExecutor
from dromologio.models import Problem
from dromologio.planning.campaign import CampaignError, CampaignRequest, plan_campaign

from .. import convert
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep, SettingsDep
from ..entity import Request as RequestBody
from ..entity import Response as ResponseBody
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..fieldtypes import ID_PATTERN, SEED_MAX, Day, LocalDateTime, Skill
from ..memory_jobs import JobStatus, MemoryJob, MemoryJobs, app_jobs
from ..tables import BaseRow, PolicyRow, PortRow, SailingRow, SchoolRow, TechnicianRow
from .absences import stored_absences
from .common import now

router = APIRouter(prefix="/campaigns", tags=["campaigns"], responses=PROBLEM_RESPONSES)

CampaignStatus = JobStatus
#: the longest campaign and the most schools one request may plan.
MAX_CAMPAIGN_DAYS = 366
MAX_SCHOOLS = 20_000


class CampaignCreate(RequestBody):
    school_ids: list[Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]] = Field(
        min_length=1,
        max_length=MAX_SCHOOLS,
        description="the schools to visit, once each",
        examples=[["S1", "S2"]],
    )
    start: Day = Field(description="first day of the campaign", examples=["2026-11-23"])
    end: Day = Field(description="last day of the campaign (included)", examples=["2026-12-04"])
    team_ids: list[str] | None = Field(
        default=None,
        description="the technicians (teams); every technician with the skill based in the schools' Directorates "
        "when absent",
        examples=[None],
    )
    skill: Skill = Field(default="hardware", description="the skill the work needs", examples=["network"])
    service_minutes: int = Field(
        default=90, ge=1, le=1440, description="minutes at each school", examples=[60]
    )
    minutes: dict[str, Annotated[int, Field(ge=1, le=1440)]] = Field(
        default_factory=dict, description="minutes at some schools, overriding service_minutes", examples=[{}]
    )
    label: str = Field(
        default="campaign",
        min_length=1,
        max_length=60,
        description="name of the campaign",
        examples=["νέα εργαστήρια"],
    )
    time_limit_s: float = Field(
        default=1.0, gt=0, le=30, description="solver seconds per team-day at most", examples=[1]
    )
    seed: int = Field(
        default=0, ge=0, le=SEED_MAX, description="random seed: the same seed, the same campaign"
    )


class CampaignJob(ResponseBody):
    campaign_id: str = Field(description="the campaign's id")
    status: CampaignStatus = Field(description="queued, running, done or failed")
    label: str = Field(description="name of the campaign")
    start: date = Field(description="first day")
    end: date = Field(description="last day")
    schools: int = Field(description="schools in the campaign")
    teams: int = Field(description="teams (technicians) in the campaign")
    teams_done: int = Field(description="teams whose days are planned")
    schools_planned: int = Field(description="schools placed in a team's day so far")
    directorates: list[str] = Field(description="the Directorates of the campaign's schools")
    created_at: LocalDateTime = Field(description="when it was posted (local time)")
    error: str | None = Field(description="why it failed")


@dataclass(kw_only=True)
class _Job(MemoryJob):
    request: CampaignRequest
    directorates: frozenset[str]
    teams_done: int = 0
    teams: int = 0
    schools_planned: int = 0

    def view(self) -> CampaignJob:
        return CampaignJob(
            campaign_id=self.job_id,
            status=self.status,
            label=self.request.label,
            start=self.request.start,
            end=self.request.end,
            schools=len(self.request.school_ids),
            teams=self.teams or len(self.request.team_ids),
            teams_done=self.teams_done,
            schools_planned=self.schools_planned,
            directorates=sorted(self.directorates),
            created_at=self.created_at,
            error=self.error,
        )

    def plan(self, problem: Problem, executor: SolveExecutor) -> dict[str, Any]:
        """The campaign, planned on ``executor``, as its result document."""

        def progress(done: int, total: int, schools: int) -> None:
            self.teams_done, self.teams, self.schools_planned = done, total, schools

        return plan_campaign(problem, self.request, executor=executor, on_progress=progress).to_dict()


CampaignJobs = MemoryJobs[_Job]


def campaign_jobs(request: Request, settings: SettingsDep) -> CampaignJobs:
    """The application's campaign jobs (made on first use)."""
    return app_jobs(request, settings, "campaign")


JobsDep = Annotated[CampaignJobs, Depends(campaign_jobs)]


def _problem(session: Session, principal: Principal, body: CampaignCreate) -> Problem:
    """The campaign's schools, teams, their bases, the ferries and the policy, as the caller may see them."""
    wanted = sorted(set(body.school_ids))
    schools = list(
        session.scalars(select(SchoolRow).where(SchoolRow.school_id.in_(wanted), principal.school_filter()))
    )
    missing = sorted(set(wanted) - {s.school_id for s in schools})
    if missing:
        raise ApiError(
            404,
            f"no school {', '.join(repr(m) for m in missing[:10])}",
            errors=[("body.school_ids", f"'{m}' is not known") for m in missing[:50]],
        )
    technicians_query = select(TechnicianRow).where(principal.technician_filter())
    if body.team_ids is not None:
        technicians_query = technicians_query.where(TechnicianRow.technician_id.in_(body.team_ids))
    else:
        directorates = sorted({s.directorate for s in schools})
        in_scope = select(BaseRow.base_id).where(BaseRow.directorate.in_(directorates))
        technicians_query = technicians_query.where(TechnicianRow.base_id.in_(in_scope))
    technicians = list(session.scalars(technicians_query.order_by(TechnicianRow.technician_id)))
    if body.team_ids is not None:
        unknown = sorted(set(body.team_ids) - {t.technician_id for t in technicians})
        if unknown:
            raise ApiError(
                404,
                f"no technician {', '.join(repr(u) for u in unknown)}",
                errors=[("body.team_ids", f"'{u}' is not known") for u in unknown],
            )
    bases = session.scalars(
        select(BaseRow).where(BaseRow.base_id.in_(sorted({t.base_id for t in technicians})))
    )
    policy = session.get(PolicyRow, 1)
    problem = convert.problem_from_rows(
        schools=schools,
        bases=bases,
        technicians=technicians,
        tickets=[],
        ports=session.scalars(select(PortRow).order_by(PortRow.port_id)),
        sailings=session.scalars(select(SailingRow).order_by(SailingRow.sailing_id)),
        policy=None if policy is None else policy.data,
        name=body.label,
    )
    days = [body.start + timedelta(days=n) for n in range((body.end - body.start).days + 1)]
    return problem.replace(
        absences=tuple(stored_absences(session, [t.technician_id for t in technicians], days))
    )


@router.post(
    "", status_code=status.HTTP_202_ACCEPTED, summary="Plan a campaign: answers 202 with the job at once"
)
def create_campaign(
    body: CampaignCreate, session: SessionDep, principal: CurrentPrincipal, jobs: JobsDep, response: Response
) -> CampaignJob:
    principal.require("admin", "dispatcher", "planner")
    if body.end < body.start:
        raise ApiError(422, "end is before start", errors=[("body.end", "on or after start")])
    if (body.end - body.start).days >= MAX_CAMPAIGN_DAYS:
        raise ApiError(
            422, f"a campaign spans at most {MAX_CAMPAIGN_DAYS} days", errors=[("body.end", "earlier")]
        )
    problem = _problem(session, principal, body)
    team_ids = body.team_ids or [t.technician_id for t in problem.technicians if body.skill in t.skills]
    try:
        request = CampaignRequest(
            school_ids=tuple(body.school_ids),
            start=body.start,
            end=body.end,
            team_ids=tuple(team_ids),
            skill=body.skill,
            service_minutes=body.service_minutes,
            minutes=body.minutes,
            label=body.label,
            time_limit_s=body.time_limit_s,
            seed=body.seed,
        )
        request.check_against(problem)
    except CampaignError as error:
        raise ApiError(422, str(error)) from error
    job = _Job(
        job_id=uuid.uuid4().hex[:16],
        request=request,
        directorates=frozenset(s.directorate for s in problem.schools),
        created_at=now(),
    )
    jobs.submit(job, partial(job.plan, problem))
    response.headers["Location"] = f"/campaigns/{job.job_id}"
    return job.view()


@router.get("", summary="Campaigns the caller sees, newest first")
def list_campaigns(principal: CurrentPrincipal, jobs: JobsDep) -> list[CampaignJob]:
    principal.require("admin", "dispatcher", "planner")
    return [j.view() for j in jobs.visible(lambda j: principal.sees_directorates(j.directorates))]


def _job(principal: Principal, jobs: CampaignJobs, campaign_id: str) -> _Job:
    principal.require("admin", "dispatcher", "planner")
    job = jobs.get(campaign_id)
    if job is None or not principal.sees_directorates(job.directorates):
        raise not_found("campaign", campaign_id)
    return job


@router.get("/{campaign_id}", summary="The campaign's job: status and progress")
def get_campaign(campaign_id: str, principal: CurrentPrincipal, jobs: JobsDep) -> CampaignJob:
    return _job(principal, jobs, campaign_id).view()


@router.get(
    "/{campaign_id}/result",
    summary="The campaign: summary, progress curve (schools per day, cumulative, €), each team-day, schools left",
)
def get_campaign_result(campaign_id: str, principal: CurrentPrincipal, jobs: JobsDep) -> dict[str, Any]:
    job = _job(principal, jobs, campaign_id)
    if job.result is None:
        raise ApiError(409, f"campaign '{campaign_id}' has no result yet (status {job.status})")
    return job.result
