"""The work calendar: weekends, Greek public holidays (movable ones too), school breaks,
local holidays and working days from calendar.csv, absences.csv, and plans that skip days off."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.solve import holiday_closures, working_days
from dromologio.models import (
    InputError,
    Problem,
    problem_to_dict,
    read_problem,
    read_problem_dict,
    write_problem,
)
from dromologio.models.calendar import (
    TODAY_ENV,
    Absence,
    CalendarEntry,
    NonWorkingDayError,
    WorkCalendar,
    absent_on,
    date_problem,
    orthodox_easter,
    parse_absences,
    parse_calendar,
    today,
)
from tests.factories import base, problem, school, technician, ticket

GREEK = WorkCalendar()
IOANNINA = "Δ.Π.Ε. Ιωαννίνων"
CORFU = "Δ.Π.Ε. Κέρκυρας"


def off(day: date, *directorates: str, calendar: WorkCalendar = GREEK) -> str:
    found = calendar.day_off(day, directorates)
    return "" if found is None else found.bilingual


# --- the Greek calendar -------------------------------------------------------------------


def test_orthodox_easter_and_the_movable_holidays_of_2027() -> None:
    assert orthodox_easter(2027) == date(2027, 5, 2)
    assert orthodox_easter(2026) == date(2026, 4, 12)
    # Clean Monday is 48 days before Easter: 15 March 2027 (22 March 2027 is an ordinary Monday).
    assert "Καθαρά Δευτέρα" in off(date(2027, 3, 15))
    assert GREEK.is_working_day(date(2027, 3, 22))
    assert "Δευτέρα του Πάσχα" in off(date(2027, 5, 3))
    assert "Αγίου Πνεύματος" in off(date(2027, 6, 21))  # Whit Monday, 50 days after Easter
    # Good Friday and Easter Monday fall in the Easter school break anyway; a public holiday says so first
    assert "Μεγάλη Παρασκευή" in off(date(2027, 4, 30))


def test_fixed_holidays_and_weekends() -> None:
    assert "Ημέρα του Όχι" in off(date(2026, 10, 28)) and "Ohi Day" in off(date(2026, 10, 28))
    assert "Εικοστή Πέμπτη Μαρτίου" in off(date(2027, 3, 25))
    saturday = GREEK.day_off(date(2026, 11, 28))
    assert saturday is not None and saturday.kind == "weekend"
    assert GREEK.day_off(date(2026, 11, 29)) is not None
    assert GREEK.is_working_day(date(2026, 11, 23))  # a Monday
    assert "Πρωτοχρονιά" in off(date(2025, 1, 1))


def test_school_breaks_and_school_holidays() -> None:
    christmas = [date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 4), date(2027, 1, 7)]
    assert all("Christmas break" in off(d) or "holiday" in off(d) for d in christmas)
    assert "Christmas break" in off(date(2027, 1, 5))
    assert GREEK.is_working_day(date(2026, 12, 23)) and GREEK.is_working_day(date(2027, 1, 8))
    # Easter 2027: Holy Monday 26 April to the Friday after Easter, 7 May
    assert "Easter break" in off(date(2027, 4, 26)) and "Easter break" in off(date(2027, 5, 7))
    assert GREEK.is_working_day(date(2027, 4, 23)) and GREEK.is_working_day(date(2027, 5, 10))
    assert "summer break" in off(date(2027, 7, 1)) and "summer break" in off(date(2027, 8, 31))
    assert GREEK.is_working_day(date(2027, 6, 18)) and GREEK.is_working_day(date(2027, 9, 1))
    assert "Τριών Ιεραρχών" in off(date(2026, 1, 30)) and "Πολυτεχνείο" in off(date(2026, 11, 17))
    assert WorkCalendar.weekdays_only().is_working_day(date(2026, 12, 24))


# --- calendar.csv ---------------------------------------------------------------------------

CALENDAR_CSV = """date,to_date,directorate,kind,name
2026-12-14,,Δ.Π.Ε. Κέρκυρας,holiday,Αγίου Σπυρίδωνα / Saint Spyridon
2026-11-28,,,workday,Σάββατο αναπλήρωσης / make-up Saturday
2027-06-22,2027-06-30,,workday,θερινά τμήματα / summer courses
2027-06-25,,,holiday,εκλογές / elections
2026-12-02,,Δ.Π.Ε. Ιωαννίνων,break,
"""


def test_a_directorates_local_holiday_and_working_days_from_the_calendar_file() -> None:
    calendar = WorkCalendar(parse_calendar(CALENDAR_CSV.splitlines()))
    spyridon = date(2026, 12, 14)  # observed on a Monday
    assert calendar.is_working_day(date(2026, 12, 11), [CORFU])
    assert "Saint Spyridon" in off(spyridon, CORFU, calendar=calendar)
    assert calendar.is_working_day(spyridon, [IOANNINA])
    # a plan of both Directorates works; Corfu's schools are closed that day
    assert calendar.is_working_day(spyridon, [IOANNINA, CORFU])
    assert set(calendar.local_days_off(spyridon, [IOANNINA, CORFU])) == {CORFU}
    # with no Directorate named, only rows for every Directorate count
    assert calendar.is_working_day(spyridon)
    # a break of one Directorate, without a name
    assert (
        off(date(2026, 12, 2), IOANNINA, calendar=calendar) == f"διακοπές ({IOANNINA}) / break ({IOANNINA})"
    )
    # workday rows open a Saturday and shorten the summer; a shorter span decides over a longer one
    assert calendar.is_working_day(date(2026, 11, 28)) and not GREEK.is_working_day(date(2026, 11, 28))
    assert calendar.is_working_day(date(2027, 6, 24)) and not calendar.is_working_day(date(2027, 6, 25))
    assert not calendar.is_working_day(date(2027, 7, 1))


def test_a_directorates_row_decides_over_a_row_for_every_directorate() -> None:
    entries = (
        CalendarEntry(date(2026, 12, 7), "holiday", "strike"),
        CalendarEntry(date(2026, 12, 7), "workday", "", IOANNINA),
    )
    calendar = WorkCalendar(entries)
    assert calendar.is_working_day(date(2026, 12, 7), [IOANNINA])
    assert not calendar.is_working_day(date(2026, 12, 7), [CORFU])


def test_calendar_file_errors_name_row_and_column() -> None:
    bad = "date,to_date,directorate,kind,name\n2026-13-01,,,holiday,x\n2026-12-01,2026-11-30,,break,\n2026-12-01,,,holydy,\n"
    with pytest.raises(InputError) as caught:
        parse_calendar(bad.splitlines())
    where = [(i.row, i.column) for i in caught.value.issues]
    assert where == [(2, "date"), (3, "to_date"), (4, "kind")]
    assert "holiday" in caught.value.issues[2].fix  # did you mean
    with pytest.raises(InputError) as caught:
        parse_calendar(["day,kind", "2026-12-01,holiday"])
    assert {(i.row, i.column, i.message) for i in caught.value.issues} >= {
        (1, "date", "required column is missing")
    }


def test_absences_file() -> None:
    text = "technician_id,from,to,kind,note\nT1,2026-11-23,2026-11-25,sick,\nT2,2026-11-24,,,\n"
    absences = parse_absences(text.splitlines(), technician_ids={"T1", "T2"})
    assert absences == (
        Absence("T1", date(2026, 11, 23), date(2026, 11, 25), "sick"),
        Absence("T2", date(2026, 11, 24), date(2026, 11, 24), "leave"),
    )
    assert absent_on(absences, [date(2026, 11, 23)]) == {"T1"}
    assert absent_on(absences, [date(2026, 11, 24)]) == {"T1", "T2"}
    bad = "technician_id,from,to,kind\nT9,2026-11-23,,leave\nT1,2026-11-23,2026-11-20,holiday\n"
    with pytest.raises(InputError) as caught:
        parse_absences(bad.splitlines(), technician_ids={"T1"})
    assert [(i.row, i.column) for i in caught.value.issues] == [(2, "technician_id"), (3, "kind")]


# --- working days and refusals ------------------------------------------------------------


def test_working_days_skip_days_off_and_refuse_a_first_day_off_unless_forced() -> None:
    assert working_days(date(2026, 12, 22), 4) == (
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2027, 1, 8),
        date(2027, 1, 11),
    )
    assert working_days(date(2026, 11, 27), 2) == (date(2026, 11, 27), date(2026, 11, 30))
    with pytest.raises(NonWorkingDayError) as caught:
        working_days(date(2026, 11, 28), 1)
    assert caught.value.next_working_day == date(2026, 11, 30)
    assert "2026-11-28" in str(caught.value) and "2026-11-30" in str(caught.value)
    assert working_days(date(2026, 11, 28), 2, force=True) == (date(2026, 11, 28), date(2026, 11, 30))
    assert working_days(date(2026, 11, 28), 2, WorkCalendar.weekdays_only(), force=True)[1] == date(
        2026, 11, 30
    )


def test_the_refusal_names_the_day_and_the_next_working_day_greek_first() -> None:
    message = date_problem(date(2026, 11, 28), GREEK, now=date(2026, 11, 20), force_hint="--force")
    assert message is not None
    greek, english = message.split(" / ", 1)
    assert greek.startswith("Η 2026-11-28 (Σάββατο) δεν είναι εργάσιμη") and "2026-11-30 (Δευτέρα)" in greek
    assert "2026-11-28 (Saturday) is not a working day" in english and "2026-11-30 (Monday)" in english
    assert "--force" in english
    past = date_problem(date(2025, 1, 1), GREEK, now=date(2026, 11, 30))
    assert past is not None and "έχει περάσει" in past and "is in the past" in past
    assert "Πρωτοχρονιά" in past and "next working day: 2026-11-30 (Monday)" in past
    assert date_problem(date(2026, 11, 30), GREEK, now=date(2026, 11, 30)) is None  # today may be planned
    assert date_problem(date(2026, 11, 23), GREEK, now=date(2026, 11, 30), past=False) is None


def test_today_may_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2026-11-20")
    assert today() == date(2026, 11, 20)
    monkeypatch.setenv(TODAY_ENV, "20/11/2026")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        today()


# --- problems carry their calendar and absences ---------------------------------------------


def small_problem() -> Problem:
    return problem(
        [school("S1", 1, 1), school("S2", -2, 1)],
        [technician("T1"), technician("T2")],
        [ticket("K1", "S1"), ticket("K2", "S2")],
        bases=[base("B1")],
    )


def test_a_problem_folder_with_calendar_and_absences_round_trips(tmp_path: Path) -> None:
    folder = write_problem(small_problem(), tmp_path / "p")
    assert not (folder / "calendar.csv").exists() and not (folder / "absences.csv").exists()
    (folder / "calendar.csv").write_text(CALENDAR_CSV, encoding="utf-8")
    (folder / "absences.csv").write_text(
        "technician_id,from,to,kind,note\nT2,2026-11-23,,sick,\n", encoding="utf-8"
    )
    read = read_problem(folder)
    assert len(read.calendar) == 5 and read.absences == (
        Absence("T2", date(2026, 11, 23), date(2026, 11, 23), "sick"),
    )
    document = problem_to_dict(read)
    assert document["absences"] == [
        {"technician_id": "T2", "from": "2026-11-23", "to": "2026-11-23", "kind": "sick", "note": ""}
    ]
    assert read_problem_dict(json.loads(json.dumps(document))) == read
    again = write_problem(read, tmp_path / "again" / "p")
    assert read_problem(again) == read
    assert read_problem(write_problem(read, tmp_path / "p.json")) == read
    # a folder written again without them keeps no stale rows
    write_problem(dataclasses.replace(read, calendar=(), absences=()), again)
    assert read_problem(again).calendar == () and read_problem(again).absences == ()


def test_bad_calendar_and_absence_rows_are_reported_with_the_other_files(tmp_path: Path) -> None:
    folder = write_problem(small_problem(), tmp_path / "p")
    (folder / "absences.csv").write_text("technician_id,from\nT9,2026-11-23\n", encoding="utf-8")
    (folder / "calendar.csv").write_text("date,kind\n2026-11-23,weekend\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_problem(folder)
    assert {(i.file, i.row, i.column) for i in caught.value.issues} == {
        ("absences.csv", 2, "technician_id"),
        ("calendar.csv", 2, "kind"),
    }
    document = problem_to_dict(small_problem())
    document["calendar"] = [{"date": "2026-11-23", "kind": "holiday", "colour": "red"}]
    document["schools"][0]["lat"] = 99
    with pytest.raises(InputError) as caught:
        read_problem_dict(document)
    assert {(i.file, i.column) for i in caught.value.issues} >= {
        ("problem.json:schools", "lat"),
        ("problem.json:calendar", "colour"),
    }


def test_a_plan_of_several_days_skips_days_off_and_local_holidays_close_schools() -> None:
    base_problem = small_problem()
    result = solve(base_problem, date(2026, 12, 23), days=2, time_limit_s=0.2)
    assert result.plan.dates == (date(2026, 12, 23), date(2027, 1, 8))
    local = base_problem.replace(
        calendar=(CalendarEntry(date(2026, 11, 24), "holiday", "πανηγύρι", IOANNINA),)
    )
    result = solve(local, date(2026, 11, 23), days=2, time_limit_s=0.2)
    assert result.plan.dates == (date(2026, 11, 23), date(2026, 11, 25))
    other = local.replace(
        schools=(*local.schools, dataclasses.replace(school("S3", 3, 0), directorate=CORFU))
    )
    [closure] = holiday_closures(other, date(2026, 11, 24))
    assert closure.place_ids == {"S1", "S2"} and "πανηγύρι" in closure.reason
    assert holiday_closures(other, date(2026, 11, 23)) == ()


def test_in_a_plan_of_several_days_an_absent_technician_misses_only_the_days_away() -> None:
    away = small_problem().replace(absences=(Absence("T2", date(2026, 11, 24), date(2026, 11, 24), "sick"),))
    plan = solve(away, date(2026, 11, 23), days=2, time_limit_s=0.2).plan
    on = {(r.technician_id, r.date) for r in plan.routes}
    assert ("T2", date(2026, 11, 24)) not in on and ("T1", date(2026, 11, 24)) in on
    assert ("T2", date(2026, 11, 23)) in on


# --- the command line ----------------------------------------------------------------------


def test_the_plan_command_refuses_a_day_off_or_a_past_day_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from dromologio.cli import app

    monkeypatch.setenv(TODAY_ENV, "2026-11-20")
    folder = write_problem(small_problem(), tmp_path / "p")
    runner = CliRunner()
    out = tmp_path / "plan.json"
    common = ["--out", str(out), "--time-limit", "0.2", "--quiet"]

    saturday = runner.invoke(app, ["plan", str(folder), "--date", "2026-11-28", *common])
    assert saturday.exit_code == 2 and not out.exists()
    text = " ".join(saturday.output.split())
    assert "Η 2026-11-28 (Σάββατο) δεν είναι εργάσιμη" in text
    assert "2026-11-30 (Monday)" in text and "--force" in text
    assert text.index("Σάββατο") < text.index("Saturday")  # Greek first

    past = runner.invoke(app, ["plan", str(folder), "--date", "2025-01-01", *common])
    assert past.exit_code == 2
    text = " ".join(past.output.split())
    assert "is in the past (today is 2026-11-20)" in text and "Πρωτοχρονιά" in text
    assert "next working day: 2026-11-20 (Friday)" in text  # today may still be planned

    forced = runner.invoke(app, ["plan", str(folder), "--date", "2026-11-28", "--force", *common])
    assert forced.exit_code == 0, forced.output
    assert json.loads(out.read_text(encoding="utf-8"))["dates"] == ["2026-11-28"]

    default = runner.invoke(app, ["plan", str(folder), *common])  # the next working day: Monday
    assert default.exit_code == 0, default.output
    assert json.loads(out.read_text(encoding="utf-8"))["dates"] == ["2026-11-23"]
