"""The comparison report of simulated scenarios: KPI tables (CSV), markdown and PNG charts.

:func:`write_report` writes into a folder:

- ``kpis.csv``: the tidy KPI table (:func:`dromologio.planning.simulate.kpis.kpi_table`);
- ``days.csv``: one row per scenario and working day (arrivals, served, backlog, km, EUR ...);
- ``backlog.png``: tickets open at the end of each day, one line per scenario;
- ``cost_served.png``: tickets served and EUR spent over the horizon, per scenario;
- ``report.md``: what ran, and every scenario against the reference.

Charts are drawn with Matplotlib's Agg canvas directly (no ``pyplot``, no global backend).
:func:`update_doc` copies the report into a marked section of another markdown file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Final

import pandas as pd
from rich.table import Table

from dromologio.models.policy import Policy
from dromologio.models.problem import Ticket
from dromologio.models.retime import ticket_value_eur
from dromologio.models.vocab import PRIORITIES, SKILLS
from dromologio.planning.simulate import AREAS, SimulationResults
from dromologio.planning.simulate.kpis import HEADLINE, ORIGINS, backlog, days_table, kpi_table, summary
from dromologio.planning.simulate.records import ScenarioRun, TicketRecord

from .width import fold_columns, pick_columns

__all__ = [
    "ReportFiles",
    "backlog_value_eur",
    "render_markdown",
    "scenario_table",
    "update_doc",
    "with_backlog_value",
    "write_report",
]

SECTION_START: Final = "<!-- scenarios:start -->"
SECTION_END: Final = "<!-- scenarios:end -->"

_LABELS: Final = {
    "served": "εξυπηρετήθηκαν / tickets served",
    "served_share": "μερίδιο / share of tickets served",
    "backlog_end": "ανοιχτά στο τέλος / open at the end",
    "time_to_visit_mean_days": "αναμονή μ.ό. / time to visit, mean (days)",
    "time_to_visit_p95_days": "αναμονή 95% / time to visit, 95th pct (days)",
    "sla_breaches": "παραβιάσεις SLA / SLA breaches",
    "distance_km": "χιλιόμετρα / km",
    "cost_eur": "κόστος / cost (EUR)",
    "cost_per_served_eur": "κόστος ανά εισιτήριο / EUR per ticket served",
    "utilisation": "αξιοποίηση / utilisation",
    "overtime_minutes": "υπερωρίες / overtime (min)",
    "backlog_value_eur": "αξία ανοιχτών / value of the backlog left (EUR)",
    "cost_and_backlog_eur": "κόστος + αξία ανοιχτών / cost + backlog value (EUR)",
}
_SHARES: Final = frozenset({"served_share", "utilisation"})


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    kpis_csv: Path
    days_csv: Path
    backlog_png: Path
    cost_served_png: Path
    report_md: Path


def _fmt(metric: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if metric in _SHARES:
        return f"{100 * value:.0f} %"
    if metric.endswith("_days"):
        return f"{value:.2f}"
    if metric in ("cost_eur", "distance_km", "backlog_value_eur", "cost_and_backlog_eur"):
        return f"{value:,.0f}".replace(",", " ")
    if metric == "cost_per_served_eur":
        return f"{value:.2f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _delta(metric: str, value: float, reference: float) -> str:
    if any(isinstance(v, float) and math.isnan(v) for v in (value, reference)):
        return ""
    change = value - reference
    if abs(change) < 1e-9:
        return ""
    if metric in _SHARES:
        return f" ({100 * change:+.0f} pt)"
    if reference:
        return f" ({100 * change / abs(reference):+.0f} %)"
    return f" ({change:+g})"


def _cells(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(row label, column label) -> value of a numeric table."""
    out: dict[tuple[str, str], float] = {}
    for label, row in zip(table.index, table.to_numpy(dtype=float), strict=True):
        for column, value in zip(table.columns, row, strict=True):
            out[(str(label), str(column))] = float(value)
    return out


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(
    results: SimulationResults,
    kpis: pd.DataFrame | None = None,
    *,
    image_prefix: str = "",
    command: str | None = None,
    heading: str = "#",
    policy: Policy | None = None,
) -> str:
    """The comparison report as markdown; images are named ``{image_prefix}backlog.png`` etc.

    The backlog left at the end is valued by ``policy`` (default: the default policy).
    """
    kpis = kpi_table(results.runs) if kpis is None else kpis
    settings = results.settings
    horizon = results.horizon
    reference = results.reference
    names = [r.scenario for r in results.runs]
    out: list[str] = [
        f"{heading} Σύγκριση σεναρίων / Scenario comparison",
        "",
        f"- ορίζοντας / horizon: {len(horizon)} εργάσιμες / working days, "
        f"{horizon[0].isoformat()} – {horizon[-1].isoformat()}",
        f"- όριο επίλυσης / solver limit: {settings.time_limit_s:g} s ανά ημέρα / per day; seed {settings.seed}",
        f"- εκτέλεση / ran on: {results.scheduler}, {results.wall_seconds:.0f} s",
        f"- σύγκριση με / compared with: **{reference}**",
    ]
    if command:
        out += ["", "```", command, "```"]
    out += ["", f"{heading}# Σενάρια / Scenarios", ""]
    out.append(
        _markdown_table(
            ["σενάριο / scenario", "αλλαγές / changes"],
            [[name, results.descriptions.get(name, "")] for name in names],
        )
    )
    if results.runs:
        table = with_backlog_value(summary(kpis), results, policy or Policy())
        values = _cells(table)
        rows = []
        for metric in (*HEADLINE, "backlog_value_eur", "cost_and_backlog_eur"):
            if metric not in table.columns:
                continue
            cells = [_LABELS.get(metric, metric)]
            for name in names:
                value = values.get((name, metric), math.nan)
                delta = ""
                if name != reference and (reference, metric) in values:
                    delta = _delta(metric, value, values[(reference, metric)])
                cells.append(_fmt(metric, value) + delta)
            rows.append(cells)
        out += ["", f"{heading}# Κύριοι δείκτες / Headline KPIs", ""]
        out.append(_markdown_table(["δείκτης / KPI", *names], rows))
        out += [
            "",
            "Σε παρένθεση η μεταβολή έναντι του σεναρίου αναφοράς. Υπερωρίες: 0 εκ κατασκευής "
            "(κάθε διαδρομή μέσα στη βάρδια). / In brackets, the change against the reference. "
            "Overtime is 0 by construction (every route lies inside its shift). "
            "Αξία ανοιχτών: ό,τι αξίζουν για τον στόχο τα αιτήματα που μένουν ανοιχτά την τελευταία "
            "ημέρα (priority_value_eur x ηλικία x προθεσμία), ώστε λιγότερα ταξίδια να μη φαίνονται "
            "φθηνότερα. / Backlog value: what the tickets still open on the last day are worth to "
            "the objective (priority_value_eur x age x due), so fewer trips never look cheaper.",
            "",
            f"{heading}# Ανοιχτά εισιτήρια ανά ημέρα / Backlog over time",
            "",
            f"![backlog]({image_prefix}backlog.png)",
            "",
            f"{heading}# Εξυπηρέτηση και κόστος / Served and cost",
            "",
            f"![served and cost]({image_prefix}cost_served.png)",
            "",
            f"{heading}# Χρόνος ως την επίσκεψη / Time to visit (days): mean / 95th percentile",
            "",
            "(SLA: παραβιάσεις / breaches; open: ανοιχτά στο τέλος / still open at the end)",
            "",
        ]
        groups = [("priority", p) for p in PRIORITIES] + [("area", a) for a in AREAS]
        groups += [("origin", o) for o in ORIGINS]
        rows = []
        for by, key in groups:
            cells = [f"{by}: {key}"]
            for name in names:
                part = kpis[(kpis["scenario"] == name) & (kpis["by"] == by) & (kpis["key"] == key)]
                got = {str(m): float(v) for m, v in zip(part["metric"], part["value"], strict=True)}
                cells.append(
                    f"{_fmt('x_days', got.get('time_to_visit_mean_days', math.nan))} / "
                    f"{_fmt('x_days', got.get('time_to_visit_p95_days', math.nan))} "
                    f"(SLA {_fmt('n', got.get('sla_breaches', math.nan))}, "
                    f"open {_fmt('n', got.get('backlog_end', math.nan))})"
                )
            rows.append(cells)
        out.append(_markdown_table(["ομάδα / group", *names], rows))
        out += ["", f"{heading}# Αξιοποίηση τεχνικών / Technician utilisation", ""]
        techs = kpis[(kpis["by"] == "technician") & (kpis["metric"] == "utilisation")]
        wide = techs.pivot(index="key", columns="scenario", values="value").reindex(columns=names)
        shares = _cells(wide)
        rows = [
            [str(t), *(_fmt("utilisation", shares.get((str(t), n), math.nan)) for n in names)]
            for t in wide.index
        ]
        out.append(_markdown_table(["τεχνικός / technician", *names], rows))
        out += [
            "",
            "(εργασία + μετακίνηση) / βάρδια· – = δεν υπάρχει στο σενάριο. "
            "(work + travel) / shift minutes; – = not in the scenario.",
        ]
    if results.failures:
        out += ["", f"{heading}# Αποτυχίες / Failures", ""]
        out += [f"- {failure}" for failure in results.failures]
    return "\n".join(out) + "\n"


