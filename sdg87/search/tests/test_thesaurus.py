"""The SDG 8.7 thesaurus: the curated CSV is complete and clean, and its labels match across
English, French and Spanish at index and at query time."""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sdg87.search.analysis import analyse, fold, words
from sdg87.search.query import parse_query
from sdg87.search.thesaurus import (
    THESAURUS_VERSION,
    Thesaurus,
    concept_token,
    load_thesaurus,
    read_rows,
)

DATA = Path(settings.BASE_DIR) / "data" / "search"
PLACES = [
    ("place-CIV", "fr", "Côte d'Ivoire"),
    ("place-CIV", "en", "Côte d'Ivoire"),
    ("place-CIV", "en", "Ivory Coast"),
    ("place-CIV", "es", "Costa de Marfil"),
]
REQUIRED = {
    "labour",
    "child-labour",
    "worst-forms-of-child-labour",
    "hazardous-work",
    "forced-labour",
    "state-imposed-forced-labour",
    "forced-child-labour",
    "modern-slavery",
    "slavery",
    "human-trafficking",
    "bonded-labour",
    "forced-marriage",
    "child-marriage",
    "domestic-work",
    "migrant-workers",
    "labour-inspection",
    "cocoa",
    "cotton",
    "coffee",
    "sugarcane",
    "gold",
    "bricks",
    "fishing",
    "mining",
    "agriculture",
    "supply-chains",
    "due-diligence",
    "evaluation",
    "impact-evaluation",
    "children-in-employment",
    "out-of-school-children",
    "social-protection",
    "recruitment-fees",
    "estimates",
    "prevalence",
    "sdg-target-8.7",
    "sdg-indicator-8.7.1",
    "sdg-indicator-16.2.2",
    "sdg-indicator-5.3.1",
    "series-sl_tlf_chldec",
    "series-sl_tlf_chldea",
    "ilo-c029",
    "ilo-c105",
    "ilo-c138",
    "ilo-c182",
    "ilo-p029",
}


@pytest.fixture(scope="module")
def rows():
    return read_rows(DATA / "thesaurus.csv")


@pytest.fixture(scope="module")
def thesaurus():
    return load_thesaurus(extra_rows=PLACES)


def _concepts(thesaurus: Thesaurus, text: str) -> list[tuple[str, int, int]]:
    return [(m.concept, m.start, m.end) for m in thesaurus.query_concepts(words(text))]


# --- the file ---------------------------------------------------------------------------


def test_every_concept_has_english_french_and_spanish_labels(rows):
    langs = defaultdict(set)
    for row in rows:
        langs[row.concept].add(row.lang)
    assert set(langs) >= REQUIRED
    missing = {concept: {"en", "fr", "es"} - found for concept, found in langs.items()}
    assert {concept: m for concept, m in missing.items() if m} == {}


