"""The entity specs of the API's resources: each field of each entity, written once.

The request bodies and answers (:mod:`dromologio.api.schemas`), the row values and the
routers (:mod:`dromologio.api.routes.resource`) follow from these.  Field names are the
contract's column names (``docs/problem-format.md``), with the same units and text forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator

from dromologio.models import SKILLS, WEEKDAYS, Base, Port, Sailing, School, Technician, Ticket
from dromologio.models.cells import GREECE_LAT, GREECE_LON, CellError, parse_date
from dromologio.models.service_columns import (
    HOME_ZONE,
    LAST_MAINTENANCE,
    MAINTENANCE_DAYS,
    MAX_MAINTENANCE_DAYS,
    WORK_DAYS,
    ZONE,
    parse_maintenance_days,
    parse_work_days,
    parse_zone,
)

from .entity import Attr, EntitySpec
from .fieldtypes import (
    HHMM,
    ID_PATTERN,
    BaseKind,
    Day,
    LocalDateTime,
    Priority,
    Skill,
    Terrain,
    TicketStatus,
    hhmm,
    instant,
    minutes,
    naive,
)

AbsenceKind = Literal["leave", "sick", "training"]

_ID = {"min_length": 1, "max_length": 64, "pattern": ID_PATTERN}
_REF = {"min_length": 1, "max_length": 64}
_NAME = {"min_length": 1, "max_length": 300}
_TEXT = {"max_length": 300}
_NOTE = {"max_length": 4000}


def _text_map(value: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(value or {})


def _skill_order(skills: Iterable[str]) -> list[str]:
    given = set(skills)
    return [s for s in SKILLS if s in given]


def _weekday_order(days: Iterable[str]) -> list[str]:
    given = set(days)
    return [d for d in WEEKDAYS if d in given]


def _optional(convert: Any) -> Any:
    return lambda value: None if value is None else convert(value)


def key(name: str, example: str, **options: Any) -> Attr:
    """A resource's id, given by the client."""
    return Attr(
        name, str, "unique id", example=example, constraints=_ID, key=True, in_update=False, **options
    )


def made_key(name: str) -> Attr:
    """A resource's id, made by the service."""
    return Attr(name, str, "id", key=True, in_create=False, in_update=False)


def display_name(example: str, description: str = "display name") -> Attr:
    return Attr("name", str, description, example=example, constraints=_NAME)


def latitude(example: float) -> Attr:
    limits = {"ge": GREECE_LAT[0], "le": GREECE_LAT[1]}
    return Attr("lat", float, "WGS84 latitude in Greece, degrees", example=example, constraints=limits)


def longitude(example: float) -> Attr:
    limits = {"ge": GREECE_LON[0], "le": GREECE_LON[1]}
    return Attr("lon", float, "WGS84 longitude in Greece, degrees", example=example, constraints=limits)


ISLAND = Attr("island", str, "island name; empty = mainland", default="", example="", constraints=_TEXT)
EXTRA = Attr(
    "extra",
    dict[str, str],
    "columns beyond the contract, kept as text and written back unchanged (a change replaces them all)",
    default_factory=dict,
    example={"helpdesk_ref": "HD-2026-0412"},
    from_column=_text_map,
    to_domain=_text_map,
    from_domain=dict,
)
CREATED_BY = Attr(
    "created_by", str, "the key that recorded it", in_create=False, in_update=False, in_domain=False
)


def time_of_day(name: str, default: str, description: str) -> Attr:
    """An ``HH:MM`` field stored as minutes after midnight (``<name>_min``)."""
    return Attr(
        name,
        str,
        description,
        default=default,
        example=default,
        constraints={"pattern": HHMM},
        column=f"{name}_min",
        to_column=minutes,
        from_column=hhmm,
    )


def day_range(first: str, last: str, what: str, *, alias: str | None = None) -> tuple[Attr, Attr]:
    """The first and last day (included) of an absence or a closure; the last is the first when absent."""
    return (
        Attr(first, Day, f"first {what} day", example="2026-11-23", alias=alias, column="first_day"),
        Attr(
            last,
            Day | None,
            f"last {what} day (included); the first when absent",
            default=None,
            public_type=Day,
            column="last_day",
        ),
    )


# --- extension columns (zones, work days, preventive care): named fields kept in ``extra`` ---


def _weekdays_text(text: str) -> str:
    """``Τρι;Πέμ`` or ``thu;tue`` as ``Tue;Thu`` (422 naming the fix otherwise)."""
    try:
        return ";".join(_weekday_order(parse_work_days(text)))
    except CellError as error:
        raise ValueError(f"{error.message} — fix: {error.fix}") from None


WorkDays = Annotated[str, AfterValidator(_weekdays_text)]
ZoneName = Annotated[str, AfterValidator(parse_zone)]


