"""Checking a problem's raw tables: every cell, every row, ids, references, islands, the policy.

Every issue of every table is collected before judging (:class:`~dromologio.models.errors.InputIssue`);
if any is found, no problem is returned.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from . import cells
from .cells import CellError, suggestion
from .errors import InputError, InputIssue
from .partial import ProblemTables, StoredIds
from .policy import Policy
from .problem import (
    Problem,
    ProblemError,
)
from .sources import ParsedRow, RawPolicy, RawRow, RawTable, Source, row_issue
from .table_specs import (
    ACCESS_COLUMN,
    EXTENSION_COLUMNS,
    KNOWN_MAX_KMH,
    KNOWN_TIMES,
    KNOWN_TIMES_TABLE,
    PLACE_TABLES,
    REFERENCES,
    REQUIRED_TABLES,
    ROW_CELL_RULES,
    SPECS,
    SUGGESTION_BUDGET,
    TABLES,
    Column,
    TableSpec,
    access_minutes,
)

T = TypeVar("T")


# --- validation -------------------------------------------------------------------


def _empty_fix(column: Column) -> str:
    example = f", e.g. {column.example}" if column.example else ""
    return f"fill in the {column.name}{example}"


def _read_rows(spec: TableSpec, table: RawTable, issues: list[InputIssue]) -> list[ParsedRow]:
    """Every row of a table read cell by cell; ``item`` is set only for rows without any issue."""
    present = set(table.columns)
    others = [c for c in table.columns if c not in spec.column_names]
    # an empty JSON list has no columns to miss; a header row without rows still does
    has_columns = table.header_row is not None or bool(table.rows)
    for column in spec.columns:
        if has_columns and column.required and column.name not in present:
            issues.append(
                InputIssue(
                    table.label,
                    table.header_row,
                    column.name,
                    None,
                    f"column '{column.name}' is missing; the columns are: {', '.join(table.columns) or '(none)'}",
                    f"add a '{column.name}' column{suggestion(column.name, others)}",
                )
            )
    known = set(spec.column_names)
    rows: list[ParsedRow] = []
    for raw in table.rows:
        found: list[InputIssue] = []
        values: dict[str, Any] = {}
        for column in spec.columns:
            if column.name in raw.bad:
                continue
            if column.name not in raw.cells:
                if column.required and column.name in present:
                    found.append(
                        InputIssue(
                            table.label,
                            raw.number,
                            column.name,
                            None,
                            f"'{column.name}' is missing from this row",
                            f'add "{column.name}" to the row',
                        )
                    )
                elif not column.required:
                    values[column.field] = column.default
                continue
            text = raw.cells[column.name].strip()
            if not text:
                if column.filled:
                    found.append(
                        InputIssue(
                            table.label,
                            raw.number,
                            column.name,
                            "",
                            f"{column.name} is empty",
                            _empty_fix(column),
                        )
                    )
                else:
                    values[column.field] = column.default
                continue
            try:
                values[column.field] = column.parse(text)
            except CellError as error:
                found.append(InputIssue(table.label, raw.number, column.name, text, error.message, error.fix))
        if spec.name in ROW_CELL_RULES:
            for column_name, problem in ROW_CELL_RULES[spec.name](raw.cells, values):
                text = raw.cells.get(column_name, "").strip()
                found.append(
                    InputIssue(table.label, raw.number, column_name, text, problem.message, problem.fix)
                )
        found += _row_checks(spec.name, table.label, raw, values)
        item: Any | None = None
        complete = all(c.field in values for c in spec.columns)
        if not found and not raw.bad and complete:
            extra = {k: v for k, v in raw.cells.items() if k not in known}
            try:
                item = spec.model(**values, extra=extra)
            except ValueError as error:
                found.append(
                    InputIssue(table.label, raw.number, None, None, str(error), f"correct the {spec.what}")
                )
        issues += found
        rows.append(ParsedRow(raw.number, values, item))
    return rows


def _order_issue(
    label: str, raw: RawRow, earlier: tuple[str, int], later: tuple[str, int], fix: str
) -> InputIssue:
    """``later`` is not after ``earlier`` (times of day); blamed on a column that was filled in."""
    (first, start), (second, end) = earlier, later
    second_given = bool(raw.cells.get(second, "").strip())
    blamed = second if second_given or not raw.cells.get(first, "").strip() else first

    def shown(name: str, minutes: int) -> str:
        given = bool(raw.cells.get(name, "").strip())
        return f"{name} {cells.format_time(minutes)}{'' if given else ' (the default)'}"

    return InputIssue(
        label,
        raw.number,
        blamed,
        raw.cells.get(blamed, "").strip(),
        f"{shown(second, end)} is not later than {shown(first, start)}",
        fix,
    )


#: times of day of a row that must increase: the first column, the last, and the fix.
_TIMES_IN_ORDER: Mapping[str, tuple[str, str, str]] = {
    "schools": ("opens", "closes", "check the school hours: a school closes after it opens"),
    "technicians": (
        "shift_start",
        "shift_end",
        "check the working hours: a shift ends after it starts (night shifts are not supported)",
    ),
}


def _row_checks(table: str, label: str, raw: RawRow, values: Mapping[str, Any]) -> list[InputIssue]:
    """Checks between the cells of one row."""
    found: list[InputIssue] = []
    if table == "schools" and raw.cells.get(ACCESS_COLUMN, "").strip():
        text = raw.cells[ACCESS_COLUMN].strip()
        try:
            access_minutes(text)
        except CellError as error:
            found.append(InputIssue(label, raw.number, ACCESS_COLUMN, text, error.message, error.fix))
    for column, parse in EXTENSION_COLUMNS.get(table, {}).items():
        text = raw.cells.get(column, "").strip()
        try:
            if text:
                parse(text)
        except CellError as error:
            found.append(InputIssue(label, raw.number, column, text, error.message, error.fix))
    lat, lon = values.get("lat"), values.get("lon")
    if table in PLACE_TABLES and isinstance(lat, float) and isinstance(lon, float):
        outside = cells.check_in_greece(lat, lon)
        if outside is not None:
            column, message, fix = outside
            found.append(
                InputIssue(label, raw.number, column, raw.cells.get(column, "").strip(), message, fix)
            )
    if table in _TIMES_IN_ORDER:
        first, last, fix = _TIMES_IN_ORDER[table]
        start, end = values.get(f"{first}_min"), values.get(f"{last}_min")
        if start is not None and end is not None and end <= start:
            found.append(_order_issue(label, raw, (first, start), (last, end), fix))
    elif table == "tickets":
        opened, due = values.get("opened_at"), values.get("due_by")
        if isinstance(opened, datetime) and isinstance(due, datetime) and due < opened:
            found.append(
                InputIssue(
                    label,
                    raw.number,
                    "due_by",
                    raw.cells.get("due_by", "").strip(),
                    f"due_by {cells.format_instant(due)} is before opened_at {cells.format_instant(opened)}",
                    "check both dates: a ticket falls due after it is opened",
                )
            )
    elif table == "ferries":
        start, end = values.get("from_port"), values.get("to_port")
        if start is not None and start == end:
            found.append(
                InputIssue(
                    label,
                    raw.number,
                    "to_port",
                    end,
                    f"from_port and to_port are both '{start}'",
                    "a sailing goes between two different ports",
                )
            )
    return found


def _unique_ids(spec: TableSpec, rows: list[ParsedRow], label: str, issues: list[InputIssue]) -> set[str]:
    assert spec.id_column is not None
    first: dict[str, int] = {}
    for row in rows:
        ident = row.values.get(spec.id_column)
        if ident is None:
            continue
        if ident in first:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    spec.id_column,
                    ident,
                    f"{spec.id_column} '{ident}' is used twice: rows {first[ident]} and {row.number}",
                    f"give each {spec.what} its own {spec.id_column}",
                )
            )
        else:
            first[ident] = row.number
    return set(first)


def _check_references(
    rows: list[ParsedRow],
    label: str,
    column: str,
    targets: set[str],
    target: TableSpec,
    target_label: str,
    issues: list[InputIssue],
) -> None:
    budget = SUGGESTION_BUDGET
    for row in rows:
        value = row.values.get(column)
        if value is None or value in targets:
            continue
        hint = suggestion(value, targets) if budget > 0 else ""
        budget -= 1
        issues.append(
            InputIssue(
                label,
                row.number,
                column,
                value,
                f"{target.what} '{value}' is not in {target_label}",
                f"use a {target.id_column} from {target_label}{hint}",
            )
        )


def _check_stored_references(
    rows: list[ParsedRow],
    label: str,
    column: str,
    given: tuple[set[str], str] | None,
    target: TableSpec,
    stored: StoredIds,
    issues: list[InputIssue],
) -> None:
    """References of a partial problem: to rows it gives (ids, label) or to rows stored before."""
    own, own_label = given if given is not None else (set(), "")
    stored_ids = stored.ids(target.name)
    hints = own | stored.hints(target.name)
    budget = SUGGESTION_BUDGET
    for row in rows:
        value = row.values.get(column)
        if value is None or value in own or value in stored_ids:
            continue
        hint = suggestion(value, hints) if budget > 0 else ""
        budget -= 1
        where = f" in {own_label} or stored before" if given is not None else ""
        issues.append(
            InputIssue(
                label,
                row.number,
                column,
                value,
                f"no {target.what} '{value}'{where}",
                f"import it first or fix the id{hint}",
            )
        )


def _check_islands(
    source: Source,
    parsed: Mapping[str, list[ParsedRow] | None],
    issues: list[InputIssue],
    stored: StoredIds | None = None,
) -> None:
    """Every island a school or base is on has a port; ports are given when needed.

    A partial problem (``stored`` given) may rely on the ports stored before.
    """
    places: dict[str, tuple[str, int, int]] = {}
    for table in ("schools", "bases"):
        for row in parsed.get(table) or []:
            island = row.values.get("island")
            if island:
                label, number, count = places.get(island, (source.label(table), row.number, 0))
                places[island] = (label, number, count + 1)
    ferry_rows = parsed.get("ferries") or []
    given = "ports" in source.tables
    if not given and stored is None:
        reasons = []
        if places:
            reasons.append(f"schools or bases are on islands ({', '.join(sorted(places))})")
        if ferry_rows:
            reasons.append(f"{source.label('ferries')} names ports")
        if reasons:
            issues.append(source.missing("ports", f", but {' and '.join(reasons)}"))
        return
    ports = parsed.get("ports")
    if given and ports is None:
        return
    ports_label = source.label("ports") if given else "the stored ports"
    port_islands = {str(r.values["island"]) for r in ports or [] if r.values.get("island")}
    if stored is not None:
        port_islands |= stored.port_islands
    for island, (label, number, count) in places.items():
        if island in port_islands:
            continue
        named = f" ({count} rows name it)" if count > 1 else ""
        where = ports_label if given or stored is None else f"{SPECS['ports'].file} (an import of ports)"
        issues.append(
            InputIssue(
                label,
                number,
                "island",
                island,
                f"island '{island}' has no port in {ports_label}{named}",
                f"add a port on {island} to {where}, or correct the island name"
                f"{suggestion(island, port_islands)}",
            )
        )


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _number(value: object) -> float | None:
    """A finite JSON number as a float (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _policy_value(value: object, default: object) -> object:
    """``value`` checked against the type of the field's default."""
    number = _number(value)
    if isinstance(value, str) and isinstance(default, int | float):
        kind = "true or false" if isinstance(default, bool) else "a number"
        try:
            quoted = json.loads(value)
        except ValueError:
            quoted = None
        fix = "write the value without quotes" if isinstance(quoted, int | float) else f"write {kind}"
        raise CellError(f"{_show(value)} is a text, not {kind}", fix)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise CellError(f"{_show(value)} is not true or false", "write true or false")
    if isinstance(default, int):
        if number is not None and number.is_integer():
            return int(number)
        raise CellError(f"{_show(value)} is not a whole number", "write a whole number, e.g. 30")
    if isinstance(default, float):
        if number is not None:
            return number
        raise CellError(f"{_show(value)} is not a number", "write a number, e.g. 0.15")
    if isinstance(default, Mapping):
        keys = [str(k) for k in default]
        example = json.dumps({keys[0]: default[keys[0]]}) if keys else "{}"
        if not isinstance(value, Mapping):
            raise CellError(f"{_show(value)} is not an object", f"write an object such as {example}")
        table: dict[str, float] = {}
        for key, amount in value.items():
            if key not in keys:
                raise CellError(
                    f"'{key}' is not one of {', '.join(keys)}", f"use those keys{suggestion(str(key), keys)}"
                )
            entry = _number(amount)
            if entry is None:
                raise CellError(f"{key}: {_show(amount)} is not a number", f"write numbers, as in {example}")
            table[key] = entry
        return table
    if isinstance(default, str) and not isinstance(value, str):
        raise CellError(f"{_show(value)} is not a text", 'write a text in quotes, e.g. "..."')
    return value


def _field_fix(name: str, known: Sequence[str]) -> str:
    match = cells.did_you_mean(name, known)
    if match is not None:
        return f"correct the name (did you mean '{match}'?)"
    return f"use one of {', '.join(known)}"


def _read_policy(raw: RawPolicy, issues: list[InputIssue]) -> Policy | None:
    known = Policy.field_names()
    defaults = Policy()
    values: dict[str, Any] = {}
    before = len(issues)
    rows: dict[str, int | None] = {}
    for name, value, row in raw.entries:
        if name in rows:
            issues.append(
                InputIssue(
                    raw.label,
                    row,
                    raw.field_column,
                    name,
                    f"policy field '{name}' is given twice (rows {rows[name]} and {row})",
                    "keep one of them",
                )
            )
            continue
        rows[name] = row
        if name not in known:
            issues.append(
                InputIssue(
                    raw.label,
                    row,
                    raw.field_column,
                    name,
                    f"'{name}' is not a policy field",
                    _field_fix(name, known),
                )
            )
            continue
        try:
            values[name] = _policy_value(value, getattr(defaults, name))
        except CellError as error:
            issues.append(
                InputIssue(
                    raw.label, row, raw.value_column, _show(value), f"{name}: {error.message}", error.fix
                )
            )
    if len(issues) > before:
        return None
    try:
        return Policy.from_dict(values)
    except (ValueError, TypeError) as error:
        issues.append(InputIssue(raw.label, None, None, None, str(error), "correct that policy field"))
        return None


def _ordered(source: Source, issues: list[InputIssue]) -> list[InputIssue]:
    """Issues grouped by file (in table order), then by row."""
    rank: dict[str, int] = {}
    for table in TABLES:
        rank.setdefault(source.label(table), len(rank))
    for issue in issues:
        rank.setdefault(issue.file, len(rank))
    return sorted(issues, key=lambda i: (rank[i.file], -1 if i.row is None else i.row))


def _items(rows: list[ParsedRow] | None, kind: type[T]) -> tuple[T, ...]:
    items: list[T] = []
    for row in rows or []:
        if not isinstance(row.item, kind):
            raise AssertionError(f"row {row.number} was not read")
        items.append(row.item)
    return tuple(items)


def _nothing_given(source: Source) -> InputIssue:
    names = [SPECS[t].file for t in TABLES]
    hint = next((f" (is '{n}' meant as one?)" for n in source.spare if cells.did_you_mean(n, names)), "")
    return row_issue(
        source.name,
        None,
        "there is nothing to import: no table of the problem is given",
        f"give one or more of {', '.join(names)} (or policy.json), named like that{hint}",
    )


def _check(source: Source, stored: StoredIds | None) -> tuple[dict[str, list[ParsedRow] | None], Policy]:
    """Every table read and checked; raises :class:`InputError` with every issue found.

    A whole problem (``stored`` None) needs the required tables; a partial one
    needs at least one table or a policy, and may refer to ``stored`` ids.
    """
    issues = source.issues
    if not source.readable:
        raise InputError(_ordered(source, issues))
    if stored is None:
        for table in REQUIRED_TABLES:
            if table not in source.tables:
                issues.append(source.missing(table, ""))
    elif not source.tables and source.policy is None and not issues:
        issues.append(_nothing_given(source))
    parsed: dict[str, list[ParsedRow] | None] = {}
    for table in TABLES:
        raw = source.tables.get(table)
        parsed[table] = None if raw is None else _read_rows(SPECS[table], raw, issues)
    ids: dict[str, set[str] | None] = {}
    for table in TABLES:
        spec, rows = SPECS[table], parsed[table]
        if spec.id_column is not None:
            ids[table] = None if rows is None else _unique_ids(spec, rows, source.label(table), issues)
    for table, column, target in REFERENCES:
        rows, targets = parsed[table], ids[target]
        if rows is None:
            continue
        if stored is None:
            if targets is not None:
                _check_references(
                    rows, source.label(table), column, targets, SPECS[target], source.label(target), issues
                )
        elif targets is not None or target not in source.tables:
            given = None if targets is None else (targets, source.label(target))
            _check_stored_references(rows, source.label(table), column, given, SPECS[target], stored, issues)
    _check_islands(source, parsed, issues, stored)
    if source.tables.get(KNOWN_TIMES_TABLE) is not None:
        parsed[KNOWN_TIMES_TABLE] = _known_times(source, parsed, stored, issues)
    policy = Policy() if source.policy is None else _read_policy(source.policy, issues)
    if issues or policy is None:
        raise InputError(_ordered(source, issues))
    return parsed, policy


def _known_times(
    source: Source,
    parsed: dict[str, list[ParsedRow] | None],
    stored: StoredIds | None,
    issues: list[InputIssue],
) -> list[ParsedRow] | None:
    """The rows of ``travel_times``: ids of places given, on one island, no faster than a car can go."""
    label = source.label(KNOWN_TIMES_TABLE)
    raw = source.tables[KNOWN_TIMES_TABLE]
    assert raw is not None
    if stored is not None:
        issues.append(
            row_issue(
                label,
                None,
                "known travel times are not kept by the service",
                "leave travel_times out of the import (the command line reads travel_times.csv of a problem folder)",
            )
        )
        return None
    rows = _read_rows(KNOWN_TIMES, raw, issues)
    places: dict[str, tuple[float, float, str]] = {}
    for table, key in (("ports", "port_id"), ("bases", "base_id"), ("schools", "school_id")):
        for row in parsed[table] or []:
            values = row.values
            if all(isinstance(values.get(k), float) for k in ("lat", "lon")) and key in values:
                places[values[key]] = (values["lat"], values["lon"], values.get("island") or "")
    for raw_row, row in zip(raw.rows, rows, strict=True):
        ends = []
        for column in ("from_id", "to_id"):
            ident = row.values.get(column)
            if not isinstance(ident, str):
                continue
            if ident in places:
                ends.append(places[ident])
                continue
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    column,
                    ident,
                    f"'{ident}' is no school, base or port of the problem",
                    f"use the id of a school, base or port{suggestion(ident, places)}",
                )
            )
        minutes = row.values.get("minutes")
        if len(ends) != 2 or not isinstance(minutes, int):
            continue
        (lat1, lon1, island1), (lat2, lon2, island2) = ends
        if island1 != island2:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "to_id",
                    str(row.values["to_id"]),
                    f"the two places are on different islands ({island1 or 'mainland'}, {island2 or 'mainland'})",
                    "give road times on one island (or on the mainland) only: across water the ferries decide",
                )
            )
            continue
        straight = _straight_km(lat1, lon1, lat2, lon2)
        if minutes < straight / KNOWN_MAX_KMH * 60.0:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "minutes",
                    str(minutes),
                    f"{minutes} min for {straight:.1f} km in a straight line is faster than {KNOWN_MAX_KMH:.0f} km/h",
                    "write the door-to-door driving time in minutes",
                )
            )
        km = row.values.get("km")
        if isinstance(km, float) and km < straight * 0.99:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "km",
                    raw_row.cells.get("km", "").strip(),
                    f"{km:g} km is less than the {straight:.1f} km between the places in a straight line",
                    "write the road km of the trip, or leave the cell empty",
                )
            )
    return rows


