"""DROMOLOGIO_SCHEDULER: where campaign and estimate jobs solve; a bad value is refused at start, an
unreachable scheduler fails the job with the address in its message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from dromologio.api import memory_jobs
from dromologio.api.main import create_app
from dromologio.api.server import serve
from dromologio.api.settings import Settings
from dromologio.dispatch.executor import DaskExecutor, InlineExecutor, LocalExecutor, SolveExecutor

from .conftest import ADMIN, make_settings, tiny_problem, wait_for

ESTIMATE = {"start": "2026-11-18", "end": "2026-11-20", "time_limit_s": 0.3}
CAMPAIGN = {"school_ids": ["S1", "S2"], "start": "2026-11-23", "end": "2026-11-24", "skill": "network"}


@pytest.mark.parametrize("value", ["nonsense", "host:8786", "http://host:8786", "tcp://"])
def test_a_bad_scheduler_is_refused_at_start_naming_the_setting(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DROMOLOGIO_SCHEDULER", value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert "DROMOLOGIO_SCHEDULER" in str(refused.value) and "tcp://host:8786" in str(refused.value)


def test_serve_stops_on_a_bad_scheduler_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DROMOLOGIO_SCHEDULER", "dask-host:8786")
    with pytest.raises(SystemExit) as stopped:
        serve(database_url=f"sqlite:///{tmp_path / 'never.db'}")
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "DROMOLOGIO_SCHEDULER" in message and "tcp://host:8786" in message
    assert not (tmp_path / "never.db").exists()


@pytest.mark.parametrize("value", ["", "local", "tcp://10.0.0.5:8786", " tls://dask.example.gr:8786 "])
def test_good_schedulers_are_kept(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROMOLOGIO_SCHEDULER", value)
    assert Settings().scheduler == value.strip()


def test_the_setting_chooses_the_executor() -> None:
    local = memory_jobs.job_executor(Settings(solver_workers=2))
    local.close()
    assert isinstance(local, LocalExecutor)
    cluster = memory_jobs.job_executor(Settings(scheduler="local"))
    try:
        assert isinstance(cluster, DaskExecutor) and cluster.workers >= 1
    finally:
        cluster.close()


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Dask schedulers replaced by this process: the addresses asked for, in order."""
    asked: list[str] = []

    def executor_for(scheduler: str) -> SolveExecutor:
        asked.append(scheduler)
        return InlineExecutor(1)

    monkeypatch.setattr(memory_jobs, "executor_for", executor_for)
    return asked


def _client(database_url: str, scheduler: str) -> TestClient:
    return TestClient(
        create_app(make_settings(database_url, scheduler=scheduler)), raise_server_exceptions=False
    )


def _finished(client: TestClient, path: str) -> dict[str, Any]:
    return wait_for(
        lambda: client.get(path, headers=ADMIN).json(),
        until=lambda job: job.get("status") in ("done", "failed"),
        timeout_s=180,
    )


@pytest.fixture
def scheduled(database_url: str) -> Iterator[TestClient]:
    with _client(database_url, "tcp://dask.example.gr:8786") as client:
        assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
        yield client


def test_estimate_and_campaign_jobs_run_on_the_scheduler_of_the_setting(
    scheduled: TestClient, stand_in: list[str]
) -> None:
    estimate = scheduled.post("/estimates", json=ESTIMATE, headers=ADMIN).json()
    assert estimate["runs_on"] == "Dask scheduler tcp://dask.example.gr:8786"
    assert _finished(scheduled, f"/estimates/{estimate['estimate_id']}")["status"] == "done"
    campaign = scheduled.post("/campaigns", json=CAMPAIGN, headers=ADMIN).json()
    assert _finished(scheduled, f"/campaigns/{campaign['campaign_id']}")["status"] == "done"
    assert stand_in == ["tcp://dask.example.gr:8786"] * 2


def test_an_unreachable_scheduler_fails_the_job_with_its_address(database_url: str) -> None:
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        _client(database_url, "tcp://127.0.0.1:9") as client,
    ):
        assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
        estimate = client.post("/estimates", json=ESTIMATE, headers=ADMIN).json()
        failed = _finished(client, f"/estimates/{estimate['estimate_id']}")
    assert failed["status"] == "failed"
    assert "127.0.0.1:9" in failed["error"]