def _as_ticket(record: TicketRecord) -> Ticket:
    """A ticket record as the objective values it (priority, age, due date; the rest is neutral)."""
    return Ticket(
        ticket_id=record.ticket_id,
        school_id=record.school_id,
        opened_at=record.opened_at,
        category="",
        skill=SKILLS[0],
        priority=record.priority,
        service_minutes=1,
        due_by=record.due_by,
    )


def backlog_value_eur(run: ScenarioRun, policy: Policy) -> float:
    """What the tickets still needing a visit at the end are worth, as the objective values them.

    Each open ticket is priced as the ``drop_value`` rule prices leaving it undone on the
    horizon's last day: the policy's ``priority_value_eur`` x its age factor x its due factor
    (:func:`dromologio.models.retime.ticket_value_eur`).  Travel money saved by serving fewer
    tickets shows up here as value left undone.
    """
    if not run.horizon:
        return 0.0
    last = run.horizon[-1]
    open_records = [t for t in run.tickets if t.triage == "visit" and t.served_at is None]
    return round(sum(ticket_value_eur(_as_ticket(t), last, policy) for t in open_records), 2)


def with_backlog_value(table: pd.DataFrame, results: SimulationResults, policy: Policy) -> pd.DataFrame:
    """``table`` (one row per scenario, :func:`summary`) with ``backlog_value_eur`` and
    ``cost_and_backlog_eur`` (travel cost + backlog value) added."""
    values = {run.scenario: backlog_value_eur(run, policy) for run in results.runs}
    out = table.copy()
    out["backlog_value_eur"] = [values.get(str(name), math.nan) for name in out.index]
    if "cost_eur" in out.columns:
        out["cost_and_backlog_eur"] = out["cost_eur"] + out["backlog_value_eur"]
    return out


