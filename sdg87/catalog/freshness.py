"""Freshness of a dataset from its update frequency, after HDX's rules (pure, no ORM).

HDX calls monthly data *due* 30 days after its last update, *overdue* at 44 days and
*delinquent* at 60 days. We scale those three thresholds proportionally to the length of
each frequency's period: due = period, overdue = period x 44/30, delinquent = period x 2.

| frequency    | period (days) | due at | overdue at | delinquent at |
|--------------|--------------:|-------:|-----------:|--------------:|
| daily        | 1             | 1      | 1          | 2             |
| weekly       | 7             | 7      | 10         | 14            |
| biweekly     | 14            | 14     | 21         | 28            |
| monthly      | 30            | 30     | 44         | 60            |
| quarterly    | 91            | 91     | 133        | 182           |
| semiannual   | 182           | 182    | 267        | 364           |
| annual       | 365           | 365    | 535        | 730           |
| biennial     | 730           | 730    | 1071       | 1460          |
| triennial    | 1095          | 1095   | 1606       | 2190          |
| quadrennial  | 1461          | 1461   | 2143       | 2922          |
| quinquennial | 1826          | 1826   | 2678       | 3652          |

(overdue days are rounded to the nearest whole day). `irregular` has no schedule, so it is
`unscheduled` and never nags.

Two kinds of dataset are not waiting for an update at all, however old, and are never due,
overdue or delinquent (HDX's rules are for live data):

- `superseded`: a newer edition of the same report is published (`Dataset.superseded_by`,
  e.g. the ILO's 2010 and 2013 global estimates of child labour after the 2021 and 2025
  editions). Its badge says "Superseded" and links the newer edition.
- `historical`: frequency `never`, a closed, one-off or historical dataset (a compilation
  that ended, a report that will not be repeated). It used to count as `fresh`, which
  presented a 2015 compilation as current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

PERIOD_DAYS: dict[str, int] = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "monthly": 30,
    "quarterly": 91,
    "semiannual": 182,
    "annual": 365,
    "biennial": 730,
    "triennial": 1095,
    "quadrennial": 1461,
    "quinquennial": 1826,
}
#: Frequencies of closed datasets: historical, never waiting for an update.
NOT_UPDATED = {"never"}


class Freshness(StrEnum):
    FRESH = "fresh"
    DUE = "due"
    OVERDUE = "overdue"
    DELINQUENT = "delinquent"
    UNSCHEDULED = "unscheduled"
    SUPERSEDED = "superseded"
    HISTORICAL = "historical"


FRESHNESS_LABELS = {
    Freshness.FRESH: _("Fresh"),
    Freshness.DUE: _("Update due"),
    Freshness.OVERDUE: _("Overdue"),
    Freshness.DELINQUENT: _("Delinquent"),
    Freshness.UNSCHEDULED: _("No update schedule"),
    Freshness.SUPERSEDED: _("Superseded"),
    Freshness.HISTORICAL: _("Historical (not updated)"),
}
NEEDS_UPDATE = (Freshness.DUE, Freshness.OVERDUE, Freshness.DELINQUENT)


@dataclass(frozen=True)
class Thresholds:
    due: timedelta
    overdue: timedelta
    delinquent: timedelta


def thresholds_for(frequency: str) -> Thresholds | None:
    """The due/overdue/delinquent ages for a frequency, or None when it has no schedule."""
    period = PERIOD_DAYS.get(frequency)
    if period is None:
        return None
    return Thresholds(
        due=timedelta(days=period),
        overdue=timedelta(days=round(period * 44 / 30)),
        delinquent=timedelta(days=period * 2),
    )


def freshness_of(
    *, frequency: str, last_updated: datetime | None, now: datetime, superseded: bool = False
) -> Freshness:
    """Classify data last updated at `last_updated` (None = never) as seen at `now`; a
    `superseded` edition (a newer one is published) is never waiting for an update."""
    if superseded:
        return Freshness.SUPERSEDED
    if frequency in NOT_UPDATED:
        return Freshness.HISTORICAL
    limits = thresholds_for(frequency)
    if limits is None:
        return Freshness.UNSCHEDULED
    if last_updated is None:
        return Freshness.DELINQUENT
    age = now - last_updated
    if age >= limits.delinquent:
        return Freshness.DELINQUENT
    if age >= limits.overdue:
        return Freshness.OVERDUE
    if age >= limits.due:
        return Freshness.DUE
    return Freshness.FRESH
