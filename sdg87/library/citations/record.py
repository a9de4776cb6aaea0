"""What a citation is made of, independent of the database: `CitationRecord`.

The adapters in `records.py` build records from publications and datasets; every writer in
this package (CSL-JSON, BibTeX, BibLaTeX, RIS, CSV, formatted styles, Highwire meta tags,
JSON-LD) reads only records, so they are pure and tested without the ORM.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sdg87.library.resource_types import DATASET, TypeMapping, type_mapping


@dataclass(frozen=True)
class Person:
    family: str
    given: str = ""
    orcid: str = ""

    @property
    def display(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Organisation:
    """An organisation as author: always cited by its literal name, never split into
    family and given names. `short` (an acronym) is used only for citation keys."""

    name: str
    short: str = ""

    @property
    def display(self) -> str:
        return self.name


Creator = Person | Organisation


@dataclass(frozen=True)
class Issued:
    year: int
    month: int | None = None
    day: int | None = None

    def parts(self) -> list[int]:
        out = [self.year]
        if self.month:
            out.append(self.month)
            if self.day:
                out.append(self.day)
        return out

    def iso(self) -> str:
        """2017, 2017-09 or 2017-09-19."""
        return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(self.parts()))


@dataclass(frozen=True)
class CitationRecord:
    """One citable thing. `kind` is "publication" or "dataset" (which export URLs it has);
    `type` a resource type code of `sdg87.library.resource_types` (or "dataset"). `url` is
    the address cited (the publisher's page, else the DOI's resolver, else the platform's
    page); `page_url` the platform's own page for it."""

    type: str
    title: str
    slug: str = ""
    kind: str = "publication"
    creators: tuple[Creator, ...] = ()
    issued: Issued | None = None
    publisher: str = ""
    publisher_place: str = ""
    container_title: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    number: str = ""
    doi: str = ""
    isbns: tuple[str, ...] = ()
    url: str = ""
    page_url: str = ""
    pdf_url: str = ""
    language: str = ""
    accessed: date | None = None
    version: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def mapping(self) -> TypeMapping:
        return type_mapping(self.type, in_journal=self.in_journal)

    @property
    def in_journal(self) -> bool:
        """A journal is named, with a volume or pages (a series name alone is not a journal)."""
        return bool(self.container_title and (self.volume or self.pages or self.issue))

    @property
    def is_dataset(self) -> bool:
        return self.type == DATASET

    @property
    def persons(self) -> list[Person]:
        return [c for c in self.creators if isinstance(c, Person)]

    @property
    def organisations(self) -> list[Organisation]:
        return [c for c in self.creators if isinstance(c, Organisation)]

    @property
    def institution(self) -> str:
        """Who issued a report: the publisher, else the first organisation author."""
        if self.publisher:
            return self.publisher
        orgs = self.organisations
        return orgs[0].name if orgs else ""

    @property
    def first_page(self) -> str:
        return re.split(r"[-\u2013]", self.pages, maxsplit=1)[0].strip() if self.pages else ""

    @property
    def last_page(self) -> str:
        parts = re.split(r"[-\u2013]", self.pages, maxsplit=1) if self.pages else []
        return parts[1].strip() if len(parts) == 2 else ""


# "World Bank Research Observer 29(2):202-234", "World Development 152, 105768",
# "Journal of Health Economics 39:51-59", "PLOS ONE 15(9):e0238778"
_CONTAINER_RE = re.compile(
    r"^(?P<title>.*?\D)\s+(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?"
    r"\s*[:,]\s*(?P<pages>\w+(?:[-\u2013]\w+)?)$"
)


@dataclass(frozen=True)
class Container:
    title: str
    volume: str = ""
    issue: str = ""
    pages: str = ""


def split_container(text: str) -> Container:
    """A journal reference as printed ("Journal 29(2):202-234") split into journal title,
    volume, issue and pages; anything else is returned whole as the title."""
    text = " ".join(text.split())
    match = _CONTAINER_RE.match(text)
    if not match:
        return Container(text)
    return Container(
        match["title"].strip().rstrip(","),
        match["volume"],
        match["issue"] or "",
        match["pages"].replace("\u2013", "-"),
    )


_STOPWORD_TEXT = (
    "a an and the of on in for to at by with from as "  # English
    "le la les l un une des du de d et en au aux pour sur "  # French
    "el los las lo una unos unas del y e para por con al"  # Spanish
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", _ascii(text))


def _author_part(creator: Creator | None) -> str:
    if creator is None:
        return "anon"
    if isinstance(creator, Person):
        return "".join(_words(creator.family)).lower() or "anon"
    if creator.short:
        return "".join(_words(creator.short)).lower()
    # "of", "the", "de" ... are not initialled; a lone capital ("A & B") is
    words = [
        w
        for w in _words(creator.name)
        if w.lower() not in _STOPWORDS or (len(w) == 1 and w.isupper())
    ]
    if len(words) == 1:
        return words[0].lower()
    return "".join(w[0] for w in words if w[0].isalpha()).lower() or "anon"


def citation_key(record: CitationRecord) -> str:
    """A stable key: first author (an organisation by its acronym or initials), year and
    the title's first significant word, e.g. `ilo2017global`, `edmonds2012cash`."""
    creator = record.creators[0] if record.creators else None
    if creator is None and record.publisher:
        creator = Organisation(record.publisher)
    year = str(record.issued.year) if record.issued else "nd"
    title_words = [w.lower() for w in _words(record.title)]
    word = next((w for w in title_words if w not in _STOPWORDS and not w.isdigit()), "")
    return f"{_author_part(creator)}{year}{word}"


def unique_keys(records: list[CitationRecord]) -> list[str]:
    """`citation_key` for each record; repeated keys get a, b, c ... (all of them, in order),
    so a bulk file never has two entries with one key."""
    keys = [citation_key(r) for r in records]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        if counts[key] == 1:
            out.append(key)
            continue
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append(key + _suffix(n))
    return out


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters
