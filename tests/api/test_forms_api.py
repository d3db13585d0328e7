"""The forms over the API: travel orders from a plan, monthly statements from the visits done, by role."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dromologio.models import Plan
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict
from dromologio.planning.costs import plan_cost_table
from dromologio.reports.forms import greek_eur

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, PARTNER_B, PARTNER_B_TECHNICIAN, make_key, wait_job

DAY = "2026-11-23"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def published(client: TestClient, tiny: dict[str, Any]) -> dict[str, Any]:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    response = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    plan_id = response.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    plan = Plan.from_dict(client.get(f"/plans/{plan_id}", headers=ADMIN).json())
    problem = read_problem_dict(client.get(f"/plans/{plan_id}/problem", headers=ADMIN).json())
    assert check_plan(problem, plan).ok and audit_plan(problem, plan).ok
    return {"plan_id": plan_id, "plan": plan, "problem": problem}


def _total(sheet: Any, label_column: int) -> list[Any]:
    row = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, label_column).value == "Σύνολο / total"
    )
    return [sheet.cell(row, c).value for c in range(1, sheet.max_column + 1)]


def test_travel_order_and_statement_of_a_technician(client: TestClient, published: dict[str, Any]) -> None:
    plan_id, plan, problem = published["plan_id"], published["plan"], published["problem"]
    route = max(plan.routes, key=lambda r: len(r.ticket_ids))
    technician = route.technician_id
    priced = plan_cost_table(problem, Plan(plan.dates, (route,)))
    total = float((priced["total_eur"] - priced["overtime_eur"]).sum())  # overtime is not travel

    page = client.get(f"/forms/plans/{plan_id}/travel-orders/{technician}.html", headers=ADMIN)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "ΕΝΤΟΛΗ ΜΕΤΑΚΙΝΗΣΗΣ" in page.text and "23/11/2026" in page.text and greek_eur(total) in page.text
    book = client.get(
        f"/forms/plans/{plan_id}/travel-orders/{technician}.xlsx", params={"date": DAY}, headers=ADMIN
    )
    assert book.status_code == 200 and book.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(book.content)).active
    row = _total(sheet, 1)
    assert row[2] == pytest.approx(float(priced["distance_km"].sum()))
    assert row[10] == pytest.approx(total)
    other_day = client.get(
        f"/forms/plans/{plan_id}/travel-orders/{technician}.html",
        params={"date": "2026-11-24"},
        headers=ADMIN,
    )
    assert other_day.status_code == 404

    # Nothing done yet: the statement of the month is empty; then one visit is reported done.
    path = f"/forms/statements/2026-11/{technician}"
    empty = load_workbook(io.BytesIO(client.get(f"{path}.xlsx", headers=ADMIN).content)).active
    assert _total(empty, 3)[12] == 0
    planned = load_workbook(
        io.BytesIO(client.get(f"{path}.xlsx", params={"basis": "planned"}, headers=ADMIN).content)
    )
    assert _total(planned.active, 3)[12] == pytest.approx(total)
    done = client.post(f"/plans/{plan_id}/visits/{route.ticket_ids[0]}/done", headers=ADMIN)
    assert done.status_code == 200
    statement = client.get(f"{path}.xlsx", headers=ADMIN)
    assert statement.status_code == 200 and statement.headers["content-type"] == XLSX
    row = _total(load_workbook(io.BytesIO(statement.content)).active, 3)
    assert row[3] == pytest.approx(float(priced["distance_km"].sum()))
    assert row[8] == pytest.approx(float(priced["per_diem_eur"].sum()))
    assert row[9] == int(priced["nights"].sum())
    assert row[12] == pytest.approx(total)
    html = client.get(f"{path}.html", headers=ADMIN)
    assert "ΚΑΤΑΣΤΑΣΗ ΗΜΕΡΗΣΙΑΣ ΑΠΟΖΗΜΙΩΣΗΣ" in html.text and greek_eur(total) in html.text
    assert "11/2026" in html.text and problem.technician_by_id[technician].name in html.text
    assert client.get(f"/forms/statements/2026-13/{technician}.html", headers=ADMIN).status_code == 422
    assert client.get("/forms/statements/2026-11/NOBODY.html", headers=ADMIN).status_code == 404


def test_each_role_gets_the_forms_of_the_technicians_it_sees(
    client: TestClient, published: dict[str, Any]
) -> None:
    plan_id, plan = published["plan_id"], published["plan"]
    keys = {
        "ioannina": make_key(client, "dispatcher", [IOANNINA]),
        "both": make_key(client, "dispatcher", [IOANNINA, ARTA]),
        "partner_a": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "partner_b": make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B),
        "planner": make_key(client, "planner"),
    }
    travelling = {r.technician_id for r in plan.routes if r.ticket_ids}
    sees = {
        "ioannina": set(),  # the plan spans Arta too: not its plan
        "both": travelling,
        "partner_a": travelling & {"PA-TECH-1"},
        "partner_b": travelling & {PARTNER_B_TECHNICIAN},
        "planner": travelling,
    }
    statement_sees = {**sees, "ioannina": {"T1", "PA-TECH-1"}}
    for role, key in keys.items():
        for technician in sorted(travelling):
            order = client.get(f"/forms/plans/{plan_id}/travel-orders/{technician}.html", headers=key)
            assert order.status_code == (200 if technician in sees[role] else 404), (role, technician)
            statement = client.get(f"/forms/statements/2026-11/{technician}.xlsx", headers=key)
            assert statement.status_code == (200 if technician in statement_sees[role] else 404), (
                role,
                technician,
            )
        # no form is written through the API
        assert client.post("/forms/statements/2026-11/T1.html", headers=key).status_code == 405
