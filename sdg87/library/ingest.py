"""Pure parsers of the bundled library tables (no ORM): data/library/publications.csv and
data/library/evaluations.csv become `RecordSpec`s that the loader writes through
sdg87.library.services.bundled. See data/PROVENANCE.md section 11 and
data/library/PROVENANCE-evidence.md for what the columns mean.

Rules applied here, so that no page has to know them:
- a row not marked `verified` becomes a record with `verified=False` (an editor's draft,
  never published);
- a link is the publisher's page only when it is on one of its publishers' own domains
  (`on_publisher_domain`); any other link is a copy (`copy_url`), never shown as the source;
- an evaluation row that says "Already in publications.csv as <id>" codes that publication
  instead of making a second record of the same work;
- editions: rows whose ids differ only by a final `-en`/`-fr`/`-es` share a `work` key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sdg87.core.ingest import ParseError, read_rows
from sdg87.library.publications import on_publisher_domain
from sdg87.library.resource_types import ALIASES, ResourceType
from sdg87.library.vocabulary import Direction, Intervention, Outcome, StudyDesign

_EDITION_SUFFIX = re.compile(r"-(en|fr|es)$")
_ALREADY = re.compile(r"Already in publications\.csv as ([a-z0-9-]+)")
_PAREN = re.compile(r"\s*\([^)]*\)")
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class CreatorSpec:
    family: str = ""
    given: str = ""
    name: str = ""  # an organisation


@dataclass(frozen=True)
class CodingSpec:
    intervention: str
    outcome: str
    design: str
    direction: str
    finding_quote: str


@dataclass
class RecordSpec:
    slug: str
    title: str
    resource_type: str
    verified: bool
    year: int | None = None
    issued: date | None = None
    publisher_name: str = ""
    container_title: str = ""
    language: str = "en"
    work: str = ""
    abstract: str = ""
    creators: list[CreatorSpec] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    doi: str = ""
    isbns: list[str] = field(default_factory=list)
    handle: str = ""
    url: str = ""
    copy_url: str = ""
    notes: str = ""
    source_urls: list[str] = field(default_factory=list)
    codings: list[CodingSpec] = field(default_factory=list)


def split_outside_parentheses(text: str, sep: str = ";") -> list[str]:
    """`text` split at `sep`, except inside parentheses; parts stripped, empty ones dropped."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == sep and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_creators(text: str) -> list[CreatorSpec]:
    """ "Surname, Given; …" into persons; a part with no comma, or whose part before the comma
    is longer than three words ("U.S. Department of Labor, Clearinghouse …"), is an
    organisation. Parenthesised affiliations of persons are dropped; "et al." is dropped."""
    out = []
    for part in split_outside_parentheses(text):
        if part.rstrip(".").lower() == "et al":
            continue
        family, comma, given = part.partition(",")
        if comma and len(family.split()) <= 3 and given.strip():
            out.append(CreatorSpec(family=family.strip(), given=_PAREN.sub("", given).strip()))
        else:
            out.append(CreatorSpec(name=part))
    return out


def identifiers(text: str) -> tuple[str, list[str], str, str]:
    """(DOI, ISBNs, handle, other URL) from a cell such as "doi:10.1002/cl2.1116",
    "ISBN 978-92-2-130152-3 (print); ISBN 978-92-2-130153-0 (web pdf)" or a landing URL."""
    doi, isbns, handle, url = "", [], "", ""
    for part in (p.strip() for p in text.split(";")):
        lowered = part.lower()
        if lowered.startswith("doi:"):
            doi = part[4:].strip()
        elif lowered.startswith(("https://doi.org/", "http://doi.org/", "http://dx.doi.org/")):
            doi = part.split("doi.org/", 1)[1]
        elif part.upper().startswith("ISBN"):
            isbns.append(part[4:].strip())
        elif "hdl.handle.net/" in lowered:
            handle = part.split("hdl.handle.net/", 1)[1]
        elif lowered.startswith(("http://", "https://")) and not url:
            url = part
    return doi, isbns, handle, url


def _year(text: str, *, row: int, column: str) -> int | None:
    if not text:
        return None
    if not (text.isdigit() and 1800 <= int(text) <= 2100):
        raise ParseError(f"not a year: {text!r}", row=row, column=column)
    return int(text)


