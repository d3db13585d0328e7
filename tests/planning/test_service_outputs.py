"""The service report on paper: CSV for Greek Excel, the workbook, the chart and the printable page."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from dromologio.planning.service.report import Month, service_report
from dromologio.reports.service import (
    render_service_html,
    service_csv_bytes,
    service_xlsx_bytes,
    write_service_report,
)

from .test_service_report import HISTORIES


def test_csv_is_for_greek_excel() -> None:
    report = service_report(HISTORIES, [], Month.parse("2026-11"))
    data = service_csv_bytes(report)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["ομάδα / group", "τιμή / value", "αιτήματα / tickets"]
    overall = lines[1].split(";")
    assert overall[2] == "4" and overall[5] == "14,0"  # mean response 14 hours, decimal comma
    assert overall[-1] == "n/a"


def test_workbook_page_and_files(tmp_path: Path) -> None:
    report = service_report(HISTORIES, [], Month.parse("2026-11"), directorate="Δ.Π.Ε. Ιωαννίνων")
    book = load_workbook(io.BytesIO(service_xlsx_bytes(report)))
    assert book.sheetnames == ["service", "repeats", "money"]
    assert book["service"]["C2"].value == 3
    assert [c.value for c in book["repeats"]["A"]][1:] == ["S1", "S1"]
    page = render_service_html(report)
    assert "Δ.Π.Ε. Ιωαννίνων" in page and "data:image/png;base64," in page
    assert "n/a" in page and "προληπτική κάλυψη" in page
    paths = write_service_report(report, tmp_path / "out")
    assert sorted(p.name for p in paths.values()) == [
        "service-report.csv",
        "service-report.html",
        "service-report.png",
        "service-report.xlsx",
    ]
    assert paths["png"].read_bytes().startswith(b"\x89PNG")
