"""An estimate on paper: its tables (CSV), the cumulative cost chart (PNG) and the daily plans (JSON).

Charts are drawn with Matplotlib's Agg canvas directly (no ``pyplot``, no global backend).
"""

from __future__ import annotations

import math
from os import PathLike
from pathlib import Path

import pandas as pd

from dromologio.models.plan_io import write_plan_json
from dromologio.planning.estimate import Estimate

from .costs import write_cost_csv
from .exports.dialect import PLAIN, CsvDialect

__all__ = ["plot_cumulative", "write_estimate"]


def plot_cumulative(daily: pd.DataFrame, path: str | PathLike[str], *, title: str = "") -> Path:
    """PNG chart, a panel per employer: cumulative estimated cost (solid) against the budget to date
    (dashed, where the employer has a budget)."""
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
        axes.set_title(str(employer), fontsize="medium")
        axes.set_ylabel("EUR")
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        ticks = list(when)[:: max(1, math.ceil(len(when) / 7))]
        axes.set_xticks(ticks, [f"{t:%d/%m}" for t in ticks])
        axes.tick_params(labelbottom=True)
    for axes in panels[len(groups) :]:
        axes.set_visible(False)
    if groups:
        panels[0].legend(fontsize="small", loc="upper left")
    figure.suptitle(title or "Σωρευτικό κόστος και προϋπολογισμός / cumulative cost against budget to date")
    figure.savefig(target, dpi=100)
    return target


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
        "chart": plot_cumulative(estimate.daily, target / "cumulative_cost.png"),
    }
    written["method"] = target / "method.txt"
    written["method"].write_text(estimate.method + "\n", encoding="utf-8")
    if plans:
        (target / "plans").mkdir(exist_ok=True)
        for entry in estimate.days:
            write_plan_json(entry.plan, target / "plans" / f"{entry.day.isoformat()}.json")
        written["plans"] = target / "plans"
    return written
