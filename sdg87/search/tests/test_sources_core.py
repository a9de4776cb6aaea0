"""Countries, regions, indicators, series and datasets as search documents
(sdg87.search.sources.places, .indicators, .catalog), read from the bundled real data and
from datasets made through the catalog's services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sdg87.catalog.models import Dataset, Visibility
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Indicator
from sdg87.search.registry import DocumentData, sources
from sdg87.search.selectors import search
from sdg87.search.sources import catalog, indicators, places
from sdg87.search.types import SearchParams

pytestmark = pytest.mark.django_db
bundled = pytest.mark.usefixtures("bundled_data")


def texts(doc: DocumentData, weight: str) -> list[tuple[str, str]]:
    return [(t.text, t.lang) for t in doc.texts if t.weight == weight]


def test_the_core_sources_are_registered() -> None:
    registered = sources()
    for kind in ("country", "region", "indicator", "series", "dataset"):
        assert kind in registered
    assert registered["country"].build is places.build_country
    assert registered["dataset"].build is catalog.build_dataset


# --- places ----------


@bundled
def test_country_document() -> None:
    """Kenya: its names, codes and SDG region (Sub-Saharan Africa, M49 202)."""
    row = places.country_get("KEN")
    assert row is not None
    doc = places.build_country(row)
    assert (doc.kind, doc.object_id, doc.heading) == ("country", "KEN", "Kenya")
    assert doc.path == "/en/countries/KEN/"
    assert doc.facets == {"place": ["KEN", "202"]}
    assert doc.meta[0] == "Sub-Saharan Africa"
    assert ("Kenya", "en") in texts(doc, "title")
    assert ("the Republic of Kenya", "en") in texts(doc, "title")
    assert ("KEN KE", "en") in texts(doc, "body")
    assert {"Kenya", "KEN", "KE"} <= set(doc.keys)
    assert doc.boost > 1


@bundled
def test_country_names_in_three_languages_and_aliases() -> None:
    """Côte d'Ivoire is "Côte d'Ivoire" in English (the UN name), with a typographic
    apostrophe in French and Spanish, and has the English alias "Ivory Coast" and the Spanish
    alias "Costa de Marfil": all are
    title text in their language and exact keys; the other languages' names are the
    document's translated headings."""
    civ = Geography.objects.get(iso3="CIV")
    row = places.country_get("CIV")
    assert row is not None
    doc = places.build_country(row)
    assert doc.heading == civ.name_en == "Côte d'Ivoire"
    assert doc.translations == {
        "fr": {"heading": civ.name_fr},
        "es": {"heading": civ.name_es},
    }
    title = texts(doc, "title")
    assert ("Ivory Coast", "en") in title and ("Costa de Marfil", "es") in title
    assert (civ.name_fr, "fr") in title
    assert {"Ivory Coast", "Costa de Marfil", civ.name_fr} <= set(doc.keys)


@bundled
def test_region_document_and_rows() -> None:
    row = places.region_get("202")
    assert row is not None
    doc = places.build_region(row)
    assert (doc.kind, doc.object_id, doc.heading) == ("region", "202", "Sub-Saharan Africa")
    assert doc.path == "/en/countries/?region=202"
    assert doc.facets == {"place": ["202"]}
    assert places.region_get("KEN") is None  # a country is not a region
    kinds = {g.kind for g in places.regions()}
    assert kinds <= set(places.REGION_KINDS) and GeographyKind.SDG_REGION in kinds
    assert len(places.countries()) == Geography.objects.filter(kind="country").count()


def test_place_watches() -> None:
    """A saved country refreshes its country document; a saved region its region document."""
    country_watch = dict(sources()["country"].watches)[Geography]
    region_watch = dict(sources()["region"].watches)[Geography]
    country = Geography(code="QZT", iso3="QZT", kind=GeographyKind.COUNTRY, name_en="Zedland")
    region = Geography(code="9971", kind=GeographyKind.SDG_REGION, name_en="Zed Region")
    income = Geography(code="QZ-INC", kind=GeographyKind.INCOME_GROUP, name_en="Zed income")
    assert list(country_watch(country)) == ["QZT"] and list(country_watch(region)) == []
    assert list(region_watch(region)) == ["9971"] and list(region_watch(country)) == []
    assert list(region_watch(income)) == []


# --- indicators and series ----------


@bundled
def test_indicator_document() -> None:
    row = indicators.indicator_get("8.7.1")
    assert row is not None
    doc = indicators.build_indicator(row)
    assert doc is not None
    assert doc.heading == (
        "8.7.1 Proportion and number of children aged 5-17 years engaged in child labour, "
        "by sex and age"
    )
    # the chart of one of its public series
    assert doc.path in {"/en/indicators/SL_TLF_CHLDEA/", "/en/indicators/SL_TLF_CHLDEC/"}
    assert {"8.7.1", "SDG 8.7.1", "indicateur 8.7.1", "indicador 8.7.1"} <= set(doc.keys)
    assert ("8.7.1 SDG 8.7.1 " + row.name, "en") in texts(doc, "title")


