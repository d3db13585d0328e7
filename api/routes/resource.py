"""Generic resource routes: list, get, create, patch and delete, from an entity spec and a few hooks.

A :class:`Resource` names its entity spec and models, its table row, the roles that write
it and the rows a caller sees (SQL); hooks say what differs between resources: may the
caller change this stored row, the checks of a write and the columns the service sets,
what keeps a row from being deleted.  :func:`add_routes` adds the routes to a router with
their URLs, status codes, summaries and operation ids.

Every write runs the same steps: the caller's role; the scoped row (404 out of scope);
the caller's right to change it (403); the whole body validated as a create body (a
PATCH is merged into the row first); the resource's checks; the id not taken (409); the
domain object built (its ValueError a 422 naming the field); the row written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ..auth import Principal, RoleName
from ..deps import CurrentPrincipal, SessionDep
from ..entity import EntityAnswer, EntityBody, EntityModels, EntitySpec
from ..errors import ApiError, not_found
from .common import Limit, Offset, validated


@dataclass(frozen=True)
class Filter:
    """A query parameter of the list: ``?name=value`` keeps the rows ``where(value)`` holds for."""

    name: str
    type: Any
    where: Callable[[Any], ColumnElement[bool]]


@dataclass(frozen=True)
class Route:
    """One route: its function name (the operation id), summary and description."""

    name: str
    summary: str
    description: str | None = None


@dataclass(frozen=True)
class Write:
    """What a write's hooks are told."""

    session: Session
    principal: Principal
    #: the create body; for a PATCH, the row with the change merged in.
    body: EntityBody
    #: the row changed; None for a new one.
    row: Any | None = None
    #: the fields a PATCH body set.
    changed: frozenset[str] = frozenset()


def _nothing(*_: Any) -> None:
    return None


def _no_columns(_: Write) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class Resource:
    """One API resource: its entity, its table, its scope and the hooks of its writes."""

    spec: EntitySpec
    models: EntityModels
    row: type[Any]
    #: the resource in messages: ``no school 'S9'``.
    what: str
    writers: tuple[RoleName, ...]
    #: the rows a caller sees (SQL).
    visible: Callable[[Principal], ColumnElement[bool]]
    order_by: tuple[Any, ...]
    routes: Mapping[str, Route]
    filters: tuple[Filter, ...] = ()
    paged: bool = True
    #: may the caller change this stored row (raises 403)?
    check_row: Callable[[Session, Principal, Any], None] = _nothing
    #: the checks of a write (raise 403 / 422 / 409); the columns the service sets.
    prepare: Callable[[Write], Mapping[str, Any]] = _no_columns
    #: after the body and the domain object are valid, before the row is written.
    on_write: Callable[[Write, Mapping[str, Any]], None] = _nothing
    #: why a row cannot be deleted (409), or None.
    in_use: Callable[[Session, Any], str | None] = _nothing
    #: a PATCH null replaces the value (the create body then judges it); False: null keeps it.
    nulls_replace: bool = True
    #: how the caller sees rows (made once a request); the spec's answer when None.
    answers: Callable[[Session, Principal], Callable[[Any], EntityAnswer]] | None = None

    def answerer(self, session: Session, principal: Principal) -> Callable[[Any], EntityAnswer]:
        if self.answers is not None:
            return self.answers(session, principal)
        return lambda row: self.spec.answer(row, self.models.public)

    @property
    def key_name(self) -> str:
        key = self.spec.key
        assert key is not None, f"{self.spec.title} has no id"
        return key.name

    @property
    def key_column(self) -> Any:
        key = self.spec.key
        assert key is not None, f"{self.spec.title} has no id"
        return getattr(self.row, key.col)


# --- the steps ---------------------------------------------------------------------------


def fetch(resource: Resource, session: Session, principal: Principal, ident: str) -> Any:
    """The row of ``ident`` if the caller sees it; 404 otherwise (out of scope reads as absent)."""
    query = select(resource.row).where(resource.key_column == ident, resource.visible(principal))
    row = session.scalar(query)
    if row is None:
        raise not_found(resource.what, ident)
    return row


def id_taken(what: str, column: str, ident: str, principal: Principal) -> ApiError:
    """409 for an id in use.

    Only an admin is told that a row holds it: any other key gets the same answer
    whether that row is its own or lies outside its scope.
    """
    if principal.role == "admin":
        return ApiError(409, f"{what} '{ident}' exists", errors=[(f"body.{column}", "taken")])
    return ApiError(
        409,
        f"{column} '{ident}' is not available: choose another id",
        errors=[(f"body.{column}", "not available")],
    )


def checked_values(spec: EntitySpec, body: EntityBody) -> dict[str, Any]:
    """A valid body's row columns, checked by the domain object where there is one (422 naming the field)."""
    values = spec.values(body)
    if spec.domain is not None:
        item = validated(lambda: spec.from_row(values))
        values.update(spec.domain_values(item))
    return values


def merged_body(resource: Resource, row: Any, change: EntityBody) -> EntityBody:
    """The row with a PATCH body's fields in, validated whole as a create body (422 naming the field)."""
    data = resource.spec.merged(row, change, replace_nulls=resource.nulls_replace)
    return validated(lambda: resource.models.create.model_validate(data))


def create(resource: Resource, session: Session, principal: Principal, body: EntityBody) -> Any:
    """A new row of a create body, added and committed."""
    principal.require(*resource.writers)
    write = Write(session, principal, body)
    given = resource.prepare(write)
    key = resource.spec.key
    if key is not None and key.in_create:
        ident = given.get(key.col, getattr(body, key.name))
        if session.get(resource.row, ident) is not None:
            raise id_taken(resource.what, key.name, ident, principal)
    values = {**checked_values(resource.spec, body), **given}
    resource.on_write(write, values)
    row = resource.row(**values)
    session.add(row)
    session.commit()
    return row


