"""Ticket levels and escalation over the API: the full path of a ticket, the moves allowed,
what the plans route, open hand-offs, and what each role may read and write."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, wait_job

DAY = "2026-11-23"


def _move(
    client: TestClient, ticket: str, level: str, reason: str, at: str, key: dict[str, str] = ADMIN
) -> Any:
    return client.post(
        f"/tickets/{ticket}/level", json={"level": level, "reason": reason, "at": at}, headers=key
    )


def test_a_ticket_goes_school_remote_on_site_third_level_closed(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    tiny["tickets"].append(
        {
            "ticket_id": "K9",
            "school_id": "S2",
            "opened_at": "2026-11-16T08:10",
            "category": "Δίκτυο / network",
            "skill": "network",
            "priority": "normal",
            "service_minutes": 40,
            "remote": True,
        }
    )
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    assert client.get("/tickets/K9/level", headers=ADMIN).json()["level"] == "remote"
    dispatcher = make_key(client, "dispatcher", [IOANNINA])

    steps = [
        (
            "school",
            "ο υπεύθυνος ΤΠΕ δοκιμάζει επανεκκίνηση / the ICT teacher restarts the router",
            "2026-11-16T09:00",
        ),
        ("remote", "δεν λύθηκε στο σχολείο / not solved at the school", "2026-11-16T12:00"),
        ("on_site", "η απομακρυσμένη σύνδεση απέτυχε / remote attempt failed", "2026-11-17T10:00"),
        (
            "third_level",
            "χρειάζεται αλλαγή διαμόρφωσης στο δίκτυο / the network's configuration",
            "2026-11-18T11:00",
        ),
    ]
    for level, reason, at in steps:
        moved = _move(client, "K9", level, reason, at, dispatcher)
        assert moved.status_code == 200, moved.text
        assert moved.json()["level"] == level
        ticket = client.get("/tickets/K9", headers=ADMIN).json()
        assert (ticket["remote"], ticket["warranty"]) == (
            level in ("school", "remote"),
            level == "third_level",
        )

    handoffs = client.get("/handoffs", headers=dispatcher).json()
    assert [(h["ticket_id"], h["level"], h["since"]) for h in handoffs] == [
        ("K9", "third_level", "2026-11-18T11:00:00")
    ]
    closed = client.post(
        "/tickets/K9/resolve",
        json={
            "reason": "το ΙΤΥΕ άλλαξε τη ρύθμιση / the third level changed the setting",
            "at": "2026-11-19T15:00",
        },
        headers=dispatcher,
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["allowed"] == []
    assert client.get("/handoffs", headers=dispatcher).json() == []

    history = client.get("/tickets/K9", headers=dispatcher).json()["history"]
    history = [e for e in history if e["kind"] != "imported"]
    path = [(e["kind"], e["at"]) for e in history]
    assert path == [
        ("level", "2026-11-16T09:00:00"),
        ("level", "2026-11-16T12:00:00"),
        ("level", "2026-11-17T10:00:00"),
        ("level", "2026-11-18T11:00:00"),
        ("resolved", "2026-11-19T15:00:00"),
    ]
    notes = [e["note"] for e in history]
    assert notes[0].startswith("remote → school: ο υπεύθυνος ΤΠΕ")
    assert notes[2].startswith("remote → on_site: η απομακρυσμένη σύνδεση απέτυχε")
    assert notes[3].startswith("on_site → third_level:")
    assert notes[4].startswith("third_level: το ΙΤΥΕ") and "(by dispatcher)" in notes[4]
    level = client.get("/tickets/K9/level", headers=dispatcher).json()
    assert [(m["source"], m["target"]) for m in level["moves"]] == [
        ("remote", "school"),
        ("school", "remote"),
        ("remote", "on_site"),
        ("on_site", "third_level"),
    ]
    again = _move(client, "K9", "on_site", "x", "2026-11-20T09:00")
    assert again.status_code == 409


def test_moves_not_allowed_answer_409_naming_the_allowed_ones(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    refused = _move(client, "K1", "school", "x", "2026-11-20T10:00")
    assert refused.status_code == 409
    assert "remote, third_level, vendor" in refused.json()["detail"]
    early = _move(client, "K1", "remote", "x", "2026-11-19T10:00")
    assert early.status_code == 422 and "before the ticket was opened" in early.json()["detail"]
    assert _move(client, "K1", "vendor", "εγγύηση / warranty", "2026-11-20T10:00").status_code == 200
    out_of_order = _move(client, "K1", "on_site", "back", "2026-11-20T09:30")
    assert out_of_order.status_code == 422 and "last move" in out_of_order.json()["detail"]
    back = _move(
        client, "K1", "on_site", "ο προμηθευτής το επέστρεψε / back from the vendor", "2026-11-20T11:00"
    )
    assert back.status_code == 200 and back.json()["routed"]


def test_only_on_site_tickets_are_routed(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    assert (
        _move(
            client, "K2", "remote", "με απομακρυσμένη σύνδεση / by remote tools", "2026-11-20T10:00"
        ).status_code
        == 200
    )
    assert (
        _move(client, "K3", "third_level", "στο ΙΤΥΕ / to the third level", "2026-11-20T10:00").status_code
        == 200
    )
    made = client.post(
        "/plans",
        json={"date": DAY, "time_limit_s": 1, "force": True, "directorates": [IOANNINA]},
        headers=ADMIN,
    )
    assert made.status_code == 202, made.text
    assert wait_job(client, made.json()["plan_id"])["status"] == "done"
    plan = client.get(f"/plans/{made.json()['plan_id']}", headers=ADMIN).json()
    visited = {t for r in plan["routes"] for s in r["stops"] for t in s.get("ticket_ids", [])}
    assert "K2" in plan["remote"] and "K3" in plan["vendor"]
    assert "K2" not in visited and "K3" not in visited
    assert client.get(f"/plans/{made.json()['plan_id']}/check", headers=ADMIN).json()["ok"]


def test_each_role_reads_and_writes_levels_in_its_scope(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    keys = {
        "dispatcher": make_key(client, "dispatcher", [IOANNINA]),
        "partner": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "planner": make_key(client, "planner"),
    }
    assert _move(client, "K4", "vendor", "εγγύηση / warranty", "2026-11-20T13:00").status_code == 200
    for role, key in keys.items():
        assert client.get("/tickets/K1/level", headers=key).status_code == 200, role
        arta_read = client.get("/tickets/K4/level", headers=key).status_code
        assert arta_read == (200 if role == "planner" else 404), role
        handoffs = [h["ticket_id"] for h in client.get("/handoffs", headers=key).json()]
        assert handoffs == (["K4"] if role == "planner" else []), role
        write = _move(client, "K1", "remote", f"by {role}", "2026-11-20T10:00", key)
        assert write.status_code == (200 if role == "dispatcher" else 403), (role, write.text)
        arta_write = _move(client, "K4", "on_site", "x", "2026-11-20T14:00", key)
        assert arta_write.status_code in (403, 404), role
        resolve = client.post("/tickets/K5/resolve", json={"reason": "x"}, headers=key)
        assert resolve.status_code in (403, 404), role
    assert client.get("/tickets/K4/level", headers=ADMIN).json()["level"] == "vendor"
    assert client.get("/tickets/K1/level", headers=ADMIN).json()["level"] == "remote"
    assert [h["directorate"] for h in client.get("/handoffs", headers=ADMIN).json()] == [ARTA]