def extension(
    name: str, type_: Any, description: str, example: Any, to_text: Callable[[Any], str], read: Callable[[str], Any],
    **constraints: Any,
) -> Attr:  # fmt: skip
    """An optional extension column of the files, a named field stored in the row's ``extra``."""
    return Attr(
        name,
        type_ | None,
        description,
        default=None,
        example=example,
        constraints=constraints,
        to_column=to_text,
        from_column=read,
        in_domain=False,
        in_extra=True,
    )


SCHOOL_EXTENSIONS = (
    extension(ZONE, ZoneName, "the zone (of a zone sub-station) the school belongs to; null: none",
              "Κόνιτσα", str, parse_zone, min_length=1, max_length=300),
    extension(MAINTENANCE_DAYS, int, "days between preventive visits; null: no preventive care",
              120, str, parse_maintenance_days, ge=1, le=MAX_MAINTENANCE_DAYS),
    extension(LAST_MAINTENANCE, Day, "the day of the last preventive visit; null: never (due at once)",
              "2026-09-15", dt.date.isoformat, parse_date),
)  # fmt: skip
TECHNICIAN_EXTENSIONS = (
    extension(WORK_DAYS, WorkDays, "the weekdays a part-time technician works, ';'-separated, English or "
              "Greek (Tue;Thu, Τρι;Πέμ), answered as Tue;Thu; null: every working day",
              "Tue;Thu", str, _weekdays_text, min_length=1, max_length=100),
    extension(HOME_ZONE, ZoneName, "the zone the technician serves first (a visit outside it costs "
              "outside_zone_eur); null: none", "Κόνιτσα", str, parse_zone, min_length=1, max_length=300),
)  # fmt: skip


REGION = EntitySpec(
    "Region",
    (
        Attr(
            "region_id",
            str | None,
            "short id; made from the name when absent",
            default=None,
            example="dpe-ioanninon",
            constraints={"max_length": 64, "pattern": r"^[a-z0-9][a-z0-9-]*$"},
            public_type=str,
            key=True,
            in_update=False,
        ),
        Attr(
            "name",
            str,
            "the Directorate of Education exactly as schools.directorate names it",
            example="Δ.Π.Ε. Ιωαννίνων",
            constraints=_NAME,
            in_update=False,
        ),
        Attr("area", str, "wider area, for display", default="", example="Ήπειρος", constraints=_TEXT),
    ),
)

SCHOOL = EntitySpec(
    "School",
    (
        key("school_id", "S0001"),
        display_name("1ο Δημοτικό Σχολείο Ιωαννίνων"),
        latitude(39.667),
        longitude(20.853),
        Attr("directorate", str, "Directorate of Education", example="Δ.Π.Ε. Ιωαννίνων", constraints=_NAME),
        ISLAND,
        time_of_day("opens", "08:15", "when work can start, HH:MM"),
        time_of_day("closes", "14:00", "when work must end, HH:MM"),
        Attr("needs_4x4", bool, "mountain access that needs a 4x4", default=False, example=False),
        Attr(
            "terrain",
            Terrain,
            "terrain class (road speed)",
            default="plain",
            example="plain",
            public_type=str,
        ),
        Attr(
            "lab_installed",
            int | None,
            "year the computer lab was installed",
            default=None,
            example=2014,
            constraints={"ge": 1980, "le": 2100},
            in_domain=False,
        ),
        Attr(
            "notes",
            str,
            "notes for technicians",
            default="",
            example="Κλειδί στο γραφείο",
            constraints=_NOTE,
            in_domain=False,
        ),
        *SCHOOL_EXTENSIONS,
        EXTRA,
    ),
    domain=School,
)

BASE = EntitySpec(
    "Base",
    (
        key("base_id", "KPN-IOA"),
        display_name("ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"),
        latitude(39.664),
        longitude(20.851),
        ISLAND,
        Attr(
            "kind",
            BaseKind,
            "keplinet, partner or substation",
            default="keplinet",
            example="keplinet",
            public_type=str,
        ),
        Attr(
            "directorate",
            str | None,
            "the Directorate the base serves (scoping): one the service knows, a region or a school's",
            default=None,
            example="Δ.Π.Ε. Ιωαννίνων",
            constraints=_TEXT,
            public_type=str,
            in_domain=False,
        ),
        EXTRA,
    ),
    domain=Base,
)

