"""Roles and scoping: a partner never reads another partner's data, over every endpoint.

The sweep walks ``app.routes``, calls every route as each partner with path
parameters pointing at its own and at the other partner's data (and at shared
data), and checks that no answer carries anything of the other partner, and that
no write aimed at the other partner's data succeeds.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from .conftest import (
    ADMIN,
    ARTA,
    IOANNINA,
    PARTNER_A,
    PARTNER_A_COST,
    PARTNER_B,
    PARTNER_B_BASE,
    PARTNER_B_COST,
    PARTNER_B_TECHNICIAN,
    make_key,
    tiny_problem,
    wait_job,
)

DAY = "2026-11-23"

#: What belongs to each partner: ids, names and its costs.
OWN = {
    "A": {"technician": "PA-TECH-1", "base": "PA-BASE"},
    "B": {"technician": PARTNER_B_TECHNICIAN, "base": PARTNER_B_BASE},
}
MARKERS = {
    "A": [
        "PA-TECH-1",
        "PA-BASE",
        PARTNER_A,
        str(PARTNER_A_COST),
        "Κώστας Μπέλλος",
        "Πανεπιστημιούπολη Ιωαννίνων",
    ],
    "B": [PARTNER_B_TECHNICIAN, PARTNER_B_BASE, PARTNER_B, str(PARTNER_B_COST), "Σπύρος Κώτσης"],
}


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of the application, through included routers too."""
    found: list[tuple[str, str]] = []

    def add(path: str, methods: set[str] | None) -> None:
        for method in sorted((methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path))

    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for context in contexts():
                add(context.path, getattr(context.original_route, "methods", None))
        elif isinstance(route, APIRoute) or hasattr(route, "methods"):
            add(getattr(route, "path", ""), getattr(route, "methods", None))
    return found


def _bodies(own_technician: str, other: dict[str, str]) -> dict[tuple[str, str], Any]:
    ticket = {
        "ticket_id": "K-NEW",
        "school_id": "S3",
        "opened_at": "2026-11-22T09:00",
        "category": "x",
        "skill": "network",
        "service_minutes": 30,
    }
    return {
        ("POST", "/keys"): {"name": "x", "role": "admin"},
        ("POST", "/regions"): {"name": "Δ.Π.Ε. Πρέβεζας"},
        ("PATCH", "/regions/{region_id}"): {"area": "x"},
        ("POST", "/schools"): {
            "school_id": "S-NEW",
            "name": "x",
            "lat": 39.2,
            "lon": 20.9,
            "directorate": ARTA,
        },
        ("PATCH", "/schools/{school_id}"): {"notes": "x"},
        ("POST", "/bases"): {"base_id": "B-NEW", "name": "x", "lat": 39.2, "lon": 20.9, "directorate": ARTA},
        ("PATCH", "/bases/{base_id}"): {"name": "x"},
        ("POST", "/technicians"): {
            "technician_id": "X-NEW",
            "name": "x",
            "base_id": other["base"],
            "skills": ["windows"],
            "employer": "x",
        },
        ("PATCH", "/technicians/{technician_id}"): {"cost_per_km": 0.01},
        ("POST", "/tickets"): ticket,
        ("PATCH", "/tickets/{ticket_id}"): {"priority": "low"},
        ("PUT", "/tickets/{ticket_id}/lock"): {"technician_id": own_technician},
        ("POST", "/import"): tiny_problem(),
        ("POST", "/plans"): {"date": DAY, "time_limit_s": 1},
        ("POST", "/absences"): {"technician_id": other["technician"], "from": "2026-12-02"},
        ("PATCH", "/absences/{absence_id}"): {"note": "x"},
        ("POST", "/closures"): {"school_id": "S3", "from_date": "2026-12-02"},
        ("PATCH", "/closures/{closure_id}"): {"reason": "x"},
        ("POST", "/plans/{plan_id}/urgent"): {
            "ticket": {**ticket, "ticket_id": "K-URG", "school_id": "S1"},
            "time_limit_s": 1,
        },
    }


