"""Cost tables and reports on paper: CSV, Excel, and terminal tables (rich).

The tables come from :mod:`dromologio.planning.costs` and :mod:`dromologio.planning.estimate`;
here they are only written and shown: km and EUR side by side, Greek and English headings.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from rich.table import Table

from .exports.dialect import PLAIN, CsvDialect, write_frame_csv
from .width import fold_columns, pick_columns

if TYPE_CHECKING:
    from dromologio.planning.costs import Fairness
    from dromologio.planning.estimate import Estimate

__all__ = [
    "HEADINGS",
    "budget_table",
    "cell_text",
    "cost_table",
    "fairness_table",
    "write_cost_csv",
    "write_cost_xlsx",
]

#: column headings of cost reports on the terminal.
HEADINGS: Mapping[str, str] = {
    "employer": "φορέας / employer",
    "technician_id": "τεχνικός / technician",
    "technician": "όνομα / name",
    "directorate": "διεύθυνση / directorate",
    "island": "νησί / island",
    "date": "ημέρα / day",
    "routes": "δρομολόγια / routes",
    "distance_km": "km",
    "distance_eur": "€ km",
    "ferry_eur": "€ πλοίο / ferry",
    "per_diem_eur": "€ ημερήσια / per diem",
    "overnight_eur": "€ διαν. / overnight",
    "tolls_eur": "€ διόδια / tolls",
    "overtime_eur": "€ υπερωρία / overtime",
    "total_eur": "€ σύνολο / total",
    "tickets_served": "αιτήματα / tickets",
    "school_visits": "επισκέψεις / visits",
    "eur_per_ticket": "€/αίτημα / ticket",
    "eur_per_school_visit": "€/επίσκεψη / visit",
}
#: the figures a narrow terminal shows of a cost report, beside its keys.
NARROW_COST_COLUMNS: tuple[str, ...] = ("distance_km", "total_eur", "tickets_served", "eur_per_ticket")
#: shorter headings on a narrow terminal (Greek only; ``--wide`` shows both languages).
NARROW_HEADINGS: Mapping[str, str] = {
    "technician_id": "τεχνικός",
    "technician": "όνομα",
    "directorate": "διεύθυνση",
    "total_eur": "€ σύνολο",
    "tickets_served": "αιτήματα",
    "eur_per_ticket": "€/αίτημα",
}
_NARROW_BUDGET_HEADINGS: Mapping[str, str] = {
    "employer": "φορέας",
    "period": "περίοδος",
    "projected_period_eur": "€ προβολή",
    "projected_band": "€ ζώνη",
    "projected_share": "% προϋπ.",
}
_BUDGET_WIDE_ONLY: tuple[str, ...] = (
    "period_budget_eur",
    "days_estimated",
    "cost_eur",
    "budget_pro_rata_eur",
)
_KEYS = frozenset({"employer", "technician_id", "technician", "directorate", "island", "date"})
_BUDGET_HEADINGS: Mapping[str, str] = {
    "employer": "φορέας / employer",
    "period": "περίοδος / period",
    "period_budget_eur": "€ προϋπ. / budget",
    "days_estimated": "ημέρες / days",
    "cost_eur": "€ εκτίμηση / estimate",
    "budget_pro_rata_eur": "€ προϋπ. ημερών / budget for days",
    "projected_period_eur": "€ προβολή / projected",
    "projected_band": "€ ζώνη / band",
    "projected_share": "% προϋπ. / of budget",
    "status": "",
}


def cell_text(value: Any, column: str) -> str:
    """A cell as shown: km to 0.1, EUR to cents, — where a ratio is undefined (NaN)."""
    if isinstance(value, float):
        if value != value:  # NaN: nothing served, no ratio
            return "—"
        if column == "distance_km":
            return f"{value:,.1f}"
        if column.endswith("_eur") or column.startswith("eur_"):
            return f"{value:,.2f}"
        return f"{value:g}"
    return str(value)


def cost_table(report: pd.DataFrame, title: str, *, narrow: bool = False) -> Table:
    """A cost report as a terminal table: keys, then km and EUR side by side, then counts and ratios.

    ``narrow`` (a terminal under 120 columns): the keys, km, total EUR, tickets and EUR per
    ticket only (:data:`NARROW_COST_COLUMNS`); text folds rather than being cut to "…".
    """
    table = Table(title=title, title_justify="left")
    numeric = set(HEADINGS) - _KEYS
    keys = [str(c) for c in report.columns if c in _KEYS]
    essential = [k for k in keys if k != "employer" or len(keys) == 1] + list(NARROW_COST_COLUMNS)
    columns = pick_columns([str(c) for c in report.columns], essential, narrow)
    headings = {**HEADINGS, **NARROW_HEADINGS} if narrow else HEADINGS
    for column in columns:
        table.add_column(headings.get(column, column), justify="right" if column in numeric else "left")
    rows = report.to_dict("records")
    totalled = bool(rows) and str(rows[-1][report.columns[0]]) == "Σ"
    for number, row in enumerate(rows):
        cells = [cell_text(row[c], c) for c in columns]
        is_total = totalled and number == len(rows) - 1
        table.add_row(
            *cells, style="bold" if is_total else None, end_section=totalled and number == len(rows) - 2
        )
    return fold_columns(table)


_FAIRNESS_HEADINGS: Mapping[str, str] = {
    "technician_id": "τεχνικός / technician",
    "technician": "όνομα / name",
    "per_diem_days": "ημέρες / days",
    "per_diem_eur": "€ ημερήσια / per diem",
    "nights": "νύχτες / nights",
    "overnight_eur": "€ διαν. / overnight",
    "allowance_eur": "€ σύνολο / total",
    "deviation_eur": "± € μέσου / from mean",
    "within_tolerance": "εντός / within",
}
#: shorter headings under 120 columns (Greek only; the English is in the wide table).
_FAIRNESS_NARROW: Mapping[str, str] = {
    "technician_id": "τεχνικός",
    "per_diem_days": "ημέρες",
    "per_diem_eur": "€ ημερ.",
    "nights": "νύχτες",
    "overnight_eur": "€ διαν.",
    "allowance_eur": "€ σύνολο",
    "deviation_eur": "± €",
    "within_tolerance": "εντός",
}


def fairness_table(fairness: Fairness, employer: str, *, narrow: bool = False) -> Table:
    """Allowances and nights away per technician of one employer, those outside the tolerance in red."""
    title = (
        f"Κατανομή αποζημιώσεων / fairness · {employer}: μέσος όρος / mean "
        f"{fairness.mean_allowance_eur:,.2f} €, εύρος / spread {fairness.spread_eur:,.2f} €, "
        f"νύχτες / nights {fairness.spread_nights}, ανοχή / tolerance ±{100 * fairness.tolerance:.0f} %"
    )
    table = Table(title=title, title_justify="left")
    headings = _FAIRNESS_NARROW if narrow else _FAIRNESS_HEADINGS
    columns = list(headings)
    for column in columns:
        table.add_column(headings[column], justify="left" if column.startswith("technician") else "right")
    for row in fairness.table.to_dict("records"):
        cells = []
        for column in columns:
            value = row[column]
            if column == "within_tolerance":
                yes, no = ("ναι", "όχι") if narrow else ("ναι / yes", "όχι / no")
                cells.append(yes if value else no)
            elif column == "per_diem_days":
                cells.append(f"{float(value):g}")
            else:
                cells.append(cell_text(value, column))
        table.add_row(*cells, style=None if row["within_tolerance"] else "red")
    return fold_columns(table)


def budget_table(estimate: Estimate, *, narrow: bool = False) -> Table:
    """An estimate against the budget, per employer and period; periods over budget in red.

    ``narrow``: the projection, its band, its share of the budget and the status only; text folds.
    """
    summary = estimate.budget.drop(columns=["working_days"])
    if "projected_low_eur" in summary.columns:
        band = [
            "—" if low != low else f"{low:,.2f} – {high:,.2f}"
            for low, high in zip(summary["projected_low_eur"], summary["projected_high_eur"], strict=True)
        ]
        summary = summary.drop(columns=["projected_low_eur", "projected_high_eur"])
        summary.insert(list(summary.columns).index("projected_period_eur") + 1, "projected_band", band)
    if narrow:
        summary = summary.drop(columns=[c for c in _BUDGET_WIDE_ONLY if c in summary.columns])
    table = Table(
        title=f"Εκτίμηση / estimate {estimate.start.isoformat()} – {estimate.end.isoformat()} "
        f"({len(estimate.days)} εργάσιμες / working days, {len(estimate.regions)} περιοχές / regions)",
        title_justify="left",
    )
    headings = {**_BUDGET_HEADINGS, **_NARROW_BUDGET_HEADINGS} if narrow else _BUDGET_HEADINGS
    for column in summary.columns:
        table.add_column(
            headings.get(str(column), str(column)),
            justify="left" if column in ("employer", "period", "status") else "right",
        )
    for row in summary.to_dict("records"):
        cells = []
        for column in summary.columns:
            value = row[column]
            if column == "projected_share":
                cells.append("—" if value != value else f"{100 * float(value):.0f} %")
            else:
                cells.append(cell_text(value, str(column)))
        style = "red" if str(row["status"]).startswith("υπέρβαση") else None
        table.add_row(*cells, style=style)
    return fold_columns(table)


def write_cost_csv(frame: pd.DataFrame, path: str | PathLike[str], dialect: CsvDialect = PLAIN) -> Path:
    """Write a cost table or report as CSV in ``dialect`` (default: the plain UTF-8 CSV; empty
    cells where a ratio is undefined)."""
    return write_frame_csv(frame, path, dialect)


def write_cost_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | PathLike[str]) -> Path:
    """Write cost tables into one workbook, a sheet per entry (names cut to Excel's 31 characters)."""
    from openpyxl.styles import Font

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:31]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                letter = column[0].column_letter
                sheet.column_dimensions[letter].width = min(60, max(8, width + 2))
    return target
