"""Reads of the resources pillar: the public funding commitments (sdg87.alliance.visibility.
public_funding: published ones only) and their totals by recipient country and by theme.

Amounts in different currencies are never added together: every total is per currency. A
total in US dollars is given beside them, over the commitments stated in US dollars and
those whose donor gave a rate to US dollars *and* its source; the others are left out of it,
and the total says how many were left out and which rate sources it rests on. The platform
holds no exchange-rate table and guesses no rate.

The aggregation functions (`usd_value`, `funding_totals`, `funding_groups`,
`currency_tables`) are pure: they take commitments already read and touch no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Q, QuerySet

from sdg87.alliance import visibility
from sdg87.alliance.models import FundingCommitment, FundingStatus, FundingTheme
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    amount: Decimal
    count: int


@dataclass(frozen=True)
class UsdTotal:
    """The US-dollar total over the commitments that can be converted without guessing."""

    amount: Decimal
    counted: int  # stated in US dollars, or with a rate and its source
    left_out: int  # in another currency without a stated rate
    rate_sources: tuple[str, ...]  # the distinct sources of the rates used


@dataclass(frozen=True)
class FundingTotals:
    count: int
    by_currency: tuple[CurrencyTotal, ...]  # by currency code
    usd: UsdTotal


@dataclass(frozen=True)
class FundingGroup:
    """The commitments of one recipient country or one theme."""

    key: str  # the country's ISO3 code, or the theme's value
    label: str
    totals: FundingTotals


@dataclass(frozen=True)
class CurrencyRow:
    key: str
    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class CurrencyTable:
    """One currency: a row per group with commitments in it, and the currency's total."""

    currency: str
    rows: tuple[CurrencyRow, ...]
    total: CurrencyTotal


# --- pure aggregation ----------------------------------------------------------------------


def usd_value(commitment: FundingCommitment) -> Decimal | None:
    """The amount in US dollars: as stated when in US dollars; converted at the donor's
    stated rate when the rate and its source are both given; otherwise None."""
    if commitment.currency == "USD":
        return Decimal(commitment.amount)
    if commitment.usd_rate is None or not commitment.usd_rate_source:
        return None
    return (Decimal(commitment.amount) * Decimal(commitment.usd_rate)).quantize(
        CENT, rounding=ROUND_HALF_EVEN
    )


def funding_totals(commitments: Iterable[FundingCommitment]) -> FundingTotals:
    """Totals per currency and in US dollars (where stated or convertible) of `commitments`."""
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    usd, counted, left_out, count = Decimal(0), 0, 0, 0
    sources: set[str] = set()
    for commitment in commitments:
        count += 1
        amounts[commitment.currency] += Decimal(commitment.amount)
        counts[commitment.currency] += 1
        value = usd_value(commitment)
        if value is None:
            left_out += 1
            continue
        usd += value
        counted += 1
        if commitment.currency != "USD":
            sources.add(commitment.usd_rate_source)
    return FundingTotals(
        count=count,
        by_currency=tuple(
            CurrencyTotal(currency=code, amount=amounts[code], count=counts[code])
            for code in sorted(amounts)
        ),
        usd=UsdTotal(
            amount=usd, counted=counted, left_out=left_out, rate_sources=tuple(sorted(sources))
        ),
    )


def funding_groups(
    commitments: Iterable[FundingCommitment],
    *,
    key: Callable[[FundingCommitment], str],
    label: Callable[[FundingCommitment], str],
    order: Sequence[str] = (),
) -> list[FundingGroup]:
    """The commitments grouped by `key`, each group with its totals; in `order` (keys not in
    it after, by label), else by label."""
    members: dict[str, list[FundingCommitment]] = defaultdict(list)
    labels: dict[str, str] = {}
    for commitment in commitments:
        k = key(commitment)
        members[k].append(commitment)
        labels.setdefault(k, label(commitment))
    rank = {k: i for i, k in enumerate(order)}
    keys = sorted(members, key=lambda k: (rank.get(k, len(rank)), labels[k].casefold()))
    return [FundingGroup(key=k, label=labels[k], totals=funding_totals(members[k])) for k in keys]


