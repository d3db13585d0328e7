"""Budgets of an estimate: the budget file, and the daily and per-period tables against it.

A budget is given per employer and period (a month ``2026-01`` or a year ``2026``); a day's
share of a period's budget is the budget over the period's working days (those of a
:class:`~dromologio.models.calendar.WorkCalendar`: no weekends, public holidays or school breaks).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from dromologio.dispatch.pricing import COST_PARTS
from dromologio.models import InputError, InputIssue
from dromologio.models.calendar import WorkCalendar
from dromologio.models.cells import CellError, parse_non_negative, suggestion

from .seasonality import Seasonality

__all__ = [
    "BUDGET_COLUMNS",
    "BUDGET_TABLE_COLUMNS",
    "budget_lookup",
    "budget_table",
    "daily_table",
    "read_budget",
    "window_days",
]

#: columns of a budget file.
BUDGET_COLUMNS: tuple[str, ...] = ("employer", "period", "budget_eur")

_PERIOD = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")
_MONEY = (*COST_PARTS, "total_eur")


def read_budget(path: str | PathLike[str]) -> pd.DataFrame:
    """A budget CSV: ``employer,period,budget_eur``, one row per employer and period.

    ``period`` is a month (``2026-01``) or a year (``2026``).  Every bad row is reported
    at once (:class:`InputError`); an employer and period given twice is an error.
    """
    target = Path(path)
    label = target.name
    issues: list[InputIssue] = []
    rows: list[dict[str, Any]] = []
    try:
        with target.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            [InputIssue(label, None, None, None, f"cannot be read ({error})", "give a UTF-8 CSV file")]
        ) from None
    records = [r for r in records if any(c.strip() for c in r)]
    if not records:
        raise InputError(
            [
                InputIssue(
                    label, None, None, None, "the file is empty", f"start with {','.join(BUDGET_COLUMNS)}"
                )
            ]
        )
    header = [c.strip() for c in records[0]]
    missing = [c for c in BUDGET_COLUMNS if c not in header]
    for name in missing:
        others = [h for h in header if h not in BUDGET_COLUMNS]
        issues.append(
            InputIssue(
                label, 1, name, None, f"column '{name}' is missing", f"add it{suggestion(name, others)}"
            )
        )
    if missing:
        raise InputError(issues)
    seen: dict[tuple[str, str], int] = {}
    for number, record in enumerate(records[1:], start=2):
        cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        employer, period, amount = cells["employer"], cells["period"], cells["budget_eur"]
        ok = True
        if not employer:
            issues.append(InputIssue(label, number, "employer", "", "employer is empty", "name the body"))
            ok = False
        if not _PERIOD.fullmatch(period):
            issues.append(
                InputIssue(
                    label,
                    number,
                    "period",
                    period,
                    f"'{period}' is not a month or a year",
                    "write a month as 2026-01 or a year as 2026",
                )
            )
            ok = False
        value = 0.0
        try:
            value = parse_non_negative(amount) if amount else _raise_empty()
        except CellError as error:
            issues.append(InputIssue(label, number, "budget_eur", amount, error.message, error.fix))
            ok = False
        if ok:
            key = (employer, period)
            if key in seen:
                issues.append(
                    InputIssue(
                        label,
                        number,
                        "period",
                        period,
                        f"{employer} has a budget for {period} already (row {seen[key]})",
                        "keep one of them",
                    )
                )
                continue
            seen[key] = number
            rows.append({"employer": employer, "period": period, "budget_eur": value})
    if issues:
        raise InputError(issues)
    return pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))


def _raise_empty() -> float:
    raise CellError("budget_eur is empty", "write the amount in EUR, e.g. 12000")


def window_days(
    start: date,
    end: date,
    calendar: WorkCalendar | None = None,
    directorates: frozenset[str] = frozenset(),
) -> tuple[date, ...]:
    """The working days from ``start`` to ``end``, both included (default: the Greek school calendar)."""
    return (calendar or WorkCalendar()).between(start, end, directorates)


@cache
def _period_days(
    period: str, calendar: WorkCalendar | None = None, directorates: frozenset[str] = frozenset()
) -> tuple[date, ...]:
    year, _, month = period.partition("-")
    if month:
        first = date(int(year), int(month), 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    else:
        first, last = date(int(year), 1, 1), date(int(year), 12, 31)
    return window_days(first, last, calendar, directorates)


def month_share_of_year(
    year: int, month: int, calendar: WorkCalendar | None = None, directorates: frozenset[str] = frozenset()
) -> float:
    """The share of a year's budget line that falls in one month: its working days over the year's.

    A year line is spent evenly over the year's working days (the Greek school calendar by
    default), as :func:`daily_table` spends it, so December with its holidays gets less than
    March; 1/12 when the calendar has no working day in the year at all.
    """
    year_days = len(_period_days(f"{year}", calendar, directorates))
    if year_days == 0:
        return 1 / 12
    return len(_period_days(f"{year}-{month:02d}", calendar, directorates)) / year_days


def budget_lookup(budget: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    if budget is None or budget.empty:
        return {}
    return {
        (str(employer), str(period)): float(amount)
        for employer, period, amount in zip(
            budget["employer"], budget["period"], budget["budget_eur"], strict=True
        )
    }


def _period_of(lookup: Mapping[tuple[str, str], float], employer: str, day: date) -> str | None:
    """The budget period that covers ``day`` for ``employer``: its month if budgeted, else its year."""
    for period in (f"{day:%Y-%m}", f"{day:%Y}"):
        if (employer, period) in lookup:
            return period
    return None


def daily_table(
    routes: pd.DataFrame,
    days: Sequence[date],
    employers: Sequence[str],
    lookup: Mapping[tuple[str, str], float],
    calendar: WorkCalendar | None = None,
    directorates: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    summed = ["distance_km", *_MONEY, "tickets_served", "school_visits"]
    grid = pd.MultiIndex.from_product(
        [[d.isoformat() for d in days], list(employers)], names=["date", "employer"]
    )
    if routes.empty:
        daily = pd.DataFrame(0.0, index=grid, columns=summed)
    else:
        daily = routes.groupby(["date", "employer"])[summed].sum().reindex(grid, fill_value=0.0)
    daily = daily.reset_index()
    daily["distance_km"] = daily["distance_km"].astype(float).round(1)
    for column in _MONEY:
        daily[column] = daily[column].astype(float).round(2)
    for column in ("tickets_served", "school_visits"):
        daily[column] = daily[column].astype(int)
    daily["cumulative_eur"] = daily.groupby("employer")["total_eur"].cumsum().round(2)
    periods: list[str] = []
    period_budget: list[float] = []
    allowance: list[float] = []
    for record in daily.itertuples():
        period = _period_of(lookup, str(record.employer), date.fromisoformat(str(record.date)))
        periods.append(period or "")
        if period is None:
            period_budget.append(math.nan)
            allowance.append(math.nan)
        else:
            amount = lookup[(str(record.employer), period)]
            period_budget.append(amount)
            allowance.append(amount / len(_period_days(period, calendar, directorates)))
    daily["period"] = periods
    daily["period_budget_eur"] = period_budget
    daily["budget_to_date_eur"] = pd.Series(allowance, index=daily.index).groupby(daily["employer"]).cumsum()
    daily["budget_to_date_eur"] = daily["budget_to_date_eur"].round(2)
    return daily


def _band_groups(days: Sequence[date]) -> Callable[[date], str]:
    """How the band splits the estimated days: by month, or by ISO week within one month."""
    if len({(d.year, d.month) for d in days}) > 1:
        return lambda d: f"{d:%Y-%m}"
    return lambda d: "{}-W{:02d}".format(*d.isocalendar()[:2])


def _projection(
    mine: pd.DataFrame, part: pd.DataFrame, period_days: Sequence[date], season: Seasonality | None
) -> tuple[float, float, float]:
    """(projected, low, high) cost of a budget period for one employer.

    The cost of the days estimated, plus the period's other working days at the cost per
    expected ticket (``season``; every day alike without it).  The band takes the lowest and
    the highest cost per expected ticket over the months (or weeks) of the employer's estimate.
    """

    def demand(day: date) -> float:
        return season.demand(day) if season is not None and season.per_day > 0 else 1.0

    days = [date.fromisoformat(str(d)) for d in part["date"]]
    cost = float(part["total_eur"].sum())
    estimated = set(days)
    rest = sum(demand(d) for d in period_days if d not in estimated)
    expected = sum(demand(d) for d in days)
    if expected <= 0:
        return cost, cost, cost
    all_days = [date.fromisoformat(str(d)) for d in mine["date"]]
    group_of = _band_groups(all_days)
    groups: dict[str, list[float]] = {}
    for day, amount in zip(all_days, mine["total_eur"], strict=True):
        money_and_demand = groups.setdefault(group_of(day), [0.0, 0.0])
        money_and_demand[0] += float(amount)
        money_and_demand[1] += demand(day)
    rates = [money / need for money, need in groups.values() if need > 0] or [cost / expected]
    return cost + cost / expected * rest, cost + min(rates) * rest, cost + max(rates) * rest


def budget_table(
    daily: pd.DataFrame,
    employers: Sequence[str],
    lookup: Mapping[tuple[str, str], float],
    calendar: WorkCalendar | None = None,
    directorates: frozenset[str] = frozenset(),
    season: Seasonality | None = None,
) -> pd.DataFrame:
    """One row per employer and budget period: the estimate, the budget, and the projection of the
    whole period with its band (:func:`_projection`)."""
    rows: list[dict[str, Any]] = []
    for employer in employers:
        mine = daily[daily["employer"] == employer]
        for period, part in mine.groupby("period", sort=True):
            cost = round(float(part["total_eur"].sum()), 2)
            estimated = len(part)
            if not period:
                rows.append(
                    {
                        "employer": employer,
                        "period": "",
                        "period_budget_eur": math.nan,
                        "working_days": math.nan,
                        "days_estimated": estimated,
                        "cost_eur": cost,
                        "budget_pro_rata_eur": math.nan,
                        "projected_period_eur": math.nan,
                        "projected_low_eur": math.nan,
                        "projected_high_eur": math.nan,
                        "projected_share": math.nan,
                        "status": "χωρίς προϋπολογισμό / no budget",
                    }
                )
                continue
            amount = lookup[(employer, str(period))]
            period_days = _period_days(str(period), calendar, directorates)
            working = len(period_days)
            projected, low, high = (
                _projection(mine, part, period_days, season) if estimated else (0.0, 0.0, 0.0)
            )
            share = projected / amount if amount else math.inf if projected else 0.0
            rows.append(
                {
                    "employer": employer,
                    "period": period,
                    "period_budget_eur": amount,
                    "working_days": working,
                    "days_estimated": estimated,
                    "cost_eur": cost,
                    "budget_pro_rata_eur": round(amount * estimated / working, 2),
                    "projected_period_eur": round(projected, 2),
                    "projected_low_eur": round(low, 2),
                    "projected_high_eur": round(high, 2),
                    "projected_share": round(share, 3),
                    "status": "υπέρβαση / over" if projected > amount else "εντός / within",
                }
            )
    return pd.DataFrame(rows, columns=list(BUDGET_TABLE_COLUMNS))


#: the columns of :func:`budget_table`.
BUDGET_TABLE_COLUMNS: tuple[str, ...] = (
    "employer",
    "period",
    "period_budget_eur",
    "working_days",
    "days_estimated",
    "cost_eur",
    "budget_pro_rata_eur",
    "projected_period_eur",
    "projected_low_eur",
    "projected_high_eur",
    "projected_share",
    "status",
)
