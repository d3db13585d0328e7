"""From the database to a problem to solve, and from a plan of today to its re-planning.

A plan job stores a snapshot of its problem (the contract's JSON document), so a
job solves what was asked even if tickets change meanwhile, survives restarts, and
can be checked and exported later against exactly what was solved.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import Field
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, load_only

from dromologio.dispatch.live import (
    LiveState,
    TechnicianChanges,
    changes,
    live_from_plan,
    pin_routes,
    with_pinned,
)
from dromologio.models import Plan, Problem, Route, Ticket
from dromologio.models.writers import problem_to_dict

from . import convert, schemas
from .auth import Principal, masked, redact
from .errors import ApiError
from .lifecycle import PlanJobOut, TechnicianChangesPublic, changes_public
from .tables import (
    BaseRow,
    PlanRow,
    PlanVisitRow,
    PolicyRow,
    PortRow,
    SailingRow,
    SchoolRow,
    TechnicianRow,
    TicketRow,
)


def plan_directorates(session: Session, principal: Principal, wanted: list[str] | None) -> list[str]:
    """The Directorates a plan covers: those asked for, within the caller's; all of the caller's by default."""
    if principal.reads_all:
        known = set(session.scalars(select(SchoolRow.directorate).distinct()))
    else:
        known = set(principal.directorates)
    if wanted is None:
        return sorted(known)
    outside = [d for d in wanted if d not in known]
    if outside:
        raise ApiError(
            403 if not principal.reads_all else 422,
            f"Directorates not available to this key: {', '.join(outside)}",
            errors=[("body.directorates", f"'{d}' is not available") for d in outside],
        )
    return sorted(set(wanted))


def build_problem(
    session: Session,
    principal: Principal,
    body: schemas.PlanCreate,
    directorates: list[str],
) -> tuple[Problem, dict[str, str]]:
    """The problem of a plan request, and its ticket locks."""
    schools = list(session.scalars(select(SchoolRow).where(SchoolRow.directorate.in_(directorates))))
    school_ids = [s.school_id for s in schools]
    tickets = list(
        session.scalars(
            select(TicketRow)
            .where(TicketRow.school_id.in_(school_ids), TicketRow.status == "open")
            .order_by(TicketRow.ticket_id)
        )
    )
    if body.technician_ids is not None:
        technicians = list(
            session.scalars(
                select(TechnicianRow).where(
                    TechnicianRow.technician_id.in_(body.technician_ids), principal.technician_filter()
                )
            )
        )
        missing = sorted(set(body.technician_ids) - {t.technician_id for t in technicians})
        if missing:
            raise ApiError(
                404,
                f"no technician {', '.join(repr(m) for m in missing)}",
                errors=[("body.technician_ids", f"'{m}' is not known") for m in missing],
            )
    else:
        in_scope = select(BaseRow.base_id).where(BaseRow.directorate.in_(directorates))
        technicians = list(
            session.scalars(
                select(TechnicianRow)
                .where(TechnicianRow.base_id.in_(in_scope), principal.technician_filter())
                .order_by(TechnicianRow.technician_id)
            )
        )
    base_ids = sorted({t.base_id for t in technicians})
    bases = list(session.scalars(select(BaseRow).where(BaseRow.base_id.in_(base_ids))))
    policy = session.get(PolicyRow, 1)
    problem = convert.problem_from_rows(
        schools=schools,
        bases=bases,
        technicians=technicians,
        tickets=tickets,
        ports=session.scalars(select(PortRow).order_by(PortRow.port_id)),
        sailings=session.scalars(select(SailingRow).order_by(SailingRow.sailing_id)),
        policy=None if policy is None else policy.data,
        name=body.label or ", ".join(directorates),
    )
    locks = {t.ticket_id: t.locked_technician_id for t in tickets if t.locked_technician_id}
    return problem, locks


def new_plan_row(
    *,
    principal: Principal,
    problem: Problem,
    locks: dict[str, str],
    plan_date: date,
    days: int,
    time_limit_s: float,
    seed: int,
    directorates: list[str],
    scenario: bool,
    label: str,
    parent_plan_id: str | None,
    when: datetime,
    horizon: str = "tours",
) -> PlanRow:
    return PlanRow(
        plan_id=uuid.uuid4().hex,
        created_at=when,
        created_by=principal.name,
        status="queued",
        scenario=scenario,
        label=label,
        plan_date=plan_date.isoformat(),
        days=days,
        horizon=horizon,
        time_limit_s=time_limit_s,
        seed=seed,
        directorates=directorates,
        parent_plan_id=parent_plan_id,
        problem=problem_to_dict(problem),
        locks=locks,
        cancel_requested=False,
        attempts=0,
        solutions_found=0,
        tickets_to_visit=sum(1 for t in problem.tickets if t.needs_visit),
        message="",
        has_plan=False,
        releases=0,
        technician_ids=sorted({t.technician_id for t in problem.technicians} | set(locks.values())),
    )


#: Started visits are re-planned at this priority, so the solver keeps them.
PINNED_PRIORITY = "urgent"


def replan_problem(
    session: Session,
    parent: PlanRow,
    urgent: Ticket,
) -> tuple[Problem, dict[str, str], list[str]]:
    """Today's remaining work with the urgent ticket: (problem, locks, notes).

    - tickets done or not solved today are left out (they are history, or back in the queue);
    - a started visit stays with its technician (locked) and is raised to urgent so it is kept;
    - the rest of the day's tickets and the parent's locks are planned again.
    """
    from .snapshot import read_snapshot

    # Ticket rows the parent's job could not read were left out of it, and stay out.
    base = read_snapshot(parent.problem, source="plan").problem
    states = {
        v.ticket_id: v
        for v in session.scalars(select(PlanVisitRow).where(PlanVisitRow.plan_id == parent.plan_id))
    }
    closed = {t for t, v in states.items() if v.state in ("done", "not_solved")}
    withdrawn = set(
        session.scalars(
            select(TicketRow.ticket_id).where(
                TicketRow.ticket_id.in_([t.ticket_id for t in base.tickets]), TicketRow.status != "open"
            )
        )
    )
    locks = {t: owner for t, owner in (parent.locks or {}).items() if t not in closed}
    tickets: list[Ticket] = []
    notes: list[str] = []
    for ticket in base.tickets:
        if ticket.ticket_id in closed or ticket.ticket_id in withdrawn:
            continue
        visit = states.get(ticket.ticket_id)
        if visit is not None and visit.state == "started":
            locks[ticket.ticket_id] = visit.technician_id
            ticket = dataclasses.replace(
                ticket,
                priority=PINNED_PRIORITY,
                extra={**dict(ticket.extra), "pinned": f"started by {visit.technician_id}"},
            )
            notes.append(f"{ticket.ticket_id} started by {visit.technician_id}: kept with them")
        tickets.append(ticket)
    tickets.append(urgent)
    schools = list(base.schools)
    if urgent.school_id not in base.school_by_id:
        row = session.get(SchoolRow, urgent.school_id)
        if row is None:
            raise ApiError(
                404, f"no school '{urgent.school_id}'", errors=[("body.ticket.school_id", "not known")]
            )
        schools.append(convert.school_from_row(row))
    return base.replace(tickets=tuple(tickets), schools=tuple(schools)), locks, notes


def plan_job(row: PlanRow, *, hide_costs: bool = False, hidden: frozenset[str] = frozenset()) -> PlanJobOut:
    return PlanJobOut(
        plan_id=row.plan_id,
        status=row.status,  # type: ignore[arg-type]
        created_at=row.created_at,
        created_by=row.created_by,
        started_at=row.started_at,
        finished_at=row.finished_at,
        date=row.plan_date,
        days=row.days,
        horizon=row.horizon,  # type: ignore[arg-type]
        time_limit_s=row.time_limit_s,
        seed=row.seed,
        scenario=row.scenario,
        label=row.label,
        directorates=list(row.directorates or []),
        parent_plan_id=row.parent_plan_id,
        attempts=row.attempts,
        message=redact(row.message, hidden),
        progress=schemas.JobProgress(
            elapsed_s=row.elapsed_s,
            best_objective_eur=None if hide_costs else row.best_objective_eur,
            solutions_found=row.solutions_found,
            tickets_to_visit=row.tickets_to_visit,
            tickets_placed=row.tickets_placed,
        ),
        has_plan=row.has_plan,
        check_ok=row.check_ok,
        state=row.state or "draft",  # type: ignore[arg-type]
        version=row.version,
        version_of=row.version_of,
        published_at=row.published_at,
        published_by=row.published_by,
        closed_at=row.closed_at,
    )


#: what a job view reads of a plan row: its columns, never the problem or plan documents.
JOB_COLUMNS = (
    PlanRow.plan_id,
    PlanRow.status,
    PlanRow.created_at,
    PlanRow.created_by,
    PlanRow.started_at,
    PlanRow.finished_at,
    PlanRow.plan_date,
    PlanRow.days,
    PlanRow.horizon,
    PlanRow.time_limit_s,
    PlanRow.seed,
    PlanRow.scenario,
    PlanRow.label,
    PlanRow.directorates,
    PlanRow.parent_plan_id,
    PlanRow.attempts,
    PlanRow.message,
    PlanRow.elapsed_s,
    PlanRow.best_objective_eur,
    PlanRow.solutions_found,
    PlanRow.tickets_to_visit,
    PlanRow.tickets_placed,
    PlanRow.has_plan,
    PlanRow.check_ok,
    PlanRow.technician_ids,
    PlanRow.state,
    PlanRow.version,
    PlanRow.version_of,
    PlanRow.published_at,
    PlanRow.published_by,
    PlanRow.closed_at,
)


def job_query() -> Select[PlanRow]:
    """Plan rows with only what :func:`plan_job` reads loaded."""
    return select(PlanRow).options(load_only(*JOB_COLUMNS))


def plan_jobs(session: Session, principal: Principal, rows: Sequence[PlanRow]) -> list[PlanJobOut]:
    """The jobs as the caller may see them, from the rows' columns only.

    For a scoped caller, messages mask every technician it does not see: those of the
    database and those the plan names (``technician_ids``, even one since removed).
    Partners do not see costs.
    """
    visible = principal.visible_technicians(session)
    if visible is None:
        return [plan_job(row, hide_costs=principal.role == "partner") for row in rows]
    every = frozenset(session.scalars(select(TechnicianRow.technician_id)))
    return [
        plan_job(
            row,
            hide_costs=principal.role == "partner",
            hidden=(every | {str(t) for t in row.technician_ids or []}) - visible - {""},
        )
        for row in rows
    ]


def plan_technician_ids(row: PlanRow) -> frozenset[str]:
    """Every technician a plan may name: those of its problem snapshot, its locks and its routes."""
    problem = row.problem or {}
    ids = {str(t.get("technician_id") or "") for t in problem.get("technicians", []) if isinstance(t, dict)}
    ids |= {str(owner) for owner in (row.locks or {}).values()}
    ids |= {str(r.get("technician_id") or "") for r in (row.result or {}).get("routes", [])}
    return frozenset(ids - {""})


def plan_view(
    result: dict[str, Any],
    visible: frozenset[str] | None,
    hidden: Iterable[str] = (),
    tickets_seen: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The plan as a caller may see it: only the routes of technicians it sees, and their totals.

    Every technician it does not see (``hidden``, and those of the routes left out) is
    masked in the reasons, whether or not that technician has a route.  With
    ``tickets_seen`` (a partner's view of a plan spanning Directorates it does not see),
    the unassigned, remote and vendor lists keep only those tickets.
    """
    if visible is None:
        return result
    if tickets_seen is not None:
        result = {
            **result,
            "unassigned": [u for u in result.get("unassigned", []) if u.get("ticket_id") in tickets_seen],
            "remote": [t for t in result.get("remote", []) if t in tickets_seen],
            "vendor": [t for t in result.get("vendor", []) if t in tickets_seen],
        }
    all_routes = result.get("routes", [])
    routes = [r for r in all_routes if r.get("technician_id") in visible]
    masked_ids = masked([*hidden, *(str(r.get("technician_id", "")) for r in all_routes)], visible)
    unassigned = [
        {**u, "reason": redact(str(u.get("reason", "")), masked_ids)} for u in result.get("unassigned", [])
    ]
    if len(routes) == len(all_routes):
        return {**result, "unassigned": unassigned}
    kpis = {
        "tickets": result.get("kpis", {}).get("tickets"),
        "visited": sum(
            len(s.get("ticket_ids", [])) for r in routes for s in r["stops"] if s["type"] == "visit"
        ),
        "visits": sum(1 for r in routes for s in r["stops"] if s["type"] == "visit"),
        "technicians_used": len(
            {r["technician_id"] for r in routes if any(s["type"] == "visit" for s in r["stops"])}
        ),
        "distance_km": round(sum(float(r.get("distance_km", 0)) for r in routes), 1),
        "travel_minutes": sum(int(r.get("travel_minutes", 0)) for r in routes),
        "cost_eur": round(sum(float(r.get("cost_eur", 0)) for r in routes), 2),
        "routes_shown": "own technicians only",
    }
    return {**result, "routes": routes, "unassigned": unassigned, "kpis": kpis}


