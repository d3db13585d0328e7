"""Greek number and date formats: 1.234,56 € and 23/11/2026."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["EXCEL_DATE", "EXCEL_EUR", "EXCEL_KM", "greek_date", "greek_eur", "greek_number", "greek_time"]

#: Excel number formats: Excel shows them with the separators of the reader's locale (Greek: 1.234,56).
EXCEL_EUR = '#,##0.00 "€"'
EXCEL_KM = "#,##0.0"
EXCEL_DATE = "DD/MM/YYYY"


def greek_number(value: float, decimals: int = 2) -> str:
    """``1234.5`` → ``1.234,50``: dot between thousands, comma before the decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\\0").replace(".", ",").replace("\\0", ".")


def greek_eur(value: float) -> str:
    """``1234.5`` → ``1.234,50 €``."""
    return f"{greek_number(value)} €"


def greek_date(value: date | datetime | None) -> str:
    """``2026-11-23`` → ``23/11/2026`` (empty for None)."""
    return "" if value is None else f"{value:%d/%m/%Y}"


def greek_time(value: datetime | None) -> str:
    """``08:15`` (empty for None)."""
    return "" if value is None else f"{value:%H:%M}"
