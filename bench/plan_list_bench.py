"""Plan list benchmark (not a test): GET /plans and GET /plans/{id}/job with few and many plans.

Fills a database with finished plans whose problem and plan documents are the size
of the embedded sample's, then times the list (one page) and one job as an admin
and as a scoped dispatcher.  The list reads plan columns only, so its time should
not grow with the number of plans.

    python bench/plan_list_bench.py                         # a temp SQLite file
    python bench/plan_list_bench.py --plans 30 3030 --repeat 20
    python bench/plan_list_bench.py --database-url postgresql+psycopg://u:p@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from dromologio.api.db import make_engine, make_sessionmaker, session_scope
from dromologio.api.main import create_app
from dromologio.api.settings import Settings
from dromologio.api.tables import PlanRow, SchoolRow
from dromologio.models.readers import read_problem
from dromologio.models.writers import problem_to_dict
from dromologio.sample import sample_data_dir

ADMIN = {"X-API-Key": "bench-admin-key"}


def fill(database_url: str, count: int, problem: dict[str, Any], directorates: list[str]) -> None:
    """Add ``count`` finished plans, Directorates in turn, with sample-sized documents."""
    result = {
        "routes": [],
        "unassigned": [{"ticket_id": t["ticket_id"], "reason": "x" * 120} for t in problem["tickets"]],
    }
    engine = make_engine(database_url)
    start = datetime(2026, 1, 1)
    with session_scope(make_sessionmaker(engine)) as session:
        for n in range(count):
            session.add(
                PlanRow(
                    plan_id=uuid.uuid4().hex,
                    created_at=start + timedelta(seconds=n),
                    created_by="bench",
                    status="done",
                    scenario=True,
                    label="",
                    plan_date="2026-11-23",
                    days=1,
                    time_limit_s=1.0,
                    seed=n,
                    directorates=[directorates[n % len(directorates)]],
                    problem=problem,
                    locks={},
                    attempts=1,
                    solutions_found=1,
                    message="",
                    result=result,
                    has_plan=True,
                    check_ok=True,
                    check_violations=[],
                    technician_ids=sorted(t["technician_id"] for t in problem["technicians"]),
                )
            )
    engine.dispose()


def timed(client: TestClient, path: str, headers: dict[str, str], repeat: int) -> float:
    """Median milliseconds of ``repeat`` GETs of ``path``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plans", type=int, nargs="+", default=[30, 3030], help="plan counts to time at")
    parser.add_argument("--repeat", type=int, default=10, help="requests per figure")
    parser.add_argument("--database-url", help="an empty database (default: a temp SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="plan-list-bench-")
    url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
    sample = read_problem(sample_data_dir())
    settings = Settings(database_url=url, api_key="bench-admin-key", solver_workers=1)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        problem = problem_to_dict(sample)
        client.post("/import", json=problem, headers=ADMIN).raise_for_status()
        with session_scope(make_sessionmaker(client.app.state.engine)) as session:  # type: ignore[attr-defined]
            directorates = sorted(set(session.scalars(select(SchoolRow.directorate))))
        key = client.post(
            "/keys",
            json={"name": "bench", "role": "dispatcher", "directorates": directorates[:1]},
            headers=ADMIN,
        ).json()["api_key"]
        dispatcher = {"X-API-Key": key}
        present = 0
        print(f"{'plans':>6} {'list admin ms':>14} {'list dispatcher ms':>19} {'job ms':>7}")
        for count in sorted(args.plans):
            fill(url, count - present, problem, directorates)
            present = count
            listed = client.get("/plans?limit=100", headers=ADMIN).json()
            job_path = f"/plans/{listed[0]['plan_id']}/job"
            print(
                f"{count:>6} {timed(client, '/plans?limit=100', ADMIN, args.repeat):>14.1f} "
                f"{timed(client, '/plans?limit=100', dispatcher, args.repeat):>19.1f} "
                f"{timed(client, job_path, ADMIN, args.repeat):>7.1f}"
            )


if __name__ == "__main__":
    main()
