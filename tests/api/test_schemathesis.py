"""The whole API under schemathesis, with the admin key and with a dispatcher key.

Every operation goes through the examples, coverage and fuzzing phases (one test
per operation; its cases take the two keys in turn), then the stateful phase runs
sequences of calls linked by the schema, once per key.  Each answer must not be a
5xx, must have a documented status code and content type, and its body must match
the documented schema.

The service runs on its own SQLite file, seeded with the tiny two-Directorate
problem; solving is held short (``max_time_limit_s``) on one worker.  About 80 s of
CPU (two to four minutes on a busy two-core machine), hence ``slow``.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.engine.errors import is_inconsistent_replay
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dromologio.api.main import create_app

from .conftest import ADMIN, ARTA, IOANNINA, make_key, make_settings, tiny_problem

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]

#: examples per operation in the fuzzing phase, and scenarios of the stateful phase.
MAX_EXAMPLES = 8
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 6
#: runs of the stateful phase when one could not replay a scenario on the service's changed data.
REPLAY_ATTEMPTS = 3

SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)


class DeferredApp:
    """An ASGI application made by the ``service`` fixture (schemas are loaded at import time)."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.app is not None, "the service fixture makes the application"
        await self.app(scope, receive, send)


APP = DeferredApp()
#: the schema of the service (the same for every database and key), bound to the deferred application.
SCHEMA = schemathesis.openapi.from_dict(
    create_app(make_settings("sqlite://")).openapi(),
    config=SchemathesisConfig.from_dict(
        {"seed": 20261123, "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True}}
    ),
)
SCHEMA.app = APP


def _seed(client: TestClient) -> dict[str, dict[str, str]]:
    problem = tiny_problem()
    served = {"KPN-IOA": IOANNINA, "PA-BASE": IOANNINA, "KPN-ART": ARTA, "PB-BASE": ARTA}
    problem["bases"] = [{**b, "directorate": served[b["base_id"]]} for b in problem["bases"]]
    imported = client.post("/import", json=problem, headers=ADMIN)
    assert imported.status_code == 200, imported.text
    return {"admin": ADMIN, "dispatcher": make_key(client, "dispatcher", [IOANNINA, ARTA])}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, str]]]:
    """The service on a fresh SQLite file with the tiny problem; the admin's and a dispatcher's key."""
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    settings = make_settings(
        f"sqlite:///{folder / 'dromologio.db'}",
        solver_workers=1,
        max_time_limit_s=0.5,
        auth_failure_limit=0,
    )
    APP.app = create_app(settings)
    with TestClient(APP.app, raise_server_exceptions=False) as client:
        made = _seed(client)
    try:
        yield made
    finally:
        shutdown_lifespans()
        APP.app = None


def _is_inconsistent_replay(exc: BaseException) -> bool:
    """Whether Hypothesis stopped because one scenario drew differently twice (schemathesis' own test)."""
    return isinstance(exc, hypothesis.errors.Flaky) or is_inconsistent_replay(exc)


#: which key the next case uses (the cases of an operation alternate between them).
_TURNS = itertools.count()


@pytest.mark.slow
@SCHEMA.parametrize()
@SETTINGS
def test_every_operation_answers_as_documented(case: Any, keys: dict[str, dict[str, str]]) -> None:
    roles = sorted(keys)
    case.call_and_validate(headers=keys[roles[next(_TURNS) % len(roles)]], checks=CHECKS)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["admin", "dispatcher"])
def test_sequences_of_linked_calls_answer_as_documented(keys: dict[str, dict[str, str]], role: str) -> None:
    # a key of its own: the admin's scenarios may have revoked the one the unit phases used
    headers = ADMIN if role == "admin" else make_key(TestClient(APP.app), role, [IOANNINA, ARTA])
    calls: list[tuple[str, int]] = []
    failures: list[str] = []

    class Machine(SCHEMA.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def call(self, case: Any, **kwargs: Any) -> Any:
            try:
                return super().call(case, **kwargs)
            except Exception:
                failures.append(f"{case.operation.label}:\n{traceback.format_exc(limit=-8)}")
                raise

        def after_call(self, response: Any, case: Any) -> None:
            calls.append((case.operation.label, response.status_code))

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except Exception as exc:
                failures.append(f"{case.operation.label}: {exc}")
                raise

    settings = hypothesis.settings(
        SETTINGS, max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS
    )
    for _ in range(REPLAY_ATTEMPTS):
        try:
            Machine.run(settings=settings)
            break
        except Exception as exc:
            if not _is_inconsistent_replay(exc):
                raise
            # The service's data (and its background solves) moved on between two runs of one scenario, so
            # Hypothesis could not draw it again.  That is no fault of the service unless a check failed: as
            # schemathesis' own runner does, report what failed, or else run the scenarios again.
            if failures:
                raise AssertionError("\n\n".join(failures[:3])) from exc
    # the scenarios did chain calls (resources made, then read, changed or removed) with a working key
    assert len(calls) >= STATEFUL_SCENARIOS * 2, calls
    assert len({label for label, _ in calls}) >= 10, calls
    assert sum(200 <= status < 300 for _, status in calls) >= STATEFUL_SCENARIOS, calls
