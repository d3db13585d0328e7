"""Request and response bodies.

Families follow ``Base`` (shared fields) / ``Create`` (with the id) / ``Update``
(every field optional) / ``Public`` (what is returned).  Field names are the
contract's column names (``docs/problem-format.md``), with the same units and
text forms (``HH:MM`` times, ISO 8601 instants).  Requests reject unknown fields.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from dromologio.models.cells import FIRST_YEAR, GREECE_LAT, GREECE_LON, LAST_YEAR

Skill = Literal["windows", "linux", "ltsp", "network", "hardware", "printer", "egov"]
Priority = Literal["urgent", "high", "normal", "low"]
BaseKind = Literal["keplinet", "partner", "substation"]
Terrain = Literal["plain", "semi_mountainous", "mountainous"]
Role = Literal["dispatcher", "partner", "planner", "admin"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
TicketStatus = Literal["open", "done", "closed"]
VisitState = Literal["planned", "started", "done", "not_solved"]

#: a time of day from 00:00 to 24:00 (the end of the day).
HHMM = r"^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$"
ID_PATTERN = r"^\S(.*\S)?$"
#: the largest random seed (the solver's seeds are 32-bit; databases store 64-bit integers).
SEED_MAX = 2**31 - 1

# --- dates and local times ------------------------------------------------------------
#
# Instants are local times in Europe/Athens without an offset, as in the contract's
# files (``2026-11-20T09:30``).  The schema says so with a pattern instead of the
# ``date-time`` format, which (RFC 3339) would require an offset.  A request may still
# send an offset: the instant is then converted to Athens time.

ATHENS = ZoneInfo("Europe/Athens")
#: the years a date may fall in, as the readers of the contract's files accept them.
MIN_YEAR = FIRST_YEAR
MAX_YEAR = LAST_YEAR
_YEAR = "(20[0-9]{2}|2100)"  # MIN_YEAR..MAX_YEAR
_DAY = "(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]"
#: what a request may send: minutes, optional seconds (and fraction), optional offset.
LOCAL_DATETIME_IN = rf"^{_YEAR}-{_DAY}T{_CLOCK}(:[0-5][0-9](\.[0-9]{{1,6}})?)?(Z|[+-]{_CLOCK})?$"
#: what a response holds: seconds, never an offset.
LOCAL_DATETIME_OUT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
DATE_PATTERN = rf"^{_YEAR}-{_DAY}$"


def _in_years(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the year must be from {MIN_YEAR} to {MAX_YEAR}, not {year}")


def _local_instant(value: datetime) -> datetime:
    """A request's instant as naive Athens time, within the years the service plans."""
    _in_years(value.year)
    if value.tzinfo is not None:
        value = value.astimezone(ATHENS).replace(tzinfo=None)
        _in_years(value.year)
    return value


def _bounded_date(value: dt.date) -> dt.date:
    _in_years(value.year)
    return value


def _local_text(value: datetime) -> str:
    """A response's instant: naive Athens time to the second."""
    if value.tzinfo is not None:
        value = value.astimezone(ATHENS).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


