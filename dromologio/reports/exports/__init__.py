"""A plan for the office: CSV that Greek Excel opens right, an .xlsx workbook, a printable route sheet.

- :mod:`.dialect`: the plain CSV of the contract and the Greek Excel one (BOM, ``;``, decimal comma);
- :mod:`.plan_rows`: the plan's rows with names beside the ids (``plan.csv``);
- :mod:`.workbook`: the plan as .xlsx: routes, stops, tickets not visited, costs;
- :mod:`.route_sheet`: one technician's printable route sheet (template in ``templates/``);
- :mod:`.greek`, :mod:`.route_times`: Greek numbers and dates; ferry time apart from driving.

The command line and the service both write their exports with these.
"""

from .dialect import (
    DIALECTS,
    GREEK_EXCEL,
    PLAIN,
    CsvDialect,
    csv_dialect,
    csv_text,
    write_csv_rows,
    write_frame_csv,
)
from .plan_rows import NAMED_PLAN_COLUMNS, named_plan_rows, plan_csv_text, write_plan_csv
from .route_sheet import route_sheet_html
from .workbook import SHEETS, plan_xlsx_bytes, write_plan_xlsx

__all__ = [
    "DIALECTS",
    "GREEK_EXCEL",
    "NAMED_PLAN_COLUMNS",
    "PLAIN",
    "SHEETS",
    "CsvDialect",
    "csv_dialect",
    "csv_text",
    "named_plan_rows",
    "plan_csv_text",
    "plan_xlsx_bytes",
    "route_sheet_html",
    "write_csv_rows",
    "write_frame_csv",
    "write_plan_csv",
    "write_plan_xlsx",
]
