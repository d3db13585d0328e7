"""The files the writers and the sample generator write follow the table specs, byte for byte.

The golden files under ``data/golden/`` are what the writers and the generator wrote
before their columns and cells followed ``models/table_specs.py``; a change to either
that alters a byte of them is a change of the file formats.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

import pytest

from dromologio.models import read_problem, write_problem
from dromologio.models.problem import KnownTravelTime, Technician
from dromologio.models.table_specs import SPECS, TEXT, Column, TableSpec
from dromologio.models.writers import row_values
from dromologio.sample import sample_data_dir
from dromologio.sample.generate import generate_problem_files
from dromologio.sample.records import TechnicianRow

from .test_writers import assert_same, greek_problem

GOLDEN = Path(__file__).parent / "data" / "golden"


def assert_same_files(written: Path, golden: Path) -> None:
    """Every golden CSV file is written, with the same bytes, and no other CSV file is."""
    expected = sorted(p.name for p in golden.glob("*.csv"))
    assert sorted(p.name for p in written.glob("*.csv")) == expected
    for name in expected:
        assert (written / name).read_bytes() == (golden / name).read_bytes(), name


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate_problem_files(folder, num_tickets=6, num_technicians=3, num_schools=8, seed=11, islands=False)
    return folder


def test_the_generator_writes_the_golden_files(generated: Path) -> None:
    assert_same_files(generated, GOLDEN / "generated")


def test_the_writers_write_the_golden_files_of_a_generated_problem(generated: Path, tmp_path: Path) -> None:
    written = write_problem(read_problem(generated), tmp_path / "written")
    assert_same_files(written, GOLDEN / "written")


def test_the_writers_write_the_golden_files_with_extras_ferries_and_known_times(tmp_path: Path) -> None:
    problem = greek_problem().replace(
        travel_times=(
            KnownTravelTime("B01", "S0456", 75, km=55.5),
            KnownTravelTime("B01", "S0123", 10, one_way=True),
        )
    )
    written = write_problem(problem, tmp_path / "written")
    assert_same_files(written, GOLDEN / "written_greek")
    assert read_problem(written).travel_times == problem.travel_times


def test_the_sample_reads_written_and_read_again_equal(tmp_path: Path) -> None:
    sample = read_problem(sample_data_dir())
    back = read_problem(write_problem(sample, tmp_path / "sample"))
    assert_same(back, sample)
    assert back.bases[0].extra["directorate"] == sample.bases[0].extra["directorate"] != ""


def test_a_column_added_to_a_spec_is_written_and_sampled_with_its_default() -> None:
    """A new optional column needs no second edit: the writers and the sample's records follow the spec."""
    phone = Column("phone", "phone", TEXT, required=False, filled=False, default="")
    with_phone = dataclasses.replace(SPECS["technicians"], columns=(*SPECS["technicians"].columns, phone))

    @dataclasses.dataclass
    class WithPhone(TechnicianRow):
        spec: ClassVar[TableSpec] = with_phone

    technician = Technician("T01", "Ελένη", "B01", frozenset({"network", "windows"}), "ΚΕ.ΠΛΗ.ΝΕ.Τ.")
    assert row_values(with_phone, technician) == {
        "technician_id": "T01",
        "name": "Ελένη",
        "base_id": "B01",
        "skills": "windows;network",
        "shift_start": "08:00",
        "shift_end": "16:00",
        "employer": "ΚΕ.ΠΛΗ.ΝΕ.Τ.",
        "max_km_per_day": None,
        "has_4x4": False,
        "cost_per_km": None,
        "phone": "",
    }
    record = WithPhone("T01", "Ελένη", "B01", ("network", "windows"), 7 * 60 + 30, 15 * 60, "Δήμος", 250.0)
    assert record.as_row() == [
        "T01",
        "Ελένη",
        "B01",
        "windows;network",
        "07:30",
        "15:00",
        "Δήμος",
        "250",
        "false",
        "",
        "",
    ]