@pytest.fixture
def world(client: TestClient) -> dict[str, Any]:
    """Both partners' data, a plan of Ioannina where both partners work, and a re-planning of it."""
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    keys = {
        "A": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "B": make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B),
    }
    # A ticket of Ioannina locked to partner B's technician: partner A must not learn who.
    assert (
        client.put(
            "/tickets/K3/lock", json={"technician_id": PARTNER_B_TECHNICIAN}, headers=ADMIN
        ).status_code
        == 200
    )
    everyone = ["T1", "PA-TECH-1", "T3", PARTNER_B_TECHNICIAN]
    body = {"date": DAY, "time_limit_s": 1, "directorates": [IOANNINA], "technician_ids": everyone}
    plan_id = client.post("/plans", json=body, headers=ADMIN).json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    by_technician = {
        r["technician_id"]: [t for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]]
        for r in plan["routes"]
    }
    assert by_technician[PARTNER_B_TECHNICIAN] == ["K3"]  # locked to them
    for technician in (PARTNER_B_TECHNICIAN, "PA-TECH-1"):
        if by_technician.get(technician):
            client.post(f"/plans/{plan_id}/visits/{by_technician[technician][0]}/start", headers=ADMIN)
    urgent = {
        "ticket": {
            "ticket_id": "K-U1",
            "school_id": "S2",
            "opened_at": f"{DAY}T09:00",
            "category": "x",
            "skill": "windows",
            "service_minutes": 20,
        },
        "time_limit_s": 1,
    }
    replan = client.post(f"/plans/{plan_id}/urgent", json=urgent, headers=ADMIN).json()["plan_id"]
    assert wait_job(client, replan)["status"] == "done"
    arta_plan = client.post(
        "/plans", json={"date": DAY, "time_limit_s": 1, "directorates": [ARTA]}, headers=ADMIN
    ).json()["plan_id"]
    assert wait_job(client, arta_plan)["status"] == "done"
    key_ids = {k["name"]: k["key_id"] for k in client.get("/keys", headers=ADMIN).json()}
    absences = {}
    for technician in ("PA-TECH-1", PARTNER_B_TECHNICIAN):  # after the plans' days: they change no plan
        made = client.post(
            "/absences", json={"technician_id": technician, "from": "2026-12-01"}, headers=ADMIN
        )
        absences[technician] = made.json()["absence_id"]
    closures = [
        client.post("/closures", json={"school_id": s, "from_date": "2026-12-01"}, headers=ADMIN).json()[
            "closure_id"
        ]
        for s in ("S1", "S3")
    ]
    return {
        "absences": absences,
        "closures": closures,
        "keys": keys,
        "plans": [plan_id, replan, arta_plan],
        "key_ids": [key_ids[f"partner {PARTNER_A}"], key_ids[f"partner {PARTNER_B}"]],
        "by_technician": by_technician,
    }


def _values(name: str, world: dict[str, Any]) -> list[str]:
    values: dict[str, list[str]] = {
        "plan_id": world["plans"],
        "technician_id": ["PA-TECH-1", PARTNER_B_TECHNICIAN, "T1"],
        "base_id": ["PA-BASE", PARTNER_B_BASE, "KPN-IOA"],
        "school_id": ["S1", "S3"],
        "ticket_id": ["K1", "K3", "K4"],
        "region_id": ["dpe-ioanninon", "dpe-artas"],
        "key_id": world["key_ids"],
        "absence_id": list(world["absences"].values()),
        "closure_id": world["closures"],
        "day": [DAY],
        "token_id": ["none"],
        "month": [DAY[:7]],
        "line_id": ["none"],
        "campaign_id": ["none"],
        "estimate_id": ["none"],
    }
    return values[name]


