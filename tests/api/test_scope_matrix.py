"""The scoping matrix: every endpoint, every scoped role, aimed at data out of its scope.

Every route of the application must have an entry in :data:`MATRIX` (a new endpoint
without one fails :func:`test_every_route_has_a_matrix_entry`).  Each entry makes the
requests a role should not get anywhere with: reads and writes of the other
Directorate's or the other partner's objects, imports included, and reads in scope
whose answers must not carry anything out of scope.  The roles: the dispatcher of
Ioannina, partner A (Ioannina), partner B (Ioannina and Arta) and the planner; the
admin is the control (every object aimed at exists, every create request is one the
admin may make).

Expected: no success out of scope (a read answers 404, or 403 where the role may not
use the endpoint; a write answers 403 or 404), no server error, no answer naming
anything out of the caller's scope, and after each write attempt an admin read
shows nothing changed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dromologio.api.main import create_app

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
    POSTGRES_ENV,
    _postgres_database,
    make_key,
    make_settings,
    tiny_problem,
    wait_for,
    wait_job,
)
from .test_scoping import api_routes

DAY = "2026-11-23"
#: the day of the world's absences and closures (after the plans' day: they change no plan)
AWAY = "2026-12-01"
PB_TECH = PARTNER_B_TECHNICIAN
ROLES = ("dispatcher", "partner_a", "partner_b", "planner")

# --- the world ---------------------------------------------------------------------------


@dataclass
class World:
    """A tiny problem of two Directorates, keys per role and two solved plans."""

    client: TestClient
    keys: dict[str, dict[str, str]]
    plans: dict[str, str]
    victim_key: str
    #: plan name -> technician -> tickets visited
    visits: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: technician -> the id of its absence; school -> the id of its closure (on AWAY, not the plans' day)
    absences: dict[str, str] = field(default_factory=dict)
    closures: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.db'}"])
    else:
        base = os.environ.get(POSTGRES_ENV)
        if not base:
            pytest.skip(f"{POSTGRES_ENV} is not set")
        urls = _postgres_database(base)
    url = next(urls)
    try:
        with TestClient(create_app(make_settings(url)), raise_server_exceptions=False) as client:
            yield _build_world(client)
    finally:
        for _ in urls:  # drops the PostgreSQL database
            pass


def _build_world(client: TestClient) -> World:
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    keys = {
        "dispatcher": make_key(client, "dispatcher", [IOANNINA]),
        "partner_a": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "partner_b": make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B),
        "planner": make_key(client, "planner"),
    }
    victim = client.post("/keys", json={"name": "victim", "role": "admin"}, headers=ADMIN).json()["key_id"]
    # An Ioannina ticket locked to partner B's technician, who starts from an Arta base:
    # neither the Ioannina dispatcher nor partner A may learn who.
    lock = client.put("/tickets/K3/lock", json={"technician_id": PB_TECH}, headers=ADMIN)
    assert lock.status_code == 200, lock.text
    everyone = ["T1", "PA-TECH-1", "T3", PB_TECH]
    bodies = {
        "ioannina": {"directorates": [IOANNINA], "technician_ids": everyone},
        "arta": {"directorates": [ARTA]},
    }
    plans = {}
    for name, body in bodies.items():
        response = client.post(
            "/plans", json={"date": DAY, "time_limit_s": 1, "force": True, **body}, headers=ADMIN
        )
        assert response.status_code == 202, response.text
        plans[name] = response.json()["plan_id"]
    world = World(client, keys, plans, victim)
    for name, plan_id in plans.items():
        assert wait_job(client, plan_id)["status"] == "done"
        plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
        world.visits[name] = {
            r["technician_id"]: [t for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]]
            for r in plan["routes"]
        }
    assert world.visits["ioannina"][PB_TECH] == ["K3"]
    for technician in ("T1", "PA-TECH-1", "T3", PB_TECH):
        absence = {"technician_id": technician, "from": AWAY, "kind": "sick", "note": "x"}
        made = client.post("/absences", json=absence, headers=ADMIN)
        assert made.status_code == 201, made.text
        world.absences[technician] = made.json()["absence_id"]
    for school in ("S1", "S3"):
        made = client.post("/closures", json={"school_id": school, "from_date": AWAY}, headers=ADMIN)
        assert made.status_code == 201, made.text
        world.closures[school] = made.json()["closure_id"]
    return world


# --- what is out of each role's scope ----------------------------------------------------

#: Strings no answer to the role may carry (ids match as whole words).
MARKERS: dict[str, tuple[str, ...]] = {
    "dispatcher": (
        *("S3", "S4", "K4", "K5", "KPN-ART", PARTNER_B_BASE, "T3", PB_TECH, "dpe-artas"),
        *("1ο Δημοτικό Άρτας", "2ο Δημοτικό Άρτας", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας", "Πανεπιστήμιο Ηπείρου Άρτα"),
        *("Νίκος Ζώης", "Σπύρος Κώτσης", PARTNER_B, str(PARTNER_B_COST), ARTA),
    ),
    "partner_a": (
        *("S3", "S4", "K4", "K5", "KPN-ART", PARTNER_B_BASE, "T3", PB_TECH, "dpe-artas", "T1", "KPN-IOA"),
        *("1ο Δημοτικό Άρτας", "2ο Δημοτικό Άρτας", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας", "Πανεπιστήμιο Ηπείρου Άρτα"),
        *("Νίκος Ζώης", "Σπύρος Κώτσης", PARTNER_B, str(PARTNER_B_COST), ARTA),
        *("Ελένη Κίτσου", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"),
    ),
    "partner_b": (
        *("PA-TECH-1", "PA-BASE", "T1", "T3", "KPN-IOA", "KPN-ART"),
        *("Κώστας Μπέλλος", "Πανεπιστημιούπολη Ιωαννίνων", PARTNER_A, str(PARTNER_A_COST)),
        *("Ελένη Κίτσου", "Νίκος Ζώης", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας"),
    ),
    "planner": (),
}


def _others_visits(world: World, plan: str, own: set[str]) -> list[str]:
    """The first visit of the plan by a technician not in ``own``."""
    found = [
        f"{plan}:{t}"
        for tech, tickets in sorted(world.visits[plan].items())
        if tech not in own
        for t in tickets
    ]
    return found[:1]


def targets(world: World, role: str, mode: str) -> dict[str, list[str]]:
    """Objects ``role`` may not read (``mode`` "read") or change ("write"), by kind.

    Plans are named ``ioannina``/``arta``; routes and visits are ``plan:technician`` and
    ``plan:ticket``.
    """
    if role == "dispatcher":
        seen = {"T1", "PA-TECH-1"}
        out = {
            "school": ["S3"],
            "ticket": ["K4"],
            "base": ["KPN-ART", PARTNER_B_BASE],
            "technician": ["T3", PB_TECH],
            "region": ["dpe-artas"],
            "key": [world.victim_key],
            "plan": ["arta"],
            "route": ["ioannina:T3", f"ioannina:{PB_TECH}", "arta:T3"],
            "visit": _others_visits(world, "ioannina", seen) + _others_visits(world, "arta", set()),
            "absence": ["T3", PB_TECH],
            "closure": ["S3"],
        }
        if mode == "write":
            out["region"] = ["dpe-ioanninon", "dpe-artas"]
        return out
    if role == "partner_a":
        own = {"PA-TECH-1"}
        if mode == "read":
            return {
                "school": ["S3"],
                "ticket": ["K4"],
                "base": ["KPN-ART", PARTNER_B_BASE, "KPN-IOA"],
                "technician": ["T3", PB_TECH, "T1"],
                "region": ["dpe-artas"],
                "key": [world.victim_key],
                "plan": ["arta"],
                "route": [f"ioannina:{PB_TECH}", "ioannina:T1", "ioannina:T3"],
                "visit": _others_visits(world, "ioannina", own) + _others_visits(world, "arta", set()),
                "absence": ["T1", "T3", PB_TECH],
                "closure": ["S3"],
            }
        return {
            "school": ["S1", "S3"],
            "ticket": ["K1", "K4"],
            "base": ["PA-BASE", PARTNER_B_BASE, "KPN-IOA"],
            "technician": [PB_TECH, "T1", "T3"],
            "region": ["dpe-ioanninon", "dpe-artas"],
            "key": [world.victim_key],
            "plan": ["ioannina", "arta"],
            "visit": _others_visits(world, "ioannina", set()) + _others_visits(world, "arta", set()),
            "absence": ["T1", "T3", PB_TECH],
            "closure": ["S1", "S3"],
        }
    if role == "partner_b":
        own = {PB_TECH}
        if mode == "read":
            return {
                "base": ["PA-BASE", "KPN-IOA", "KPN-ART"],
                "technician": ["PA-TECH-1", "T1", "T3"],
                "key": [world.victim_key],
                "route": ["ioannina:PA-TECH-1", "ioannina:T1", "arta:T3"],
                "visit": _others_visits(world, "ioannina", own) + _others_visits(world, "arta", own),
                "absence": ["PA-TECH-1", "T1", "T3"],
            }
        return {
            "school": ["S1", "S3"],
            "ticket": ["K1", "K4"],
            "base": [PARTNER_B_BASE, "PA-BASE"],
            "technician": ["PA-TECH-1", "T1", "T3"],
            "region": ["dpe-ioanninon", "dpe-artas"],
            "key": [world.victim_key],
            "plan": ["ioannina", "arta"],
            "visit": _others_visits(world, "ioannina", set()) + _others_visits(world, "arta", set()),
            "absence": ["PA-TECH-1", "T1", "T3"],
            "closure": ["S1", "S3"],
        }
    assert role == "planner"
    if mode == "read":
        return {"key": [world.victim_key]}
    return {
        "school": ["S1", "S3"],
        "ticket": ["K1", "K4"],
        "base": ["KPN-IOA", PARTNER_B_BASE],
        "technician": ["T1", PB_TECH],
        "region": ["dpe-ioanninon", "dpe-artas"],
        "key": [world.victim_key],
        "plan": ["ioannina", "arta"],
        "visit": _others_visits(world, "ioannina", set()) + _others_visits(world, "arta", set()),
        "absence": ["T1", PB_TECH],
        "closure": ["S1", "S3"],
    }


#: A technician of the role's own, and a Directorate it may not write in.
OWN_TECHNICIAN = {"dispatcher": "T1", "partner_a": "PA-TECH-1", "partner_b": PB_TECH, "planner": "T1"}
#: the employer a role's new technician is written for.
EMPLOYER = {
    "dispatcher": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
    "partner_a": PARTNER_A,
    "partner_b": PARTNER_B,
    "planner": "x",
}

# --- attempts ------------------------------------------------------------------------------

OUT_READ = frozenset({403, 404})
OUT_WRITE = frozenset({403, 404})
IN_SCOPE_READ = frozenset({200, 403})
#: an id in use answers 409 to everyone (the same whether the row is in scope or not)
TAKEN = frozenset({403, 404, 409})
FILES = "files"


@dataclass(frozen=True)
class Attempt:
    """One request of a role; ``write``: an admin read must show nothing changed after it."""

    method: str
    path: str
    body: Any = None
    expect: frozenset[int] = OUT_READ
    write: bool = False
    #: markers are not checked (public documents: the OpenAPI schema, its page)
    public: bool = False


@dataclass(frozen=True)
class Control:
    """An admin request that shows an attempt aims at something real."""

    method: str
    path: str
    body: Any = None
    expect: frozenset[int] = frozenset({200})
    #: a plan job it starts is waited for (so nothing changes in the background later)
    waits: bool = False


Build = Callable[[World, str], list[Attempt]]
Controls = Callable[[World], list[Control]]


@dataclass(frozen=True)
class Case:
    name: str
    attempts: Build
    controls: Controls = lambda world: []


def _split(world: World, ref: str) -> tuple[str, str]:
    plan, _, rest = ref.partition(":")
    return world.plans[plan], rest


READ_PATH = {
    "school": "/schools/{}",
    "ticket": "/tickets/{}",
    "base": "/bases/{}",
    "technician": "/technicians/{}",
    "region": "/regions/{}",
}


def _exists(world: World, kind: str, ref: str) -> Control:
    """An admin read that succeeds only if the object ``ref`` of ``kind`` exists."""
    if kind in READ_PATH:
        return Control("GET", READ_PATH[kind].format(ref))
    if kind == "plan":
        return Control("GET", f"/plans/{world.plans[ref]}/job")
    if kind == "route":
        plan_id, technician = _split(world, ref)
        return Control("GET", f"/plans/{plan_id}/routes/{technician}.ics")
    if kind == "key":
        return Control("GET", "/keys")  # the key is checked to be listed in test_matrix
    if kind == "absence":
        return Control("GET", f"/absences/{world.absences[ref]}")
    if kind == "closure":
        return Control("GET", f"/closures/{world.closures[ref]}")
    plan_id, _ = _split(world, ref)
    return Control("GET", f"/plans/{plan_id}/visits")


def _all_targets(world: World, kind: str, mode: str) -> list[str]:
    return sorted({t for role in ROLES for t in targets(world, role, mode).get(kind, [])})


def objects(
    kind: str,
    method: str,
    path: Callable[[World, str], str],
    body: Callable[[str, str], Any] | None = None,
    name: str = "",
) -> Case:
    """``method`` on each object of ``kind`` out of the role's scope (reads: GET; writes: the rest)."""
    mode = "read" if method == "GET" else "write"

    def build(world: World, role: str) -> list[Attempt]:
        return [
            Attempt(
                method,
                path(world, ref),
                None if body is None else body(role, ref),
                expect=OUT_READ if mode == "read" else OUT_WRITE,
                write=mode == "write",
            )
            for ref in targets(world, role, mode).get(kind, [])
        ]

    def controls(world: World) -> list[Control]:
        return [_exists(world, kind, ref) for ref in _all_targets(world, kind, mode)]

    return Case(name or f"{kind}s out of scope", build, controls)


