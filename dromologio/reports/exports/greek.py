"""Numbers, money and dates as a Greek reader writes them: 1.234,56 €; Δευτέρα 23/11/2026."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["WEEKDAYS_EL", "greek_date", "greek_eur", "greek_number", "hhmm"]

#: the days of the week in Greek, Monday first (``date.weekday()``).
WEEKDAYS_EL: tuple[str, ...] = ("Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή")


def greek_number(value: float, decimals: int = 2) -> str:
    """``value`` with a dot between thousands and a decimal comma: ``1.234,56``."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def greek_eur(value: float) -> str:
    """Money in euros as written in Greek: ``1.234,56 €``."""
    return f"{greek_number(value, 2)} €"


def greek_date(day: date) -> str:
    """A day with its weekday: ``Δευτέρα 23/11/2026``."""
    return f"{WEEKDAYS_EL[day.weekday()]} {day:%d/%m/%Y}"


def hhmm(value: datetime | None) -> str:
    """A time of day as ``08:15``; empty when there is none."""
    return "" if value is None else value.strftime("%H:%M")
