"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error a client sees has ``type``, ``title``, ``status`` and ``detail``;
validation errors add ``errors`` (one per wrong field) and import errors add
``issues`` (one per :class:`~dromologio.models.errors.InputIssue`, with file,
row and column).  A catch-all handler answers 500 without any trace of the
code: the exception is logged on the server only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dromologio.models import ProblemError
from dromologio.models.errors import InputError

from . import schemas
from .convert import issue_out

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("dromologio.api")


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
    issues = [issue_out(i) for i in exc.issues]
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
    errors = [schemas.FieldError(field="problem", message=m) for m in exc.issues]
    return problem_response(422, "the parts of the problem do not fit together", request, errors=errors)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(500, "the service failed to answer this request; it has been logged", request)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(Exception, _unexpected)


#: For route declarations: the problem-details responses every route may give.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": schemas.ProblemDetails,
        "content": {PROBLEM_JSON: {}},
        "description": HTTPStatus(status).phrase,
    }
    for status in (401, 403, 404, 413, 422, 500)
}