def _calls(app: FastAPI, world: dict[str, Any], me: str) -> list[tuple[str, str, str, bool]]:
    """(method, route path, concrete path, aims at the other partner's data)."""
    other_ids = {OWN["B" if me == "A" else "A"]["technician"], OWN["B" if me == "A" else "A"]["base"]}
    other_ids.add(world["absences"][OWN["B" if me == "A" else "A"]["technician"]])
    other_key = world["key_ids"][1 if me == "A" else 0]
    calls = []
    for method, path in api_routes(app):
        names = re.findall(r"{(\w+)}", path)
        for combo in itertools.product(*[_values(n, world) for n in names]):
            concrete = path
            for name, value in zip(names, combo, strict=True):
                concrete = concrete.replace("{" + name + "}", value)
            aims_other = any(v in other_ids or v == other_key for v in combo)
            calls.append((method, path, concrete, aims_other))
    return calls


def _request(
    client: TestClient,
    method: str,
    path: str,
    concrete: str,
    key: dict[str, str],
    bodies: dict[tuple[str, str], Any],
) -> Any:
    if path == "/import/file":
        files = {"files": ("tiny.json", json.dumps(tiny_problem()).encode())}
        return client.request(method, concrete, files=files, headers=key)
    body = bodies.get((method, path))
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = {}
    return client.request(method, concrete, json=body, headers=key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _assert_clean(response: Any, other: str, where: str, supplied: list[str]) -> None:
    text = response.content.decode("utf-8", errors="replace")
    if response.status_code >= 400:
        # An error may name what the caller sent; that tells the caller nothing new.
        for value in sorted(supplied, key=len, reverse=True):
            text = text.replace(value, "")
    for marker in MARKERS[other]:
        assert marker not in text, f"{where} answered {response.status_code} with '{marker}': {text[:500]}"


def test_a_partner_never_reads_or_changes_another_partners_data(
    client: TestClient, world: dict[str, Any]
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    routes = api_routes(app)
    assert len(routes) > 40
    for me, other in (("A", "B"), ("B", "A")):
        key = world["keys"][me]
        bodies = _bodies(OWN[me]["technician"], OWN[other])
        calls = _calls(app, world, me)
        before = [
            client.get(f"/technicians/{OWN[other]['technician']}", headers=ADMIN).json(),
            client.get(f"/bases/{OWN[other]['base']}", headers=ADMIN).json(),
        ]
        covered = {(m, p) for m, p, _, _ in calls}
        assert covered == set(routes)
        # Reads first, then writes (a partner may change and remove its own data).
        for method, path, concrete, aims_other in sorted(calls, key=lambda c: c[0] != "GET"):
            response = _request(client, method, path, concrete, key, bodies)
            where = f"partner {me}: {method} {concrete}"
            assert response.status_code < 500, f"{where}: {response.text}"
            segments = concrete.split("/")
            supplied = [
                *segments,
                *(p.rsplit(".", 1)[0] for p in segments),
                *_strings(bodies.get((method, path))),
            ]
            _assert_clean(response, other, where, supplied)
            if aims_other:
                assert response.status_code >= 400, f"{where} succeeded: {response.text[:300]}"
        # The other partner's data is as it was.
        after = [
            client.get(f"/technicians/{OWN[other]['technician']}", headers=ADMIN).json(),
            client.get(f"/bases/{OWN[other]['base']}", headers=ADMIN).json(),
        ]
        assert after == before
        if me == "A":
            assert after[0]["cost_per_km"] == PARTNER_B_COST


def test_what_each_partner_sees(client: TestClient, world: dict[str, Any]) -> None:
    a, b = world["keys"]["A"], world["keys"]["B"]
    assert [t["technician_id"] for t in client.get("/technicians", headers=a).json()] == ["PA-TECH-1"]
    assert [t["base_id"] for t in client.get("/bases", headers=b).json()] == [PARTNER_B_BASE]
    assert {s["school_id"] for s in client.get("/schools", headers=a).json()} == {"S1", "S2"}
    assert client.get("/tickets/K3", headers=a).json()["locked_technician_id"] is None
    assert client.get("/tickets/K3", headers=b).json()["locked_technician_id"] == PARTNER_B_TECHNICIAN
    plan_id = world["plans"][0]
    seen = {r["technician_id"] for r in client.get(f"/plans/{plan_id}", headers=a).json()["routes"]}
    assert seen == {"PA-TECH-1"}
    assert client.get(f"/plans/{world['plans'][2]}", headers=a).status_code == 404  # Arta is not partner A's
    assert client.get(f"/plans/{plan_id}/problem", headers=a).status_code == 403
    own = client.patch("/technicians/PA-TECH-1", json={"cost_per_km": 0.3}, headers=a)
    assert own.status_code == 200 and own.json()["cost_per_km"] == 0.3
    assert client.patch("/technicians/PA-TECH-1", json={"employer": PARTNER_B}, headers=a).status_code == 403
    assert client.post("/plans", json={"date": DAY}, headers=a).status_code == 403


# --- masking relies on what the caller sees, not on what it is known not to see ----------------


def _solve(client: TestClient, body: dict[str, Any]) -> str:
    response = client.post("/plans", json={"date": DAY, "time_limit_s": 1, **body}, headers=ADMIN)
    assert response.status_code == 202, response.text
    plan_id: str = response.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    return plan_id


def test_reasons_mask_a_technician_the_caller_does_not_see_even_without_a_route(
    client: TestClient,
) -> None:
    """K3 is locked to partner B's technician, who is not in the plan: its reason names them."""
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    lock = {"technician_id": PARTNER_B_TECHNICIAN}
    assert client.put("/tickets/K3/lock", json=lock, headers=ADMIN).status_code == 200
    plan_id = _solve(client, {"directorates": [IOANNINA], "technician_ids": ["T1", "PA-TECH-1"]})
    [reason] = [u["reason"] for u in client.get(f"/plans/{plan_id}", headers=ADMIN).json()["unassigned"]]
    assert PARTNER_B_TECHNICIAN in reason  # the admin reads it as it is
    partner_a = make_key(client, "partner", [IOANNINA], PARTNER_A)
    dispatcher = make_key(client, "dispatcher", [IOANNINA])  # sees T1 and PA-TECH-1: every route
    for key in (partner_a, dispatcher):
        plan = client.get(f"/plans/{plan_id}", headers=key).json()
        [item] = plan["unassigned"]
        assert item["ticket_id"] == "K3" and "***" in item["reason"]
        texts = [json.dumps(plan, ensure_ascii=False)]
        for export in ("plan.csv", "plan.geojson"):
            response = client.get(f"/plans/{plan_id}/{export}", headers=key)
            assert response.status_code == 200 and "***" in response.text
            texts.append(response.text)
        assert all(PARTNER_B_TECHNICIAN not in text for text in texts)
    # Partner B sees its own technician named.
    partner_b = make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B)
    [item] = client.get(f"/plans/{plan_id}", headers=partner_b).json()["unassigned"]
    assert PARTNER_B_TECHNICIAN in item["reason"]


def test_job_messages_and_snapshots_mask_a_technician_removed_since(
    client: TestClient, world: dict[str, Any]
) -> None:
    """A re-planning's notes name the started visit's technician; they stay masked once removed."""
    replan = world["plans"][1]
    assert PARTNER_B_TECHNICIAN in client.get(f"/plans/{replan}/job", headers=ADMIN).json()["message"]
    assert client.delete("/tickets/K3/lock", headers=ADMIN).status_code == 200
    removed = client.delete(f"/technicians/{PARTNER_B_TECHNICIAN}", headers=ADMIN)
    assert removed.status_code == 204, removed.text
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    for key in (world["keys"]["A"], dispatcher):
        job = client.get(f"/plans/{replan}/job", headers=key).json()
        assert "***" in job["message"] and PARTNER_B_TECHNICIAN not in job["message"]
        listed = client.get("/plans", headers=key).text
        assert replan in listed and PARTNER_B_TECHNICIAN not in listed
    # The dispatcher's copy of the snapshot: only the technicians it sees, the rest masked.
    problem = client.get(f"/plans/{replan}/problem", headers=dispatcher)
    assert problem.status_code == 200
    assert {t["technician_id"] for t in problem.json()["technicians"]} == {"T1", "PA-TECH-1"}
    for marker in (PARTNER_B_TECHNICIAN, PARTNER_B_BASE, "T3", str(PARTNER_B_COST)):
        assert f'"{marker}' not in problem.text and f" {marker}" not in problem.text
    full = client.get(f"/plans/{replan}/problem", headers=ADMIN).json()
    assert PARTNER_B_TECHNICIAN in {t["technician_id"] for t in full["technicians"]}


def test_a_dispatcher_cannot_move_a_visit_of_a_technician_it_does_not_see(
    client: TestClient, world: dict[str, Any]
) -> None:
    """Partner B's technician starts from an Arta base: the Ioannina dispatcher does not see them."""
    plan_id = world["plans"][0]
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    visits = client.get(f"/plans/{plan_id}/visits", headers=dispatcher).json()
    assert "K3" not in {v["ticket_id"] for v in visits}
    for move in ("start", "done", "not-solved"):
        response = client.post(f"/plans/{plan_id}/visits/K3/{move}", headers=dispatcher)
        assert response.status_code == 404, response.text
        assert PARTNER_B_TECHNICIAN not in response.text
    states = {
        v["ticket_id"]: v["state"] for v in client.get(f"/plans/{plan_id}/visits", headers=ADMIN).json()
    }
    assert states["K3"] == "started"  # as the admin left it


def test_a_partner_does_not_read_a_base_by_attaching_a_technician_to_it(client: TestClient) -> None:
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    partner_a = make_key(client, "partner", [IOANNINA], PARTNER_A)
    partner_b = make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B)
    # Partner B's technician now starts from partner A's base (in a Directorate both work in).
    moved = client.patch(f"/technicians/{PARTNER_B_TECHNICIAN}", json={"base_id": "PA-BASE"}, headers=ADMIN)
    assert moved.status_code == 200, moved.text
    assert client.get("/bases/PA-BASE", headers=partner_b).status_code == 404
    assert "PA-BASE" not in {b["base_id"] for b in client.get("/bases", headers=partner_b).json()}
    # A public base its technician starts from is readable, within the partner's Directorates only.
    for base_id, readable in (("KPN-IOA", True), ("KPN-ART", False)):
        response = client.patch("/technicians/PA-TECH-1", json={"base_id": base_id}, headers=ADMIN)
        assert response.status_code == 200, response.text
        assert client.get(f"/bases/{base_id}", headers=partner_a).status_code == (200 if readable else 404)
        listed = [b["base_id"] for b in client.get("/bases", headers=partner_a).json()]
        assert listed == ([base_id] if readable else [])


