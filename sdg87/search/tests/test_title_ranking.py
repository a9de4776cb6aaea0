"""The title step of ranking (sdg87.search.ranking): tiers of headings against the query's
words, in any of the three languages and through thesaurus concepts, and the reordering of
the engine's results by tier (the engine's order kept within a tier and after the window)."""

from __future__ import annotations

import pytest

from sdg87.search import analysis, engine, ranking
from sdg87.search.indexing import index_rebuild
from sdg87.search.models import SearchDocument
from sdg87.search.ranking import ALL_WORDS, NONE, PHRASE, TITLE, in_tiers, title_tier, units
from sdg87.search.registry import DocumentData, Text
from sdg87.search.thesaurus import Thesaurus

CONCEPTS = Thesaurus(
    [
        ("child-labour", "en", "child labour"),
        ("child-labour", "fr", "travail des enfants"),
        ("child-labour", "es", "trabajo infantil"),
        ("indicator-cl", "en", "number of children in child labour"),
        ("place-NPL", "en", "Nepal"),
        ("ilo-c182", "en", "Worst Forms of Child Labour Convention, 1999 (No. 182)"),
        ("ilo-c182", "en", "Worst Forms of Child Labour Convention"),
        ("ilo-c182", "en", "Convention No. 182"),
        ("ilo-c182", "es", "Convenio sobre las peores formas de trabajo infantil"),
        ("place-NPL", "fr", "Népal"),
    ]
)


def tier(query: str, *headings: tuple[str, str]) -> int:
    return title_tier(analysis.words(query), list(headings), CONCEPTS)


def test_units_put_concepts_for_the_words_that_spell_them() -> None:
    words = analysis.words("Le travail des enfants au Népal")
    assert units(words, "fr", CONCEPTS) == ("zzchildlabour", "zzplacenpl")
    assert units(analysis.words("estimaciones mundiales"), "es", CONCEPTS) == ("estim", "mundial")


@pytest.mark.parametrize(
    ("query", "heading", "expected"),
    [
        ("Cash for Class", "Cash for Class: child labour and enrolment subsidies in Peru", TITLE),
        ("cash for class", "Cash for Class", TITLE),
        ("Minimum Age Convention", "Minimum Age Convention, 1973 (No. 138)", PHRASE),
        (
            "evaluation Nepal bonded labour",
            "Evaluation of the South-Eastern Nepal Hotspot to Reduce Bonded Labour",
            ALL_WORDS,
        ),
        ("evaluation Nepal bonded labour", "Evaluation of an Indian bonded labour hotspot", NONE),
        ("Minimum Age Convention", "ILO convention on the age of admission", NONE),
        # the parenthesis qualifies the name: not a subtitle
        ("modern slavery", "Modern slavery (forced labour and forced marriage)", PHRASE),
    ],
)
def test_tiers_in_english(query: str, heading: str, expected: int) -> None:
    assert tier(query, (heading, "en")) == expected


def test_a_translated_heading_counts_in_its_own_language() -> None:
    headings = [
        ("Global Estimates of Modern Slavery", "en"),
        ("Estimaciones mundiales sobre la esclavitud moderna: Trabajo forzoso", "es"),
    ]
    assert tier("estimaciones mundiales sobre la esclavitud moderna", *headings) == TITLE
    assert tier("estimaciones mundiales sobre la esclavitud moderna", headings[0]) == NONE


def test_a_concept_matches_its_label_in_another_language() -> None:
    assert tier("travail des enfants", ("Children in child labour (millions)", "en")) == PHRASE
    # the whole heading says what was typed, concept for concept: the title
    assert tier("trabajo infantil Népal", ("Child labour in Nepal", "en")) == TITLE
    # a translation naming only the main title is not: the same words in its language are
    assert tier("child labour in Nepal", ("Child labour in Nepal", "en")) == TITLE
    assert tier("trabajo infantil", ("Trabajo infantil: un informe", "es")) == TITLE
    assert tier("trabajo infantil", ("Child labour: a report", "en")) == PHRASE
    # a concept inside a longer label (an indicator's official name) still counts
    assert tier("trabajo infantil", ("Number of children in child labour", "en")) == PHRASE
    assert tier("travail des enfants", ("Child marriage", "en")) == NONE


