"""The search service (sdg87.search.selectors.search): disjunctive facets with counts equal
to counts made in plain Python, the year range, freshness as the catalog computes it, the
any-word fallback, pages past the end, "did you mean", the top result card in three
languages, matching across languages through the thesaurus, and who sees what."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from sdg87.catalog.selectors import dataset_public_queryset, with_freshness
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation
from sdg87.search.models import SearchDocument
from sdg87.search.registry import DocumentData
from sdg87.search.selectors import search, visibility_q
from sdg87.search.types import FACETS, MAX_PAGE, SearchOutcome, SearchParams

pytestmark = pytest.mark.django_db

# id, kind, title, year, language, facets (the document's language is added as a facet)
CORPUS: list[tuple[str, str, str, int | None, str, dict[str, list[str]]]] = [
    (
        "900001",
        "dataset",
        "Child labour in cocoa farming",
        2019,
        "en",
        {
            "theme": ["child_labour", "supply_chains"],
            "place": ["QZA"],
            "organisation": ["zz-a"],
            "format": ["CSV", "XLSX"],
            "licence": ["CC-BY-4.0"],
            "resource_type": ["dataset"],
        },
    ),
    (
        "900002",
        "dataset",
        "Forced labour in fishing",
        2021,
        "en",
        {
            "theme": ["forced_labour"],
            "place": ["QZB"],
            "organisation": ["zz-b"],
            "format": ["CSV"],
            "licence": ["CC0-1.0"],
            "resource_type": ["dataset"],
        },
    ),
    (
        "900003",
        "dataset",
        "Travail des enfants dans les mines",
        2020,
        "fr",
        {
            "theme": ["child_labour"],
            "place": ["QZA", "QZC"],
            "organisation": ["zz-b"],
            "format": ["PDF"],
            "licence": ["CC-BY-4.0"],
            "resource_type": ["dataset"],
        },
    ),
    (
        "pub-1",
        "publication",
        "Child labour and schooling: an evaluation",
        2020,
        "en",
        {
            "theme": ["child_labour", "education"],
            "place": ["QZA", "QZB"],
            "organisation": ["zz-a"],
            "resource_type": ["impact_evaluation"],
        },
    ),
    (
        "pub-2",
        "publication",
        "Trabajo forzoso en la agricultura",
        2018,
        "es",
        {"theme": ["forced_labour"], "place": ["QZC"], "resource_type": ["report"]},
    ),
    (
        "pub-3",
        "publication",
        "Trafficking in persons report",
        2021,
        "en",
        {"theme": ["human_trafficking"], "place": ["QZB"], "resource_type": ["report"]},
    ),
    (
        "news-1",
        "news",
        "Child labour day events",
        None,
        "en",
        {"theme": ["child_labour"], "organisation": ["zz-a"], "resource_type": ["news"]},
    ),
]
LABOUR = {"900001", "900002", "900003", "pub-1", "pub-2", "news-1"}  # "labour" in 3 languages


@pytest.fixture
def corpus(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> dict[str, SearchDocument]:
    rows = [
        search_rows(title, object_id=oid, kind=kind, year=year, lang=lang, facets=dict(facets))
        for oid, kind, title, year, lang, facets in CORPUS
    ]
    return search_documents(rows)


def _values(oid: str, kind: str, lang: str, facets: dict[str, list[str]], facet: str) -> set[str]:
    if facet == "kind":
        return {kind}
    if facet == "language":
        return set(facets.get("language", [lang]))
    return set(facets.get(facet, []))


def expected(params: SearchParams, matching: set[str]) -> tuple[set[str], dict[str, Counter[str]]]:
    """The results and every facet's counts, by plain Python over CORPUS: OR within a facet,
    AND across facets, each facet counted with every other facet's selection applied."""
    selected = {f: set(params.selected(f)) for f in FACETS if params.selected(f)}

    def passes(row: tuple[Any, ...], skip: str) -> bool:
        oid, kind, _title, year, lang, facets = row
        if oid not in matching:
            return False
        for facet, values in selected.items():
            if facet != skip and not values & _values(oid, kind, lang, facets, facet):
                return False
        if skip != "year" and (params.year_from is not None or params.year_to is not None):
            if year is None:
                return False
            if params.year_from is not None and year < params.year_from:
                return False
            if params.year_to is not None and year > params.year_to:
                return False
        return True

    results = {row[0] for row in CORPUS if passes(row, skip="")}
    counts: dict[str, Counter[str]] = {}
    for facet in FACETS:
        counter: Counter[str] = Counter()
        for row in CORPUS:
            if not passes(row, skip=facet):
                continue
            oid, kind, _title, year, lang, facets = row
            if facet == "year":
                counter.update([str(year)] if year is not None else [])
            elif facet != "freshness":  # no catalog dataset behind these documents
                counter.update(_values(oid, kind, lang, facets, facet))
        for value in selected.get(facet, ()):
            counter.setdefault(value, 0)
        counts[facet] = counter
    return results, counts


