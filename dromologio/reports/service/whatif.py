"""The preventive what-if on paper: its tables (CSV), a chart (PNG) and each run's month report."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from dromologio.planning.service.report import ServiceReport

from .writers import write_service_report


def whatif_chart_png(summary: pd.DataFrame, coverage: pd.DataFrame) -> bytes:
    """PNG: preventive coverage at each day's end per scenario (left), urgent response (right)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(10, 3.8), layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, width_ratios=(2, 1))
    days = list(range(1, len(coverage) + 1))
    for index, name in enumerate(c for c in coverage.columns if c != "date"):
        values = [float("nan") if v is None else 100 * float(v) for v in coverage[name]]
        left.plot(days, values, marker="o", markersize=3, label=str(name), color=f"C{index}")
    left.set_xlabel("εργάσιμη ημέρα / working day")
    left.set_ylabel("% σχολείων / % of schools")
    left.set_title(
        "προληπτική κάλυψη στο τέλος της ημέρας / preventive coverage at the day's end", fontsize="medium"
    )
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_ylim(0, 105)
    left.grid(True, alpha=0.3)
    left.legend(fontsize="small")
    names = [str(n) for n in summary["scenario"]]
    response = [0.0 if pd.isna(v) else float(v) for v in summary["urgent_response_h_mean"]]
    bars = right.bar(range(len(names)), response, color=[f"C{i}" for i in range(len(names))])
    right.bar_label(bars, fmt="%.2f h", fontsize="small")
    right.set_xticks(range(len(names)), names, fontsize="small")
    right.set_ylabel("ώρες / hours")
    right.set_title("επείγουσες: απόκριση μ.ο.\nurgent tickets: mean response", fontsize="medium")
    right.grid(True, axis="y", alpha=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def write_whatif(
    folder: str | Path,
    summary: pd.DataFrame,
    coverage: pd.DataFrame,
    part_time: pd.DataFrame,
    reports: Mapping[str, ServiceReport],
) -> dict[str, Path]:
    """``whatif.csv``, ``coverage_by_day.csv``, ``part_time.csv``, ``whatif.png`` and each run's
    month report (``report-<n>/``) into ``folder``; returns the paths by name."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    paths = {
        "summary": target / "whatif.csv",
        "coverage": target / "coverage_by_day.csv",
        "part_time": target / "part_time.csv",
        "chart": target / "whatif.png",
    }
    summary.to_csv(paths["summary"], index=False)
    coverage.to_csv(paths["coverage"], index=False)
    part_time.to_csv(paths["part_time"], index=False)
    paths["chart"].write_bytes(whatif_chart_png(summary, coverage))
    for number, (name, report) in enumerate(reports.items(), start=1):
        written = write_service_report(report, target / f"report-{number}")
        paths[f"report {name}"] = written["html"]
    return paths
