"""The data catalogue finds datasets by a country's common names and aliases in three
languages: in the country filter and in the search words (sdg87.geo.names)."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.catalog import selectors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]


def _slugs(**kwargs: Any) -> set[str]:
    return {d.slug for d in selectors.dataset_search(user=None, **kwargs).datasets}


@pytest.fixture
def datasets(make_dataset: Any) -> dict[str, Any]:
    """Three datasets that name their country by its UN name, and cover it."""
    return {
        "vnm": make_dataset(title="ZZ labour force survey, Viet Nam 2018", spatial=["VNM"]),
        "civ": make_dataset(title="ZZ labour force survey, Côte d'Ivoire 2019", spatial=["CIV"]),
        "gbr": make_dataset(
            title="ZZ labour force survey, United Kingdom of Great Britain and Northern Ireland",
            spatial=["GBR"],
        ),
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("VNM", "vnm"),
        ("Vietnam", "vnm"),
        ("Viet Nam", "vnm"),
        ("Ivory Coast", "civ"),
        ("Côte d'Ivoire", "civ"),
        ("Costa de Marfil", "civ"),
        ("UK", "gbr"),
        ("Royaume-Uni", "gbr"),
        ("Reino Unido", "gbr"),
    ],
)
def test_country_filter_takes_names_and_aliases(datasets: dict[str, Any], name: str, key: str):
    """?country= takes a code or a whole name in any language, and keeps only that
    country's datasets."""
    found = _slugs(q="ZZ labour force survey", country=[name])
    assert found == {datasets[key].slug}


@pytest.mark.parametrize(
    ("q", "key"),
    [
        ("survey Vietnam", "vnm"),
        ("survey Viêt Nam", "vnm"),
        ("survey Ivory Coast", "civ"),
        ("survey Costa de Marfil", "civ"),
        ("survey cote d'ivoire", "civ"),
        ("survey UK", "gbr"),
        ("survey Royaume-Uni", "gbr"),
        ("survey Reino Unido", "gbr"),
    ],
)
def test_search_words_find_a_country_by_its_other_names(datasets: dict[str, Any], q: str, key: str):
    """A search naming a country by a common name or alias in any language finds the
    datasets whose text names it by its UN name, and not the others."""
    found = _slugs(q=q)
    assert datasets[key].slug in found
    assert not {d.slug for k, d in datasets.items() if k != key} & found


def test_search_words_still_need_every_word(datasets: dict[str, Any]):
    """Country names widen a word, not the search: every other word must still match."""
    assert _slugs(q="Vietnam nonexistentword") == set()
    assert _slugs(q="ZZ survey Ghana") == set()


def test_unknown_country_name_filters_everything_out(datasets: dict[str, Any]):
    assert _slugs(q="ZZ labour force survey", country=["Atlantis"]) == set()
