"""The optional ``tickets.level`` column: flags derived from it, contradictions and unknown levels named."""

from __future__ import annotations

from pathlib import Path

import pytest

from dromologio.models import InputError, read_problem, read_problem_dict, write_problem
from dromologio.models.service_columns import LEVEL_FLAGS, TICKET_LEVELS, ticket_level
from dromologio.models.writers import problem_to_dict
from dromologio.planning.service.levels import LEVELS, flags_for_level
from tests.models.test_readers import TICKETS, make_folder

HEADER = "ticket_id,school_id,opened_at,category,skill,priority,service_minutes,remote,warranty,due_by,level"


def tickets_with_levels(*rows: tuple[str, str, str]) -> str:
    """The test tickets K01..K03 with (remote, warranty, level) cells."""
    lines = TICKETS.strip().splitlines()[1:]
    out = [HEADER]
    for line, (remote, warranty, level) in zip(lines, rows, strict=True):
        cells = line.split(",")
        cells[7:9] = [remote, warranty]
        out.append(",".join([*cells, level]))
    return "\n".join(out) + "\n"


def test_the_levels_are_the_service_levels_with_the_same_flags() -> None:
    assert TICKET_LEVELS == LEVELS
    assert all(LEVEL_FLAGS[level] == flags_for_level(level) for level in LEVELS)


def test_the_level_decides_empty_flags_and_is_kept(tmp_path: Path) -> None:
    text = tickets_with_levels(("", "", "third_level"), ("", "", "school"), ("true", "", "Remote"))
    problem = read_problem(make_folder(tmp_path, {"tickets.csv": text}))
    k01, k02, k03 = problem.tickets
    assert (k01.remote, k01.warranty, ticket_level(k01)) == (False, True, "third_level")
    assert (k02.remote, k02.warranty, ticket_level(k02)) == (True, False, "school")
    assert (k03.remote, k03.warranty, ticket_level(k03)) == (True, False, "remote")
    assert [t.needs_visit for t in problem.tickets] == [False, False, False]


def test_without_a_level_the_flags_say_it(tmp_path: Path) -> None:
    problem = read_problem(make_folder(tmp_path))
    assert [ticket_level(t) for t in problem.tickets] == ["on_site", "on_site", "remote"]


def test_the_level_is_written_and_read_back_in_every_form(tmp_path: Path) -> None:
    text = tickets_with_levels(("", "", "vendor"), ("false", "false", "on_site"), ("", "", ""))
    problem = read_problem(make_folder(tmp_path, {"tickets.csv": text}))
    for target in (tmp_path / "out", tmp_path / "out.json", tmp_path / "out.xlsx"):
        again = read_problem(write_problem(problem, target))
        assert [ticket_level(t) for t in again.tickets] == ["vendor", "on_site", "on_site"]
        assert again.tickets == problem.tickets
    header = (tmp_path / "out" / "tickets.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",level")
    assert problem_to_dict(problem)["tickets"][0]["level"] == "vendor"


def test_a_json_document_carries_the_level(tmp_path: Path) -> None:
    doc = problem_to_dict(read_problem(make_folder(tmp_path)))
    doc["tickets"][1] |= {"remote": None, "warranty": None, "level": "school"}
    k02 = read_problem_dict(doc).tickets[1]
    assert (k02.remote, k02.warranty, ticket_level(k02)) == (True, False, "school")


def test_a_level_that_contradicts_a_flag_names_file_row_column_and_fix(tmp_path: Path) -> None:
    text = tickets_with_levels(("", "true", "on_site"), ("yes", "", "vendor"), ("", "", "remote"))
    with pytest.raises(InputError) as caught:
        read_problem(make_folder(tmp_path, {"tickets.csv": text}))
    issues = caught.value.issues
    assert [(i.file, i.row, i.column, i.value) for i in issues] == [
        ("tickets.csv", 2, "level", "on_site"),
        ("tickets.csv", 3, "level", "vendor"),
    ]
    assert "warranty true" in issues[0].message and "on_site" in issues[0].message
    assert "leave remote and warranty empty" in issues[0].fix and "third_level, vendor" in issues[0].fix
    assert "school, remote" in issues[1].fix


def test_an_unknown_level_names_the_five_levels(tmp_path: Path) -> None:
    text = tickets_with_levels(("", "", "onsite"), ("", "", ""), ("", "", ""))
    with pytest.raises(InputError) as caught:
        read_problem(make_folder(tmp_path, {"tickets.csv": text}))
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column, issue.value) == ("tickets.csv", 2, "level", "onsite")
    assert "school, remote, on_site, third_level, vendor" in issue.message
    assert "did you mean 'on_site'" in issue.fix