#: the columns of the terminal's scenario table: heading and format.
_TERMINAL_COLUMNS: Final = {
    "served": ("εξυπηρ. / served", "{:,.0f}"),
    "backlog_end": ("ανοιχτά / open", "{:,.0f}"),
    "time_to_visit_mean_days": ("αναμονή / days to visit", "{:.2f}"),
    "sla_breaches": ("SLA", "{:,.0f}"),
    "cost_eur": ("€ μετακ. / travel", "{:,.0f}"),
    "backlog_value_eur": ("€ ανοιχτά / backlog", "{:,.0f}"),
    "cost_and_backlog_eur": ("€ σύνολο / total", "{:,.0f}"),
}
_NARROW_SCENARIO_COLUMNS: Final = (
    "served",
    "backlog_end",
    "cost_eur",
    "backlog_value_eur",
    "cost_and_backlog_eur",
)


def scenario_table(table: pd.DataFrame, title: str, *, narrow: bool = False) -> Table:
    """One row per scenario: tickets served and open, waiting, SLA, travel money and the value of
    the backlog left; ``narrow`` (under 120 columns) keeps served, open and the money only."""
    if "cost_eur" in table.columns and "backlog_value_eur" in table.columns:
        table = table.assign(cost_and_backlog_eur=table["cost_eur"] + table["backlog_value_eur"])
    present = [c for c in _TERMINAL_COLUMNS if c in table.columns]
    columns = pick_columns(present, _NARROW_SCENARIO_COLUMNS, narrow)
    shown = Table(title=title, title_justify="left")
    shown.add_column("σενάριο / scenario")
    for column in columns:
        shown.add_column(_TERMINAL_COLUMNS[column][0], justify="right")
    for name, row in table.iterrows():
        cells = []
        for column in columns:
            value = float(row[column])
            cells.append("–" if value != value else _TERMINAL_COLUMNS[column][1].format(value))
        shown.add_row(str(name), *cells)
    return fold_columns(shown)