def _date(text: str, *, row: int, column: str) -> date | None:
    """A full date; a year and month alone ("2013-10") is not a date and is left out."""
    if not text or re.fullmatch(r"\d{4}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParseError(f"not a date (YYYY-MM-DD): {text!r}", row=row, column=column) from None


def _countries(text: str, *, row: int) -> list[str]:
    codes = [c.strip() for c in text.split(";") if c.strip()]
    for code in codes:
        if not _ISO3.match(code):
            raise ParseError(f"not an ISO 3166 alpha-3 code: {code!r}", row=row, column="countries")
    return codes


def _title(row: dict[str, str], key: str, *, number: int) -> str:
    """The title; an unverified draft without one is named by its id for editors."""
    if row["title"]:
        return row["title"]
    if row["verification_status"] == "verified":
        raise ParseError("a verified row needs a title", row=number, column="title")
    return f"[{row[key]}]"


def _choice(value: str, allowed: list[str], *, row: int, column: str) -> str:
    if value not in allowed:
        raise ParseError(f"{value!r} is not one of {', '.join(allowed)}", row=row, column=column)
    return value


def _links(found: list[str], publishers: list[str], url: str = "") -> tuple[str, str]:
    """(the publisher's page, a copy found elsewhere): the first link on a publisher's own
    domain is its page; otherwise the first link is only a copy."""
    if url and on_publisher_domain(url, tuple(publishers)):
        return url, ""
    for link in found:
        if on_publisher_domain(link, tuple(publishers)):
            return link, ""
    candidates = [u for u in (url, *found) if u]
    return "", candidates[0] if candidates else ""


def parse_publications(text: str) -> list[RecordSpec]:
    """Every row of publications.csv (unverified ones with `verified=False`)."""
    rows = list(
        read_rows(
            text,
            required=("pub_id", "title", "publication_type", "language", "verification_status"),
        )
    )
    ids = {row["pub_id"] for _n, row in rows}
    out = []
    for number, row in rows:
        kind = ALIASES.get(row["publication_type"], row["publication_type"])
        _choice(kind, list(ResourceType.values), row=number, column="publication_type")
        publishers = [p.strip() for p in row.get("publisher", "").split(";") if p.strip()]
        doi, isbns, handle, other = identifiers(row.get("isbn_or_doi", ""))
        found = [u.strip() for u in row.get("source_url", "").split(";") if u.strip()]
        url, copy_url = _links(found, publishers, row.get("url", "") or other)
        if doi or url:
            copy_url = ""
        base = _EDITION_SUFFIX.sub("", row["pub_id"])
        siblings = [f"{base}-{lang}" for lang in ("en", "fr", "es")]
        creators = parse_creators(row.get("authors", "")) or [
            CreatorSpec(name=name) for name in publishers
        ]
        out.append(
            RecordSpec(
                slug=row["pub_id"],
                title=_title(row, "pub_id", number=number),
                resource_type=kind,
                verified=row["verification_status"] == "verified",
                year=_year(row.get("year", ""), row=number, column="year"),
                issued=_date(row.get("release_date", ""), row=number, column="release_date"),
                publisher_name="; ".join(publishers),
                language=row["language"][:2],
                work=base if sum(s in ids for s in siblings) > 1 else "",
                abstract=row.get("summary", ""),
                creators=creators,
                themes=[t for t in row.get("themes", "").split(";") if t],
                countries=_countries(row.get("countries", ""), row=number),
                doi=doi,
                isbns=isbns,
                handle=handle,
                url=url,
                copy_url=copy_url,
                notes=row.get("notes", ""),
                source_urls=found,
            )
        )
    return out


# Themes of a study, from what it is about: its outcome, its intervention, and words of its
# title (a derived coding, documented in data/PROVENANCE.md section 11).
_OUTCOME_THEMES: dict[str, str] = {
    Outcome.CHILD_LABOUR_INCIDENCE: "child_labour",
    Outcome.HAZARDOUS_WORK: "child_labour",
    Outcome.SCHOOL_ATTENDANCE: "education",
    Outcome.FORCED_LABOUR_INCIDENCE: "forced_labour",
    Outcome.TRAFFICKING_VICTIMS_IDENTIFIED: "human_trafficking",
}
_INTERVENTION_THEMES: dict[str, str] = {
    Intervention.CASH_TRANSFERS: "social_protection",
    Intervention.SOCIAL_PROTECTION_OTHER: "social_protection",
    Intervention.SCHOOL_FEEDING_AND_EDUCATION: "education",
    Intervention.SUPPLY_CHAIN_DUE_DILIGENCE_AND_CERTIFICATION: "supply_chains",
    Intervention.MIGRATION_AND_RECRUITMENT: "migration",
    Intervention.LEGAL_AND_POLICY_REFORM: "rule_of_law",
    Intervention.LABOUR_INSPECTION_AND_ENFORCEMENT: "rule_of_law",
}
# (words, theme): a text is about a theme when it contains the words (lower case).
THEME_WORDS: tuple[tuple[str, str], ...] = (
    ("child lab", "child_labour"),
    ("child work", "child_labour"),
    ("forced lab", "forced_labour"),
    ("bonded", "forced_labour"),
    ("traffick", "human_trafficking"),
    ("slavery", "modern_slavery"),
    ("marriage", "forced_marriage"),
    ("supply chain", "supply_chains"),
    ("global estimates", "measurement"),
)


def themes_in(text: str) -> set[str]:
    """The themes whose words `text` contains."""
    lowered = text.lower()
    return {theme for words, theme in THEME_WORDS if words in lowered}


def study_themes(*, title: str, intervention: str, outcome: str) -> list[str]:
    themes = [_OUTCOME_THEMES.get(outcome, ""), _INTERVENTION_THEMES.get(intervention, "")]
    themes += themes_in(title)
    return sorted({t for t in themes if t})


def parse_evaluations(text: str) -> tuple[list[RecordSpec], dict[str, CodingSpec]]:
    """(new records, codings of records already in publications.csv by their id)."""
    out, codings_of_existing = [], {}
    required = (
        "study_id",
        "title",
        "publication_type",
        "intervention_category",
        "outcome_category",
        "study_design",
        "direction_of_effect",
        "verification_status",
    )
    for number, row in read_rows(text, required=required):
        coding = CodingSpec(
            intervention=_choice(
                row["intervention_category"],
                list(Intervention.values),
                row=number,
                column="intervention_category",
            ),
            outcome=_choice(
                row["outcome_category"], list(Outcome.values), row=number, column="outcome_category"
            ),
            design=_choice(
                row["study_design"], list(StudyDesign.values), row=number, column="study_design"
            ),
            direction=_choice(
                row["direction_of_effect"],
                list(Direction.values),
                row=number,
                column="direction_of_effect",
            ),
            finding_quote=row.get("finding_quote", ""),
        )
        notes = row.get("notes", "")
        already = _ALREADY.search(notes)
        if already:
            codings_of_existing[already.group(1)] = coding
            continue
        kind = _choice(
            row["publication_type"],
            list(ResourceType.values),
            row=number,
            column="publication_type",
        )
        publisher = row.get("publisher_or_journal", "")
        doi, isbns, handle, other = identifiers(row.get("doi_or_url", ""))
        found = [u.strip() for u in row.get("source_url", "").split(";") if u.strip()]
        url, copy_url = _links(found, [publisher], other)
        if doi or url or handle:
            copy_url = copy_url if not (doi or url) else ""
        journal = kind == ResourceType.RESEARCH_ARTICLE or bool(doi and re.search(r"\d", publisher))
        out.append(
            RecordSpec(
                slug=row["study_id"],
                title=_title(row, "study_id", number=number),
                resource_type=kind,
                verified=row["verification_status"] == "verified",
                year=_year(row.get("year", ""), row=number, column="year"),
                publisher_name="" if journal else publisher,
                container_title=publisher if journal else "",
                creators=parse_creators(row.get("authors", "")),
                themes=study_themes(
                    title=row["title"], intervention=coding.intervention, outcome=coding.outcome
                ),
                countries=_countries(row.get("countries", ""), row=number),
                doi=doi,
                isbns=isbns,
                handle=handle,
                url=url,
                copy_url=copy_url,
                notes=notes,
                source_urls=found,
                codings=[coding],
            )
        )
    return out, codings_of_existing
