"""The forms a Greek office signs, pre-filled from plans: the travel order of a trip
(εντολή μετακίνησης) and a technician's monthly statement of daily allowances and travel
expenses (κατάσταση ημερήσιας αποζημίωσης και εξόδων κίνησης), as .xlsx and printable HTML.

:mod:`.data` gathers a technician's travel days from plans (priced by the employer's travel
rules), :mod:`.html` and :mod:`.xlsx` write them; Greek formats are in :mod:`.format`.
"""

from .data import FerryLeg, Statement, Totals, TravelDay, Trip, monthly_statement, travel_days, trips
from .format import greek_date, greek_eur, greek_number
from .html import statement_html, travel_order_html
from .xlsx import statement_workbook, travel_order_workbook, workbook_bytes, write_workbook

__all__ = [
    "FerryLeg",
    "Statement",
    "Totals",
    "TravelDay",
    "Trip",
    "greek_date",
    "greek_eur",
    "greek_number",
    "monthly_statement",
    "statement_html",
    "statement_workbook",
    "travel_days",
    "travel_order_html",
    "travel_order_workbook",
    "trips",
    "workbook_bytes",
    "write_workbook",
]
