"""CSV dialects: the plain contract CSV and the one Greek Excel opens right."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from dromologio.reports.exports import GREEK_EXCEL, PLAIN, csv_dialect, csv_text, write_frame_csv


def test_the_options_choose_the_dialect() -> None:
    assert csv_dialect() == PLAIN and not PLAIN.bom
    assert csv_dialect(excel=True) == GREEK_EXCEL
    assert csv_dialect(sep=";") == GREEK_EXCEL.__class__(";", ".", bom=True)  # any Excel choice: a BOM
    assert csv_dialect(excel=True, decimal=".") == GREEK_EXCEL.__class__(";", ".", bom=True)
    with pytest.raises(ValueError, match="separator and the decimal mark"):
        csv_dialect(sep=",", decimal=",")
    with pytest.raises(ValueError, match="separator"):
        csv_dialect(sep='"')
    with pytest.raises(ValueError, match="decimal mark"):
        csv_dialect(decimal="·")


def test_greek_excel_reads_numbers_and_greek_text() -> None:
    rows = [{"name": "Δημοτικό Σχολείο Ελεούσας; Ιωάννινα", "km": 1234.5, "eur": math.nan, "n": 3}]
    text = csv_text(rows, ["name", "km", "eur", "n"], GREEK_EXCEL)
    assert text.startswith("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert row == {"name": "Δημοτικό Σχολείο Ελεούσας; Ιωάννινα", "km": "1234,5", "eur": "", "n": "3"}
    plain = csv_text(rows, ["name", "km"], PLAIN)
    assert plain.splitlines()[1] == "Δημοτικό Σχολείο Ελεούσας; Ιωάννινα,1234.5"


def test_tables_are_written_in_the_dialect(tmp_path: Path) -> None:
    frame = pd.DataFrame({"employer": ["ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας", "Σ"], "total_eur": [12.5, 12.5]})
    path = write_frame_csv(frame, tmp_path / "out" / "costs.csv", GREEK_EXCEL)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"12,5" in raw
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["employer"].tolist() == ["ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας", "Σ"] and back["total_eur"].sum() == 25.0
    plain = write_frame_csv(frame, tmp_path / "plain.csv")
    assert pd.read_csv(plain)["total_eur"].tolist() == [12.5, 12.5]
