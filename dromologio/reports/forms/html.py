"""The forms as printable HTML (jinja2 templates shipped in ``templates/``)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .data import Statement, Trip
from .format import greek_date, greek_eur, greek_number, greek_time

__all__ = ["ORDER_SIGNATURES", "STATEMENT_SIGNATURES", "statement_html", "travel_order_html"]

ORDER_SIGNATURES = (
    "Ο/Η μετακινούμενος/η / traveller",
    "Ο/Η εντέλλων/ουσα / ordered by",
    "Θεωρήθηκε / certified",
)
STATEMENT_SIGNATURES = (
    "Ο/Η δικαιούχος / claimant",
    "Ο/Η προϊστάμενος/η / head of unit",
    "Ο/Η εκκαθαριστής/τρια / clearing officer",
)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("dromologio.reports.forms", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(eur=greek_eur, num=greek_number, gdate=greek_date, gtime=greek_time)
    return environment


def travel_order_html(trip: Trip) -> str:
    """The travel order (εντολή μετακίνησης) of one trip, as a printable page."""
    return (
        _environment()
        .get_template("travel_order.html.j2")
        .render(
            trip=trip,
            totals=trip.totals,
            tickets=[t for day in trip.days for t in day.tickets],
            employer=trip.first.employer,
            base=trip.first.base,
            signatures=ORDER_SIGNATURES,
        )
    )


def statement_html(statement: Statement) -> str:
    """The monthly statement (κατάσταση ημερήσιας αποζημίωσης και εξόδων κίνησης), printable."""
    year, month = statement.month.split("-")
    return (
        _environment()
        .get_template("statement.html.j2")
        .render(
            statement=statement,
            totals=statement.totals,
            month_label=f"{month}/{year}",
            employer=statement.employer,
            base=statement.base,
            signatures=STATEMENT_SIGNATURES,
        )
    )
