"""``dromologio travel DIR FROM TO``: a dispatcher's "how long to get there?" on the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dromologio.cli_travel import app
from dromologio.sample import write_sample

runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("travel") / "sample")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, " ".join(result.output.split())


def test_a_mountain_school_by_road(sample: Path) -> None:
    code, output = run(str(sample), "KPN-IOA", "S0051", "--date", "2026-11-23")  # Aetomilitsa
    assert code == 0, output
    assert "needs a 4x4 vehicle" in output  # the car row
    assert "ΕΟ20" in output and "Κόνιτσα" in output  # the 4x4 row, by the Konitsa road


def test_an_island_school_by_sailing_with_times(sample: Path) -> None:
    code, output = run(str(sample), "UAEG-SYR", "S0214", "--date", "2026-11-23", "--at", "07:00", "--json")
    assert code == 0, output
    answer = json.loads(output)
    car = answer["vehicles"][0]
    assert car["possible"] and car["sailings"] >= 1
    crossing = next(leg for leg in car["legs"] if leg["kind"] == "sailing")
    assert crossing["depart"] >= "07:30"  # boarded after the 30 min check-in
    assert answer["to"]["island"] == "Τήνος"


def test_a_point_is_placed_on_the_island_of_its_nearest_place(sample: Path) -> None:
    code, output = run(str(sample), "KPN-IOA", "39.88,20.75", "--date", "2026-11-23", "--json")
    assert code == 0, output
    answer = json.loads(output)
    assert answer["to"]["kind"] == "point" and answer["to"]["island"] == ""
    assert answer["vehicles"][1]["minutes"] > 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("KPN-IOA", "S9999"), "S9999"),
        (("KPN-IOA", "S0001", "--date", "23/11/2026"), "YYYY-MM-DD"),
        (("KPN-IOA", "S0001", "--at", "8am"), "HH:MM"),
        (("KPN-IOA", "0,0"), "outside Greece"),
    ],
)
def test_bad_arguments_exit_2_and_say_why(sample: Path, args: tuple[str, ...], message: str) -> None:
    code, output = run(str(sample), *args)
    assert code == 2
    assert message in output
