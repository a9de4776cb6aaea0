"""Data gaps: which key series a country lacks, or has only old data for. Pure.

"Old" is the site's one rule for old values (`sdg87.core.ages`): a value five or more years
before the current year is old, so the gaps panel and the "N years old" labels agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sdg87.core import ages

MAX_AGE_YEARS = ages.OLD_AFTER_YEARS

MISSING = "missing"
OLD = "old"
RECENT = "recent"


@dataclass(frozen=True)
class GapItem:
    code: str
    latest_year: int | None
    status: str  # MISSING | OLD | RECENT

    @property
    def is_gap(self) -> bool:
        return self.status != RECENT


@dataclass(frozen=True)
class GapReport:
    items: list[GapItem]
    recent: int
    total: int

    @property
    def availability_percent(self) -> int:
        """Share of key series with data from the last five years, rounded to a whole %."""
        if not self.total:
            return 0
        return round(100 * self.recent / self.total)

    @property
    def gaps(self) -> list[GapItem]:
        return [item for item in self.items if item.is_gap]


def data_gaps(
    *,
    key_codes: Sequence[str],
    latest_years: Mapping[str, int | None],
    current_year: int,
) -> GapReport:
    """Classify each key series: missing, old (`sdg87.core.ages.is_old` in `current_year`:
    five or more years before it) or recent; availability counts only the recent ones."""
    today = dt.date(current_year, 1, 1)
    items = []
    for code in key_codes:
        year = latest_years.get(code)
        if year is None:
            status = MISSING
        elif ages.is_old(year, today):
            status = OLD
        else:
            status = RECENT
        items.append(GapItem(code=code, latest_year=year, status=status))
    recent = sum(1 for item in items if item.status == RECENT)
    return GapReport(items=items, recent=recent, total=len(items))
