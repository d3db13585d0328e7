"""The forms as Excel workbooks (openpyxl): numbers as numbers, in Greek formats, ready to print.

Amounts are written as values with Excel number formats (``#,##0.00 €``, dates ``DD/MM/YYYY``),
so Greek Excel shows ``1.234,56 €`` and ``23/11/2026`` and the cells still add up.  The ticket
number cells are left empty to fill in.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from os import PathLike
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from .data import FerryLeg, Statement, Totals, TravelDay, Trip
from .format import EXCEL_DATE, EXCEL_EUR, EXCEL_KM
from .html import ORDER_SIGNATURES, STATEMENT_SIGNATURES

__all__ = [
    "STATEMENT_COLUMNS",
    "statement_workbook",
    "travel_order_workbook",
    "workbook_bytes",
    "write_workbook",
]

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="EEEEEE")
_BOLD = Font(bold=True)

#: the statement's table: heading, format, width.
STATEMENT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Α/Α", "0", 5),
    ("Ημερομηνία / date", EXCEL_DATE, 12),
    ("Τόπος μετάβασης / destination", "@", 48),
    ("Χλμ. / km", EXCEL_KM, 10),
    ("Χιλιομετρική αποζ. / km €", EXCEL_EUR, 13),
    ("Εισιτήρια / fares €", EXCEL_EUR, 12),
    ("Αρ. εισιτηρίων / ticket nos.", "@", 20),
    ("Ημέρες αποζ. / per diem days", "0.0", 10),
    ("Ημερήσια αποζ. / per diem €", EXCEL_EUR, 13),
    ("Διανυκτερεύσεις / nights", "0", 10),
    ("Διαμονή / overnight €", EXCEL_EUR, 13),
    ("Διόδια / tolls €", EXCEL_EUR, 11),
    ("Σύνολο / total €", EXCEL_EUR, 13),
)


def _header(
    sheet: Worksheet, title: str, subtitle: str, fields: Sequence[tuple[str, str]], width: int
) -> int:
    """Title, subtitle, the reference boxes and the fields; returns the next free row."""
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    sheet.cell(2, 1, subtitle).font = Font(italic=True, size=9)
    sheet.cell(1, width - 1, "Αρ. πρωτ. / ref.:")
    sheet.cell(2, width - 1, "Ημερομηνία / date:")
    row = 4
    for label, value in fields:
        sheet.cell(row, 1, label).font = _BOLD
        sheet.cell(row, 3, value)
        row += 1
    return row + 1


def _table_head(sheet: Worksheet, row: int, columns: Sequence[tuple[str, str, int]]) -> None:
    for number, (heading, _, width) in enumerate(columns, start=1):
        cell = sheet.cell(row, number, heading)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD, _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[row].height = 45


def _table_row(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    columns: Sequence[tuple[str, str, int]],
    bold: bool = False,
) -> None:
    for number, (value, (_, number_format, _)) in enumerate(zip(values, columns, strict=True), start=1):
        cell = sheet.cell(row, number, value)
        cell.number_format = number_format
        cell.border = _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = _BOLD


def _signatures(sheet: Worksheet, row: int, titles: Sequence[str], width: int) -> None:
    step = max(1, width // len(titles))
    for number, title in enumerate(titles):
        sheet.cell(row + 4, 1 + number * step, "_" * 24)
        sheet.cell(row + 5, 1 + number * step, title)


def _place(day: TravelDay) -> str:
    return f"{', '.join(day.islands or day.directorates)}: {'; '.join(day.destinations)}"


def _day_values(number: int, day: TravelDay) -> list[Any]:
    tickets = "\n".join(f"{leg.from_port} → {leg.to_port}: " for leg in day.ferries)
    return [
        number,
        day.date,
        _place(day),
        day.distance_km,
        day.distance_eur,
        day.ferry_eur,
        tickets,
        day.per_diem_days,
        day.per_diem_eur,
        day.nights,
        day.overnight_eur,
        day.tolls_eur,
        day.total_eur,
    ]


def _total_values(totals: Totals) -> list[Any]:
    return [
        None,
        None,
        "Σύνολο / total",
        totals.distance_km,
        totals.distance_eur,
        totals.ferry_eur,
        None,
        totals.per_diem_days,
        totals.per_diem_eur,
        totals.nights,
        totals.overnight_eur,
        totals.tolls_eur,
        totals.total_eur,
    ]


def _print_setup(sheet: Worksheet, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def statement_workbook(statement: Statement) -> Workbook:
    """The monthly statement: a sheet with the claimant, one row per travel day and the totals."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    year, month = statement.month.split("-")
    sheet.title = f"Κατάσταση {month}-{year}"
    width = len(STATEMENT_COLUMNS)
    row = _header(
        sheet,
        "ΚΑΤΑΣΤΑΣΗ ΗΜΕΡΗΣΙΑΣ ΑΠΟΖΗΜΙΩΣΗΣ ΚΑΙ ΕΞΟΔΩΝ ΚΙΝΗΣΗΣ",
        f"Monthly statement of daily allowances and travel expenses · μήνας / month {month}/{year}",
        [
            ("Δικαιούχος / claimant", f"{statement.technician} ({statement.technician_id})"),
            ("Φορέας / employer", statement.employer),
            ("Έδρα / base", statement.base),
        ],
        width,
    )
    _table_head(sheet, row, STATEMENT_COLUMNS)
    for number, day in enumerate(statement.days, start=1):
        _table_row(sheet, row + number, _day_values(number, day), STATEMENT_COLUMNS)
    last = row + len(statement.days) + 1
    _table_row(sheet, last, _total_values(statement.totals), STATEMENT_COLUMNS, bold=True)
    sheet.cell(last + 2, 1, "Βεβαιώνεται η ακρίβεια των ανωτέρω στοιχείων. / The above is certified correct.")
    _signatures(sheet, last + 2, STATEMENT_SIGNATURES, width)
    sheet.freeze_panes = sheet.cell(row + 1, 1)
    _print_setup(sheet, landscape=True)
    return workbook