def update(resource: Resource, session: Session, principal: Principal, ident: str, change: EntityBody) -> Any:
    """A row changed by a PATCH body, committed."""
    principal.require(*resource.writers)
    row = fetch(resource, session, principal, ident)
    resource.check_row(session, principal, row)
    write = Write(
        session, principal, merged_body(resource, row, change), row, frozenset(change.model_fields_set)
    )
    given = resource.prepare(write)
    values = {**checked_values(resource.spec, write.body), **given}
    resource.on_write(write, values)
    key = resource.spec.key
    for name, value in values.items():
        if key is None or name != key.col:
            setattr(row, name, value)
    session.commit()
    return row


def delete(resource: Resource, session: Session, principal: Principal, ident: str) -> None:
    principal.require(*resource.writers)
    row = fetch(resource, session, principal, ident)
    resource.check_row(session, principal, row)
    reason = resource.in_use(session, row)
    if reason is not None:
        raise ApiError(409, reason)
    session.delete(row)
    session.commit()


def count(session: Session, column: Any, value: Any) -> int:
    """How many rows hold ``value`` in ``column`` (what keeps a row from being deleted)."""
    table = column.class_
    return session.scalar(select(func.count()).select_from(table).where(column == value)) or 0


# --- the routes --------------------------------------------------------------------------


def _parameters(*pairs: tuple[str, Any], **defaults: Any) -> Iterator[inspect.Parameter]:
    for name, annotation in pairs:
        default = defaults.get(name, inspect.Parameter.empty)
        yield inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def _endpoint(
    run: Callable[..., Any], route: Route, parameters: Iterator[inspect.Parameter], returns: Any
) -> Callable[..., Any]:
    """``run`` under the route's name, with the signature FastAPI reads its parameters from."""
    run.__name__ = run.__qualname__ = route.name
    run.__doc__ = route.description
    run.__signature__ = inspect.Signature(list(parameters), return_annotation=returns)  # type: ignore[attr-defined]
    return run


def list_query(resource: Resource, principal: Principal, given: Mapping[str, Any]) -> Select[Any]:
    query = select(resource.row).where(resource.visible(principal))
    for item in resource.filters:
        if given.get(item.name) is not None:
            query = query.where(item.where(given[item.name]))
    query = query.order_by(*resource.order_by)
    if resource.paged:
        query = query.limit(given["limit"]).offset(given["offset"])
    return query


def add_routes(router: APIRouter, resource: Resource) -> None:
    """The resource's routes on ``router``, in the order list, get, create, update, delete."""
    public, key = resource.models.public, resource.key_name
    common = (("session", SessionDep), ("principal", CurrentPrincipal))
    path = f"/{{{key}}}"

    def list_rows(session: Session, principal: Principal, **given: Any) -> list[EntityAnswer]:
        answer = resource.answerer(session, principal)
        return [answer(r) for r in session.scalars(list_query(resource, principal, given))]

    def get_row(session: Session, principal: Principal, **ident: str) -> EntityAnswer:
        row = fetch(resource, session, principal, ident[key])
        return resource.answerer(session, principal)(row)

    def create_row(session: Session, principal: Principal, body: EntityBody) -> EntityAnswer:
        row = create(resource, session, principal, body)
        return resource.answerer(session, principal)(row)

    def update_row(session: Session, principal: Principal, body: EntityBody, **ident: str) -> EntityAnswer:
        row = update(resource, session, principal, ident[key], body)
        return resource.answerer(session, principal)(row)

    def delete_row(session: Session, principal: Principal, **ident: str) -> None:
        delete(resource, session, principal, ident[key])

    filters = [(f.name, Annotated[f.type | None, Query()]) for f in resource.filters]
    paging = [("limit", Limit), ("offset", Offset)] if resource.paged else []
    routes = resource.routes
    if "list" in routes:
        parameters = _parameters(
            *common, *filters, *paging, **{f.name: None for f in resource.filters}, limit=1000, offset=0
        )
        endpoint = _endpoint(list_rows, routes["list"], parameters, list[public])  # type: ignore[valid-type]
        router.add_api_route("", endpoint, methods=["GET"], summary=routes["list"].summary)
    if "get" in routes:
        endpoint = _endpoint(get_row, routes["get"], _parameters((key, str), *common), public)
        router.add_api_route(path, endpoint, methods=["GET"], summary=routes["get"].summary)
    if "create" in routes:
        parameters = _parameters(("body", resource.models.create), *common)
        endpoint = _endpoint(create_row, routes["create"], parameters, public)
        router.add_api_route(
            "",
            endpoint,
            methods=["POST"],
            status_code=status.HTTP_201_CREATED,
            summary=routes["create"].summary,
        )
    if "update" in routes:
        parameters = _parameters((key, str), ("body", resource.models.update), *common)
        endpoint = _endpoint(update_row, routes["update"], parameters, public)
        router.add_api_route(path, endpoint, methods=["PATCH"], summary=routes["update"].summary)
    if "delete" in routes:
        endpoint = _endpoint(delete_row, routes["delete"], _parameters((key, str), *common), None)
        router.add_api_route(
            path,
            endpoint,
            methods=["DELETE"],
            status_code=status.HTTP_204_NO_CONTENT,
            summary=routes["delete"].summary,
        )
