"""Technicians' stable calendar feeds: one URL per technician that follows the published plans.

Calendar apps send no headers, so a feed is read with a token in its URL (``?token=``).
A dispatcher of the technician's Directorate, or an admin, issues and revokes tokens;
only their SHA-256 is stored, like API keys.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import Field
from sqlalchemy import Text, cast, select

from dromologio.models import Plan
from dromologio.models.calendar import today as calendar_today

from .. import schemas
from ..auth import Principal, key_hash
from ..calendar_feed import FeedDay, technician_feed
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..lifecycle import plan_dates
from ..snapshot import read_snapshot
from ..tables import BaseRow, FeedTokenRow, PlanRow, TechnicianRow
from .common import now
from .technicians import get_technician

router = APIRouter(tags=["feeds"], responses=PROBLEM_RESPONSES)

TOKEN_PREFIX = "feed_"
#: how far back a multi-day plan may start and still cover today.
LOOKBACK_DAYS = 14


class FeedTokenPublic(schemas.Response):
    token_id: str = Field(description="the token's id (to revoke it)")
    technician_id: str = Field(description="the technician whose feed it opens")
    created_at: schemas.LocalDateTimeOut = Field(description="when issued; local time, Europe/Athens")
    created_by: str = Field(description="name of the key that issued it")
    revoked_at: schemas.LocalDateTimeOut | None = Field(description="when revoked; local time, Europe/Athens")


class FeedTokenIssued(FeedTokenPublic):
    token: str = Field(description="the secret, shown this once")
    url: str = Field(description="the feed's path with the token: subscribe to it in a calendar app")


def _runnable_technician(session: SessionDep, principal: Principal, technician_id: str) -> TechnicianRow:
    """A technician whose feed tokens the caller manages: an admin's, or a dispatcher's of its Directorate."""
    row = get_technician(session, principal, technician_id)
    principal.require("admin", "dispatcher")
    base = session.get(BaseRow, row.base_id)
    if base is None or not principal.may_write_technician(row.employer, base.directorate):
        raise forbidden("this key may not manage the feeds of technicians outside its Directorates")
    return row


def _public(row: FeedTokenRow) -> FeedTokenPublic:
    return FeedTokenPublic(
        token_id=row.token_id,
        technician_id=row.technician_id,
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
    )


@router.post(
    "/technicians/{technician_id}/feed-tokens",
    status_code=status.HTTP_201_CREATED,
    summary="Issue a calendar feed token for the technician (the secret is shown once)",
)
def issue_feed_token(technician_id: str, session: SessionDep, principal: CurrentPrincipal) -> FeedTokenIssued:
    technician = _runnable_technician(session, principal, technician_id)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(24)
    row = FeedTokenRow(
        token_id=secrets.token_hex(8),
        technician_id=technician.technician_id,
        token_hash=key_hash(secret),
        created_at=now(),
        created_by=principal.name,
    )
    session.add(row)
    session.commit()
    return FeedTokenIssued(
        **_public(row).model_dump(),
        token=secret,
        url=f"/feeds/{technician.technician_id}.ics?token={secret}",
    )


@router.get("/technicians/{technician_id}/feed-tokens", summary="The technician's feed tokens (no secrets)")
def list_feed_tokens(
    technician_id: str, session: SessionDep, principal: CurrentPrincipal
) -> list[FeedTokenPublic]:
    _runnable_technician(session, principal, technician_id)
    rows = session.scalars(
        select(FeedTokenRow)
        .where(FeedTokenRow.technician_id == technician_id)
        .order_by(FeedTokenRow.created_at, FeedTokenRow.token_id)
    )
    return [_public(r) for r in rows]


@router.delete(
    "/technicians/{technician_id}/feed-tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a feed token: its URL answers 404 from now on",
)
def revoke_feed_token(
    technician_id: str, token_id: str, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    _runnable_technician(session, principal, technician_id)
    row = session.get(FeedTokenRow, token_id)
    if row is None or row.technician_id != technician_id:
        raise not_found("feed token", token_id)
    if row.revoked_at is None:
        row.revoked_at = now()
        session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def feed_days(session: SessionDep, technician_id: str, first_day: date) -> list[FeedDay]:
    """The technician's routes from ``first_day`` on, each from the plan in force that day."""
    named = cast(PlanRow.technician_ids, Text).contains(json.dumps(technician_id), autoescape=True)
    rows = session.scalars(
        select(PlanRow)
        .where(
            PlanRow.state.in_(("published", "closed")),
            PlanRow.plan_date >= (first_day - timedelta(days=LOOKBACK_DAYS)).isoformat(),
            named,
        )
        .order_by(PlanRow.published_at, PlanRow.plan_id)
    )
    chosen: dict[date, FeedDay] = {}
    for row in rows:
        if max(plan_dates(row)) < first_day.isoformat() or row.result is None:
            continue
        plan = Plan.from_dict(row.result)
        problem = read_snapshot(row.problem, source="plan").problem
        for route in plan.routes:
            if route.technician_id == technician_id and route.date >= first_day:
                # Later publications win (rows come oldest first).
                chosen[route.date] = FeedDay(route, problem, row.plan_id, int(row.version or 1))
    return [chosen[d] for d in sorted(chosen)]


@router.get(
    "/feeds/{technician_id}.ics",
    summary="The technician's calendar feed: its published routes today and after (token in the URL)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def technician_feed_ics(
    technician_id: str,
    session: SessionDep,
    token: Annotated[str, Query(min_length=1, max_length=200, description="the feed token")],
) -> Response:
    row = session.scalar(select(FeedTokenRow).where(FeedTokenRow.token_hash == key_hash(token)))
    if row is None or row.revoked_at is not None or row.technician_id != technician_id:
        # The same answer for a wrong, revoked or someone else's token: nothing to learn from it.
        raise ApiError(404, "no feed at this address: ask the dispatcher for a new link")
    technician = session.get(TechnicianRow, technician_id)
    body = technician_feed(
        technician_id,
        feed_days(session, technician_id, calendar_today()),
        name=technician.name if technician is not None else "",
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "no-cache",
            "Content-Disposition": f'inline; filename="{technician_id}.ics"',
        },
    )