def counted(outcome: SearchOutcome) -> dict[str, Counter[str]]:
    out = {}
    for facet in outcome.facets:
        assert not facet.cut_short, facet.name
        flat = [*facet.values, *(c for v in facet.values for c in v.children)]
        out[facet.name] = Counter({v.value: v.count for v in flat})
    return out


SELECTIONS = [
    SearchParams(),
    SearchParams(theme=("child_labour",)),
    SearchParams(theme=("child_labour", "forced_labour"), place=("QZB",)),
    SearchParams(kind=("dataset",), format=("CSV",), organisation=("zz-a", "zz-b")),
    SearchParams(place=("QZA",), language=("fr", "en"), year_from=2019, year_to=2020),
    SearchParams(licence=("CC-BY-4.0",), resource_type=("impact_evaluation", "dataset")),
    SearchParams(kind=("news", "publication"), theme=("child_labour",), place=("QZC", "QZA")),
    SearchParams(format=("pdf",), place=("qza",)),  # lower case as typed in a URL
    SearchParams(theme=("no-such-theme",), organisation=("zz-a",)),
    SearchParams(year_from=2021),
]


@pytest.mark.parametrize("q", ["", "labour"])
@pytest.mark.parametrize("params", SELECTIONS)
def test_disjunctive_facet_counts_equal_plain_python_counts(
    corpus: dict[str, SearchDocument], params: SearchParams, q: str
) -> None:
    params = replace(params, q=q, per_page=100)
    # what the service compares: formats and ISO3 codes in upper case
    normal = replace(
        params,
        format=tuple(v.upper() for v in params.format),
        place=tuple(v.upper() for v in params.place),
    )
    matching = LABOUR if q else {row[0] for row in CORPUS}
    results, counts = expected(normal, matching)
    outcome = search(params=params)
    assert outcome.total == len(results)
    assert {h.object_id for h in outcome.hits} == results
    assert counted(outcome) == counts
    selected = {(f.name, v.value) for f in outcome.facets for v in f.values if v.selected}
    assert selected == {(f, v) for f in FACETS for v in normal.selected(f)}


def test_a_facet_ignores_its_own_selection(corpus: dict[str, SearchDocument]) -> None:
    """Choosing one place still shows what the other places would add (hand-counted)."""
    outcome = search(params=SearchParams(q="labour", place=("QZC",)))
    place = counted(outcome)["place"]
    assert place == Counter({"QZA": 3, "QZB": 2, "QZC": 2})
    assert outcome.total == 2
    theme = counted(outcome)["theme"]
    assert theme == Counter({"child_labour": 1, "forced_labour": 1})


def test_year_range(corpus: dict[str, SearchDocument]) -> None:
    """Both ends are included; documents without a year are left out of a range."""
    ids = {h.object_id for h in search(params=SearchParams(year_from=2020, year_to=2020)).hits}
    assert ids == {"900003", "pub-1"}
    ids = {h.object_id for h in search(params=SearchParams(year_to=2019)).hits}
    assert ids == {"900001", "pub-2"}
    years = counted(search(params=SearchParams(year_from=2020)))["year"]
    assert years == Counter({"2018": 1, "2019": 1, "2020": 2, "2021": 2})


def test_groups_are_each_kinds_first_results_and_searches_do_not_leak_into_each_other(
    corpus: dict[str, SearchDocument],
) -> None:
    """The groups (ranked per kind in one statement) hold what the same search limited to
    that kind puts first; each search collects its own matches, so a search after another
    (same connection, same hits table) answers as it does alone."""
    first = search(params=SearchParams(q="labour"))
    assert first.groups
    for group in first.groups:
        alone = search(params=SearchParams(q="labour", kind=(group.kind,)))
        assert group.total == alone.total
        assert [h.object_id for h in group.hits] == [h.object_id for h in alone.hits[:3]]
        assert [h.score for h in group.hits] == [h.score for h in alone.hits[:3]]
    search(params=SearchParams(q="trafficking"))
    search(params=SearchParams(q="cocoa -labour", theme=("child_labour",)))
    again = search(params=SearchParams(q="labour"))
    assert again.total == first.total
    assert [h.object_id for h in again.hits] == [h.object_id for h in first.hits]
    assert counted(again) == counted(first)


