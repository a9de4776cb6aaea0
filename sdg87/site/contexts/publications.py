"""The publications page: the verified bibliography, filtered by theme and language."""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.library.publications import (
    Publication,
    publication_kind_labels,
    publication_theme_labels,
)
from sdg87.library.selectors import publication_filtered
from sdg87.site.contexts.base import PageContext


@dataclass(frozen=True)
class PublicationIndexContext(PageContext):
    publications: list[Publication]
    themes: dict[str, str]
    theme: str
    language: str
    kinds: dict[str, str]


def publication_index_context(*, theme: str, language: str) -> PublicationIndexContext:
    themes = publication_theme_labels()
    return PublicationIndexContext(
        publications=publication_filtered(theme=theme, language=language),
        themes=themes,
        theme=theme if theme in themes else "",
        language=language,
        kinds=publication_kind_labels(),
    )
