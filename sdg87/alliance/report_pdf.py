"""A published annual report as a PDF, with fpdf2 (pure Python; ADR 0013).

The PDF is drawn from the same `ReportDocument` as the HTML page (sdg87.alliance.report_views
builds it, translated), so both say the same words. Text is set in DejaVu Sans, embedded
(fpdf2 keeps only the glyphs used), which covers the accents of French and Spanish; the font
comes from Debian's fonts-dejavu-core, or from static/fonts/ when a copy is bundled there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_DIRS = (
    Path(settings.BASE_DIR) / "static" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
FAMILY = "DejaVuSans"


@dataclass(frozen=True)
class Fact:
    """One line of the statistics as filed, with where it comes from."""

    text: str
    source: str
    url: str


@dataclass(frozen=True)
class EntryBlock:
    """One action of the report: its text, then (label, value) lines; an optional link."""

    action: str
    lines: list[tuple[str, str]]
    link_label: str = ""
    link: str = ""


@dataclass(frozen=True)
class AreaBlock:
    heading: str  # the priority area (and its plan)
    entries: list[EntryBlock]


@dataclass(frozen=True)
class ReportDocument:
    """Everything a report says, in the reader's language, for the page and the PDF alike."""

    lang: str
    title: str
    meta: list[str]  # filed on, published by, ...
    summary_heading: str
    summary: str
    statistics_heading: str
    statistics_note: str
    facts: list[Fact]
    no_facts: str
    actions_heading: str
    areas: list[AreaBlock]
    no_actions: str
    footer: str
    page_url: str = ""
    extra: list[str] = field(default_factory=list)


def font_path(style: str) -> Path:
    """The DejaVu Sans file for a style ("" regular, "B" bold), bundled copy first."""
    name = FONT_FILES[style]
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise ImproperlyConfigured(
        f"{name} not found in {', '.join(str(d) for d in FONT_DIRS)}: "
        "install Debian's fonts-dejavu-core (see docs/adr/0013-report-pdf.md)."
    )


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _paragraph(
    pdf: FPDF, text: str, *, size: float = 10, style: str = "", gap: float = 1.5
) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _link(pdf: FPDF, label: str, url: str, *, size: float = 9) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(0, 60, 140)
    pdf.multi_cell(0, size * 0.5, label, link=url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def report_pdf_render(*, document: ReportDocument) -> bytes:
    """The PDF of a report document (A4, tagged with its language and title)."""
    pdf = _ReportPDF(format="A4")
    pdf.footer_text = document.footer
    for style in FONT_FILES:
        pdf.add_font(FAMILY, style, str(font_path(style)))
    pdf.set_title(document.title)
    pdf.set_lang(document.lang)
    pdf.set_creator("SDG 8.7 Knowledge Platform")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    _paragraph(pdf, document.title, size=16, style="B", gap=2)
    for line in document.meta:
        _paragraph(pdf, line, size=9, gap=0.5)
    if document.page_url:
        _link(pdf, document.page_url, document.page_url)
    pdf.ln(3)

    _paragraph(pdf, document.summary_heading, size=13, style="B")
    _paragraph(pdf, document.summary, gap=3)

    _paragraph(pdf, document.statistics_heading, size=13, style="B")
    _paragraph(pdf, document.statistics_note, size=9)
    for fact in document.facts:
        _paragraph(pdf, fact.text, gap=0.5)
        _paragraph(pdf, fact.source, size=9, gap=0)
        if fact.url:  # printed in full: a PDF is often read on paper
            _link(pdf, fact.url, fact.url)
        pdf.ln(2)
    if not document.facts:
        _paragraph(pdf, document.no_facts)
    pdf.ln(2)

    _paragraph(pdf, document.actions_heading, size=13, style="B")
    for area in document.areas:
        _paragraph(pdf, area.heading, size=11.5, style="B", gap=1)
        for entry in area.entries:
            _paragraph(pdf, entry.action, style="B", gap=0.5)
            for label, value in entry.lines:
                pdf.set_font(FAMILY, "B", 9.5)
                pdf.write(4.75, label + " ")
                pdf.set_font(FAMILY, "", 9.5)
                pdf.write(4.75, value)
                pdf.ln(5.5)
            if entry.link:
                _link(pdf, entry.link_label + " " + entry.link, entry.link)
            pdf.ln(2.5)
    if not document.areas:
        _paragraph(pdf, document.no_actions)
    for line in document.extra:
        _paragraph(pdf, line, size=9)
    return bytes(pdf.output())
