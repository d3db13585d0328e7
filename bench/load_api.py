"""Load benchmark of the dispatch service (not a test).

N concurrent clients, each a dispatcher of Directorates of its own, import a
problem of the embedded sample cut to ``--tickets`` tickets and solve one day with
a ``--time-limit`` of seconds, while reader threads keep asking for job progress,
tickets and schools.  Reports errors, solve throughput against what the machine's
cores allow, and read latency (p50/p95/p99) while the solves run.

    python bench/load_api.py                      # starts a server on a temp SQLite file
    python bench/load_api.py --database-url postgresql+psycopg://u:p@127.0.0.1/db
    python bench/load_api.py --url http://127.0.0.1:8000 --admin-key KEY

Each client's copy renames ids and Directorates with its number, so every solve
sees its own 50 tickets and nothing of the others.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

ADMIN_KEY = "bench-admin-key"


@dataclass
class ClientRun:
    client: int
    import_s: float = 0.0
    queued_s: float = 0.0
    solve_s: float = 0.0
    total_s: float = 0.0
    #: monotonic instants the job was first seen running and seen finished.
    began_at: float = 0.0
    finished_at: float = 0.0
    status: str = ""
    visited: int = 0
    check_ok: bool | None = None
    errors: list[str] = field(default_factory=list)


def sample_document(tickets: int) -> dict[str, Any]:
    from dromologio.models.readers import read_problem
    from dromologio.models.writers import problem_to_dict
    from dromologio.sample import sample_data_dir

    document = problem_to_dict(read_problem(sample_data_dir()))
    if tickets > len(document["tickets"]):
        raise SystemExit(f"the sample has {len(document['tickets'])} tickets; ask for at most that many")
    document["tickets"] = document["tickets"][:tickets]
    return document


def client_copy(document: dict[str, Any], number: int) -> dict[str, Any]:
    """The problem with every id and Directorate made the client's own (ports and ferries shared)."""
    tag = f"C{number:02d}-"
    doc = copy.deepcopy(document)
    doc["name"] = f"{doc.get('name', 'sample')} {tag}"
    for school in doc["schools"]:
        school["school_id"] = tag + school["school_id"]
        school["directorate"] = f"{school['directorate']} ({tag[:-1]})"
    for base in doc["bases"]:
        base["base_id"] = tag + base["base_id"]
    for technician in doc["technicians"]:
        technician["technician_id"] = tag + technician["technician_id"]
        technician["base_id"] = tag + technician["base_id"]
    for ticket in doc["tickets"]:
        ticket["ticket_id"] = tag + ticket["ticket_id"]
        ticket["school_id"] = tag + ticket["school_id"]
    return doc


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_server(database_url: str, workers: int, log: Path) -> Iterator[str]:
    port = free_port()
    code = f"from dromologio.api.server import serve; serve('127.0.0.1', {port}, {database_url!r}, False)"
    env = {**os.environ, "DROMOLOGIO_API_KEY": ADMIN_KEY}
    if workers:
        env["DROMOLOGIO_SOLVER_WORKERS"] = str(workers)
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=output, stderr=output, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {log}")
            time.sleep(0.3)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def run_client(
    url: str,
    admin: dict[str, str],
    number: int,
    document: dict[str, Any],
    args: argparse.Namespace,
    plan_ids: list[str],
) -> ClientRun:
    run = ClientRun(client=number)
    started = time.monotonic()
    with httpx.Client(base_url=url, timeout=120) as http:
        try:
            directorates = sorted({s["directorate"] for s in document["schools"]})
            for directorate in directorates:  # a key names known Directorates only
                http.post("/regions", json={"name": directorate}, headers=admin).raise_for_status()
            made = http.post(
                "/keys",
                json={"name": f"bench {number}", "role": "dispatcher", "directorates": directorates},
                headers=admin,
            )
            made.raise_for_status()
            key = {"X-API-Key": made.json()["api_key"]}
            moment = time.monotonic()
            response = http.post("/import", json=document, headers=key)
            run.import_s = time.monotonic() - moment
            if response.status_code != 200:
                run.errors.append(f"import {response.status_code}: {response.text[:200]}")
                return run
            asked = time.monotonic()
            response = http.post(
                "/plans",
                json={"date": args.date, "time_limit_s": args.time_limit, "seed": number},
                headers=key,
            )
            if response.status_code != 202:
                run.errors.append(f"plan {response.status_code}: {response.text[:200]}")
                return run
            plan_id = response.json()["plan_id"]
            plan_ids.append(plan_id)
            began: float | None = None
            while True:
                job = http.get(f"/plans/{plan_id}/job", headers=key).json()
                if job["status"] == "running" and began is None:
                    began = time.monotonic()
                if job["status"] in ("done", "failed", "cancelled"):
                    break
                if time.monotonic() - asked > args.time_limit * args.clients * 4 + 120:
                    run.errors.append("timed out waiting for the job")
                    return run
                time.sleep(0.25)
            finished = time.monotonic()
            run.queued_s = (began or finished) - asked
            run.solve_s = finished - (began or asked)
            run.began_at, run.finished_at = (began or asked), finished
            run.status = job["status"]
            run.check_ok = job["check_ok"]
            if job["status"] != "done":
                run.errors.append(f"job {job['status']}: {job['message']}")
            plan = http.get(f"/plans/{plan_id}", headers=key)
            if plan.status_code != 200:
                run.errors.append(f"plan read {plan.status_code}")
            else:
                run.visited = int(plan.json()["kpis"].get("visited", 0))
        except httpx.HTTPError as error:
            run.errors.append(f"{type(error).__name__}: {error}")
    run.total_s = time.monotonic() - started
    return run


