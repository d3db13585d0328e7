"""Bases: where technicians start and end their day.

Each base serves one Directorate, given explicitly (``directorate``, one the
service knows: a region or a school's): its technicians are planned and scoped
with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from dromologio.models.cells import suggestion

from ..auth import Principal
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden
from ..schemas import BASE_MODELS
from ..specs import BASE
from ..tables import BaseRow, RegionRow, SchoolRow, TechnicianRow
from .resource import Resource, Route, Write, add_routes, count, fetch

router = APIRouter(prefix="/bases", tags=["bases"], responses=PROBLEM_RESPONSES)


def get_base(session: Session, principal: Principal, base_id: str) -> BaseRow:
    row: BaseRow = fetch(BASES, session, principal, base_id)
    return row


def known_directorates(session: Session) -> list[str]:
    """Directorates the service knows: its regions and its schools'."""
    regions = set(session.scalars(select(RegionRow.name)))
    return sorted(regions | set(session.scalars(select(SchoolRow.directorate).distinct())))


def _directorate(session: Session, given: str | None) -> str:
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


def _check_row(_: Session, principal: Principal, row: BaseRow) -> None:
    _check_write(principal, row.directorate)


def _served_directorate(write: Write) -> Mapping[str, Any]:
    """The Directorate the base serves: a change names a known one; a null or none keeps the row's."""
    if write.row is not None and (write.body.directorate is None or "directorate" not in write.changed):
        directorate = write.row.directorate
    else:
        directorate = _directorate(write.session, write.body.directorate)
    _check_write(write.principal, directorate)
    # The Directorate is a column of its own, never an extra.
    extra = {k: v for k, v in write.body.extra.items() if k != "directorate"}
    return {"directorate": directorate, "extra": extra}


def _technicians(session: Session, row: BaseRow) -> str | None:
    technicians = count(session, TechnicianRow.base_id, row.base_id)
    return f"{technicians} technician(s) start from base '{row.base_id}'" if technicians else None


BASES = Resource(
    spec=BASE,
    models=BASE_MODELS,
    row=BaseRow,
    what="base",
    writers=("admin", "dispatcher"),
    visible=lambda principal: principal.base_filter(),
    order_by=(BaseRow.base_id,),
    routes={
        "list": Route("list_bases", "Bases the caller sees"),
        "get": Route("get_base_route", "One base"),
        "create": Route("create_base", "Add a base"),
        "update": Route("update_base", "Change a base"),
        "delete": Route("delete_base", "Remove a base nobody starts from"),
    },
    check_row=_check_row,
    prepare=_served_directorate,
    in_use=_technicians,
)
add_routes(router, BASES)
