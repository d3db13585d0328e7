"""Reading and validating a problem folder, JSON document and workbook."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from dromologio.models import InputError, InputIssue, Policy, read_problem, read_problem_dict
from dromologio.models.problem import Problem

SCHOOLS = """\
school_id,name,lat,lon,directorate,island,opens,closes,needs_4x4
S01,1ο Δημοτικό Σχολείο Ιωαννίνων,39.665,20.853,Δ.Π.Ε. Ιωαννίνων,,08:15,14:00,false
S02,Δημοτικό Σχολείο Μετσόβου,39.770,21.183,Δ.Π.Ε. Ιωαννίνων,,,,yes
S03,Γυμνάσιο Τήνου,37.538,25.163,Δ.Δ.Ε. Κυκλάδων,Tinos,08:00,13:30,
"""

BASES = """\
base_id,name,lat,lon,island,kind
B01,ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων,39.665,20.853,,keplinet
B02,Γραφείο Σύρου,37.444,24.942,Syros,partner
"""

TECHNICIANS = """\
technician_id,name,base_id,skills,shift_start,shift_end,employer,max_km_per_day,has_4x4,cost_per_km
T01,Γιώργος Παπαδόπουλος,B01,windows;network;ltsp,08:00,16:00,KE.PLI.NE.T.,250,TRUE,
T02,Μαρία Κυριακού,B02,hardware; printer,,,Δήμος Σύρου,,no,0.2
"""

TICKETS = """\
ticket_id,school_id,opened_at,category,skill,priority,service_minutes,remote,warranty,due_by
K01,S01,2026-11-23T09:40,LTSP server,ltsp,urgent,90,,,2026-11-24T14:00
K02,S02,2026-11-20 08:05:00,network,network,normal,45,false,false,
K03,S03,2026-11-21T10:00,printer,printer,low,30,yes,No,
"""

PORTS = """\
port_id,name,lat,lon,island
SYR,Ερμούπολη,37.441,24.946,Syros
TIN,Τήνος,37.537,25.161,Tinos
PIR,Πειραιάς,37.942,23.646,
"""

FERRIES = """\
from_port,to_port,depart,duration_min,days,fare_eur
SYR,TIN,10:45,40,daily,12.5
TIN,SYR,17:30,40,mon;WED;Fri,
"""

VALID = {
    "schools.csv": SCHOOLS,
    "bases.csv": BASES,
    "technicians.csv": TECHNICIANS,
    "tickets.csv": TICKETS,
    "ports.csv": PORTS,
    "ferries.csv": FERRIES,
}


def make_folder(tmp_path: Path, replace: dict[str, str | None] | None = None) -> Path:
    """The valid problem with some files replaced (``None`` leaves a file out)."""
    files: dict[str, str | None] = {**VALID, **(replace or {})}
    folder = tmp_path / "problem"
    folder.mkdir(parents=True)
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def issues_of(path: Path) -> list[InputIssue]:
    with pytest.raises(InputError) as caught:
        read_problem(path)
    return caught.value.issues


def only_issue(path: Path) -> InputIssue:
    issues = issues_of(path)
    assert len(issues) == 1, "\n".join(str(i) for i in issues)
    return issues[0]


def with_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# --- valid input -----------------------------------------------------------------


def test_reads_a_valid_folder(tmp_path: Path) -> None:
    problem = read_problem(make_folder(tmp_path))
    assert problem.name == "problem"
    assert [s.school_id for s in problem.schools] == ["S01", "S02", "S03"]
    s01, s02, s03 = problem.schools
    assert s01.name == "1ο Δημοτικό Σχολείο Ιωαννίνων"
    assert s01.directorate == "Δ.Π.Ε. Ιωαννίνων"
    assert (s01.lat, s01.lon, s01.island) == (39.665, 20.853, "")
    assert (s02.opens_min, s02.closes_min, s02.needs_4x4) == (8 * 60 + 15, 14 * 60, True)
    assert (s03.island, s03.opens_min, s03.closes_min, s03.needs_4x4, s03.terrain) == (
        "Tinos",
        480,
        810,
        False,
        "plain",
    )
    t01, t02 = problem.technicians
    assert t01.skills == {"windows", "network", "ltsp"}
    assert (t01.max_km_per_day, t01.has_4x4, t01.cost_per_km) == (250.0, True, None)
    assert t02.skills == {"hardware", "printer"}
    assert (t02.shift_start_min, t02.shift_end_min, t02.cost_per_km) == (480, 960, 0.2)
    k01, k02, k03 = problem.tickets
    assert k01.opened_at == datetime(2026, 11, 23, 9, 40)
    assert k01.due_by == datetime(2026, 11, 24, 14, 0)
    assert k02.opened_at == datetime(2026, 11, 20, 8, 5)
    assert (k02.due_by, k02.remote) == (None, False)
    assert (k03.remote, k03.warranty) == (True, False)
    daily, some = problem.sailings
    assert daily.days == {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    assert (daily.depart_min, daily.duration_min, daily.fare_eur) == (645, 40, 12.5)
    assert some.days == {"Mon", "Wed", "Fri"}
    assert some.fare_eur is None
    assert problem.policy == Policy()


def test_extra_columns_are_kept(tmp_path: Path) -> None:
    schools = SCHOOLS.replace("needs_4x4\n", "needs_4x4,μαθητές,note\n", 1)
    schools = schools.replace(",false\n", ",false,312,κοντά στο κέντρο\n").replace(",yes\n", ",yes,45,\n")
    schools = schools.replace(",13:30,\n", ",13:30,,80,\n")
    problem = read_problem(make_folder(tmp_path, {"schools.csv": schools}))
    assert dict(problem.schools[0].extra) == {"μαθητές": "312", "note": "κοντά στο κέντρο"}
    assert dict(problem.schools[1].extra) == {"μαθητές": "45", "note": ""}


def test_byte_order_mark_blank_lines_and_optional_tables(tmp_path: Path) -> None:
    schools = "school_id,name,lat,lon,directorate,island\nS01,Σχολείο,39.6,20.8,Δ.Π.Ε.,\n\n"
    bases = "base_id,name,lat,lon,island,kind\nB01,Βάση,39.6,20.8,,substation\n"
    folder = make_folder(tmp_path, {"schools.csv": schools, "bases.csv": bases, "ports.csv": None})
    (folder / "ferries.csv").unlink()
    (folder / "technicians.csv").write_bytes(
        ("\ufeff" + "technician_id,name,base_id,skills,employer\nT01,Νίκος,B01,egov,Δήμος\n").encode()
    )
    (folder / "tickets.csv").write_text(
        "ticket_id,school_id,opened_at,category,skill,priority,service_minutes\n"
        "K01,S01,2026-11-23T09:40,e-gov,egov,high,20\n",
        encoding="utf-8",
    )
    problem = read_problem(folder)
    assert problem.technicians[0].technician_id == "T01"
    assert (problem.ports, problem.sailings) == ((), ())
    assert problem.schools[0].opens_min == 8 * 60 + 15


def test_policy_json_is_read(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "policy.json").write_text(
        json.dumps({"cost_per_km_eur": 0.2, "ferry_check_in_min": 45, "priority_value_eur": {"urgent": 500}}),
        encoding="utf-8",
    )
    policy = read_problem(folder).policy
    assert policy.cost_per_km_eur == 0.2
    assert policy.ferry_check_in_min == 45
    assert policy.priority_value_eur["urgent"] == 500.0
    assert policy.priority_value_eur["low"] == Policy().priority_value_eur["low"]


# --- one test per kind of bad input ---------------------------------------------------


def test_unknown_skill_names_file_row_column_and_a_close_word(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "LTSP server,ltsp,", "LTSP server,ltps,")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 2, "skill", "ltps")
    assert str(issue) == (
        "tickets.csv row 2, column skill: 'ltps' is not one of windows, linux, ltsp, network, hardware, "
        "printer, egov — fix: use one of those words (did you mean 'ltsp'?)"
    )


def test_unknown_skill_in_a_technicians_list(tmp_path: Path) -> None:
    technicians = with_line(TECHNICIANS, "hardware; printer", "hardware;printr")
    issue = only_issue(make_folder(tmp_path, {"technicians.csv": technicians}))
    assert (issue.file, issue.row, issue.column) == ("technicians.csv", 3, "skills")
    assert issue.message.startswith("'printr' is not one of windows")
    assert "did you mean 'printer'" in issue.fix


def test_skills_separated_by_commas(tmp_path: Path) -> None:
    technicians = with_line(TECHNICIANS, "hardware; printer", '"hardware, printer"')
    issue = only_issue(make_folder(tmp_path, {"technicians.csv": technicians}))
    assert (issue.row, issue.column) == (3, "skills")
    assert "';'" in issue.fix


def test_unknown_priority(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "network,normal,", "network,Normal,")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 3, "priority", "Normal")
    assert "urgent, high, normal, low" in issue.message
    assert "did you mean 'normal'" in issue.fix


def test_missing_column_names_it_and_lists_the_present_ones(tmp_path: Path) -> None:
    schools = SCHOOLS.replace("lat,lon", "latitude,lon", 1)
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 1, "lat")
    assert "column 'lat' is missing" in issue.message
    assert "school_id, name, latitude, lon, directorate" in issue.message
    assert "did you mean 'latitude'" in issue.fix


def test_missing_required_file(tmp_path: Path) -> None:
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": None}))
    assert (issue.file, issue.row, issue.column) == ("tickets.csv", None, None)
    assert "tickets.csv is missing" in issue.message
    assert "ticket_id,school_id,opened_at" in issue.fix


def test_missing_file_suggests_a_misnamed_one(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"tickets.csv": None, "Tickets.csv": TICKETS})
    issue = only_issue(folder)
    assert issue.file == "tickets.csv"
    assert "did you mean 'Tickets.csv'" in issue.fix


def test_ports_required_when_schools_are_on_islands(tmp_path: Path) -> None:
    issue = only_issue(make_folder(tmp_path, {"ports.csv": None, "ferries.csv": None}))
    assert (issue.file, issue.row) == ("ports.csv", None)
    assert "ports.csv is missing" in issue.message
    assert "Syros, Tinos" in issue.message


def test_island_without_a_port(tmp_path: Path) -> None:
    schools = SCHOOLS + "S04,Δημοτικό Σχολείο Νισύρου,36.59,27.16,Δ.Π.Ε. Δωδεκανήσου,Nisyros,,,\n"
    ports = PORTS + "NIS,Μανδράκι,36.61,27.13,Nisiros\n"
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools, "ports.csv": ports}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("schools.csv", 5, "island", "Nisyros")
    assert issue.message == "island 'Nisyros' has no port in ports.csv"
    assert "did you mean 'Nisiros'" in issue.fix


def test_empty_required_cell(tmp_path: Path) -> None:
    schools = with_line(SCHOOLS, "S02,Δημοτικό Σχολείο Μετσόβου,", "S02,,")
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("schools.csv", 3, "name", "")
    assert issue.message == "name is empty"


def test_unknown_school_in_a_ticket(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "K02,S02,", "K02,S2,")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 3, "school_id", "S2")
    assert issue.message == "school 'S2' is not in schools.csv"
    assert "did you mean" in issue.fix


def test_unknown_base_of_a_technician(tmp_path: Path) -> None:
    technicians = with_line(TECHNICIANS, ",B02,", ",B03,")
    issue = only_issue(make_folder(tmp_path, {"technicians.csv": technicians}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("technicians.csv", 3, "base_id", "B03")
    assert "is not in bases.csv" in issue.message


def test_unknown_port_of_a_ferry(tmp_path: Path) -> None:
    ferries = with_line(FERRIES, "TIN,SYR,17:30", "TIN,SYRR,17:30")
    issue = only_issue(make_folder(tmp_path, {"ferries.csv": ferries}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("ferries.csv", 3, "to_port", "SYRR")
    assert issue.message == "port 'SYRR' is not in ports.csv"
    assert "did you mean 'SYR'" in issue.fix


def test_same_port_at_both_ends(tmp_path: Path) -> None:
    ferries = with_line(FERRIES, "TIN,SYR,17:30", "TIN,TIN,17:30")
    issue = only_issue(make_folder(tmp_path, {"ferries.csv": ferries}))
    assert (issue.row, issue.column) == (3, "to_port")


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "K03,S03,", "K01,S03,")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 4, "ticket_id", "K01")
    assert "rows 2 and 4" in issue.message


@pytest.mark.parametrize(
    ("cell", "message", "fix"),
    [
        ('"39,665"', "'39,665' is not a number", "use a dot as the decimal separator: '39.665'"),
        ("north", "'north' is not a number", "decimal number"),
        ("139.665", "latitude 139.665 is outside -90..90", "WGS84"),
    ],
)
def test_bad_latitude(tmp_path: Path, cell: str, message: str, fix: str) -> None:
    schools = with_line(SCHOOLS, "39.770,21.183", f"{cell},21.183")
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 3, "lat")
    assert issue.message == message
    assert fix in issue.fix


def test_bad_longitude(tmp_path: Path) -> None:
    bases = with_line(BASES, "37.444,24.942", "37.444,240.942")
    issue = only_issue(make_folder(tmp_path, {"bases.csv": bases}))
    assert (issue.file, issue.row, issue.column) == ("bases.csv", 3, "lon")
    assert "outside -180..180" in issue.message


def test_closes_not_after_opens(tmp_path: Path) -> None:
    schools = with_line(SCHOOLS, "08:00,13:30", "13:30,13:30")
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 4, "closes")
    assert issue.message == "closes 13:30 is not later than opens 13:30"


def test_opens_after_the_default_closing_time(tmp_path: Path) -> None:
    schools = with_line(SCHOOLS, "08:00,13:30", "15:00,")
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.row, issue.column) == (4, "opens")
    assert issue.message == "closes 14:00 (the default) is not later than opens 15:00"


def test_shift_end_before_shift_start(tmp_path: Path) -> None:
    technicians = with_line(TECHNICIANS, "08:00,16:00", "16:00,08:00")
    issue = only_issue(make_folder(tmp_path, {"technicians.csv": technicians}))
    assert (issue.file, issue.row, issue.column) == ("technicians.csv", 2, "shift_end")
    assert issue.message == "shift_end 08:00 is not later than shift_start 16:00"


@pytest.mark.parametrize("cell", ["8.15", "25:00", "24:30", "08:15:30", "8h"])
def test_bad_time(tmp_path: Path, cell: str) -> None:
    schools = with_line(SCHOOLS, "08:15,14:00", f"{cell},14:00")
    issue = only_issue(make_folder(tmp_path, {"schools.csv": schools}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("schools.csv", 2, "opens", cell)
    assert issue.message == f"'{cell}' is not a time of day"
    assert "HH:MM" in issue.fix


@pytest.mark.parametrize(
    "cell", ["23/11/2026 09:40", "2026-11-23", "2026-11-23T09:40+02:00", "2026-13-01T09:00"]
)
def test_bad_instant(tmp_path: Path, cell: str) -> None:
    tickets = with_line(TICKETS, "2026-11-23T09:40", cell)
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 2, "opened_at", cell)
    assert "2026-11-23T09:40" in issue.fix


def test_due_before_opened(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "2026-11-24T14:00", "2026-11-22T14:00")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.row, issue.column) == (2, "due_by")


def test_bad_boolean(tmp_path: Path) -> None:
    tickets = with_line(TICKETS, "30,yes,No,", "30,maybe,No,")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 4, "remote", "maybe")
    assert issue.message == "'maybe' is not a yes/no value"
    assert "true or false" in issue.fix


@pytest.mark.parametrize(
    ("cell", "message"), [("0", "0 minutes"), ("-5", "-5 minutes"), ("45.5", "whole number")]
)
def test_bad_service_minutes(tmp_path: Path, cell: str, message: str) -> None:
    tickets = with_line(TICKETS, "normal,45,", f"normal,{cell},")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert (issue.file, issue.row, issue.column) == ("tickets.csv", 3, "service_minutes")
    assert message in issue.message


def test_bad_ferry_days(tmp_path: Path) -> None:
    ferries = with_line(FERRIES, "mon;WED;Fri", "Monday;Wed;Fry")
    issue = only_issue(make_folder(tmp_path, {"ferries.csv": ferries}))
    assert (issue.file, issue.row, issue.column) == ("ferries.csv", 3, "days")
    assert issue.message == "'Monday', 'Fry' are not a weekday"
    assert "did you mean 'Mon', 'Fri'" in issue.fix


def test_negative_fare_and_cost(tmp_path: Path) -> None:
    ferries = with_line(FERRIES, "daily,12.5", "daily,-12.5")
    technicians = with_line(TECHNICIANS, ",no,0.2", ",no,-0.2")
    issues = issues_of(make_folder(tmp_path, {"ferries.csv": ferries, "technicians.csv": technicians}))
    assert [(i.file, i.row, i.column) for i in issues] == [
        ("technicians.csv", 3, "cost_per_km"),
        ("ferries.csv", 2, "fare_eur"),
    ]
    assert all("negative" in i.message for i in issues)


def test_row_with_an_unquoted_comma(tmp_path: Path) -> None:
    bases = with_line(BASES, "Γραφείο Σύρου", "Γραφείο Σύρου, Ερμούπολη")
    issues = issues_of(make_folder(tmp_path, {"bases.csv": bases}))
    assert issues[0].file == "bases.csv"
    assert issues[0].row == 3
    assert issues[0].message == "the row has 7 values but the header has 6 columns"
    assert "quotes" in issues[0].fix


def test_rows_are_numbered_by_line_across_quoted_line_breaks(tmp_path: Path) -> None:
    tickets = with_line(
        TICKETS, "K01,S01,2026-11-23T09:40,LTSP server,", 'K01,S01,2026-11-23T09:40,"LTSP\nserver",'
    )
    tickets = with_line(tickets, "network,normal,", "network,Normal,")
    issue = only_issue(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert issue.row == 4


def test_not_utf8(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "schools.csv").write_bytes(SCHOOLS.encode("cp1253"))
    issue = only_issue(folder)
    assert (issue.file, issue.row) == ("schools.csv", None)
    assert "not UTF-8" in issue.message
    assert "CSV UTF-8" in issue.fix


def test_semicolon_separated_file(tmp_path: Path) -> None:
    issue = only_issue(make_folder(tmp_path, {"bases.csv": BASES.replace(",", ";")}))
    assert (issue.file, issue.row) == ("bases.csv", 1)
    assert "separated by ';'" in issue.message
    assert "commas" in issue.fix


def test_unknown_policy_field(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "policy.json").write_text('{"cost_per_km": 0.2}', encoding="utf-8")
    issue = only_issue(folder)
    assert (issue.file, issue.value) == ("policy.json", "cost_per_km")
    assert issue.message == "'cost_per_km' is not a policy field"
    assert "did you mean 'cost_per_km_eur'" in issue.fix


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"cost_per_km_eur": "0.2"}, 'cost_per_km_eur: "0.2" is a text, not a number'),
        ({"cost_per_km_eur": None}, "cost_per_km_eur: null is not a number"),
        ({"ferry_check_in_min": 12.5}, "ferry_check_in_min: 12.5 is not a whole number"),
        ({"allow_overnight": "yes"}, 'allow_overnight: "yes" is a text, not true or false'),
        ({"allow_overnight": 1}, "allow_overnight: 1 is not true or false"),
        ({"priority_value_eur": {"urgnet": 500}}, "priority_value_eur: 'urgnet' is not one of"),
        ({"cost_per_km_eur": -1}, "cost_per_km_eur must not be negative"),
    ],
)
def test_bad_policy_value(tmp_path: Path, policy: dict[str, Any], message: str) -> None:
    folder = make_folder(tmp_path)
    (folder / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
    issue = only_issue(folder)
    assert issue.file == "policy.json"
    assert issue.message.startswith(message)


def test_policy_that_is_not_json(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "policy.json").write_text('{"cost_per_km_eur": 0.2,}', encoding="utf-8")
    issue = only_issue(folder)
    assert issue.file == "policy.json"
    assert "not valid JSON" in issue.message
    assert "line 1" in issue.message


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    schools = with_line(SCHOOLS, "39.770,21.183", "39.770,")
    tickets = with_line(TICKETS, "LTSP server,ltsp,", "LTSP server,ltps,")
    tickets = with_line(tickets, "K02,S02,", "K02,S99,")
    technicians = with_line(TECHNICIANS, ",TRUE,", ",sure,")
    folder = make_folder(
        tmp_path, {"schools.csv": schools, "tickets.csv": tickets, "technicians.csv": technicians}
    )
    (folder / "policy.json").write_text('{"solver_time_limit": 5}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_problem(folder)
    error = caught.value
    assert [(i.file, i.row, i.column) for i in error.issues] == [
        ("schools.csv", 3, "lon"),
        ("technicians.csv", 2, "has_4x4"),
        ("tickets.csv", 2, "skill"),
        ("tickets.csv", 3, "school_id"),
        ("policy.json", None, None),
    ]
    lines = str(error).splitlines()
    assert lines[0] == "5 problems in the input:"
    assert lines[1:] == [f"- {issue}" for issue in error.issues]
    assert isinstance(error, ValueError)


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    issue = only_issue(tmp_path / "nowhere")
    assert "no such file or folder" in issue.message


# --- the JSON document ------------------------------------------------------------


def document() -> dict[str, Any]:
    return {
        "schools": [
            {"school_id": "S01", "name": "1ο Δημοτικό Σχολείο Ιωαννίνων", "lat": 39.665, "lon": 20.853,
             "directorate": "Δ.Π.Ε. Ιωαννίνων", "island": "", "needs_4x4": True},
        ],
        "bases": [{"base_id": "B01", "name": "Βάση", "lat": 39.6, "lon": 20.8, "island": None, "kind": "keplinet"}],
        "technicians": [
            {"technician_id": "T01", "name": "Νίκος", "base_id": "B01", "skills": ["windows", "ltsp"],
             "employer": "KE.PLI.NE.T.", "max_km_per_day": 200, "badge": 17},
        ],
        "tickets": [
            {"ticket_id": "K01", "school_id": "S01", "opened_at": "2026-11-23T09:40", "category": "LTSP",
             "skill": "ltsp", "priority": "high", "service_minutes": 60, "remote": False},
        ],
        "policy": {"solver_time_limit_s": 5},
    }  # fmt: skip


def test_reads_a_json_document() -> None:
    problem = read_problem_dict(document(), name="demo")
    assert problem.name == "demo"
    assert problem.schools[0].needs_4x4 is True
    assert problem.bases[0].island == ""
    assert problem.technicians[0].skills == {"windows", "ltsp"}
    assert problem.technicians[0].max_km_per_day == 200.0
    assert dict(problem.technicians[0].extra) == {"badge": "17"}
    assert problem.tickets[0].service_minutes == 60
    assert problem.policy.solver_time_limit_s == 5.0


def test_json_document_issues_name_the_table_and_position(tmp_path: Path) -> None:
    doc = document()
    doc["tickets"][0]["skill"] = "ltps"
    del doc["schools"][0]["lat"]
    doc["tikets"] = []
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    issues = issues_of(path)
    assert [(i.file, i.row, i.column) for i in issues] == [
        ("problem.json:schools", None, "lat"),
        ("problem.json:tickets", 1, "skill"),
        ("problem.json", None, None),
    ]
    assert "did you mean 'tickets'" in issues[2].fix


def test_json_row_lacking_a_key_that_other_rows_have() -> None:
    doc = document()
    doc["schools"].append({**doc["schools"][0], "school_id": "S02"})
    del doc["schools"][1]["directorate"]
    with pytest.raises(InputError) as caught:
        read_problem_dict(doc)
    [issue] = caught.value.issues
    assert (issue.file, issue.row, issue.column) == ("problem.json:schools", 2, "directorate")


def test_json_nested_value_in_a_cell() -> None:
    doc = document()
    doc["schools"][0]["name"] = {"el": "Σχολείο"}
    with pytest.raises(InputError) as caught:
        read_problem_dict(doc)
    [issue] = caught.value.issues
    assert (issue.file, issue.row, issue.column) == ("problem.json:schools", 1, "name")
    assert "not a single value" in issue.message


def test_json_document_that_is_not_an_object() -> None:
    with pytest.raises(InputError) as caught:
        read_problem_dict([1, 2])  # type: ignore[arg-type]
    [issue] = caught.value.issues
    assert "not an object" in issue.message


# --- the workbook -----------------------------------------------------------------


def make_workbook(path: Path, tables: dict[str, str], policy: list[list[Any]] | None = None) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, text in tables.items():
        sheet = workbook.create_sheet(title)
        for line in text.splitlines():
            sheet.append(line.split(","))
    if policy is not None:
        sheet = workbook.create_sheet("policy")
        for row in policy:
            sheet.append(row)
    workbook.save(path)
    return path


def test_reads_a_workbook_with_sheets_named_like_files(tmp_path: Path) -> None:
    tables = {
        f"{name.removesuffix('.csv')}" if name != "tickets.csv" else name: text
        for name, text in VALID.items()
    }
    path = make_workbook(
        tmp_path / "cyclades.xlsx",
        tables,
        [["field", "value"], ["cost_per_km_eur", 0.25], ["allow_overnight", "false"]],
    )
    problem = read_problem(path)
    assert problem == read_problem(make_folder(tmp_path)).replace(name="cyclades", policy=problem.policy)
    assert problem.policy.cost_per_km_eur == 0.25
    assert problem.policy.allow_overnight is False


def test_workbook_issues_use_spreadsheet_rows(tmp_path: Path) -> None:
    tables = {name.removesuffix(".csv"): text for name, text in VALID.items()}
    tables["tickets"] = with_line(TICKETS, "LTSP server,ltsp,", "LTSP server,ltps,")
    path = make_workbook(tmp_path / "p.xlsx", tables, [["field", "value"], ["ferry_check_in", 20]])
    issues = issues_of(path)
    assert [(i.file, i.row, i.column, i.value) for i in issues] == [
        ("p.xlsx:tickets", 2, "skill", "ltps"),
        ("p.xlsx:policy", 2, "field", "ferry_check_in"),
    ]


def test_workbook_missing_sheet_and_policy_beside_it(tmp_path: Path) -> None:
    tables = {name.removesuffix(".csv"): text for name, text in VALID.items() if name != "bases.csv"}
    tables["Bases (old)"] = BASES
    path = make_workbook(tmp_path / "p.xlsx", tables)
    (tmp_path / "policy.json").write_text('{"overnight_eur": 100}', encoding="utf-8")
    issue = only_issue(path)
    assert (issue.file, issue.row) == ("p.xlsx", None)
    assert issue.message == "there is no sheet 'bases'"


def test_workbook_reads_policy_json_beside_it(tmp_path: Path) -> None:
    tables = {name.removesuffix(".csv"): text for name, text in VALID.items()}
    path = make_workbook(tmp_path / "p.xlsx", tables)
    (tmp_path / "policy.json").write_text('{"overnight_eur": 100}', encoding="utf-8")
    assert read_problem(path).policy.overnight_eur == 100.0


def test_workbook_numbers_and_dates_typed_by_a_spreadsheet(tmp_path: Path) -> None:
    tables = {name.removesuffix(".csv"): text for name, text in VALID.items()}
    path = make_workbook(tmp_path / "p.xlsx", tables)
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook["tickets"]
    sheet["C2"] = datetime(2026, 11, 23, 9, 40)
    sheet["G2"] = 90
    sheet = workbook["schools"]
    sheet["C2"] = 39.665
    workbook.save(path)
    problem = read_problem(path)
    assert problem.tickets[0].opened_at == datetime(2026, 11, 23, 9, 40)
    assert problem.tickets[0].service_minutes == 90
    assert problem.schools[0].lat == 39.665


def test_nothing_is_returned_when_one_row_is_bad(tmp_path: Path) -> None:
    tickets = TICKETS + "K04,S01,2026-11-23T11:00,network,network,normal,-1,,,\n"
    with pytest.raises(InputError):
        read_problem(make_folder(tmp_path, {"tickets.csv": tickets}))
    assert isinstance(read_problem(make_folder(tmp_path / "ok")), Problem)


def test_column_named_twice(tmp_path: Path) -> None:
    bases = BASES.replace("island,kind", "island,name", 1)
    issues = issues_of(make_folder(tmp_path, {"bases.csv": bases}))
    assert [(i.file, i.row, i.column) for i in issues] == [("bases.csv", 1, "name"), ("bases.csv", 1, "kind")]
    assert issues[0].message == "column 'name' appears twice"


def test_value_in_a_column_without_a_name(tmp_path: Path) -> None:
    bases = BASES.replace("island,kind\n", "island,kind,\n", 1).replace(",partner\n", ",partner,σημείωση\n")
    issue = only_issue(make_folder(tmp_path, {"bases.csv": bases}))
    assert (issue.file, issue.row, issue.column, issue.value) == ("bases.csv", 3, None, "σημείωση")
    assert "no name" in issue.message


def test_row_with_too_few_values(tmp_path: Path) -> None:
    ports = PORTS.replace("PIR,Πειραιάς,37.942,23.646,\n", "PIR,Πειραιάς,37.942,23.646\n")
    issue = only_issue(make_folder(tmp_path, {"ports.csv": ports}))
    assert (issue.file, issue.row) == ("ports.csv", 4)
    assert issue.message == "the row has 4 values but the header has 5 columns"
