"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error a client sees has ``type``, ``title``, ``status`` and ``detail``;
validation errors add ``errors`` (one per wrong field) and import errors add
``issues`` (one per :class:`~dromologio.models.errors.InputIssue`, with file,
row and column).  A catch-all handler answers 500 without any trace of the
code: the exception is logged on the server only.

Database races are the client's to retry: a unique or foreign key violation (two
requests creating the same id at once) answers 409, a locked or busy database 503
with ``Retry-After``; the request's session is rolled back either way.  Messages never show
the server's paths: file names lose their folders, temporary folders become
"the upload".
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Sequence
from http import HTTPStatus
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dromologio.models import ProblemError
from dromologio.models.errors import InputError

from . import schemas
from .convert import issue_out

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("dromologio.api")

#: seconds a client is asked to wait before retrying on a busy database.
RETRY_AFTER_BUSY_S = 2
#: SQLSTATEs of PostgreSQL that a retry cures: serialization failure, deadlock,
#: lock not available, cannot connect now.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P03"})
_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")


class ApiError(Exception):
    """An error with an HTTP status, a sentence for the client and, optionally, the wrong fields."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[tuple[str, str]] = (),
        kind: str = "about:blank",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.kind = kind
        self.headers = headers


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"no {what} '{ident}'")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, detail)


def problem_response(
    status: int,
    detail: str,
    request: Request | None,
    *,
    errors: list[schemas.FieldError] | None = None,
    issues: list[schemas.IssueOut] | None = None,
    kind: str = "about:blank",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = schemas.ProblemDetails(
        type=kind,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=None if request is None else request.url.path,
        errors=errors,
        issues=issues,
    )
    return JSONResponse(
        jsonable_encoder(body.model_dump(exclude_none=True)),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field(location: Sequence[Any]) -> str:
    return ".".join(str(part) for part in location)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    errors = [schemas.FieldError(field=f, message=m) for f, m in exc.errors] or None
    return problem_response(
        exc.status, exc.detail, request, errors=errors, kind=exc.kind, headers=exc.headers
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(exc.status_code, detail, request, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        schemas.FieldError(field=_field(e.get("loc", ())), message=str(e.get("msg", "")))
        for e in exc.errors()
    ]
    count = len(errors)
    detail = (
        f"{count} field{'' if count == 1 else 's'} of the request {'is' if count == 1 else 'are'} not valid"
    )
    return problem_response(422, detail, request, errors=errors)


async def _input_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    issues = [_issue_without_paths(issue_out(i)) for i in exc.issues]
    count = len(issues)
    return problem_response(
        422,
        f"{count} problem{'' if count == 1 else 's'} in the input",
        request,
        issues=issues,
        kind="/problems/input-error",
    )


async def _problem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    errors = [schemas.FieldError(field="problem", message=strip_paths(m)) for m in exc.issues]
    return problem_response(422, "the parts of the problem do not fit together", request, errors=errors)


# --- database races ------------------------------------------------------------------


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    """409.  The request's session was rolled back as the error left its dependency."""
    assert isinstance(exc, IntegrityError)
    log.info("integrity conflict on %s %s: %s", request.method, request.url.path, exc.orig)
    return problem_response(
        409,
        "the data changed meanwhile: the id already exists, or a row it refers to was changed "
        "or removed by another request; reload and retry",
        request,
        kind="/problems/conflict",
    )


def is_busy(exc: OperationalError) -> bool:
    """A locked or busy database, a deadlock or a serialization failure: worth a retry."""
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    text = str(orig).lower()
    return any(message in text for message in _BUSY_MESSAGES)


async def _operational_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OperationalError)
    if not is_busy(exc):
        return await _unexpected(request, exc)
    log.warning("database busy on %s %s: %s", request.method, request.url.path, exc.orig)
    return problem_response(
        503,
        "the database is busy with other requests; retry in a moment",
        request,
        kind="/problems/database-busy",
        headers={"Retry-After": str(RETRY_AFTER_BUSY_S)},
    )


# --- no server paths in messages ---------------------------------------------------------

_PART = r"[^\s'\"()\[\],;/\\]+"
#: an absolute path of two parts or more (``/tmp/x``), not inside a word or a URL.
_POSIX_PATH = re.compile(rf"(?<![\w.:/-])(?:/{_PART}){{2,}}/?")
_WINDOWS_PATH = re.compile(rf"(?<!\w)[A-Za-z]:(?:\\{_PART})+\\?")
_FOLDER_OF_UPLOAD = re.compile(r"\b(?:the )?(?:folder|directory) the upload\b")


def _temp_folders() -> set[str]:
    return {tempfile.gettempdir().rstrip("/"), "/tmp", "/var/tmp"}


def _shorten(path: PurePath) -> str:
    if str(path.parent) in _temp_folders():
        return "the upload"
    return path.name


def _replace(match: re.Match[str], flavour: type[PurePath]) -> str:
    text = match.group(0)
    path = text.rstrip(".:")
    return _shorten(flavour(path)) + text[len(path) :]


def strip_paths(text: str) -> str:
    """``text`` with every absolute path replaced by its last part (a temporary folder: "the upload")."""
    text = _POSIX_PATH.sub(lambda m: _replace(m, PurePosixPath), text)
    text = _WINDOWS_PATH.sub(lambda m: _replace(m, PureWindowsPath), text)
    return _FOLDER_OF_UPLOAD.sub("the upload", text)


def _issue_without_paths(issue: schemas.IssueOut) -> schemas.IssueOut:
    return issue.model_copy(
        update={
            "file": strip_paths(issue.file),
            "message": strip_paths(issue.message),
            "fix": strip_paths(issue.fix),
        }
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(500, "the service failed to answer this request; it has been logged", request)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OperationalError, _operational_error)
    app.add_exception_handler(Exception, _unexpected)


#: For route declarations: the problem-details responses every route may give.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": schemas.ProblemDetails,
        "content": {PROBLEM_JSON: {}},
        "description": HTTPStatus(status).phrase,
    }
    for status in (400, 401, 403, 404, 409, 413, 422, 429, 500, 503)
}
