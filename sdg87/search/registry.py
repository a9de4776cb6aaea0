"""Which kinds of content the index holds, and how each becomes a document.

Each capability registers its own content: a module named in `settings.SDG87_SEARCH_SOURCES`
defines `SOURCES`, a list of `Source`. A source says which rows make documents (`rows`), how
one row becomes a `DocumentData` (`build`; None when the row has nothing to show), and which
saved models change its documents (`watches`: model -> the ids of this kind it touches), so
that sdg87.search.signals refreshes them on commit.

A source decides visibility with its own app's rule (a dataset's with the catalog's
selectors, a publication's with the library's), written into the document; the search
never decides it a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.functional import Promise

from sdg87.search.types import KINDS

WEIGHTS = ("title", "body")


@dataclass
class Text:
    """A piece of text to index, in its language, in the title or the body."""

    text: str
    lang: str = "en"
    weight: str = "body"


@dataclass
class DocumentData:
    kind: str
    object_id: str
    heading: str
    path: str
    summary: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    language: str = ""
    date: date | None = None
    year: int | None = None
    meta: list[str] = field(default_factory=list)
    public: bool = True
    visible_from: datetime | None = None
    audience_org_id: int | None = None
    texts: list[Text] = field(default_factory=list)
    # facet -> values (theme codes, ISO3/region codes, organisation slugs, formats ...)
    facets: dict[str, list[str]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # exact names for the top result card
    boost: float = 1.0


Watch = tuple[type[models.Model], Callable[[Any], Iterable[Any]]]


@dataclass(frozen=True)
class Source:
    kind: str
    label: str | Promise
    rows: Callable[[], Iterable[Any]]
    build: Callable[[Any], DocumentData | None]
    get: Callable[[str], Any | None]  # the row of an object id, or None when it is gone
    watches: tuple[Watch, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"search source kind {self.kind!r} is not in types.KINDS")


@cache
def sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for name in settings.SDG87_SEARCH_SOURCES:
        for source in import_module(name).SOURCES:
            if source.kind in found:
                raise ValueError(f"two search sources for kind {source.kind!r}")
            found[source.kind] = source
    return {kind: found[kind] for kind in KINDS if kind in found}


def source_for(kind: str) -> Source | None:
    return sources().get(kind)