def _straight_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km on the mean Earth radius (as the plan checker measures)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2.0 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _entities(parsed: Mapping[str, list[ParsedRow] | None]) -> dict[str, Any]:
    """Each table's domain objects, by the field of the problem that holds them (``ferries``: ``sailings``)."""
    return {SPECS[t].rows_field: _items(parsed.get(t), SPECS[t].model) for t in TABLES}


def validated_problem(source: Source) -> Problem:
    parsed, policy = _check(source, None)
    try:
        return Problem(
            **_entities(parsed),
            policy=policy,
            name=source.name,
            travel_times=_items(parsed.get(KNOWN_TIMES_TABLE), KNOWN_TIMES.model),
        )
    except ProblemError as error:
        raise InputError(
            InputIssue(source.name, None, None, None, text, "") for text in error.issues
        ) from None


def validated_tables(source: Source, stored: StoredIds) -> ProblemTables:
    parsed, policy = _check(source, stored)
    return ProblemTables(
        **_entities(parsed),
        policy=None if source.policy is None else policy,
        name=source.name,
        present=frozenset(source.tables),
        labels={
            **{t: source.label(t) for t in TABLES},
            **({"policy": source.policy.label} if source.policy is not None else {}),
        },
        rows={t: tuple(r.number for r in parsed[t] or []) for t in TABLES},
    )
