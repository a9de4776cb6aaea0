"""What a screening's codes say in words, and its report as CSV and PDF.

Every text cell of the CSV passes through sdg87.core.csvsafe (a good typed as "=HYPERLINK(...)"
is written inert). The PDF is drawn with fpdf2 in DejaVu Sans, as the annual reports are
(sdg87.alliance.report_pdf, ADR 0013): summary, flagged rows, rows needing confirmation and
unmatched rows; the CSV has every row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from sdg87.alliance.report_pdf import FAMILY, FONT_FILES, font_path
from sdg87.core.csvsafe import csv_row
from sdg87.supplychains import matching as m
from sdg87.supplychains.models import Screening, ScreeningRow

STATUS_LABELS: dict[str, Promise] = {
    m.LISTED: gettext_lazy("Listed (latest edition)"),
    m.FORMERLY_LISTED: gettext_lazy("Formerly listed"),
    m.NOT_LISTED: gettext_lazy("Not listed"),
    m.UNMATCHED: gettext_lazy("Unmatched"),
}
RULE_LABELS: dict[str, Promise] = {
    m.EXACT: gettext_lazy("exact name"),
    m.SYNONYM: gettext_lazy("synonym"),
    m.NORMALISED: gettext_lazy("normalised name"),
    m.FUZZY: gettext_lazy("similar name (needs confirmation)"),
    m.CODE: gettext_lazy("ISO code"),
    m.NAME: gettext_lazy("country name"),
    m.VARIANT: gettext_lazy("other name of the country"),
}
REASON_LABELS: dict[str, Promise] = {
    m.NO_GOOD: gettext_lazy("The good is empty."),
    m.NO_COUNTRY: gettext_lazy("The country is empty."),
    m.GOOD_UNKNOWN: gettext_lazy("The good is not on any edition of the DOL List of Goods."),
    m.COUNTRY_UNKNOWN: gettext_lazy("The country is not recognised (use a name or ISO code)."),
}
MAX_PDF_ROWS = 2_000  # per section; the CSV has every row


def flags_text(row: ScreeningRow) -> str:
    flags = []
    if row.child_labour:
        flags.append(_("child labour"))
    if row.forced_labour:
        flags.append(_("forced labour"))
    if row.forced_child_labour:
        flags.append(_("forced child labour"))
    return ", ".join(flags)


def _label(table: dict[str, Promise], code: str) -> str:
    return str(table[code]) if code in table else ""


def csv_header() -> list[str]:
    return [
        _("row"),
        _("good (as uploaded)"),
        _("country (as uploaded)"),
        _("supplier"),
        _("volume"),
        _("status"),
        _("DOL good"),
        _("good matched by"),
        _("needs confirmation"),
        _("ISO3"),
        _("country"),
        _("country matched by"),
        _("child labour"),
        _("forced labour"),
        _("forced child labour"),
        _("first edition listed"),
        _("last edition listed"),
        _("why unmatched"),
        _("due-diligence pack"),
    ]


def csv_lines(rows: Iterable[ScreeningRow], *, pack_url: Any) -> Iterator[str]:
    """The report as CSV text, line by line (header first); `pack_url(row)` gives a row's
    pack link or ""."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[Any]) -> str:
        writer.writerow(csv_row(cells))
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yes, no = _("yes"), _("no")
    yield "\ufeff" + line(csv_header())
    for row in rows:
        matched = row.status in (m.LISTED, m.FORMERLY_LISTED)
        yield line(
            [
                row.row,
                row.good_input,
                row.country_input,
                row.supplier,
                row.volume,
                _label(STATUS_LABELS, row.status),
                row.good,
                _label(RULE_LABELS, row.good_rule),
                yes if row.needs_confirmation else no,
                row.iso3,
                row.country_name,
                _label(RULE_LABELS, row.country_rule),
                (yes if row.child_labour else no) if matched else "",
                (yes if row.forced_labour else no) if matched else "",
                (yes if row.forced_child_labour else no) if matched else "",
                row.first_edition,
                row.last_edition,
                _label(REASON_LABELS, row.reason),
                pack_url(row),
            ]
        )


class _PDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def _text(pdf: FPDF, text: str, *, size: float = 9.5, style: str = "", gap: float = 1) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
    pdf.set_font(FAMILY, "", 8)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4) as table:
        head = table.row()
        for cell in header:
            head.cell(cell)
        for values in rows:
            out = table.row()
            for cell in values:
                out.cell(cell)
    pdf.ln(3)


