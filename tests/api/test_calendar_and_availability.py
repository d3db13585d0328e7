"""Plans on working days only, absences and closures as resources, urgent tickets entered inline,
and visit events reported after the fact, through HTTP (SQLite, and PostgreSQL when set).

'Today' is fixed at Friday 2026-11-20 (``DROMOLOGIO_TODAY``), the working day before the Monday the
fixtures plan.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dromologio.models.calendar import TODAY_ENV

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, wait_job

DAY = "2026-11-23"
TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY)


@pytest.fixture
def world(client: TestClient, tiny: dict[str, Any]) -> dict[str, dict[str, str]]:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    return {
        "admin": ADMIN,
        "dispatcher": make_key(client, "dispatcher", [IOANNINA]),
        "partner": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "planner": make_key(client, "planner"),
    }


def _plan(client: TestClient, key: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/plans", json={"time_limit_s": 1, **body}, headers=key)
    assert response.status_code == 202, response.text
    job = wait_job(client, response.json()["plan_id"], key)
    assert job["status"] == "done", job
    return job


# --- the plan's day ------------------------------------------------------------------------


def test_a_day_off_or_a_past_day_is_refused_unless_forced(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    dispatcher = world["dispatcher"]
    saturday = client.post("/plans", json={"date": "2026-11-28", "time_limit_s": 1}, headers=dispatcher)
    assert saturday.status_code == 422
    detail = saturday.json()["detail"]
    assert detail.startswith("Η 2026-11-28 (Σάββατο) δεν είναι εργάσιμη")
    assert "2026-11-28 (Saturday) is not a working day" in detail and "2026-11-30 (Monday)" in detail
    assert '"force": true' in detail
    assert saturday.json()["errors"][0]["field"] == "body.date"
    holiday = client.post("/plans", json={"date": "2025-01-01"}, headers=dispatcher)
    assert holiday.status_code == 422
    assert "in the past (today is 2026-11-20)" in holiday.json()["detail"]
    assert "Πρωτοχρονιά" in holiday.json()["detail"]
    assert client.post("/plans", json={"date": "2026-12-28"}, headers=dispatcher).status_code == 422
    assert "Christmas break" in client.post("/plans", json={"date": "2026-12-28"}, headers=dispatcher).text
    assert client.get("/plans", headers=ADMIN).json() == []

    forced = _plan(client, dispatcher, date="2026-11-28", force=True)
    assert forced["date"] == "2026-11-28"
    default = _plan(client, dispatcher)  # the next working day after today
    assert default["date"] == DAY


def test_a_plan_of_several_days_skips_days_off(client: TestClient, world: dict[str, dict[str, str]]) -> None:
    job = _plan(client, ADMIN, date="2026-11-27", days=2)
    plan = client.get(f"/plans/{job['plan_id']}", headers=ADMIN).json()
    assert plan["dates"] == ["2026-11-27", "2026-11-30"]


# --- absences ------------------------------------------------------------------------------


def _absence(technician_id: str, first: str = DAY, last: str | None = None, **more: Any) -> dict[str, Any]:
    body = {"technician_id": technician_id, "from": first, **more}
    if last is not None:
        body["to"] = last
    return body


def test_absences_are_read_and_written_within_the_keys_scope(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    dispatcher, partner, planner = world["dispatcher"], world["partner"], world["planner"]
    made = client.post(
        "/absences", json=_absence("T1", kind="training", note="Σεμινάριο"), headers=dispatcher
    )
    assert made.status_code == 201, made.text
    own = made.json()
    assert own["from"] == own["to"] == DAY and own["kind"] == "training" and own["created_by"] == "dispatcher"
    arta = client.post("/absences", json=_absence("T3", DAY, "2026-11-27", kind="sick"), headers=ADMIN).json()
    partners = client.post("/absences", json=_absence("PA-TECH-1"), headers=partner)
    assert partners.status_code == 201, partners.text

    # reads: out of scope is not found, lists leave it out
    assert client.get(f"/absences/{arta['absence_id']}", headers=dispatcher).status_code == 404
    assert {a["technician_id"] for a in client.get("/absences", headers=dispatcher).json()} == {
        "T1",
        "PA-TECH-1",
    }
    assert {a["technician_id"] for a in client.get("/absences", headers=partner).json()} == {"PA-TECH-1"}
    assert client.get(f"/absences/{own['absence_id']}", headers=partner).status_code == 404
    assert len(client.get("/absences", headers=planner).json()) == 3
    assert [a["technician_id"] for a in client.get("/absences?on=2026-11-26", headers=ADMIN).json()] == ["T3"]
    assert client.get("/absences?technician_id=T1", headers=ADMIN).json()[0]["note"] == "Σεμινάριο"

    # writes: out of scope is forbidden, a planner writes nothing
    assert client.post("/absences", json=_absence("T3"), headers=dispatcher).status_code == 403
    assert client.post("/absences", json=_absence("T1"), headers=partner).status_code == 403
    assert client.post("/absences", json=_absence("NOBODY"), headers=dispatcher).status_code == 403
    assert client.post("/absences", json=_absence("NOBODY"), headers=ADMIN).status_code == 422
    assert client.post("/absences", json=_absence("T1"), headers=planner).status_code == 403
    assert (
        client.patch(f"/absences/{arta['absence_id']}", json={"note": "x"}, headers=dispatcher).status_code
        == 404
    )
    assert client.delete(f"/absences/{own['absence_id']}", headers=planner).status_code == 403
    bad = client.post("/absences", json=_absence("T1", DAY, "2026-11-22"), headers=dispatcher)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.to"
    assert (
        client.post("/absences", json={"technician_id": "T1", "from_": DAY}, headers=ADMIN).status_code == 422
    )

    changed = client.patch(
        f"/absences/{own['absence_id']}", json={"to": "2026-11-24", "kind": "leave"}, headers=dispatcher
    )
    assert (
        changed.status_code == 200
        and changed.json()["to"] == "2026-11-24"
        and changed.json()["kind"] == "leave"
    )
    assert client.delete(f"/absences/{own['absence_id']}", headers=dispatcher).status_code == 204
    assert client.get(f"/absences/{own['absence_id']}", headers=ADMIN).status_code == 404
    assert client.delete(f"/absences/{arta['absence_id']}", headers=ADMIN).status_code == 204


def test_an_absent_technician_is_left_out_of_that_days_plan_and_named_nowhere(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    note = "Ιατρική βεβαίωση"
    assert (
        client.post("/absences", json=_absence("T1", kind="sick", note=note), headers=ADMIN).status_code
        == 201
    )
    body = {"date": DAY, "directorates": [IOANNINA]}
    job = _plan(client, ADMIN, **body)
    plan_text = client.get(f"/plans/{job['plan_id']}", headers=ADMIN).text
    problem = client.get(f"/plans/{job['plan_id']}/problem", headers=ADMIN).json()
    assert [t["technician_id"] for t in problem["technicians"]] == ["PA-TECH-1"]
    for text in (plan_text, json.dumps(problem, ensure_ascii=False), json.dumps(job, ensure_ascii=False)):
        assert not re.search(r"(?<![\w-])T1(?![\w-])", text) and note not in text and "sick" not in text
    # the next day the technician is back
    job = _plan(client, ADMIN, date="2026-11-24", directorates=[IOANNINA])
    problem = client.get(f"/plans/{job['plan_id']}/problem", headers=ADMIN).json()
    assert {t["technician_id"] for t in problem["technicians"]} == {"T1", "PA-TECH-1"}


# --- closures ------------------------------------------------------------------------------


def _closure(school_id: str | None, first: str = DAY, **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"from_date": first, "reason": "closed by snow", **more}
    if school_id is not None:
        body["school_id"] = school_id
    return body


def test_closures_are_read_and_written_within_the_keys_scope(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    dispatcher, partner, planner = world["dispatcher"], world["partner"], world["planner"]
    made = client.post("/closures", json=_closure("S1", to_date="2026-11-24"), headers=dispatcher)
    assert made.status_code == 201, made.text
    own = made.json()
    assert (own["school_id"], own["from_date"], own["to_date"]) == ("S1", DAY, "2026-11-24")
    arta = client.post("/closures", json=_closure("S3"), headers=ADMIN).json()
    area = client.post(
        "/closures", json=_closure(None, terrain="mountainous", open_to_4x4=True), headers=ADMIN
    )
    assert area.status_code == 201, area.text

    assert client.get(f"/closures/{arta['closure_id']}", headers=dispatcher).status_code == 404
    assert client.get(f"/closures/{arta['closure_id']}", headers=partner).status_code == 404
    assert {c["school_id"] for c in client.get("/closures", headers=dispatcher).json()} == {"S1", None}
    assert client.get(f"/closures/{own['closure_id']}", headers=partner).status_code == 200
    assert len(client.get("/closures", headers=planner).json()) == 3
    assert [c["school_id"] for c in client.get("/closures?on=2026-11-24", headers=ADMIN).json()] == ["S1"]

    assert client.post("/closures", json=_closure("S3"), headers=dispatcher).status_code == 403
    assert client.post("/closures", json=_closure("NOWHERE"), headers=dispatcher).status_code == 403
    assert client.post("/closures", json=_closure("NOWHERE"), headers=ADMIN).status_code == 422
    assert client.post("/closures", json=_closure("S1"), headers=partner).status_code == 403
    assert client.post("/closures", json=_closure("S1"), headers=planner).status_code == 403
    assert client.post("/closures", json=_closure(None, island=""), headers=dispatcher).status_code == 403
    both = client.post("/closures", json=_closure("S1", terrain="mountainous"), headers=ADMIN)
    assert both.status_code == 422
    assert client.post("/closures", json=_closure(None), headers=ADMIN).status_code == 422
    area_id = area.json()["closure_id"]
    assert client.patch(f"/closures/{area_id}", json={"reason": "x"}, headers=dispatcher).status_code == 403
    assert client.delete(f"/closures/{arta['closure_id']}", headers=dispatcher).status_code == 404
    assert client.delete(f"/closures/{own['closure_id']}", headers=partner).status_code == 403
    backwards = client.patch(
        f"/closures/{own['closure_id']}", json={"to_date": "2026-11-22"}, headers=dispatcher
    )
    assert backwards.status_code == 422

    changed = client.patch(
        f"/closures/{own['closure_id']}", json={"reason": "works", "open_to_4x4": True}, headers=dispatcher
    )
    assert (
        changed.status_code == 200 and changed.json()["reason"] == "works" and changed.json()["open_to_4x4"]
    )
    assert client.delete(f"/closures/{own['closure_id']}", headers=dispatcher).status_code == 204
    assert client.get(f"/closures/{own['closure_id']}", headers=ADMIN).status_code == 404


def test_stored_closures_become_the_solvers_closures(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    from dromologio.api.routes.closures import stored_closures

    client.post("/closures", json=_closure("S1", to_date="2026-11-24"), headers=ADMIN)
    client.post("/closures", json=_closure("S3"), headers=ADMIN)
    client.post("/closures", json=_closure(None, "2026-12-01", terrain="mountainous"), headers=ADMIN)
    factory = client.app.state.sessions  # type: ignore[attr-defined]
    with factory() as session:
        found = stored_closures(session, ["S1", "S2"], [date(2026, 11, 24), date(2026, 11, 25)])
    assert [(sorted(c.place_ids), c.start, c.end, c.reason) for c in found] == [
        (["S1"], date(2026, 11, 23), date(2026, 11, 24), "closed by snow")
    ]
    # what a plan job gets once it passes them (closures_for_plan): no visit to a closed school
    from dromologio.api.routes.closures import closures_for_plan
    from dromologio.dispatch import solve
    from dromologio.models.readers import read_problem_dict

    job = _plan(client, ADMIN, date=DAY, directorates=[IOANNINA])
    problem = read_problem_dict(client.get(f"/plans/{job['plan_id']}/problem", headers=ADMIN).json())
    with factory() as session:
        closures = closures_for_plan(session, problem, date(2026, 11, 23), 1)
    plan = solve(problem, date(2026, 11, 23), time_limit_s=0.5, closures=closures).plan
    reasons = {u.ticket_id: u for u in plan.unassigned}
    assert reasons["K1"].code == reasons["K2"].code == "closed"
    assert "closed by snow on 2026-11-23" in reasons["K1"].reason


def test_a_closed_school_is_not_visited_and_the_reason_names_the_closure(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    client.post("/closures", json=_closure("S1"), headers=ADMIN)
    job = _plan(client, ADMIN, date=DAY, directorates=[IOANNINA])
    plan = client.get(f"/plans/{job['plan_id']}", headers=ADMIN).json()
    reasons = {u["ticket_id"]: u for u in plan["unassigned"]}
    assert {"K1", "K2"} <= set(reasons)
    assert all(
        reasons[t]["code"] == "closed" and "closed by snow on 2026-11-23" in reasons[t]["reason"]
        for t in ("K1", "K2")
    )


# --- the day's work ------------------------------------------------------------------------


@pytest.fixture
def live(client: TestClient, world: dict[str, dict[str, str]]) -> dict[str, Any]:
    job = _plan(client, ADMIN, date=DAY, directorates=[IOANNINA])
    plan = client.get(f"/plans/{job['plan_id']}", headers=ADMIN).json()
    visits = [t for r in plan["routes"] for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]]
    assert len(visits) >= 2, plan
    return {"plan_id": job["plan_id"], "visits": visits, "keys": world}


def test_an_urgent_ticket_is_created_inline_with_a_generated_id(
    client: TestClient, live: dict[str, Any]
) -> None:
    dispatcher = live["keys"]["dispatcher"]
    ticket = {
        "school_id": "S2",
        "category": "Δίκτυο / network",
        "skill": "network",
        "service_minutes": 30,
        "helpdesk_ref": "HD-2026-0412",
    }
    first = client.post(
        f"/plans/{live['plan_id']}/urgent", json={"ticket": ticket, "time_limit_s": 1}, headers=dispatcher
    )
    assert first.status_code == 202, first.text
    assert wait_job(client, first.json()["plan_id"], dispatcher)["status"] == "done"
    second = client.post(
        f"/plans/{live['plan_id']}/urgent", json={"ticket": ticket, "time_limit_s": 1}, headers=dispatcher
    )
    assert second.status_code == 202, second.text
    assert wait_job(client, second.json()["plan_id"], dispatcher)["status"] == "done"
    made = [t for t in client.get("/tickets", headers=dispatcher).json() if t["ticket_id"].startswith("U-")]
    stamp = datetime.now().strftime("%Y%m%d")
    assert [t["ticket_id"] for t in made] == [f"U-{stamp}-001", f"U-{stamp}-002"]
    assert all(t["priority"] == "urgent" and t["extra"]["helpdesk_ref"] == "HD-2026-0412" for t in made)
    problem = client.get(f"/plans/{second.json()['plan_id']}/problem", headers=dispatcher).json()
    assert f"U-{stamp}-002" in {t["ticket_id"] for t in problem["tickets"]}  # re-planned from the same plan
    # an id given is kept; a taken one is refused
    given = client.post(
        f"/plans/{live['plan_id']}/urgent",
        json={"ticket": {**ticket, "ticket_id": f"U-{stamp}-001"}, "time_limit_s": 1},
        headers=dispatcher,
    )
    assert given.status_code == 409


def test_visit_events_may_be_reported_after_the_fact_never_ahead(
    client: TestClient, live: dict[str, Any]
) -> None:
    dispatcher = live["keys"]["dispatcher"]
    plan_id, (first, second, *_) = live["plan_id"], live["visits"]
    base = f"/plans/{plan_id}/visits"
    future = (datetime.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"{base}/{first}/start", json={"at": future}, headers=dispatcher).status_code == 422
    before = client.post(f"{base}/{first}/start", json={"at": "2026-11-22T10:00"}, headers=dispatcher)
    assert before.status_code == 422 and before.json()["errors"][0]["field"] == "body.at"

    started = client.post(
        f"{base}/{first}/start",
        json={"at": f"{DAY}T09:10", "reported_by": "Ελένη (τηλ.)"},
        headers=dispatcher,
    )
    assert started.status_code == 200 and started.json()["updated_at"] == f"{DAY}T09:10:00"
    early = client.post(f"{base}/{first}/done", json={"at": f"{DAY}T09:00"}, headers=dispatcher)
    assert early.status_code == 422  # before it was started
    done = client.post(
        f"{base}/{first}/done", json={"at": f"{DAY}T10:05", "note": "Νέο καλώδιο"}, headers=dispatcher
    )
    assert done.status_code == 200
    history = client.get(f"/tickets/{first}", headers=dispatcher).json()["history"]
    # the history is in the order things happened: the reported times, not the times of the reports
    assert [(e["kind"], e["at"], e["note"]) for e in history if e["kind"] in ("started", "done")] == [
        ("started", f"{DAY}T09:10:00", "by Ελένη (τηλ.)"),
        ("done", f"{DAY}T10:05:00", "Νέο καλώδιο (by dispatcher)"),
    ]
    # no time given: now, reported by the key
    client.post(f"{base}/{second}/not-solved", json={"note": "Λείπει ανταλλακτικό"}, headers=dispatcher)
    last = client.get(f"/tickets/{second}", headers=dispatcher).json()["history"][-1]
    assert last["kind"] == "not_solved" and last["note"] == "Λείπει ανταλλακτικό (by dispatcher)"
    assert abs(datetime.fromisoformat(last["at"]) - datetime.now()) < timedelta(minutes=2)
    assert (
        client.post(
            f"{base}/{second}/start", json={"at": f"{DAY}T11:00", "when": 1}, headers=ADMIN
        ).status_code
        == 422
    )


def test_scope_of_the_new_resources_for_an_arta_key(
    client: TestClient, world: dict[str, dict[str, str]]
) -> None:
    """A dispatcher of Arta sees Arta's absences and closures only."""
    arta = make_key(client, "dispatcher", [ARTA])
    client.post("/absences", json=_absence("T1"), headers=ADMIN)
    client.post("/closures", json=_closure("S1"), headers=ADMIN)
    assert client.get("/absences", headers=arta).json() == []
    assert client.get("/closures", headers=arta).json() == []
    assert client.post("/absences", json=_absence("T3"), headers=arta).status_code == 201
    assert client.post("/closures", json=_closure("S4"), headers=arta).status_code == 201
