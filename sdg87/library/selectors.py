"""Reads of the library: publications by theme and language."""

from __future__ import annotations

from sdg87.library.publications import Publication, publication_list


def publication_filtered(*, theme: str = "", language: str = "") -> list[Publication]:
    """Verified publications, newest first, with `theme` among their themes and in
    `language` (each filter ignored when empty)."""
    return [
        p
        for p in publication_list()
        if (not theme or theme in p.themes) and (not language or p.language == language)
    ]
