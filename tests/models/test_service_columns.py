"""The optional columns of zones, work days and preventive care: read, and bad cells named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dromologio.models import InputError, read_problem
from dromologio.models.service_columns import (
    home_zone,
    last_maintenance,
    maintenance_days,
    school_zone,
    work_days,
)
from tests.models.test_readers import SCHOOLS, TECHNICIANS, make_folder


def with_columns(table: str, header: str, cells: list[str]) -> str:
    lines = table.strip().splitlines()
    cells = cells + [""] * (len(lines) - 1 - len(cells))
    rows = [f"{line},{cell}" for line, cell in zip(lines[1:], cells, strict=True)]
    return "\n".join([f"{lines[0]},{header}", *rows]) + "\n"


def test_zones_work_days_and_maintenance_are_read(tmp_path: Path) -> None:
    schools = with_columns(
        SCHOOLS, "zone,maintenance_days,last_maintenance", ["Ζαγόρι,90,2026-09-01", ",,", ",,"]
    )
    technicians = with_columns(TECHNICIANS, "work_days,home_zone", ["Τρι;Πέμ, ζαγόρι ", ","])
    problem = read_problem(make_folder(tmp_path, {"schools.csv": schools, "technicians.csv": technicians}))
    s01, s02 = problem.schools[:2]
    t01, t02 = problem.technicians
    assert school_zone(s01) == home_zone(t01) == "ζαγόρι" and school_zone(s02) == home_zone(t02) == ""
    assert maintenance_days(s01) == 90 and last_maintenance(s01) == date(2026, 9, 1)
    assert maintenance_days(s02) is None and last_maintenance(s02) is None
    assert work_days(t01) == {"Tue", "Thu"} and len(work_days(t02)) == 7


@pytest.mark.parametrize(
    ("table", "header", "cell", "fix"),
    [
        ("technicians", "work_days", "Mon,Wed", "not ','"),
        ("technicians", "work_days", "Mo;Xyz", "Δευ;Τετ"),
        ("schools", "maintenance_days", "0", "e.g. 90"),
        ("schools", "maintenance_days", "often", "e.g. 90"),
        ("schools", "last_maintenance", "1/9/2026", "2026-11-23"),
    ],
)
def test_a_bad_cell_is_named_with_file_row_column_and_fix(
    tmp_path: Path, table: str, header: str, cell: str, fix: str
) -> None:
    text = SCHOOLS if table == "schools" else TECHNICIANS
    folder = make_folder(tmp_path, {f"{table}.csv": with_columns(text, header, [f'"{cell}"'])})
    with pytest.raises(InputError) as caught:
        read_problem(folder)
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column, issue.value) == (f"{table}.csv", 2, header, cell)
    assert fix in issue.fix