def partner_tickets(
    principal: Principal, row: PlanRow, visible: frozenset[str] | None
) -> frozenset[str] | None:
    """The tickets of a plan a partner may see when the plan spans Directorates it does not
    (those of its Directorates' schools and of its own routes); None for everyone else."""
    if principal.role != "partner" or principal.sees_directorates(row.directorates or []):
        return None
    problem = row.problem or {}
    schools = {
        str(s.get("school_id"))
        for s in problem.get("schools", [])
        if isinstance(s, dict) and s.get("directorate") in principal.directorates
    }
    seen = {str(t.get("ticket_id")) for t in problem.get("tickets", []) if t.get("school_id") in schools}
    for route in (row.result or {}).get("routes", []):
        if visible is not None and route.get("technician_id") in visible:
            seen |= {str(t) for s in route.get("stops", []) for t in s.get("ticket_ids", [])}
    return frozenset(seen)


def _redacted(value: Any, hidden: frozenset[str]) -> Any:
    if isinstance(value, str):
        return redact(value, hidden)
    if isinstance(value, dict):
        return {k: _redacted(v, hidden) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, hidden) for v in value]
    return value


def problem_view(
    document: dict[str, Any],
    visible: frozenset[str] | None,
    hidden: frozenset[str],
    bases: Iterable[str],
) -> dict[str, Any]:
    """A plan's problem snapshot as a caller may see it.

    Only the technicians it sees, their bases and the ``bases`` it sees; every other
    technician masked wherever free text names it (e.g. a re-planned visit's ``pinned``).
    """
    if visible is None:
        return document
    technicians = [t for t in document.get("technicians", []) if t.get("technician_id") in visible]
    kept = set(bases) | {str(t.get("base_id")) for t in technicians}
    shown = {
        **document,
        "technicians": technicians,
        "bases": [b for b in document.get("bases", []) if b.get("base_id") in kept],
    }
    return dict(_redacted(shown, hidden))