# --- notices ----------


def test_any_word_fallback_and_its_notice(corpus: dict[str, SearchDocument]) -> None:
    """No document has both "cocoa" and "schooling": the results are those with either,
    and the page says so. Fewer than five documents with every word: documents with some
    of them join, the one with every word first."""
    outcome = search(params=SearchParams(q="cocoa schooling"))
    assert {h.object_id for h in outcome.hits} == {"900001", "pub-1"}
    notice = "Few results have all your words: results with some of them are included."
    assert outcome.notices == [notice]
    both = search(params=SearchParams(q="cocoa farming schooling"))
    assert [h.object_id for h in both.hits] == ["900001", "pub-1"]
    assert both.notices == [notice]
    one_word = search(params=SearchParams(q="cocoa"))
    assert [h.object_id for h in one_word.hits] == ["900001"] and one_word.notices == []


def test_page_past_the_end(corpus: dict[str, SearchDocument]) -> None:
    outcome = search(params=SearchParams(q="labour", per_page=4, page=3))
    assert outcome.total == 6 and outcome.pages == 2 and outcome.hits == []
    assert outcome.notices == ["There is no page 3: the results end at page 2."]
    last = search(params=SearchParams(q="labour", per_page=4, page=2))
    assert len(last.hits) == 2 and last.notices == []
    beyond = search(params=SearchParams(q="labour", page=MAX_PAGE + 1))
    assert beyond.hits == []
    assert beyond.notices == ["Results stop at page 50: narrow the search with the filters."]


def test_did_you_mean(corpus: dict[str, SearchDocument]) -> None:
    outcome = search(params=SearchParams(q="trafficing"))
    assert outcome.total == 0 and outcome.suggestion == "trafficking"
    assert search(params=SearchParams(q="labuor fishing")).suggestion == "labour fishing"
    # a word the index has is not corrected
    assert search(params=SearchParams(q="fishing")).suggestion is None


# --- across languages ----------


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("travail des enfants", {"900001", "900003", "pub-1", "news-1"}),
        ("trabajo infantil", {"900001", "900003", "pub-1", "news-1"}),
        ("child labor", {"900001", "900003", "pub-1", "news-1"}),
        ("travail forcé", {"900002", "pub-2"}),
        ("forced labour", {"900002", "pub-2"}),
    ],
)
def test_concepts_match_across_languages(
    corpus: dict[str, SearchDocument], q: str, found: set[str]
) -> None:
    """A French or Spanish query finds the English documents of the same concept (and the
    other way round); a different concept does not match."""
    outcome = search(params=SearchParams(q=q))
    assert {h.object_id for h in outcome.hits} == found


@pytest.mark.usefixtures("bundled_data")
def test_french_query_finds_english_child_labour_datasets(search_index: Any) -> None:
    """On the bundled catalog: "travail des enfants" finds the ILO-UNICEF child labour
    estimates, whose title and description are in English only."""
    search_index()
    outcome = search(params=SearchParams(q="travail des enfants", kind=("dataset",), per_page=100))
    headings = {h.url for h in outcome.hits}
    assert "/en/datasets/ilo-unicef-cl-ge-2021/" in headings
    assert "/en/datasets/ilo-unicef-cl-ge-2025/" in headings
    assert "/en/datasets/tip-heiss-kelley-2001-2015/" not in headings


# --- top result card ----------