def test_no_duplicate_rows_and_every_source_given(rows):
    keys = [(row.concept, row.lang, fold(row.label)) for row in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        assert row.source.strip(), row
        assert row.source.startswith(("https://", "editorial: ")), row
        assert "https://" in row.source, row


def test_concept_ids_are_plain_and_their_tokens_distinct(rows):
    concepts = {row.concept for row in rows}
    for concept in concepts:
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", concept), concept
    assert len({concept_token(c) for c in concepts}) == len(concepts)


def test_every_label_has_terms_and_no_two_concepts_share_one(rows):
    """A label of stop words only could never match; a label shared by two concepts would
    make the thesaurus ambiguous; a label equal to another of the same concept is noise."""
    owners = defaultdict(set)
    spellings = defaultdict(list)
    for row in rows:
        terms = tuple(analyse(row.label, row.lang))
        assert terms, row
        owners[(row.lang, terms)].add(row.concept)
        spellings[(row.concept, row.lang, terms)].append(row.label)
    assert {key: c for key, c in owners.items() if len(c) > 1} == {}
    assert {key: s for key, s in spellings.items() if len(s) > 1} == {}


def test_the_version_comes_from_the_meta_file(thesaurus):
    meta = json.loads((DATA / "thesaurus.meta.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["updated"])
    assert meta["version"] == THESAURUS_VERSION
    assert thesaurus.version == meta["version"]


def test_a_bad_file_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "thesaurus.csv"
    bad.write_text("concept,lang,label,source\nx,de,Kinderarbeit,https://example.org\n")
    with pytest.raises(ValueError, match=":2: language 'de'"):
        read_rows(bad)
    bad.write_text("concept,lang,label,source\nx,en,child labour,\n")
    with pytest.raises(ValueError, match=":2: an empty cell"):
        read_rows(bad)
    bad.write_text("concept,label\n")
    with pytest.raises(ValueError, match="header"):
        read_rows(bad)


# --- tokens and labels ------------------------------------------------------------------


def test_concept_tokens_are_zz_and_plain_letters():
    assert concept_token("child-labour") == "zzchildlabour"
    assert concept_token("place-CIV") == "zzplaceciv"
    assert concept_token("sdg-indicator-8.7.1") == "zzsdgindicator871"
    assert concept_token("series-sl_tlf_chldec") == "zzseriessltlfchldec"


def test_two_concepts_with_one_token_are_refused():
    with pytest.raises(ValueError, match="same token"):
        Thesaurus([("child-labour", "en", "child labour"), ("childlabour", "en", "child work")])


def test_labels_in_a_language_and_the_preferred_one(thesaurus):
    assert thesaurus.labels("child-labour", "es") == ["trabajo infantil"]
    assert thesaurus.label("child-labour", "fr") == "travail des enfants"
    assert thesaurus.label("child-labour", "de") == "child labour"
    assert thesaurus.label("no-such-concept") == "no-such-concept"
    assert "place-CIV" in thesaurus


# --- query matching ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["child labour", "child labor", "travail des enfants", "trabajo infantil", "Child-Labour"],
)
def test_child_labour_in_three_languages_is_one_concept(thesaurus, text):
    assert _concepts(thesaurus, text) == [("child-labour", 0, len(words(text)))]


@pytest.mark.parametrize("text", ["labour", "labor", "travail", "trabajo"])
def test_labour_spellings_are_one_concept(thesaurus, text):
    assert _concepts(thesaurus, text) == [("labour", 0, 1)]


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("forced labour", "forced-labour"),
        ("travail forcé", "forced-labour"),
        ("trabajo forzoso", "forced-labour"),
        ("human trafficking", "human-trafficking"),
        ("traite des personnes", "human-trafficking"),
        ("trata de personas", "human-trafficking"),
        ("debt bondage", "bonded-labour"),
        ("bonded labour", "bonded-labour"),
        ("servidumbre por deudas", "bonded-labour"),
        ("esclavage moderne", "modern-slavery"),
        ("domestic work", "domestic-work"),
        ("trabajo doméstico", "domestic-work"),
        ("cocoa", "cocoa"),
        ("cacao", "cocoa"),
        ("algodón", "cotton"),
        ("chaînes d'approvisionnement", "supply-chains"),
        ("SDG 8.7.1", "sdg-indicator-8.7.1"),
        ("indicateur 8.7.1", "sdg-indicator-8.7.1"),
        ("SL_TLF_CHLDEC", "series-sl_tlf_chldec"),
        ("C182", "ilo-c182"),
        ("Convenio núm. 182", "ilo-c182"),
        ("Convention (n° 29) sur le travail forcé, 1930", "ilo-c029"),
    ],
)
def test_labels_match_as_a_whole(thesaurus, text, concept):
    assert _concepts(thesaurus, text) == [(concept, 0, len(words(text)))]


def test_the_longest_label_wins_and_matches_do_not_overlap(thesaurus):
    """ "worst forms of child labour" is one concept, not also "child labour" or "labour"."""
    assert _concepts(thesaurus, "worst forms of child labour") == [
        ("worst-forms-of-child-labour", 0, 5)
    ]
    assert _concepts(thesaurus, "the worst forms of child labour in cocoa") == [
        ("worst-forms-of-child-labour", 1, 6),
        ("cocoa", 7, 8),
    ]


def test_a_mixed_language_query_with_a_place(thesaurus):
    """The issue's example: a French query with a country name from the database."""
    parsed = parse_query("travail des enfants cacao Côte d'Ivoire")
    found = thesaurus.query_concepts(parsed.words)
    # parsed words: travail enfants cacao cote ivoire (stop words "des" and "d" dropped)
    assert [(m.concept, m.start, m.end) for m in found] == [
        ("child-labour", 0, 2),
        ("cocoa", 2, 3),
        ("place-CIV", 3, 5),
    ]
    assert found[0].token == "zzchildlabour"
    assert _concepts(thesaurus, "Ivory Coast") == [("place-CIV", 0, 2)]
    assert _concepts(thesaurus, "costa de marfil") == [("place-CIV", 0, 3)]


