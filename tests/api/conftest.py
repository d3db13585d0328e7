"""Fixtures of the service tests: a database per test (SQLite always, PostgreSQL when
``DROMOLOGIO_TEST_POSTGRES_URL`` is set), the application on it, keys per role, and a
tiny two-Directorate problem with two partner bodies."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dromologio.api.main import create_app
from dromologio.api.settings import Settings, normalise_database_url

ADMIN_KEY = "test-admin-key"
POSTGRES_ENV = "DROMOLOGIO_TEST_POSTGRES_URL"

IOANNINA = "Δ.Π.Ε. Ιωαννίνων"
ARTA = "Δ.Π.Ε. Άρτας"
PARTNER_A = "Πανεπιστήμιο Ιωαννίνων"
PARTNER_B = "Πανεπιστήμιο Ηπείρου"
#: markers of partner B's data: none may ever reach partner A.
PARTNER_B_TECHNICIAN = "PB-TECH-9"
PARTNER_B_BASE = "PB-BASE"
PARTNER_B_COST = 0.3719
PARTNER_A_COST = 0.4321


def _postgres_database(base_url: str) -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(normalise_database_url(base_url))
    name = f"dromologio_test_{uuid.uuid4().hex[:12]}"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(dsn, name)


def _drop_database(dsn: str, name: str, attempts: int = 20) -> None:
    """Drop a test database, even while the server's autovacuum visits it.

    ``WITH (FORCE)`` ends the test's own leftover connections, but the server refuses
    it while an autovacuum worker (a process of no role) is inside the database; that
    worker leaves within moments, so the drop is tried again."""
    import psycopg

    for attempt in range(attempts):
        try:
            with psycopg.connect(dsn, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'dromologio.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (bash .ci/postgres.sh starts a server)")
    yield from _postgres_database(base)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "api_key": ADMIN_KEY,
        "solver_workers": 2,
        "max_upload_bytes": 2 * 1024 * 1024,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def headers(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


ADMIN = headers(ADMIN_KEY)


def make_key(
    client: TestClient, role: str, directorates: list[str] | None = None, employer: str | None = None
) -> dict[str, str]:
    body: dict[str, Any] = {
        "name": f"{role} {employer or ''}".strip(),
        "role": role,
        "directorates": directorates or [],
    }
    if employer is not None:
        body["employer"] = employer
    response = client.post("/keys", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return headers(response.json()["api_key"])


def wait_for(
    get: Callable[[], dict[str, Any]], *, until: Callable[[dict[str, Any]], bool], timeout_s: float = 90.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        job = get()
        if until(job):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; last answer {job}")
        time.sleep(0.2)


TERMINAL = ("done", "failed", "cancelled")


def wait_job(
    client: TestClient, plan_id: str, key: dict[str, str] = ADMIN, timeout_s: float = 90.0
) -> dict[str, Any]:
    return wait_for(
        lambda: client.get(f"/plans/{plan_id}/job", headers=key).json(),
        until=lambda job: job.get("status") in TERMINAL,
        timeout_s=timeout_s,
    )


def tiny_problem() -> dict[str, Any]:
    """Two Directorates, a KE.PLI.NE.T. technician in each, and two partner bodies.

    Partner A works in Ioannina; partner B works in both Directorates.
    """
    return {
        "name": "tiny",
        "schools": [
            {
                "school_id": "S1",
                "name": "1ο Δημοτικό Ιωαννίνων",
                "lat": 39.667,
                "lon": 20.853,
                "directorate": IOANNINA,
                "island": "",
            },
            {
                "school_id": "S2",
                "name": "2ο Δημοτικό Ιωαννίνων",
                "lat": 39.655,
                "lon": 20.842,
                "directorate": IOANNINA,
                "island": "",
            },
            {
                "school_id": "S3",
                "name": "1ο Δημοτικό Άρτας",
                "lat": 39.160,
                "lon": 20.985,
                "directorate": ARTA,
                "island": "",
            },
            {
                "school_id": "S4",
                "name": "2ο Δημοτικό Άρτας",
                "lat": 39.150,
                "lon": 20.990,
                "directorate": ARTA,
                "island": "",
            },
        ],
        "bases": [
            {
                "base_id": "KPN-IOA",
                "name": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
                "lat": 39.664,
                "lon": 20.851,
                "island": "",
                "kind": "keplinet",
                "directorate": IOANNINA,
            },
            {
                "base_id": "PA-BASE",
                "name": "Πανεπιστημιούπολη Ιωαννίνων",
                "lat": 39.620,
                "lon": 20.840,
                "island": "",
                "kind": "partner",
                "directorate": IOANNINA,
            },
            {
                "base_id": "KPN-ART",
                "name": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας",
                "lat": 39.158,
                "lon": 20.987,
                "island": "",
                "kind": "keplinet",
                "directorate": ARTA,
            },
            {
                "base_id": PARTNER_B_BASE,
                "name": "Πανεπιστήμιο Ηπείρου Άρτα",
                "lat": 39.155,
                "lon": 20.980,
                "island": "",
                "kind": "partner",
                "directorate": ARTA,
            },
        ],
        "technicians": [
            {
                "technician_id": "T1",
                "name": "Ελένη Κίτσου",
                "base_id": "KPN-IOA",
                "skills": "windows;network;printer",
                "employer": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
            },
            {
                "technician_id": "PA-TECH-1",
                "name": "Κώστας Μπέλλος",
                "base_id": "PA-BASE",
                "skills": "windows;network;hardware",
                "employer": PARTNER_A,
                "cost_per_km": PARTNER_A_COST,
            },
            {
                "technician_id": "T3",
                "name": "Νίκος Ζώης",
                "base_id": "KPN-ART",
                "skills": "windows;network;printer",
                "employer": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας",
            },
            {
                "technician_id": PARTNER_B_TECHNICIAN,
                "name": "Σπύρος Κώτσης",
                "base_id": PARTNER_B_BASE,
                "skills": "windows;network;hardware",
                "employer": PARTNER_B,
                "cost_per_km": PARTNER_B_COST,
            },
        ],
        "tickets": [
            {
                "ticket_id": "K1",
                "school_id": "S1",
                "opened_at": "2026-11-20T09:00",
                "category": "Δίκτυο / network",
                "skill": "network",
                "priority": "high",
                "service_minutes": 60,
            },
            {
                "ticket_id": "K2",
                "school_id": "S1",
                "opened_at": "2026-11-18T10:00",
                "category": "Εκτυπωτής / printer",
                "skill": "printer",
                "priority": "normal",
                "service_minutes": 30,
            },
            {
                "ticket_id": "K3",
                "school_id": "S2",
                "opened_at": "2026-11-19T11:00",
                "category": "Υπολογιστής Windows",
                "skill": "windows",
                "priority": "normal",
                "service_minutes": 45,
            },
            {
                "ticket_id": "K4",
                "school_id": "S3",
                "opened_at": "2026-11-20T12:00",
                "category": "Υλικό / hardware",
                "skill": "hardware",
                "priority": "urgent",
                "service_minutes": 90,
            },
            {
                "ticket_id": "K5",
                "school_id": "S4",
                "opened_at": "2026-11-17T08:30",
                "category": "Δίκτυο / network",
                "skill": "network",
                "priority": "low",
                "service_minutes": 60,
            },
            {
                "ticket_id": "K6",
                "school_id": "S2",
                "opened_at": "2026-11-21T08:30",
                "category": "Πύλη myschool",
                "skill": "windows",
                "priority": "normal",
                "service_minutes": 20,
                "remote": True,
            },
        ],
        "policy": {"solver_time_limit_s": 1.0},
    }


@pytest.fixture
def tiny() -> dict[str, Any]:
    return tiny_problem()


@pytest.fixture(scope="session")
def sample_document() -> dict[str, Any]:
    from dromologio.models.readers import read_problem
    from dromologio.models.writers import problem_to_dict
    from dromologio.sample import sample_data_dir

    return problem_to_dict(read_problem(sample_data_dir()))
