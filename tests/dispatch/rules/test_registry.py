"""The registry: hard rules then soft ones, one module and one test each, and the index that lists them."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

from dromologio.dispatch import reasons
from dromologio.dispatch.rules import (
    HARD_RULES,
    PRECHECKS,
    RULE_BY_ID,
    RULE_IDS,
    RULE_OF_REASON,
    RULES,
    SOFT_RULES,
)
from dromologio.models import checker
from tests.dispatch.rules import model_of, node_of
from tests.factories import problem, school, technician, ticket

ROOT = Path(__file__).resolve().parents[3]
INDEX = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _rows(heading: str) -> dict[str, str]:
    """The rows of the table under ``heading``, by the rule id of their first cell."""
    section = INDEX.split(heading, 1)[1].split("\n### ", 1)[0]
    return {m.group(1): line for line in section.splitlines() if (m := re.match(r"\| `(\w+)` \|", line))}


def test_hard_rules_come_first_and_every_id_names_its_module_and_its_test() -> None:
    assert len(set(RULE_IDS)) == len(RULES)
    assert all(r.hard for r in HARD_RULES) and not any(r.hard for r in SOFT_RULES)
    assert [r.rule_id for r in PRECHECKS] == [
        "lock",
        "skill",
        "four_by_four",
        "closure",
        "school_hours",
        "km_cap",
        "work_days",
    ]
    for rule in RULES:
        assert import_module(f"dromologio.dispatch.rules.{rule.rule_id}").RULE is rule
        assert (ROOT / "tests" / "dispatch" / "rules" / f"test_{rule.rule_id}.py").is_file()
        assert RULE_BY_ID[rule.rule_id] is rule
        assert rule.title_el and rule.title_en


def test_checker_rules_and_reason_codes_belong_to_one_rule_each() -> None:
    claimed = [name for r in RULES for name in r.checker_rules]
    assert len(claimed) == len(set(claimed)) and set(claimed) <= set(checker.RULES)
    codes = [code for r in RULES for code in r.reason_codes]
    assert len(codes) == len(set(codes)) == len(RULE_OF_REASON)
    # Every code of the contract's extension table comes from a rule, or is the one general reason.
    contract = (ROOT / "docs" / "problem-format.md").read_text(encoding="utf-8")
    line = next(row for row in contract.splitlines() if row.startswith("| plan `unassigned[]` | `code`"))
    documented = set(re.findall(r"`(\w+)`", line.split("|")[3]))
    assert documented == {*codes, reasons.NO_TECHNICIANS}


def test_the_index_lists_every_rule_with_its_module_checker_rules_codes_and_test() -> None:
    index, model = _rows("### Rule index"), _rows("### What each rule does in the model")
    assert list(index) == list(RULE_IDS) and list(model) == list(RULE_IDS)
    for rule in RULES:
        row = index[rule.rule_id]
        assert f"`dispatch/rules/{rule.rule_id}.py`" in row
        assert f"`tests/dispatch/rules/test_{rule.rule_id}.py`" in row
        assert ("| hard |" if rule.hard else "| soft |") in row
        for name in (*rule.checker_rules, *rule.reason_codes):
            assert f"`{name}`" in row
    # Checker rules no routing rule owns are named below the tables.
    unowned = INDEX.split("### Checker rules no routing rule owns", 1)[1].split("\n### ", 1)[0]
    owned = {name for r in RULES for name in r.checker_rules}
    assert {name for name in checker.RULES if name not in owned} == set(re.findall(r"`([A-Z_]+)`", unowned))


def test_the_build_walks_the_rules_it_is_given() -> None:
    far = ticket("K1", "S1")
    p = problem([school("S1", 30)], [technician("T1", max_km_per_day=40)], [far])
    assert model_of(p).precheck_unassigned["K1"].code == "km_cap"
    without = model_of(p, rules=tuple(r for r in RULES if r.rule_id != "km_cap"))
    assert without.precheck_unassigned == {}
    assert without.instance.vehicle_max_distance.tolist() == [-1]
    assert without.instance.allowed_vehicles[node_of(without, "K1")] == frozenset({0})
