from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sdg87.catalog import selectors
from sdg87.catalog.models import Dataset

pytestmark = pytest.mark.django_db


def test_search_matches_every_word_and_keywords(make_dataset: Any, org: Any) -> None:
    """q is an AND of words over title, description, keywords and publisher."""
    a = make_dataset(title="ZZ cocoa farms", keywords=["ghana"])
    make_dataset(title="ZZ cocoa ports")
    slugs = lambda q: {d.slug for d in selectors.dataset_search(user=None, q=q).datasets}  # noqa: E731
    assert slugs("cocoa farms") == {a.slug}
    assert slugs("ghana") == {a.slug}
    assert a.slug in slugs("ZZT cocoa")  # publisher acronym


def test_facet_counts_and_filters(make_dataset: Any, org: Any) -> None:
    make_dataset(title="ZZ one", themes=["child_labour"], licence="CC0-1.0")
    make_dataset(title="ZZ two", themes=["child_labour", "migration"])
    result = selectors.dataset_search(user=None, organisation=[org.slug])
    themes = {f.value: f.count for f in result.facets["theme"]}
    assert themes == {"child_labour": 2, "migration": 1}
    assert {f.value: f.count for f in result.facets["licence"]} == {"CC0-1.0": 1, "CC-BY-4.0": 1}
    assert {f.value for f in result.facets["format"]} == {"CSV"}
    filtered = selectors.dataset_search(user=None, organisation=[org.slug], theme=["migration"])
    assert [d.title for d in filtered.datasets] == ["ZZ two"]
    assert (
        selectors.dataset_search(user=None, organisation=[org.slug], licence=["CC0-1.0"]).count == 1
    )


def test_freshness_annotation_matches_pure_function(make_dataset: Any, org: Any) -> None:
    """The SQL freshness annotation agrees with freshness.freshness_of for every dataset."""
    now = timezone.now()
    for days, freq in [
        (5, "monthly"),
        (35, "monthly"),
        (50, "monthly"),
        (70, "monthly"),
        (400, "annual"),
        (10, "irregular"),
    ]:
        ds = make_dataset(title=f"ZZ {freq} {days}", frequency=freq)
        Dataset.objects.filter(pk=ds.pk).update(data_updated_at=now - timedelta(days=days))
    for d in selectors.with_freshness(Dataset.objects.filter(publisher=org), now=now):
        assert getattr(d, "freshness") == selectors.dataset_freshness(dataset=d, now=now), d.title  # noqa: B009
    facet = selectors.dataset_search(user=None, organisation=[org.slug], now=now).facets[
        "freshness"
    ]
    assert {f.value: f.count for f in facet} == {
        "fresh": 1,
        "due": 2,
        "overdue": 1,
        "delinquent": 1,
        "unscheduled": 1,
    }


def test_needs_update_lists_stale_live_datasets_stalest_first(make_dataset: Any, org: Any) -> None:
    now = timezone.now()
    old = make_dataset(title="ZZ old", frequency="monthly")
    older = make_dataset(title="ZZ older", frequency="monthly")
    make_dataset(title="ZZ new", frequency="monthly")
    Dataset.objects.filter(pk=old.pk).update(data_updated_at=now - timedelta(days=31))
    Dataset.objects.filter(pk=older.pk).update(data_updated_at=now - timedelta(days=90))
    titles = [d.title for d in selectors.organisation_needs_update(user=None, organisation=org)]
    assert titles == ["ZZ older", "ZZ old"]


def test_sorting(make_dataset: Any, org: Any) -> None:
    make_dataset(title="ZZ b")
    make_dataset(title="ZZ a")
    titles = [
        d.title
        for d in selectors.dataset_search(
            user=None, organisation=[org.slug], sort="-title"
        ).datasets
    ]
    assert titles == ["ZZ b", "ZZ a"]


def test_organisation_list_counts_only_visible(
    users: dict[str, Any], make_dataset: Any, org: Any
) -> None:
    make_dataset(title="ZZ visible")
    make_dataset(title="ZZ internal", visibility="organisation")

    def count(user: Any) -> int:
        organisation: Any = selectors.organisation_list_with_counts(user=user).get(pk=org.pk)
        return int(organisation.dataset_count)

    assert count(None) == 1
    assert count(users["member"]) == 2


def test_awaiting_review_is_per_organisation(users: dict[str, Any], make_dataset: Any) -> None:
    ds = make_dataset(state="submitted")
    assert list(selectors.datasets_awaiting_review(user=users["editor"])) == [ds]
    assert list(selectors.datasets_awaiting_review(user=users["other"])) == []
    assert list(selectors.datasets_awaiting_review(user=users["contributor"])) == []


@pytest.mark.django_db
def test_country_facet_names_follow_the_active_language(bundled_data) -> None:
    """In French, the country facet lists French names (e.g. 'Monde', not 'World')."""
    from django.utils import translation

    from sdg87.catalog.selectors import dataset_search

    with translation.override("fr"):
        facets = dataset_search(user=None).facets["country"]
    labels = {item.value: item.label for item in facets}
    assert labels.get("001") not in (None, "World")


@pytest.mark.django_db
def test_country_facet_lists_every_country_of_the_results(bundled_data) -> None:
    """The facet is not cut at 50 values: every country a public dataset covers can be
    picked (India, Peru, Sri Lanka and Zambia were past the cut)."""
    from sdg87.catalog.selectors import dataset_search

    values = {item.value for item in dataset_search(user=None).facets["country"]}
    covered = set(
        Dataset.objects.filter(pk__in=selectors.dataset_public_queryset(), spatial__isnull=False)
        .values_list("spatial__iso3", flat=True)
        .distinct()
    )
    assert len(covered) > 50
    assert covered - {"", None} <= values
    assert {"IND", "PER", "LKA", "ZMB"} <= values
