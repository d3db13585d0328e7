"""Technicians: a partner sees and changes only its own (``employer``), costs included."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import Principal
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden
from ..schemas import TECHNICIAN_MODELS
from ..specs import TECHNICIAN
from ..tables import BaseRow, TechnicianRow, TicketRow
from .resource import Filter, Resource, Route, Write, add_routes, count, fetch

router = APIRouter(prefix="/technicians", tags=["technicians"], responses=PROBLEM_RESPONSES)


def get_technician(session: Session, principal: Principal, technician_id: str) -> TechnicianRow:
    row: TechnicianRow = fetch(TECHNICIANS, session, principal, technician_id)
    return row


def _check_write(session: Session, principal: Principal, employer: str, base_id: str) -> None:
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


def _another_partners_base(session: Session, principal: Principal, base: BaseRow) -> bool:
    """A partner base from which technicians of another employer start: not one a partner may use."""
    if principal.role != "partner" or base.kind != "partner":
        return False
    others = select(TechnicianRow.technician_id).where(
        TechnicianRow.base_id == base.base_id, TechnicianRow.employer != (principal.employer or "")
    )
    return session.scalar(others.limit(1)) is not None


def _check_row(session: Session, principal: Principal, row: TechnicianRow) -> None:
    _check_write(session, principal, row.employer, row.base_id)


def _check_body(write: Write) -> Mapping[str, Any]:
    _check_write(write.session, write.principal, write.body.employer, write.body.base_id)
    return {}


def _locked_tickets(session: Session, row: TechnicianRow) -> str | None:
    locked = count(session, TicketRow.locked_technician_id, row.technician_id)
    if locked:
        return f"{locked} ticket(s) are locked to technician '{row.technician_id}'; unlock them first"
    return None


TECHNICIANS = Resource(
    spec=TECHNICIAN,
    models=TECHNICIAN_MODELS,
    row=TechnicianRow,
    what="technician",
    writers=("admin", "dispatcher", "partner"),
    visible=lambda principal: principal.technician_filter(),
    order_by=(TechnicianRow.technician_id,),
    filters=(Filter("employer", str, lambda value: TechnicianRow.employer == value),),
    routes={
        "list": Route("list_technicians", "Technicians the caller sees"),
        "get": Route("get_technician_route", "One technician"),
        "create": Route("create_technician", "Add a technician"),
        "update": Route("update_technician", "Change a technician (a partner: its own, costs included)"),
        "delete": Route("delete_technician", "Remove a technician"),
    },
    check_row=_check_row,
    prepare=_check_body,
    in_use=_locked_tickets,
)
add_routes(router, TECHNICIANS)
