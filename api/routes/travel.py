"""How long to get there: ``GET /travel?from=…&to=…``, a dispatcher's question, read-only for every role.

``from`` and ``to`` are ids of a school, base or port, or a point ``lat,lon``.
Schools and bases are those the caller sees (one outside its scope is
answered like an unknown id); ports and sailings are the stored ones.  The
answer is that of ``dromologio travel --json`` (:mod:`dromologio.geo.journey`):
for a car and a 4x4 vehicle, whether the trip can be made on ``date`` leaving
at ``at``, its km, minutes door to door and legs (road legs with the towns and
trunk roads they go by, sailings with their times and fares).  Road times are
the planner's: the stored policy, the schools' ``access_min``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from dromologio.geo.journey import EndpointError, endpoint, plan_trip, trips_to_dict
from dromologio.models import ProblemError

from .. import convert, schemas
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError
from ..tables import BaseRow, PolicyRow, PortRow, SailingRow, SchoolRow

router = APIRouter(prefix="/travel", tags=["travel"], responses=PROBLEM_RESPONSES)

#: a time of day ``HH:MM`` (00:00 to 23:59).
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class TravelEnd(BaseModel):
    kind: Literal["school", "base", "port", "point"]
    id: str | None = Field(description="the school, base or port id; null for a point")
    name: str
    lat: float
    lon: float
    island: str = Field(description="empty on the mainland; a point takes the island of its nearest place")


class TravelLeg(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    kind: Literal["road", "sailing"]
    from_: str = Field(alias="from")
    to: str
    depart: str = Field(description="HH:MM (+1 when the next day)")
    arrive: str = Field(description="HH:MM (+1 when the next day)")
    minutes: int
    km: float | None = Field(None, description="road legs: km")
    via: list[str] = Field(default_factory=list, description="road legs: towns on the way")
    roads: list[str] = Field(default_factory=list, description="road legs: motorways and main roads taken")
    fare_eur: float | None = Field(None, description="sailings: the fare, when the timetable gives one")


class TravelVehicle(BaseModel):
    vehicle: Literal["car", "4x4"]
    possible: bool
    reason: str | None = Field(description="why the trip cannot be made, when it cannot")
    km: float | None = Field(description="road km door to door")
    minutes: int | None = Field(description="minutes door to door, waiting for sailings included")
    sailings: int
    legs: list[TravelLeg]


class TravelAnswer(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: TravelEnd = Field(alias="from")
    to: TravelEnd
    date: schemas.Day
    leave: str = Field(description="HH:MM")
    vehicles: list[TravelVehicle]


_PLACE = "a school, base or port id, or a point 'lat,lon' in Greece"


@router.get("", summary="How long to get there, by car and by 4x4", response_model_by_alias=True)
def get_travel(
    session: SessionDep,
    principal: CurrentPrincipal,
    origin: Annotated[
        str, Query(alias="from", min_length=1, max_length=100, description=_PLACE, examples=["KPN-IOA"])
    ],
    destination: Annotated[
        str, Query(alias="to", min_length=1, max_length=100, description=_PLACE, examples=["S0051"])
    ],
    day: Annotated[
        schemas.Day | None, Query(alias="date", description="day of the trip (default: today)")
    ] = None,
    at: Annotated[str, Query(pattern=CLOCK, description="time of leaving, HH:MM")] = "08:00",
) -> TravelAnswer:
    schools = session.scalars(
        select(SchoolRow).where(principal.school_filter()).order_by(SchoolRow.school_id)
    )
    bases = session.scalars(select(BaseRow).where(principal.base_filter()).order_by(BaseRow.base_id))
    policy = session.get(PolicyRow, 1)
    try:
        problem = convert.problem_from_rows(
            schools=schools,
            bases=bases,
            technicians=(),
            tickets=(),
            ports=session.scalars(select(PortRow).order_by(PortRow.port_id)),
            sailings=session.scalars(select(SailingRow).order_by(SailingRow.sailing_id)),
            policy=None if policy is None else policy.data,
            name="travel",
        )
    except ProblemError as error:
        raise ApiError(409, f"the stored problem does not fit together: {'; '.join(error.issues)}") from error
    ends = []
    for name, text in (("from", origin), ("to", destination)):
        try:
            ends.append(endpoint(problem, text))
        except EndpointError as error:
            if error.unknown:
                raise ApiError(404, str(error), errors=[(f"query.{name}", "not found")]) from error
            raise ApiError(422, str(error), errors=[(f"query.{name}", str(error))]) from error
    hours, minutes = at.split(":")
    leave = int(hours) * 60 + int(minutes)
    when = day or date.today()
    trips = plan_trip(problem, ends[0], ends[1], when, leave_min=leave)
    return TravelAnswer.model_validate(trips_to_dict(ends[0], ends[1], when, leave, trips))
