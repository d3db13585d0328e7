"""Import and CRUD of regions, schools, bases, technicians and tickets, through HTTP."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from .conftest import ADMIN, ARTA, IOANNINA, make_key

PROBLEM_JSON = "application/problem+json"


def test_import_the_sample_then_again_updates_and_never_duplicates(
    client: TestClient, sample_document: dict[str, Any]
) -> None:
    first = client.post("/import", json=sample_document, headers=ADMIN)
    assert first.status_code == 200, first.text
    summary = first.json()
    assert summary["tickets"]["created"] == len(sample_document["tickets"])
    assert summary["schools"]["created"] == len(sample_document["schools"])
    assert summary["policy_replaced"] is True

    changed = json.loads(json.dumps(sample_document))
    changed["tickets"][0]["priority"] = "urgent" if changed["tickets"][0]["priority"] != "urgent" else "low"
    again = client.post("/import", json=changed, headers=ADMIN).json()
    assert again["tickets"] == {"created": 0, "updated": 1, "unchanged": len(sample_document["tickets"]) - 1}
    assert again["schools"]["created"] == 0 and again["regions_created"] == []

    tickets = client.get("/tickets", headers=ADMIN).json()
    assert len(tickets) == len(sample_document["tickets"])
    ticket_id = changed["tickets"][0]["ticket_id"]
    history = client.get(f"/tickets/{ticket_id}", headers=ADMIN).json()["history"]
    assert [e["kind"] for e in history] == ["imported", "updated"]


def test_import_errors_list_every_issue_with_file_row_and_column(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    tiny["tickets"][1]["skill"] = "netwrok"
    tiny["schools"][2]["lat"] = "ninety"
    response = client.post("/import", json=tiny, headers=ADMIN)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == 422 and body["title"] and body["detail"]
    where = {(i["file"], i["row"], i["column"]) for i in body["issues"]}
    assert ("problem.json:tickets", 2, "skill") in where
    assert ("problem.json:schools", 3, "lat") in where
    skill_issue = next(i for i in body["issues"] if i["column"] == "skill")
    assert skill_issue["value"] == "netwrok" and "network" in skill_issue["fix"]
    assert client.get("/tickets", headers=ADMIN).json() == []


def test_import_files_xlsx_zip_and_csv_folder(
    client: TestClient, tiny: dict[str, Any], tmp_path: Path
) -> None:
    from dromologio.models.readers import read_problem_dict
    from dromologio.models.writers import write_problem

    problem = read_problem_dict(tiny)
    workbook = write_problem(problem, tmp_path / "tiny.xlsx")
    with workbook.open("rb") as handle:
        response = client.post("/import/file", files={"files": ("tiny.xlsx", handle)}, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json()["tickets"]["created"] == len(tiny["tickets"])

    folder = write_problem(problem, tmp_path / "folder")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for path in folder.iterdir():
            bundle.write(path, f"folder/{path.name}")
    response = client.post("/import/file", files={"files": ("tiny.zip", buffer.getvalue())}, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json()["tickets"] == {"created": 0, "updated": 0, "unchanged": len(tiny["tickets"])}

    parts = [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())]
    response = client.post("/import/file", files=parts, headers=ADMIN)
    assert response.status_code == 200, response.text

    bad = (folder / "tickets.csv").read_text(encoding="utf-8").replace(",network,", ",netwrok,", 1)
    parts = [
        ("files", (p.name, bad.encode() if p.name == "tickets.csv" else p.read_bytes()))
        for p in sorted(folder.iterdir())
    ]
    response = client.post("/import/file", files=parts, headers=ADMIN)
    assert response.status_code == 422
    assert any(
        i["file"] == "tickets.csv" and i["column"] == "skill" and i["row"] for i in response.json()["issues"]
    )


def test_uploads_over_the_size_limit_are_refused(client: TestClient) -> None:
    big = b"x" * (3 * 1024 * 1024)
    response = client.post("/import/file", files={"files": ("big.json", big)}, headers=ADMIN)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM_JSON)


def test_school_crud_and_field_errors(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    new = {
        "school_id": "S9",
        "name": "Νηπιαγωγείο Πεδινής",
        "lat": 39.70,
        "lon": 20.80,
        "directorate": IOANNINA,
        "lab_installed": 2012,
    }
    created = client.post("/schools", json=new, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json()["opens"] == "08:15" and created.json()["closes"] == "14:00"
    assert client.post("/schools", json=new, headers=ADMIN).status_code == 409

    patched = client.patch(
        "/schools/S9", json={"closes": "13:30", "notes": "Κλειδί στο γραφείο"}, headers=ADMIN
    )
    assert patched.status_code == 200 and patched.json()["closes"] == "13:30"

    wrong = client.patch("/schools/S9", json={"opens": "15:00"}, headers=ADMIN)
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith(PROBLEM_JSON)
    assert "closes" in wrong.json()["errors"][0]["message"]

    typo = client.post("/schools", json={**new, "school_id": "S10", "lattitude": 1}, headers=ADMIN)
    assert typo.status_code == 422
    assert [e["field"] for e in typo.json()["errors"]] == ["body.lattitude"]

    assert client.delete("/schools/S9", headers=ADMIN).status_code == 204
    assert client.get("/schools/S9", headers=ADMIN).status_code == 404
    assert client.delete("/schools/S1", headers=ADMIN).status_code == 409  # it has tickets


def test_base_technician_ticket_region_crud(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    regions = {r["name"]: r for r in client.get("/regions", headers=ADMIN).json()}
    assert set(regions) == {IOANNINA, ARTA}
    assert regions[IOANNINA]["region_id"] == "dpe-ioanninon"
    assert (
        client.patch(
            f"/regions/{regions[ARTA]['region_id']}", json={"area": "Ήπειρος"}, headers=ADMIN
        ).json()["area"]
        == "Ήπειρος"
    )

    base = client.post(
        "/bases",
        json={
            "base_id": "B9",
            "name": "Υποσταθμός",
            "lat": 39.66,
            "lon": 20.85,
            "kind": "substation",
            "directorate": IOANNINA,
        },
        headers=ADMIN,
    )
    assert base.status_code == 201 and base.json()["directorate"] == IOANNINA

    technician = {
        "technician_id": "T9",
        "name": "Μαρία Ρούσσου",
        "base_id": "B9",
        "skills": ["linux", "ltsp"],
        "employer": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
    }
    assert client.post("/technicians", json=technician, headers=ADMIN).status_code == 201
    assert client.patch(
        "/technicians/T9", json={"skills": ["linux", "windows"], "cost_per_km": 0.2}, headers=ADMIN
    ).json()["skills"] == ["windows", "linux"]
    wrong_skill = client.patch("/technicians/T9", json={"skills": ["linx"]}, headers=ADMIN)
    assert wrong_skill.status_code == 422 and wrong_skill.json()["errors"][0]["field"] == "body.skills.0"
    assert client.delete("/bases/B9", headers=ADMIN).status_code == 409
    assert client.delete("/technicians/T9", headers=ADMIN).status_code == 204
    assert client.delete("/bases/B9", headers=ADMIN).status_code == 204

    ticket = {
        "ticket_id": "K9",
        "school_id": "S2",
        "opened_at": "2026-11-22T10:00",
        "category": "LTSP",
        "skill": "ltsp",
        "service_minutes": 40,
    }
    created = client.post("/tickets", json=ticket, headers=ADMIN)
    assert (
        created.status_code == 201
        and created.json()["status"] == "open"
        and created.json()["priority"] == "normal"
    )
    assert client.patch("/tickets/K9", json={"priority": "high"}, headers=ADMIN).json()["priority"] == "high"
    assert (
        client.post(
            "/tickets", json={**ticket, "ticket_id": "K10", "school_id": "S99"}, headers=ADMIN
        ).status_code
        == 404
    )
    assert client.delete("/tickets/K9", headers=ADMIN).status_code == 204
    closed = client.get("/tickets/K9", headers=ADMIN).json()
    assert closed["status"] == "closed"
    assert [e["kind"] for e in closed["history"]] == ["created", "updated", "closed"]


def test_dispatcher_changes_only_its_directorates(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    assert {s["school_id"] for s in client.get("/schools", headers=dispatcher).json()} == {"S1", "S2"}
    assert client.patch("/schools/S1", json={"notes": "ok"}, headers=dispatcher).status_code == 200
    assert client.get("/schools/S3", headers=dispatcher).status_code == 404
    moved = client.patch("/schools/S1", json={"directorate": ARTA}, headers=dispatcher)
    assert moved.status_code == 403
    assert client.post("/import", json=tiny, headers=dispatcher).status_code == 403
    planner = make_key(client, "planner")
    assert len(client.get("/schools", headers=planner).json()) == 4
    assert client.patch("/schools/S1", json={"notes": "x"}, headers=planner).status_code == 403