def reader(
    url: str,
    admin: dict[str, str],
    plan_ids: list[str],
    stop: threading.Event,
    latencies: list[float],
    errors: list[str],
) -> None:
    paths = ["/tickets?limit=50", "/schools?limit=50", "/plans?limit=20", "/me"]
    turn = 0
    with httpx.Client(base_url=url, timeout=30) as http:
        while not stop.is_set():
            if plan_ids and turn % 2 == 0:
                path = f"/plans/{plan_ids[turn // 2 % len(plan_ids)]}/job"
            else:
                path = paths[turn % len(paths)]
            turn += 1
            moment = time.monotonic()
            try:
                response = http.get(path, headers=admin)
                if response.status_code >= 400:
                    errors.append(f"GET {path}: {response.status_code}")
            except httpx.HTTPError as error:
                errors.append(f"GET {path}: {type(error).__name__}")
                continue
            latencies.append((time.monotonic() - moment) * 1000)
            time.sleep(0.05)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def benchmark(url: str, admin_key: str, args: argparse.Namespace) -> dict[str, Any]:
    admin = {"X-API-Key": admin_key}
    base = sample_document(args.tickets)
    documents = [client_copy(base, n) for n in range(1, args.clients + 1)]
    plan_ids: list[str] = []
    latencies: list[float] = []
    read_errors: list[str] = []
    stop = threading.Event()
    readers = [
        threading.Thread(
            target=reader, args=(url, admin, plan_ids, stop, latencies, read_errors), daemon=True
        )
        for _ in range(args.readers)
    ]
    for thread in readers:
        thread.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        runs = list(
            pool.map(
                lambda n: run_client(url, admin, n, documents[n - 1], args, plan_ids),
                range(1, args.clients + 1),
            )
        )
    wall = time.monotonic() - started
    stop.set()
    for thread in readers:
        thread.join(timeout=10)
    solved = sum(1 for r in runs if r.status == "done")
    cores = os.cpu_count() or 2
    # One solve keeps one core busy for its time limit: the most the machine can do.
    ideal_per_min = cores * 60 / args.time_limit
    achieved_per_min = solved * 60 / wall if wall else 0.0
    # While solves run: from the first job seen running to the last seen finished
    # (imports before, and the last lone solve after, leave a core idle by construction).
    done = [r for r in runs if r.status == "done"]
    window = max(r.finished_at for r in done) - min(r.began_at for r in done) if done else 0.0
    busy = sum(r.solve_s for r in done) / (cores * window) if window else 0.0
    return {
        "clients": args.clients,
        "tickets_per_client": args.tickets,
        "time_limit_s": args.time_limit,
        "cores": cores,
        "wall_s": round(wall, 1),
        "solves_done": solved,
        "client_errors": [e for r in runs for e in r.errors],
        "checker_ok": sum(1 for r in runs if r.check_ok),
        "throughput_solves_per_min": round(achieved_per_min, 2),
        "ideal_solves_per_min": round(ideal_per_min, 2),
        "throughput_vs_cores": round(achieved_per_min / ideal_per_min, 2) if ideal_per_min else None,
        "solving_window_s": round(window, 1),
        "cores_busy_while_solving": round(busy, 2),
        "import_s_mean": round(statistics.fmean(r.import_s for r in runs), 2),
        "queued_s_max": round(max(r.queued_s for r in runs), 1),
        "solve_s_mean": round(statistics.fmean(r.solve_s for r in runs), 2),
        "reads": len(latencies),
        "read_errors": read_errors[:20],
        "read_ms_p50": round(percentile(latencies, 0.50), 1),
        "read_ms_p95": round(percentile(latencies, 0.95), 1),
        "read_ms_p99": round(percentile(latencies, 0.99), 1),
        "runs": [asdict(r) for r in runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running service (default: start one)")
    parser.add_argument("--admin-key", default=ADMIN_KEY, help="admin key of --url")
    parser.add_argument(
        "--database-url", help="database of the started service (default: a temp SQLite file)"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="solver processes of the started service (0 = cores)"
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--tickets", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--readers", type=int, default=2, help="threads reading while solves run")
    parser.add_argument("--date", default="2026-11-23")
    parser.add_argument("--out", type=Path, help="write the report as JSON here too")
    args = parser.parse_args()
    if args.url:
        report = benchmark(args.url.rstrip("/"), args.admin_key, args)
    else:
        with tempfile.TemporaryDirectory(prefix="dromologio-load-") as temp:
            database_url = args.database_url or f"sqlite:///{Path(temp) / 'load.db'}"
            with local_server(database_url, args.workers, Path(temp) / "server.log") as url:
                report = benchmark(url, ADMIN_KEY, args)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "runs"}
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
