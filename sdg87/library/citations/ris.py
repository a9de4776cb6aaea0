"""RIS (Research Information Systems) from records: EndNote, Zotero, Mendeley and most
reference managers import it. Lines are `TAG  - value`, records end with `ER  -`, CRLF line
ends as the format's specification asks."""

from __future__ import annotations

from sdg87.library.citations.record import CitationRecord, Person, unique_keys


def _clean(value: str) -> str:
    # one line per tag: a newline inside a value would start a bogus tag
    return " ".join(value.split())


def ris_entry(record: CitationRecord, key: str) -> list[tuple[str, str]]:
    ris_type = record.mapping.ris
    tags: list[tuple[str, str]] = [("TY", ris_type), ("ID", key), ("TI", record.title)]
    for creator in record.creators:
        if isinstance(creator, Person):
            name = f"{creator.family}, {creator.given}" if creator.given else creator.family
        else:
            # one field, no comma: importers keep an organisation whole
            name = creator.name.replace(",", "")
        tags.append(("AU", name))
    if record.issued:
        issued = record.issued
        tags.append(("PY", str(issued.year)))
        month = f"{issued.month:02d}" if issued.month else ""
        day = f"{issued.day:02d}" if issued.day else ""
        tags.append(("DA", f"{issued.year}/{month}/{day}/"))
    if record.container_title:
        tags.append(("JO" if ris_type == "JOUR" else "T2", record.container_title))
    tags += [
        ("VL", record.volume),
        ("IS", record.issue),
        ("SP", record.first_page or record.pages),
        ("EP", record.last_page),
        ("PB", record.publisher),
        ("CY", record.publisher_place),
        ("M1", record.number),
        ("ET", record.version),
        ("DO", record.doi),
    ]
    tags += [
        # one SN line (readers keep only one): all ISBNs of the edition
        ("SN", "; ".join(record.isbns)),
        ("UR", record.url),
        ("LA", record.language),
        ("Y2", record.accessed.isoformat() if record.accessed else ""),
        ("AB", record.abstract),
    ]
    tags += [("KW", kw) for kw in record.keywords]
    return [(tag, _clean(value)) for tag, value in tags if value]


def ris(records: list[CitationRecord]) -> str:
    """The records as one RIS file."""
    keys = unique_keys(records)
    lines: list[str] = []
    for record, key in zip(records, keys, strict=True):
        lines += [f"{tag}  - {value}" for tag, value in ris_entry(record, key)]
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)
