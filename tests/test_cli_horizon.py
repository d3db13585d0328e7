"""``dromologio plan --horizon``: tours (the default) or rolling, handed to the solver; others refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import dromologio.dispatch
from dromologio.cli import app
from dromologio.dispatch import Result

runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("horizon") / "sample"
    assert runner.invoke(app, ["sample", str(folder)]).exit_code == 0
    return folder


def plan_with(folder: Path, out: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> list[str]:
    """Plan two days of the sample and return the horizon each solve was asked for."""
    real = dromologio.dispatch.solve
    asked: list[str] = []

    def recording(*args: Any, **kwargs: Any) -> Result:
        asked.append(kwargs["horizon"])
        return real(*args, **kwargs)

    monkeypatch.setattr(dromologio.dispatch, "solve", recording)
    args = ["plan", str(folder), "--date", "2026-11-23", "--force", "--days", "2", "--time-limit", "0.3"]
    result = runner.invoke(app, [*args, "--quiet", "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return asked


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_tours_by_default_and_rolling_on_request(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert plan_with(sample, tmp_path / "tours.json", monkeypatch) == ["tours"]
    assert plan_with(sample, tmp_path / "rolling.json", monkeypatch, "--horizon", "rolling") == ["rolling"]


def test_an_unknown_horizon_is_refused_naming_the_choices(sample: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["plan", str(sample), "--horizon", "weekly", "--out", str(tmp_path / "p.json")]
    )
    assert result.exit_code == 2
    assert "tours" in result.output and "rolling" in result.output
    assert not (tmp_path / "p.json").exists()
