"""GET /plans and GET /plans/{id}/job read plan columns only, scope and page in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from dromologio.api.db import alembic_config, make_engine, make_sessionmaker, migrate, session_scope
from dromologio.api.tables import PlanDirectorateRow, PlanRow

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_B_TECHNICIAN, make_key

DOCUMENTS = ("problem", "result", "check_violations", "locks")
START = datetime(2026, 11, 1, 8, 0)


def add_plans(
    database_url: str,
    count: int,
    *,
    scopes: tuple[list[str], ...] = ([IOANNINA],),
    first: int = 0,
    **values: Any,
) -> list[str]:
    """``count`` finished plans with sizeable documents, one a minute, Directorates in turn."""
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    problem = {"tickets": [{"ticket_id": f"K{i}", "note": "x" * 200} for i in range(200)]}
    ids = []
    with session_scope(sessions) as session:
        for n in range(first, first + count):
            fields: dict[str, Any] = {
                "plan_id": f"plan-{n:05d}",
                "created_at": START + timedelta(minutes=n),
                "created_by": "test",
                "status": "done",
                "scenario": True,
                "label": "",
                "plan_date": "2026-11-23",
                "days": 1,
                "time_limit_s": 1.0,
                "seed": 0,
                "directorates": scopes[n % len(scopes)],
                "problem": problem,
                "locks": {},
                "attempts": 1,
                "solutions_found": 1,
                "message": "",
                "result": {"routes": [], "unassigned": [], "kpis": {"tickets": 200}},
                "has_plan": True,
                "check_ok": True,
                "check_violations": [],
                "technician_ids": [],
            }
            row = PlanRow(**{**fields, **values})
            session.add(row)
            ids.append(row.plan_id)
    engine.dispose()
    return ids


@contextmanager
def watched(engine: Engine) -> Iterator[tuple[list[str], list[set[str]]]]:
    """The SQL run meanwhile, and for each plan row loaded, which of its documents were loaded."""
    statements: list[str] = []
    loaded: list[set[str]] = []

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def on_load(target: PlanRow, _context: Any) -> None:
        loaded.append({name for name in DOCUMENTS if name not in sa.inspect(target).unloaded})

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(PlanRow, "load", on_load)
    try:
        yield statements, loaded
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(PlanRow, "load", on_load)


def test_the_plan_list_reads_no_document_and_costs_the_same_with_many_plans(
    client: TestClient, database_url: str, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    add_plans(database_url, 30, scopes=([IOANNINA], [ARTA]))
    counts: dict[str, list[int]] = {"admin": [], "dispatcher": []}
    for more in (0, 300):
        add_plans(database_url, more, scopes=([IOANNINA], [ARTA]), first=30)
        for who, key in (("admin", ADMIN), ("dispatcher", dispatcher)):
            with watched(engine) as (statements, loaded):
                listed = client.get("/plans?limit=10", headers=key)
                job = client.get(f"/plans/{listed.json()[0]['plan_id']}/job", headers=key)
            assert listed.status_code == 200 and len(listed.json()) == 10 and job.status_code == 200
            assert loaded and all(not documents for documents in loaded), loaded
            assert not [s for s in statements if any(f"plans.{d}" in s for d in DOCUMENTS)]
            counts[who].append(len(statements))
    # As many statements for 330 plans as for 30: nothing is read per plan.
    assert counts["admin"][0] == counts["admin"][1] and counts["dispatcher"][0] == counts["dispatcher"][1]


def test_plans_are_scoped_and_paged_in_the_database(
    client: TestClient, database_url: str, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    scopes: tuple[list[str], ...] = ([IOANNINA], [ARTA], [ARTA, IOANNINA], [])
    ids = add_plans(database_url, 14, scopes=scopes)
    newest_first = ids[::-1]
    mine = [p for p in newest_first if int(p[-5:]) % 4 in (0, 3)]  # Ioannina only, or none

    def pages(key: dict[str, str], size: int, query: str = "") -> list[str]:
        seen: list[str] = []
        for offset in range(0, 30, size):
            page = client.get(f"/plans?limit={size}&offset={offset}{query}", headers=key)
            assert page.status_code == 200
            seen += [p["plan_id"] for p in page.json()]
        return seen

    assert pages(dispatcher, 3) == mine
    assert pages(ADMIN, 4) == newest_first
    assert client.get("/plans?limit=2&offset=0", headers=dispatcher).json()[0]["plan_id"] == mine[0]
    with session_scope(make_sessionmaker(client.app.state.engine)) as session:  # type: ignore[attr-defined]
        session.get(PlanRow, ids[0]).status = "failed"  # type: ignore[union-attr]
    assert pages(dispatcher, 5, "&status=failed") == [ids[0]]
    assert client.get(f"/plans/{ids[1]}/job", headers=dispatcher).status_code == 404  # Arta's


def test_listed_messages_mask_technicians_the_caller_does_not_see(
    client: TestClient, database_url: str, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    message = f"K1 started by GHOST-7: kept with them; K2 started by {PARTNER_B_TECHNICIAN}; T1 fine"
    (plan_id,) = add_plans(
        database_url, 1, message=message, technician_ids=["GHOST-7", PARTNER_B_TECHNICIAN, "T1"]
    )
    for listed in (
        client.get("/plans", headers=dispatcher).json()[0],
        client.get(f"/plans/{plan_id}/job", headers=dispatcher).json(),
    ):
        assert listed["message"] == "K1 started by ***: kept with them; K2 started by ***; T1 fine"
    assert client.get("/plans", headers=ADMIN).json()[0]["message"] == message


def test_the_migration_fills_the_list_columns_of_existing_plans(database_url: str) -> None:
    engine = make_engine(database_url)
    config = alembic_config(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    old_plans = sa.table(
        "plans",
        *(
            sa.column(name, kind)
            for name, kind in (
                ("plan_id", sa.String),
                ("created_at", sa.DateTime),
                ("created_by", sa.String),
                ("status", sa.String),
                ("scenario", sa.Boolean),
                ("label", sa.String),
                ("plan_date", sa.String),
                ("days", sa.Integer),
                ("time_limit_s", sa.Float),
                ("seed", sa.Integer),
                ("directorates", sa.JSON),
                ("problem", sa.JSON),
                ("locks", sa.JSON),
                ("cancel_requested", sa.Boolean),
                ("attempts", sa.Integer),
                ("solutions_found", sa.Integer),
                ("message", sa.Text),
                ("result", sa.JSON),
            )
        ),
    )
    common = {
        "created_at": START,
        "created_by": "t",
        "scenario": False,
        "label": "",
        "plan_date": "2026-11-23",
        "days": 1,
        "time_limit_s": 1.0,
        "seed": 0,
        "problem": {"technicians": [{"technician_id": "T1"}, {"technician_id": "T2"}]},
        "cancel_requested": False,
        "attempts": 1,
        "solutions_found": 0,
        "message": "",
    }
    with engine.begin() as connection:
        connection.execute(
            old_plans.insert(),
            [
                {
                    **common,
                    "plan_id": "solved",
                    "status": "done",
                    "directorates": [ARTA, IOANNINA],
                    "locks": {"K1": "T9"},
                    "result": {"routes": []},
                },
            ],
        )
        connection.execute(
            old_plans.insert().values(
                **common,
                plan_id="waiting",
                status="queued",
                directorates=[IOANNINA],
                locks={},
                result=sa.null(),
            )
        )
        # A JSON null rather than no value at all: no plan either.
        connection.execute(
            old_plans.insert().values(
                **common, plan_id="nulled", status="failed", directorates=[], locks={}, result=sa.JSON.NULL
            )
        )
    migrate(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as session:
        rows = {r.plan_id: r for r in session.scalars(sa.select(PlanRow))}
        assert {k: r.has_plan for k, r in rows.items()} == {"solved": True, "waiting": False, "nulled": False}
        assert rows["solved"].technician_ids == ["T1", "T2", "T9"] and rows["waiting"].technician_ids == [
            "T1",
            "T2",
        ]
        assert {(r.lease_owner, r.lease_expires_at, r.releases) for r in rows.values()} == {(None, None, 0)}
        scope = sorted(session.execute(sa.select(PlanDirectorateRow.plan_id, PlanDirectorateRow.directorate)))
        assert scope == [("solved", ARTA), ("solved", IOANNINA), ("waiting", IOANNINA)]
    engine.dispose()
