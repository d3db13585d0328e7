"""Exports of a plan, and the day's work on it: visits, urgent insertion, school history."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict

from .conftest import ADMIN, IOANNINA, make_key, wait_job

DAY = "2026-11-23"


@pytest.fixture
def solved(client: TestClient, tiny: dict[str, Any]) -> dict[str, Any]:
    tiny["schools"][0]["lab_installed"] = "2011"  # an extra column: kept in extra
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    plan_id = client.post("/plans", json={"date": DAY, "time_limit_s": 1}, headers=ADMIN).json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    plan: dict[str, Any] = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    return {"plan_id": plan_id, "plan": plan}


def _busy_route(plan: dict[str, Any]) -> dict[str, Any]:
    return max(plan["routes"], key=lambda r: sum(1 for s in r["stops"] if s["type"] == "visit"))


def test_exports_csv_geojson_icalendar_and_route_sheet(client: TestClient, solved: dict[str, Any]) -> None:
    plan_id, plan = solved["plan_id"], solved["plan"]
    response = client.get(f"/plans/{plan_id}/plan.csv", headers=ADMIN)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(1 for r in rows if r["type"] == "visit") == sum(
        1 for r in plan["routes"] for s in r["stops"] if s["type"] == "visit"
    )
    assert any(r["type"] == "remote" and r["ticket_ids"] == "K6" for r in rows)

    geo = client.get(f"/plans/{plan_id}/plan.geojson", headers=ADMIN)
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    lines = [f for f in features if f["geometry"]["type"] == "LineString"]
    assert len(lines) == len(plan["routes"])
    visits = [f for f in features if f["properties"]["kind"] == "visit"]
    assert visits and all(f["geometry"]["type"] == "Point" for f in visits)
    assert {"school_name", "ticket_ids", "arrive", "start", "end", "technician_id"} <= set(
        visits[0]["properties"]
    )

    route = _busy_route(plan)
    technician_id = route["technician_id"]
    ics = client.get(f"/plans/{plan_id}/routes/{technician_id}.ics", headers=ADMIN)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == sum(1 for s in route["stops"] if s["type"] == "visit")
    first_visit = next(s for s in route["stops"] if s["type"] == "visit")
    assert events[0].decoded("dtstart").strftime("%Y-%m-%dT%H:%M") == first_visit["start"]
    assert str(events[0]["summary"]).startswith("Επίσκεψη: ")

    sheet = client.get(f"/plans/{plan_id}/routes/{technician_id}.html", headers=ADMIN)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    assert "Φύλλο δρομολογίου" in sheet.text and "Υπογραφή" in sheet.text
    assert first_visit["ticket_ids"][0] in sheet.text
    assert client.get(f"/plans/{plan_id}/routes/NOBODY.ics", headers=ADMIN).status_code == 404


def test_visits_done_and_not_solved_then_an_urgent_ticket_replans_the_day(
    client: TestClient, solved: dict[str, Any]
) -> None:
    plan_id, plan = solved["plan_id"], solved["plan"]
    dispatcher = make_key(client, "dispatcher", [IOANNINA, "Δ.Π.Ε. Άρτας"])
    visits = [
        (r["technician_id"], t)
        for r in plan["routes"]
        for s in r["stops"]
        if s["type"] == "visit"
        for t in s["ticket_ids"]
    ]
    assert len(visits) >= 3, plan
    (started_by, started), (_, done), (_, failed) = visits[0], visits[1], visits[2]

    assert (
        client.post(f"/plans/{plan_id}/visits/{started}/start", headers=dispatcher).json()["state"]
        == "started"
    )
    assert (
        client.post(
            f"/plans/{plan_id}/visits/{done}/done", json={"note": "Άλλαξε ο διακόπτης"}, headers=dispatcher
        ).json()["state"]
        == "done"
    )
    not_solved = client.post(
        f"/plans/{plan_id}/visits/{failed}/not-solved",
        json={"note": "Λείπει ανταλλακτικό"},
        headers=dispatcher,
    )
    assert not_solved.json()["state"] == "not_solved"
    assert client.post(f"/plans/{plan_id}/visits/{done}/start", headers=dispatcher).status_code == 409

    assert client.get(f"/tickets/{done}", headers=dispatcher).json()["status"] == "done"
    back = client.get(f"/tickets/{failed}", headers=dispatcher).json()
    assert back["status"] == "open"
    assert (
        back["history"][-1]["kind"] == "not_solved"
        and back["history"][-1]["note"] == "Λείπει ανταλλακτικό (by dispatcher)"
    )

    urgent = {
        "ticket": {
            "ticket_id": "K-URG",
            "school_id": "S2",
            "opened_at": f"{DAY}T09:15",
            "category": "Δίκτυο / network",
            "skill": "network",
            "service_minutes": 30,
        },
        "time_limit_s": 1,
    }
    response = client.post(f"/plans/{plan_id}/urgent", json=urgent, headers=dispatcher)
    assert response.status_code == 202, response.text
    job = wait_job(client, response.json()["plan_id"], dispatcher)
    assert job["status"] == "done" and job["parent_plan_id"] == plan_id and job["check_ok"] is True
    replanned = client.get(f"/plans/{job['plan_id']}", headers=dispatcher).json()
    problem = read_problem_dict(client.get(f"/plans/{job['plan_id']}/problem", headers=dispatcher).json())
    assert check_plan(problem, replanned).ok
    assert problem.ticket_by_id["K-URG"].priority == "urgent"
    owner = {
        t: r["technician_id"]
        for r in replanned["routes"]
        for s in r["stops"]
        if s["type"] == "visit"
        for t in s["ticket_ids"]
    }
    assert done not in problem.ticket_by_id and failed not in problem.ticket_by_id
    assert owner.get(started, started_by) == started_by
    assert "K-URG" in owner or any(u["ticket_id"] == "K-URG" for u in replanned["unassigned"])
    states = {
        v["ticket_id"]: v["state"]
        for v in client.get(f"/plans/{job['plan_id']}/visits", headers=dispatcher).json()
    }
    if started in owner:
        assert states[started] == "started"

    history = client.get("/schools/S1/history", headers=dispatcher).json()
    assert history["school"]["extra"]["lab_installed"] == "2011"
    assert {t["ticket_id"] for t in history["tickets"]} == {"K1", "K2"}


def test_school_history_shows_recurring_faults_and_lab_age(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    client.patch("/schools/S1", json={"lab_installed": 2012}, headers=ADMIN)
    for number in (1, 2):
        body = {
            "ticket_id": f"KR{number}",
            "school_id": "S1",
            "opened_at": f"2026-10-0{number}T10:00",
            "category": "Δίκτυο / network",
            "skill": "network",
            "service_minutes": 30,
        }
        assert client.post("/tickets", json=body, headers=ADMIN).status_code == 201
    history = client.get("/schools/S1/history", headers=ADMIN).json()
    [fault] = history["recurring_faults"]
    assert fault["category"] == "Δίκτυο / network" and fault["count"] == 3
    assert history["lab_age_years"] >= 14 and "ανανέωση" in history["lab_note"]
    assert history["tickets"][0]["ticket_id"] == "K1"  # newest first