def simple(path: str) -> Callable[[World, str], str]:
    return lambda world, ref: path.format(ref)


def plan_part(suffix: str) -> Callable[[World, str], str]:
    return lambda world, ref: f"/plans/{world.plans[ref]}{suffix}"


def route_part(suffix: str) -> Callable[[World, str], str]:
    def path(world: World, ref: str) -> str:
        plan_id, technician = _split(world, ref)
        return f"/plans/{plan_id}/routes/{technician}{suffix}"

    return path


def visit_part(move: str) -> Callable[[World, str], str]:
    def path(world: World, ref: str) -> str:
        plan_id, ticket = _split(world, ref)
        return f"/plans/{plan_id}/visits/{ticket}/{move}"

    return path


def reads_in_scope(*paths: str, roles: tuple[str, ...] = ROLES) -> Case:
    """Reads the role may make (or is refused outright): answers carry nothing out of scope."""

    def build(world: World, role: str) -> list[Attempt]:
        if role not in roles:
            return []
        out = []
        for path in paths:
            concrete = path.format(**{k: v for k, v in world.plans.items()})
            out.append(Attempt("GET", concrete, expect=IN_SCOPE_READ))
        return out

    def controls(world: World) -> list[Control]:
        return [Control("GET", p.format(**world.plans)) for p in paths]

    return Case("reads in scope: " + ", ".join(paths), build, controls)


