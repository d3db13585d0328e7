"""A job's problem snapshot read tolerantly: bad ticket rows are unassigned, never the plan's end."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from dromologio.api.db import make_engine, make_sessionmaker
from dromologio.api.jobs import JobRunner
from dromologio.api.snapshot import BAD_INPUT, SnapshotError, read_snapshot
from dromologio.api.solving import run_plan_job
from dromologio.api.tables import PlanRow

from .conftest import ADMIN, wait_job

DAY = "2026-11-23"


def _places(plan: dict[str, Any]) -> list[str]:
    """Every ticket id where the plan puts it: visits, unassigned, remote, vendor."""
    visited = [t for r in plan["routes"] for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]]
    return [*visited, *(u["ticket_id"] for u in plan["unassigned"]), *plan["remote"], *plan["vendor"]]


def test_bad_ticket_rows_are_left_out_with_the_field_and_value_named(tiny: dict[str, Any]) -> None:
    doc = copy.deepcopy(tiny)
    doc["tickets"][1]["opened_at"] = "201-02-03T19:14"  # K2
    doc["tickets"][3]["school_id"] = "NO-SUCH-SCHOOL"  # K4
    doc["tickets"].append({**doc["tickets"][0], "category": "again"})  # K1 a second time

    snapshot = read_snapshot(doc)

    assert [t.ticket_id for t in snapshot.problem.tickets] == ["K1", "K3", "K5", "K6"]
    assert [(u.ticket_id, u.code) for u in snapshot.left_out] == [("K2", BAD_INPUT), ("K4", BAD_INPUT)]
    k2 = snapshot.left_out[0].reason
    greek, english = k2.split(" / ")
    assert "αίτημα" in greek and "opened_at" in greek and "201-02-03T19:14" in greek
    assert "opened_at = '201-02-03T19:14'" in english and "not a date and time" in english
    assert "school_id" in snapshot.left_out[1].reason and "NO-SUCH-SCHOOL" in snapshot.left_out[1].reason
    # The second K1 row is not a ticket of its own: K1 is planned once, the row is noted.
    assert len(snapshot.notes) == 1 and "row 7 (K1)" in snapshot.notes[0]


def test_a_snapshot_without_bad_rows_reads_as_it_is(tiny: dict[str, Any]) -> None:
    snapshot = read_snapshot(tiny)
    assert len(snapshot.problem.tickets) == 6 and snapshot.left_out == () and snapshot.notes == ()


def test_bad_rows_of_other_tables_still_stop_the_job(tiny: dict[str, Any]) -> None:
    doc = copy.deepcopy(tiny)
    doc["schools"][0]["lat"] = "north"
    doc["tickets"][1]["opened_at"] = "201-02-03T19:14"
    with pytest.raises(SnapshotError) as caught:
        read_snapshot(doc)
    assert [(i.file, i.row, i.column) for i in caught.value.issues] == [("plan:schools", 1, "lat")]
    assert "cannot be read" in str(caught.value) and "plan:schools row 1" in str(caught.value)


def _queued_plan_with(client: TestClient, database_url: str, change: Callable[[dict[str, Any]], None]) -> str:
    """A plan job left queued (the app's runner stopped), its stored problem changed by ``change``."""
    client.app.state.runner.shutdown()  # type: ignore[attr-defined]
    plan_id: str = client.post("/plans", json={"date": DAY, "time_limit_s": 1}, headers=ADMIN).json()[
        "plan_id"
    ]
    engine = make_engine(database_url)
    with engine.begin() as connection:
        problem = connection.execute(select(PlanRow.problem).where(PlanRow.plan_id == plan_id)).scalar_one()
        change(problem)
        connection.execute(update(PlanRow).where(PlanRow.plan_id == plan_id).values(problem=problem))
    engine.dispose()
    return plan_id


def test_a_plan_whose_snapshot_has_a_bad_ticket_is_solved_without_it(
    client: TestClient, database_url: str, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200

    def bad_date(problem: dict[str, Any]) -> None:
        (k2,) = [t for t in problem["tickets"] if t["ticket_id"] == "K2"]
        k2["opened_at"] = "201-02-03T19:14"

    plan_id = _queued_plan_with(client, database_url, bad_date)
    engine = make_engine(database_url)
    runner = JobRunner(database_url, make_sessionmaker(engine), workers=1)
    assert runner.start() == [plan_id]
    try:
        job = wait_job(client, plan_id)
    finally:
        runner.shutdown()
        engine.dispose()
    assert job["status"] == "done" and job["check_ok"] is True, job
    assert job["progress"]["tickets_to_visit"] == 5
    plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    assert sorted(_places(plan)) == ["K1", "K2", "K3", "K4", "K5", "K6"]  # each ticket exactly once
    (k2,) = [u for u in plan["unassigned"] if u["ticket_id"] == "K2"]
    assert k2["code"] == BAD_INPUT and "opened_at" in k2["reason"] and "201-02-03T19:14" in k2["reason"]
    assert plan["kpis"]["tickets"] == 6
    # A draft writes no history; its publication records why K2 was left out.
    history = client.get("/tickets/K2", headers=ADMIN).json()["history"]
    assert not any(e["kind"] == "unassigned" for e in history)
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    history = client.get("/tickets/K2", headers=ADMIN).json()["history"]
    assert any(e["kind"] == "unassigned" and "opened_at" in e["note"] for e in history)
    # The plan's exports read the same snapshot, as tolerantly.
    assert client.get(f"/plans/{plan_id}/plan.geojson", headers=ADMIN).status_code == 200
    technician = next(r["technician_id"] for r in plan["routes"])
    assert client.get(f"/plans/{plan_id}/routes/{technician}.html", headers=ADMIN).status_code == 200


def test_a_plan_whose_snapshot_has_a_bad_school_fails_saying_why(
    client: TestClient, database_url: str, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200

    def bad_school(problem: dict[str, Any]) -> None:
        problem["schools"][0]["lat"] = "north"

    plan_id = _queued_plan_with(client, database_url, bad_school)
    assert run_plan_job(database_url, plan_id, owner="test-worker") == "failed"
    job = client.get(f"/plans/{plan_id}/job", headers=ADMIN).json()
    assert job["status"] == "failed" and "plan:schools row 1, column lat" in job["message"], job
    assert "cannot be read" in job["message"]
