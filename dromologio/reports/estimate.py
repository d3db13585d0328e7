"""An estimate on paper: its tables (CSV), the cumulative cost chart (PNG) and the daily plans (JSON).

Charts are drawn with Matplotlib's Agg canvas directly (no ``pyplot``, no global backend).
"""

from __future__ import annotations

import math
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from dromologio.models.plan_io import write_plan_json
from dromologio.planning.estimate import Estimate

from .costs import write_cost_csv
from .exports.dialect import PLAIN, CsvDialect

__all__ = ["plot_cumulative", "write_estimate"]


def plot_cumulative(
    daily: pd.DataFrame, path: str | PathLike[str], *, title: str = "", budget: pd.DataFrame | None = None
) -> Path:
    """PNG chart, a panel per employer: cumulative estimated cost (solid) against the budget to date
    (dashed, where the employer has a budget); with ``budget`` (the estimate's budget table), the
    projection of the last month estimated at its last day, with its band, beside the month's budget."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    groups = list(daily.groupby("employer", sort=True))
    columns = min(3, max(1, len(groups)))
    rows = max(1, math.ceil(len(groups) / columns))
    figure = Figure(figsize=(4.2 * columns, 3.0 * rows + 0.8), layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
    panels = [axes for line in grid for axes in line]
    for axes, (employer, part) in zip(panels, groups, strict=False):
        when = pd.to_datetime(part["date"])
        axes.plot(
            when, part["cumulative_eur"], color="C0", marker="o", markersize=3, label="εκτίμηση / estimate"
        )
        if part["budget_to_date_eur"].notna().any():
            axes.plot(
                when, part["budget_to_date_eur"], color="C3", linestyle="--", label="προϋπολογισμός / budget"
            )
        month_end = (
            None if budget is None else _plot_projection(axes, part, budget[budget["employer"] == employer])
        )
        axes.set_title(str(employer), fontsize="medium")
        axes.set_ylabel("EUR")
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        ticks = list(when)[:: max(1, math.ceil(len(when) / 5))]
        ticks += [] if month_end is None else [month_end]
        axes.set_xticks(ticks, [f"{pd.Timestamp(t):%d/%m}" for t in ticks])
        axes.tick_params(labelbottom=True, axis="x", labelrotation=45, labelsize=7)
    for axes in panels[len(groups) :]:
        axes.set_visible(False)
    if groups:
        panels[0].legend(fontsize="small", loc="upper left")
    figure.suptitle(title or "Σωρευτικό κόστος και προϋπολογισμός / cumulative cost against budget to date")
    figure.savefig(target, dpi=100)
    return target


def _plot_projection(axes: Any, part: pd.DataFrame, rows: pd.DataFrame) -> pd.Timestamp | None:
    """The last month estimated: its projected cost at its last day, the band as an error bar, and
    the month's budget (both on the cumulative scale); the month's last day, None without a month."""
    months = rows[rows["period"].astype(str).str.fullmatch(r"\d{4}-\d{2}")]
    if months.empty or part.empty:
        return None
    last = months.iloc[-1]
    month = str(last["period"])
    before = part[part["date"].astype(str) < f"{month}-01"]
    start = float(before["total_eur"].sum()) if not before.empty else 0.0
    first = pd.Timestamp(f"{month}-01")
    end = first + pd.offsets.MonthEnd(0)
    projected = start + float(last["projected_period_eur"])
    low, high = start + float(last["projected_low_eur"]), start + float(last["projected_high_eur"])
    axes.errorbar(
        [end],
        [projected],
        yerr=[[projected - low], [high - projected]],
        fmt="D",
        color="C0",
        capsize=4,
        markersize=4,
        label="προβολή μήνα και ζώνη / month projected, band",
    )
    axes.plot(
        [end],
        [start + float(last["period_budget_eur"])],
        "x",
        color="C3",
        markersize=7,
        label="προϋπολογισμός μήνα / month's budget",
    )
    return end


def write_estimate(
    estimate: Estimate, folder: str | PathLike[str], *, plans: bool = True, dialect: CsvDialect = PLAIN
) -> dict[str, Path]:
    """Write the estimate's tables (CSV in ``dialect``), chart and (``plans``) daily plan JSON files
    into ``folder``.

    ``daily_costs.csv`` (per day and employer, with cumulative cost and budget to date),
    ``budget.csv`` (per employer and period), ``routes.csv`` (every route priced),
    ``queue.csv`` (tickets per day), ``cumulative_cost.png``, ``method.txt`` (how the projection
    was made) and ``plans/DATE.json``.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = {
        "daily": write_cost_csv(estimate.daily, target / "daily_costs.csv", dialect),
        "budget": write_cost_csv(estimate.budget, target / "budget.csv", dialect),
        "routes": write_cost_csv(estimate.routes, target / "routes.csv", dialect),
        "queue": write_cost_csv(estimate.queue, target / "queue.csv", dialect),
        "chart": plot_cumulative(estimate.daily, target / "cumulative_cost.png", budget=estimate.budget),
    }
    written["method"] = target / "method.txt"
    written["method"].write_text(estimate.method + "\n", encoding="utf-8")
    if plans:
        (target / "plans").mkdir(exist_ok=True)
        for entry in estimate.days:
            write_plan_json(entry.plan, target / "plans" / f"{entry.day.isoformat()}.json")
        written["plans"] = target / "plans"
    return written