#: any answer but a server error (public pages: the OpenAPI schema and its pages, the board's
#: static page, liveness; the data the board shows comes from the endpoints below, by key)
NOT_A_SERVER_ERROR = frozenset(range(200, 500))


def public(path: str) -> Case:
    def build(world: World, role: str) -> list[Attempt]:
        return [Attempt("GET", path, expect=NOT_A_SERVER_ERROR, public=True)]

    return Case("public", build, lambda world: [Control("GET", path, expect=NOT_A_SERVER_ERROR)])


def creates(path: str, body: Callable[[str], Any], name: str) -> Case:
    """A create the role may not make; the admin makes the same one (the control).

    ``body(role)`` gives each role (and the admin) an id of its own.
    """

    def build(world: World, role: str) -> list[Attempt]:
        return [Attempt("POST", path, body(role), expect=OUT_WRITE, write=True)]

    def controls(world: World) -> list[Control]:
        return [Control("POST", path, body("admin"), expect=frozenset({201}))]

    return Case(name, build, controls)


def school_body(role: str, school_id: str = "") -> dict[str, Any]:
    school_id = school_id or f"S-{role}"
    return {"school_id": school_id, "name": "x", "lat": 39.2, "lon": 20.9, "directorate": ARTA}


def ticket_body(ticket_id: str, school_id: str) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "school_id": school_id,
        "opened_at": "2026-11-22T09:00",
        "category": "x",
        "skill": "network",
        "service_minutes": 30,
    }


def technician_body(role: str, base_id: str, technician_id: str = "") -> dict[str, Any]:
    return {
        "technician_id": technician_id or f"X-{role}",
        "name": "x",
        "base_id": base_id,
        "skills": ["windows", "network", "hardware"],
        "employer": EMPLOYER.get(role, "x"),
    }


#: a base the role may not put a technician on: another Directorate's, or another partner's
OUT_BASE = {
    "dispatcher": "KPN-ART",
    "partner_a": PARTNER_B_BASE,
    "partner_b": "PA-BASE",
    "planner": "KPN-ART",
}


def _patch_technician_base(world: World, role: str) -> list[Attempt]:
    """The role's own technician moved onto a base it does not see."""
    body = {"base_id": OUT_BASE[role]}
    return [Attempt("PATCH", f"/technicians/{OWN_TECHNICIAN[role]}", body, expect=OUT_WRITE, write=True)]


def _create_technician_elsewhere(world: World, role: str) -> list[Attempt]:
    """A technician of its own on a base of Arta (partner B works in Arta: nothing to try)."""
    if role == "partner_b":
        return []
    return [Attempt("POST", "/technicians", technician_body(role, "KPN-ART"), OUT_WRITE, write=True)]


def _technician_control(world: World) -> list[Control]:
    return [Control("POST", "/technicians", technician_body("admin", "KPN-ART"), frozenset({201}))]


def _create_technician_on(world: World, role: str) -> list[Attempt]:
    body = technician_body(role, OUT_BASE[role], f"Y-{role}")
    return [Attempt("POST", "/technicians", body, expect=OUT_WRITE, write=True)]


def _patch_locked_ticket(world: World, role: str) -> list[Attempt]:
    """K3 (Ioannina) is locked to partner B's technician: a write of it must not tell who."""
    expect = frozenset({200}) if role == "dispatcher" else OUT_WRITE
    return [
        Attempt("PATCH", "/tickets/K3", {"priority": "normal"}, expect=expect, write=role != "dispatcher")
    ]


def _lock_to_own(world: World, role: str) -> list[Attempt]:
    return [
        Attempt("PUT", f"/tickets/{t}/lock", {"technician_id": OWN_TECHNICIAN[role]}, OUT_WRITE, write=True)
        for t in targets(world, role, "write")["ticket"]
    ]


def _lock_to_unseen(world: World, role: str) -> list[Attempt]:
    """An in-scope ticket locked to a technician the role does not see."""
    if role != "dispatcher":
        return []
    return [Attempt("PUT", "/tickets/K1/lock", {"technician_id": "T3"}, OUT_WRITE, write=True)]


def _plan_out_of_scope(world: World, role: str) -> list[Attempt]:
    bodies: list[dict[str, Any]] = []
    if role == "planner":
        return []  # a planner plans everything (scenarios only)
    bodies.append({"directorates": [ARTA]})
    if role == "dispatcher":
        bodies.append({"directorates": [IOANNINA], "technician_ids": ["T1", "T3"]})
    else:
        bodies.append({"directorates": [IOANNINA]})
    return [
        Attempt("POST", "/plans", {"date": DAY, "time_limit_s": 1, **b}, OUT_WRITE, write=True)
        for b in bodies
    ]


def _urgent(world: World, role: str) -> list[Attempt]:
    plans = targets(world, role, "write").get("plan", ["arta"])
    if role == "dispatcher":
        plans = ["arta"]
    out = []
    for plan in plans:
        school = "S3" if plan == "arta" else "S1"
        body = {"ticket": ticket_body(f"K-URG-{role}", school), "time_limit_s": 1}
        out.append(Attempt("POST", f"/plans/{world.plans[plan]}/urgent", body, OUT_WRITE, write=True))
    return out


def _urgent_control(world: World) -> list[Control]:
    body = {"ticket": ticket_body("K-URG-admin", "S3"), "time_limit_s": 1}
    return [Control("POST", f"/plans/{world.plans['arta']}/urgent", body, frozenset({202}), waits=True)]


# --- the plan lifecycle and calendar feeds ----------------------------------------------------


def _day_plan(world: World, role: str) -> list[Attempt]:
    """The day's plan of a Directorate (none is published here: 404, never a plan out of scope)."""
    expect = frozenset({200, 403, 404, 409})
    return [Attempt("GET", f"/days/{DAY}/plan?directorate={d}", expect=expect) for d in (IOANNINA, ARTA)]


def _day_plan_control(world: World) -> list[Control]:
    return [Control("GET", f"/days/{DAY}/plan?directorate={ARTA}", expect=frozenset({200, 404}))]


def _feed(world: World, role: str) -> list[Attempt]:
    """A feed read with the role's key and a wrong token: the key opens nothing."""
    return [Attempt("GET", f"/feeds/{t}.ics?token=wrong", expect=frozenset({404})) for t in ("T1", "T3")]


def _feed_control(world: World) -> list[Control]:
    return [Control("GET", "/feeds/T3.ics?token=wrong", expect=frozenset({404}))]


