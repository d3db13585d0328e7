"""Jobs under leases: prompt cancellation, one solve per job across servers, lapsed leases,
graceful restarts, and solver processes that die with their server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from select import select as readable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from dromologio.api import solving
from dromologio.api.auth import Principal
from dromologio.api.db import make_engine, make_sessionmaker, migrate, session_scope
from dromologio.api.jobs import RELEASED, RESTART_REQUEUED, JobRunner
from dromologio.api.main import create_app
from dromologio.api.planning import new_plan_row
from dromologio.api.tables import PlanRow
from dromologio.models.readers import read_problem_dict

from .conftest import ADMIN, make_settings, tiny_problem, wait_for, wait_job

DAY = "2026-11-23"
ROOT = Path(__file__).resolve().parents[2]
TEST_PRINCIPAL = Principal(key_id="test", name="test", role="admin")


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    migrate(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def add_job(
    sessions: sessionmaker[Session],
    document: dict[str, Any],
    *,
    time_limit_s: float = 1.0,
    **values: Any,
) -> str:
    """A job row for ``document``, as POST /plans makes it, with ``values`` set on it."""
    problem = read_problem_dict(document)
    row = new_plan_row(
        principal=TEST_PRINCIPAL,
        problem=problem,
        locks={},
        plan_date=date.fromisoformat(DAY),
        days=1,
        time_limit_s=time_limit_s,
        seed=0,
        directorates=sorted({s.directorate for s in problem.schools}),
        scenario=True,
        label="",
        parent_plan_id=None,
        when=datetime.now().replace(microsecond=0),
    )
    for name, value in values.items():
        setattr(row, name, value)
    with session_scope(sessions) as session:
        session.add(row)
    return row.plan_id


def job_row(sessions: sessionmaker[Session], plan_id: str) -> PlanRow:
    with session_scope(sessions) as session:
        row = session.get(PlanRow, plan_id)
        assert row is not None
        session.expunge(row)
        return row


def wait_row(
    sessions: sessionmaker[Session], plan_id: str, until: Callable[[PlanRow], bool], timeout_s: float = 90.0
) -> PlanRow:
    deadline = time.monotonic() + timeout_s
    while True:
        row = job_row(sessions, plan_id)
        if until(row):
            return row
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {plan_id} is {row.status} ({row.message})")
        time.sleep(0.1)


def finished(row: PlanRow) -> bool:
    return row.status in ("done", "failed", "cancelled")


# --- cancellation ----------------------------------------------------------------------------


def test_a_cancel_that_races_the_claim_stops_the_job_before_it_solves(
    client: TestClient, database_url: str, sample_document: dict[str, Any]
) -> None:
    """DELETE reads the job queued, a worker claims it, then DELETE writes: the worker must still see it."""
    client.app.state.runner.shutdown()  # type: ignore[attr-defined]  # this test plays the worker
    assert client.post("/import", json=sample_document, headers=ADMIN).status_code == 200
    plan_id = client.post("/plans", json={"date": DAY, "time_limit_s": 30}, headers=ADMIN).json()["plan_id"]

    worker = make_engine(database_url)
    claims: list[Any] = []

    def claim_after_the_read(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not claims and statement.lstrip().upper().startswith("SELECT") and "FROM plans" in statement:
            claims.append(solving.claim(worker, plan_id, owner="test-worker", lease_s=30))

    app_engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(app_engine, "after_cursor_execute", claim_after_the_read)
    try:
        answer = client.delete(f"/plans/{plan_id}", headers=ADMIN)
    finally:
        event.remove(app_engine, "after_cursor_execute", claim_after_the_read)
    assert answer.status_code == 200, answer.text
    assert len(claims) == 1 and isinstance(claims[0], dict)
    # The claim stands and carries the request: the job is not marked cancelled under its worker.
    with worker.connect() as connection:
        status, asked = connection.execute(
            select(PlanRow.status, PlanRow.cancel_requested).where(PlanRow.plan_id == plan_id)
        ).one()
    assert (status, asked) == ("running", True)

    assert solving.solve_claimed(worker, plan_id, claims[0], lease_s=30) == "cancelled"
    worker.dispose()
    job = client.get(f"/plans/{plan_id}/job", headers=ADMIN).json()
    assert job["status"] == "cancelled" and job["attempts"] == 1 and not job["has_plan"]
    assert job["time_limit_s"] == 30 and job["progress"]["elapsed_s"] < 10


def test_a_job_whose_cancel_was_asked_while_queued_is_never_claimed(sessions: sessionmaker[Session]) -> None:
    plan_id = add_job(sessions, tiny_problem(), cancel_requested=True)
    engine = sessions.kw["bind"]
    assert solving.claim(engine, plan_id, owner="w", lease_s=30) == "cancelled"
    row = job_row(sessions, plan_id)
    assert (row.status, row.attempts, row.message) == ("cancelled", 0, solving.CANCELLED_BEFORE)
    assert solving.claim(engine, plan_id, owner="w", lease_s=30) == "skipped"


def test_cancelling_a_job_just_submitted_ends_it_promptly_and_frees_the_queue(
    database_url: str, sample_document: dict[str, Any]
) -> None:
    settings = make_settings(database_url, solver_workers=1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.post("/import", json=sample_document, headers=ADMIN).status_code == 200
        first = client.post("/plans", json={"date": DAY, "time_limit_s": 30}, headers=ADMIN).json()
        assert client.delete(f"/plans/{first['plan_id']}", headers=ADMIN).status_code == 200
        second = client.post("/plans", json={"date": DAY, "time_limit_s": 1}, headers=ADMIN).json()
        cancelled = wait_job(client, first["plan_id"], timeout_s=60)
        # Well before its 30 s (the bound leaves room for a loaded machine's model building).
        assert cancelled["status"] == "cancelled", cancelled
        assert (cancelled["progress"]["elapsed_s"] or 0) < 20
        # One solver process: the next job did not wait for the first one's 30 s.
        done = wait_job(client, second["plan_id"], timeout_s=60)
        assert done["status"] == "done" and (done["progress"]["elapsed_s"] or 0) < 20


# --- several servers, leases ----------------------------------------------------------------


def test_a_second_server_leaves_the_jobs_a_live_server_solves_alone(
    client: TestClient, database_url: str, sessions: sessionmaker[Session], tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    long_job = client.post("/plans", json={"date": DAY, "time_limit_s": 2}, headers=ADMIN).json()["plan_id"]
    wait_for(
        lambda: client.get(f"/plans/{long_job}/job", headers=ADMIN).json(),
        until=lambda job: job["status"] != "queued",
    )
    short_jobs = [
        client.post("/plans", json={"date": DAY, "time_limit_s": 0.5, "seed": s}, headers=ADMIN).json()[
            "plan_id"
        ]
        for s in range(3)
    ]
    # Another server starts on the same database while the first one solves, with short
    # leases so that it looks for lapsed ones many times meanwhile.
    other = JobRunner(database_url, sessions, workers=1, lease_s=1.0)
    other.start()
    try:
        for plan_id in [long_job, *short_jobs]:
            job = wait_job(client, plan_id)
            assert job["status"] == "done" and job["attempts"] == 1, job
            assert "restarted" not in job["message"]
    finally:
        other.shutdown()
    # Each job was solved once: one set of visit rows, and one "planned" event per visited ticket once published.
    for plan_id in [long_job, *short_jobs]:
        visits = client.get(f"/plans/{plan_id}/visits", headers=ADMIN).json()
        plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
        visited = sorted(
            t for r in plan["routes"] for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]
        )
        assert sorted(v["ticket_id"] for v in visits) == visited
        # History is written on publication: each publication supersedes the one before.
        assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    events = [
        e
        for ticket in ("K1", "K2", "K3", "K4", "K5")
        for e in client.get(f"/tickets/{ticket}", headers=ADMIN).json()["history"]
        if e["kind"] in ("planned", "unassigned")
    ]
    by_plan: dict[str, int] = {}
    for e in events:
        by_plan[e["plan_id"]] = by_plan.get(e["plan_id"], 0) + 1
    assert set(by_plan) == {long_job, *short_jobs} and set(by_plan.values()) == {5}


def test_lapsed_leases_are_taken_back_and_live_ones_are_not(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    past = datetime.now() - timedelta(minutes=5)
    future = datetime.now() + timedelta(hours=1)
    lapsed = add_job(
        sessions, tiny_problem(), status="running", attempts=1, lease_owner="gone", lease_expires_at=past
    )
    held = add_job(
        sessions, tiny_problem(), status="running", attempts=1, lease_owner="alive", lease_expires_at=future
    )
    # Two starts cut off already, but both by graceful stops: not a failed attempt.
    released = add_job(
        sessions,
        tiny_problem(),
        status="running",
        attempts=3,
        releases=2,
        lease_owner="gone",
        lease_expires_at=past,
    )
    spent = add_job(
        sessions, tiny_problem(), status="running", attempts=2, lease_owner="gone", lease_expires_at=past
    )
    # A server of this machine that crashed: its lease has not lapsed yet, but its process is gone.
    ended = subprocess.Popen(["true"])
    ended.wait()
    crashed = add_job(
        sessions,
        tiny_problem(),
        status="running",
        attempts=1,
        lease_owner=f"{socket.gethostname()[:200]}:{ended.pid}:0123456789ab",
        lease_expires_at=future,
    )
    runner = JobRunner(database_url, sessions, workers=1, max_attempts=2, lease_s=1.0)
    runner.start()
    try:
        for plan_id, attempts in ((lapsed, 2), (released, 4), (crashed, 2)):
            row = wait_row(sessions, plan_id, finished)
            assert (row.status, row.attempts, row.has_plan) == ("done", attempts, True), row.message
            assert RESTART_REQUEUED in row.message
        row = job_row(sessions, spent)
        assert row.status == "failed" and "2 times" in row.message
        # The runner has looked for lapsed leases many times by now (every 0.2 s).
        row = job_row(sessions, held)
        assert (row.status, row.attempts, row.lease_owner) == ("running", 1, "alive")
        # Its server dies: the lease lapses, and this runner takes the job over.
        with session_scope(sessions) as session:
            session.execute(update(PlanRow).where(PlanRow.plan_id == held).values(lease_expires_at=past))
        row = wait_row(sessions, held, finished)
        assert (row.status, row.attempts, row.lease_owner) == ("done", 2, runner.owner)
    finally:
        runner.shutdown()


def solving_with_a_plan(client: TestClient, plan_id: str) -> dict[str, Any]:
    """The job once it is being solved and has found a plan."""
    return wait_for(
        lambda: client.get(f"/plans/{plan_id}/job", headers=ADMIN).json(),
        until=lambda job: job["status"] == "running" and job["progress"]["solutions_found"] > 0,
        timeout_s=60,
    )


def test_two_graceful_restarts_during_a_long_solve_do_not_fail_it(
    database_url: str, sample_document: dict[str, Any]
) -> None:
    settings = make_settings(database_url, max_job_attempts=2, solver_workers=1)
    plan_id = ""
    for restart in range(3):
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            if restart == 0:
                assert client.post("/import", json=sample_document, headers=ADMIN).status_code == 200
                body = {"date": DAY, "time_limit_s": 30}
                plan_id = client.post("/plans", json=body, headers=ADMIN).json()["plan_id"]
            job = solving_with_a_plan(client, plan_id)
            assert job["attempts"] == restart + 1
            if restart == 0:
                continue
            assert job["message"] == RELEASED
            if restart == 2:
                assert client.delete(f"/plans/{plan_id}", headers=ADMIN).status_code == 200
                job = wait_job(client, plan_id, timeout_s=60)
    assert job["status"] == "cancelled" and job["has_plan"] and job["attempts"] == 3, job


# --- solver processes die with their server --------------------------------------------------

KILLED_SERVER = """
import json, sys, time
from datetime import date, datetime
from dromologio.api.auth import Principal
from dromologio.api.db import make_engine, make_sessionmaker, migrate, session_scope
from dromologio.api.jobs import JobRunner
from dromologio.api.planning import new_plan_row
from dromologio.api.tables import PlanRow
from dromologio.models.readers import read_problem
from dromologio.sample import sample_data_dir
from tests.api.process_helpers import start_sleeper


