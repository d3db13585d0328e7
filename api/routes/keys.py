"""API keys (admin only) and who am I."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import schemas
from ..auth import add_key
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..tables import ApiKeyRow, RegionRow, SchoolRow, TechnicianRow
from .common import now

router = APIRouter(tags=["keys"], responses=PROBLEM_RESPONSES)


def _public(row: ApiKeyRow) -> schemas.KeyPublic:
    return schemas.KeyPublic.model_validate(row)


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """`` — did you mean 'X' or 'Y'?`` for the known names closest to ``value``; empty when none is close."""
    close = difflib.get_close_matches(value, sorted(set(known)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def known_directorates(session: Session) -> set[str]:
    """The Directorates of the regions table and of the schools."""
    return set(session.scalars(select(RegionRow.name))) | set(
        session.scalars(select(SchoolRow.directorate).distinct())
    )


def known_employers(session: Session) -> set[str]:
    """The employers of the technicians."""
    return set(session.scalars(select(TechnicianRow.employer).distinct()))


def check_scope(session: Session, body: schemas.KeyCreate) -> None:
    """422 naming each Directorate or employer the database does not know, with the closest known ones."""
    wrong: list[tuple[str, str]] = []
    directorates = known_directorates(session)
    for index, name in enumerate(body.directorates):
        if name not in directorates:
            hint = did_you_mean(name, directorates) or (
                "; add it with POST /regions or import its schools first"
            )
            wrong.append((f"body.directorates.{index}", f"no Directorate '{name}' is known{hint}"))
    if body.role == "partner" and body.employer:
        employers = known_employers(session)
        if body.employer not in employers:
            hint = did_you_mean(body.employer, employers) or "; import its technicians first"
            wrong.append(("body.employer", f"no technician works for '{body.employer}'{hint}"))
    if wrong:
        detail = (
            wrong[0][1]
            if len(wrong) == 1
            else f"{len(wrong)} names are not known: " + "; ".join(message for _, message in wrong)
        )
        raise ApiError(422, detail, errors=wrong)


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
    check_scope(session, body)
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
