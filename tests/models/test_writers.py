"""Writing a problem out and reading it back, in the three forms."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dromologio.models import (
    Base,
    Policy,
    Port,
    Problem,
    Sailing,
    School,
    Technician,
    Ticket,
    problem_to_dict,
    read_problem,
    read_problem_dict,
    write_problem,
)


def greek_problem() -> Problem:
    schools = (
        School(
            "S0123",
            "1ο Δημοτικό Σχολείο Ιωαννίνων",
            39.665,
            20.853,
            "Δ.Π.Ε. Ιωαννίνων",
            extra={"μαθητές": "312", "σημείωση": "είσοδος από την οδό Ζωσιμάδων, πίσω αυλή"},
        ),
        School(
            "S0456",
            "Γυμνάσιο Μετσόβου",
            39.77,
            21.183,
            "Δ.Δ.Ε. Ιωαννίνων",
            opens_min=8 * 60,
            closes_min=13 * 60 + 30,
            needs_4x4=True,
            terrain="mountainous",
            extra={"μαθητές": "85", "σημείωση": ""},
        ),
        School(
            "S0789",
            "Δημοτικό Σχολείο Τήνου",
            37.538,
            25.163,
            "Δ.Π.Ε. Κυκλάδων",
            island="Τήνος",
            extra={"μαθητές": "", "σημείωση": ""},
        ),
    )
    bases = (
        Base("B01", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων", 39.665, 20.853, extra={"τηλέφωνο": ""}),
        Base(
            "B02",
            "Γραφείο Σύρου",
            37.444,
            24.942,
            island="Σύρος",
            kind="partner",
            extra={"τηλέφωνο": "22810 12345"},
        ),
    )
    technicians = (
        Technician(
            "T01",
            "Γιώργος Παπαδόπουλος",
            "B01",
            frozenset({"ltsp", "windows", "network"}),
            "ΚΕ.ΠΛΗ.ΝΕ.Τ.",
            max_km_per_day=250.0,
            has_4x4=True,
        ),
        Technician(
            "T02",
            "Μαρία Κυριακού",
            "B02",
            frozenset({"printer"}),
            "Δήμος Σύρου",
            shift_start_min=7 * 60 + 30,
            shift_end_min=15 * 60 + 30,
            cost_per_km=0.2,
        ),
    )
    tickets = (
        Ticket(
            "K17",
            "S0123",
            datetime(2026, 11, 23, 9, 40),
            "Διακομιστής LTSP, δεν εκκινεί",
            "ltsp",
            "urgent",
            90,
            due_by=datetime(2026, 11, 24, 14, 0),
            extra={"αναφέρων": "Ο διευθυντής"},
        ),
        Ticket(
            "K18",
            "S0456",
            datetime(2026, 11, 20, 8, 5, 30),
            "δίκτυο",
            "network",
            "normal",
            45,
            remote=True,
            extra={"αναφέρων": ""},
        ),
        Ticket(
            "K19",
            "S0789",
            datetime(2026, 11, 21, 10, 0),
            "=εκτυπωτής",
            "printer",
            "low",
            30,
            warranty=True,
            extra={"αναφέρων": ""},
        ),
    )
    ports = (
        Port("SYR", "Ερμούπολη", 37.441, 24.946, "Σύρος"),
        Port("TIN", "Τήνος", 37.537, 25.161, "Τήνος"),
    )
    sailings = (
        Sailing("SYR", "TIN", 10 * 60 + 45, 40, fare_eur=12.5, extra={"πλοίο": ""}),
        Sailing(
            "TIN",
            "SYR",
            17 * 60 + 30,
            40,
            days=frozenset({"Mon", "Wed", "Fri"}),
            extra={"πλοίο": "Θεολόγος Π"},
        ),
    )
    policy = Policy(
        cost_per_km_eur=0.2,
        ferry_check_in_min=45,
        priority_value_eur={"urgent": 500, "high": 200, "normal": 100, "low": 25},
    )
    return Problem(schools, bases, technicians, tickets, ports, sailings, policy, name="Ήπειρος")  # fmt: skip


def assert_same(read: Problem, written: Problem) -> None:
    """Equal, extra columns included (they are not part of dataclass equality).

    Every row of a table carries the same extra columns here: in a table, a row
    without some extra column reads back with that column empty.
    """
    assert read == written.replace(name=read.name)
    for table in ("schools", "bases", "technicians", "tickets", "ports", "sailings"):
        for got, expected in zip(getattr(read, table), getattr(written, table), strict=True):
            assert dict(got.extra) == dict(expected.extra), table


@pytest.mark.parametrize("target", ["folder", "problem.json", "problem.xlsx"])
def test_round_trip(tmp_path: Path, target: str) -> None:
    problem = greek_problem()
    path = write_problem(problem, tmp_path / target)
    back = read_problem(path)
    assert_same(back, problem)
    assert back.schools[0].name == "1ο Δημοτικό Σχολείο Ιωαννίνων"
    assert back.tickets[2].category == "=εκτυπωτής"


def test_round_trip_without_optional_tables_or_extras(tmp_path: Path) -> None:
    problem = greek_problem()
    problem = problem.replace(
        schools=problem.schools[:2],
        bases=problem.bases[:1],
        technicians=(problem.technicians[0],),
        tickets=problem.tickets[:2],
        ports=(),
        sailings=(),
        policy=Policy(),
    )
    for target in ("folder", "p.json", "p.xlsx"):
        assert_same(read_problem(write_problem(problem, tmp_path / target)), problem)


def test_json_name_is_kept(tmp_path: Path) -> None:
    assert read_problem(write_problem(greek_problem(), tmp_path / "x.json")).name == "Ήπειρος"


def test_csv_cells_are_canonical(tmp_path: Path) -> None:
    folder = write_problem(greek_problem(), tmp_path / "out")
    technicians = (folder / "technicians.csv").read_text(encoding="utf-8")
    assert technicians == (
        "technician_id,name,base_id,skills,shift_start,shift_end,employer,max_km_per_day,has_4x4,cost_per_km\n"
        "T01,Γιώργος Παπαδόπουλος,B01,windows;ltsp;network,08:00,16:00,ΚΕ.ΠΛΗ.ΝΕ.Τ.,250,true,\n"
        "T02,Μαρία Κυριακού,B02,printer,07:30,15:30,Δήμος Σύρου,,false,0.2\n"
    )
    tickets = (folder / "tickets.csv").read_text(encoding="utf-8").splitlines()
    assert tickets[0] == (
        "ticket_id,school_id,opened_at,category,skill,priority,service_minutes,remote,warranty,due_by,αναφέρων"
    )
    assert tickets[1] == (
        'K17,S0123,2026-11-23T09:40,"Διακομιστής LTSP, δεν εκκινεί",ltsp,urgent,90,false,false,2026-11-24T14:00,'
        "Ο διευθυντής"
    )
    assert tickets[2] == "K18,S0456,2026-11-20T08:05:30,δίκτυο,network,normal,45,true,false,,"
    ferries = (folder / "ferries.csv").read_text(encoding="utf-8").splitlines()
    assert ferries == [
        "from_port,to_port,depart,duration_min,days,fare_eur,πλοίο",
        "SYR,TIN,10:45,40,daily,12.5,",
        "TIN,SYR,17:30,40,Mon;Wed;Fri,,Θεολόγος Π",
    ]
    schools = (folder / "schools.csv").read_text(encoding="utf-8").splitlines()
    assert (
        schools[0]
        == "school_id,name,lat,lon,directorate,island,opens,closes,needs_4x4,terrain,μαθητές,σημείωση"
    )
    policy = json.loads((folder / "policy.json").read_text(encoding="utf-8"))
    assert policy == greek_problem().policy.to_dict()


def test_terrain_column_only_when_used(tmp_path: Path) -> None:
    problem = greek_problem()
    plain = problem.replace(
        schools=(problem.schools[0], problem.schools[2]), tickets=(problem.tickets[0], problem.tickets[2])
    )
    folder = write_problem(plain, tmp_path / "out")
    header = (folder / "schools.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "terrain" not in header.split(",")


def test_empty_optional_tables_are_written_with_a_header(tmp_path: Path) -> None:
    problem = greek_problem()
    folder = tmp_path / "out"
    write_problem(problem, folder)
    plain = problem.replace(
        schools=problem.schools[:2],
        bases=problem.bases[:1],
        technicians=problem.technicians[:1],
        tickets=problem.tickets[:2],
        ports=(),
        sailings=(),
    )
    write_problem(plain, folder)
    assert (folder / "ports.csv").read_text(encoding="utf-8") == "port_id,name,lat,lon,island\n"
    assert read_problem(folder).ports == ()


def test_problem_to_dict_is_json_ready_and_inverse_of_read_problem_dict() -> None:
    problem = greek_problem()
    doc = json.loads(json.dumps(problem_to_dict(problem), ensure_ascii=False))
    assert doc["name"] == "Ήπειρος"
    assert doc["schools"][0]["lat"] == 39.665
    assert doc["schools"][0]["μαθητές"] == "312"
    assert doc["technicians"][0]["has_4x4"] is True
    assert doc["technicians"][1]["max_km_per_day"] is None
    assert doc["tickets"][0]["due_by"] == "2026-11-24T14:00"
    assert doc["policy"]["ferry_check_in_min"] == 45
    assert_same(read_problem_dict(doc), problem)


def test_workbook_cells(tmp_path: Path) -> None:
    path = write_problem(greek_problem(), tmp_path / "p.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["schools", "bases", "technicians", "tickets", "ports", "ferries", "policy"]
    schools = workbook["schools"]
    assert schools["B2"].value == "1ο Δημοτικό Σχολείο Ιωαννίνων"
    assert schools["C2"].value == 39.665
    assert schools["G2"].value == "08:15"
    assert workbook["tickets"]["D4"].value == "=εκτυπωτής"
    policy = {row[0]: row[1] for row in workbook["policy"].iter_rows(min_row=2, values_only=True)}
    assert policy["cost_per_km_eur"] == "0.2"


def test_extra_column_clashing_with_a_contract_column_is_refused(tmp_path: Path) -> None:
    problem = greek_problem()
    odd = Base("B09", "Βάση", 39.0, 21.0, extra={"kind": "x"})
    with pytest.raises(ValueError, match="clash"):
        write_problem(problem.replace(bases=(*problem.bases, odd)), tmp_path / "out")
