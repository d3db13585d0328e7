"""Regions: the Directorates of Education that keys are scoped by."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import func, select

from .. import convert, schemas
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..tables import RegionRow, SchoolRow

router = APIRouter(prefix="/regions", tags=["regions"], responses=PROBLEM_RESPONSES)


def _get(session: SessionDep, principal: CurrentPrincipal, region_id: str) -> RegionRow:
    row = session.get(RegionRow, region_id)
    if row is None or not principal.sees_directorate(row.name):
        raise not_found("region", region_id)
    return row


@router.get("", summary="Regions the caller sees")
def list_regions(session: SessionDep, principal: CurrentPrincipal) -> list[schemas.RegionPublic]:
    rows = session.scalars(select(RegionRow).order_by(RegionRow.name))
    return [schemas.RegionPublic.model_validate(r) for r in rows if principal.sees_directorate(r.name)]


@router.get("/{region_id}", summary="One region")
def get_region(region_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.RegionPublic:
    return schemas.RegionPublic.model_validate(_get(session, principal, region_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a region (admin)")
def create_region(
    body: schemas.RegionCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.RegionPublic:
    principal.require("admin")
    region_id = body.region_id or convert.slug(body.name)
    if session.get(RegionRow, region_id) is not None:
        raise ApiError(409, f"region '{region_id}' exists", errors=[("body.region_id", "taken")])
    if session.scalar(select(RegionRow).where(RegionRow.name == body.name)) is not None:
        raise ApiError(409, f"a region named '{body.name}' exists", errors=[("body.name", "taken")])
    row = RegionRow(region_id=region_id, name=body.name, area=body.area)
    session.add(row)
    session.commit()
    return schemas.RegionPublic.model_validate(row)


@router.patch("/{region_id}", summary="Change a region's area (admin)")
def update_region(
    region_id: str, body: schemas.RegionUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.RegionPublic:
    principal.require("admin")
    row = _get(session, principal, region_id)
    if body.area is not None:
        row.area = body.area
    session.commit()
    return schemas.RegionPublic.model_validate(row)


@router.delete(
    "/{region_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a region without schools (admin)"
)
def delete_region(region_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    principal.require("admin")
    row = _get(session, principal, region_id)
    schools = session.scalar(
        select(func.count()).select_from(SchoolRow).where(SchoolRow.directorate == row.name)
    )
    if schools:
        raise ApiError(409, f"region '{region_id}' still has {schools} school(s)")
    session.delete(row)
    session.commit()
