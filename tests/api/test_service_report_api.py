"""GET /reports/service over the store: a published day with its visits reported, the month's
numbers, the files, and what each role may read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, PARTNER_B, make_key, wait_job

DAY = "2026-11-23"
REPORT = "/reports/service?month=2026-11"


@pytest.fixture
def day(client: TestClient, tiny: dict[str, Any]) -> dict[str, Any]:
    """The Ioannina day planned and published; its first visit started and done, a ticket resolved remotely."""
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    made = client.post(
        "/plans",
        json={"date": DAY, "time_limit_s": 1, "force": True, "directorates": [IOANNINA]},
        headers=ADMIN,
    )
    plan_id = made.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    stop = next(s for r in plan["routes"] for s in r["stops"] if s["type"] == "visit")
    ticket = stop["ticket_ids"][0]
    start = client.post(
        f"/plans/{plan_id}/visits/{ticket}/start", json={"at": stop["start"][:16]}, headers=ADMIN
    )
    assert start.status_code == 200, start.text
    done = client.post(f"/plans/{plan_id}/visits/{ticket}/done", json={"at": stop["end"][:16]}, headers=ADMIN)
    assert done.status_code == 200, done.text
    resolved = client.post(
        "/tickets/K6/resolve",
        json={"reason": "με απομακρυσμένη σύνδεση / remotely", "at": "2026-11-21T10:30"},
        headers=ADMIN,
    )
    assert resolved.status_code == 200, resolved.text
    opened = {t["ticket_id"]: t["opened_at"] for t in tiny["tickets"]}
    return {"plan": plan, "stop": stop, "ticket": ticket, "opened": opened[ticket]}


def _hours(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds() / 3600


def test_the_month_of_a_directorate(client: TestClient, day: dict[str, Any]) -> None:
    report = client.get(f"{REPORT}&directorate={IOANNINA}", headers=ADMIN).json()
    overall = report["rows"][0]
    assert overall["tickets"] == 4  # K1, K2, K3, K6 opened in November in Ioannina
    assert overall["visited"] == 1 and overall["resolved"] == 2
    assert overall["response_h_mean"] == pytest.approx(_hours(day["stop"]["start"], day["opened"]), abs=0.01)
    assert overall["first_visit_fix_rate"] == 1.0
    assert overall["preventive_coverage"] == "n/a"  # no school of the tiny region has an interval
    assert {r["group"] for r in report["rows"]} == {"all", "priority", "area"}
    routes = [r for r in day["plan"]["routes"] if any(s["type"] == "visit" for s in r["stops"])]
    assert report["routes"] == len(routes)
    assert report["distance_km"] == pytest.approx(sum(r["distance_km"] for r in routes), abs=0.2)
    assert report["cost_eur"] > 0


def test_files_of_the_report(client: TestClient, day: dict[str, Any]) -> None:
    csv = client.get(f"{REPORT}&directorate={IOANNINA}&format=csv", headers=ADMIN)
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("ομάδα / group;")
    xlsx = client.get(f"{REPORT}&format=xlsx", headers=ADMIN)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    html = client.get(f"{REPORT}&format=html", headers=ADMIN)
    assert html.status_code == 200 and "data:image/png;base64," in html.text
    png = client.get(f"{REPORT}&format=png", headers=ADMIN)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/reports/service?month=2026-13", headers=ADMIN).status_code == 422


def test_each_role_reads_its_own_scope(client: TestClient, day: dict[str, Any]) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    partner_a = make_key(client, "partner", [IOANNINA], PARTNER_A)
    partner_b = make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B)
    planner = make_key(client, "planner")
    own = client.get(REPORT, headers=dispatcher)
    assert own.status_code == 200 and own.json()["directorate"] == IOANNINA
    assert client.get(f"{REPORT}&directorate={ARTA}", headers=dispatcher).status_code == 403
    mine = client.get(REPORT, headers=partner_a).json()
    assert mine["employer"] == PARTNER_A and mine["directorate"] == IOANNINA
    assert client.get(f"{REPORT}&employer={PARTNER_B}", headers=partner_a).status_code == 403
    assert client.get(REPORT, headers=partner_b).status_code == 422  # two Directorates: name one
    assert client.get(f"{REPORT}&directorate={ARTA}", headers=partner_b).status_code == 200
    everything = client.get(REPORT, headers=planner).json()
    assert everything["directorate"] is None and everything["rows"][0]["tickets"] == 6
    for key in (dispatcher, partner_a, planner):
        assert client.post("/reports/service?month=2026-11", headers=key).status_code == 405


def test_preventive_coverage_at_the_months_end(client: TestClient, tiny: dict[str, Any]) -> None:
    # S1 seen on 1 October, every 90 days; S2 seen on 10 November, every 30 days (both Ioannina).
    tiny["schools"][0].update({"maintenance_days": "90", "last_maintenance": "2026-10-01"})
    tiny["schools"][1].update({"maintenance_days": "30", "last_maintenance": "2026-11-10"})
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    november = client.get(f"{REPORT}&directorate={IOANNINA}", headers=ADMIN).json()["rows"][0]
    assert november["preventive_coverage"] == 1.0  # on 30 November both are within their interval
    october = client.get(f"/reports/service?month=2026-10&directorate={IOANNINA}", headers=ADMIN).json()
    # On 31 October S2's visit of 10 November had not happened: only S1 counts as seen.
    assert october["rows"][0]["preventive_coverage"] == 0.5
    arta = client.get(f"{REPORT}&directorate={ARTA}", headers=ADMIN).json()["rows"][0]
    assert arta["preventive_coverage"] == "n/a"
