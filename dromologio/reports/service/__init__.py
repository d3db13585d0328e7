"""The service report on paper: CSV for Greek Excel, .xlsx, a chart (PNG) and a printable HTML page."""

from .writers import (
    render_service_html,
    service_chart_png,
    service_csv_bytes,
    service_xlsx_bytes,
    write_service_report,
)

__all__ = [
    "render_service_html",
    "service_chart_png",
    "service_csv_bytes",
    "service_xlsx_bytes",
    "write_service_report",
]
