"""Levels of support and escalation: a ticket's level, its moves between levels, open hand-offs.

A move is a ticket history event (kind ``level``, shown by ``GET /tickets/{id}``)
with its time, reason and who; it sets the remote and warranty flags the plans
triage by, so only ``on_site`` tickets are routed
(:mod:`dromologio.planning.service.levels`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import select

from dromologio.planning.service.levels import (
    HANDOFF_LEVELS,
    LEVEL_EVENT,
    LEVEL_TITLES,
    RESOLVED_EVENT,
    Level,
    allowed_moves,
    flags_for_level,
    move_note,
    parse_move_note,
)

from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..schemas import LocalDateTime, LocalDateTimeOut, Request, Response
from ..tables import SchoolRow, TicketEventRow, TicketRow
from .common import Limit, Offset, now

router = APIRouter(tags=["escalation"], responses=PROBLEM_RESPONSES)

#: how far ahead of the server's clock a reported time may be (clocks differ a little).
CLOCK_GRACE = timedelta(minutes=1)


class LevelMoveRequest(Request):
    level: Level = Field(description="the level to move to", examples=["on_site"])
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="why (kept in the ticket's history)",
        examples=["η απομακρυσμένη σύνδεση απέτυχε / remote attempt failed"],
    )
    at: LocalDateTime | None = Field(
        default=None, description="when it happened (now by default)", examples=["2026-11-20T10:15"]
    )


class ResolveRequest(Request):
    outcome: Literal["solved", "withdrawn"] = Field(
        default="solved",
        description="solved at its level (remote, third level, vendor) or withdrawn",
        examples=["solved"],
    )
    reason: str = Field(
        min_length=1, max_length=2000, description="what was done", examples=["replaced under warranty"]
    )
    at: LocalDateTime | None = Field(
        default=None, description="when it happened (now by default)", examples=["2026-11-27T12:00"]
    )


class LevelMovePublic(Response):
    at: LocalDateTimeOut = Field(description="when it moved; local time, Europe/Athens")
    source: str = Field(description="the level it left", examples=["remote"])
    target: str = Field(description="the level it moved to", examples=["on_site"])
    reason: str = Field(description="why, and who moved it")


class TicketLevel(Response):
    ticket_id: str = Field(description="the ticket", examples=["K1"])
    level: str = Field(description="school, remote, on_site, third_level or vendor", examples=["on_site"])
    title: str = Field(description="the level in words, Greek first")
    status: str = Field(description="open, done or closed")
    routed: bool = Field(description="plans route it: open and on site")
    allowed: list[str] = Field(description="the levels it may move to now")
    handoff_since: LocalDateTimeOut | None = Field(
        description="an open hand-off to the third level or the vendor: since when"
    )
    moves: list[LevelMovePublic] = Field(description="its moves between levels, oldest first")


class Handoff(Response):
    ticket_id: str = Field(description="the ticket")
    school_id: str = Field(description="its school")
    directorate: str = Field(description="the school's Directorate")
    level: str = Field(description="third_level or vendor")
    since: LocalDateTimeOut | None = Field(description="when it was handed off (None: imported so)")
    days_open: int | None = Field(description="whole days since then")


def _ticket(session: SessionDep, principal: Principal, ticket_id: str) -> tuple[TicketRow, SchoolRow]:
    row = session.get(TicketRow, ticket_id)
    school = None if row is None else session.get(SchoolRow, row.school_id)
    if row is None or school is None or not principal.sees_directorate(school.directorate):
        raise not_found("ticket", ticket_id)
    return row, school


def _writable(session: SessionDep, principal: Principal, ticket_id: str) -> TicketRow:
    principal.require("admin", "dispatcher")
    row, school = _ticket(session, principal, ticket_id)
    if not principal.may_write_directorate(school.directorate):
        raise forbidden(f"this key may not change tickets of '{school.directorate}'")
    return row


def _moves(session: SessionDep, ticket_id: str) -> list[tuple[TicketEventRow, tuple[str, str, str]]]:
    events = session.scalars(
        select(TicketEventRow)
        .where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == LEVEL_EVENT)
        .order_by(TicketEventRow.at, TicketEventRow.event_id)
    )
    return [(e, parsed) for e in events if (parsed := parse_move_note(e.note)) is not None]


def _last_move_at(session: SessionDep, ticket_id: str) -> datetime | None:
    return session.scalar(
        select(TicketEventRow.at)
        .where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == LEVEL_EVENT)
        .order_by(TicketEventRow.at.desc())
        .limit(1)
    )


def _level_of(session: SessionDep, row: TicketRow) -> TicketLevel:
    moves = _moves(session, row.ticket_id)
    since = None
    if row.status == "open" and row.level in HANDOFF_LEVELS:
        since = next((e.at for e, (_, target, _) in reversed(moves) if target == row.level), None)
    return TicketLevel(
        ticket_id=row.ticket_id,
        level=row.level,
        title=LEVEL_TITLES.get(row.level, row.level),
        status=row.status,
        routed=row.status == "open" and row.level == "on_site",
        allowed=list(allowed_moves(row.level)) if row.status == "open" else [],
        handoff_since=since,
        moves=[LevelMovePublic(at=e.at, source=s, target=t, reason=r) for e, (s, t, r) in moves],
    )


def _when(at: datetime | None, row: TicketRow, session: SessionDep) -> datetime:
    """When a move happened: ``at`` as reported (now by default), not in the future, not before
    the ticket was opened nor before its last move."""
    when = now()
    if at is None:
        return when
    at = at.replace(microsecond=0)
    if at > when + CLOCK_GRACE:
        raise ApiError(
            422,
            f"at {at.isoformat()} is in the future (now {when.isoformat()})",
            errors=[("body.at", "in the future")],
        )
    if at < row.opened_at:
        raise ApiError(
            422,
            f"at {at.isoformat()} is before the ticket was opened ({row.opened_at.isoformat()})",
            errors=[("body.at", "before the ticket was opened")],
        )
    last = _last_move_at(session, row.ticket_id)
    if last is not None and at < last:
        raise ApiError(
            422,
            f"at {at.isoformat()} is before the ticket's last move ({last.isoformat()}): "
            "report moves in the order they happened",
            errors=[("body.at", "before the last move")],
        )
    return at


@router.get(
    "/tickets/{ticket_id}/level", summary="A ticket's level of support, its moves and the moves allowed"
)
def get_level(ticket_id: str, session: SessionDep, principal: CurrentPrincipal) -> TicketLevel:
    row, _ = _ticket(session, principal, ticket_id)
    return _level_of(session, row)


@router.post(
    "/tickets/{ticket_id}/level",
    summary="Move a ticket to another level (a failed remote attempt: to on_site); 409 names the moves allowed",
)
def move_level(
    ticket_id: str, body: LevelMoveRequest, session: SessionDep, principal: CurrentPrincipal
) -> TicketLevel:
    row = _writable(session, principal, ticket_id)
    if row.status != "open":
        raise ApiError(409, f"ticket '{ticket_id}' is {row.status}: only open tickets move between levels")
    allowed = allowed_moves(row.level)
    if body.level not in allowed:
        raise ApiError(
            409,
            f"ticket '{ticket_id}' is at level {row.level}: it may move to {', '.join(allowed)}, "
            f"not to {body.level}",
            errors=[("body.level", f"allowed from {row.level}: {', '.join(allowed)}")],
        )
    at = _when(body.at, row, session)
    source = row.level
    row.remote, row.warranty = flags_for_level(body.level)
    row.level = body.level
    row.updated_at = now()
    session.add(
        TicketEventRow(
            ticket_id=ticket_id,
            at=at,
            kind=LEVEL_EVENT,
            note=move_note(source, body.level, body.reason, principal.name),
        )
    )
    session.commit()
    return _level_of(session, row)


@router.post(
    "/tickets/{ticket_id}/resolve",
    summary="Close a ticket solved at its level without a visit (remote, third level, vendor), or withdrawn",
)
def resolve(
    ticket_id: str, body: ResolveRequest, session: SessionDep, principal: CurrentPrincipal
) -> TicketLevel:
    row = _writable(session, principal, ticket_id)
    if row.status != "open":
        raise ApiError(409, f"ticket '{ticket_id}' is already {row.status}")
    at = _when(body.at, row, session)
    row.status = "closed"
    row.updated_at = now()
    kind = RESOLVED_EVENT if body.outcome == "solved" else "closed"
    session.add(
        TicketEventRow(
            ticket_id=ticket_id, at=at, kind=kind, note=f"{row.level}: {body.reason} (by {principal.name})"
        )
    )
    session.commit()
    return _level_of(session, row)


@router.get("/handoffs", summary="Open tickets handed to the third level or the vendor, oldest first")
def list_handoffs(
    session: SessionDep, principal: CurrentPrincipal, limit: Limit = 1000, offset: Offset = 0
) -> list[Handoff]:
    rows = session.execute(
        select(TicketRow, SchoolRow.directorate)
        .join(SchoolRow, SchoolRow.school_id == TicketRow.school_id)
        .where(
            principal.school_filter(), TicketRow.status == "open", TicketRow.level.in_(sorted(HANDOFF_LEVELS))
        )
        .order_by(TicketRow.ticket_id)
    ).all()
    today = now()
    handoffs = []
    for row, directorate in rows:
        level = _level_of(session, row)
        since = level.handoff_since
        handoffs.append(
            Handoff(
                ticket_id=row.ticket_id,
                school_id=row.school_id,
                directorate=directorate,
                level=row.level,
                since=since,
                days_open=None if since is None else (today - since).days,
            )
        )
    handoffs.sort(key=lambda h: (h.since is None, h.since or today, h.ticket_id))
    return handoffs[offset : offset + limit]
