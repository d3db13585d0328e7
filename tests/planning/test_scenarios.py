"""Scenario files and changes: parsing, validation messages, and what each change does to the problem."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from dromologio.cli_scenarios import scenarios_app
from dromologio.dispatch.solve import working_days
from dromologio.models import Problem, read_problem
from dromologio.planning.scenarios import (
    CHANGE_KINDS,
    DaySelection,
    FerryStrike,
    PreparedScenario,
    RemoveTechnicians,
    Scenario,
    ScenarioError,
    load_scenarios,
    parse_change,
    parse_scenarios,
    prepare_scenario,
    prepare_scenarios,
)
from dromologio.sample import SAMPLE_DATE, sample_data_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scenarios.yaml"
HORIZON = working_days(SAMPLE_DATE, 5)


@pytest.fixture(scope="module")
def sample() -> Problem:
    return read_problem(sample_data_dir())


def prepared(problem: Problem, *changes: Any, name: str = "s") -> PreparedScenario:
    scenario = Scenario(name, tuple(parse_change(c, problem) for c in changes))
    return prepare_scenario(problem, scenario, HORIZON)


def issues_of(problem: Problem, document: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        set_ = parse_scenarios(document, problem)
        prepare_scenarios(problem, set_.scenarios, HORIZON)
    return caught.value.issues


def test_example_file_reads_with_three_scenarios(sample: Problem) -> None:
    scenario_set = load_scenarios(EXAMPLE, sample)
    assert [s.name for s in scenario_set.scenarios] == ["baseline", "one technician fewer", "ferry strike"]
    assert scenario_set.reference == "baseline"
    assert scenario_set.start == SAMPLE_DATE
    assert scenario_set.arrivals.tickets_per_day == 30
    assert (scenario_set.days, scenario_set.time_limit_s, scenario_set.seed) == (20, 3.0, 1)
    horizon = working_days(SAMPLE_DATE, 20)
    baseline, fewer, strike = prepare_scenarios(sample, scenario_set.scenarios, horizon)
    assert baseline.problem == sample
    assert "T05" not in fewer.problem.technician_by_id and len(fewer.problem.technicians) == 9
    assert {d for d, _ in strike.strikes} == set(working_days(date(2026, 11, 30), 5))
    assert strike.sailings_on(date(2026, 12, 1)) == ()
    assert strike.sailings_on(date(2026, 12, 7)) == sample.sailings


def test_every_change_shown_in_the_example_file_is_valid(sample: Problem) -> None:
    blocks: list[str] = []
    text = EXAMPLE.read_text("utf-8").split("# More changes")[1]
    for line in text.splitlines():
        body = line[1:] if line.startswith("#") else ""
        if body.startswith("   - "):
            blocks.append(body[5:])
        elif body.startswith("       ") and blocks:
            blocks[-1] += "\n" + body[5:]
    assert len(blocks) >= 10
    kinds = set()
    for block in blocks:
        change = yaml.safe_load(block)
        kinds.add(next(iter(change)))
        prepared(sample, change)
    assert kinds == set(CHANGE_KINDS)


def test_json_file_and_relative_problem_path(tmp_path: Path, sample: Problem) -> None:
    from dromologio.sample import write_sample

    write_sample(tmp_path / "region")
    path = tmp_path / "whatif.json"
    path.write_text(
        json.dumps(
            {
                "problem": "region",
                "scenarios": [{"name": "a"}, {"name": "b", "changes": [{"scale_tickets": 2}]}],
            }
        ),
        encoding="utf-8",
    )
    scenario_set = load_scenarios(path)
    assert scenario_set.reference == "a"
    assert scenario_set.load_problem().technicians == sample.technicians
    b = prepare_scenario(sample, scenario_set.scenarios[1], HORIZON)
    assert b.ticket_scale == 2.0


def test_unknown_technician_is_rejected_naming_scenario_and_change(sample: Problem) -> None:
    issues = issues_of(
        sample,
        {"scenarios": [{"name": "fewer", "changes": [{"scale_tickets": 1.5}, {"remove_technician": "T99"}]}]},
    )
    assert len(issues) == 1
    assert issues[0].startswith("scenario 'fewer', change 2 (remove_technician): unknown technician 'T99'")
    assert "T01" in issues[0]


def test_every_finding_of_every_scenario_is_reported_at_once(sample: Problem) -> None:
    issues = issues_of(
        sample,
        {
            "scenarios": [
                {
                    "name": "a",
                    "changes": [
                        {"remove_technician": "T77"},
                        {"change_skills": {"technician_id": "T88", "add": ["ltsp"]}},
                    ],
                },
                {"name": "b", "changes": [{"policy": {"cost_per_km": 0.3}}, {"teleport": {}}]},
                {"name": "a"},
            ]
        },
    )
    assert any("scenario 'a', change 1 (remove_technician): unknown technician 'T77'" in i for i in issues)
    assert any("scenario 'a', change 2 (change_skills): unknown technician 'T88'" in i for i in issues)
    assert any("scenario 'b', change 1 (policy): unknown field(s) cost_per_km" in i for i in issues)
    assert any("scenario 'b', change 2 (teleport): unknown change 'teleport'" in i for i in issues)
    assert any("scenario 'a' is named more than once" in i for i in issues)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"move_base": {"base_id": "KPN-THE", "lat": 35.5, "lon": 18.0}}, "is off the map: "),
        ({"move_base": {"base_id": "KPN-THE", "lat": 95.0, "lon": 20.0}}, "is out of range"),
        ({"move_base": {"base_id": "KPN-XXX", "lat": 39.5, "lon": 20.5}}, "unknown base 'KPN-XXX'"),
        (
            {"move_base": {"base_id": "KPN-THE", "lat": 39.5, "lon": 20.5, "island": "Κρήτη"}},
            "unknown island 'Κρήτη'",
        ),
        # Ioannina is on the mainland, 300 km from anything on Naxos.
        ({"move_base": {"base_id": "SUB-NAX", "lat": 39.66, "lon": 20.85, "island": "Νάξος"}}, "off the map"),
        ({"move_base": {"base_id": "KPN-THE", "lat": 39.5}}, "move_base needs lon"),
        ({"remove_technician": {"technician": "T05"}}, "unknown field(s) technician for remove_technician"),
        ({"add_technician": {"technician_id": "T01", "like": "T02"}}, "technician 'T01' already exists"),
        ({"add_technician": {"technician_id": "T11", "base_id": "KPN-IOA"}}, "needs base_id and skills"),
        (
            {"add_technician": {"technician_id": "T11", "like": "T02", "shift_start": "8h"}},
            "shift_start must be a time",
        ),
        ({"change_skills": {"technician_id": "T01", "add": ["cobol"]}}, "cobol not among the skills"),
        ({"change_skills": {"technician_id": "T01", "set": []}}, "without any skill"),
        ({"house_partners": {"at": "home"}}, "at must be one of centre, partner_site"),
        ({"house_partners": {"at": "centre", "technicians": ["T01"]}}, "not for a partner body"),
        ({"scale_tickets": -1}, "factor must be above 0"),
        ({"ferry_strike": {"days": [1], "routes": ["JSY-XXX"]}}, "unknown port 'XXX'"),
        ({"ferry_strike": {"days": [1], "routes": ["JSY-JTR"]}}, "no sailing from JSY to JTR"),
        ({"ferry_strike": {"routes": ["JSY-TIN"]}}, "give the dates"),
        ({"ferry_strike": {"dates": ["2026-13-01"]}}, "is not a date"),
        ({"winter_closure": {"days": [0]}}, "days are counted from 1"),
        ({"winter_closure": {"days": [1], "schools": ["S9999"]}}, "unknown school 'S9999'"),
        ({"winter_closure": {"days": [1], "terrain": ["volcanic"]}}, "terrain volcanic not among"),
        ({"policy": {"cost_per_km_eur": -1}}, "invalid policy: cost_per_km_eur must not be negative"),
        ({"remove_technician": "T05", "scale_tickets": 2}, "a change is a mapping with one key"),
    ],
)
def test_invalid_changes_are_rejected_with_a_clear_message(
    sample: Problem, change: dict[str, Any], message: str
) -> None:
    issues = issues_of(sample, {"scenarios": [{"name": "what if", "changes": [change]}]})
    assert len(issues) == 1, issues
    assert issues[0].startswith("scenario 'what if', change 1 ("), issues[0]
    assert message in issues[0], issues[0]


def test_file_level_errors(sample: Problem) -> None:
    issues = issues_of(sample, {"scenario": [], "arrivals": {"model": "magic"}, "reference": "x"})
    text = "\n".join(issues)
    assert "unknown key(s) scenario" in text
    assert "arrivals model must be one of fitted, history" in text
    assert "'scenarios' must be a non-empty list" in text


def test_move_base_on_land_moves_its_technicians(sample: Problem) -> None:
    result = prepared(sample, {"move_base": {"base_id": "KPN-THE", "lat": 39.4664, "lon": 20.5116}})
    base = result.problem.base_by_id["KPN-THE"]
    assert (base.lat, base.lon, base.island) == (39.4664, 20.5116, "")
    t06 = result.problem.technician_by_id["T06"]
    assert result.problem.base_of(t06) == base
    # On an island the island is inferred from the nearest school or port.
    naxos = prepared(sample, {"move_base": {"base_id": "SUB-NAX", "lat": 37.05, "lon": 25.45}})
    assert naxos.problem.base_by_id["SUB-NAX"].island == "Νάξος"


def test_add_change_and_remove_technicians(sample: Problem) -> None:
    result = prepared(
        sample,
        {"add_technician": {"technician_id": "T11", "like": "T05", "base_id": "KPN-ART"}},
        {
            "add_technician": {
                "technician_id": "T12",
                "base_id": "SUB-NAX",
                "skills": "ltsp;linux",
                "shift_start": "07:30",
                "shift_end": "15:30",
            }
        },
        {"change_skills": {"technician_id": "T11", "remove": ["egov"], "add": ["ltsp"]}},
        {"remove_technician": ["T01", "T02"]},
    )
    by_id = result.problem.technician_by_id
    assert "T01" not in by_id and "T02" not in by_id
    assert by_id["T11"].base_id == "KPN-ART" and by_id["T11"].employer == by_id["T05"].employer
    assert by_id["T11"].skills == (by_id["T05"].skills - {"egov"}) | {"ltsp"}
    t12 = by_id["T12"]
    assert (t12.shift_start_min, t12.shift_end_min, t12.skills) == (450, 930, frozenset({"ltsp", "linux"}))
    assert t12.employer == "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων"


def test_house_partners_at_the_centre_and_back_at_the_partner_site(sample: Problem) -> None:
    centre = prepared(sample, {"house_partners": {"at": "centre"}})
    bases = {t.technician_id: t.base_id for t in centre.problem.technicians}
    assert bases["T03"] == "KPN-IOA" and bases["T08"] == "KPN-KYK"
    assert {k: v for k, v in bases.items() if k not in ("T03", "T08")} == {
        t.technician_id: t.base_id for t in sample.technicians if t.technician_id not in ("T03", "T08")
    }
    back = prepared(
        sample,
        {"house_partners": {"at": "centre"}},
        {"house_partners": {"at": "partner_site", "technicians": ["T03"]}},
    )
    assert back.problem.technician_by_id["T03"].base_id == "UOI-IOA"
    assert back.problem.technician_by_id["T08"].base_id == "KPN-KYK"
    chosen = prepared(
        sample, {"house_partners": {"at": "centre", "base_id": "KPN-ART", "technicians": ["T03"]}}
    )
    assert chosen.problem.technician_by_id["T03"].base_id == "KPN-ART"


def test_ferry_strike_drops_matching_sailings_on_its_days_only(sample: Problem) -> None:
    result = prepared(sample, {"ferry_strike": {"days": ["2..3"], "routes": ["JSY-TIN"]}})
    day1, day2, day3, day4 = HORIZON[:4]
    assert result.sailings_on(day1) == sample.sailings == result.sailings_on(day4)
    left = result.sailings_on(day2)
    assert left == result.sailings_on(day3)
    assert not any({s.from_port, s.to_port} == {"JSY", "TIN"} for s in left)
    assert len(left) == len([s for s in sample.sailings if {s.from_port, s.to_port} != {"JSY", "TIN"}])
    one_way = prepared(
        sample, {"ferry_strike": {"dates": [day2], "routes": [["JSY", "TIN"]], "both_directions": False}}
    )
    assert any((s.from_port, s.to_port) == ("TIN", "JSY") for s in one_way.sailings_on(day2))
    assert not any((s.from_port, s.to_port) == ("JSY", "TIN") for s in one_way.sailings_on(day2))


def test_winter_closure_closes_mountain_schools_on_its_dates(sample: Problem) -> None:
    result = prepared(sample, {"winter_closure": {"dates": ["2026-11-24..2026-11-25"]}})
    mountain = {s.school_id for s in sample.schools if s.terrain == "mountainous"}
    assert mountain and result.closed_on(HORIZON[1]) == mountain == result.closed_on(HORIZON[2])
    assert result.closed_on(HORIZON[0]) == frozenset()
    listed = prepared(sample, {"winter_closure": {"days": [1], "schools": ["S0001"]}})
    assert listed.closed_on(HORIZON[0]) == {"S0001"}


def test_policy_change_merges_mappings(sample: Problem) -> None:
    result = prepared(sample, {"policy": {"cost_per_km_eur": 0.2, "priority_value_eur": {"low": 10}}})
    policy = result.problem.policy
    assert policy.cost_per_km_eur == 0.2
    assert policy.priority_value_eur["low"] == 10 and policy.priority_value_eur["urgent"] == 400
    assert policy.solver_time_limit_s == sample.policy.solver_time_limit_s


def test_changes_in_python_and_day_selection() -> None:
    selection = DaySelection.parse({"days": [1, "4..5", 30], "dates": ["2026-11-24"]})
    assert selection.resolve(HORIZON) == frozenset({HORIZON[0], HORIZON[1], HORIZON[3], HORIZON[4]})
    assert FerryStrike(selection).describe().startswith("ferry strike on days 1, 4 – 5, 30")
    assert RemoveTechnicians(("T05",)).describe() == "remove technician T05"
    with pytest.raises(ValueError, match="name"):
        Scenario(" padded ")


def test_cli_validate_reports_errors_and_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(scenarios_app, ["validate", str(EXAMPLE), "--days", "20"])
    assert ok.exit_code == 0, ok.output
    assert "one technician fewer" in ok.output and "2026-12-18" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenarios:\n  - name: lost\n    changes:\n      - remove_technician: T42\n", encoding="utf-8"
    )
    result = runner.invoke(scenarios_app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "scenario 'lost', change 1 (remove_technician): unknown technician 'T42'" in result.output
