"""“Did you mean”: misspelled query words replaced by the closest, most frequent vocabulary
word; correct, short, coded and variant words left alone; fast with 50,000 words."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from sdg87.search.analysis import fold
from sdg87.search.suggest import did_you_mean

# Document frequencies below are hand-picked for the tests, not measured from any corpus.
VOCABULARY = {
    "trafficking": 50,
    "child": 120,
    "labour": 90,
    "labor": 40,
    "travail": 60,
    "force": 25,
    "forced": 30,
    "enfants": 45,
    "work": 200,
    "cote": 12,
    "ivoire": 12,
}


def test_a_misspelled_word_is_corrected():
    assert did_you_mean(["trafficing"], VOCABULARY) == "trafficking"


def test_a_transposition_is_corrected_and_correct_words_are_kept():
    assert did_you_mean(["chlid", "labour"], VOCABULARY) == "child labour"


def test_ties_go_to_the_more_frequent_word():
    """'cacoa' is as close to 'cacao' as to 'cocoa' (ratio 80 both); frequency decides."""
    assert fuzz.ratio("cacoa", "cacao") == fuzz.ratio("cacoa", "cocoa") == 80
    assert did_you_mean(["cacoa"], {"cacao": 5, "cocoa": 30}) == "cocoa"
    assert did_you_mean(["cacoa"], {"cacao": 30, "cocoa": 5}) == "cacao"


def test_equal_score_and_frequency_go_to_the_alphabetically_first():
    assert did_you_mean(["cacoa"], {"cocoa": 7, "cacao": 7}) == "cacao"


def test_a_closer_word_beats_a_more_frequent_one():
    """'trafficing' is closer to 'trafficking' (95) than to 'trafficker' (90)."""
    assert did_you_mean(["trafficing"], {"trafficking": 1, "trafficker": 1000}) == "trafficking"


def test_the_answer_is_folded():
    """Words are folded first; the answer shows them folded ('forcé' -> 'force')."""
    assert did_you_mean(["travial", "forcé"], VOCABULARY) == "travail force"


def test_correct_words_give_none():
    assert did_you_mean(["child", "labour"], VOCABULARY) is None
    assert did_you_mean(["Côte", "d", "Ivoire"], VOCABULARY) is None


def test_words_shorter_than_four_letters_are_untouched():
    """'wok' is close to 'work' (ratio 86) but too short to judge."""
    assert fuzz.ratio("wok", "work") > 80
    assert did_you_mean(["wok"], VOCABULARY) is None
    assert did_you_mean(["wok", "chlid"], VOCABULARY) == "wok child"


def test_codes_numbers_stop_words_and_operators_are_untouched():
    vocabulary = {"c0290": 3, "2024": 9, "nears": 4, "leurss": 2}
    assert did_you_mean(["c029", "2023", "near", "leurs"], vocabulary) is None


def test_a_variant_of_a_vocabulary_word_is_not_a_misspelling():
    """'labours' is close to 'labour' (ratio 92) and shares its stem 'labour', 'enfant' the
    stem 'enfant' with 'enfants': the search finds them, so they are not corrected."""
    assert fuzz.ratio("labours", "labour") > 80
    assert fuzz.ratio("enfant", "enfants") > 80
    assert did_you_mean(["labours"], VOCABULARY) is None
    assert did_you_mean(["enfant", "chlid"], VOCABULARY) == "enfant child"


def test_nothing_close_enough_gives_none():
    assert did_you_mean(["zzzzzz"], VOCABULARY) is None
    assert did_you_mean(["chlid"], VOCABULARY, min_score=85) is None


def test_empty_input():
    assert did_you_mean([], VOCABULARY) is None
    assert did_you_mean(["chlid"], {}) is None


def _synthetic_vocabulary(size: int) -> dict[str, int]:
    """SYNTHETIC: random 3-14 letter strings with random frequencies, for timing only."""
    rng = random.Random(87)
    vocabulary: dict[str, int] = {}
    while len(vocabulary) < size:
        length = rng.choice([3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 10, 11, 12, 14])
        word = "".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(length))
        vocabulary[word] = rng.randint(1, 500)
    return vocabulary


def test_fast_with_a_large_vocabulary():
    """Three misspelled words against 50,000 words: about 10 ms measured; CI allows 300 ms."""
    # the real words outrank synthetic look-alikes at the same distance ("uhlid" for "chlid")
    vocabulary = _synthetic_vocabulary(50_000) | {word: 1000 for word in VOCABULARY}
    started = time.perf_counter()
    answer = did_you_mean(["trafficing", "chlid", "travial"], vocabulary)
    elapsed = time.perf_counter() - started
    assert answer == "trafficking child travail"
    assert elapsed < 0.3
    started = time.perf_counter()
    for _ in range(100):
        assert did_you_mean(["child", "labour"], vocabulary) is None
    assert (time.perf_counter() - started) / 100 < 0.001


_WORD = st.text(alphabet=st.sampled_from("abcdeéo1_"), max_size=8)


@settings(max_examples=300, database=None)
@given(st.lists(_WORD, max_size=5), st.dictionaries(_WORD, st.integers(1, 100), max_size=30))
def test_an_answer_keeps_the_words_in_place(words, vocabulary):
    """Each word of an answer is the folded query word or a vocabulary word; at least one
    changed."""
    answer = did_you_mean(words, vocabulary)
    if answer is None:
        return
    folded = [fold(word) for word in words]
    parts = answer.split(" ")
    assert len(parts) == len(folded)
    assert parts != folded
    for part, word in zip(parts, folded, strict=True):
        assert part == word or (part in vocabulary and len(word) >= 4)