def test_english_query_words_that_are_not_labels_are_left_alone(thesaurus):
    assert _concepts(thesaurus, "labor trafficking evaluations Nepal") == [
        ("labour", 0, 1),
        ("human-trafficking", 1, 2),
        ("evaluation", 2, 3),
    ]
    assert _concepts(thesaurus, "Nepal 2019") == []
    assert thesaurus.query_concepts([]) == []


def test_a_run_that_spells_two_concepts_gives_both():
    thesaurus = Thesaurus([("place-COD", "en", "Congo"), ("place-COG", "en", "Congo")])
    assert _concepts(thesaurus, "congo") == [("place-COD", 0, 1), ("place-COG", 0, 1)]


# --- index matching ---------------------------------------------------------------------


def test_index_concepts_in_an_english_document(thesaurus):
    """Every label that occurs counts, nested ones too."""
    terms = analyse("Elimination of the worst forms of child labour in cocoa farming", "en")
    assert thesaurus.index_concepts(terms) == {
        "worst-forms-of-child-labour",
        "child-labour",
        "labour",
        "cocoa",
    }


def test_index_concepts_in_french_and_spanish_documents(thesaurus):
    """ "mines d'or": "or" is a stop word, so only mining is found (see PROVENANCE)."""
    fr = analyse("Le travail forcé dans les mines d'or", "fr")
    assert thesaurus.index_concepts(fr) == {"labour", "forced-labour", "mining"}
    es = analyse("Trata de personas y trabajo forzoso en la minería de oro", "es")
    assert thesaurus.index_concepts(es) == {
        "human-trafficking",
        "labour",
        "forced-labour",
        "mining",
        "gold",
    }


def test_index_concepts_for_codes(thesaurus):
    terms = analyse("SDG indicator 8.7.1 and series SL_TLF_CHLDEC", "en")
    assert thesaurus.index_concepts(terms) == {"sdg-indicator-8.7.1", "series-sl_tlf_chldec"}
    assert thesaurus.index_concepts(analyse("87 countries", "en")) == set()
    assert thesaurus.index_concepts([]) == set()


def test_a_label_without_language_matches_in_each():
    thesaurus = Thesaurus([("place-CIV", "", "Côte d'Ivoire")])
    assert thesaurus.index_concepts(analyse("Côte d'Ivoire", "en")) == {"place-CIV"}
    assert thesaurus.index_concepts(analyse("Côte d'Ivoire", "fr")) == {"place-CIV"}
    assert thesaurus.index_concepts(analyse("Côte d'Ivoire", "es")) == {"place-CIV"}


@functools.cache
def _module_thesaurus() -> tuple[Thesaurus, list[tuple[str, ...]]]:
    """The thesaurus of the fixture above and the term sequences of its labels (hypothesis
    tests cannot take function-scoped fixtures)."""
    rows = [*read_rows(DATA / "thesaurus.csv"), *PLACES]
    labels = sorted({tuple(analyse(row[2], row[1])) for row in rows} - {()})
    return load_thesaurus(extra_rows=PLACES), labels


@hypothesis_settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_index_concepts_agree_with_matching_term_by_term(data):
    """The substring search over the joined terms finds exactly what comparing the terms at
    every position finds, for runs of label terms, near misses and arbitrary strings."""
    thesaurus, labels = _module_thesaurus()
    label = st.sampled_from(labels)
    piece = (
        label  # a whole label
        | label.map(lambda t: t[:-1])  # a label cut short
        | label.map(lambda t: ("x" + t[0], *t[1:]))  # glued to the term before
        | label.map(lambda t: (*t[:-1], t[-1] + "x"))  # glued to the term after
        | st.sampled_from(["x", "8", "zz", ""]).map(lambda t: (t,))
        | st.text(max_size=4).map(lambda t: (t,))
    )
    terms = [t for chunk in data.draw(st.lists(piece, max_size=12)) for t in chunk]
    assert thesaurus.index_concepts(terms) == thesaurus._index_concepts_by_position(terms)


def test_index_concepts_with_a_term_that_holds_a_space():
    """Not an analysed term, but still matched term by term (no run across the space)."""
    thesaurus = Thesaurus([("child-labour", "en", "child labour")])
    assert thesaurus.index_concepts(["child labour"]) == set()
    assert thesaurus.index_concepts(["x y", "child", "labour"]) == {"child-labour"}
