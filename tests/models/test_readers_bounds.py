"""Readers refuse poison values (far dates, places outside Greece, formulas without results) and read
part of a problem against ids stored elsewhere."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dromologio.models import (
    InputError,
    InputIssue,
    Problem,
    Ticket,
    read_problem,
    read_problem_dict,
    write_problem,
)
from dromologio.models.cells import format_instant
from dromologio.models.partial import StoredIds
from dromologio.models.readers import read_tables, read_tables_dict
from dromologio.models.writers import problem_to_dict

from .test_readers import BASES, SCHOOLS, TICKETS, make_folder, only_issue, with_line


def issues_of_tables(path: Path, stored: StoredIds) -> list[InputIssue]:
    with pytest.raises(InputError) as caught:
        read_tables(path, stored)
    return caught.value.issues


# --- dates and instants -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "year"), [("0201-02-03T19:14", 201), ("1999-12-31T23:59", 1999), ("2101-01-01T00:00", 2101)]
)
def test_instants_outside_2000_to_2100_are_refused(tmp_path: Path, cell: str, year: int) -> None:
    tickets = with_line(TICKETS, "2026-11-23T09:40", cell)
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 2, "opened_at", cell)
    assert issue.message == f"'{cell}' is in the year {year}, outside 2000..2100"
    assert issue.fix == "write the full four-digit year, e.g. 2026-11-23T09:40"


def test_due_by_is_bounded_too(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "2026-11-24T14:00", "20266-11-24T14:00")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.row, issue.column) == (2, "due_by")


def test_instants_are_written_with_four_digit_years() -> None:
    assert format_instant(datetime(201, 2, 3, 19, 14)) == "0201-02-03T19:14"
    assert format_instant(datetime(2026, 11, 20, 8, 5, 30)) == "2026-11-20T08:05:30"
    problem = small_problem()
    old = Ticket("K9", "S01", datetime(201, 2, 3, 19, 14), "x", "network", "low", 30)
    document = problem_to_dict(problem.replace(tickets=(*problem.tickets, old)))
    assert document["tickets"][-1]["opened_at"] == "0201-02-03T19:14"


def small_problem() -> Problem:
    schools = [{"school_id": "S01", "name": "x", "lat": 39.6, "lon": 20.8, "directorate": "Δ", "island": ""}]
    bases = [{"base_id": "B01", "name": "x", "lat": 39.6, "lon": 20.8, "island": "", "kind": "keplinet"}]
    technicians = [
        {"technician_id": "T01", "name": "x", "base_id": "B01", "skills": "windows", "employer": "E"}
    ]
    return read_problem_dict({"schools": schools, "bases": bases, "technicians": technicians, "tickets": []})


# --- places -------------------------------------------------------------------------------


def test_swapped_coordinates_are_named(tmp_path: Path) -> None:
    schools = with_line(SCHOOLS, "39.770,21.183", "21.183,39.770")
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 3, "lat")
    assert issue.message == "lat 21.183 and lon 39.77 look swapped"
    assert issue.fix == "swap them: lat 39.77, lon 21.183"


def test_a_place_outside_greece_is_refused(tmp_path: Path) -> None:
    bases = with_line(BASES, "37.444,24.942", "-37.444,24.942")
    issue = only_issue(make_folder(tmp_path, {"bases.csv": bases}))
    assert (issue.file, issue.row, issue.column) == ("bases.csv", 3, "lat")
    assert issue.message == "latitude -37.444 is outside Greece"
    assert "check the sign" in issue.fix


# --- workbooks ----------------------------------------------------------------------------


def test_a_formula_without_a_saved_result_is_not_read_as_empty(tmp_path: Path) -> None:
    path = write_problem(read_problem(make_folder(tmp_path)), tmp_path / "p.xlsx")
    book = load_workbook(path)
    sheet = book["technicians"]
    column = [c.value for c in sheet[1]].index("max_km_per_day") + 1
    sheet.cell(row=3, column=column).value = "=100+50"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_problem(path)
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "p.xlsx:technicians",
        3,
        "max_km_per_day",
        "=100+50",
    )
    assert issue.message.startswith(f"cell {sheet.cell(row=3, column=column).coordinate} holds a formula")


# --- part of a problem ----------------------------------------------------------------------


def test_tickets_alone_are_read_against_stored_schools(tmp_path: Path) -> None:
    folder = tmp_path / "day"
    folder.mkdir()
    (folder / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    tables = read_tables(folder, StoredIds(schools=frozenset({"S01", "S02", "S03"})))
    assert [t.ticket_id for t in tables.tickets] == ["K01", "K02", "K03"]
    assert tables.present == {"tickets"} and tables.rows["tickets"] == (2, 3, 4)
    assert tables.label("tickets") == "tickets.csv" and tables.policy is None and tables.schools == ()

    issues = issues_of_tables(folder, StoredIds(schools=frozenset({"S01", "S02", "S003"})))
    assert [(i.file, i.row, i.column, i.message) for i in issues] == [
        ("tickets.csv", 4, "school_id", "no school 'S03'")
    ]
    assert issues[0].fix == "import it first or fix the id (did you mean 'S003'?)"


def test_hints_name_only_the_ids_the_caller_may_see() -> None:
    ticket = {
        "ticket_id": "K1",
        "school_id": "S-ART2",
        "opened_at": "2026-11-20T09:00",
        "category": "x",
        "skill": "network",
        "priority": "low",
        "service_minutes": 30,
    }
    stored = StoredIds(schools=frozenset({"S-ART1"}), visible={"schools": frozenset()})
    with pytest.raises(InputError) as caught:
        read_tables_dict({"tickets": [ticket]}, stored)
    assert caught.value.issues[0].fix == "import it first or fix the id"


def test_island_schools_may_rely_on_stored_ports(tmp_path: Path) -> None:
    folder = tmp_path / "schools"
    folder.mkdir()
    (folder / "schools.csv").write_text(SCHOOLS, encoding="utf-8")
    assert len(read_tables(folder, StoredIds(port_islands=frozenset({"Tinos"}))).schools) == 3
    (issue,) = issues_of_tables(folder, StoredIds(port_islands=frozenset({"Syros"})))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 4, "island")
    assert issue.message == "island 'Tinos' has no port in the stored ports"


def test_nothing_to_read_is_an_issue(tmp_path: Path) -> None:
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "ticket.csv").write_text(TICKETS, encoding="utf-8")
    (issue,) = issues_of_tables(folder, StoredIds())
    assert "nothing to import" in issue.message and "'ticket.csv'" in issue.fix