def main() -> None:
    url = sys.argv[1]
    engine = make_engine(url)
    migrate(engine)
    sessions = make_sessionmaker(engine)
    row = new_plan_row(
        principal=Principal(key_id="t", name="t", role="admin"), problem=read_problem(sample_data_dir()),
        locks={}, plan_date=date(2026, 11, 23), days=1, time_limit_s=60, seed=0, directorates=[],
        scenario=True, label="", parent_plan_id=None, when=datetime.now(),
    )
    with session_scope(sessions) as session:
        session.add(row)
    runner = JobRunner(url, sessions, workers=1)
    runner.start()
    while True:
        with session_scope(sessions) as session:
            if session.get(PlanRow, row.plan_id).status == "running":
                break
        time.sleep(0.1)
    solvers = [p.pid for p in runner._executor._processes.values()]
    # A worker that has started a process of its own, as a parallel search does.
    worker, child = runner._new_executor().submit(start_sleeper).result()
    print(json.dumps({"pids": [*solvers, worker, child], "groups": [*solvers, worker]}), flush=True)
    time.sleep(600)


if __name__ == "__main__":  # spawned solver processes import this file too
    main()
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _group_members(groups: set[int]) -> list[int]:
    """Live processes whose process group is one of ``groups``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in groups and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_server_ends_its_solver_processes_and_theirs(tmp_path: Path) -> None:
    script = tmp_path / "server.py"
    script.write_text(KILLED_SERVER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    server = subprocess.Popen(
        [sys.executable, str(script), f"sqlite:///{tmp_path / 'jobs.db'}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        # The script prints once its solver is at work (a guard against a script that hangs).
        ready, _, _ = readable([server.stdout], [], [], 120)
        assert ready, "the server script did not start its solver"
        line = server.stdout.readline()
        assert line, f"the server script ended early ({server.wait()})"
        started = json.loads(line)
        pids, groups = started["pids"], set(started["groups"])
        assert all(_alive(pid) for pid in pids)
        server.send_signal(signal.SIGKILL)
        server.wait()
        wait_for(
            lambda: {"alive": [p for p in pids if _alive(p)], "in_groups": _group_members(groups)},
            until=lambda left: not left["alive"] and not left["in_groups"],
            timeout_s=30,
        )
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
