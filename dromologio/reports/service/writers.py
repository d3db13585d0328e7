"""Writers of :class:`~dromologio.planning.service.report.ServiceReport`.

- CSV for Greek Excel: UTF-8 with a BOM, ``;`` between fields, ``,`` as the decimal mark,
  the column titles Greek first;
- .xlsx (openpyxl): the table, the repeat faults and the money, a sheet each;
- a chart (Matplotlib's Agg canvas, no ``pyplot``): median response and resolution hours by
  priority and by area;
- a printable HTML page (the jinja2 template shipped in ``templates/``), the chart inside.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dromologio.planning.service.report import COLUMN_TITLES, COLUMNS, REPEAT_WINDOW_DAYS, ServiceReport

#: the files :func:`write_service_report` writes, by kind.
FILE_NAMES = {
    "csv": "service-report.csv",
    "xlsx": "service-report.xlsx",
    "png": "service-report.png",
    "html": "service-report.html",
}


def _titled(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=COLUMN_TITLES)


def service_csv_bytes(report: ServiceReport) -> bytes:
    """The report's table as CSV for Greek Excel (BOM, ``;``, decimal comma)."""
    text = _titled(report.table).to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _money(report: ServiceReport) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "μήνας / month": str(report.month),
                "Διεύθυνση / Directorate": report.directorate or "όλες / all",
                "φορέας / partner body": report.employer or "όλοι / all",
                "διαδρομές / routes": report.routes,
                "χλμ / km": report.distance_km,
                "EUR": report.cost_eur,
            }
        ]
    )


def service_xlsx_bytes(report: ServiceReport) -> bytes:
    """The report as a workbook: the table, the repeat faults per school and the money."""
    from openpyxl.styles import Font

    buffer = io.BytesIO()
    sheets = {
        "service": _titled(report.table),
        "repeats": report.repeats.rename(
            columns={
                "school_id": "σχολείο / school",
                "category": "κατηγορία / category",
                "repeat_faults": "επαναλήψεις / repeats",
            }
        ),
        "money": _money(report),
    }
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(45, max(8, width + 2))
    return buffer.getvalue()


def service_chart_png(report: ServiceReport) -> bytes:
    """PNG: median response and resolution hours, by priority (left) and by area (right)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 3.6), layout="constrained")
    FigureCanvasAgg(figure)
    panels = figure.subplots(1, 2, squeeze=False)[0]
    for axes, group, title in zip(
        panels,
        ("priority", "area"),
        ("ανά προτεραιότητα / by priority", "ανά περιοχή / by area"),
        strict=True,
    ):
        part = report.table[report.table["group"] == group]
        labels = [str(v) for v in part["value"]]
        positions = list(range(len(labels)))
        response = [0.0 if pd.isna(v) else float(v) for v in part["response_h_median"]]
        resolution = [0.0 if pd.isna(v) else float(v) for v in part["resolution_h_median"]]
        axes.bar([p - 0.2 for p in positions], response, width=0.4, label="απόκριση / response", color="C0")
        axes.bar(
            [p + 0.2 for p in positions], resolution, width=0.4, label="επίλυση / resolution", color="C1"
        )
        axes.set_xticks(positions, labels, fontsize="small")
        axes.set_ylabel("ώρες (διάμεσος) / hours (median)")
        axes.set_title(title, fontsize="medium")
        axes.grid(True, axis="y", alpha=0.3)
        # Head room above the bars for the legend.
        axes.set_ylim(0, 1.3 * max([*response, *resolution, 1.0]))
    panels[0].legend(fontsize="small", loc="upper left", ncols=2)
    figure.suptitle(report.title, fontsize="medium")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def render_service_html(report: ServiceReport, *, chart: bool = True) -> str:
    """The printable page (Greek first), the chart embedded so that the page stands alone."""
    environment = Environment(
        loader=PackageLoader("dromologio.reports.service", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
    )
    template = environment.get_template("service_report.html.j2")
    return template.render(
        report=report,
        columns=COLUMNS,
        titles=COLUMN_TITLES,
        rows=report.table.to_dict("records"),
        repeats=report.repeats.to_dict("records"),
        chart=base64.b64encode(service_chart_png(report)).decode("ascii") if chart else "",
        cell=_cell,
        window=REPEAT_WINDOW_DAYS,
    )


def write_service_report(report: ServiceReport, folder: str | Path) -> dict[str, Path]:
    """CSV, .xlsx, PNG and HTML of ``report`` into ``folder``; returns the paths by kind."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    contents = {
        "csv": service_csv_bytes(report),
        "xlsx": service_xlsx_bytes(report),
        "png": service_chart_png(report),
        "html": render_service_html(report).encode("utf-8"),
    }
    paths = {}
    for kind, content in contents.items():
        path = target / FILE_NAMES[kind]
        path.write_bytes(content)
        paths[kind] = path
    return paths
