"""API keys (admin only) and who am I."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from .. import schemas
from ..auth import add_key
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..tables import ApiKeyRow
from .common import now

router = APIRouter(tags=["keys"], responses=PROBLEM_RESPONSES)


def _public(row: ApiKeyRow) -> schemas.KeyPublic:
    return schemas.KeyPublic.model_validate(row)


@router.get("/me", summary="The caller's role and scope")
def me(principal: CurrentPrincipal) -> schemas.Me:
    return schemas.Me(
        name=principal.name,
        role=principal.role,
        directorates=sorted(principal.directorates),
        employer=principal.employer,
    )


@router.post(
    "/keys", status_code=status.HTTP_201_CREATED, summary="Make an API key (the secret is shown once)"
)
def create_key(
    body: schemas.KeyCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.KeyCreated:
    principal.require("admin")
    if body.role == "partner" and not body.employer:
        raise ApiError(
            422, "a partner key needs the employer it speaks for", errors=[("body.employer", "required")]
        )
    if body.role in ("dispatcher", "partner") and not body.directorates:
        raise ApiError(
            422, f"a {body.role} key needs its Directorates", errors=[("body.directorates", "at least one")]
        )
    row, secret = add_key(
        session,
        name=body.name,
        role=body.role,
        directorates=body.directorates,
        employer=body.employer if body.role == "partner" else None,
        now=now(),
    )
    session.commit()
    return schemas.KeyCreated(**_public(row).model_dump(), api_key=secret)


@router.get("/keys", summary="Every API key (without secrets)")
def list_keys(session: SessionDep, principal: CurrentPrincipal) -> list[schemas.KeyPublic]:
    principal.require("admin")
    return [_public(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at))]


@router.delete("/keys/{key_id}", summary="Revoke a key")
def revoke_key(key_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.KeyPublic:
    principal.require("admin")
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        raise not_found("key", key_id)
    if row.key_id == principal.key_id:
        raise ApiError(409, "a key cannot revoke itself")
    row.active = False
    session.commit()
    return _public(row)
