"""Budget lines per employer (partner body): the money a body has for its technicians' travel.

A line is a year's budget (``month`` empty) or one month's.  Who may do what:

- **admin**: reads and writes every line;
- **partner**: reads and writes the lines of its own employer only;
- **dispatcher**: reads (never writes) the lines of the employers whose technicians start
  from bases in its Directorates;
- **planner**: reads every line, writes none.

Lines out of a caller's reach answer 404 as if they did not exist; a write the role may not
make answers 403.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from pydantic import Field
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from .. import schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..tables import BudgetLineRow, TechnicianRow
from .common import Limit, Offset, now
from .keys import did_you_mean, known_employers

router = APIRouter(prefix="/budgets", tags=["budgets"], responses=PROBLEM_RESPONSES)

Employer = Field(
    min_length=1,
    max_length=300,
    description="the employer (partner body) of technicians.csv",
    examples=["Πανεπιστήμιο Αιγαίου"],
)
Year = Field(ge=2000, le=2100, description="the budget's year", examples=[2026])
Month = Field(default=None, ge=1, le=12, description="1-12 for one month's budget; empty for the whole year")
Amount = Field(ge=0, le=1e9, description="EUR", examples=[1500.0])
Note = Field(default="", max_length=4000, description="note (e.g. the decision that set it)", examples=[""])


class BudgetLineCreate(schemas.Request):
    employer: str = Employer
    year: int = Year
    month: int | None = Month
    amount_eur: float = Amount
    note: str = Note


class BudgetLineUpdate(schemas.Request):
    year: int | None = Field(default=None, ge=2000, le=2100, description="the budget's year")
    month: int | None = Field(default=None, ge=1, le=12, description="1-12; send whole_year to clear it")
    whole_year: bool = Field(default=False, description="make the line the whole year's (clears month)")
    amount_eur: float | None = Field(default=None, ge=0, le=1e9, description="EUR")
    note: str | None = Field(default=None, max_length=4000, description="note")


class BudgetLinePublic(schemas.Response):
    line_id: str = Field(description="id")
    employer: str = Field(description="the employer (partner body)")
    year: int = Field(description="year")
    month: int | None = Field(description="1-12, or null for the whole year")
    amount_eur: float = Field(description="EUR")
    note: str = Field(description="note")
    created_at: schemas.LocalDateTimeOut = Field(description="when it was recorded (local time)")
    created_by: str = Field(description="the key that recorded it")
    updated_at: schemas.LocalDateTimeOut = Field(description="when it was last changed (local time)")
    updated_by: str = Field(description="the key that last changed it")


def employer_filter(principal: Principal) -> ColumnElement[bool]:
    """The budget lines the caller may read (SQL), by the rules of the module."""
    if principal.reads_all:
        return true()
    if principal.role == "partner":
        return BudgetLineRow.employer == (principal.employer or "")
    return BudgetLineRow.employer.in_(
        select(TechnicianRow.employer).where(principal.technician_filter()).distinct()
    )


def readable_employer(session: Session, principal: Principal, employer: str) -> bool:
    """Whether the caller may read the budget and the actual costs of ``employer``."""
    if principal.reads_all:
        return True
    if principal.role == "partner":
        return employer == principal.employer
    found = session.scalar(
        select(TechnicianRow.technician_id)
        .where(principal.technician_filter(), TechnicianRow.employer == employer)
        .limit(1)
    )
    return found is not None


def _may_write(principal: Principal, employer: str) -> bool:
    return principal.role == "admin" or (principal.role == "partner" and employer == principal.employer)


def _get(session: Session, principal: Principal, line_id: str) -> BudgetLineRow:
    row = session.scalar(
        select(BudgetLineRow).where(BudgetLineRow.line_id == line_id, employer_filter(principal))
    )
    if row is None:
        raise not_found("budget line", line_id)
    return row


def _writable(session: Session, principal: Principal, line_id: str) -> BudgetLineRow:
    principal.require("admin", "partner")
    row = _get(session, principal, line_id)
    if not _may_write(principal, row.employer):
        raise forbidden("this key may not change the budget of this employer")
    return row


@router.get("", summary="Budget lines the caller may read, by employer, year and month")
def list_budget_lines(
    session: SessionDep,
    principal: CurrentPrincipal,
    employer: str | None = None,
    year: int | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[BudgetLinePublic]:
    query = select(BudgetLineRow).where(employer_filter(principal))
    if employer is not None:
        query = query.where(BudgetLineRow.employer == employer)
    if year is not None:
        query = query.where(BudgetLineRow.year == year)
    query = query.order_by(
        BudgetLineRow.employer, BudgetLineRow.year, BudgetLineRow.month, BudgetLineRow.line_id
    )
    return [BudgetLinePublic.model_validate(r) for r in session.scalars(query.limit(limit).offset(offset))]


@router.get("/{line_id}", summary="One budget line")
def get_budget_line(line_id: str, session: SessionDep, principal: CurrentPrincipal) -> BudgetLinePublic:
    return BudgetLinePublic.model_validate(_get(session, principal, line_id))


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Record a budget line (admin, or a partner for itself)"
)
def create_budget_line(
    body: BudgetLineCreate, session: SessionDep, principal: CurrentPrincipal
) -> BudgetLinePublic:
    principal.require("admin", "partner")
    if not _may_write(principal, body.employer):
        raise ApiError(
            403,
            "a partner key records budget lines of its own employer only",
            errors=[("body.employer", "not this key's employer")],
        )
    employers = known_employers(session)
    if body.employer not in employers:
        hint = did_you_mean(body.employer, employers) or "; import its technicians first"
        message = f"no technician works for '{body.employer}'{hint}"
        raise ApiError(422, message, errors=[("body.employer", message)])
    when = now()
    row = BudgetLineRow(
        line_id=uuid.uuid4().hex[:16],
        employer=body.employer,
        year=body.year,
        month=body.month,
        amount_eur=round(body.amount_eur, 2),
        note=body.note,
        created_at=when,
        created_by=principal.name,
        updated_at=when,
        updated_by=principal.name,
    )
    session.add(row)
    session.commit()
    return BudgetLinePublic.model_validate(row)


@router.patch("/{line_id}", summary="Change a budget line's period, amount or note")
def update_budget_line(
    line_id: str, body: BudgetLineUpdate, session: SessionDep, principal: CurrentPrincipal
) -> BudgetLinePublic:
    row = _writable(session, principal, line_id)
    if body.whole_year and body.month is not None:
        raise ApiError(422, "send month or whole_year, not both", errors=[("body.whole_year", "with month")])
    if body.year is not None:
        row.year = body.year
    if body.month is not None:
        row.month = body.month
    if body.whole_year:
        row.month = None
    if body.amount_eur is not None:
        row.amount_eur = round(body.amount_eur, 2)
    if body.note is not None:
        row.note = body.note
    row.updated_at = now()
    row.updated_by = principal.name
    session.commit()
    return BudgetLinePublic.model_validate(row)


@router.delete("/{line_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a budget line")
def delete_budget_line(line_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    row = _writable(session, principal, line_id)
    session.delete(row)
    session.commit()
