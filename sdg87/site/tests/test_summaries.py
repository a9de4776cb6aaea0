from __future__ import annotations

import pytest
from django.utils import translation

from sdg87.geo.selectors import country_get
from sdg87.indicators import labels
from sdg87.site import selectors as sel
from sdg87.site import summaries
from sdg87.site.contexts.countries import (
    KEY_SERIES,
    child_labour_references,
    key_series_latest_years,
)
from sdg87.site.gaps import data_gaps

pytestmark = pytest.mark.django_db


def summary_for(iso3: str, lang: str) -> tuple[str, dict]:
    with translation.override(lang):
        country = country_get(iso3=iso3)  # names follow the active language
        assert country is not None
        region = sel.geography_sdg_region(geography=country)
        world = sel.world()
        rows = sel.country_series_rows(country=country, region=region, world_geo=world)
        by_code = {row.series.code: row for row in rows}
        gaps = data_gaps(
            key_codes=[c for c, _ in KEY_SERIES],
            latest_years=key_series_latest_years(rows),
            current_year=2026,
        )
        text = " ".join(
            summaries.country_summary(
                country=country,
                region=region,
                rows_by_code=by_code,
                gaps=gaps,
                assessments={},
                references=child_labour_references(region=region, world_geo=world),
            )
        )
        return text, {"country": country.name, "region": region.name if region else "", **by_code}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_summary_names_country_value_year_and_region(bundled_data, lang):
    """Uganda's summary, in each language, names the country in that language, gives the
    latest 8.7.1 value formatted for the language, its year, and the regional average on the
    same measure (including household chores: the one measure with regional figures)."""
    text, facts = summary_for("UGA", lang)
    row = facts["SL_TLF_CHLDEA"]
    same = facts["SL_TLF_CHLDEC"]
    with translation.override(lang):
        value = labels.number(row.latest.value, row.series.decimals)
        region_value = labels.number(same.region.value, same.series.decimals)
    assert facts["country"] in text
    assert value in text
    assert str(row.latest.year) in text
    assert facts["region"] in text
    assert region_value in text


def test_summary_is_localised_in_french_and_spanish(bundled_data):
    """The French summary uses the French name (Cameroun) and a decimal comma; the Spanish
    one the Spanish name (Camerún)."""
    fr, facts_fr = summary_for("CMR", "fr")
    es, facts_es = summary_for("CMR", "es")
    en, _facts_en = summary_for("CMR", "en")
    assert facts_fr["country"] == "Cameroun" and "Cameroun" in fr
    assert facts_es["country"] == "Camerún" and "Camerún" in es
    assert "Cameroon" in en
    assert "33,4" in fr and "33,4" in es and "33.4" in en


def test_summary_for_country_without_child_labour_data(bundled_data):
    """Without 8.7.1 data the summary says so rather than inventing a figure."""
    text, facts = summary_for("DEU", "en")
    assert "No national estimate of child labour" in text
    assert facts["country"] in text
