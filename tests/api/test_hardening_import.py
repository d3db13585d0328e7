"""Imports and writes that must not move data across Directorates, lose rows silently or keep poison values."""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dromologio.models.readers import read_problem_dict
from dromologio.models.writers import write_problem

from .conftest import (
    ADMIN,
    ARTA,
    IOANNINA,
    PARTNER_A,
    PARTNER_B,
    PARTNER_B_TECHNICIAN,
    make_key,
    tiny_problem,
)

#: the Directorate each base of the tiny problem serves.
BASE_DIRECTORATES = {"KPN-IOA": IOANNINA, "PA-BASE": IOANNINA, "KPN-ART": ARTA, "PB-BASE": ARTA}


def scoped_problem() -> dict[str, Any]:
    """The tiny problem with the Directorate of every base given."""
    problem = tiny_problem()
    for base in problem["bases"]:
        base["directorate"] = BASE_DIRECTORATES[base["base_id"]]
    return problem


@pytest.fixture
def loaded(client: TestClient) -> dict[str, Any]:
    """The tiny problem imported by the admin; returns a copy to change."""
    problem = scoped_problem()
    response = client.post("/import", json=problem, headers=ADMIN)
    assert response.status_code == 200, response.text
    return copy.deepcopy(problem)


def by_id(rows: list[dict[str, Any]], key: str, ident: str) -> dict[str, Any]:
    return next(r for r in rows if r[key] == ident)


def fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