def screening_pdf(
    *,
    screening: Screening,
    rows: Iterable[ScreeningRow],
    lang: str,
    page_url: str,
) -> bytes:
    """The screening report as a PDF (A4): summary by country and good, then the flagged
    rows, those needing confirmation and those unmatched (each section at most
    MAX_PDF_ROWS rows; the CSV has all)."""
    summary = screening.summary
    edition = summary.get("edition") or {}
    pdf = _PDF(format="A4")
    pdf.footer_text = _("Sourcing-list screening")
    for style in FONT_FILES:
        pdf.add_font(FAMILY, style, str(font_path(style)))
    pdf.set_title(_("Sourcing-list screening: %(file)s") % {"file": screening.file_name})
    pdf.set_lang(lang)
    pdf.set_creator("SDG 8.7 Knowledge Platform")
    pdf.set_margins(14, 14, 14)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    _text(pdf, _("Sourcing-list screening"), size=15, style="B", gap=2)
    _text(pdf, screening.title or screening.file_name, size=11)
    _text(
        pdf,
        _(
            "%(rows)s rows screened against every edition of the US Department of Labor's "
            "List of Goods Produced by Child Labor or Forced Labor; latest edition: %(title)s."
        )
        % {"rows": summary.get("rows", 0), "title": edition.get("title", "")},
    )
    if edition.get("url"):
        _text(pdf, edition["url"], size=8.5)
    if page_url:
        _text(pdf, page_url, size=8.5)
    _text(
        pdf,
        _(
            "A listing means DOL has reason to believe the good is produced with child labour "
            "or forced labour in that country, not that a given supplier uses it. Matches by "
            "similar name need confirmation."
        ),
        size=8.5,
        gap=3,
    )
    statuses = summary.get("statuses", {})
    _table(
        pdf,
        [_("Status"), _("Rows")],
        [[str(label), str(statuses.get(code, 0))] for code, label in STATUS_LABELS.items()]
        + [[_("Needs confirmation"), str(summary.get("needs_confirmation", 0))]],
        [3, 1],
    )
    for heading, key in ((_("By country"), "by_country"), (_("By good"), "by_good")):
        _text(pdf, heading, size=12, style="B")
        _table(
            pdf,
            [heading, _("Rows"), _("Listed"), _("Formerly listed"), _("Volume listed")],
            [
                [
                    entry["name"],
                    str(entry["rows"]),
                    str(entry["listed"]),
                    str(entry["formerly_listed"]),
                    f"{entry['volume']:g}",
                ]
                for entry in summary.get(key, [])[:MAX_PDF_ROWS]
            ],
            [4, 1, 1, 1, 1],
        )
    flagged: list[list[str]] = []
    confirm: list[list[str]] = []
    unmatched: list[list[str]] = []
    for row in rows:
        if row.status in (m.LISTED, m.FORMERLY_LISTED) and len(flagged) < MAX_PDF_ROWS:
            flagged.append(
                [
                    str(row.row),
                    row.good,
                    row.country_name,
                    _label(STATUS_LABELS, row.status),
                    flags_text(row),
                    row.supplier,
                ]
            )
        if row.needs_confirmation and len(confirm) < MAX_PDF_ROWS:
            confirm.append([str(row.row), row.good_input, row.good])
        if row.status == m.UNMATCHED and len(unmatched) < MAX_PDF_ROWS:
            unmatched.append(
                [
                    str(row.row),
                    row.good_input,
                    row.country_input,
                    _label(REASON_LABELS, row.reason),
                ]
            )
    sections = (
        (
            _("Rows with a listing"),
            [_("Row"), _("Good"), _("Country"), _("Status"), _("Listed for"), _("Supplier")],
            flagged,
            [1, 3, 3, 2, 3, 3],
        ),
        (
            _("Matches to confirm"),
            [_("Row"), _("Good as uploaded"), _("Matched to")],
            confirm,
            [1, 4, 4],
        ),
        (
            _("Unmatched rows"),
            [_("Row"), _("Good"), _("Country"), _("Why")],
            unmatched,
            [1, 3, 3, 5],
        ),
    )
    for heading, header, body, widths in sections:
        _text(pdf, heading, size=12, style="B")
        if body:
            _table(pdf, header, body, widths)
        else:
            _text(pdf, _("None."), gap=3)
    return bytes(pdf.output())
