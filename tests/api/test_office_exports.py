"""Exports for the office: the plan CSV as Greek Excel opens it, the .xlsx workbook, the route sheet.

Each role reads what it sees of the plan (a partner only its own technicians' routes) and
writes nothing through these addresses.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict
from dromologio.reports.exports import SHEETS

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, PARTNER_B_TECHNICIAN, make_key, wait_job

DAY = "2026-11-23"
NAMES = {"T1": "Ελένη Κίτσου", "PA-TECH-1": "Κώστας Μπέλλος"}


@pytest.fixture
def office(client: TestClient, tiny: dict[str, Any]) -> dict[str, Any]:
    """A plan of Ioannina's two technicians, and a key per role."""
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    body = {"date": DAY, "time_limit_s": 1, "directorates": [IOANNINA], "technician_ids": list(NAMES)}
    response = client.post("/plans", json=body, headers=ADMIN)
    assert response.status_code == 202, response.text
    plan_id = response.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    plan: dict[str, Any] = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    solved_for = client.get(f"/plans/{plan_id}/problem", headers=ADMIN).json()
    assert check_plan(read_problem_dict(solved_for), plan).ok
    keys = {
        "admin": ADMIN,
        "dispatcher": make_key(client, "dispatcher", [IOANNINA]),
        "planner": make_key(client, "planner"),
        "partner": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "other_dispatcher": make_key(client, "dispatcher", [ARTA]),
    }
    return {"plan_id": plan_id, "plan": plan, "keys": keys}


def _greek_excel_rows(content: bytes) -> list[dict[str, str]]:
    """Read a CSV as Excel on Greek Windows does: a BOM says UTF-8, ';' separates the columns."""
    assert content.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would read the Greek as cp1253"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _routes_of(plan: dict[str, Any]) -> set[str]:
    return {r["technician_id"] for r in plan["routes"] if any(s["type"] == "visit" for s in r["stops"])}


def test_plan_csv_opens_in_greek_excel_with_names(client: TestClient, office: dict[str, Any]) -> None:
    plan_id, plan = office["plan_id"], office["plan"]
    response = client.get(f"/plans/{plan_id}/plan.csv", params={"excel": "el"}, headers=ADMIN)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = _greek_excel_rows(response.content)
    stops = [r for r in rows if r["type"] in ("start", "visit", "ferry", "end")]
    assert len(stops) == sum(len(r["stops"]) for r in plan["routes"])
    for row in stops:
        assert row["technician_name"] == NAMES[row["technician_id"]]
        assert "," in row["lat"] and "." not in row["lat"]  # decimal comma
    visits = [r for r in rows if r["type"] == "visit"]
    assert visits and all(r["school_name"].endswith("Ιωαννίνων") for r in visits)
    assert {r["directorate"] for r in visits} == {IOANNINA}
    left = [r for r in rows if r["type"] in ("unassigned", "remote", "vendor")]
    assert {r["ticket_ids"] for r in left} == {u["ticket_id"] for u in plan["unassigned"]} | set(
        plan["remote"]
    ) | set(plan["vendor"])
    assert all(r["school_name"] for r in left)
    # Without the parameter: the contract's CSV, comma-separated, no BOM, decimal points.
    plain = client.get(f"/plans/{plan_id}/plan.csv", headers=ADMIN)
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    first = next(csv.DictReader(io.StringIO(plain.text)))
    assert "." in first["lat"] and first["technician_name"] in NAMES.values()
    assert client.get(f"/plans/{plan_id}/plan.csv?excel=fr", headers=ADMIN).status_code == 422


def test_plan_xlsx_has_routes_stops_unassigned_and_costs(client: TestClient, office: dict[str, Any]) -> None:
    plan_id, plan = office["plan_id"], office["plan"]
    response = client.get(f"/plans/{plan_id}/plan.xlsx", headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert tuple(book.sheetnames) == SHEETS
    routes = list(book["Δρομολόγια"].iter_rows(values_only=True))
    assert routes[0][0] == "Ημερομηνία / date" and routes[0][2] == "Όνομα / name"
    assert {row[2] for row in routes[1:]} == {NAMES[r["technician_id"]] for r in plan["routes"]}
    stated = round(sum(r["cost_eur"] for r in plan["routes"]), 2)
    cost = routes[0].index("Κόστος € / cost")
    assert round(sum(row[cost] for row in routes[1:]), 2) == stated
    stops = list(book["Στάσεις"].iter_rows(values_only=True))
    assert len(stops) - 1 == sum(len(r["stops"]) for r in plan["routes"])
    unassigned = list(book["Χωρίς επίσκεψη"].iter_rows(values_only=True))
    assert unassigned[0][-1] == "Αιτία / reason"
    reasons = {u["ticket_id"]: u["reason"] for u in plan["unassigned"]}
    for row in unassigned[1:]:
        assert row[-1] and (row[0] not in reasons or row[-1] == reasons[row[0]])
    costs = list(book["Κόστος"].iter_rows(values_only=True))
    header, *priced, total = costs
    assert total[0] == "Σύνολο / total"
    column = header.index("€ σύνολο / total")
    assert total[column] == pytest.approx(round(sum(row[column] for row in priced), 2))
    assert total[column] == pytest.approx(stated)
    assert book["Κόστος"].cell(row=2, column=column + 1).number_format == '#,##0.00 "€"'


def test_route_sheet_in_greek_format(client: TestClient, office: dict[str, Any]) -> None:
    plan_id, plan = office["plan_id"], office["plan"]
    technician = sorted(_routes_of(plan))[0]
    sheet = client.get(f"/plans/{plan_id}/routes/{technician}.html", headers=ADMIN)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    text = sheet.text
    assert "Δευτέρα 23/11/2026" in text and "Οδήγηση" in text and "Ημερήσια αποζημίωση" in text
    assert "https://www.openstreetmap.org/?mlat=" in text
    assert ",00 €" in text or "," in text.split("Σύνολο")[1][:40]


@pytest.mark.parametrize("role", ["admin", "dispatcher", "planner", "partner", "other_dispatcher"])
def test_each_role_reads_what_it_sees_and_writes_nothing(
    client: TestClient, office: dict[str, Any], role: str
) -> None:
    plan_id, plan = office["plan_id"], office["plan"]
    key = office["keys"][role]
    csv_answer = client.get(f"/plans/{plan_id}/plan.csv", params={"excel": "el"}, headers=key)
    xlsx_answer = client.get(f"/plans/{plan_id}/plan.xlsx", headers=key)
    for path in ("plan.csv", "plan.xlsx"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert client.request(method, f"/plans/{plan_id}/{path}", headers=key).status_code == 405
    if role == "other_dispatcher":  # an Arta dispatcher does not see a plan of Ioannina
        assert csv_answer.status_code == 404 and xlsx_answer.status_code == 404
        return
    assert csv_answer.status_code == 200 and xlsx_answer.status_code == 200
    expected = {"PA-TECH-1"} if role == "partner" else {r["technician_id"] for r in plan["routes"]}
    rows = _greek_excel_rows(csv_answer.content)
    assert {r["technician_id"] for r in rows if r["technician_id"]} == expected
    book = load_workbook(io.BytesIO(xlsx_answer.content))
    named = {row[1] for row in book["Δρομολόγια"].iter_rows(min_row=2, values_only=True)}
    assert named == expected
    everything = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert PARTNER_B_TECHNICIAN not in " ".join(everything)
    if role == "partner":
        assert "T1" not in named and NAMES["T1"] not in " ".join(everything)
