"""What every page context shares: the typed base and the API links of the pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import get_language

from sdg87.indicators.models import Observation, Release, release_rank


@dataclass(frozen=True)
class PageContext:
    """A page's typed context. `as_context()` gives the template one variable per field; the
    entries of a `charts` field (chart specs and their tables) become variables of their own."""

    def as_context(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        charts = out.pop("charts", None) or {}
        return {**out, **charts}


def api_url(params: list[tuple[str, str]]) -> str:
    """An API query for exactly the data a page shows, with names in the page language."""
    lang = (get_language() or "en")[:2]
    if lang != "en":
        params = [*params, ("lang", lang)]
    return "/api/v1/observations?" + urlencode(params)


def releases_of(*groups: Iterable[Observation]) -> list[Release]:
    """The distinct releases behind the observations shown, newest first (`release_rank`)."""
    seen: dict[int, Release] = {}
    for group in groups:
        for obs in group:
            seen.setdefault(obs.release_id, obs.release)
    return sorted(
        seen.values(), key=lambda r: release_rank(r.year, r.released_on, r.pk), reverse=True
    )