def _service_report_elsewhere(world: World, role: str) -> list[Attempt]:
    """Arta's report for a key of Ioannina only; another partner body's report for a partner."""
    attempts = []
    if role in ("dispatcher", "partner_a"):
        attempts.append(Attempt("GET", f"/reports/service?month=2026-11&directorate={ARTA}"))
    if role == "partner_a":
        attempts.append(Attempt("GET", f"/reports/service?month=2026-11&employer={PARTNER_B}"))
    if role == "partner_b":
        attempts.append(
            Attempt("GET", f"/reports/service?month=2026-11&directorate={ARTA}&employer={PARTNER_A}")
        )
    return attempts


# --- availability: absences and closures -------------------------------------------------------

#: a technician whose absence the role may not record: another Directorate's, or another employer's
OUT_ABSENT = {"dispatcher": "T3", "partner_a": "T1", "partner_b": "PA-TECH-1", "planner": "T1"}


def absence_path(world: World, ref: str) -> str:
    return f"/absences/{world.absences[ref]}"


def closure_path(world: World, ref: str) -> str:
    return f"/closures/{world.closures[ref]}"


def _absence_elsewhere(world: World, role: str) -> list[Attempt]:
    body = {"technician_id": OUT_ABSENT[role], "from": AWAY, "kind": "leave"}
    return [Attempt("POST", "/absences", body, OUT_WRITE, write=True)]


def _absence_control(world: World) -> list[Control]:
    body = {"technician_id": "T3", "from": AWAY, "kind": "leave"}
    return [Control("POST", "/absences", body, frozenset({201}))]


def _closure_elsewhere(world: World, role: str) -> list[Attempt]:
    """A school the role may not close (Arta's; for a partner or a planner, any), and an area (the admin's)."""
    school = "S3" if role == "dispatcher" else "S1"
    bodies = [{"school_id": school, "from_date": AWAY}, {"terrain": "mountainous", "from_date": AWAY}]
    return [Attempt("POST", "/closures", body, OUT_WRITE, write=True) for body in bodies]


def _closure_control(world: World) -> list[Control]:
    return [
        Control("POST", "/closures", {"school_id": "S3", "from_date": AWAY}, frozenset({201})),
        Control("POST", "/closures", {"island": "Νάξος", "from_date": AWAY}, frozenset({201})),
    ]


# --- imports ----------------------------------------------------------------------------------


def _rows(table: str, *ids: str) -> list[dict[str, Any]]:
    key = {"schools": "school_id", "bases": "base_id", "technicians": "technician_id", "tickets": "ticket_id"}
    return [dict(r) for r in tiny_problem()[table] if r[key[table]] in ids]