def currency_tables(groups: Sequence[FundingGroup]) -> list[CurrencyTable]:
    """One table per currency: the groups with commitments in it (in the groups' order)."""
    rows: dict[str, list[CurrencyRow]] = defaultdict(list)
    for group in groups:
        for total in group.totals.by_currency:
            rows[total.currency].append(
                CurrencyRow(
                    key=group.key, label=group.label, count=total.count, amount=total.amount
                )
            )
    return [
        CurrencyTable(
            currency=code,
            rows=tuple(rows[code]),
            total=CurrencyTotal(
                currency=code,
                amount=sum((r.amount for r in rows[code]), Decimal(0)),
                count=sum(r.count for r in rows[code]),
            ),
        )
        for code in sorted(rows)
    ]


def _country_key(c: FundingCommitment) -> str:
    return str(c.recipient.iso3 or c.recipient.code)


def _country_label(c: FundingCommitment) -> str:
    return c.recipient.name


def _theme_label(c: FundingCommitment) -> str:
    return str(FundingTheme(c.theme).label) if c.theme in FundingTheme.values else c.theme


# --- reads ---------------------------------------------------------------------------------


def funding_list_public(
    *,
    countries: Sequence[str] = (),
    theme: str = "",
    stage: str = "",
    currency: str = "",
    donor: str = "",
    year: int | None = None,
) -> QuerySet[FundingCommitment]:
    """Published commitments, filtered by recipient ISO3 codes (any of them), theme, stage,
    currency, donor (its slug) and a year the commitment covers; by recipient, newest first."""
    qs = visibility.public_funding()
    codes = [c.strip().upper() for c in countries if c.strip()]
    if codes:
        qs = qs.filter(recipient__iso3__in=codes)
    if theme:
        qs = qs.filter(theme=theme)
    if stage:
        qs = qs.filter(commitment_status=stage)
    if currency:
        qs = qs.filter(currency=currency.strip().upper())
    if donor:
        qs = qs.filter(donor__slug=donor)
    if year is not None:
        qs = qs.filter(Q(start_year__lte=year) & Q(end_year__gte=year))
    return qs.order_by("recipient__name_en", "-start_year", "id")


@dataclass(frozen=True)
class FundingOverview:
    commitments: list[FundingCommitment]
    totals: FundingTotals
    by_country: list[FundingGroup]
    by_theme: list[FundingGroup]
    country_tables: list[CurrencyTable]
    theme_tables: list[CurrencyTable]


def funding_overview(*, commitments: Sequence[FundingCommitment]) -> FundingOverview:
    """The totals of `commitments` (already filtered), overall, by country and by theme."""
    by_country = funding_groups(commitments, key=_country_key, label=_country_label)
    by_theme = funding_groups(
        commitments, key=lambda c: c.theme, label=_theme_label, order=FundingTheme.values
    )
    return FundingOverview(
        commitments=list(commitments),
        totals=funding_totals(commitments),
        by_country=by_country,
        by_theme=by_theme,
        country_tables=currency_tables(by_country),
        theme_tables=currency_tables(by_theme),
    )


@dataclass(frozen=True)
class CountryFunding:
    """What the country and Pathfinder pages show as "resources committed"."""

    country: Geography
    commitments: list[FundingCommitment]
    totals: FundingTotals

    @property
    def by_stage(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for c in self.commitments:
            counts[c.commitment_status] += 1
        return [(str(label), counts[v]) for v, label in FundingStatus.choices if counts[v]]


def funding_for_country(*, country: Geography) -> CountryFunding:
    """The published commitments to `country` and their totals."""
    commitments = list(
        visibility.public_funding().filter(recipient=country).order_by("-start_year", "id")
    )
    return CountryFunding(
        country=country, commitments=commitments, totals=funding_totals(commitments)
    )


@dataclass(frozen=True)
class FundingFacets:
    countries: list[Geography]
    donors: list[Organisation]
    currencies: list[str]


def funding_facets() -> FundingFacets:
    """The choices of the public page's filters: what published commitments use."""
    public = visibility.public_funding()
    return FundingFacets(
        countries=sorted(
            Geography.objects.filter(pk__in=public.values("recipient_id")),
            key=lambda g: g.name.casefold(),
        ),
        donors=list(Organisation.objects.filter(pk__in=public.values("donor_id")).order_by("name")),
        currencies=sorted(set(public.values_list("currency", flat=True))),
    )
