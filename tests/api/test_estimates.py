"""POST /estimates and its reads: the same numbers as ``dromologio estimate``, and what each role may
estimate and see, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dromologio.api.main import create_app
from dromologio.cli import app as cli_app
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.plan_io import read_plan_json
from dromologio.planning.estimate import read_history
from dromologio.sample import sample_data_dir

from .conftest import (
    ADMIN,
    ARTA,
    IOANNINA,
    PARTNER_A,
    PARTNER_B,
    make_key,
    make_settings,
    tiny_problem,
    wait_for,
)

#: a short history of the sample: its tickets, three working days planned.
START, END = "2026-11-18", "2026-11-20"
CYCLADES = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων"
AEGEAN = "Πανεπιστήμιο Αιγαίου"
BUDGET = [(CYCLADES, 2026, 11, 900.0), (AEGEAN, 2026, None, 6000.0)]
BODY = {"start": START, "end": END, "time_limit_s": 0.5, "seed": 3}


def _finished(client: TestClient, estimate_id: str, key: dict[str, str] = ADMIN) -> dict[str, Any]:
    return wait_for(
        lambda: client.get(f"/estimates/{estimate_id}", headers=key).json(),
        until=lambda job: job.get("status") in ("done", "failed"),
        timeout_s=240,
    )


@pytest.fixture(scope="module")
def cli_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """``dromologio estimate`` on the sample with its tickets as the history and BUDGET."""
    folder = tmp_path_factory.mktemp("estimate-cli")
    budget = folder / "budget.csv"
    lines = [f"{e},{y}" + ("" if m is None else f"-{m:02d}") + f",{a}" for e, y, m, a in BUDGET]
    budget.write_text("employer,period,budget_eur\n" + "\n".join(lines) + "\n", encoding="utf-8")
    sample = sample_data_dir()
    arguments = [
        "estimate",
        str(sample),
        "--history",
        str(sample / "tickets.csv"),
        "--budget",
        str(budget),
        "--from",
        START,
        "--to",
        END,
        "--time-limit",
        "0.5",
        "--workers",
        "2",
        "--seed",
        "3",
        "--out",
        str(folder / "out"),
    ]
    answer = CliRunner().invoke(cli_app, arguments)
    assert answer.exit_code == 0, answer.output
    files = {"budget": "budget.csv", "daily": "daily_costs.csv", "queue": "queue.csv"}
    _days_pass_the_checker_and_the_audit(folder / "out" / "plans")
    return {name: pd.read_csv(folder / "out" / file, dtype={"period": str}) for name, file in files.items()}


def _days_pass_the_checker_and_the_audit(plans: Path) -> None:
    """Each day's plan against that day's list: tickets opened before 08:00 and not served before."""
    problem = read_history(sample_data_dir(), sample_data_dir() / "tickets.csv")
    served: set[str] = set()
    files = sorted(plans.glob("*.json"))
    assert [f.stem for f in files] == ["2026-11-18", "2026-11-19", "2026-11-20"]
    for file in files:
        cutoff = datetime.combine(date.fromisoformat(file.stem), time(8, 0))
        tickets = tuple(
            t for t in problem.tickets if t.needs_visit and t.opened_at < cutoff and t.ticket_id not in served
        )
        day = problem.replace(tickets=tickets)
        plan = read_plan_json(file)
        assert check_plan(day, plan).ok, file.name
        assert audit_plan(day, plan).ok, file.name
        served |= set(plan.visited_ticket_ids)


@pytest.fixture
def sample_client(database_url: str) -> Iterator[TestClient]:
    with TestClient(
        create_app(make_settings(database_url, seed_sample=True)), raise_server_exceptions=False
    ) as c:
        yield c


def _rounded(rows: pd.DataFrame) -> list[dict[str, Any]]:
    table = rows.copy()
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            table[column] = table[column].round(2)
    return [
        {str(k): (None if (isinstance(v, float) and pd.isna(v)) or v == "" else v) for k, v in row.items()}
        for row in table.astype(object).to_dict(orient="records")
    ]


def test_the_estimate_job_gives_the_numbers_of_the_command_line(
    sample_client: TestClient, cli_tables: dict[str, pd.DataFrame]
) -> None:
    client = sample_client
    for employer, year, month, amount in BUDGET:
        line = {"employer": employer, "year": year, "month": month, "amount_eur": amount}
        assert client.post("/budgets", json=line, headers=ADMIN).status_code == 201
    posted = client.post("/estimates", json=BODY, headers=ADMIN)
    assert posted.status_code == 202, posted.text
    job = posted.json()
    assert posted.headers["location"] == f"/estimates/{job['estimate_id']}"
    assert job["tickets"] == 60 and job["runs_on"].startswith("local processes")
    done = _finished(client, job["estimate_id"])
    assert done["status"] == "done", done
    result = client.get(f"/estimates/{job['estimate_id']}/result", headers=ADMIN).json()
    assert (result["start"], result["end"], result["days"]) == (START, END, 3)
    for name in ("budget", "daily", "queue"):
        api = pd.DataFrame(result[name])[list(cli_tables[name].columns)]
        assert _rounded(api) == _rounded(cli_tables[name]), name
    projected = {(r["employer"], str(r["period"])) for r in result["budget"]}
    assert {(CYCLADES, "2026-11"), (AEGEAN, "2026")} <= projected
    assert "Προβολή περιόδου" in result["method"] and "Period projection" in result["method"]
    assert [j["estimate_id"] for j in client.get("/estimates", headers=ADMIN).json()] == [job["estimate_id"]]


def _imported(client: TestClient) -> None:
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    for employer in (PARTNER_A, PARTNER_B):
        line = {"employer": employer, "year": 2026, "amount_eur": 5000.0}
        assert client.post("/budgets", json=line, headers=ADMIN).status_code == 201


TINY = {"start": "2026-11-18", "end": "2026-11-20", "time_limit_s": 0.3}


def test_each_role_estimates_and_reads_what_its_scope_allows(client: TestClient) -> None:
    _imported(client)
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    planner = make_key(client, "planner")
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    other_partner = make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B)

    posted = {}
    for name, key in (
        ("admin", ADMIN),
        ("planner", planner),
        ("dispatcher", dispatcher),
        ("partner", partner),
    ):
        answer = client.post("/estimates", json=TINY, headers=key)
        assert answer.status_code == 202, (name, answer.text)
        posted[name] = answer.json()
    assert posted["dispatcher"]["directorates"] == [IOANNINA]
    assert posted["partner"]["employers"] == [PARTNER_A] and posted["partner"]["directorates"] == [IOANNINA]
    assert set(posted["admin"]["directorates"]) == {IOANNINA, ARTA}
    for name, job in posted.items():
        done = _finished(client, job["estimate_id"])
        assert done["status"] == "done", (name, done)
    ids = {name: job["estimate_id"] for name, job in posted.items()}

    # Reads: admin and planner all; the dispatcher its Directorate's; a partner its own employer's.
    for key in (ADMIN, planner):
        assert {j["estimate_id"] for j in client.get("/estimates", headers=key).json()} == set(ids.values())
    assert {j["estimate_id"] for j in client.get("/estimates", headers=dispatcher).json()} == {
        ids["dispatcher"],
        ids["partner"],
    }
    assert [j["estimate_id"] for j in client.get("/estimates", headers=partner).json()] == [ids["partner"]]
    assert client.get("/estimates", headers=other_partner).json() == []
    for path in (f"/estimates/{ids['admin']}", f"/estimates/{ids['admin']}/result"):
        for key in (dispatcher, partner, other_partner):
            answer = client.get(path, headers=key)
            assert answer.status_code == 404 and ARTA not in answer.text
    for path in (f"/estimates/{ids['partner']}", f"/estimates/{ids['partner']}/result"):
        assert client.get(path, headers=other_partner).status_code == 404
        assert client.get(path, headers=partner).status_code == 200

    # What each estimate holds: the caller's technicians and budget only.
    result = client.get(f"/estimates/{ids['partner']}/result", headers=partner).json()
    assert {r["employer"] for r in result["daily"]} == {PARTNER_A}
    assert {r["employer"] for r in result["budget"]} == {PARTNER_A}
    assert PARTNER_B not in str(result)
    admin_result = client.get(f"/estimates/{ids['admin']}/result", headers=planner).json()
    assert {PARTNER_A, PARTNER_B} <= {r["employer"] for r in admin_result["budget"]}


def test_bad_estimates_are_refused_with_the_field(client: TestClient) -> None:
    _imported(client)
    backwards = client.post(
        "/estimates", json=TINY | {"start": "2026-11-20", "end": "2026-11-18"}, headers=ADMIN
    )
    assert backwards.status_code == 422 and "end" in backwards.text
    too_long = client.post("/estimates", json=TINY | {"end": "2028-01-01"}, headers=ADMIN)
    assert too_long.status_code == 422 and "366" in too_long.text
    assert client.post("/estimates", json=TINY | {"time_limit_s": 0}, headers=ADMIN).status_code == 422
    assert client.get("/estimates/nope", headers=ADMIN).status_code == 404
    assert client.get("/estimates/nope/result", headers=ADMIN).status_code == 404


def test_the_result_adds_up(client: TestClient) -> None:
    """Served tickets and money agree between the queue, the daily table and the total."""
    _imported(client)
    job = client.post("/estimates", json=TINY, headers=ADMIN).json()
    assert _finished(client, job["estimate_id"])["status"] == "done"
    result = client.get(f"/estimates/{job['estimate_id']}/result", headers=ADMIN).json()
    assert result["tickets_served"] == sum(r["served"] for r in result["queue"])
    assert result["tickets_served"] == sum(r["tickets_served"] for r in result["daily"])
    assert result["total_eur"] == pytest.approx(sum(r["total_eur"] for r in result["daily"]), abs=0.05)


def test_the_time_limit_is_held_to_the_service_setting(database_url: str) -> None:
    app = create_app(make_settings(database_url, max_time_limit_s=0.2))
    with TestClient(app, raise_server_exceptions=False) as client:
        capped = client.post("/estimates", json=TINY, headers=ADMIN)
    assert capped.status_code == 422 and "time_limit_s" in capped.text and "0.2" in capped.text
