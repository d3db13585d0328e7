"""Scenarios: the baseline with changes made in order, and made concrete for a horizon of days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from dromologio.models import Problem, Sailing

from .conditions import FerryStrike, PolicyChange, ScaleTickets, WinterClosure
from .parsing import Change, ChangeError, ScenarioError
from .preventive import PreventiveVisits
from .staff import AddTechnician, ChangeSkills, HousePartners, MoveBase, RemoveTechnicians

__all__ = [
    "CHANGE_KINDS",
    "PreparedScenario",
    "Scenario",
    "parse_change",
    "prepare_scenario",
    "prepare_scenarios",
]


_PARSERS: Final[Mapping[str, Any]] = {
    c.kind: c
    for c in (
        AddTechnician,
        RemoveTechnicians,
        MoveBase,
        ChangeSkills,
        HousePartners,
        ScaleTickets,
        FerryStrike,
        WinterClosure,
        PolicyChange,
        PreventiveVisits,
    )
}
#: the kinds of change a scenario may make, in the order of the documentation.
CHANGE_KINDS: Final = tuple(_PARSERS)


def parse_change(data: Any, problem: Problem) -> Change:
    """One change from its file form ``{kind: fields}`` (raises ``ValueError`` naming the fault)."""
    if not isinstance(data, Mapping) or len(data) != 1:
        raise ChangeError(
            f"a change is a mapping with one key, its kind ({', '.join(CHANGE_KINDS)}); got {data!r}"
        )
    ((kind, value),) = data.items()
    parser = _PARSERS.get(str(kind))
    if parser is None:
        raise ChangeError(f"unknown change '{kind}' (known: {', '.join(CHANGE_KINDS)})")
    change: Change = parser.parse(value, problem)
    return change


@dataclass(frozen=True)
class Scenario:
    """The baseline with ``changes`` made in order."""

    name: str
    changes: tuple[Change, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(self.changes))
        if not self.name or self.name != self.name.strip():
            raise ValueError("a scenario needs a name without surrounding spaces")

    def describe(self) -> str:
        return "; ".join(c.describe() for c in self.changes) or "no change (baseline)"


@dataclass(frozen=True)
class PreparedScenario:
    """A scenario made concrete for a horizon: its problem and what changes day by day.

    ``problem`` holds the baseline's tickets (the open backlog on the first day).
    """

    name: str
    problem: Problem
    horizon: tuple[date, ...]
    ticket_scale: float = 1.0
    strikes: tuple[tuple[date, FerryStrike], ...] = ()
    closures: tuple[tuple[date, frozenset[str]], ...] = ()
    description: str = ""
    #: the days also plan the preventive visits due (the ``preventive_visits`` change).
    preventive: bool = False

    def sailings_on(self, day: date) -> tuple[Sailing, ...]:
        """The timetable of ``day``: the problem's sailings less those a strike cancels."""
        strikes = [s for d, s in self.strikes if d == day]
        return tuple(s for s in self.problem.sailings if not any(strike.stops(s) for strike in strikes))

    def closed_on(self, day: date) -> frozenset[str]:
        """Schools that cannot be reached on ``day`` (winter closures)."""
        closed: set[str] = set()
        for d, schools in self.closures:
            if d == day:
                closed |= schools
        return frozenset(closed)


def prepare_scenario(baseline: Problem, scenario: Scenario, horizon: Sequence[date]) -> PreparedScenario:
    """Make the scenario's changes; raises :class:`ScenarioError` naming every faulty change."""
    issues: list[str] = []
    problem = baseline
    scale = 1.0
    strikes: list[tuple[date, FerryStrike]] = []
    closures: list[tuple[date, frozenset[str]]] = []
    for number, change in enumerate(scenario.changes, start=1):
        try:
            problem = change.apply(problem, baseline)
        except ValueError as error:
            issues.append(f"scenario '{scenario.name}', change {number} ({change.kind}): {error}")
            continue
        if isinstance(change, ScaleTickets):
            scale *= change.factor
        elif isinstance(change, FerryStrike):
            strikes += [(day, change) for day in sorted(change.when.resolve(horizon))]
        elif isinstance(change, WinterClosure):
            schools = change.closed(problem)
            closures += [(day, schools) for day in sorted(change.when.resolve(horizon))]
    if issues:
        raise ScenarioError(issues)
    return PreparedScenario(
        name=scenario.name,
        problem=problem,
        horizon=tuple(horizon),
        ticket_scale=scale,
        strikes=tuple(strikes),
        closures=tuple(closures),
        description=scenario.describe(),
        preventive=any(isinstance(c, PreventiveVisits) for c in scenario.changes),
    )


def prepare_scenarios(
    baseline: Problem, scenarios: Sequence[Scenario], horizon: Sequence[date]
) -> tuple[PreparedScenario, ...]:
    """Every scenario prepared, or one :class:`ScenarioError` with the findings of all of them."""
    issues: list[str] = []
    names = [s.name for s in scenarios]
    issues += [
        f"scenario '{n}' is named more than once" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if not scenarios:
        issues.append("there is no scenario to run")
    prepared: list[PreparedScenario] = []
    for scenario in scenarios:
        try:
            prepared.append(prepare_scenario(baseline, scenario, horizon))
        except ScenarioError as error:
            issues += error.issues
    if issues:
        raise ScenarioError(issues)
    return tuple(prepared)