def violations_view(
    violations: list[dict[str, Any]], visible: frozenset[str] | None, hidden: frozenset[str]
) -> list[dict[str, Any]]:
    """The checker's findings about routes the caller sees (and the plan as a whole), masked."""
    if visible is None:
        return violations
    return [
        {**v, "message": redact(str(v.get("message", "")), hidden)}
        for v in violations
        if v.get("technician_id") is None or v.get("technician_id") in visible
    ]


# --- the live day: re-planning from now ---------------------------------------------------------


class UrgentReplanRequest(schemas.UrgentRequest):
    now: schemas.LocalDateTime | None = Field(
        default=None,
        description="when the day stands (local time): the re-plan keeps every visit done and started, "
        "continues each technician from where it is, and schedules nothing before it; the server's "
        "clock when absent",
        examples=["2026-11-23T09:40"],
    )
    pinned_technicians: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="technicians whose published route is kept as it is (less the visits done): they take "
        "nothing new, and the rest of the day is re-planned without them",
        examples=[["T04"]],
    )
    freeze_until: schemas.LocalDateTime | None = Field(
        default=None,
        description="every visit planned to start before this time stays as it was; the rest of the day is "
        "re-planned from then (local time; at least now)",
        examples=["2026-11-23T11:00"],
    )


class UrgentReplan(PlanJobOut):
    now: schemas.LocalDateTimeOut = Field(description="when the re-plan starts")
    changes: list[TechnicianChangesPublic] = Field(
        description="per technician, what changed against the published plan (only those with a change)"
    )


