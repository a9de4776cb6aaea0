"""API v1 `funding`: the schemas of the published funding commitments and their totals, and
the functions that shape sdg87.alliance.funding_selectors' rows into them.

Amounts are decimal strings (exact, as entered: "2500000.00"), always with their currency.
Totals are per currency; `usd` is the US-dollar total over the commitments stated in US
dollars or with a rate given by their donor together with its source, and says how many
commitments it leaves out. The platform guesses no exchange rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from ninja import Field, Schema

from sdg87.alliance.funding_selectors import (
    FundingGroup,
    FundingTotals,
    funding_overview,
    usd_value,
)
from sdg87.alliance.models import FundingCommitment, FundingStatus, FundingTheme
from sdg87.api.schemas import Lang

AMOUNT = 'A decimal number as a string, exact (e.g. "2500000.00").'


class FundingFilters(Schema):
    country: list[str] | None = Field(
        None, description="Recipient country ISO3 code. Repeatable or comma-separated."
    )
    theme: FundingTheme | None = Field(None, description="What the funding is against.")
    stage: FundingStatus | None = Field(None, description="pledged, committed, disbursed, …")
    currency: str | None = Field(None, min_length=3, max_length=3, description="ISO 4217 code.")
    donor: str | None = Field(None, max_length=80, description="The donor organisation's slug.")
    year: int | None = Field(None, ge=1900, le=2200, description="A year the commitment covers.")
    lang: Lang = "en"


class CurrencyTotalOut(Schema):
    currency: str
    amount: str = Field(description=AMOUNT)
    count: int


class UsdTotalOut(Schema):
    amount: str = Field(description=AMOUNT + " Over `counted` commitments only.")
    counted: int = Field(description="Commitments in US dollars or with a stated rate.")
    left_out: int = Field(description="Commitments in another currency without a stated rate.")
    rate_sources: list[str] = Field(description="Where the rates used come from (the donors').")


class TotalsOut(Schema):
    count: int
    by_currency: list[CurrencyTotalOut] = Field(
        description="One total per currency; amounts in different currencies are never added."
    )
    usd: UsdTotalOut


class FundingGroupOut(Schema):
    key: str = Field(description="The country's ISO3 code, or the theme.")
    label: str
    totals: TotalsOut


class DonorRef(Schema):
    slug: str
    name: str


class CountryRef(Schema):
    iso3: str
    name: str


class FundingCommitmentOut(Schema):
    id: int
    donor: DonorRef
    recipient: CountryRef
    programme: str
    amount: str = Field(description=AMOUNT)
    currency: str = Field(description="ISO 4217 code.")
    usd_rate: str | None = Field(description="US dollars per unit, as the donor stated it.")
    usd_rate_source: str = Field(description="Where the rate comes from (empty without rate).")
    amount_usd: str | None = Field(
        description="In US dollars: as stated, or at the donor's rate; null without a rate."
    )
    start_year: int
    end_year: int
    theme: str
    theme_label: str
    stage: str
    stage_label: str
    source_url: str = Field(description="The document that states the commitment.")


class FundingList(Schema):
    count: int
    totals: TotalsOut
    by_country: list[FundingGroupOut]
    by_theme: list[FundingGroupOut]
    results: list[FundingCommitmentOut]


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _rate(value: Decimal | None) -> str | None:
    return format(Decimal(value).normalize(), "f") if value is not None else None


def totals_out(t: FundingTotals) -> dict[str, Any]:
    return {
        "count": t.count,
        "by_currency": [
            {"currency": c.currency, "amount": _amount(c.amount), "count": c.count}
            for c in t.by_currency
        ],
        "usd": {
            "amount": _amount(t.usd.amount),
            "counted": t.usd.counted,
            "left_out": t.usd.left_out,
            "rate_sources": list(t.usd.rate_sources),
        },
    }


def group_out(g: FundingGroup) -> dict[str, Any]:
    return {"key": g.key, "label": g.label, "totals": totals_out(g.totals)}


def commitment_out(c: FundingCommitment) -> dict[str, Any]:
    usd = usd_value(c)
    return {
        "id": c.pk,
        "donor": {"slug": c.donor.slug, "name": c.donor.name},
        "recipient": {"iso3": c.recipient.iso3 or c.recipient.code, "name": c.recipient.name},
        "programme": c.programme,
        "amount": _amount(c.amount),
        "currency": c.currency,
        "usd_rate": _rate(c.usd_rate),
        "usd_rate_source": c.usd_rate_source,
        "amount_usd": _amount(usd) if usd is not None else None,
        "start_year": c.start_year,
        "end_year": c.end_year,
        "theme": c.theme,
        "theme_label": str(c.get_theme_display()),
        "stage": c.commitment_status,
        "stage_label": str(c.get_commitment_status_display()),
        "source_url": c.source_url,
    }


def funding_list_out(commitments: Sequence[FundingCommitment], *, lang: str) -> dict[str, Any]:
    """The commitments with their totals, overall, by country and by theme; labels in `lang`."""
    with translation.override(lang):
        overview = funding_overview(commitments=commitments)
        return {
            "count": overview.totals.count,
            "totals": totals_out(overview.totals),
            "by_country": [group_out(g) for g in overview.by_country],
            "by_theme": [group_out(g) for g in overview.by_theme],
            "results": [commitment_out(c) for c in overview.commitments],
        }
