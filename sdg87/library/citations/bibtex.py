"""BibTeX and BibLaTeX from records.

BibTeX entry types come from the resource-type table (`type_mapping(...).bibtex`):
`@techreport`, `@article`, `@manual` or `@misc`, never `@dataset` (classic BibTeX styles do not
know it). A report without an institution and an article without a journal fall back to
`@misc`, so that no entry lacks a field its type requires. BibLaTeX (biber) is offered
separately and may use `@dataset` and `@report`.

Text is escaped for LaTeX (`& % $ # _ { } ~ ^ \\`); words with more than one capital (ILO,
UNICEF, COVID) are braced so that styles that lower-case titles keep them; an organisation
author is braced whole (`{International Labour Organization}`) so that BibTeX never reads it
as a family name with initials. Files are UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sdg87.library.citations.record import CitationRecord, Organisation, Person, unique_keys

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
_ACRONYM_RE = re.compile(r"(?<![\\\w])([^\W\d_]*[A-Z][^\W\d_]*[A-Z][^\W\d_]*)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LANGIDS = {"en": "english", "fr": "french", "es": "spanish", "pt": "portuguese", "de": "german"}


def latex_escape(text: str) -> str:
    """`text` with LaTeX's special characters escaped and whitespace collapsed."""
    text = " ".join(text.split())
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def _title(text: str) -> str:
    return _ACRONYM_RE.sub(r"{\1}", latex_escape(text))


def _verbatim(text: str) -> str:
    # URLs and DOIs are verbatim fields: only what would unbalance the entry is encoded.
    return text.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _names(record: CitationRecord) -> str:
    out = []
    for creator in record.creators:
        if isinstance(creator, Person):
            family = latex_escape(creator.family)
            # a family name of several words ("Gonzalez Arroyo") stays one family name
            if " " in family:
                family = "{" + family + "}"
            out.append(f"{family}, {latex_escape(creator.given)}" if creator.given else family)
        else:
            assert isinstance(creator, Organisation)
            out.append("{" + latex_escape(creator.name) + "}")
    return " and ".join(out)


def _format_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields:
        if not value:
            continue
        if name == "month":  # a BibTeX month macro, not a string
            lines.append(f"  {name} = {value},")
        else:
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def bibtex_type(record: CitationRecord) -> str:
    """The BibTeX entry type: the table's, unless a field it requires is missing."""
    entry_type = record.mapping.bibtex
    if entry_type == "techreport" and not record.institution:
        return "misc"
    if entry_type == "article" and not record.container_title:
        return "misc"
    assert entry_type != "dataset", "BibTeX has no @dataset"
    return entry_type


def bibtex_entry(record: CitationRecord, key: str) -> str:
    entry_type = bibtex_type(record)
    year = str(record.issued.year) if record.issued else ""
    month = _MONTHS[record.issued.month - 1] if record.issued and record.issued.month else ""
    fields: list[tuple[str, str]] = [
        ("author", _names(record)),
        ("title", _title(record.title)),
        ("year", year),
        ("month", month),
    ]
    if entry_type == "techreport":
        fields.append(("institution", latex_escape(record.institution)))
    elif entry_type == "article":
        fields += [
            ("journal", latex_escape(record.container_title)),
            ("volume", latex_escape(record.volume)),
            ("number", latex_escape(record.issue)),
            ("pages", latex_escape(record.pages.replace("-", "--"))),
        ]
    elif entry_type == "manual":
        fields.append(("organization", latex_escape(record.institution)))
    else:
        fields.append(("howpublished", latex_escape(record.publisher)))
    if entry_type in ("techreport", "misc") and record.container_title:
        fields.append(("series", latex_escape(record.container_title)))
    if record.number and entry_type != "article":
        fields.append(("number", latex_escape(record.number)))
    if record.is_dataset:
        note = "Dataset"
        if record.version:
            note += ", version " + latex_escape(record.version)
        fields.append(("note", note))
    fields += [
        ("doi", _verbatim(record.doi)),
        ("isbn", latex_escape(", ".join(record.isbns))),
        ("url", _verbatim(record.url)),
        ("language", _LANGIDS.get(record.language, latex_escape(record.language))),
    ]
    return _format_entry(entry_type, key, fields)


def biblatex_entry(record: CitationRecord, key: str) -> str:
    entry_type = record.mapping.biblatex
    if entry_type == "article" and not record.container_title:
        entry_type = "misc"
    fields: list[tuple[str, str]] = [
        ("author", _names(record)),
        ("title", _title(record.title)),
        ("date", record.issued.iso() if record.issued else ""),
    ]
    if entry_type == "report":
        fields.append(("institution", latex_escape(record.institution)))
    elif entry_type == "article":
        fields += [
            ("journaltitle", latex_escape(record.container_title)),
            ("volume", latex_escape(record.volume)),
            ("number", latex_escape(record.issue)),
            ("pages", latex_escape(record.pages.replace("-", "--"))),
        ]
    elif entry_type == "manual":
        fields.append(("organization", latex_escape(record.institution)))
    else:
        fields.append(("publisher", latex_escape(record.publisher)))
    if entry_type != "article" and record.container_title:
        fields.append(("series", latex_escape(record.container_title)))
    if record.number and entry_type != "article":
        fields.append(("number", latex_escape(record.number)))
    fields += [
        ("version", latex_escape(record.version)),
        ("doi", _verbatim(record.doi)),
        ("isbn", latex_escape(", ".join(record.isbns))),
        ("url", _verbatim(record.url)),
        ("urldate", record.accessed.isoformat() if record.accessed else ""),
        ("langid", _LANGIDS.get(record.language, "")),
    ]
    return _format_entry(entry_type, key, fields)


def _file(records: list[CitationRecord], entry: Callable[[CitationRecord, str], str]) -> str:
    keys = unique_keys(records)
    return "\n\n".join(entry(r, k) for r, k in zip(records, keys, strict=True)) + "\n"


def bibtex(records: list[CitationRecord]) -> str:
    """A BibTeX file of the records (UTF-8; keys made unique)."""
    return _file(records, bibtex_entry)


def biblatex(records: list[CitationRecord]) -> str:
    """A BibLaTeX file of the records (biber; UTF-8; keys made unique)."""
    return _file(records, biblatex_entry)
