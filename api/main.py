"""The application: ``create_app(settings)`` and the ASGI ``app`` uvicorn can load with ``--factory``.

On start the database is migrated to the newest schema, the admin key from
``DROMOLOGIO_API_KEY`` is made sure of, the embedded sample is imported into an
empty database when asked, and solve jobs left over by a previous run are resumed.

Around the routes: security headers on every response, 413 for bodies over the
limit (declared or streamed), 429 after too many wrong keys from one address, and
the documentation pages (``/docs``, ``/redoc``) on assets served from ``/static/``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import math
import re
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dromologio import ATTRIBUTION, __version__

from . import errors
from .auth import Principal, add_key
from .db import make_engine, make_sessionmaker, migrate, session_scope
from .importing import import_problem
from .jobs import JobRunner
from .routes import api_router
from .routes.board import mount_board
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
    """Refuse request bodies over ``limit`` bytes with 413, by Content-Length or while reading.

    A streamed (chunked) body is counted as it is read: once over the limit, reading
    fails, and whatever the application then answers (frameworks turn a failed read
    into a 400) is replaced by the 413.
    """

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
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                if not started:
                    started = True
                    await self._refuse(scope, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        response = errors.problem_response(
            413, f"the request body is larger than {self.limit} bytes", Request(scope)
        )
        await response(scope, _empty_receive, send)


class AuthFailureLimit:
    """429 for a client address after ``limit`` wrong keys within ``window_s`` seconds.

    Counted per process, in memory: every 401 answered to a request that carried a key
    (``X-API-Key`` or ``Authorization``) is a failure.  While an address is over the
    limit, its requests that carry a key are answered 429 with ``Retry-After`` (the
    seconds until its oldest failure leaves the window), whether the key is right or not.
    """

    #: addresses remembered at most; the stalest are forgotten first.
    MAX_ADDRESSES = 10_000

    def __init__(self, app: ASGIApp, limit: int, window_s: float) -> None:
        self.app = app
        self.limit = limit
        self.window_s = window_s
        self.failures: dict[str, deque[float]] = {}

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self.failures.get(address, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def retry_after(self, address: str, now: float) -> int:
        """Seconds until ``address`` may try a key again; 0 when it may now."""
        times = self._recent(address, now)
        if not times:
            self.failures.pop(address, None)
        if len(times) < self.limit:
            return 0
        return max(1, math.ceil(times[-self.limit] + self.window_s - now))

    def record(self, address: str, now: float) -> None:
        times = self._recent(address, now)
        times.append(now)
        self.failures.pop(address, None)
        self.failures[address] = times  # newest last: the dict stays in staleness order
        while len(self.failures) > self.MAX_ADDRESSES:
            del self.failures[next(iter(self.failures))]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in scope.get("headers") or []}
        if b"x-api-key" not in names and b"authorization" not in names:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        wait = self.retry_after(address, time.monotonic())
        if wait:
            response = errors.problem_response(
                429,
                f"too many requests with a wrong API key from this address; retry in {wait} s",
                Request(scope),
                headers={"Retry-After": str(wait)},
            )
            await response(scope, receive, send)
            return

        async def watching_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self.record(address, time.monotonic())
            await send(message)

        await self.app(scope, receive, watching_send)


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers") or []}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*(message.get("headers") or []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


# --- documentation pages on vendored assets ------------------------------------------------

STATIC = Path(__file__).resolve().parent / "static"
STATIC_URL = "/static"
SWAGGER_JS = f"{STATIC_URL}/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = f"{STATIC_URL}/swagger-ui/swagger-ui.css"
FAVICON = f"{STATIC_URL}/swagger-ui/favicon-32x32.png"
REDOC_JS = f"{STATIC_URL}/redoc/redoc.standalone.js"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def swagger_page(title: str, openapi_url: str) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{title} — Swagger UI",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url=FAVICON,
        swagger_ui_parameters={"validatorUrl": None},
    )


def redoc_page(title: str, openapi_url: str) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=openapi_url,
        title=f"{title} — ReDoc",
        redoc_js_url=REDOC_JS,
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )


def script_hashes(page: HTMLResponse) -> list[str]:
    """CSP sources (``'sha256-…'``) of the inline scripts of ``page``."""
    body = bytes(page.body).decode("utf-8")
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"
        for script in _INLINE_SCRIPT.findall(body)
    ]


def content_security_policy(inline_scripts: list[str]) -> str:
    """Same-origin only.  Inline styles are allowed (the docs and route sheets use them),
    inline scripts only by hash, workers from blobs (ReDoc's search), no framing."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(["'self'", *inline_scripts]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(inline_scripts: list[str]) -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": content_security_policy(inline_scripts),
    }