@dataclasses.dataclass(frozen=True)
class LiveDay:
    """A re-plan's inputs: the live state of the technicians re-planned, and the routes pinned as they were."""

    state: LiveState
    problem: Problem
    pinned: tuple[Route, ...] = ()
    previous: dict[str, str] = dataclasses.field(default_factory=dict)


def live_state(
    session: Session,
    parent: PlanRow,
    problem: Problem,
    now: datetime,
    *,
    freeze_until: datetime | None = None,
    pinned: Sequence[str] = (),
) -> LiveDay:
    """The day of ``parent`` at ``now``, from its visit rows: done (or not solved) and started visits.

    Pinned technicians keep their published routes (:func:`~dromologio.dispatch.live.pin_routes`);
    with ``freeze_until`` the visits planned before it stay as they were.
    """
    rows = list(session.scalars(select(PlanVisitRow).where(PlanVisitRow.plan_id == parent.plan_id)))
    done = {r.ticket_id for r in rows if r.state in ("done", "not_solved")}
    started = {r.ticket_id: r.updated_at for r in rows if r.state == "started"}
    published = Plan.from_dict(parent.result or {})
    previous = {t: r.technician_id for r in published.routes for t in r.ticket_ids}
    kept: tuple[Route, ...] = ()
    if pinned:
        try:
            problem, kept = pin_routes(problem, published, pinned, done)
        except ValueError as exc:
            raise ApiError(422, str(exc), errors=[("body.pinned_technicians", str(exc))]) from exc
        published = dataclasses.replace(
            published, routes=tuple(r for r in published.routes if r.technician_id not in set(pinned))
        )
    state = live_from_plan(problem, published, now, done=done, started=started, freeze_until=freeze_until)
    return LiveDay(state=state, problem=problem, pinned=kept, previous=previous)