#: a request's local instant (``2026-11-20T09:30``), years 2000 to 2100.
LocalDateTime = Annotated[
    datetime,
    AfterValidator(_local_instant),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_DATETIME_IN,
            "description": "local time, Europe/Athens, YYYY-MM-DDTHH:MM; an offset, if sent, is converted",
        }
    ),
]
#: a response's local instant (``2026-11-20T09:30:00``).
LocalDateTimeOut = Annotated[
    datetime,
    PlainSerializer(_local_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_DATETIME_OUT,
            "description": "local time, Europe/Athens, no offset",
        }
    ),
]
#: a calendar day (``2026-11-23``), years 2000 to 2100.
Day = Annotated[
    dt.date,
    AfterValidator(_bounded_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]


class Request(BaseModel):
    """A request body: unknown fields are an error (they are usually typos), and so are NaN and infinities."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


Extra: Any = Field(
    default_factory=dict,
    description="columns beyond the contract, kept as text and written back unchanged",
    examples=[{"helpdesk_ref": "HD-2026-0412"}],
)


# --- regions -----------------------------------------------------------------------


class RegionBase(Request):
    name: str = Field(
        min_length=1,
        max_length=300,
        description="the Directorate of Education exactly as schools.directorate names it",
        examples=["Δ.Π.Ε. Ιωαννίνων"],
    )
    area: str = Field(default="", max_length=300, description="wider area, for display", examples=["Ήπειρος"])


class RegionCreate(RegionBase):
    region_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="short id; made from the name when absent",
        examples=["dpe-ioanninon"],
    )


class RegionUpdate(Request):
    area: str | None = Field(default=None, max_length=300, description="wider area", examples=["Ήπειρος"])


class RegionPublic(Response):
    region_id: str = Field(description="short id", examples=["dpe-ioanninon"])
    name: str = Field(description="the Directorate of Education", examples=["Δ.Π.Ε. Ιωαννίνων"])
    area: str = Field(description="wider area", examples=["Ήπειρος"])


# --- schools -----------------------------------------------------------------------


class SchoolBase(Request):
    name: str = Field(
        min_length=1, max_length=300, description="display name", examples=["1ο Δημοτικό Σχολείο Ιωαννίνων"]
    )
    lat: float = Field(
        ge=GREECE_LAT[0], le=GREECE_LAT[1], description="WGS84 latitude in Greece, degrees", examples=[39.667]
    )
    lon: float = Field(
        ge=GREECE_LON[0],
        le=GREECE_LON[1],
        description="WGS84 longitude in Greece, degrees",
        examples=[20.853],
    )
    directorate: str = Field(
        min_length=1, max_length=300, description="Directorate of Education", examples=["Δ.Π.Ε. Ιωαννίνων"]
    )
    island: str = Field(
        default="", max_length=300, description="island name; empty = mainland", examples=[""]
    )
    opens: str = Field(
        default="08:15", pattern=HHMM, description="when work can start, HH:MM", examples=["08:15"]
    )
    closes: str = Field(
        default="14:00", pattern=HHMM, description="when work must end, HH:MM", examples=["14:00"]
    )
    needs_4x4: bool = Field(default=False, description="mountain access that needs a 4x4", examples=[False])
    terrain: Terrain = Field(default="plain", description="terrain class (road speed)", examples=["plain"])
    lab_installed: int | None = Field(
        default=None, ge=1980, le=2100, description="year the computer lab was installed", examples=[2014]
    )
    notes: str = Field(
        default="", max_length=4000, description="notes for technicians", examples=["Κλειδί στο γραφείο"]
    )
    extra: dict[str, str] = Extra


class SchoolCreate(SchoolBase):
    school_id: str = Field(
        min_length=1, max_length=64, pattern=ID_PATTERN, description="unique id", examples=["S0001"]
    )


class SchoolUpdate(Request):
    name: str | None = Field(default=None, min_length=1, max_length=300, description="display name")
    lat: float | None = Field(
        default=None, ge=GREECE_LAT[0], le=GREECE_LAT[1], description="WGS84 latitude in Greece"
    )
    lon: float | None = Field(
        default=None, ge=GREECE_LON[0], le=GREECE_LON[1], description="WGS84 longitude in Greece"
    )
    directorate: str | None = Field(default=None, min_length=1, max_length=300, description="Directorate")
    island: str | None = Field(default=None, max_length=300, description="island; empty = mainland")
    opens: str | None = Field(default=None, pattern=HHMM, description="HH:MM")
    closes: str | None = Field(default=None, pattern=HHMM, description="HH:MM")
    needs_4x4: bool | None = Field(default=None, description="needs a 4x4")
    terrain: Terrain | None = Field(default=None, description="terrain class")
    lab_installed: int | None = Field(default=None, ge=1980, le=2100, description="lab installation year")
    notes: str | None = Field(default=None, max_length=4000, description="notes for technicians")
    extra: dict[str, str] | None = Field(default=None, description="extra columns (replaces them all)")


class SchoolPublic(Response):
    school_id: str = Field(description="unique id", examples=["S0001"])
    name: str = Field(description="display name")
    lat: float = Field(description="WGS84 latitude in Greece")
    lon: float = Field(description="WGS84 longitude in Greece")
    directorate: str = Field(description="Directorate of Education")
    island: str = Field(description="island; empty = mainland")
    opens: str = Field(description="HH:MM")
    closes: str = Field(description="HH:MM")
    needs_4x4: bool = Field(description="needs a 4x4")
    terrain: str = Field(description="terrain class")
    lab_installed: int | None = Field(description="lab installation year")
    notes: str = Field(description="notes for technicians")
    extra: dict[str, str] = Field(description="extra columns")


# --- bases -------------------------------------------------------------------------


class BaseBase(Request):
    name: str = Field(
        min_length=1, max_length=300, description="display name", examples=["ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"]
    )
    lat: float = Field(
        ge=GREECE_LAT[0], le=GREECE_LAT[1], description="WGS84 latitude in Greece", examples=[39.664]
    )
    lon: float = Field(
        ge=GREECE_LON[0], le=GREECE_LON[1], description="WGS84 longitude in Greece", examples=[20.851]
    )
    island: str = Field(default="", max_length=300, description="island; empty = mainland", examples=[""])
    kind: BaseKind = Field(
        default="keplinet", description="keplinet, partner or substation", examples=["keplinet"]
    )
    directorate: str | None = Field(
        default=None,
        max_length=300,
        description="the Directorate the base serves (scoping); the nearest school's when absent",
        examples=["Δ.Π.Ε. Ιωαννίνων"],
    )
    extra: dict[str, str] = Extra


class BaseCreate(BaseBase):
    base_id: str = Field(
        min_length=1, max_length=64, pattern=ID_PATTERN, description="unique id", examples=["KPN-IOA"]
    )


class BaseUpdate(Request):
    name: str | None = Field(default=None, min_length=1, max_length=300, description="display name")
    lat: float | None = Field(
        default=None, ge=GREECE_LAT[0], le=GREECE_LAT[1], description="WGS84 latitude in Greece"
    )
    lon: float | None = Field(
        default=None, ge=GREECE_LON[0], le=GREECE_LON[1], description="WGS84 longitude in Greece"
    )
    island: str | None = Field(default=None, max_length=300, description="island")
    kind: BaseKind | None = Field(default=None, description="kind")
    directorate: str | None = Field(
        default=None, min_length=1, max_length=300, description="Directorate served"
    )
    extra: dict[str, str] | None = Field(default=None, description="extra columns (replaces them all)")


class BasePublic(Response):
    base_id: str = Field(description="unique id", examples=["KPN-IOA"])
    name: str = Field(description="display name")
    lat: float = Field(description="WGS84 latitude in Greece")
    lon: float = Field(description="WGS84 longitude in Greece")
    island: str = Field(description="island; empty = mainland")
    kind: str = Field(description="keplinet, partner or substation")
    directorate: str = Field(description="the Directorate the base serves")
    extra: dict[str, str] = Field(description="extra columns")


# --- technicians -------------------------------------------------------------------


class TechnicianBase(Request):
    name: str = Field(min_length=1, max_length=300, description="display name", examples=["Ελένη Κίτσου"])
    base_id: str = Field(min_length=1, max_length=64, description="home base", examples=["KPN-IOA"])
    skills: list[Skill] = Field(min_length=1, description="skills", examples=[["windows", "network"]])
    shift_start: str = Field(default="08:00", pattern=HHMM, description="HH:MM", examples=["08:00"])
    shift_end: str = Field(default="16:00", pattern=HHMM, description="HH:MM", examples=["16:00"])
    employer: str = Field(
        min_length=1,
        max_length=300,
        description="KE.PLI.NE.T. or partner body",
        examples=["ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"],
    )
    max_km_per_day: float | None = Field(
        default=None, gt=0, description="travel cap, km a day", examples=[250]
    )
    has_4x4: bool = Field(default=False, description="drives a 4x4", examples=[True])
    cost_per_km: float | None = Field(
        default=None, ge=0, description="EUR per km; policy's when null", examples=[0.15]
    )
    extra: dict[str, str] = Extra


class TechnicianCreate(TechnicianBase):
    technician_id: str = Field(
        min_length=1, max_length=64, pattern=ID_PATTERN, description="unique id", examples=["T01"]
    )


class TechnicianUpdate(Request):
    name: str | None = Field(default=None, min_length=1, max_length=300, description="display name")
    base_id: str | None = Field(default=None, min_length=1, max_length=64, description="home base")
    skills: list[Skill] | None = Field(default=None, min_length=1, description="skills")
    shift_start: str | None = Field(default=None, pattern=HHMM, description="HH:MM")
    shift_end: str | None = Field(default=None, pattern=HHMM, description="HH:MM")
    employer: str | None = Field(default=None, min_length=1, max_length=300, description="employer")
    max_km_per_day: float | None = Field(default=None, gt=0, description="travel cap, km a day")
    has_4x4: bool | None = Field(default=None, description="drives a 4x4")
    cost_per_km: float | None = Field(default=None, ge=0, description="EUR per km")
    extra: dict[str, str] | None = Field(default=None, description="extra columns (replaces them all)")


class TechnicianPublic(Response):
    technician_id: str = Field(description="unique id", examples=["T01"])
    name: str = Field(description="display name")
    base_id: str = Field(description="home base")
    skills: list[str] = Field(description="skills")
    shift_start: str = Field(description="HH:MM")
    shift_end: str = Field(description="HH:MM")
    employer: str = Field(description="employer")
    max_km_per_day: float | None = Field(description="travel cap, km a day")
    has_4x4: bool = Field(description="drives a 4x4")
    cost_per_km: float | None = Field(description="EUR per km; the policy's when null")
    extra: dict[str, str] = Field(description="extra columns")


# --- tickets -----------------------------------------------------------------------


class TicketBase(Request):
    school_id: str = Field(
        min_length=1, max_length=64, description="school that reported it", examples=["S0001"]
    )
    opened_at: LocalDateTime = Field(
        description="when it was opened (local time)", examples=["2026-11-20T09:30"]
    )
    category: str = Field(
        min_length=1, max_length=300, description="helpdesk category", examples=["Δίκτυο / network"]
    )
    skill: Skill = Field(description="the one skill required on site", examples=["network"])
    priority: Priority = Field(default="normal", description="urgent, high, normal or low", examples=["high"])
    service_minutes: int = Field(gt=0, le=1440, description="estimated minutes on site", examples=[60])
    remote: bool = Field(default=False, description="solved remotely: never routed", examples=[False])
    warranty: bool = Field(default=False, description="under warranty: goes to the vendor", examples=[False])
    due_by: LocalDateTime | None = Field(
        default=None, description="SLA instant", examples=["2026-11-24T14:00"]
    )
    extra: dict[str, str] = Extra


class TicketCreate(TicketBase):
    ticket_id: str = Field(
        min_length=1, max_length=64, pattern=ID_PATTERN, description="unique id", examples=["K0100"]
    )


class TicketUpdate(Request):
    school_id: str | None = Field(default=None, min_length=1, max_length=64, description="school")
    opened_at: LocalDateTime | None = Field(default=None, description="when it was opened")
    category: str | None = Field(default=None, min_length=1, max_length=300, description="category")
    skill: Skill | None = Field(default=None, description="skill required")
    priority: Priority | None = Field(default=None, description="priority")
    service_minutes: int | None = Field(default=None, gt=0, le=1440, description="minutes on site")
    remote: bool | None = Field(default=None, description="solved remotely")
    warranty: bool | None = Field(default=None, description="under warranty")
    due_by: LocalDateTime | None = Field(default=None, description="SLA instant")
    status: TicketStatus | None = Field(default=None, description="open, done or closed")
    extra: dict[str, str] | None = Field(default=None, description="extra columns (replaces them all)")


class TicketPublic(Response):
    ticket_id: str = Field(description="unique id", examples=["K0001"])
    school_id: str = Field(description="school")
    opened_at: str = Field(description="when it was opened, YYYY-MM-DDTHH:MM")
    category: str = Field(description="helpdesk category")
    skill: str = Field(description="skill required")
    priority: str = Field(description="priority")
    service_minutes: int = Field(description="minutes on site")
    remote: bool = Field(description="solved remotely")
    warranty: bool = Field(description="under warranty")
    due_by: str | None = Field(description="SLA instant, YYYY-MM-DDTHH:MM")
    extra: dict[str, str] = Field(description="extra columns")
    status: TicketStatus = Field(description="open (in the queue), done or closed")
    locked_technician_id: str | None = Field(description="the only technician who may serve it, if locked")


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


class UrgentTicket(TicketBase):
    ticket_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=ID_PATTERN,
        description="unique id; U-YYYYMMDD-NNN (today's date, the next number) when absent",
        examples=[None],
    )
    opened_at: LocalDateTime | None = Field(  # type: ignore[assignment]
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


AbsenceKind = Literal["leave", "sick", "training"]


class AbsenceCreate(Request):
    technician_id: str = Field(
        min_length=1, max_length=64, description="the technician away", examples=["T1"]
    )
    from_: Day = Field(alias="from", description="first day away", examples=["2026-11-23"])
    to: Day | None = Field(default=None, description="last day away (included); from when absent")
    kind: AbsenceKind = Field(default="leave", description="leave, sick or training", examples=["leave"])
    note: str = Field(default="", max_length=4000, description="note", examples=[""])


class AbsenceUpdate(Request):
    from_: Day | None = Field(default=None, alias="from", description="first day away")
    to: Day | None = Field(default=None, description="last day away (included)")
    kind: AbsenceKind | None = Field(default=None, description="leave, sick or training")
    note: str | None = Field(default=None, max_length=4000, description="note")


class AbsencePublic(Response):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    absence_id: str = Field(description="id")
    technician_id: str = Field(description="the technician away")
    from_: Day = Field(alias="from", description="first day away")
    to: Day = Field(description="last day away (included)")
    kind: AbsenceKind = Field(description="leave, sick or training")
    note: str = Field(description="note")
    created_by: str = Field(description="the key that recorded it")


class ClosureCreate(Request):
    school_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="the school that cannot be reached; absent for an area (terrain, island: admin only)",
        examples=["S1"],
    )
    from_date: Day = Field(description="first closed day", examples=["2026-12-03"])
    to_date: Day | None = Field(default=None, description="last closed day (included); from_date when absent")
    reason: str = Field(
        default="closed",
        min_length=1,
        max_length=300,
        description="printed in reasons as 'the road to <school> is <reason> on <day>'",
        examples=["closed by snow"],
    )
    open_to_4x4: bool = Field(default=False, description="4x4 vehicles still get through", examples=[False])
    terrain: Terrain | None = Field(
        default=None, description="an area: every road touching places of this class or rougher"
    )
    island: str | None = Field(
        default=None, max_length=300, description="an area: one island's roads ('' = the mainland)"
    )


class ClosureUpdate(Request):
    from_date: Day | None = Field(default=None, description="first closed day")
    to_date: Day | None = Field(default=None, description="last closed day (included)")
    reason: str | None = Field(default=None, min_length=1, max_length=300, description="reason")
    open_to_4x4: bool | None = Field(default=None, description="4x4 vehicles still get through")


class ClosurePublic(Response):
    closure_id: str = Field(description="id")
    school_id: str | None = Field(description="the school; null for an area")
    from_date: Day = Field(description="first closed day")
    to_date: Day = Field(description="last closed day (included)")
    reason: str = Field(description="reason")
    open_to_4x4: bool = Field(description="4x4 vehicles still get through")
    terrain: str | None = Field(description="an area's terrain class")
    island: str | None = Field(description="an area's island")
    created_by: str = Field(description="the key that recorded it")
