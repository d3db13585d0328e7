"""Liveness: no key needed."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from ..deps import SessionDep
from ..errors import PROBLEM_RESPONSES

#: what /health may answer besides 200: a client over the wrong-key limit, a failed or busy database.
router = APIRouter(
    tags=["health"], responses={status: PROBLEM_RESPONSES[status] for status in (429, 500, 503)}
)


@router.get("/health", summary="Is the service up and its database reachable")
def health(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