def csv_text(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def issues(response: Any) -> list[tuple[str, int | None, str | None]]:
    return [(i["file"], i["row"], i["column"]) for i in response.json()["issues"]]


# --- 1. no takeover across Directorates ----------------------------------------------------


def takeover(problem: dict[str, Any]) -> dict[str, Any]:
    """Arta's school S3 rewritten to Ioannina, Arta's technician T3 and ticket K4 moved there."""
    school = {**by_id(problem["schools"], "school_id", "S3"), "directorate": IOANNINA}
    technician = {**by_id(problem["technicians"], "technician_id", "T3"), "base_id": "KPN-IOA"}
    ticket = {**by_id(problem["tickets"], "ticket_id", "K4"), "school_id": "S1"}
    return {"name": "takeover", "schools": [school], "technicians": [technician], "tickets": [ticket]}


def assert_arta_untouched(client: TestClient) -> None:
    assert client.get("/schools/S3", headers=ADMIN).json()["directorate"] == ARTA
    assert client.get("/technicians/T3", headers=ADMIN).json()["base_id"] == "KPN-ART"
    assert client.get("/tickets/K4", headers=ADMIN).json()["school_id"] == "S3"


def test_a_dispatcher_import_cannot_take_over_rows_of_another_directorate(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    response = client.post("/import", json=takeover(loaded), headers=dispatcher)
    assert response.status_code == 403, response.text
    assert fields(response) == [
        "problem.json:schools row 1, column school_id",
        "problem.json:technicians row 1, column technician_id",
        "problem.json:tickets row 1, column ticket_id",
    ]
    messages = [e["message"] for e in response.json()["errors"]]
    assert "'S3'" in messages[0] and "'T3'" in messages[1] and "'K4'" in messages[2]
    assert ARTA not in response.text  # the refusal does not tell where the rows are
    assert_arta_untouched(client)


def test_a_dispatcher_file_import_cannot_take_over_either(client: TestClient, loaded: dict[str, Any]) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    document = takeover(loaded)
    files = [
        ("files", (f"{table}.csv", csv_text(document[table])))
        for table in ("schools", "technicians", "tickets")
    ]
    response = client.post("/import/file", files=files, headers=dispatcher)
    assert response.status_code == 403, response.text
    assert fields(response) == [
        "schools.csv row 2, column school_id",
        "technicians.csv row 2, column technician_id",
        "tickets.csv row 2, column ticket_id",
    ]
    assert_arta_untouched(client)


def test_new_rows_that_would_land_outside_the_key_are_refused(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    technician = {**by_id(loaded["technicians"], "technician_id", "T1"), "technician_id": "T-NEW"}
    technician["base_id"] = "KPN-ART"
    ticket = {**by_id(loaded["tickets"], "ticket_id", "K1"), "ticket_id": "K-NEW", "school_id": "S3"}
    mine = {**by_id(loaded["technicians"], "technician_id", "T1"), "base_id": "KPN-ART"}
    document = {"technicians": [technician, mine], "tickets": [ticket]}
    response = client.post("/import", json=document, headers=dispatcher)
    assert response.status_code == 403, response.text
    assert fields(response) == [
        "problem.json:technicians row 1, column base_id",
        "problem.json:technicians row 2, column base_id",
        "problem.json:tickets row 1, column school_id",
    ]
    assert client.get("/technicians/T-NEW", headers=ADMIN).status_code == 404
    assert client.get("/technicians/T1", headers=ADMIN).json()["base_id"] == "KPN-IOA"
    assert client.get("/tickets/K-NEW", headers=ADMIN).status_code == 404


def test_ports_sailings_and_the_policy_are_imported_by_an_admin_only(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    ports = [
        {"port_id": "SYR", "name": "Ερμούπολη", "lat": 37.441, "lon": 24.946, "island": "Σύρος"},
        {"port_id": "PIR", "name": "Πειραιάς", "lat": 37.942, "lon": 23.646, "island": ""},
    ]
    ferries = [
        {"from_port": "PIR", "to_port": "SYR", "depart": "07:30", "duration_min": 240, "days": "daily"}
    ]
    document = {
        "tickets": loaded["tickets"][:1],
        "ports": ports,
        "ferries": ferries,
        "policy": {"solver_time_limit_s": 3},
    }
    response = client.post("/import", json=document, headers=dispatcher)
    assert response.status_code == 403, response.text
    assert fields(response) == ["problem.json:ports", "problem.json:ferries", "problem.json:policy"]
    assert client.get("/tickets/K1", headers=ADMIN).json()["priority"] == "high"
    summary = client.post("/import", json=document, headers=ADMIN)
    assert summary.status_code == 200, summary.text
    assert summary.json()["sailings"] == 1 and summary.json()["policy_replaced"] is True


def test_patches_cannot_move_rows_out_of_the_key(client: TestClient, loaded: dict[str, Any]) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    school = client.patch("/schools/S1", json={"directorate": ARTA}, headers=dispatcher)
    base = client.patch("/bases/KPN-IOA", json={"directorate": ARTA}, headers=dispatcher)
    technician = client.patch("/technicians/T1", json={"base_id": "KPN-ART"}, headers=dispatcher)
    ticket = client.patch("/tickets/K1", json={"school_id": "S3"}, headers=dispatcher)
    assert [r.status_code for r in (school, base, technician, ticket)] == [403, 403, 403, 403]
    assert fields(technician) == ["body.base_id"] and fields(ticket) == ["body.school_id"]
    # an unknown id answers the same as one outside the key: nothing tells them apart
    unknown = client.patch("/tickets/K1", json={"school_id": "S-NONE"}, headers=dispatcher)
    assert unknown.status_code == 403
    assert unknown.json()["detail"].replace("S-NONE", "S3") == ticket.json()["detail"]
    assert client.get("/schools/S1", headers=ADMIN).json()["directorate"] == IOANNINA
    assert client.get("/bases/KPN-IOA", headers=ADMIN).json()["directorate"] == IOANNINA
    assert client.get("/technicians/T1", headers=ADMIN).json()["base_id"] == "KPN-IOA"
    assert client.get("/tickets/K1", headers=ADMIN).json()["school_id"] == "S1"
    # within the key, the same changes are fine
    assert client.patch("/tickets/K1", json={"school_id": "S2"}, headers=dispatcher).status_code == 200
    assert client.patch("/technicians/T1", json={"base_id": "PA-BASE"}, headers=dispatcher).status_code == 200


def test_a_partner_keeps_its_technicians_on_bases_of_its_directorates(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    technician = {
        "technician_id": "PA-TECH-2",
        "name": "Άννα Ράπτη",
        "base_id": "KPN-ART",
        "skills": ["windows"],
        "employer": PARTNER_A,
    }
    created = client.post("/technicians", json=technician, headers=partner)
    assert created.status_code == 403 and fields(created) == ["body.base_id"]
    moved = client.patch("/technicians/PA-TECH-1", json={"base_id": "PB-BASE"}, headers=partner)
    assert moved.status_code == 403
    assert client.get("/technicians/PA-TECH-1", headers=ADMIN).json()["base_id"] == "PA-BASE"
    ok = client.post("/technicians", json={**technician, "base_id": "PA-BASE"}, headers=partner)
    assert ok.status_code == 201, ok.text


def test_a_partner_cannot_use_another_partners_base(client: TestClient, loaded: dict[str, Any]) -> None:
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
    unknown = client.post("/technicians", json={**new, "base_id": "NO-BASE"}, headers=partner_b)
    assert moved.status_code == created.status_code == unknown.status_code == 403
    assert created.json()["detail"].replace("PA-BASE", "NO-BASE") == unknown.json()["detail"]
    assert client.get(f"/technicians/{PARTNER_B_TECHNICIAN}", headers=ADMIN).json()["base_id"] == "PB-BASE"
    # a KE.PLI.NE.T. base of its Directorates is fine
    assert (
        client.post("/technicians", json={**new, "base_id": "KPN-ART"}, headers=partner_b).status_code == 201
    )


def test_a_ticket_write_answers_without_a_lock_the_caller_does_not_see(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    lock = {"technician_id": PARTNER_B_TECHNICIAN}
    assert client.put("/tickets/K3/lock", json=lock, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    patched = client.patch("/tickets/K3", json={"priority": "low"}, headers=dispatcher)
    assert patched.status_code == 200
    assert patched.json()["locked_technician_id"] is None and PARTNER_B_TECHNICIAN not in patched.text
    assert client.get("/tickets/K3", headers=ADMIN).json()["locked_technician_id"] == PARTNER_B_TECHNICIAN


# --- 5. a taken id does not reveal what holds it --------------------------------------------


def test_a_taken_id_answers_alike_inside_and_outside_the_key(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    partner = make_key(client, "partner", [IOANNINA, ARTA], PARTNER_A)
    technician = {"name": "x", "base_id": "PA-BASE", "skills": ["windows"], "employer": PARTNER_A}
    own = client.post("/technicians", json={**technician, "technician_id": "PA-TECH-1"}, headers=partner)
    other = client.post(
        "/technicians", json={**technician, "technician_id": PARTNER_B_TECHNICIAN}, headers=partner
    )
    assert own.status_code == other.status_code == 409
    assert other.json()["detail"].replace(PARTNER_B_TECHNICIAN, "PA-TECH-1") == own.json()["detail"]
    assert "exist" not in other.text and "not available" in other.json()["detail"]

    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    school = {"name": "x", "lat": 39.66, "lon": 20.85, "directorate": IOANNINA}
    ticket = {
        "school_id": "S1",
        "opened_at": "2026-11-22T09:00",
        "category": "x",
        "skill": "network",
        "service_minutes": 30,
    }
    base = {"name": "x", "lat": 39.66, "lon": 20.85, "directorate": IOANNINA}
    for path, key, inside, outside, body in (
        ("/schools", "school_id", "S1", "S3", school),
        ("/bases", "base_id", "KPN-IOA", "KPN-ART", base),
        ("/tickets", "ticket_id", "K1", "K4", ticket),
        ("/technicians", "technician_id", "T1", "T3", {**technician, "base_id": "KPN-IOA", "employer": "x"}),
    ):
        mine = client.post(path, json={**body, key: inside}, headers=dispatcher)
        theirs = client.post(path, json={**body, key: outside}, headers=dispatcher)
        assert mine.status_code == theirs.status_code == 409, (path, mine.text, theirs.text)
        assert theirs.json()["detail"].replace(outside, inside) == mine.json()["detail"]
        assert ARTA not in theirs.text and "exist" not in theirs.text
    assert "exists" in client.post("/schools", json={**school, "school_id": "S3"}, headers=ADMIN).text


# --- 2. every base names its Directorate ------------------------------------------------------


def test_a_new_base_needs_a_known_directorate(client: TestClient, loaded: dict[str, Any]) -> None:
    base = {"base_id": "B9", "name": "Υποσταθμός", "lat": 39.66, "lon": 20.85, "kind": "substation"}
    missing = client.post("/bases", json=base, headers=ADMIN)
    assert missing.status_code == 422 and fields(missing) == ["body.directorate"]
    typo = client.post("/bases", json={**base, "directorate": "Δ.Π.Ε. Ιωαννινων"}, headers=ADMIN)
    assert typo.status_code == 422 and f"did you mean '{IOANNINA}'" in typo.json()["errors"][0]["message"]
    created = client.post("/bases", json={**base, "directorate": IOANNINA}, headers=ADMIN)
    assert created.status_code == 201 and created.json()["directorate"] == IOANNINA
    wrong = client.patch("/bases/B9", json={"directorate": "Δ.Π.Ε. Πουθενά"}, headers=ADMIN)
    assert wrong.status_code == 422
    assert client.patch("/bases/B9", json={"directorate": ARTA}, headers=ADMIN).json()["directorate"] == ARTA


def test_an_import_names_the_directorate_of_each_new_base(client: TestClient, loaded: dict[str, Any]) -> None:
    new = {
        "base_id": "B9",
        "name": "Υποσταθμός",
        "lat": 39.66,
        "lon": 20.85,
        "island": "",
        "kind": "substation",
    }
    unnamed = client.post("/import", json={"bases": [new]}, headers=ADMIN)
    assert unnamed.status_code == 422, unnamed.text
    issue = unnamed.json()["issues"][0]
    assert (issue["file"], issue["row"], issue["column"]) == ("problem.json:bases", 1, "directorate")
    assert (
        "directorate column" in issue["fix"] and IOANNINA in issue["fix"]
    )  # the nearest school's, as a hint

    typo = client.post("/import", json={"bases": [{**new, "directorate": "Δ.Π.Ε. Αρτας"}]}, headers=ADMIN)
    assert typo.status_code == 422 and f"did you mean '{ARTA}'" in typo.json()["issues"][0]["fix"]
    assert client.get("/bases/B9", headers=ADMIN).status_code == 404

    # a base stored before keeps its Directorate when the column is left out
    stored = {k: v for k, v in by_id(loaded["bases"], "base_id", "KPN-ART").items() if k != "directorate"}
    again = client.post(
        "/import", json={"bases": [{**stored, "name": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας (νέα)"}]}, headers=ADMIN
    )
    assert again.status_code == 200, again.text
    assert client.get("/bases/KPN-ART", headers=ADMIN).json()["directorate"] == ARTA


# --- 3. poison values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("opened_at", "0201-02-03T19:14"), ("opened_at", "1999-12-31T23:59"), ("due_by", "2101-01-01T00:00")],
)
def test_dates_outside_2000_to_2100_are_refused(
    client: TestClient, loaded: dict[str, Any], column: str, value: str
) -> None:
    ticket = {**loaded["tickets"][0], column: value}
    response = client.post("/import", json={"tickets": [ticket]}, headers=ADMIN)
    assert response.status_code == 422, response.text
    issue = response.json()["issues"][0]
    assert (issue["file"], issue["row"], issue["column"], issue["value"]) == (
        "problem.json:tickets",
        1,
        column,
        value,
    )
    assert "2000..2100" in issue["message"] and "four-digit year" in issue["fix"]
    assert client.get("/tickets/K1", headers=ADMIN).json()["opened_at"].startswith("2026-11-20")


def test_a_far_past_date_in_a_workbook_is_refused(client: TestClient, tmp_path: Path) -> None:
    path = write_problem(read_problem_dict(scoped_problem()), tmp_path / "tiny.xlsx")
    book = load_workbook(path)
    sheet = book["tickets"]
    column = [c.value for c in sheet[1]].index("opened_at") + 1
    from datetime import datetime

    sheet.cell(row=3, column=column).value = datetime(201, 2, 3, 19, 14)
    book.save(path)
    response = client.post("/import/file", files={"files": ("tiny.xlsx", path.read_bytes())}, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert issues(response) == [("tiny.xlsx:tickets", 3, "opened_at")]
    assert response.json()["issues"][0]["value"] == "0201-02-03T19:14"


# --- 4. no silent losses ------------------------------------------------------------------


def test_two_files_of_one_name_are_refused(client: TestClient, loaded: dict[str, Any]) -> None:
    first = csv_text(loaded["tickets"][:1])
    rest = csv_text(loaded["tickets"][1:])
    response = client.post(
        "/import/file",
        files=[("files", ("tickets.csv", first)), ("files", ("tickets.csv", rest))],
        headers=ADMIN,
    )
    assert response.status_code == 422, response.text
    assert "tickets.csv, tickets.csv" in response.json()["errors"][0]["message"]

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("a/tickets.csv", first)
        bundle.writestr("b/tickets.csv", rest)
    response = client.post("/import/file", files={"files": ("day.zip", buffer.getvalue())}, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert "a/tickets.csv, b/tickets.csv" in response.json()["errors"][0]["message"]


def test_a_formula_without_a_saved_value_is_refused(client: TestClient, tmp_path: Path) -> None:
    problem = scoped_problem()
    path = write_problem(read_problem_dict(problem), tmp_path / "tiny.xlsx")
    book = load_workbook(path)
    sheet = book["technicians"]
    column = [c.value for c in sheet[1]].index("cost_per_km") + 1
    cell = sheet.cell(row=2, column=column)
    cell.value = "=0.2*2"  # openpyxl saves the formula without its result
    book.save(path)
    response = client.post("/import/file", files={"files": ("tiny.xlsx", path.read_bytes())}, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert issues(response) == [("tiny.xlsx:technicians", 2, "cost_per_km")]
    issue = response.json()["issues"][0]
    assert cell.coordinate in issue["message"] and "save it" in issue["fix"]


@pytest.mark.parametrize(
    ("lat", "lon", "column", "fix"),
    [
        (20.853, 39.667, "lat", "swap them: lat 39.667, lon 20.853"),
        (48.2, 16.37, "lat", "Greece lies at lat 34.5..42"),
        (39.667, 2.853, "lon", "Greece lies at lat 34.5..42"),
    ],
)
def test_places_outside_greece_are_refused(
    client: TestClient, lat: float, lon: float, column: str, fix: str
) -> None:
    problem = scoped_problem()
    problem["schools"][1].update(lat=lat, lon=lon)
    response = client.post("/import", json=problem, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert issues(response) == [("problem.json:schools", 2, column)]
    assert fix in response.json()["issues"][0]["fix"]


def test_a_lone_tickets_file_is_read_against_the_stored_schools(
    client: TestClient, loaded: dict[str, Any]
) -> None:
    daily = [
        {**loaded["tickets"][0], "ticket_id": "K100", "priority": "urgent"},
        {**loaded["tickets"][1], "ticket_id": "K101", "school_id": "S4"},
    ]
    response = client.post("/import/file", files={"files": ("tickets.csv", csv_text(daily))}, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json()["tickets"]["created"] == 2 and response.json()["schools"]["created"] == 0
    assert client.get("/tickets/K101", headers=ADMIN).json()["school_id"] == "S4"

    unknown = [{**daily[0], "ticket_id": "K102", "school_id": "S99"}]
    response = client.post("/import/file", files={"files": ("tickets.csv", csv_text(unknown))}, headers=ADMIN)
    assert response.status_code == 422, response.text
    issue = response.json()["issues"][0]
    assert (issue["file"], issue["row"], issue["column"]) == ("tickets.csv", 2, "school_id")
    assert issue["message"] == "no school 'S99'" and issue["fix"].startswith("import it first or fix the id")

    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    only = client.post("/import", json={"tickets": [{**daily[0], "ticket_id": "K103"}]}, headers=dispatcher)
    assert only.status_code == 200, only.text
    outside = client.post(
        "/import", json={"tickets": [{**daily[1], "ticket_id": "K104"}]}, headers=dispatcher
    )
    assert outside.status_code == 403 and fields(outside) == ["problem.json:tickets row 1, column school_id"]


def test_an_import_with_no_table_is_refused(client: TestClient) -> None:
    response = client.post("/import", json={"name": "empty"}, headers=ADMIN)
    assert response.status_code == 422
    assert "nothing to import" in response.json()["issues"][0]["message"]
    misnamed = client.post("/import/file", files={"files": ("ticket.csv", b"ticket_id\nK1\n")}, headers=ADMIN)
    assert misnamed.status_code == 422 and "tickets.csv" in misnamed.json()["issues"][0]["fix"]
