"""API keys, roles and what each role may see and change.

A key is sent as ``X-API-Key: <key>`` or ``Authorization: Bearer <key>``; only
its SHA-256 is stored.  Roles:

- **admin**: everything, including keys;
- **planner**: reads everything, makes scenario plans (what-if), changes nothing else;
- **dispatcher**: reads and changes the schools, tickets, bases and technicians of its
  Directorates, imports problems within them, plans them and runs the day;
- **partner**: reads and changes its own technicians (``employer``) and their costs,
  reads the bases they start from (in its Directorates, and never a partner base that
  another employer's technicians start from), the schools and tickets of its
  Directorates and the plans of its Directorates restricted to its own technicians' routes.

Data out of a caller's scope answers 404, as if it did not exist; a write out of
scope answers 403.  Technicians a caller does not see are masked (``***``) in every
free text it reads: reasons, job messages, notes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session

from .errors import ApiError, forbidden
from .tables import ApiKeyRow, BaseRow, SchoolRow, TechnicianRow

RoleName = Literal["dispatcher", "partner", "planner", "admin"]
ROLES: tuple[RoleName, ...] = ("dispatcher", "partner", "planner", "admin")
KEY_PREFIX = "drm_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name, role and scope."""

    key_id: str
    name: str
    role: RoleName
    directorates: frozenset[str] = frozenset()
    employer: str | None = None

    @property
    def reads_all(self) -> bool:
        return self.role in ("admin", "planner")

    def sees_directorate(self, directorate: str) -> bool:
        return self.reads_all or directorate in self.directorates

    def sees_directorates(self, directorates: Iterable[str]) -> bool:
        return self.reads_all or set(directorates) <= self.directorates

    def require(self, *roles: RoleName) -> None:
        if self.role not in roles:
            raise forbidden(f"the {self.role} role may not do this; it needs {' or '.join(roles)}")

    # --- row filters (SQL) -------------------------------------------------------------

    def school_filter(self) -> ColumnElement[bool]:
        if self.reads_all:
            return true()
        return SchoolRow.directorate.in_(sorted(self.directorates))

    def base_filter(self) -> ColumnElement[bool]:
        if self.reads_all:
            return true()
        if self.role == "partner":
            # The bases its own technicians start from, within its Directorates; never a
            # partner base another employer's technicians start from (attaching a
            # technician to someone else's base does not reveal that base).
            employer = self.employer or ""
            own = select(TechnicianRow.base_id).where(TechnicianRow.employer == employer)
            others = select(TechnicianRow.base_id).where(TechnicianRow.employer != employer)
            return and_(
                BaseRow.base_id.in_(own),
                BaseRow.directorate.in_(sorted(self.directorates)),
                or_(BaseRow.kind != "partner", BaseRow.base_id.not_in(others)),
            )
        return BaseRow.directorate.in_(sorted(self.directorates))

    def technician_filter(self) -> ColumnElement[bool]:
        if self.reads_all:
            return true()
        if self.role == "partner":
            return TechnicianRow.employer == (self.employer or "")
        in_scope = select(BaseRow.base_id).where(BaseRow.directorate.in_(sorted(self.directorates)))
        return TechnicianRow.base_id.in_(in_scope)

    # --- checks on one row -------------------------------------------------------------

    def may_write_directorate(self, directorate: str) -> bool:
        return self.role == "admin" or (self.role == "dispatcher" and directorate in self.directorates)

    def may_write_technician(self, employer: str, base_directorate: str) -> bool:
        if self.role == "admin":
            return True
        if self.role == "partner":
            return employer == self.employer and base_directorate in self.directorates
        return self.role == "dispatcher" and base_directorate in self.directorates

    def visible_technicians(self, session: Session) -> frozenset[str] | None:
        """Ids of the technicians this caller sees; None = all."""
        if self.reads_all:
            return None
        ids = session.scalars(select(TechnicianRow.technician_id).where(self.technician_filter()))
        return frozenset(ids)

    def hidden_technicians(self, session: Session, named: Iterable[str] = ()) -> frozenset[str]:
        """Ids this caller does not see, to take out of free text (see :meth:`technician_scope`)."""
        return self.technician_scope(session, named)[1]

    def technician_scope(
        self, session: Session, named: Iterable[str] = ()
    ) -> tuple[frozenset[str] | None, frozenset[str]]:
        """(technicians this caller sees or None for all, the ids to mask for it).

        Masked: every technician of the database, and every id in ``named`` (e.g. all a
        plan's snapshot names, even one since removed), that the caller does not see.
        """
        visible = self.visible_technicians(session)
        if visible is None:
            return None, frozenset()
        every = frozenset(session.scalars(select(TechnicianRow.technician_id))) | frozenset(named)
        return visible, masked(every, visible)


def masked(ids: Iterable[str], visible: frozenset[str] | None) -> frozenset[str]:
    """Those of ``ids`` not in ``visible`` (None: the caller sees every technician)."""
    if visible is None:
        return frozenset()
    return frozenset(i for i in ids if i) - visible


HIDDEN = "***"


def redact(text: str, hidden: Iterable[str]) -> str:
    """``text`` with every id in ``hidden`` (as a whole word) replaced by ``***``."""
    for ident in sorted(hidden, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", HIDDEN, text)
    return text


def unauthorized(detail: str) -> ApiError:
    return ApiError(401, detail, headers={"WWW-Authenticate": 'Bearer realm="dromologio"'})


def principal_of(row: ApiKeyRow) -> Principal:
    return Principal(
        key_id=row.key_id,
        name=row.name,
        role=row.role,  # type: ignore[arg-type]
        directorates=frozenset(row.directorates or ()),
        employer=row.employer,
    )


def authenticate(session: Session, key: str | None) -> Principal:
    if not key:
        raise unauthorized("send an API key as the X-API-Key header or as Authorization: Bearer <key>")
    row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash(key)))
    if row is None or not row.active:
        raise unauthorized("the API key is not known or no longer active")
    return principal_of(row)


def add_key(
    session: Session,
    *,
    name: str,
    role: RoleName,
    directorates: Iterable[str] = (),
    employer: str | None = None,
    key: str | None = None,
    now: datetime,
) -> tuple[ApiKeyRow, str]:
    """Store a key (a new random one unless ``key`` is given); returns the row and the secret."""
    secret = key or new_key()
    hashed = key_hash(secret)
    existing = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hashed))
    if existing is not None:
        existing.active = True
        return existing, secret
    row = ApiKeyRow(
        key_id=secrets.token_hex(8),
        name=name,
        key_hash=hashed,
        role=role,
        directorates=sorted(set(directorates)),
        employer=employer,
        created_at=now,
        active=True,
    )
    session.add(row)
    return row, secret