def test_a_heading_that_is_a_name_of_the_concept_typed_is_the_title() -> None:
    official = ("Worst Forms of Child Labour Convention, 1999 (No. 182)", "en")
    news = ("ILO Convention No. 182 becomes the first universally ratified convention", "en")
    for query in (
        "Worst Forms of Child Labour Convention",
        "Convenio sobre las peores formas de trabajo infantil",
    ):
        assert tier(query, official) == TITLE
        assert tier(query, news) == PHRASE
    # a subtitle's main title named by a synonym is not the title
    assert tier("trabajo infantil", ("Child labour: a report", "en")) == PHRASE


def test_words_found_counts_the_query_in_any_language() -> None:
    words = analysis.words("Protocolo para prevenir y sancionar el trabajo infantil")
    english = [("Protocol to Prevent Child Labour", "en")]
    spanish = [("Trabajo infantil en cifras", "es")]
    assert ranking.words_found(words, english, CONCEPTS) == 2  # "protocol", the concept
    assert ranking.words_found(words, spanish, CONCEPTS) == 1
    ranked = [(1, 5.0), (2, 4.0)]
    both = {1: spanish, 2: english}
    assert [i for i, _s in in_tiers(ranked, both, words, CONCEPTS)] == [2, 1]


def test_no_words_no_tier() -> None:
    assert tier("the of", ("The Of", "en")) == NONE
    assert tier("anything", ("", "en")) == NONE


def test_in_tiers_keeps_the_engine_order_within_a_tier() -> None:
    ranked = [(1, 9.0), (2, 8.0), (3, 7.0), (4, 6.0)]
    headings = {
        1: [("News about the Minimum Age Convention", "en")],
        2: [("Minimum Age Convention, 1973 (No. 138)", "en")],
        3: [("Minimum Age Convention", "en")],
        4: [("Convention on minimum age", "en")],
    }
    words = analysis.words("Minimum Age Convention")
    assert [i for i, _s in in_tiers(ranked, headings, words, CONCEPTS)] == [3, 1, 2, 4]
    # scores are the engine's, unchanged
    assert dict(in_tiers(ranked, headings, words, CONCEPTS)) == dict(ranked)


@pytest.mark.django_db
def test_ranked_ids_puts_the_title_first_within_the_window_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over a real index: the document called what was typed comes first although the engine
    scores a page that repeats the words higher; past the window the engine's order stands,
    so page two continues page one."""
    many = [
        DocumentData(
            kind="news",
            object_id=f"n{i}",
            heading=f"Report {i} on bonded labour",
            path=f"/en/news/n{i}/",
            texts=[
                Text("bonded labour " * 3, "en", "title"),
                Text("bonded labour " * 5, "en"),
            ],
        )
        for i in range(6)
    ]
    named = DocumentData(
        kind="publication",
        object_id="p1",
        heading="Bonded Labour: forty years of studies in brick kilns, farms and homes",
        path="/en/library/p1/",
        texts=[
            Text(
                "Bonded Labour: forty years of studies in brick kilns, farms and homes",
                "en",
                "title",
            )
        ],
    )
    index_rebuild(documents=[*many, named])
    docs = SearchDocument.objects.all()
    plan = engine.Plan(required=[[("bond",)], [("labour",)]])
    words = analysis.words("bonded labour")
    engine_order = engine.ranked_ids(docs, plan, offset=0, limit=10)
    ids = {d.pk: d.object_id for d in docs}
    assert ids[engine_order[0][0]] != "p1"
    first = ranking.ranked_ids(docs, plan, words, offset=0, limit=3)
    assert ids[first[0][0]] == "p1"
    every = ranking.ranked_ids(docs, plan, words, offset=0, limit=10)
    assert every[:3] == first and sorted(every) == sorted(engine_order)
    assert ranking.ranked_ids(docs, plan, words, offset=3, limit=3) == every[3:6]
    monkeypatch.setattr(ranking, "WINDOW", 2)  # past the window: the engine's order
    assert ranking.ranked_ids(docs, plan, words, offset=2, limit=5) == engine_order[2:7]