TECHNICIAN = EntitySpec(
    "Technician",
    (
        key("technician_id", "T01"),
        display_name("Ελένη Κίτσου"),
        Attr("base_id", str, "home base", example="KPN-IOA", constraints=_REF),
        Attr(
            "skills",
            list[Skill],
            "skills",
            example=["windows", "network"],
            constraints={"min_length": 1},
            public_type=list[str],
            to_column=_skill_order,
            from_column=list,
            to_domain=frozenset,
            from_domain=_skill_order,
        ),
        time_of_day("shift_start", "08:00", "start of the shift, HH:MM"),
        time_of_day("shift_end", "16:00", "end of the shift, HH:MM"),
        Attr(
            "employer",
            str,
            "KE.PLI.NE.T. or partner body",
            example="ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
            constraints=_NAME,
        ),
        Attr(
            "max_km_per_day",
            float | None,
            "travel cap, km a day",
            default=None,
            example=250,
            constraints={"gt": 0},
        ),
        Attr("has_4x4", bool, "drives a 4x4", default=False, example=True),
        Attr(
            "cost_per_km",
            float | None,
            "EUR per km; the policy's when null",
            default=None,
            example=0.15,
            constraints={"ge": 0},
        ),
        *TECHNICIAN_EXTENSIONS,
        EXTRA,
    ),
    domain=Technician,
)

TICKET = EntitySpec(
    "Ticket",
    (
        key("ticket_id", "K0100"),
        Attr("school_id", str, "school that reported it", example="S0001", constraints=_REF),
        Attr(
            "opened_at",
            LocalDateTime,
            "when it was opened (local time)",
            example="2026-11-20T09:30",
            public_type=str,
            to_column=naive,
            from_column=instant,
        ),
        Attr("category", str, "helpdesk category", example="Δίκτυο / network", constraints=_NAME),
        Attr("skill", Skill, "the one skill required on site", example="network", public_type=str),
        Attr(
            "priority",
            Priority,
            "urgent, high, normal or low",
            default="normal",
            example="high",
            public_type=str,
        ),
        Attr(
            "service_minutes",
            int,
            "estimated minutes on site",
            example=60,
            constraints={"gt": 0, "le": 1440},
        ),
        Attr("remote", bool, "solved remotely: never routed", default=False, example=False),
        Attr("warranty", bool, "under warranty: goes to the vendor", default=False, example=False),
        Attr(
            "due_by",
            LocalDateTime | None,
            "SLA instant (local time)",
            default=None,
            example="2026-11-24T14:00",
            public_type=str | None,
            to_column=_optional(naive),
            from_column=_optional(instant),
        ),
        EXTRA,
        Attr(
            "status",
            TicketStatus,
            "open (in the queue), done or closed",
            in_create=False,
            in_domain=False,
        ),
        Attr(
            "locked_technician_id",
            str | None,
            "the only technician who may serve it, if locked",
            in_create=False,
            in_update=False,
            in_domain=False,
        ),
    ),
    domain=Ticket,
)

_ABSENCE_DAYS = day_range("from_", "to", "away", alias="from")
ABSENCE = EntitySpec(
    "Absence",
    (
        made_key("absence_id"),
        Attr("technician_id", str, "the technician away", example="T1", constraints=_REF, in_update=False),
        *_ABSENCE_DAYS,
        Attr("kind", AbsenceKind, "leave, sick or training", default="leave", example="leave"),
        Attr("note", str, "note", default="", example="", constraints=_NOTE),
        CREATED_BY,
    ),
)

CLOSURE = EntitySpec(
    "Closure",
    (
        made_key("closure_id"),
        Attr(
            "school_id",
            str | None,
            "the school that cannot be reached; absent for an area (terrain, island: admin only)",
            default=None,
            example="S1",
            constraints=_REF,
            in_update=False,
        ),
        *day_range("from_date", "to_date", "closed"),
        Attr(
            "reason",
            str,
            "printed in reasons as 'the road to <school> is <reason> on <day>'",
            default="closed",
            example="closed by snow",
            constraints=_NAME,
        ),
        Attr("open_to_4x4", bool, "4x4 vehicles still get through", default=False, example=False),
        Attr(
            "terrain",
            Terrain | None,
            "an area: every road touching places of this class or rougher",
            default=None,
            public_type=str | None,
            in_update=False,
        ),
        Attr(
            "island",
            str | None,
            "an area: one island's roads ('' = the mainland)",
            default=None,
            constraints=_TEXT,
            in_update=False,
        ),
        CREATED_BY,
    ),
)

# --- the ferry network: imported with the problem, no resource of its own -------------

PORT = EntitySpec(
    "Port",
    (key("port_id", "PIR"), display_name("Πειραιάς"), latitude(37.942), longitude(23.646), ISLAND, EXTRA),
    domain=Port,
)

SAILING = EntitySpec(
    "Sailing",
    (
        Attr("from_port", str, "port of departure", constraints=_REF),
        Attr("to_port", str, "port of arrival", constraints=_REF),
        Attr("depart", str, "departure, HH:MM", column="depart_min", to_column=minutes, from_column=hhmm),
        Attr("duration_min", int, "crossing, minutes"),
        Attr("days", list[str], "weekdays it sails", to_domain=frozenset, from_domain=_weekday_order),
        Attr("fare_eur", float | None, "fare, EUR", default=None),
        EXTRA,
    ),
    domain=Sailing,
)
