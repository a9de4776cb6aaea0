"""CSV cells spreadsheets will not run as formulas; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from sdg87.core.csvsafe import csv_cell, csv_row


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("PERCENT", "PERCENT"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_cells_are_made_inert(raw, written):
    """Text starting with = + - @ TAB CR gets a leading quote; other text is unchanged."""
    assert csv_cell(raw) == written


def test_numbers_stay_numbers():
    """Negative numbers in numeric columns are written as numbers, not quoted."""
    out = io.StringIO()
    csv.writer(out).writerow(csv_row([-5.5, -3, Decimal("-1.25"), 0.1, "-1"]))
    assert out.getvalue() == "-5.5,-3,-1.25,0.1,'-1\r\n"