def _ioannina(**more: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole document of Ioannina rows as stored, with ``more`` rows added to its tables."""
    document: dict[str, Any] = {
        "name": "ioannina",
        "schools": _rows("schools", "S1", "S2"),
        "bases": _rows("bases", "KPN-IOA", "PA-BASE"),
        "technicians": _rows("technicians", "T1", "PA-TECH-1"),
        "tickets": _rows("tickets", "K1"),
    }
    for table, rows in more.items():
        document[table] = document[table] + rows
    return document


def import_documents() -> dict[str, dict[str, Any]]:
    """Documents a dispatcher of Ioannina must not import: each changes a row of Arta."""
    school = _rows("schools", "S3")
    school[0]["directorate"] = IOANNINA
    base = _rows("bases", PARTNER_B_BASE)
    base[0]["directorate"] = IOANNINA
    technician = _rows("technicians", "T3")
    technician[0]["base_id"] = "KPN-IOA"
    ticket = _rows("tickets", "K4")
    ticket[0]["school_id"] = "S1"
    return {
        "an Arta school moved into Ioannina": _ioannina(schools=school),
        "an Arta base moved into Ioannina": _ioannina(bases=base),
        "an Arta technician moved onto an Ioannina base": _ioannina(technicians=technician),
        "an Arta ticket moved to an Ioannina school": _ioannina(tickets=ticket),
        "the whole problem, Arta included": tiny_problem(),
    }


def imports(name: str, document: dict[str, Any], *, upload: bool) -> Case:
    def build(world: World, role: str) -> list[Attempt]:
        if upload:
            return [Attempt("POST", "/import/file", FILES + json.dumps(document), OUT_WRITE, write=True)]
        return [Attempt("POST", "/import", document, OUT_WRITE, write=True)]

    return Case(name, build)


# --- costs, budget lines and forms ---------------------------------------------------------------

KEPLINET_IOANNINA = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"
KEPLINET_ARTA = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας"
#: the employer whose budget and costs each role reads ...
OWN_EMPLOYER = {
    "dispatcher": KEPLINET_IOANNINA,
    "partner_a": PARTNER_A,
    "partner_b": PARTNER_B,
    "planner": PARTNER_B,
    "admin": PARTNER_B,
}
#: ... and those it may not read (a dispatcher: employers with no technician on its bases).
OTHER_EMPLOYERS = {
    "dispatcher": [PARTNER_B, KEPLINET_ARTA],
    "partner_a": [PARTNER_B, KEPLINET_IOANNINA],
    "partner_b": [PARTNER_A, KEPLINET_ARTA],
    "planner": [],
}
#: budget lines each role may not change (read or not)
UNWRITABLE_LINES = {
    "dispatcher": [PARTNER_A, PARTNER_B],
    "partner_a": [PARTNER_B, KEPLINET_IOANNINA],
    "partner_b": [PARTNER_A],
    "planner": [PARTNER_A, PARTNER_B],
}
_BUDGET_LINES: dict[int, dict[str, str]] = {}


def budget_lines(world: World) -> dict[str, str]:
    """One budget line per employer of the world (made once, by the admin): employer -> line id."""
    made = _BUDGET_LINES.get(id(world))
    if made is None:
        made = {}
        for employer in (PARTNER_A, PARTNER_B, KEPLINET_IOANNINA, KEPLINET_ARTA):
            body = {"employer": employer, "year": 2026, "month": 11, "amount_eur": 100.0}
            response = world.client.post("/budgets", json=body, headers=ADMIN)
            assert response.status_code == 201, response.text
            made[employer] = response.json()["line_id"]
        _BUDGET_LINES[id(world)] = made
    return made


def employers_out_of_scope(path: str) -> Case:
    """``path`` (with ``{}`` for the employer) asked about employers the role may not read."""

    def build(world: World, role: str) -> list[Attempt]:
        return [Attempt("GET", path.format(e)) for e in OTHER_EMPLOYERS[role]]

    def controls(world: World) -> list[Control]:
        every = sorted({e for employers in OTHER_EMPLOYERS.values() for e in employers})
        return [Control("GET", path.format(e)) for e in every]

    return Case("employers out of scope", build, controls)


def own_employer(path: str) -> Case:
    """``path`` asked about the role's own employer: the answer carries nothing out of scope."""

    def build(world: World, role: str) -> list[Attempt]:
        budget_lines(world)
        return [Attempt("GET", path.format(OWN_EMPLOYER[role]), expect=IN_SCOPE_READ)]

    def controls(world: World) -> list[Control]:
        return [Control("GET", path.format(OWN_EMPLOYER["admin"]))]

    return Case("its own employer", build, controls)


def budget_lines_in_scope(path: str) -> Case:
    def build(world: World, role: str) -> list[Attempt]:
        budget_lines(world)
        return [Attempt("GET", path, expect=IN_SCOPE_READ)]

    return Case("reads in scope: " + path, build, lambda world: [Control("GET", path)])


def lines_out_of_scope(method: str, body: Any = None) -> Case:
    """``method`` on the budget lines the role may not change (GET: may not read)."""
    reading = method == "GET"

    def targets_of(role: str) -> list[str]:
        return OTHER_EMPLOYERS[role] if reading else UNWRITABLE_LINES[role]

    def build(world: World, role: str) -> list[Attempt]:
        lines = budget_lines(world)
        return [
            Attempt(method, f"/budgets/{lines[e]}", body, expect=OUT_WRITE, write=not reading)
            for e in targets_of(role)
        ]

    def controls(world: World) -> list[Control]:
        lines = budget_lines(world)
        every = sorted({e for role in ROLES for e in targets_of(role)})
        return [Control("GET", f"/budgets/{lines[e]}") for e in every]

    return Case("budget lines out of scope", build, controls)


def _budget_elsewhere(world: World, role: str) -> list[Attempt]:
    return [
        Attempt("POST", "/budgets", {"employer": e, "year": 2026, "amount_eur": 1.0}, OUT_WRITE, True)
        for e in UNWRITABLE_LINES[role]
    ]


def costs_of_plan(world: World, ref: str) -> str:
    return f"/costs/plans/{world.plans[ref]}?by=technician"


#: a campaign of the Arta schools, posted by the admin once per world (the campaigns' reads aim at it)
_ARTA_CAMPAIGNS: dict[int, str] = {}
CAMPAIGN = {"start": DAY, "end": DAY, "skill": "network", "time_limit_s": 1}


def _arta_campaign(world: World) -> str:
    if id(world) not in _ARTA_CAMPAIGNS:
        posted = world.client.post("/campaigns", json={**CAMPAIGN, "school_ids": ["S3", "S4"]}, headers=ADMIN)
        assert posted.status_code == 202, posted.text
        campaign_id = posted.json()["campaign_id"]
        wait_for(
            lambda: world.client.get(f"/campaigns/{campaign_id}", headers=ADMIN).json(),
            until=lambda job: job.get("status") in ("done", "failed"),
        )
        _ARTA_CAMPAIGNS[id(world)] = campaign_id
    return _ARTA_CAMPAIGNS[id(world)]


def _campaign_out_of_scope(world: World, role: str) -> list[Attempt]:
    if role == "planner":
        return []  # a planner plans campaigns anywhere
    bodies: list[dict[str, Any]] = [{"school_ids": ["S3"]}]
    bodies.append(
        {"school_ids": ["S1"], "team_ids": ["T1", "T3"]} if role == "dispatcher" else {"school_ids": ["S1"]}
    )
    return [Attempt("POST", "/campaigns", {**CAMPAIGN, **b}, OUT_WRITE, write=True) for b in bodies]


def _campaign_reads(suffix: str) -> Case:
    """The admin's Arta campaign: not found for the Ioannina dispatcher, refused to partners."""

    def build(world: World, role: str) -> list[Attempt]:
        campaign_id = _arta_campaign(world)
        return [] if role == "planner" else [Attempt("GET", f"/campaigns/{campaign_id}{suffix}")]

    def controls(world: World) -> list[Control]:
        return [Control("GET", f"/campaigns/{_arta_campaign(world)}{suffix}")]

    return Case("a campaign of another Directorate", build, controls)


def _campaign_list(world: World, role: str) -> list[Attempt]:
    _arta_campaign(world)
    return [Attempt("GET", "/campaigns", expect=IN_SCOPE_READ)]


#: an estimate over everything, posted by the admin once per world (the estimates' reads aim at it)
_ADMIN_ESTIMATES: dict[int, str] = {}
ESTIMATE = {"start": "2026-11-18", "end": "2026-11-20", "time_limit_s": 0.3}


def _admin_estimate(world: World) -> str:
    if id(world) not in _ADMIN_ESTIMATES:
        posted = world.client.post("/estimates", json=ESTIMATE, headers=ADMIN)
        assert posted.status_code == 202, posted.text
        estimate_id = posted.json()["estimate_id"]
        wait_for(
            lambda: world.client.get(f"/estimates/{estimate_id}", headers=ADMIN).json(),
            until=lambda job: job.get("status") in ("done", "failed"),
        )
        _ADMIN_ESTIMATES[id(world)] = estimate_id
    return _ADMIN_ESTIMATES[id(world)]


def _estimate_own_scope(world: World, role: str) -> list[Attempt]:
    """Every role may estimate its own scope: the job it gets names nothing out of it."""
    return [Attempt("POST", "/estimates", ESTIMATE, expect=frozenset({202}))]


def _estimate_reads(suffix: str) -> Case:
    """The admin's estimate over everything: not found for the dispatcher and the partners."""

    def build(world: World, role: str) -> list[Attempt]:
        estimate_id = _admin_estimate(world)
        return [] if role == "planner" else [Attempt("GET", f"/estimates/{estimate_id}{suffix}")]

    def controls(world: World) -> list[Control]:
        return [Control("GET", f"/estimates/{_admin_estimate(world)}{suffix}")]

    return Case("an estimate over everything", build, controls)


def _estimate_list(world: World, role: str) -> list[Attempt]:
    _admin_estimate(world)
    return [Attempt("GET", "/estimates", expect=IN_SCOPE_READ)]


def travel_order(suffix: str) -> Callable[[World, str], str]:
    def path(world: World, ref: str) -> str:
        plan_id, technician = _split(world, ref)
        return f"/forms/plans/{plan_id}/travel-orders/{technician}{suffix}"

    return path


# --- the matrix ---------------------------------------------------------------------------------

MATRIX: dict[tuple[str, str], list[Case]] = {
    ("GET", "/openapi.json"): [public("/openapi.json")],
    ("GET", "/docs"): [public("/docs")],
    ("GET", "/redoc"): [public("/redoc")],
    ("GET", "/"): [public("/")],
    ("GET", "/board"): [public("/board")],
    ("GET", "/board/"): [public("/board/")],
    ("GET", "/health"): [public("/health")],
    ("GET", "/me"): [reads_in_scope("/me")],
    ("POST", "/keys"): [
        creates("/keys", lambda role: {"name": f"x {role}", "role": "admin"}, "an admin key")
    ],
    ("GET", "/keys"): [reads_in_scope("/keys")],
    ("DELETE", "/keys/{key_id}"): [objects("key", "DELETE", simple("/keys/{}"))],
    ("GET", "/regions"): [reads_in_scope("/regions")],
    ("GET", "/regions/{region_id}"): [objects("region", "GET", simple("/regions/{}"))],
    ("POST", "/regions"): [creates("/regions", lambda role: {"name": f"Δ.Π.Ε. Πρέβεζας {role}"}, "a region")],
    ("PATCH", "/regions/{region_id}"): [
        objects("region", "PATCH", simple("/regions/{}"), lambda role, ref: {"area": "x"})
    ],
    ("DELETE", "/regions/{region_id}"): [objects("region", "DELETE", simple("/regions/{}"))],
    ("GET", "/schools"): [reads_in_scope("/schools", f"/schools?directorate={ARTA}")],
    ("GET", "/travel"): [
        objects(
            "school", "GET", simple("/travel?from={}&to=39.66,20.85"), name="trips to schools out of scope"
        ),
        objects(
            "base", "GET", simple("/travel?from={}&to=39.66,20.85"), name="trips from bases out of scope"
        ),
        reads_in_scope("/travel?from=39.66,20.85&to=39.16,20.98"),
    ],
    ("GET", "/schools/{school_id}"): [objects("school", "GET", simple("/schools/{}"))],
    ("POST", "/schools"): [
        creates("/schools", school_body, "a school elsewhere"),
        Case(
            "a school with an id taken out of scope",
            lambda world, role: [
                Attempt("POST", "/schools", {**school_body(role, "S3"), "directorate": IOANNINA}, TAKEN, True)
            ],
        ),
    ],
    ("PATCH", "/schools/{school_id}"): [
        objects("school", "PATCH", simple("/schools/{}"), lambda role, ref: {"notes": "x"}, "notes"),
        objects(
            "school", "PATCH", simple("/schools/{}"), lambda role, ref: {"directorate": IOANNINA}, "moved"
        ),
    ],
    ("DELETE", "/schools/{school_id}"): [objects("school", "DELETE", simple("/schools/{}"))],
    ("GET", "/schools/{school_id}/history"): [
        objects("school", "GET", simple("/schools/{}/history"), name="history out of scope"),
        reads_in_scope("/schools/S1/history", "/schools/S2/history"),
    ],
    ("GET", "/bases"): [reads_in_scope("/bases")],
    ("GET", "/bases/{base_id}"): [objects("base", "GET", simple("/bases/{}"))],
    ("POST", "/bases"): [
        creates(
            "/bases",
            lambda role: {"base_id": f"B-{role}", "name": "x", "lat": 39.2, "lon": 20.9, "directorate": ARTA},
            "a base elsewhere",
        )
    ],
    ("PATCH", "/bases/{base_id}"): [
        objects("base", "PATCH", simple("/bases/{}"), lambda role, ref: {"name": "x"}, "renamed"),
        objects("base", "PATCH", simple("/bases/{}"), lambda role, ref: {"directorate": IOANNINA}, "moved"),
    ],
    ("DELETE", "/bases/{base_id}"): [objects("base", "DELETE", simple("/bases/{}"))],
    ("GET", "/technicians"): [
        reads_in_scope(
            "/technicians", f"/technicians?employer={PARTNER_A}", f"/technicians?employer={PARTNER_B}"
        )
    ],
    ("GET", "/technicians/{technician_id}"): [objects("technician", "GET", simple("/technicians/{}"))],
    ("POST", "/technicians"): [
        Case("a technician in another Directorate", _create_technician_elsewhere, _technician_control),
        Case("a technician on a base the role does not see", _create_technician_on),
    ],
    ("PATCH", "/technicians/{technician_id}"): [
        objects(
            "technician", "PATCH", simple("/technicians/{}"), lambda role, ref: {"cost_per_km": 0.01}, "costs"
        ),
        Case("its own technician moved onto a base it does not see", _patch_technician_base),
    ],
    ("DELETE", "/technicians/{technician_id}"): [objects("technician", "DELETE", simple("/technicians/{}"))],
    ("GET", "/tickets"): [reads_in_scope("/tickets", "/tickets?school_id=S3")],
    ("GET", "/tickets/{ticket_id}"): [
        objects("ticket", "GET", simple("/tickets/{}")),
        reads_in_scope("/tickets/K3", roles=("dispatcher", "partner_a", "planner")),
    ],
    ("POST", "/tickets"): [
        creates("/tickets", lambda role: ticket_body(f"K-{role}", "S3"), "a ticket elsewhere")
    ],
    ("PATCH", "/tickets/{ticket_id}"): [
        objects("ticket", "PATCH", simple("/tickets/{}"), lambda role, ref: {"priority": "low"}, "priority"),
        objects("ticket", "PATCH", simple("/tickets/{}"), lambda role, ref: {"school_id": "S2"}, "moved"),
        Case("a ticket locked to a technician the role does not see", _patch_locked_ticket),
    ],
    ("DELETE", "/tickets/{ticket_id}"): [objects("ticket", "DELETE", simple("/tickets/{}"))],
    ("PUT", "/tickets/{ticket_id}/lock"): [
        Case("tickets out of scope locked to its own technician", _lock_to_own),
        Case("a ticket locked to a technician it does not see", _lock_to_unseen),
    ],
    ("DELETE", "/tickets/{ticket_id}/lock"): [objects("ticket", "DELETE", simple("/tickets/{}/lock"))],
    ("POST", "/import"): [
        imports(name, document, upload=False) for name, document in import_documents().items()
    ],
    ("POST", "/import/file"): [
        imports(name, document, upload=True) for name, document in import_documents().items()
    ],
    ("POST", "/plans"): [Case("plans of what the role may not plan", _plan_out_of_scope)],
    ("GET", "/plans"): [reads_in_scope("/plans")],
    ("GET", "/plans/{plan_id}/job"): [
        objects("plan", "GET", plan_part("/job")),
        reads_in_scope("/plans/{ioannina}/job"),
    ],
    ("GET", "/plans/{plan_id}"): [objects("plan", "GET", plan_part("")), reads_in_scope("/plans/{ioannina}")],
    ("DELETE", "/plans/{plan_id}"): [objects("plan", "DELETE", plan_part(""))],
    ("GET", "/plans/{plan_id}/problem"): [
        objects("plan", "GET", plan_part("/problem")),
        reads_in_scope("/plans/{ioannina}/problem"),
    ],
    ("GET", "/plans/{plan_id}/check"): [
        objects("plan", "GET", plan_part("/check")),
        reads_in_scope("/plans/{ioannina}/check"),
    ],
    ("GET", "/plans/{plan_id}/plan.csv"): [
        objects("plan", "GET", plan_part("/plan.csv")),
        reads_in_scope("/plans/{ioannina}/plan.csv"),
    ],
    ("GET", "/plans/{plan_id}/plan.xlsx"): [
        objects("plan", "GET", plan_part("/plan.xlsx")),
        reads_in_scope("/plans/{ioannina}/plan.xlsx"),
    ],
    ("GET", "/plans/{plan_id}/plan.geojson"): [
        objects("plan", "GET", plan_part("/plan.geojson")),
        reads_in_scope("/plans/{ioannina}/plan.geojson"),
    ],
    ("GET", "/plans/{plan_id}/routes/{technician_id}.ics"): [objects("route", "GET", route_part(".ics"))],
    ("GET", "/plans/{plan_id}/routes/{technician_id}.html"): [objects("route", "GET", route_part(".html"))],
    ("GET", "/plans/{plan_id}/visits"): [
        objects("plan", "GET", plan_part("/visits")),
        reads_in_scope("/plans/{ioannina}/visits"),
    ],
    ("POST", "/plans/{plan_id}/publish"): [objects("plan", "POST", plan_part("/publish"))],
    ("POST", "/plans/{plan_id}/close"): [objects("plan", "POST", plan_part("/close"))],
    ("GET", "/plans/{plan_id}/versions"): [
        objects("plan", "GET", plan_part("/versions")),
        reads_in_scope("/plans/{ioannina}/versions"),
    ],
    ("GET", "/days/{day}/plan"): [Case("the plan of a day", _day_plan, _day_plan_control)],
    ("POST", "/technicians/{technician_id}/feed-tokens"): [
        objects("technician", "POST", simple("/technicians/{}/feed-tokens"))
    ],
    ("GET", "/technicians/{technician_id}/feed-tokens"): [
        objects("technician", "GET", simple("/technicians/{}/feed-tokens")),
        reads_in_scope("/technicians/T1/feed-tokens", roles=("dispatcher", "planner")),
    ],
    ("DELETE", "/technicians/{technician_id}/feed-tokens/{token_id}"): [
        objects("technician", "DELETE", simple("/technicians/{}/feed-tokens/any"))
    ],
    ("GET", "/feeds/{technician_id}.ics"): [Case("a feed without its token", _feed, _feed_control)],
    ("POST", "/plans/{plan_id}/visits/{ticket_id}/start"): [objects("visit", "POST", visit_part("start"))],
    ("POST", "/plans/{plan_id}/visits/{ticket_id}/done"): [objects("visit", "POST", visit_part("done"))],
    ("POST", "/plans/{plan_id}/visits/{ticket_id}/not-solved"): [
        objects("visit", "POST", visit_part("not-solved"))
    ],
    ("GET", "/absences"): [reads_in_scope("/absences", "/absences?technician_id=T3", f"/absences?on={AWAY}")],
    ("GET", "/absences/{absence_id}"): [objects("absence", "GET", absence_path)],
    ("POST", "/absences"): [
        Case("an absence of a technician out of scope", _absence_elsewhere, _absence_control)
    ],
    ("PATCH", "/absences/{absence_id}"): [
        objects("absence", "PATCH", absence_path, lambda role, ref: {"note": "y"}, "noted"),
        objects("absence", "PATCH", absence_path, lambda role, ref: {"to": "2026-12-04"}, "longer"),
    ],
    ("DELETE", "/absences/{absence_id}"): [objects("absence", "DELETE", absence_path)],
    ("GET", "/closures"): [reads_in_scope("/closures", "/closures?school_id=S3", f"/closures?on={AWAY}")],
    ("GET", "/closures/{closure_id}"): [objects("closure", "GET", closure_path)],
    ("POST", "/closures"): [Case("a closure out of scope", _closure_elsewhere, _closure_control)],
    ("PATCH", "/closures/{closure_id}"): [
        objects("closure", "PATCH", closure_path, lambda role, ref: {"reason": "y"}, "reason"),
    ],
    ("DELETE", "/closures/{closure_id}"): [objects("closure", "DELETE", closure_path)],
    ("GET", "/costs/plans/{plan_id}"): [
        objects("plan", "GET", costs_of_plan),
        reads_in_scope(
            *(f"/costs/plans/{{ioannina}}?by={by}" for by in ("technician", "employer", "directorate"))
        ),
    ],
    ("GET", "/costs/days/{day}"): [
        reads_in_scope(f"/costs/days/{DAY}?by=technician", f"/costs/days/{DAY}?by=island&basis=visited")
    ],
    ("GET", "/costs/months/{month}"): [
        reads_in_scope("/costs/months/2026-11?by=technician", "/costs/months/2026-11?by=directorate")
    ],
    ("GET", "/costs/budget"): [
        employers_out_of_scope("/costs/budget?year=2026&employer={}"),
        own_employer("/costs/budget?year=2026&month=11&employer={}"),
    ],
    ("GET", "/costs/fairness"): [
        employers_out_of_scope("/costs/fairness?month=2026-11&employer={}"),
        own_employer("/costs/fairness?month=2026-11&employer={}"),
    ],
    ("GET", "/budgets"): [budget_lines_in_scope("/budgets"), budget_lines_in_scope("/budgets?year=2026")],
    ("GET", "/budgets/{line_id}"): [lines_out_of_scope("GET")],
    ("POST", "/budgets"): [Case("budget lines of other employers", _budget_elsewhere)],
    ("PATCH", "/budgets/{line_id}"): [lines_out_of_scope("PATCH", {"amount_eur": 1.0})],
    ("DELETE", "/budgets/{line_id}"): [lines_out_of_scope("DELETE")],
    ("GET", "/forms/plans/{plan_id}/travel-orders/{technician_id}.html"): [
        objects("route", "GET", travel_order(".html"))
    ],
    ("GET", "/forms/plans/{plan_id}/travel-orders/{technician_id}.xlsx"): [
        objects("route", "GET", travel_order(".xlsx"))
    ],
    ("GET", "/forms/statements/{month}/{technician_id}.html"): [
        objects("technician", "GET", simple("/forms/statements/2026-11/{}.html"))
    ],
    ("GET", "/forms/statements/{month}/{technician_id}.xlsx"): [
        objects("technician", "GET", simple("/forms/statements/2026-11/{}.xlsx"))
    ],
    ("POST", "/plans/{plan_id}/urgent"): [
        Case("an urgent ticket in a plan out of scope", _urgent, _urgent_control)
    ],
    ("GET", "/tickets/{ticket_id}/level"): [
        objects("ticket", "GET", simple("/tickets/{}/level")),
        reads_in_scope("/tickets/K3/level", roles=("dispatcher", "partner_a", "planner")),
    ],
    ("POST", "/tickets/{ticket_id}/level"): [
        objects(
            "ticket",
            "POST",
            simple("/tickets/{}/level"),
            lambda role, ref: {"level": "remote", "reason": "x"},
        )
    ],
    ("POST", "/tickets/{ticket_id}/resolve"): [
        objects("ticket", "POST", simple("/tickets/{}/resolve"), lambda role, ref: {"reason": "x"})
    ],
    ("GET", "/handoffs"): [reads_in_scope("/handoffs")],
    ("GET", "/reports/service"): [
        reads_in_scope(f"/reports/service?month=2026-11&directorate={IOANNINA}"),
        Case("the service report of another Directorate or body", _service_report_elsewhere),
    ],
    ("GET", "/schools/{school_id}/slots"): [
        objects("school", "GET", simple("/schools/{}/slots?skill=network&days=1"), name="slots out of scope"),
        reads_in_scope("/schools/S1/slots?skill=network&days=2"),
    ],
    ("POST", "/campaigns"): [Case("campaigns of what the role may not plan", _campaign_out_of_scope)],
    ("GET", "/campaigns"): [Case("the campaigns the role sees", _campaign_list)],
    ("GET", "/campaigns/{campaign_id}"): [_campaign_reads("")],
    ("GET", "/campaigns/{campaign_id}/result"): [_campaign_reads("/result")],
    ("POST", "/estimates"): [Case("an estimate of the role's own scope", _estimate_own_scope)],
    ("GET", "/estimates"): [Case("the estimates the role sees", _estimate_list)],
    ("GET", "/estimates/{estimate_id}"): [_estimate_reads("")],
    ("GET", "/estimates/{estimate_id}/result"): [_estimate_reads("/result")],
}

#: (route, case name, role) -> why it fails today; the fix lies outside this test's files.
#: (route, case name, role) -> why it fails today, where the fix lies outside this test's files;
#: each is marked xfail(strict=True), so the mark must go once the fix lands.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


def _cases() -> list[Any]:
    params = []
    for (method, path), cases in MATRIX.items():
        for index, case in enumerate(cases):
            for role in (*ROLES, "admin"):
                route = f"{method} {path}"
                case_id = f"{route} [{case.name}] {role}"
                gap = KNOWN_GAPS.get((route, case.name, role))
                marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
                params.append(pytest.param((method, path), index, role, id=case_id, marks=marks))
    return params


# --- checks -------------------------------------------------------------------------------------


def _request(client: TestClient, attempt: Attempt, key: dict[str, str]) -> Any:
    if isinstance(attempt.body, str) and attempt.body.startswith(FILES):
        files = {"files": ("problem.json", attempt.body[len(FILES) :].encode())}
        return client.request(attempt.method, attempt.path, files=files, headers=key)
    return client.request(attempt.method, attempt.path, json=attempt.body, headers=key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _leaks(text: str, role: str) -> list[str]:
    found = []
    for marker in MARKERS[role]:
        if re.fullmatch(r"[\w-]+", marker):
            if re.search(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", text):
                found.append(marker)
        elif marker in text:
            found.append(marker)
    return found


def _supplied(attempt: Attempt) -> list[str]:
    """What the caller sent: an error may repeat it, which tells the caller nothing."""
    segments = attempt.path.split("?")[0].split("/")
    body = attempt.body
    if isinstance(body, str) and body.startswith(FILES):
        body = json.loads(body[len(FILES) :])
    values = [*segments, *(s.rsplit(".", 1)[0] for s in segments), *_strings(body)]
    values += [str(v) for v in re.findall(r"=([^&]+)", attempt.path)]
    return sorted({v for v in values if v}, key=len, reverse=True)


#: what an admin reads after a write attempt, by the path's first segment
WATCHED = {
    "keys": ("keys",),
    "regions": ("regions", "schools"),
    "schools": ("schools", "regions"),
    "bases": ("bases",),
    "technicians": ("technicians",),
    "tickets": ("tickets",),
    "import": ("schools", "bases", "technicians", "tickets", "regions"),
    "plans": ("plans", "visits", "tickets"),
    "absences": ("absences",),
    "closures": ("closures",),
    "budgets": ("budgets",),
    "campaigns": ("campaigns",),
}


def snapshot(client: TestClient, world: World, path: str) -> dict[str, Any]:
    """What an admin reads of the objects a write attempt on ``path`` might change."""

    def get(target: str) -> Any:
        response = client.get(target, headers=ADMIN)
        assert response.status_code == 200, f"admin GET {target}: {response.text}"
        return response.json()

    reads: dict[str, Callable[[], Any]] = {
        "schools": lambda: {s["school_id"]: s for s in get("/schools")},
        "bases": lambda: {b["base_id"]: b for b in get("/bases")},
        "technicians": lambda: {t["technician_id"]: t for t in get("/technicians")},
        "tickets": lambda: {t["ticket_id"]: t for t in get("/tickets")},
        "regions": lambda: {r["region_id"]: r for r in get("/regions")},
        "keys": lambda: {k["key_id"]: k for k in get("/keys")},
        "plans": lambda: {p["plan_id"]: p["status"] for p in get("/plans")},
        "visits": lambda: {name: get(f"/plans/{plan_id}/visits") for name, plan_id in world.plans.items()},
        "absences": lambda: {a["absence_id"]: a for a in get("/absences")},
        "closures": lambda: {c["closure_id"]: c for c in get("/closures")},
        "budgets": lambda: {b["line_id"]: b for b in get("/budgets")},
        "campaigns": lambda: sorted(c["campaign_id"] for c in get("/campaigns")),
    }
    return {kind: reads[kind]() for kind in WATCHED[path.split("/")[1]]}


#: fields an admin may write back, per kind (to undo a write that should have been refused)
UNDO = {
    "schools": ("/schools/{}", ("name", "lat", "lon", "directorate", "island", "opens", "closes", "notes")),
    "bases": ("/bases/{}", ("name", "lat", "lon", "island", "kind", "directorate")),
    "technicians": ("/technicians/{}", ("name", "base_id", "skills", "employer", "cost_per_km")),
    "tickets": ("/tickets/{}", ("school_id", "category", "skill", "priority", "service_minutes", "status")),
}


def undo(client: TestClient, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Put back what a write that should have been refused changed, so the next cases start alike."""
    for kind, (path, fields) in UNDO.items():
        if kind not in before:
            continue
        for ident, new in after[kind].items():
            old = before[kind].get(ident)
            if old is None:
                client.delete(path.format(ident), headers=ADMIN)  # made by the attempt
                continue
            changes = {f: old[f] for f in fields if new.get(f) != old.get(f)}
            if changes:
                client.patch(path.format(ident), json=changes, headers=ADMIN)
            if kind == "tickets" and new.get("locked_technician_id") != old.get("locked_technician_id"):
                if old.get("locked_technician_id"):
                    lock = {"technician_id": old["locked_technician_id"]}
                    client.put(f"/tickets/{ident}/lock", json=lock, headers=ADMIN)
                else:
                    client.delete(f"/tickets/{ident}/lock", headers=ADMIN)


# --- the tests ----------------------------------------------------------------------------------


def test_every_route_has_a_matrix_entry(tmp_path: Path) -> None:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'routes.db'}"))
    routes = set(api_routes(app))
    assert len(routes) > 40
    missing = sorted(routes - set(MATRIX))
    assert not missing, f"routes without a scoping matrix entry: {missing}"
    assert not sorted(set(MATRIX) - routes), "matrix entries for routes that are gone"
    assert all(MATRIX[r] for r in routes)


@pytest.mark.parametrize(("route", "index", "role"), _cases())
def test_matrix(world: World, route: tuple[str, str], index: int, role: str) -> None:
    case = MATRIX[route][index]
    client = world.client
    if role == "admin":
        controls = case.controls(world)
        for control in controls:
            response = client.request(control.method, control.path, json=control.body, headers=ADMIN)
            assert response.status_code in control.expect, (
                f"admin {control.method} {control.path}: {response.text}"
            )
            if (control.method, control.path) == ("GET", "/keys"):
                assert world.victim_key in response.text
            if control.waits:
                wait_job(client, response.json()["plan_id"])
        return
    attempts = case.attempts(world, role)
    if not attempts:
        pytest.skip(f"nothing of this kind is out of the {role}'s scope")
    failures: list[str] = []
    before: dict[str, Any] | None = None
    for attempt in attempts:
        if attempt.write and before is None:
            before = snapshot(client, world, attempt.path)
        response = _request(client, attempt, world.keys[role])
        where = f"{role}: {attempt.method} {attempt.path}"
        if response.status_code >= 500 or response.status_code not in attempt.expect:
            failures.append(f"{where} answered {response.status_code}: {response.text[:300]}")
        if not attempt.public:
            text = response.content.decode("utf-8", errors="replace")
            if response.status_code >= 400:
                for value in _supplied(attempt):
                    text = text.replace(value, "")
            leaked = _leaks(text, role)
            if leaked:
                failures.append(f"{where} ({response.status_code}) names {leaked}: {text[:300]}")
        if attempt.write and before is not None:
            after = snapshot(client, world, attempt.path)
            if after != before:
                failures.append(f"{where} changed {[k for k in before if before[k] != after[k]]}")
                undo(client, before, after)
                before = None
    assert not failures, "\n".join(failures)
