"""Technicians: a partner sees and changes only its own (``employer``), costs included."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import func, select

from .. import convert, schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..tables import BaseRow, TechnicianRow, TicketRow
from .common import Limit, Offset, validated
from .schools import id_taken

router = APIRouter(prefix="/technicians", tags=["technicians"], responses=PROBLEM_RESPONSES)


def get_technician(session: SessionDep, principal: Principal, technician_id: str) -> TechnicianRow:
    row = session.scalar(
        select(TechnicianRow).where(
            TechnicianRow.technician_id == technician_id, principal.technician_filter()
        )
    )
    if row is None:
        raise not_found("technician", technician_id)
    return row


def _check_write(session: SessionDep, principal: Principal, employer: str, base_id: str) -> None:
    """The caller may keep a technician of ``employer`` at ``base_id``.

    A base outside the caller's Directorates, or (for a partner) another partner
    body's base, answers as an unknown one does (403): "not available", without
    telling whether it exists.
    """
    if principal.role == "partner" and employer != principal.employer:
        raise forbidden("a partner key changes only technicians of its own employer")
    base = session.get(BaseRow, base_id)
    if base is None and principal.role == "admin":
        raise ApiError(422, f"no base '{base_id}'", errors=[("body.base_id", "not known")])
    if (
        base is None
        or not principal.may_write_technician(employer, base.directorate)
        or _another_partners_base(session, principal, base)
    ):
        raise ApiError(
            403,
            f"base '{base_id}' is not available to this key: use a base of its Directorates",
            errors=[("body.base_id", "not available")],
        )


def _another_partners_base(session: SessionDep, principal: Principal, base: BaseRow) -> bool:
    """A partner base from which technicians of another employer start: not one a partner may use."""
    if principal.role != "partner" or base.kind != "partner":
        return False
    others = select(TechnicianRow.technician_id).where(
        TechnicianRow.base_id == base.base_id, TechnicianRow.employer != (principal.employer or "")
    )
    return session.scalar(others.limit(1)) is not None


@router.get("", summary="Technicians the caller sees")
def list_technicians(
    session: SessionDep,
    principal: CurrentPrincipal,
    employer: str | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[schemas.TechnicianPublic]:
    query = select(TechnicianRow).where(principal.technician_filter())
    if employer is not None:
        query = query.where(TechnicianRow.employer == employer)
    rows = session.scalars(query.order_by(TechnicianRow.technician_id).limit(limit).offset(offset))
    return [convert.technician_public(r) for r in rows]


@router.get("/{technician_id}", summary="One technician")
def get_technician_route(
    technician_id: str, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TechnicianPublic:
    return convert.technician_public(get_technician(session, principal, technician_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a technician")
def create_technician(
    body: schemas.TechnicianCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TechnicianPublic:
    principal.require("admin", "dispatcher", "partner")
    _check_write(session, principal, body.employer, body.base_id)
    if session.get(TechnicianRow, body.technician_id) is not None:
        raise id_taken("technician", "technician_id", body.technician_id, principal)
    technician = validated(lambda: convert.technician_from_create(body))
    row = TechnicianRow(technician_id=technician.technician_id, **convert.technician_values(technician))
    session.add(row)
    session.commit()
    return convert.technician_public(row)


@router.patch("/{technician_id}", summary="Change a technician (a partner: its own, costs included)")
def update_technician(
    technician_id: str, body: schemas.TechnicianUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TechnicianPublic:
    principal.require("admin", "dispatcher", "partner")
    row = get_technician(session, principal, technician_id)
    _check_write(session, principal, row.employer, row.base_id)
    merged = convert.technician_create_of(row).model_copy(update=body.model_dump(exclude_unset=True))
    merged = validated(lambda: schemas.TechnicianCreate.model_validate(merged.model_dump()))
    _check_write(session, principal, merged.employer, merged.base_id)
    technician = validated(lambda: convert.technician_from_create(merged))
    for name, value in convert.technician_values(technician).items():
        setattr(row, name, value)
    session.commit()
    return convert.technician_public(row)


@router.delete("/{technician_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a technician")
def delete_technician(technician_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    principal.require("admin", "dispatcher", "partner")
    row = get_technician(session, principal, technician_id)
    _check_write(session, principal, row.employer, row.base_id)
    locked = session.scalar(
        select(func.count()).select_from(TicketRow).where(TicketRow.locked_technician_id == technician_id)
    )
    if locked:
        raise ApiError(
            409, f"{locked} ticket(s) are locked to technician '{technician_id}'; unlock them first"
        )
    session.delete(row)
    session.commit()
