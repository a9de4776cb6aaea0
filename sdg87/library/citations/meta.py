"""Highwire Press `citation_*` meta tags (read by Google Scholar, Zotero and other reference
managers) from a record: pairs of (name, content), escaped by the template tag."""

from __future__ import annotations

from sdg87.library.citations.bibtex import bibtex_type
from sdg87.library.citations.record import CitationRecord, Person


def highwire_tags(record: CitationRecord) -> list[tuple[str, str]]:
    tags: list[tuple[str, str]] = [("citation_title", record.title)]
    for creator in record.creators:
        if isinstance(creator, Person):
            name = f"{creator.family}, {creator.given}" if creator.given else creator.family
        else:
            name = creator.name
        tags.append(("citation_author", name))
    if record.issued:
        tags.append(("citation_publication_date", record.issued.iso().replace("-", "/")))
    if record.in_journal or bibtex_type(record) == "article":
        tags += [
            ("citation_journal_title", record.container_title),
            ("citation_volume", record.volume),
            ("citation_issue", record.issue),
            ("citation_firstpage", record.first_page),
            ("citation_lastpage", record.last_page),
        ]
    elif bibtex_type(record) == "techreport":
        tags += [
            ("citation_technical_report_institution", record.institution),
            ("citation_technical_report_number", record.number),
        ]
    tags.append(("citation_publisher", record.publisher))
    tags.append(("citation_doi", record.doi))
    tags += [("citation_isbn", isbn) for isbn in record.isbns]
    tags += [
        ("citation_pdf_url", record.pdf_url),
        ("citation_language", record.language),
        ("citation_abstract_html_url", record.page_url),
    ]
    return [(name, " ".join(value.split())) for name, value in tags if value]
