"""Solving as a job: 202 at once, progress, the plan, cancellation, locks, and restarts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from dromologio.api.db import make_engine, make_sessionmaker, session_scope
from dromologio.api.main import create_app
from dromologio.api.tables import PlanRow
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict

from .conftest import ADMIN, make_settings, wait_for, wait_job

DAY = "2026-11-23"


def _solve(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/plans", json=body, headers=ADMIN)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/plans/{response.json()['plan_id']}/job"
    return wait_job(client, response.json()["plan_id"])


def test_a_solve_job_answers_at_once_then_gives_a_plan_that_passes_the_checker(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    response = client.post("/plans", json={"date": DAY, "days": 1, "time_limit_s": 1}, headers=ADMIN)
    assert response.status_code == 202
    job = response.json()
    assert job["status"] in ("queued", "running") and job["progress"]["tickets_to_visit"] == 5
    early = client.get(f"/plans/{job['plan_id']}", headers=ADMIN)
    assert early.status_code in (200, 202)

    job = wait_job(client, job["plan_id"])
    assert job["status"] == "done", job
    assert job["progress"]["elapsed_s"] > 0 and job["progress"]["best_objective_eur"] is not None
    assert job["progress"]["tickets_placed"] >= 1 and job["check_ok"] is True

    plan = client.get(f"/plans/{job['plan_id']}", headers=ADMIN).json()
    assert set(plan) >= {"dates", "routes", "unassigned", "remote", "vendor", "kpis"}
    assert plan["dates"] == [DAY] and plan["remote"] == ["K6"]
    problem = read_problem_dict(client.get(f"/plans/{job['plan_id']}/problem", headers=ADMIN).json())
    assert check_plan(problem, plan).ok
    assert client.get(f"/plans/{job['plan_id']}/check", headers=ADMIN).json() == {
        "ok": True,
        "violations": [],
    }

    visited = {t for r in plan["routes"] for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]}
    visits = client.get(f"/plans/{job['plan_id']}/visits", headers=ADMIN).json()
    assert {v["ticket_id"] for v in visits} == visited and {v["state"] for v in visits} == {"planned"}
    some = sorted(visited)[0]
    history = f"/tickets/{some}"
    assert "planned" not in [e["kind"] for e in client.get(history, headers=ADMIN).json()["history"]]
    # A draft writes no history; its publication does.
    assert client.post(f"/plans/{job['plan_id']}/publish", headers=ADMIN).status_code == 200
    assert "planned" in [e["kind"] for e in client.get(history, headers=ADMIN).json()["history"]]
    listed = client.get("/plans", headers=ADMIN).json()
    assert [p["plan_id"] for p in listed] == [job["plan_id"]]


def test_several_days_and_a_locked_ticket(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    locked = client.put("/tickets/K1/lock", json={"technician_id": "PA-TECH-1"}, headers=ADMIN)
    assert locked.status_code == 200 and locked.json()["locked_technician_id"] == "PA-TECH-1"
    assert (
        client.put("/tickets/K2/lock", json={"technician_id": "PA-TECH-1"}, headers=ADMIN).status_code == 422
    )

    job = _solve(client, {"date": DAY, "days": 2, "time_limit_s": 1, "horizon": "rolling"})
    assert job["status"] == "done" and job["check_ok"] is True and job["horizon"] == "rolling"
    plan = client.get(f"/plans/{job['plan_id']}", headers=ADMIN).json()
    assert plan["dates"] == [DAY, "2026-11-24"]
    owner = {
        t: r["technician_id"]
        for r in plan["routes"]
        for s in r["stops"]
        if s["type"] == "visit"
        for t in s["ticket_ids"]
    }
    assert owner.get("K1", "PA-TECH-1") == "PA-TECH-1"
    assert "K1" in owner or any(u["ticket_id"] == "K1" for u in plan["unassigned"])

    unlocked = client.delete("/tickets/K1/lock", headers=ADMIN).json()
    assert unlocked["locked_technician_id"] is None
    kinds = [e["kind"] for e in client.get("/tickets/K1", headers=ADMIN).json()["history"]]
    assert kinds[:2] == ["imported", "locked"] and kinds[-1] == "unlocked"


def test_cancel_keeps_the_best_plan_so_far_and_a_queued_job_never_starts(
    client: TestClient, sample_document: dict[str, Any]
) -> None:
    assert client.post("/import", json=sample_document, headers=ADMIN).status_code == 200
    ids = [
        client.post("/plans", json={"date": DAY, "time_limit_s": 60, "seed": seed}, headers=ADMIN).json()[
            "plan_id"
        ]
        for seed in range(3)
    ]
    # Two workers: the third job waits in the queue.
    queued = client.get(f"/plans/{ids[2]}/job", headers=ADMIN).json()
    assert queued["status"] == "queued"
    cancelled = client.delete(f"/plans/{ids[2]}", headers=ADMIN).json()
    assert cancelled["status"] == "cancelled" and "before solving" in cancelled["message"]

    for plan_id in ids[:2]:

        def job_of(plan_id: str = plan_id) -> dict[str, Any]:
            answer: dict[str, Any] = client.get(f"/plans/{plan_id}/job", headers=ADMIN).json()
            return answer

        wait_for(
            job_of,
            until=lambda job: job["status"] == "running" and job["progress"]["solutions_found"] > 0,
            timeout_s=60,
        )
        assert client.delete(f"/plans/{plan_id}", headers=ADMIN).status_code == 200
    for plan_id in ids[:2]:
        job = wait_job(client, plan_id, timeout_s=30)
        assert job["status"] == "cancelled" and job["has_plan"] and job["check_ok"] is True
        assert job["progress"]["elapsed_s"] < 50
        assert client.get(f"/plans/{plan_id}", headers=ADMIN).status_code == 200
    assert client.get(f"/plans/{ids[2]}/job", headers=ADMIN).json()["attempts"] == 0


def test_jobs_survive_a_restart(database_url: str, tiny: dict[str, Any]) -> None:
    settings = make_settings(database_url, max_job_attempts=2)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
        template = wait_job(
            client,
            client.post("/plans", json={"date": DAY, "time_limit_s": 1}, headers=ADMIN).json()["plan_id"],
        )
        assert template["status"] == "done"

    # What a stop of the service leaves behind: a job cut off while solving (once, and
    # already twice), and a job still waiting.
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as session:
        source = session.get(PlanRow, template["plan_id"])
        assert source is not None
        for plan_id, status, attempts in (
            ("rerun", "running", 1),
            ("gaveup", "running", 2),
            ("waiting", "queued", 0),
        ):
            row = PlanRow(
                **{c.name: getattr(source, c.key) for c in PlanRow.__table__.columns if c.name != "plan_id"}
            )
            row.plan_id, row.status, row.attempts, row.result, row.check_ok = (
                plan_id,
                status,
                attempts,
                None,
                None,
            )
            # Cut off by a stop that ended the service for good: no lease left running.
            row.has_plan, row.lease_owner, row.lease_expires_at = False, None, None
            session.add(row)
    engine.dispose()

    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        rerun = wait_job(client, "rerun")
        assert rerun["status"] == "done" and rerun["attempts"] == 2 and rerun["has_plan"]
        assert "restarted" in rerun["message"]
        gaveup = client.get("/plans/gaveup/job", headers=ADMIN).json()
        assert gaveup["status"] == "failed" and "service restarted while solving" in gaveup["message"]
        assert client.get("/plans/gaveup", headers=ADMIN).status_code == 409
        waiting = wait_job(client, "waiting")
        assert waiting["status"] == "done" and waiting["check_ok"] is True

    engine = make_engine(database_url)
    with engine.connect() as connection:
        statuses = {
            plan_id: status for plan_id, status in connection.execute(select(PlanRow.plan_id, PlanRow.status))
        }
    engine.dispose()
    assert statuses == {template["plan_id"]: "done", "rerun": "done", "gaveup": "failed", "waiting": "done"}


def test_a_plan_looks_ahead_in_tours_unless_asked_to_roll(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    bad = client.post("/plans", json={"date": DAY, "days": 2, "horizon": "day"}, headers=ADMIN)
    assert bad.status_code == 422 and "horizon" in bad.text
    job = client.post("/plans", json={"date": DAY, "days": 2, "time_limit_s": 1}, headers=ADMIN).json()
    assert job["horizon"] == "tours"
    assert client.get(f"/plans/{job['plan_id']}/job", headers=ADMIN).json()["horizon"] == "tours"