def test_indicator_without_public_series_makes_no_document() -> None:
    Indicator.objects.create(code="ZZ-T1", name="ZZ indicator with no series", is_sdg=False)
    row = indicators.indicator_get("ZZ-T1")
    assert row is not None and indicators.build_indicator(row) is None


@bundled
def test_series_document_and_search() -> None:
    """A series is titled with its code, links to its chart, and its code is an exact key:
    the code alone gives its card; its indicator's code finds it."""
    row = indicators.series_get("SL_TLF_CHLDEC")
    assert row is not None
    doc = indicators.build_series(row)
    assert doc.heading == (
        "Proportion of children engaged in economic activity and household chores, by sex "
        "and age (%) (SL_TLF_CHLDEC)"
    )
    assert doc.path == "/en/indicators/SL_TLF_CHLDEC/"
    assert doc.keys == ["SL_TLF_CHLDEC"] and doc.meta[0] == "8.7.1"


@bundled
def test_series_found_by_code(search_index: Any) -> None:
    search_index()
    outcome = search(params=SearchParams(q="SL_TLF_CHLDEC"))
    assert outcome.top is not None and outcome.top.url == "/en/indicators/SL_TLF_CHLDEC/"
    by_indicator = search(params=SearchParams(q="8.7.1", kind=("series",), per_page=100))
    assert {h.object_id for h in by_indicator.hits} >= {"SL_TLF_CHLDEA", "SL_TLF_CHLDEC"}


# --- datasets ----------

HAZARD_CSV = (
    b"country,year,children_in_hazardous_work,night_work_hours\nKEN,2019,12.5,3\nBGD,2019,6.8,2\n"
)


def document(dataset: Dataset) -> DocumentData | None:
    row = catalog.dataset_get(str(dataset.pk))
    return catalog.build_dataset(row) if row is not None else None


def test_public_dataset_document(indexed_dataset: Callable[..., Dataset], search_org: Any) -> None:
    """Title, description, publisher, the column names of its published table; facets of
    theme, place, organisation, language, format and licence."""
    if not Geography.objects.filter(iso3="KEN").exists():  # without the bundled data
        Geography.objects.create(
            code="KEN", iso3="KEN", kind=GeographyKind.COUNTRY, name_en="Kenya"
        )
    dataset = indexed_dataset(
        title="ZZ hazardous work among children",
        description="<p>Hours of <b>night work</b> by age.</p>",
        themes=["child_labour"],
        spatial=["KEN"],
        temporal_end=timezone.now().date().replace(year=2019, month=12, day=31),
        csv=HAZARD_CSV,
    )
    doc = document(dataset)
    assert doc is not None
    assert (doc.kind, doc.object_id, doc.heading) == ("dataset", str(dataset.pk), dataset.title)
    assert doc.path == f"/en/datasets/{dataset.slug}/"
    assert doc.summary == "Hours of night work by age."
    assert doc.public and doc.audience_org_id is None and doc.visible_from is None
    assert doc.year == 2019 and doc.meta == ["ZZ Search NGO", "2019"]
    assert doc.facets == {
        "theme": ["child_labour"],
        "place": ["KEN"],
        "organisation": ["zz-search-ngo"],
        "language": ["en"],
        "resource_type": ["dataset"],
        "format": ["CSV"],
        "licence": ["CC-BY-4.0"],
    }
    body = " ".join(t for t, _lang in texts(doc, "body"))
    assert "children_in_hazardous_work" in body and "night_work_hours" in body
    assert "ZZ Search NGO ZZS" in body
    # the column names are searchable; the indexed document is the one built here
    hits = search(params=SearchParams(q="night_work_hours"), facets=False).hits
    assert [h.object_id for h in hits] == [str(dataset.pk)]


def test_dataset_visibility_follows_the_catalog(indexed_dataset: Callable[..., Dataset]) -> None:
    """Drafts make no document; organisation-only datasets one for the publisher's members;
    metadata-only datasets a public one; a scheduled dataset is visible from its time."""
    later = timezone.now() + timedelta(days=3)
    draft = indexed_dataset(title="ZZ draft dataset", state="approved")
    org_only = indexed_dataset(title="ZZ members dataset", visibility=Visibility.ORGANISATION)
    metadata = indexed_dataset(title="ZZ metadata dataset", visibility=Visibility.METADATA_ONLY)
    scheduled = indexed_dataset(title="ZZ scheduled dataset", publish_at=later)
    assert catalog.dataset_get(str(draft.pk)) is None and catalog.dataset_get("x1") is None
    doc = document(org_only)
    assert doc is not None and not doc.public and doc.audience_org_id == org_only.publisher_id
    doc = document(metadata)
    assert doc is not None and doc.public and doc.audience_org_id is None
    doc = document(scheduled)
    assert doc is not None and doc.public and doc.visible_from == later


def test_dataset_watches() -> None:
    watches = dict(sources()["dataset"].watches)
    assert set(watches) == {Dataset, catalog.Distribution}
    assert list(watches[Dataset](Dataset(pk=41))) == ["41"]
    assert list(watches[catalog.Distribution](catalog.Distribution(dataset_id=41))) == ["41"]
