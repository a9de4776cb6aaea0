"""A pack version as a PDF, with fpdf2 and the bundled DejaVu Sans (ADR 0013), drawn from the
same `PackDocument` as the page. Source addresses are printed in full (a PDF is often read on
paper); the self-assessment grid is a table with empty columns to fill in by hand.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from sdg87.alliance.report_pdf import FAMILY, FONT_FILES, font_path
from sdg87.packs.document import EU_REGULATION_URL, PackDocument


class _PackPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _text(pdf: FPDF, text: str, *, size: float = 10, style: str = "", gap: float = 1.5) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _link(pdf: FPDF, label: str, url: str, *, size: float = 8) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(0, 60, 140)
    pdf.multi_cell(0, size * 0.5, label, link=url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def pack_pdf_render(*, document: PackDocument) -> bytes:
    pdf = _PackPDF(format="A4")
    pdf.footer_text = f"{document.title} · v{document.version} · {document.as_of.isoformat()}"
    for style in FONT_FILES:
        pdf.add_font(FAMILY, style, str(font_path(style)))
    pdf.set_title(document.title)
    pdf.set_lang(document.lang)
    pdf.set_creator("SDG 8.7 Knowledge Platform")
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    _text(pdf, document.title, size=15, style="B", gap=2)
    _text(
        pdf,
        _("Version %(version)s, as of %(date)s")
        % {"version": document.version, "date": document.as_of_text},
        size=9,
        gap=0.5,
    )
    _link(pdf, document.page_url, document.page_url)
    pdf.ln(2)
    for line in document.summary:
        _text(pdf, line, gap=0.5)
    pdf.ln(2)
    _text(pdf, _("How to cite"), size=11, style="B", gap=0.5)
    _text(pdf, document.citation, size=9, gap=3)

    for table in document.tables:
        _text(pdf, table.heading, size=12, style="B", gap=1)
        if table.note:
            _text(pdf, table.note, size=8.5, gap=1)
        if not table.rows:
            _text(pdf, table.empty, size=9, gap=3)
            continue
        last_source = None
        for row in table.rows:
            cells = [cell for cell in row.cells if cell]
            _text(pdf, " · ".join(cells), size=9, gap=0)
            if row.extra_url:
                _link(pdf, row.extra_url, row.extra_url, size=7.5)
            if row.source and row.source != last_source:
                _link(pdf, f"{row.source.label}: {row.source.url}", row.source.url, size=7.5)
                last_source = row.source
            pdf.ln(0.8)
        pdf.ln(3)

    _text(pdf, _("Changes since the previous version"), size=12, style="B", gap=1)
    if document.previous_version is None:
        _text(pdf, _("This is the first version of the pack."), size=9, gap=3)
    elif not document.changes:
        _text(pdf, _("No change in the figures."), size=9, gap=3)
    else:
        for section, key, change, before, after in document.change_rows():
            _text(pdf, f"{section} · {key} · {change}: {before} → {after}", size=8.5, gap=0)
        pdf.ln(3)

    pdf.add_page()
    _text(pdf, _("Self-assessment: EU Forced Labour Regulation risk criteria"), size=12, style="B")
    _text(pdf, document.criteria_note, size=8.5, gap=0.5)
    _link(pdf, EU_REGULATION_URL, EU_REGULATION_URL)
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(col_widths=(60, 25, 35, 58), text_align="LEFT", line_height=5) as grid:
        header = grid.row()
        for title in (_("Criterion"), _("Reference"), _("Your rating"), _("Evidence and notes")):
            header.cell(title)
        for criterion in document.criteria:
            grid_row = grid.row()
            grid_row.cell(criterion.name)
            grid_row.cell(criterion.reference)
            grid_row.cell("\n\n\n")
            grid_row.cell("")
    pdf.ln(4)
    _text(pdf, _("Sources"), size=12, style="B", gap=1)
    for source in document.sources:
        _text(pdf, source.label, size=8.5, gap=0)
        if source.url:
            _link(pdf, source.url, source.url, size=7.5)
        pdf.ln(1)
    return bytes(pdf.output())
