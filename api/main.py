"""The application: ``create_app(settings)`` and the ASGI ``app`` uvicorn can load with ``--factory``.

On start the database is migrated to the newest schema, the admin key from
``DROMOLOGIO_API_KEY`` is made sure of, the embedded sample is imported into an
empty database when asked, and solve jobs left over by a previous run are resumed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dromologio import ATTRIBUTION, __version__

from . import errors
from .auth import Principal, add_key
from .db import make_engine, make_sessionmaker, migrate, session_scope
from .importing import import_problem
from .jobs import JobRunner
from .routes import api_router
from .settings import Settings, get_settings
from .solving import now
from .tables import ApiKeyRow, SchoolRow

log = logging.getLogger("dromologio.api")

ADMIN_FROM_ENV = "admin (DROMOLOGIO_API_KEY)"
ADMIN_GENERATED = "admin (generated at start)"
DEMO_DISPATCHER = "demo dispatcher"

DESCRIPTION = f"""
Δρομολόγιο — the dispatch service for school IT field support.

Import a problem (`POST /import`), solve a day as a job (`POST /plans`, then poll
`/plans/{{plan_id}}/job`), read the plan (`GET /plans/{{plan_id}}`, the contract's plan
JSON) and its exports, and run the day (visits done / not solved, urgent tickets).

Send the API key as `X-API-Key: <key>` or `Authorization: Bearer <key>`.
Errors are problem details (RFC 9457, `application/problem+json`).

{ATTRIBUTION}
"""


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        from starlette.requests import Request

        response = errors.problem_response(
            413, f"the request body is larger than {self.limit} bytes", Request(scope)
        )
        await response(scope, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


@dataclass
class Bootstrap:
    """What the start made: keys to print (only those whose secret is new or came from the environment)."""

    admin_key: str | None = None
    admin_generated: bool = False
    demo_key: str | None = None
    sample_imported: bool = False
    notes: list[str] = field(default_factory=list)


def bootstrap(
    sessions: sessionmaker[Session], settings: Settings, *, generate_admin: bool, demo_key: bool
) -> Bootstrap:
    """Keys and sample data for a start.  Generated keys replace the ones generated at the previous start."""
    out = Bootstrap()
    with session_scope(sessions) as session:
        when = now()
        if settings.api_key is not None:
            add_key(
                session, name=ADMIN_FROM_ENV, role="admin", key=settings.api_key.get_secret_value(), now=when
            )
            out.admin_key = settings.api_key.get_secret_value()
        elif generate_admin:
            session.execute(update(ApiKeyRow).where(ApiKeyRow.name == ADMIN_GENERATED).values(active=False))
            _, out.admin_key = add_key(session, name=ADMIN_GENERATED, role="admin", now=when)
            out.admin_generated = True
        empty = not session.scalar(select(func.count()).select_from(SchoolRow))
        if settings.seed_sample and empty:
            from dromologio.models.readers import read_problem
            from dromologio.sample import sample_data_dir

            problem = read_problem(sample_data_dir())
            admin = Principal(key_id="bootstrap", name="bootstrap", role="admin")
            import_problem(session, problem, admin, has_policy=True, when=when)
            out.sample_imported = True
        if demo_key:
            directorates = sorted(set(session.scalars(select(SchoolRow.directorate).distinct())))
            if directorates:
                session.execute(
                    update(ApiKeyRow).where(ApiKeyRow.name == DEMO_DISPATCHER).values(active=False)
                )
                _, out.demo_key = add_key(
                    session, name=DEMO_DISPATCHER, role="dispatcher", directorates=directorates, now=when
                )
    return out


def _operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "api"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        migrate(engine)
        sessions = make_sessionmaker(engine)
        bootstrap(sessions, settings, generate_admin=False, demo_key=False)
        runner = JobRunner(
            settings.database_url,
            sessions,
            workers=settings.num_workers,
            max_attempts=settings.max_job_attempts,
        )
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = sessions
        app.state.runner = runner
        resumed = runner.start()
        if resumed:
            log.info("resumed %d queued plan job(s)", len(resumed))
        try:
            yield
        finally:
            runner.shutdown()
            engine.dispose()

    app = FastAPI(
        title="Dromologio dispatch service",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    errors.install(app)
    app.include_router(api_router)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    return app


def app_factory() -> FastAPI:
    """For ``uvicorn dromologio.api.main:app_factory --factory`` (settings from the environment)."""
    return create_app()


def openapi_schema() -> dict[str, Any]:
    return create_app(Settings()).openapi()