def _plot_backlog(kpis: pd.DataFrame, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 6.4), dpi=100)
    FigureCanvasAgg(figure)
    panels = (
        (None, "όλα / all"),
        ("mainland", "πεδινά ηπειρωτικά / mainland"),
        ("mountain", "ορεινά / mountain"),
        ("island", "νησιά / islands"),
    )
    for number, (area, title) in enumerate(panels, start=1):
        series = backlog(kpis, area)
        axes = figure.add_subplot(2, 2, number)
        labels = [str(k)[5:] for k in series.index]
        for name in series.columns:
            axes.plot(
                range(len(series)), series[name].to_numpy(), marker="o", markersize=2.5, label=str(name)
            )
        step = max(1, len(labels) // 6)
        axes.set_xticks(
            range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)], fontsize=8
        )
        axes.set_title(title, fontsize=10)
        axes.grid(alpha=0.3)
        axes.set_ylim(bottom=0)
        if number % 2:
            axes.set_ylabel("ανοιχτά / open tickets", fontsize=9)
        if number == 1:
            axes.legend(fontsize=8)
    figure.suptitle("Ανοιχτά στο τέλος κάθε ημέρας / Backlog at the end of each day")
    figure.tight_layout()
    figure.savefig(path)


def _plot_cost_served(kpis: pd.DataFrame, values: dict[str, float], path: Path) -> None:
    """Tickets served, and beside them travel money with the value of the backlog left on top."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    table = summary(kpis, ("served", "cost_eur"))
    figure = Figure(figsize=(9, 3.8), dpi=110)
    FigureCanvasAgg(figure)
    names = [str(n) for n in table.index]
    colours = [f"C{i}" for i in range(len(names))]
    places = range(len(names))
    served = figure.add_subplot(1, 2, 1)
    bars = served.bar(places, table["served"].to_numpy(), color=colours)
    served.bar_label(bars, labels=[f"{v:.0f}" for v in table["served"].to_numpy()], fontsize=8)
    served.set_title("εξυπηρετήθηκαν / served")
    money = figure.add_subplot(1, 2, 2)
    travel = table["cost_eur"].to_numpy()
    left = [values.get(name, 0.0) for name in names]
    money.bar(places, travel, color=colours, label="μετακινήσεις / travel")
    stacked = money.bar(
        places,
        left,
        bottom=travel,
        color="lightgrey",
        hatch="//",
        edgecolor="grey",
        label="αξία ανοιχτών / backlog left",
    )
    money.bar_label(stacked, labels=[f"{t + b:,.0f}" for t, b in zip(travel, left, strict=True)], fontsize=8)
    money.set_title("κόστος + αξία ανοιχτών / cost + backlog value (EUR)", fontsize=10)
    money.legend(fontsize=7, loc="upper left")
    for axes in (served, money):
        axes.set_xticks(places, names, rotation=15, ha="right", fontsize=8)
        axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)


def write_report(
    results: SimulationResults,
    folder: str | PathLike[str],
    *,
    command: str | None = None,
    policy: Policy | None = None,
) -> ReportFiles:
    """Write the KPI tables, the charts and ``report.md`` into ``folder`` (created when missing).

    The backlog left at the end is valued by ``policy`` (the baseline's; default: the
    default policy), the same prices for every scenario.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    kpis = kpi_table(results.runs)
    files = ReportFiles(
        folder=target,
        kpis_csv=target / "kpis.csv",
        days_csv=target / "days.csv",
        backlog_png=target / "backlog.png",
        cost_served_png=target / "cost_served.png",
        report_md=target / "report.md",
    )
    kpis.to_csv(files.kpis_csv, index=False)
    days_table(results.runs).to_csv(files.days_csv, index=False)
    if results.runs:
        _plot_backlog(kpis, files.backlog_png)
        priced = policy or Policy()
        values = {run.scenario: backlog_value_eur(run, priced) for run in results.runs}
        _plot_cost_served(kpis, values, files.cost_served_png)
    files.report_md.write_text(
        render_markdown(results, kpis, command=command, policy=policy), encoding="utf-8"
    )
    return files


def update_doc(
    doc: str | PathLike[str],
    results: SimulationResults,
    files: ReportFiles,
    *,
    command: str | None = None,
    policy: Policy | None = None,
) -> Path:
    """Put the report between ``<!-- scenarios:start -->`` and ``<!-- scenarios:end -->`` in ``doc``
    (appended when the markers are missing), images linked relative to the doc."""
    path = Path(doc)
    prefix = Path(_relative(files.folder, path.parent)).as_posix().rstrip("/") + "/"
    body = render_markdown(results, image_prefix=prefix, command=command, heading="###", policy=policy)
    section = f"{SECTION_START}\n{body}{SECTION_END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(SECTION_START) + ".*?" + re.escape(SECTION_END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = (text.rstrip() + "\n\n" if text else "") + section + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def _relative(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target.resolve(), start.resolve())