def test_a_partner_cannot_attach_a_technician_to_a_base_it_does_not_see(client: TestClient) -> None:
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    partner_b = make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B)
    moved = client.patch(
        f"/technicians/{PARTNER_B_TECHNICIAN}", json={"base_id": "PA-BASE"}, headers=partner_b
    )
    new = {
        "technician_id": "PB-NEW",
        "name": "x",
        "base_id": "PA-BASE",
        "skills": ["windows"],
        "employer": PARTNER_B,
    }
    created = client.post("/technicians", json=new, headers=partner_b)
    assert moved.status_code in (403, 404, 422) and created.status_code in (403, 404, 422)
    assert (
        client.get(f"/technicians/{PARTNER_B_TECHNICIAN}", headers=ADMIN).json()["base_id"] == PARTNER_B_BASE
    )


def test_a_ticket_written_by_a_dispatcher_does_not_show_a_lock_to_a_technician_it_does_not_see(
    client: TestClient,
) -> None:
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    lock = {"technician_id": PARTNER_B_TECHNICIAN}
    assert client.put("/tickets/K3/lock", json=lock, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    assert client.get("/tickets/K3", headers=dispatcher).json()["locked_technician_id"] is None
    patched = client.patch("/tickets/K3", json={"priority": "low"}, headers=dispatcher)
    assert patched.status_code == 200
    assert patched.json()["locked_technician_id"] is None and PARTNER_B_TECHNICIAN not in patched.text
