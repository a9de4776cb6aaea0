"""Superseded editions (issue 9 item 2): a dataset superseded by a newer edition is marked
"Superseded by <newer edition>", never due, overdue or delinquent; the bundled loader finds the
editions of one report; citations carry the publication year, not the load year."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sdg87.catalog import selectors
from sdg87.catalog.freshness import NEEDS_UPDATE, Freshness
from sdg87.catalog.loaders import edition_key
from sdg87.catalog.models import AuditAction, AuditEntry, Dataset
from sdg87.catalog.presentation import citation_for, jsonld_for, publication_date
from sdg87.catalog.services.editions import dataset_supersede, datasets_editions_link
from sdg87.indicators.models import Release

# --- which releases are editions of one report (pure) ------------------------------------------


@pytest.mark.parametrize(
    ("source", "older", "newer"),
    [
        ("ilo-unicef-child-labour-estimates", "ilo-cl-ge-2010", "ilo-unicef-cl-ge-2025"),
        ("ilo-unicef-child-labour-estimates", "ilo-cl-ge-2013", "ilo-cl-ge-2017"),
        ("global-estimates-modern-slavery", "gems-2017", "gems-2022"),
        ("us-dol-ilab", "us-dol-ilab-findings-2016", "us-dol-ilab-findings-2022"),
        ("un-sdg-global-database", "unsd-sdg-2019-07", "unsd-sdg-2023-12"),
    ],
)
def test_codes_that_differ_by_the_year_are_editions_of_one_report(
    source: str, older: str, newer: str
) -> None:
    """Editions share a key: the source and the code without its year (the ILO's estimates
    renamed to ILO-UNICEF in 2021 included)."""
    assert edition_key(source_code=source, release_code=older) == edition_key(
        source_code=source, release_code=newer
    )


@pytest.mark.parametrize(
    ("source", "a", "b"),
    [
        ("global-estimates-modern-slavery", "gems-2022", "ilo-profits-poverty-2024"),
        ("us-dol-ilab", "us-dol-ilab-findings-2021", "us-dol-ilab-goods-2021"),
        ("our-world-in-data", "owid-child-labor-world-ilo-2017", "owid-incidence-child-labor"),
    ],
)
def test_other_reports_of_a_source_are_not_editions(source: str, a: str, b: str) -> None:
    """Profits and poverty does not supersede the GEMS; the DOL goods list is not the findings."""
    assert edition_key(source_code=source, release_code=a) != edition_key(
        source_code=source, release_code=b
    )


def test_the_same_stem_in_another_source_is_another_report() -> None:
    assert edition_key(source_code="a", release_code="x-2010") != edition_key(
        source_code="b", release_code="x-2011"
    )


# --- the bundled data --------------------------------------------------------------------------


@pytest.mark.django_db
def test_bundled_older_editions_are_superseded_by_the_newest(bundled_data: None) -> None:
    """The 2010, 2013, 2017 and 2021 child labour estimates point at the 2025 edition, GEMS 2017
    at GEMS 2022; the newest editions and single reports are not superseded, and no superseded
    dataset is counted as needing an update."""
    by_release = {d.release.code: d for d in Dataset.objects.filter(is_bundled=True) if d.release}
    newest_cl = by_release["ilo-unicef-cl-ge-2025"]
    for code in ("ilo-cl-ge-2010", "ilo-cl-ge-2013", "ilo-cl-ge-2017", "ilo-unicef-cl-ge-2021"):
        assert by_release[code].superseded_by == newest_cl, code
    assert by_release["gems-2017"].superseded_by == by_release["gems-2022"]
    for code in ("ilo-unicef-cl-ge-2025", "gems-2022", "ilo-profits-poverty-2024", "gsi-2023"):
        assert by_release[code].superseded_by is None, code
    findings = [c for c in by_release if c.startswith("us-dol-ilab-findings-")]
    newest_findings = max(findings, key=lambda c: Release.objects.get(code=c).year)
    for code in findings:
        expected = None if code == newest_findings else by_release[newest_findings]
        assert by_release[code].superseded_by == expected, code

    states = {
        code: d.freshness  # type: ignore[attr-defined]
        for d in selectors.with_freshness(Dataset.objects.filter(is_bundled=True))
        for code in [d.release.code if d.release else ""]
    }
    assert states["ilo-cl-ge-2010"] == states["gems-2017"] == Freshness.SUPERSEDED
    assert states["tip-heiss-kelley-2001-2015"] == Freshness.HISTORICAL
    counts = Counter(states.values())
    assert counts[Freshness.SUPERSEDED] >= 10
    superseded = {c for c, s in states.items() if s == Freshness.SUPERSEDED}
    assert not superseded & {c for c, s in states.items() if s in NEEDS_UPDATE}


@pytest.mark.django_db
def test_bundled_ilo_page_does_not_headline_needs_update(
    bundled_data: None, client: Client
) -> None:
    """The ILO's page lists its current datasets first and its superseded editions apart, and
    shows no 'Needs update' section for historical reports (every ILO report in the bundle has a
    current edition)."""
    html = client.get(reverse("catalog:organisation_detail", args=["ilo"])).content.decode()
    assert "Needs update" not in html
    assert "freshness-delinquent" not in html
    details = html[html.index('<details class="superseded-editions">') :]
    assert "ilo-cl-ge-2010" in details and "gems-2017" in details
    current = html[: html.index('<details class="superseded-editions">')]
    assert "ilo-unicef-cl-ge-2025" in current and "ilo-cl-ge-2010" not in current


@pytest.mark.django_db
def test_bundled_citation_uses_the_publication_year(bundled_data: None) -> None:
    """GEMS 2022, loaded today, is cited as (2022), not the year it was loaded."""
    dataset = Dataset.objects.get(release__code="gems-2022")
    version = dataset.versions.first()
    assert version is not None and version.created_at.year != 2022  # loaded later
    citation = citation_for(dataset, version)
    assert citation.startswith(f"{dataset.publisher.name} (2022). ")
    assert f"({version.created_at.year})" not in citation
    assert jsonld_for(dataset, [])["datePublished"].startswith("2022")
    assert publication_date(dataset) == date(2022, 1, 1)  # undated release: its year
    unsd = Dataset.objects.get(release__code="unsd-sdg-2023-12")
    assert publication_date(unsd) == date(2023, 12, 17)  # dated release: its date


# --- services and the freshness rule on contributed datasets -----------------------------------


@pytest.mark.django_db
def test_supersede_marks_the_older_edition_and_audits(
    make_dataset: Callable[..., Dataset], users: dict[str, Any], org: Any
) -> None:
    """An editor marks 2019 superseded by 2023: 'superseded' in SQL and in Python, audited;
    the same old data not superseded is delinquent."""
    old = make_dataset(title="ZZ survey 2019", frequency="annual")
    new = make_dataset(title="ZZ survey 2023", frequency="annual")
    long_ago = timezone.now() - timedelta(days=3000)
    Dataset.objects.filter(pk__in=[old.pk, new.pk]).update(data_updated_at=long_ago)
    old.refresh_from_db()
    assert selectors.dataset_freshness(dataset=old) == Freshness.DELINQUENT

    dataset_supersede(actor=users["editor"], dataset=old, superseded_by=new)
    old.refresh_from_db()
    assert old.superseded_by == new
    assert selectors.dataset_freshness(dataset=old) == Freshness.SUPERSEDED
    annotated = {
        d.pk: d.freshness  # type: ignore[attr-defined]
        for d in selectors.with_freshness(Dataset.objects.filter(publisher=org))
    }
    assert annotated == {old.pk: Freshness.SUPERSEDED, new.pk: Freshness.DELINQUENT}
    needs = selectors.organisation_needs_update(user=None, organisation=org)
    assert [d.pk for d in needs] == [new.pk]
    entry = AuditEntry.objects.filter(dataset=old, action=AuditAction.EDIT).get()
    assert entry.actor == users["editor"] and new.slug in entry.message


@pytest.mark.django_db
def test_a_draft_newer_edition_does_not_supersede(
    make_dataset: Callable[..., Dataset], users: dict[str, Any]
) -> None:
    """Until the newer edition is published, the old one keeps its own freshness."""
    old = make_dataset(title="ZZ old", frequency="annual")
    draft = make_dataset(title="ZZ draft", state="draft")
    dataset_supersede(actor=users["editor"], dataset=old, superseded_by=draft)
    old = Dataset.objects.get(pk=old.pk)
    assert selectors.dataset_freshness(dataset=old) != Freshness.SUPERSEDED
    (annotated,) = selectors.with_freshness(Dataset.objects.filter(pk=old.pk))
    assert annotated.freshness == selectors.dataset_freshness(dataset=old)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_supersede_refuses_loops_and_strangers(
    make_dataset: Callable[..., Dataset], users: dict[str, Any]
) -> None:
    """A dataset cannot supersede itself or an edition that it supersedes; a member of another
    organisation cannot mark it."""
    a = make_dataset(title="ZZ a")
    b = make_dataset(title="ZZ b")
    with pytest.raises(ValidationError):
        dataset_supersede(actor=users["editor"], dataset=a, superseded_by=a)
    dataset_supersede(actor=users["editor"], dataset=a, superseded_by=b)
    with pytest.raises(ValidationError):
        dataset_supersede(actor=users["editor"], dataset=b, superseded_by=a)
    with pytest.raises(PermissionDenied):
        dataset_supersede(actor=users["other"], dataset=b, superseded_by=None)
    assert Dataset.objects.get(pk=b.pk).superseded_by is None


@pytest.mark.django_db
def test_editions_link_points_older_editions_at_the_newest(
    make_dataset: Callable[..., Dataset],
) -> None:
    """The loader's system action: oldest first in, every older one points at the newest; the
    newest is left alone; a second run changes nothing."""
    e1, e2, e3 = (make_dataset(title=f"ZZ edition {n}") for n in (1, 2, 3))
    assert datasets_editions_link(editions=[e1, e2, e3]) == 2
    assert [Dataset.objects.get(pk=d.pk).superseded_by_id for d in (e1, e2, e3)] == [
        e3.pk,
        e3.pk,
        None,
    ]
    assert datasets_editions_link(editions=[e1, e2, e3]) == 0
    assert datasets_editions_link(editions=[e3]) == 0


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_say_superseded_by_with_a_link_and_how_old_the_data_is(
    make_dataset: Callable[..., Dataset], users: dict[str, Any], client: Client, org: Any
) -> None:
    """Dataset page, list card and organisation page: 'Superseded by <newer, linked>', no
    delinquent badge, and the old update date with its age in words and the age-old class."""
    old = make_dataset(title="ZZ report 2010", frequency="annual")
    new = make_dataset(title="ZZ report 2024", frequency="annual")
    Dataset.objects.filter(pk=old.pk).update(
        data_updated_at=timezone.now().replace(year=2010),
        temporal_start=date(2005, 1, 1),
        temporal_end=date(2009, 12, 31),
    )
    dataset_supersede(actor=users["editor"], dataset=old, superseded_by=new)
    age = timezone.localdate().year - 2009

    detail = client.get(old.get_absolute_url()).content.decode()
    assert "freshness-superseded" in detail and "freshness-delinquent" not in detail
    assert re.search(
        r'Superseded</span> <span class="superseded-by">by <a href="[^"]*/datasets/' + new.slug,
        detail,
    )
    assert f'2009 <span class="age-label">— {age} years old</span>' in detail
    assert 'class="year-age age-old"' in detail
    newer = client.get(new.get_absolute_url()).content.decode()
    assert "Earlier editions" in newer and old.slug in newer

    listing = client.get(reverse("catalog:dataset_list"), {"organisation": org.slug})
    card = listing.content.decode()
    assert "freshness-superseded" in card and f"/datasets/{new.slug}/" in card
    assert f"— {timezone.localdate().year - 2010} years old" in card

    page = client.get(reverse("catalog:organisation_detail", args=[org.slug])).content.decode()
    superseded_part = page[page.index('<details class="superseded-editions">') :]
    assert "ZZ report 2010" in superseded_part


@pytest.mark.django_db
def test_editors_set_superseded_by_in_the_wagtail_form(
    client: Client, users: dict[str, Any], make_dataset: Callable[..., Dataset]
) -> None:
    """The admin's dataset form has 'superseded by': saved through dataset_supersede (audited);
    a loop is a form error and nothing is saved."""
    from sdg87.catalog.tests.test_wagtail_edits import _edit_url, _form

    client.force_login(users["superuser"])
    old = make_dataset(title="ZZ admin old")
    new = make_dataset(title="ZZ admin new")
    response = client.post(_edit_url(old), _form(old, superseded_by=new.pk))
    assert response.status_code == 302, response.content
    assert Dataset.objects.get(pk=old.pk).superseded_by_id == new.pk
    assert AuditEntry.objects.filter(dataset=old, message__contains=new.slug).exists()
    response = client.post(_edit_url(new), _form(new, superseded_by=old.pk))
    assert response.status_code == 200
    assert Dataset.objects.get(pk=new.pk).superseded_by_id is None


@pytest.mark.django_db
def test_an_edition_hidden_from_a_visitor_is_never_named_to_them(
    make_dataset: Callable[..., Dataset], users: dict[str, Any], client: Any
) -> None:
    """An organisation-only newer edition does not supersede a public one and its title is not
    shown on the public edition's page; an organisation-only earlier edition is not listed.
    The organisation's editor sees both links."""
    from sdg87.catalog.models import Visibility

    public = make_dataset(title="ZZ public 2019", frequency="annual")
    hidden_new = make_dataset(title="ZZ hidden 2023", visibility=Visibility.ORGANISATION)
    dataset_supersede(actor=users["editor"], dataset=public, superseded_by=hidden_new)
    hidden_old = make_dataset(title="ZZ hidden 2015", visibility=Visibility.ORGANISATION)
    dataset_supersede(actor=users["editor"], dataset=hidden_old, superseded_by=public)
    public = Dataset.objects.get(pk=public.pk)
    assert selectors.dataset_freshness(dataset=public) != Freshness.SUPERSEDED
    (annotated,) = selectors.with_freshness(Dataset.objects.filter(pk=public.pk))
    assert annotated.freshness != Freshness.SUPERSEDED  # type: ignore[attr-defined]
    page = client.get(public.get_absolute_url()).content.decode()
    assert "ZZ public 2019" in page
    assert "ZZ hidden 2023" not in page and "ZZ hidden 2015" not in page
    client.force_login(users["editor"])
    page = client.get(public.get_absolute_url()).content.decode()
    assert "ZZ hidden 2015" in page