def replan_now(
    session: Session, row: PlanRow, parent: PlanRow, problem: Problem, live: LiveDay
) -> list[TechnicianChanges]:
    """Solve the re-plan ``row`` within its time limit, store it like a finished job, and say what changed.

    ``problem`` is the whole day's (the checker's); the solver gets ``live.problem``, which
    leaves out the pinned technicians and their routes' tickets.
    """
    from dromologio.dispatch import SearchParams, solve
    from dromologio.models.checker import check_plan

    from .routes.closures import closures_for_plan
    from .solving import _record_visits, _violation

    started = datetime.now()
    closures = closures_for_plan(session, live.problem, date.fromisoformat(row.plan_date), row.days)
    result = solve(
        live.problem,
        date.fromisoformat(row.plan_date),
        days=row.days,
        horizon="tours" if row.horizon == "tours" else "rolling",
        time_limit_s=row.time_limit_s,
        seed=row.seed,
        params=SearchParams(num_workers=1),
        locks=dict(row.locks or {}),
        live=live.state,
        closures=closures,
    )
    plan = with_pinned(result.plan, live.pinned)
    report = check_plan(problem, plan)
    finished = datetime.now().replace(microsecond=0)
    row.status = "done"
    row.attempts = 1
    row.started_at = started.replace(microsecond=0)
    row.finished_at = finished
    row.elapsed_s = round((datetime.now() - started).total_seconds(), 3)
    row.result = plan.to_dict()
    row.has_plan = True
    row.check_ok = report.ok
    row.check_violations = [_violation(v) for v in report.violations]
    row.best_objective_eur = plan.kpis.get("objective_eur")
    row.solutions_found = max(1, len(result.solution.history))
    row.tickets_placed = len(plan.visited_ticket_ids)
    session.add(row)
    session.flush()
    _record_visits(session, row.plan_id, parent.plan_id, plan, finished)
    return changes(live.previous, plan, live.state.frozen())


def urgent_reply(job: PlanJobOut, now: datetime, moved: list[TechnicianChanges]) -> UrgentReplan:
    return UrgentReplan(**job.model_dump(), now=now, changes=changes_public(moved))
