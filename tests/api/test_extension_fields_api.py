"""Zones, work days and preventive care as named fields of schools and technicians: validated,
stored in ``extra`` as the files keep them, and round-tripping with the contract's documents."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dromologio.api.specs import SCHOOL, TECHNICIAN
from dromologio.models.readers import read_problem_dict
from dromologio.models.table_specs import EXTENSION_COLUMNS

from .conftest import ADMIN, IOANNINA, PARTNER_A, make_key, wait_job


def test_the_named_extension_fields_are_the_files_extension_columns() -> None:
    for table, spec in (("schools", SCHOOL), ("technicians", TECHNICIAN)):
        assert {a.name for a in spec.attrs if a.in_extra} == set(EXTENSION_COLUMNS[table])


def _fields(answer: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: answer[n] for n in names}


def test_extension_fields_by_role_validation_and_round_trip(client: TestClient, tiny: dict[str, Any]) -> None:
    tiny["schools"][0].update(
        {"zone": "  Κόνιτσα ", "maintenance_days": "90", "last_maintenance": "2026-06-01"}
    )
    tiny["technicians"][0].update({"work_days": "Τρι;Πέμ", "home_zone": "Κόνιτσα"})
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    planner = make_key(client, "planner")

    # Read: the imported columns are named fields for every role that sees the school.
    for key in (ADMIN, dispatcher, partner, planner):
        school = client.get("/schools/S1", headers=key)
        assert school.status_code == 200, school.text
        answer = school.json()
        assert _fields(answer, "zone", "maintenance_days", "last_maintenance") == {
            "zone": "Κόνιτσα",
            "maintenance_days": 90,
            "last_maintenance": "2026-06-01",
        }
        assert not {"zone", "maintenance_days", "last_maintenance"} & set(answer["extra"])
    technician = client.get("/technicians/T1", headers=ADMIN).json()
    assert _fields(technician, "work_days", "home_zone") == {"work_days": "Tue;Thu", "home_zone": "Κόνιτσα"}
    assert client.get("/schools/S2", headers=ADMIN).json()["maintenance_days"] is None

    # Write: who may change a school (admin, its Directorate's dispatcher) or a technician
    # (also the partner, its own); the others are refused.
    patch = {"maintenance_days": 60}
    assert client.patch("/schools/S1", json=patch, headers=planner).status_code == 403
    assert client.patch("/schools/S1", json=patch, headers=partner).status_code == 403
    assert client.patch("/schools/S3", json=patch, headers=dispatcher).status_code in (403, 404)
    changed = client.patch("/schools/S1", json=patch, headers=dispatcher)
    assert changed.status_code == 200, changed.text
    assert _fields(changed.json(), "zone", "maintenance_days") == {"zone": "Κόνιτσα", "maintenance_days": 60}
    assert client.patch("/technicians/T1", json={"work_days": "Mon"}, headers=planner).status_code == 403
    own = client.patch("/technicians/PA-TECH-1", json={"work_days": "δευτέρα;Τετ"}, headers=partner)
    assert own.status_code == 200 and own.json()["work_days"] == "Mon;Wed", own.text
    cleared = client.patch("/technicians/T1", json={"home_zone": None}, headers=ADMIN)
    assert cleared.status_code == 200 and cleared.json()["home_zone"] is None, cleared.text
    assert cleared.json()["work_days"] == "Tue;Thu"

    # Validation: a clear 422 naming the field and the fix, in the field or sent in extra.
    bodies: tuple[dict[str, Any], ...] = ({"work_days": "Mon,Wed"}, {"extra": {"work_days": "Mon,Wed"}})
    for body in bodies:
        bad = client.patch("/technicians/T1", json=body, headers=ADMIN)
        assert bad.status_code == 422, bad.text
        (error,) = bad.json()["errors"]
        assert error["field"].endswith("work_days") and "separate the days with ';'" in error["message"]
    bodies = ({"maintenance_days": 0}, {"last_maintenance": "15/09/2026"}, {"zone": ""})
    for body in bodies:
        bad = client.patch("/schools/S1", json=body, headers=ADMIN)
        assert bad.status_code == 422 and next(iter(body)) in bad.text, bad.text
    # Sent in extra as before, a column is taken as the field.
    legacy = client.patch("/schools/S2", json={"extra": {"zone": "Κόνιτσα", "lab": "B"}}, headers=ADMIN)
    assert legacy.status_code == 200 and legacy.json()["zone"] == "Κόνιτσα", legacy.text
    assert legacy.json()["extra"] == {"lab": "B"}

    # Round trip: the plan's problem document carries them as the files' columns.
    created = client.post(
        "/plans", json={"date": "2026-11-24", "time_limit_s": 1, "force": True}, headers=ADMIN
    )
    assert created.status_code == 202, created.text
    plan_id = created.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    document = client.get(f"/plans/{plan_id}/problem", headers=ADMIN).json()
    problem = read_problem_dict(document)
    assert problem.school_by_id["S1"].extra["maintenance_days"] == "60"
    assert problem.school_by_id["S1"].extra["last_maintenance"] == "2026-06-01"
    assert problem.technician_by_id["T1"].extra["work_days"] == "Tue;Thu"
    assert "home_zone" not in problem.technician_by_id["T1"].extra
