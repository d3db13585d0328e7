"""Scenario files (YAML or JSON): the baseline problem, the scenarios and the simulation's defaults.

The file's ``problem`` is a problem path relative to the file, or a name the caller knows
(``named``, e.g. ``{"sample": sample_data_dir()}`` from the command line): this package reads
no embedded data of its own.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any, Final, TypeAlias

from dromologio.models import Problem

from .parsing import Change, ScenarioError, parse_day, parse_number
from .prepare import Scenario, parse_change

__all__ = [
    "ARRIVAL_MODELS",
    "ArrivalSettings",
    "NamedProblems",
    "ScenarioSet",
    "load_baseline",
    "load_scenarios",
    "parse_scenarios",
]

#: ways of drawing daily ticket arrivals (see :mod:`dromologio.planning.simulate`).
ARRIVAL_MODELS: Final = ("fitted", "history")
#: problems known by name (``problem: sample`` in a file): paths the caller gives, or functions
#: that make the problem (a variant of the sample that has no folder of its own).
NamedProblems: TypeAlias = Mapping[str, str | PathLike[str] | Callable[[], Problem]]


@dataclass(frozen=True)
class ArrivalSettings:
    """How new tickets arrive each day (see :mod:`dromologio.planning.simulate`).

    ``model``: ``fitted`` draws from a generator fitted to ``history`` (rates per school,
    category, priority and remote mixes); ``history`` replays whole days of ``history``
    picked at random.  ``history`` is a tickets table (``tickets.csv``) or a problem; by
    default the baseline's own tickets.  ``tickets_per_day`` sets the mean number of
    tickets opened per weekday (default: as in the history).
    """

    model: str = "fitted"
    tickets_per_day: float | None = None
    history: str | None = None
    #: pseudo-count added to every school's ticket count when fitting (schools without history).
    school_smoothing: float = 0.5

    def __post_init__(self) -> None:
        if self.model not in ARRIVAL_MODELS:
            raise ValueError(f"arrivals model must be one of {', '.join(ARRIVAL_MODELS)}, not {self.model!r}")
        if self.tickets_per_day is not None and not 0.0 <= self.tickets_per_day <= 10_000.0:
            raise ValueError("arrivals tickets_per_day must be between 0 and 10000")
        if self.school_smoothing < 0:
            raise ValueError("arrivals school_smoothing must not be negative")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArrivalSettings:
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(f"unknown arrivals field(s) {', '.join(unknown)}; known: {', '.join(known)}")
        values = dict(data)
        for name in ("tickets_per_day", "school_smoothing"):
            if values.get(name) is not None:
                values[name] = parse_number(values[name], f"arrivals {name}")
        return cls(**values)


@dataclass(frozen=True)
class ScenarioSet:
    """A scenario file: the baseline problem, the scenarios and the simulation's defaults."""

    scenarios: tuple[Scenario, ...]
    problem: str = "sample"
    start: date | None = None
    reference: str = ""
    arrivals: ArrivalSettings = field(default_factory=ArrivalSettings)
    days: int | None = None
    time_limit_s: float | None = None
    seed: int | None = None
    #: the folder relative paths of the file are read from.
    folder: Path = field(default=Path("."), compare=False)
    #: problems known by name (see :func:`load_baseline`).
    named: NamedProblems = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scenarios", tuple(self.scenarios))
        if not self.reference and self.scenarios:
            object.__setattr__(self, "reference", self.scenarios[0].name)

    def load_problem(self, named: NamedProblems | None = None) -> Problem:
        """The baseline problem (``named`` adds to the names the file was read with)."""
        return load_baseline(self.problem, self.folder, named={**self.named, **(named or {})})

    def history_path(self) -> Path | None:
        if self.arrivals.history is None:
            return None
        return _resolve(self.arrivals.history, self.folder)


_TOP_LEVEL: Final = ("problem", "start", "reference", "arrivals", "days", "time_limit_s", "seed", "scenarios")


def _resolve(path: str, folder: Path) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else folder / candidate


def load_baseline(
    spec: str, folder: str | PathLike[str] = ".", *, named: NamedProblems | None = None
) -> Problem:
    """The baseline problem: the one ``named`` so (e.g. ``{"sample": sample_data_dir()}``), else a
    problem folder, ``.json`` or ``.xlsx`` at ``spec`` relative to ``folder``."""
    from dromologio.models import read_problem

    if named and spec in named:
        known = named[spec]
        return known() if callable(known) else read_problem(Path(known))
    return read_problem(_resolve(spec, Path(folder)))