#: the travel order's expense table: one row per day (and per extra sailing).
ORDER_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Ημερομηνία / date", EXCEL_DATE, 12),
    ("Σχολεία / schools", "@", 40),
    ("Χλμ. / km", EXCEL_KM, 10),
    ("Χιλιομετρική αποζ. / km €", EXCEL_EUR, 13),
    ("Πλοίο / ferry", "@", 30),
    ("Ναύλος / fare €", EXCEL_EUR, 11),
    ("Αρ. εισιτηρίου / ticket no.", "@", 16),
    ("Ημερήσια / per diem €", EXCEL_EUR, 12),
    ("Διαμονή / overnight €", EXCEL_EUR, 12),
    ("Διόδια / tolls €", EXCEL_EUR, 10),
    ("Σύνολο / total €", EXCEL_EUR, 12),
)


def travel_order_workbook(trip: Trip) -> Workbook:
    """The travel order of one trip: the fields, the expense table (a row per sailing) and totals."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Εντολή {trip.first.date:%d-%m-%Y}"
    totals = trip.totals
    tickets = ", ".join(t for day in trip.days for t in day.tickets)
    means = trip.first.vehicle + (", πλοίο / ferry" if totals.fares else "")
    depart = trip.first.depart.strftime(" %H:%M") if trip.first.depart else ""
    back = trip.last.back.strftime(" %H:%M") if trip.last.back else ""
    row = _header(
        sheet,
        "ΕΝΤΟΛΗ ΜΕΤΑΚΙΝΗΣΗΣ",
        "Travel order",
        [
            ("Μετακινούμενος/η / traveller", f"{trip.first.technician} ({trip.first.technician_id})"),
            ("Φορέας / employer", trip.first.employer),
            ("Έδρα / base", trip.first.base),
            ("Προορισμός / destination", f"{', '.join(trip.places)}: {'; '.join(trip.destinations)}"),
            ("Σκοπός / purpose", f"Τεχνική υποστήριξη σχολικών μονάδων (αιτήματα / tickets: {tickets})"),
            ("Αναχώρηση / departure", f"{trip.first.date:%d/%m/%Y}{depart}"),
            ("Επιστροφή / return", f"{trip.last.date:%d/%m/%Y}{back}"),
            ("Μέσο μετακίνησης / means", means),
            ("Διανυκτερεύσεις / nights away", str(totals.nights)),
            ("Ημέρες ημερήσιας αποζημίωσης / per diem days", f"{totals.per_diem_days:.1f}".replace(".", ",")),
        ],
        len(ORDER_COLUMNS),
    )
    _table_head(sheet, row, ORDER_COLUMNS)
    row += 1
    for day in trip.days:
        legs: list[FerryLeg | None] = [*day.ferries] or [None]
        for number, leg in enumerate(legs):
            first = number == 0
            ferry = f"{leg.depart:%H:%M} {leg.from_port} → {leg.to_port}" if leg else None
            values = [
                day.date if first else None,
                "; ".join(day.destinations) if first else None,
                day.distance_km if first else None,
                day.distance_eur if first else None,
                ferry,
                leg.fare_eur if leg else None,
                None,
                day.per_diem_eur if first else None,
                day.overnight_eur if first else None,
                day.tolls_eur if first else None,
                day.total_eur if first else None,
            ]
            _table_row(sheet, row, values, ORDER_COLUMNS)
            row += 1
    total = [
        "Σύνολο / total",
        None,
        totals.distance_km,
        totals.distance_eur,
        None,
        totals.ferry_eur,
        None,
        totals.per_diem_eur,
        totals.overnight_eur,
        totals.tolls_eur,
        totals.total_eur,
    ]
    _table_row(sheet, row, total, ORDER_COLUMNS, bold=True)
    _signatures(sheet, row + 1, ORDER_SIGNATURES, len(ORDER_COLUMNS))
    _print_setup(sheet, landscape=True)
    return workbook


def write_workbook(workbook: Workbook, path: str | PathLike[str]) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