@pytest.mark.usefixtures("bundled_data")
@pytest.mark.parametrize(
    ("q", "lang", "iso3", "field"),
    [
        ("Ivory Coast", "en", "CIV", "name_en"),
        ("ivory coast", "en", "CIV", "name_en"),
        ("Côte d'Ivoire", "fr", "CIV", "name_fr"),
        ("Cote d\u2019Ivoire", "fr", "CIV", "name_fr"),  # typographic apostrophe
        ("Costa de Marfil", "es", "CIV", "name_es"),
        ("Kenya", "en", "KEN", "name_en"),
        ("Népal", "fr", "NPL", "name_fr"),
        ("Royaume-Uni", "fr", "GBR", "name_fr"),
        ("Reino Unido", "es", "GBR", "name_es"),
        ("Great Britain", "en", "GBR", "name_en"),
    ],
)
def test_top_result_card_for_a_country_name(
    search_index: Any, q: str, lang: str, iso3: str, field: str
) -> None:
    """An exact country name or alias, in any of the three languages, gives the country's
    card, titled and linked in the page's language."""
    search_index()
    country = Geography.objects.get(iso3=iso3)
    outcome = search(params=SearchParams(q=q), lang=lang)
    assert outcome.top is not None
    assert outcome.top.kind == "country"
    assert outcome.top.title == getattr(country, field)
    assert outcome.top.url == f"/{lang}/countries/{iso3}/"


@pytest.mark.usefixtures("bundled_data")
def test_top_result_card_only_for_an_exact_name(search_index: Any) -> None:
    search_index()
    assert search(params=SearchParams(q="child labour Kenya")).top is None
    assert search(params=SearchParams(q="Kenya"), facets=False).top is not None
    indicator = search(params=SearchParams(q="8.7.1"), facets=False).top
    assert indicator is not None and indicator.kind == "indicator"
    assert indicator.title.startswith("8.7.1 Proportion and number of children")
    # page 2 has no card
    assert search(params=SearchParams(q="Kenya", page=2), facets=False).top is None


# --- freshness ----------


@pytest.mark.usefixtures("bundled_data")
def test_freshness_facet_equals_the_catalogs(search_index: Any) -> None:
    """The freshness counts and filter are the catalog's with_freshness over the datasets in
    the results, computed at the time of the search."""
    search_index()
    now = timezone.now()
    annotated = with_freshness(dataset_public_queryset(now=now), now=now)
    catalog = dict(annotated.values_list("pk", "freshness"))  # type: ignore[misc]
    expected_counts = Counter(catalog.values())
    outcome = search(params=SearchParams(kind=("dataset",)), now=now)
    assert outcome.total == len(catalog)
    assert counted(outcome)["freshness"] == expected_counts
    assert len(expected_counts) >= 2  # the bundled catalog has more than one freshness
    for value in expected_counts:
        chosen = search(params=SearchParams(freshness=(value,), per_page=100), now=now)
        assert {int(h.object_id) for h in chosen.hits} == {
            pk for pk, f in catalog.items() if f == value
        }
        assert {h.kind for h in chosen.hits} == {"dataset"}


# --- visibility ----------


@pytest.fixture
def restricted(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
    search_org: Organisation,
) -> dict[str, SearchDocument]:
    now = timezone.now()
    pub = partial(search_rows, kind="publication")  # ids are not catalog keys
    return search_documents(
        [
            pub("Forced labour open data", object_id="open"),
            pub(
                "Forced labour members data",
                object_id="members",
                public=False,
                audience_org_id=search_org.pk,
            ),
            pub("Forced labour next week", object_id="later", visible_from=now + timedelta(days=7)),
            pub(
                "Forced labour members next week",
                object_id="members-later",
                public=False,
                audience_org_id=search_org.pk,
                visible_from=now + timedelta(days=7),
            ),
            pub(
                "Forced labour since yesterday",
                object_id="earlier",
                visible_from=now - timedelta(days=1),
            ),
        ]
    )


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", {"open", "earlier"}),
        ("member", {"open", "earlier", "members"}),
        ("editor", {"open", "earlier", "members"}),
        ("other_member", {"open", "earlier"}),
        ("other_editor", {"open", "earlier"}),
    ],
)
def test_visibility(
    restricted: dict[str, SearchDocument], search_users: dict[str, Any], role: str, sees: set[str]
) -> None:
    """Organisation-only documents for that organisation's members; scheduled ones for
    nobody until their time, then for the same people."""
    user = search_users[role]
    now = timezone.now()
    assert {d.object_id for d in SearchDocument.objects.filter(visibility_q(user, now))} == sees
    found = {h.object_id for h in search(params=SearchParams(q="forced labour"), user=user).hits}
    assert found == sees
    later = {
        h.object_id
        for h in search(
            params=SearchParams(q="forced labour"), user=user, now=now + timedelta(days=8)
        ).hits
    }
    extra = {"later"} | ({"members-later"} if "members" in sees else set())
    assert later == sees | extra
