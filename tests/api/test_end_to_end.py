"""End to end, against a running server: uvicorn in a subprocess on a free loopback port.

A dispatcher, over HTTP alone, imports the sample, solves tomorrow, reads and exports
the plan, runs the day and inserts an urgent ticket; the re-planned day passes the
independent checker.  A job cut off by a crash of the service is solved again after
the restart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from dromologio.models.calendar import WorkCalendar, today
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict

from .conftest import ADMIN, ADMIN_KEY, TERMINAL, wait_for

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(database_url: str, log: Path) -> Iterator[httpx.Client]:
    port = free_port()
    code = f"from dromologio.api.server import serve; serve('127.0.0.1', {port}, {database_url!r}, False)"
    env = {**os.environ, "DROMOLOGIO_API_KEY": ADMIN_KEY, "DROMOLOGIO_SOLVER_WORKERS": "2"}
    with log.open("ab") as output:
        # A session of its own: a crash can be simulated by killing the whole group.
        process = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=output, stderr=output, start_new_session=True
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        client.process = process  # type: ignore[attr-defined]
        yield client
    finally:
        client.close()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_job(
    client: httpx.Client, plan_id: str, key: dict[str, str], timeout_s: float = 120
) -> dict[str, Any]:
    return wait_for(
        lambda: client.get(f"/plans/{plan_id}/job", headers=key).json(),
        until=lambda job: job["status"] in TERMINAL,
        timeout_s=timeout_s,
    )


def checked(client: httpx.Client, plan_id: str, key: dict[str, str]) -> tuple[dict[str, Any], Any]:
    plan = client.get(f"/plans/{plan_id}", headers=key).json()
    problem = read_problem_dict(client.get(f"/plans/{plan_id}/problem", headers=key).json())
    report = check_plan(problem, plan)
    assert report.ok, str(report)
    return plan, problem


def test_a_dispatcher_runs_a_day_over_http(
    database_url: str, sample_document: dict[str, Any], tmp_path: Path
) -> None:
    with running_server(database_url, tmp_path / "server.log") as http:
        directorates = sorted({s["directorate"] for s in sample_document["schools"]})
        for directorate in directorates:  # a key names known Directorates only
            assert http.post("/regions", json={"name": directorate}, headers=ADMIN).status_code == 201
        made = http.post(
            "/keys",
            json={"name": "Κέντρο Ηπείρου-Κυκλάδων", "role": "dispatcher", "directorates": directorates},
            headers=ADMIN,
        )
        assert made.status_code == 201, made.text
        me = {"X-API-Key": made.json()["api_key"]}

        # The ferry timetable and the policy are the admin's; the Directorates' data the dispatcher's.
        shared = {k: sample_document[k] for k in ("ports", "ferries", "policy") if k in sample_document}
        assert http.post("/import", json={"name": "timetable", **shared}, headers=ADMIN).status_code == 200
        own = {k: v for k, v in sample_document.items() if k not in shared}
        imported = http.post("/import", json=own, headers=me)
        assert imported.status_code == 200, imported.text
        assert imported.json()["tickets"]["created"] == len(sample_document["tickets"])

        # The next working day (no date given).
        accepted = http.post("/plans", json={"days": 1, "time_limit_s": 2}, headers=me)
        assert accepted.status_code == 202, accepted.text
        job = wait_job(http, accepted.json()["plan_id"], me)
        assert job["status"] == "done" and job["date"] == WorkCalendar().next_working_day(today()).isoformat()
        plan_id = job["plan_id"]
        assert http.post(f"/plans/{plan_id}/publish", headers=me).json()["state"] == "published"
        plan, _ = checked(http, plan_id, me)
        assert plan["kpis"]["visited"] > 0

        assert http.get(f"/plans/{plan_id}/plan.csv", headers=me).text.startswith(
            "date,technician_id,seq,type"
        )
        geo = http.get(f"/plans/{plan_id}/plan.geojson", headers=me).json()
        assert {f["geometry"]["type"] for f in geo["features"]} >= {"LineString", "Point"}
        busy = max(plan["routes"], key=lambda r: sum(s["type"] == "visit" for s in r["stops"]))
        calendar = Calendar.from_ical(
            http.get(f"/plans/{plan_id}/routes/{busy['technician_id']}.ics", headers=me).content
        )
        assert len(calendar.walk("VEVENT")) == sum(s["type"] == "visit" for s in busy["stops"])
        assert (
            "Φύλλο δρομολογίου"
            in http.get(f"/plans/{plan_id}/routes/{busy['technician_id']}.html", headers=me).text
        )

        visits = [(r["technician_id"], s) for r in plan["routes"] for s in r["stops"] if s["type"] == "visit"]
        (started_by, first), (_, second) = visits[0], visits[1]
        started, done = first["ticket_ids"][0], second["ticket_ids"][0]
        assert http.post(f"/plans/{plan_id}/visits/{started}/start", headers=me).json()["state"] == "started"
        assert (
            http.post(f"/plans/{plan_id}/visits/{done}/done", json={"note": "OK"}, headers=me).json()["state"]
            == "done"
        )

        urgent = {
            "ticket": {
                "ticket_id": "K-URGENT-1",
                "school_id": second["school_id"],
                "opened_at": f"{job['date']}T08:30",
                "category": "Δίκτυο / network — όλο το εργαστήριο εκτός",
                "skill": "network",
                "service_minutes": 45,
            },
            "time_limit_s": 2,
        }
        accepted = http.post(f"/plans/{plan_id}/urgent", json=urgent, headers=me)
        assert accepted.status_code == 202, accepted.text
        replan = wait_job(http, accepted.json()["plan_id"], me)
        assert replan["status"] == "done" and replan["parent_plan_id"] == plan_id and replan["check_ok"]
        replanned, problem = checked(http, replan["plan_id"], me)
        owner = {
            t: r["technician_id"]
            for r in replanned["routes"]
            for s in r["stops"]
            if s["type"] == "visit"
            for t in s["ticket_ids"]
        }
        assert done not in problem.ticket_by_id
        assert owner[started] == started_by
        assert problem.ticket_by_id["K-URGENT-1"].priority == "urgent"
        assert "K-URGENT-1" in owner or any(u["ticket_id"] == "K-URGENT-1" for u in replanned["unassigned"])

        history = http.get(f"/schools/{second['school_id']}/history", headers=me).json()
        kinds = {e["kind"] for t in history["tickets"] for e in t["history"]}
        assert {"imported", "planned", "done", "urgent"} <= kinds


def test_a_job_cut_off_by_a_crash_is_solved_again_after_the_restart(
    database_url: str, sample_document: dict[str, Any], tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with running_server(database_url, log) as http:
        assert http.post("/import", json=sample_document, headers=ADMIN).status_code == 200
        plan_id = http.post("/plans", json={"time_limit_s": 60}, headers=ADMIN).json()["plan_id"]
        wait_for(
            lambda: http.get(f"/plans/{plan_id}/job", headers=ADMIN).json(),
            until=lambda job: job["status"] == "running" and job["progress"]["solutions_found"] > 0,
            timeout_s=60,
        )
        # A crash: the service and its solver processes die at once.
        os.killpg(http.process.pid, signal.SIGKILL)  # type: ignore[attr-defined]
        http.process.wait()  # type: ignore[attr-defined]

    with running_server(database_url, log) as http:
        job = wait_for(
            lambda: http.get(f"/plans/{plan_id}/job", headers=ADMIN).json(),
            until=lambda job: (
                job["status"] == "running" and job["attempts"] == 2 and job["progress"]["solutions_found"] > 0
            ),
            timeout_s=60,
        )
        assert "service restarted while solving" in job["message"]
        assert http.delete(f"/plans/{plan_id}", headers=ADMIN).status_code == 200
        job = wait_job(http, plan_id, ADMIN, timeout_s=60)
        assert job["status"] == "cancelled" and job["has_plan"] and job["check_ok"]
        checked(http, plan_id, ADMIN)
