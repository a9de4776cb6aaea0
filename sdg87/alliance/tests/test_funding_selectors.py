"""The resources pillar's reads: totals per currency (never added across currencies), a US
dollar total only over amounts in dollars or with a stated rate and its source (saying how
many were left out and citing the rates' sources), and only published commitments counted.
Expected figures are worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sdg87.alliance import funding_selectors as sel
from sdg87.alliance.models import FundingCommitment
from sdg87.alliance.services import funding
from sdg87.alliance.tests.funding_fixtures import *  # noqa: F403
from sdg87.alliance.tests.funding_fixtures import enter, published

pytestmark = pytest.mark.django_db

ECB = "ECB euro reference rate, 2 January 2024"
BOU = "Bank of Uganda mid rate, 31 December 2024"


def _row(**kw: Any) -> FundingCommitment:
    """An unsaved commitment for the pure functions."""
    values: dict[str, Any] = {
        "amount": Decimal("1"),
        "currency": "EUR",
        "usd_rate": None,
        "usd_rate_source": "",
        "theme": "child_labour",
        "commitment_status": "committed",
    }
    values.update(kw)
    return FundingCommitment(**values)


def test_usd_value_needs_a_rate_and_its_source() -> None:
    assert sel.usd_value(_row(amount=Decimal("250"), currency="USD")) == Decimal("250")
    # 1,000,000 EUR x 1.0845 = 1,084,500.00 USD
    assert sel.usd_value(
        _row(amount=Decimal("1000000"), usd_rate=Decimal("1.0845"), usd_rate_source=ECB)
    ) == Decimal("1084500.00")
    assert sel.usd_value(_row(amount=Decimal("1000000"))) is None
    # a rate without a source (not accepted by the services) is not used either
    assert sel.usd_value(_row(amount=Decimal("5"), usd_rate=Decimal("1.1"))) is None
    # 3,700,001 UGX x 0.00027 = 999.00027 -> 999.00 (to the cent)
    assert sel.usd_value(
        _row(
            amount=Decimal("3700001"),
            currency="UGX",
            usd_rate=Decimal("0.00027"),
            usd_rate_source=BOU,
        )
    ) == Decimal("999.00")


def test_totals_per_currency_are_never_added_across_currencies() -> None:
    rows = [
        _row(amount=Decimal("1000000"), usd_rate=Decimal("1.0845"), usd_rate_source=ECB),
        _row(amount=Decimal("500000.50")),  # EUR, no rate: left out of the USD total
        _row(amount=Decimal("250000"), currency="USD"),
        _row(
            amount=Decimal("370000000"),
            currency="UGX",
            usd_rate=Decimal("0.00027"),
            usd_rate_source=BOU,
        ),
        _row(amount=Decimal("40000000"), currency="NPR"),  # no rate: left out
    ]
    totals = sel.funding_totals(rows)
    assert totals.count == 5
    # EUR: 1,000,000 + 500,000.50 = 1,500,000.50 (2); NPR 40,000,000 (1); UGX 370,000,000
    # (1); USD 250,000 (1); in code order.
    assert [(t.currency, t.amount, t.count) for t in totals.by_currency] == [
        ("EUR", Decimal("1500000.50"), 2),
        ("NPR", Decimal("40000000"), 1),
        ("UGX", Decimal("370000000"), 1),
        ("USD", Decimal("250000"), 1),
    ]
    # USD: 1,084,500.00 (EUR at 1.0845) + 250,000 + 99,900.00 (UGX at 0.00027) = 1,434,400.00
    assert totals.usd.amount == Decimal("1434400.00")
    assert (totals.usd.counted, totals.usd.left_out) == (3, 2)
    assert totals.usd.rate_sources == (BOU, ECB)


def test_empty_totals() -> None:
    totals = sel.funding_totals([])
    assert totals.count == 0 and totals.by_currency == ()
    assert (totals.usd.amount, totals.usd.counted, totals.usd.left_out) == (Decimal(0), 0, 0)


def test_currency_tables_have_one_table_per_currency() -> None:
    """Groups by theme, then one table per currency listing the groups that use it."""
    rows = [
        _row(amount=Decimal("100"), theme="trafficking"),
        _row(amount=Decimal("300"), theme="child_labour"),
        _row(amount=Decimal("50"), theme="child_labour", currency="USD"),
        _row(amount=Decimal("20"), theme="child_labour"),
    ]
    groups = sel.funding_groups(
        rows, key=lambda c: c.theme, label=lambda c: c.theme, order=["child_labour", "trafficking"]
    )
    assert [g.key for g in groups] == ["child_labour", "trafficking"]
    tables = sel.currency_tables(groups)
    assert [t.currency for t in tables] == ["EUR", "USD"]
    eur, usd = tables
    # EUR: child labour 300 + 20 = 320 (2), trafficking 100 (1); total 420 (3)
    assert [(r.key, r.count, r.amount) for r in eur.rows] == [
        ("child_labour", 2, Decimal("320")),
        ("trafficking", 1, Decimal("100")),
    ]
    assert (eur.total.amount, eur.total.count) == (Decimal("420"), 3)
    assert [(r.key, r.amount) for r in usd.rows] == [("child_labour", Decimal("50"))]


def test_only_published_commitments_are_counted(
    fund_people: dict[str, Any], donor: Any, uganda: Any, kenya: Any
) -> None:
    """Drafts, submitted, returned and withdrawn commitments are never listed nor counted."""
    editor, secretariat = fund_people["donor_editor"], fund_people["secretariat"]
    live_eur = published(
        fund_people, donor, uganda, amount=Decimal("1000000"), usd_rate="1.0845",
        usd_rate_source=ECB,
    )  # fmt: skip
    published(fund_people, donor, uganda, amount=Decimal("250000"), currency="USD")
    published(
        fund_people, donor, kenya, amount=Decimal("2000000"), currency="KES", theme="trafficking"
    )
    enter(fund_people, donor, uganda, amount=Decimal("999999"))  # a draft
    submitted = enter(fund_people, donor, uganda, amount=Decimal("888888"))
    funding.funding_commitment_submit(actor=editor, commitment=submitted)
    returned = enter(fund_people, donor, uganda, amount=Decimal("777777"))
    funding.funding_commitment_submit(actor=editor, commitment=returned)
    funding.funding_commitment_return(actor=secretariat, commitment=returned, message="Source?")
    gone = published(fund_people, donor, uganda, amount=Decimal("666666"))
    funding.funding_commitment_withdraw(actor=editor, commitment=gone)

    uga = sel.funding_for_country(country=uganda)
    assert [c.amount for c in uga.commitments] == [Decimal("1000000"), Decimal("250000")]
    assert [(t.currency, t.amount) for t in uga.totals.by_currency] == [
        ("EUR", Decimal("1000000")),
        ("USD", Decimal("250000")),
    ]
    # 1,084,500.00 + 250,000 = 1,334,500.00; nothing left out
    assert uga.totals.usd.amount == Decimal("1334500.00")
    assert uga.totals.usd.left_out == 0 and uga.totals.usd.rate_sources == (ECB,)

    overview = sel.funding_overview(commitments=list(sel.funding_list_public()))
    assert overview.totals.count == 3
    assert [g.key for g in overview.by_country] == ["KEN", "UGA"]
    assert [g.key for g in overview.by_theme] == ["child_labour", "trafficking"]
    # KES is never added to anything: its own table, and left out of the USD total
    assert [t.currency for t in overview.country_tables] == ["EUR", "KES", "USD"]
    assert overview.totals.usd.left_out == 1
    assert live_eur.pk in {c.pk for c in overview.commitments}


def test_filters(fund_people: dict[str, Any], donor: Any, uganda: Any, kenya: Any) -> None:
    published(fund_people, donor, uganda, start_year=2020, end_year=2022)
    published(
        fund_people,
        donor,
        kenya,
        currency="KES",
        theme="trafficking",
        commitment_status="disbursed",
        start_year=2024,
        end_year=2026,
    )

    def count(**kw: Any) -> int:
        return sel.funding_list_public(**kw).count()

    assert count() == 2
    assert count(countries=["uga"]) == 1
    assert count(countries=["UGA", "KEN"]) == 2
    assert count(theme="trafficking") == 1
    assert count(stage="disbursed") == 1
    assert count(currency="kes") == 1
    assert count(donor="zz-test-donor") == 2 and count(donor="nobody") == 0
    assert count(year=2021) == 1 and count(year=2023) == 0 and count(year=2026) == 1
    facets = sel.funding_facets()
    assert [g.iso3 for g in facets.countries] == ["KEN", "UGA"]
    assert facets.currencies == ["EUR", "KES"]
    assert [d.slug for d in facets.donors] == ["zz-test-donor"]
