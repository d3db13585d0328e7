"""Request and response bodies.

Families follow ``Base`` (shared fields) / ``Create`` (with the id) / ``Update``
(every field optional) / ``Public`` (what is returned).  The resources' families are
built from their entity specs (:mod:`dromologio.api.specs`), where each field is written
once.  Field names are the contract's column names (``docs/problem-format.md``), with the
same units and text forms (``HH:MM`` times, ISO 8601 instants).  Requests reject unknown
fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from .entity import EntityAnswer, EntityBody, Request, Response
from .fieldtypes import (
    ATHENS,
    DATE_PATTERN,
    HHMM,
    ID_PATTERN,
    LOCAL_DATETIME_IN,
    LOCAL_DATETIME_OUT,
    MAX_YEAR,
    MIN_YEAR,
    SEED_MAX,
    BaseKind,
    Day,
    Horizon,
    JobStatus,
    LocalDateTime,
    LocalDateTimeOut,
    Priority,
    Role,
    Skill,
    Terrain,
    TicketStatus,
    VisitState,
)
from .specs import ABSENCE, BASE, CLOSURE, REGION, SCHOOL, TECHNICIAN, TICKET, AbsenceKind

__all__ = [
    "ATHENS",
    "DATE_PATTERN",
    "HHMM",
    "ID_PATTERN",
    "LOCAL_DATETIME_IN",
    "LOCAL_DATETIME_OUT",
    "MAX_YEAR",
    "MIN_YEAR",
    "SEED_MAX",
    "AbsenceKind",
    "BaseKind",
    "Day",
    "Horizon",
    "JobStatus",
    "LocalDateTime",
    "LocalDateTimeOut",
    "Priority",
    "Request",
    "Response",
    "Role",
    "Skill",
    "Terrain",
    "TicketStatus",
    "VisitState",
]

# --- the resources' families, from their entity specs ------------------------------------

REGION_MODELS = REGION.models()
SCHOOL_MODELS = SCHOOL.models()
BASE_MODELS = BASE.models()
TECHNICIAN_MODELS = TECHNICIAN.models()
TICKET_MODELS = TICKET.models()
ABSENCE_MODELS = ABSENCE.models()
CLOSURE_MODELS = CLOSURE.models()

if TYPE_CHECKING:
    # Built at run time; statically each is a body (or an answer) whose fields read as Any.
    RegionCreate = EntityBody
    RegionUpdate = EntityBody
    SchoolBase = EntityBody
    SchoolCreate = EntityBody
    SchoolUpdate = EntityBody
    BaseBase = EntityBody
    BaseCreate = EntityBody
    BaseUpdate = EntityBody
    TechnicianBase = EntityBody
    TechnicianCreate = EntityBody
    TechnicianUpdate = EntityBody
    TicketBase = EntityBody
    TicketCreate = EntityBody
    TicketUpdate = EntityBody
    AbsenceCreate = EntityBody
    AbsenceUpdate = EntityBody
    ClosureCreate = EntityBody
    ClosureUpdate = EntityBody
    RegionPublic = EntityAnswer
    SchoolPublic = EntityAnswer
    BasePublic = EntityAnswer
    TechnicianPublic = EntityAnswer
    TicketPublic = EntityAnswer
    AbsencePublic = EntityAnswer
    ClosurePublic = EntityAnswer
else:
    _, RegionCreate, RegionUpdate, RegionPublic = REGION_MODELS
    SchoolBase, SchoolCreate, SchoolUpdate, SchoolPublic = SCHOOL_MODELS
    BaseBase, BaseCreate, BaseUpdate, BasePublic = BASE_MODELS
    TechnicianBase, TechnicianCreate, TechnicianUpdate, TechnicianPublic = TECHNICIAN_MODELS
    TicketBase, TicketCreate, TicketUpdate, TicketPublic = TICKET_MODELS
    _, AbsenceCreate, AbsenceUpdate, AbsencePublic = ABSENCE_MODELS
    _, ClosureCreate, ClosureUpdate, ClosurePublic = CLOSURE_MODELS


class TicketEventPublic(Response):
    at: LocalDateTimeOut = Field(description="when it happened; local time, Europe/Athens, no offset")
    kind: str = Field(
        description="imported, created, updated, planned, started, done, not_solved, locked, unlocked"
    )
    plan_id: str | None = Field(description="the plan it happened in")
    technician_id: str | None = Field(description="the technician involved")
    note: str = Field(description="what the technician or dispatcher wrote")


class TicketWithHistory(TicketPublic):
    history: list[TicketEventPublic] = Field(description="events, oldest first")


class LockRequest(Request):
    technician_id: str = Field(
        min_length=1, max_length=64, description="the only technician who may serve it", examples=["T03"]
    )


class RecurringFault(Response):
    skill: str = Field(description="skill of the repeated fault", examples=["network"])
    category: str = Field(description="helpdesk category", examples=["Δίκτυο / network"])
    count: int = Field(description="tickets with this category at the school", examples=[3])
    last_opened_at: str = Field(description="the latest of them")


class SchoolHistory(Response):
    school: SchoolPublic = Field(description="the school")
    tickets: list[TicketWithHistory] = Field(description="every ticket of the school, newest first")
    recurring_faults: list[RecurringFault] = Field(description="categories reported more than once")
    lab_age_years: int | None = Field(description="age of the computer lab in years, when known")
    lab_note: str | None = Field(description="a note on the lab's age, in Greek")


# --- import ------------------------------------------------------------------------


class TableCounts(Response):
    created: int = Field(default=0, description="rows new to the database")
    updated: int = Field(default=0, description="rows that existed and changed")
    unchanged: int = Field(default=0, description="rows that existed as they are")


class ImportSummary(Response):
    name: str = Field(description="the problem's name")
    schools: TableCounts = Field(description="schools")
    bases: TableCounts = Field(description="bases")
    technicians: TableCounts = Field(description="technicians")
    tickets: TableCounts = Field(description="tickets")
    ports: TableCounts = Field(description="ports")
    sailings: int = Field(description="sailings of the timetable now in force")
    policy_replaced: bool = Field(description="the document carried a policy, which is now in force")
    regions_created: list[str] = Field(description="Directorates seen for the first time")


# --- plans (solve jobs) -------------------------------------------------------------


class PlanCreate(Request):
    date: Day | None = Field(
        default=None, description="first day to plan; tomorrow when absent", examples=["2026-11-23"]
    )
    days: int = Field(default=1, ge=1, le=10, description="working days to plan", examples=[1])
    horizon: Horizon = Field(
        default="tours",
        description="with several days: 'tours' chooses the day of each ticket and nights away over the whole "
        "horizon (a technician may stay several nights on the islands, home by the last day); 'rolling' plans "
        "each day alone, a night away only when the next day's sailings bring the technician home (faster)",
        examples=["tours"],
    )
    time_limit_s: float = Field(
        default=10.0, gt=0, description="solver time limit per day, seconds", examples=[10]
    )
    seed: int = Field(default=0, ge=0, le=SEED_MAX, description="random seed of the search", examples=[0])
    directorates: list[str] | None = Field(
        default=None, description="Directorates to plan; all the caller may plan when absent", examples=[None]
    )
    technician_ids: list[str] | None = Field(
        default=None,
        description="technicians to use; those based in the Directorates when absent",
        examples=[None],
    )
    scenario: bool = Field(
        default=False, description="a what-if plan: daily operations do not apply", examples=[False]
    )
    label: str = Field(default="", max_length=300, description="free label", examples=["Δευτέρα"])


class JobProgress(Response):
    elapsed_s: float | None = Field(description="seconds spent solving so far")
    best_objective_eur: float | None = Field(description="best objective found so far, EUR")
    solutions_found: int = Field(description="improving solutions found so far")
    tickets_to_visit: int | None = Field(description="tickets that need a visit")
    tickets_placed: int | None = Field(description="tickets placed in routes (known once a day is solved)")


class PlanJob(Response):
    plan_id: str = Field(description="the job's and the plan's id")
    status: JobStatus = Field(description="queued, running, done, failed or cancelled")
    created_at: LocalDateTimeOut = Field(
        description="when it was asked for; local time, Europe/Athens, no offset"
    )
    created_by: str = Field(description="name of the key that asked")
    started_at: LocalDateTimeOut | None = Field(
        description="when solving started; local time, Europe/Athens, no offset"
    )
    finished_at: LocalDateTimeOut | None = Field(
        description="when it ended; local time, Europe/Athens, no offset"
    )
    date: str = Field(description="first planned day")
    days: int = Field(description="working days")
    horizon: Horizon = Field(description="how the days look ahead: tours over the horizon, or rolling")
    time_limit_s: float = Field(description="time limit per day")
    seed: int = Field(description="seed")
    scenario: bool = Field(description="a what-if plan")
    label: str = Field(description="label")
    directorates: list[str] = Field(description="Directorates covered")
    parent_plan_id: str | None = Field(description="the plan this one re-plans")
    attempts: int = Field(description="times solving started (restarts re-run a job)")
    message: str = Field(description="why it failed, or what happened on the way")
    progress: JobProgress = Field(description="progress of the search")
    has_plan: bool = Field(description="a plan is ready at GET /plans/{plan_id}")
    check_ok: bool | None = Field(description="the independent checker found no violation")


class CheckOut(Response):
    ok: bool = Field(description="no violation")
    violations: list[dict[str, Any]] = Field(description="rule, message, technician_id, date, stop_index")


# --- daily operations ----------------------------------------------------------------


class VisitNote(Request):
    note: str = Field(
        default="", max_length=4000, description="what was done or found", examples=["Άλλαξε τροφοδοτικό"]
    )


class VisitPublic(Response):
    ticket_id: str = Field(description="ticket")
    technician_id: str = Field(description="technician")
    state: VisitState = Field(description="planned, started, done or not_solved")
    updated_at: LocalDateTimeOut | None = Field(
        description="last change; local time, Europe/Athens, no offset"
    )
    note: str = Field(description="note")


class UrgentInsert(Request):
    ticket: TicketCreate = Field(description="the urgent ticket (created; priority urgent unless given)")
    time_limit_s: float = Field(default=10.0, gt=0, description="solver time limit, seconds", examples=[5])
    seed: int = Field(default=0, ge=0, le=SEED_MAX, description="random seed", examples=[0])


# --- keys ----------------------------------------------------------------------------


class KeyCreate(Request):
    name: str = Field(min_length=1, max_length=300, description="who holds it", examples=["Κέντρο Ιωαννίνων"])
    role: Role = Field(description="dispatcher, partner, planner or admin", examples=["dispatcher"])
    directorates: list[str] = Field(
        default_factory=list,
        description="Directorates a dispatcher or partner works in",
        examples=[["Δ.Π.Ε. Ιωαννίνων"]],
    )
    employer: str | None = Field(
        default=None,
        max_length=300,
        description="a partner's employer name (technicians.employer)",
        examples=[None],
    )


class KeyPublic(Response):
    key_id: str = Field(description="id of the key (not the secret)")
    name: str = Field(description="who holds it")
    role: Role = Field(description="role")
    directorates: list[str] = Field(description="Directorates")
    employer: str | None = Field(description="partner's employer")
    created_at: LocalDateTimeOut = Field(description="when made; local time, Europe/Athens, no offset")
    active: bool = Field(description="accepted")


class KeyCreated(KeyPublic):
    api_key: str = Field(description="the secret: shown once, send it as X-API-Key or a Bearer token")


class Me(Response):
    name: str = Field(description="key holder")
    role: Role = Field(description="role")
    directorates: list[str] = Field(description="Directorates")
    employer: str | None = Field(description="partner's employer")


# --- errors ----------------------------------------------------------------------------


class FieldError(Response):
    field: str = Field(description="where: body.tickets.0.skill, query.limit ...")
    message: str = Field(description="what is wrong")


class IssueOut(Response):
    file: str = Field(description="file, sheet or table")
    row: int | None = Field(description="row (header = 1) or position in a JSON list")
    column: str | None = Field(description="column")
    value: str | None = Field(description="the value found")
    message: str = Field(description="what is wrong")
    fix: str = Field(description="how to fix it")


class ProblemDetails(Response):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(description="a URI naming the kind of problem", examples=["about:blank"])
    title: str = Field(description="short summary", examples=["Not Found"])
    status: int = Field(description="HTTP status", examples=[404])
    detail: str = Field(description="what happened here", examples=["no school 'S9999'"])
    instance: str | None = Field(default=None, description="the request path")
    errors: list[FieldError] | None = Field(default=None, description="one entry per wrong field")
    issues: list[IssueOut] | None = Field(default=None, description="one entry per input issue (imports)")


# --- the plan's day, the day's work and availability ----------------------------------


class PlanRequest(PlanCreate):
    date: Day | None = Field(
        default=None,
        description="first day to plan: a working day from today on; the next working day when absent",
        examples=["2026-11-23"],
    )
    force: bool = Field(
        default=False,
        description="plan a day that is past or not a working day (weekend, holiday, school break) anyway",
        examples=[False],
    )
    preventive: bool = Field(
        default=False,
        description="also plan the preventive visits due (the schools' maintenance_days and last_maintenance): "
        "each is visited or unassigned with its reason; publishing the plan moves the visited schools' "
        "last_maintenance",
        examples=[False],
    )


class UrgentTicket(TicketBase):
    ticket_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=ID_PATTERN,
        description="unique id; U-YYYYMMDD-NNN (today's date, the next number) when absent",
        examples=[None],
    )
    opened_at: LocalDateTime | None = Field(
        default=None, description="when it was opened (local time); now when absent", examples=[None]
    )
    priority: Priority = Field(default="urgent", description="urgent unless given", examples=["urgent"])
    helpdesk_ref: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=ID_PATTERN,
        description="the helpdesk's ticket number, kept as the extra column helpdesk_ref",
        examples=["HD-2026-0412"],
    )


class UrgentRequest(Request):
    ticket: UrgentTicket = Field(description="the urgent ticket, created inline (id generated when absent)")
    time_limit_s: float = Field(default=10.0, gt=0, description="solver time limit, seconds", examples=[5])
    seed: int = Field(default=0, ge=0, le=SEED_MAX, description="random seed", examples=[0])


class VisitReport(VisitNote):
    at: LocalDateTime | None = Field(
        default=None,
        description="when it happened (local time): not in the future, not before the plan's day; now when absent",
        examples=["2026-11-23T10:15"],
    )
    reported_by: str | None = Field(
        default=None,
        min_length=1,
        max_length=300,
        description="who reported it (e.g. the technician by phone); the key's name when absent",
        examples=["Ελένη Κίτσου (τηλ.)"],
    )