def parse_scenarios(
    document: Any,
    problem: Problem | None = None,
    *,
    source: str = "scenarios",
    folder: Path | None = None,
    named: NamedProblems | None = None,
) -> ScenarioSet:
    """A :class:`ScenarioSet` from the file's document (already parsed from YAML or JSON).

    Changes are parsed against ``problem`` (the baseline; loaded from the document's
    ``problem`` when None, see :func:`load_baseline`).  Raises :class:`ScenarioError` with
    every finding.
    """
    folder = folder or Path(".")
    if not isinstance(document, Mapping):
        raise ScenarioError([f"{source}: the file must hold a mapping with a 'scenarios' list"])
    issues: list[str] = []
    unknown = sorted(str(k) for k in document if k not in _TOP_LEVEL)
    if unknown:
        issues.append(f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(_TOP_LEVEL)}")
    spec = str(document.get("problem", "sample"))
    start: date | None = None
    if document.get("start") is not None:
        try:
            start = parse_day(document["start"], "start")
        except ValueError as error:
            issues.append(f"{source}: {error}")
    arrivals = ArrivalSettings()
    try:
        raw_arrivals = document.get("arrivals") or {}
        if not isinstance(raw_arrivals, Mapping):
            raise ValueError("arrivals must be a mapping, e.g. {model: fitted, tickets_per_day: 20}")
        arrivals = ArrivalSettings.from_dict(raw_arrivals)
    except (TypeError, ValueError) as error:
        issues.append(f"{source}: {error}")
    numbers: dict[str, Any] = {}
    for name, kind in (("days", int), ("time_limit_s", float), ("seed", int)):
        value = document.get(name)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (kind is int and not isinstance(value, int))
        ):
            issues.append(
                f"{source}: {name} must be a{'n integer' if kind is int else ' number'}, not {value!r}"
            )
        elif value <= 0 and name != "seed":
            issues.append(f"{source}: {name} must be positive")
        else:
            numbers[name] = kind(value)
    if problem is None:
        try:
            problem = load_baseline(spec, folder, named=named)
        except Exception as error:
            issues.append(f"{source}: cannot read the problem '{spec}': {error}")
            raise ScenarioError(issues) from error
    raw_scenarios = document.get("scenarios")
    scenarios: list[Scenario] = []
    if not isinstance(raw_scenarios, Sequence) or isinstance(raw_scenarios, str) or not raw_scenarios:
        issues.append(f"{source}: 'scenarios' must be a non-empty list of {{name, changes}}")
        raw_scenarios = []
    for index, raw in enumerate(raw_scenarios, start=1):
        try:
            scenarios.append(_parse_scenario(raw, index, problem))
        except ScenarioError as error:
            issues += error.issues
    given = [str(r["name"]).strip() for r in raw_scenarios if isinstance(r, Mapping) and r.get("name")]
    issues += [
        f"scenario '{n}' is named more than once" for n in sorted({n for n in given if given.count(n) > 1})
    ]
    reference = str(document.get("reference") or "")
    if reference and reference not in given:
        issues.append(f"{source}: reference '{reference}' is not one of the scenarios ({', '.join(given)})")
    if issues:
        raise ScenarioError(issues)
    return ScenarioSet(
        scenarios=tuple(scenarios),
        problem=spec,
        start=start,
        reference=reference,
        arrivals=arrivals,
        folder=folder,
        named=dict(named or {}),
        **numbers,
    )


def _parse_scenario(raw: Any, index: int, problem: Problem) -> Scenario:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise ScenarioError([f"scenario {index}: needs a name (a mapping with name and changes)"])
    name = raw["name"].strip()
    unknown = sorted(str(k) for k in raw if k not in ("name", "description", "changes"))
    if unknown:
        raise ScenarioError(
            [f"scenario '{name}': unknown key(s) {', '.join(unknown)}; known: name, description, changes"]
        )
    raw_changes = raw.get("changes") or []
    if not isinstance(raw_changes, Sequence) or isinstance(raw_changes, str):
        raise ScenarioError([f"scenario '{name}': changes must be a list"])
    issues: list[str] = []
    changes: list[tuple[int, Change]] = []
    for number, data in enumerate(raw_changes, start=1):
        kind = str(next(iter(data))) if isinstance(data, Mapping) and len(data) == 1 else "?"
        try:
            changes.append((number, parse_change(data, problem)))
        except ValueError as error:
            issues.append(f"scenario '{name}', change {number} ({kind}): {error}")
    # Changes that parse are also made on the baseline now, so that every finding shows at once.
    changed = problem
    for number, change in changes:
        try:
            changed = change.apply(changed, problem)
        except ValueError as error:
            issues.append(f"scenario '{name}', change {number} ({change.kind}): {error}")
    if issues:
        raise ScenarioError(sorted(issues, key=lambda line: _change_number(line)))
    return Scenario(name, tuple(c for _, c in changes), str(raw.get("description") or ""))


def _change_number(line: str) -> int:
    match = re.search(r", change (\d+) \(", line)
    return int(match[1]) if match else 0


def load_scenarios(
    path: str | PathLike[str], problem: Problem | None = None, *, named: NamedProblems | None = None
) -> ScenarioSet:
    """Read a scenario file (``.yaml``/``.yml`` or ``.json``); raises :class:`ScenarioError`.

    ``problem`` is the baseline the changes are checked against (default: the file's
    ``problem``, looked up in ``named`` first, see :func:`load_baseline`)."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError([f"{location}: cannot be read: {error.strerror or error}"]) from error
    try:
        if location.suffix.lower() == ".json":
            document = json.loads(text)
        else:
            import yaml

            document = yaml.safe_load(text)
    except Exception as error:
        raise ScenarioError(
            [f"{location.name}: not valid {location.suffix.lstrip('.').upper() or 'YAML'}: {error}"]
        ) from error
    return parse_scenarios(document, problem, source=location.name, folder=location.parent, named=named)
