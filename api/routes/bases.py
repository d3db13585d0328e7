"""Bases: where technicians start and end their day.

Each base serves one Directorate, given explicitly (``directorate``, one the
service knows: a region or a school's): its technicians are planned and scoped
with it.
"""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import func, select

from dromologio.models.cells import suggestion

from .. import convert, schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..tables import BaseRow, RegionRow, SchoolRow, TechnicianRow
from .common import Limit, Offset, validated
from .schools import id_taken

router = APIRouter(prefix="/bases", tags=["bases"], responses=PROBLEM_RESPONSES)


def get_base(session: SessionDep, principal: Principal, base_id: str) -> BaseRow:
    row = session.scalar(select(BaseRow).where(BaseRow.base_id == base_id, principal.base_filter()))
    if row is None:
        raise not_found("base", base_id)
    return row


def known_directorates(session: SessionDep) -> list[str]:
    """Directorates the service knows: its regions and its schools'."""
    regions = set(session.scalars(select(RegionRow.name)))
    return sorted(regions | set(session.scalars(select(SchoolRow.directorate).distinct())))


def _directorate(session: SessionDep, given: str | None) -> str:
    """The Directorate a base serves: required, and one the service knows."""
    if given is None or not given.strip():
        raise ApiError(
            422,
            "a base needs the Directorate it serves: its technicians are planned and scoped with it",
            errors=[("body.directorate", "required: the name of a Directorate, e.g. 'Δ.Π.Ε. Ιωαννίνων'")],
        )
    directorate = given.strip()
    known = known_directorates(session)
    if directorate not in known:
        hint = suggestion(directorate, known)
        fix = f"write it as the service knows it{hint}" if hint else "add it first as a region (admin)"
        raise ApiError(
            422,
            f"'{directorate}' is not a Directorate the service knows",
            errors=[("body.directorate", f"not known: {fix}")],
        )
    return directorate


def _check_write(principal: Principal, directorate: str) -> None:
    if not principal.may_write_directorate(directorate):
        raise forbidden(f"this key may not change bases of '{directorate}'")


@router.get("", summary="Bases the caller sees")
def list_bases(
    session: SessionDep, principal: CurrentPrincipal, limit: Limit = 1000, offset: Offset = 0
) -> list[schemas.BasePublic]:
    query = (
        select(BaseRow).where(principal.base_filter()).order_by(BaseRow.base_id).limit(limit).offset(offset)
    )
    return [convert.base_public(r) for r in session.scalars(query)]


@router.get("/{base_id}", summary="One base")
def get_base_route(base_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.BasePublic:
    return convert.base_public(get_base(session, principal, base_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a base")
def create_base(
    body: schemas.BaseCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.BasePublic:
    principal.require("admin", "dispatcher")
    directorate = _directorate(session, body.directorate)
    _check_write(principal, directorate)
    if session.get(BaseRow, body.base_id) is not None:
        raise id_taken("base", "base_id", body.base_id, principal)
    base = validated(lambda: convert.base_from_create(body))
    row = BaseRow(base_id=base.base_id, **convert.base_values(base), directorate=directorate)
    session.add(row)
    session.commit()
    return convert.base_public(row)


@router.patch("/{base_id}", summary="Change a base")
def update_base(
    base_id: str, body: schemas.BaseUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.BasePublic:
    principal.require("admin", "dispatcher")
    row = get_base(session, principal, base_id)
    _check_write(principal, row.directorate)
    merged = convert.base_create_of(row).model_copy(update=body.model_dump(exclude_unset=True))
    merged = validated(lambda: schemas.BaseCreate.model_validate(merged.model_dump()))
    directorate = row.directorate if body.directorate is None else _directorate(session, body.directorate)
    _check_write(principal, directorate)
    base = validated(lambda: convert.base_from_create(merged))
    for name, value in convert.base_values(base).items():
        setattr(row, name, value)
    row.directorate = directorate
    session.commit()
    return convert.base_public(row)


@router.delete(
    "/{base_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a base nobody starts from"
)
def delete_base(base_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    principal.require("admin", "dispatcher")
    row = get_base(session, principal, base_id)
    _check_write(principal, row.directorate)
    count = session.scalar(
        select(func.count()).select_from(TechnicianRow).where(TechnicianRow.base_id == base_id)
    )
    if count:
        raise ApiError(409, f"{count} technician(s) start from base '{base_id}'")
    session.delete(row)
    session.commit()