class Service(FastAPI):
    """The application; its whole middleware stack, error pages included, gets the security headers."""

    security_headers: dict[str, str] = {}  # noqa: RUF012  (set per instance in create_app)

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), self.security_headers)


@dataclass
class Bootstrap:
    """What the start made: keys to print (only those whose secret is new or came from the environment)."""

    admin_key: str | None = None
    admin_generated: bool = False
    demo_key: str | None = None
    sample_imported: bool = False
    #: active keys stored before this start (their secrets cannot be shown again).
    keys_before: int = 0
    notes: list[str] = field(default_factory=list)


def bootstrap(
    sessions: sessionmaker[Session], settings: Settings, *, generate_admin: bool, demo_key: bool
) -> Bootstrap:
    """Keys and sample data for a start.

    Keys are made once: an admin key is generated (``generate_admin``) only while the
    database has no active admin key, and the demo dispatcher key (``demo_key``) only
    if there never was one.  A later start makes none and reports how many exist.
    """
    out = Bootstrap()
    with session_scope(sessions) as session:
        when = now()
        out.keys_before = (
            session.scalar(select(func.count()).select_from(ApiKeyRow).where(ApiKeyRow.active.is_(True))) or 0
        )
        if settings.api_key is not None:
            add_key(
                session, name=ADMIN_FROM_ENV, role="admin", key=settings.api_key.get_secret_value(), now=when
            )
            out.admin_key = settings.api_key.get_secret_value()
        elif generate_admin and not _has_active_admin(session):
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
        if demo_key and not session.scalar(select(ApiKeyRow.key_id).where(ApiKeyRow.name == DEMO_DISPATCHER)):
            directorates = sorted(set(session.scalars(select(SchoolRow.directorate).distinct())))
            if directorates:
                _, out.demo_key = add_key(
                    session, name=DEMO_DISPATCHER, role="dispatcher", directorates=directorates, now=when
                )
    return out


def _has_active_admin(session: Session) -> bool:
    found = session.scalar(
        select(ApiKeyRow.key_id).where(ApiKeyRow.role == "admin", ApiKeyRow.active.is_(True)).limit(1)
    )
    return found is not None


def _operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "api"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service on ``settings`` (from the environment when None)."""
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
            scheduler=settings.scheduler,
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

    app = Service(
        title="Dromologio dispatch service",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    errors.install(app)
    app.include_router(api_router)
    _add_docs(app)
    mount_board(app, app.security_headers["Content-Security-Policy"])
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(
        AuthFailureLimit, limit=settings.auth_failure_limit, window_s=settings.auth_failure_window_s
    )
    return app


def _add_docs(app: Service) -> None:
    """``/docs`` and ``/redoc`` on the assets under ``/static/``; the CSP names the page's inline script."""
    openapi_url = app.openapi_url or "/openapi.json"
    pages = (swagger_page(app.title, openapi_url), redoc_page(app.title, openapi_url))
    app.security_headers = security_headers([h for page in pages for h in script_hashes(page)])
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return swagger_page(app.title, openapi_url)

    @app.get("/redoc", include_in_schema=False)
    def redoc_ui() -> HTMLResponse:
        return redoc_page(app.title, openapi_url)


def app_factory() -> FastAPI:
    """For ``uvicorn dromologio.api.main:app_factory --factory`` (settings from the environment)."""
    return create_app()


def openapi_schema() -> dict[str, Any]:
    return create_app(Settings()).openapi()
