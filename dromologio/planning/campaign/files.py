"""The campaign's schools file: ``school_id`` per row, optional ``service_minutes`` (docs/campaign.md)."""

from __future__ import annotations

import csv
from os import PathLike
from pathlib import Path

from dromologio.models.errors import InputError, InputIssue

__all__ = ["read_campaign_schools"]

REQUIRED = ("school_id",)
OPTIONAL = ("service_minutes",)


def read_campaign_schools(path: str | PathLike[str]) -> tuple[tuple[str, ...], dict[str, int]]:
    """The school ids of a campaign CSV in file order, and the minutes of those rows that give them.

    Raises :class:`InputError` with every bad cell (file, row, column, the fix).
    """
    source = Path(path)
    name = source.name
    issues: list[InputIssue] = []
    school_ids: list[str] = []
    minutes: dict[str, int] = {}
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise InputError(
                [
                    InputIssue(
                        name, None, c, None, "required column missing", f"add a '{c}' column to the header"
                    )
                    for c in missing
                ]
            )
        unknown = [c for c in columns if c not in REQUIRED + OPTIONAL]
        issues += [
            InputIssue(name, 1, c, c, "unknown column", f"use only {', '.join(REQUIRED + OPTIONAL)}")
            for c in unknown
        ]
        seen: dict[str, int] = {}
        for row_number, raw in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            school_id = row.get("school_id", "")
            if not school_id:
                issues.append(
                    InputIssue(name, row_number, "school_id", "", "empty school id", "give the school's id")
                )
                continue
            if school_id in seen:
                issues.append(
                    InputIssue(
                        name,
                        row_number,
                        "school_id",
                        school_id,
                        f"school named again (first on row {seen[school_id]})",
                        "name each school once",
                    )
                )
                continue
            seen[school_id] = row_number
            school_ids.append(school_id)
            text = row.get("service_minutes", "")
            if text:
                try:
                    value = int(text)
                except ValueError:
                    value = 0
                if not 0 < value <= 24 * 60:
                    issues.append(
                        InputIssue(
                            name,
                            row_number,
                            "service_minutes",
                            text,
                            "not a whole number of minutes between 1 and 1440",
                            "write the visit's minutes, e.g. 90, or leave it empty for the default",
                        )
                    )
                    continue
                minutes[school_id] = value
    if not school_ids and not issues:
        issues.append(InputIssue(name, None, None, None, "no school listed", "add one row per school"))
    if issues:
        raise InputError(issues)
    return tuple(school_ids), minutes
