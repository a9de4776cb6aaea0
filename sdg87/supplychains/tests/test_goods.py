"""Good names: comparison key, slugs, the synonym file and its checks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sdg87.supplychains.goods import (
    SynonymFileError,
    good_slug,
    load_synonyms,
    normalise_good,
    parse_synonyms,
    resolve_good,
)

DATA = Path(__file__).resolve().parents[3] / "data"
SYNONYMS = DATA / "supplychains" / "goods_synonyms.csv"
GOODS_CSV = DATA / "dol_ilab" / "dol_goods_list_by_app_file.csv"


def _dol_goods() -> dict[str, str]:
    with GOODS_CSV.open(encoding="utf-8", newline="") as handle:
        return {normalise_good(r["good"]): r["good"] for r in csv.DictReader(handle)}


def test_normalise_ignores_case_accents_spaces_and_dashes() -> None:
    """Case, accents, runs of spaces and typographic dashes do not change the key."""
    assert normalise_good("  Açaí   Berries ") == "acai berries"
    assert normalise_good("Hand\u2013rolled") == normalise_good("hand-rolled")
    assert normalise_good("Cereal grains") == normalise_good("Cereal Grains")
    assert normalise_good("") == ""


def test_slug_of_dol_names() -> None:
    """Slugs are lower-case ASCII words joined by hyphens."""
    assert good_slug("Khat/Miraa (stimulant plant)") == "khat-miraa-stimulant-plant"
    assert good_slug("Açaí Berries") == "acai-berries"
    assert good_slug("Beans (green, soy, yellow)") == "beans-green-soy-yellow"


def test_every_dol_good_has_its_own_slug() -> None:
    """Two DOL names share a slug only when they differ by case alone (one good)."""
    seen: dict[str, str] = {}
    for key, name in _dol_goods().items():
        slug = good_slug(name)
        assert seen.setdefault(slug, key) == key, (name, seen[slug])
    # 176 printed names, 2 of them case variants (Cereal grains, Sweet potatoes)
    assert len(seen) == 174


def test_bundled_synonyms_point_at_dol_goods() -> None:
    """Every synonym in the bundled file maps to a good DOL actually lists."""
    synonyms = load_synonyms(SYNONYMS)
    goods = _dol_goods()
    assert len(synonyms) >= 40
    for synonym, good in synonyms.items():
        assert normalise_good(good) in goods, (synonym, good)
    assert synonyms["cocoa beans"] == "Cocoa"
    assert synonyms["garments"] == "Garments"
    assert synonyms["coltan"] == "Tantalum ore (coltan)"


def test_resolve_exact_synonym_and_unknown() -> None:
    """Exact names win, synonyms come next, anything else is unmatched."""
    goods = _dol_goods()
    synonyms = load_synonyms(SYNONYMS)
    assert resolve_good("COCOA", goods=goods, synonyms=synonyms) == ("Cocoa", "exact")
    assert resolve_good("Cocoa beans", goods=goods, synonyms=synonyms) == ("Cocoa", "synonym")
    assert resolve_good("cassava", goods=goods, synonyms=synonyms) == (
        "Manioc/Cassava",
        "synonym",
    )
    assert resolve_good("chocolate", goods=goods, synonyms=synonyms) is None
    assert resolve_good("   ", goods=goods, synonyms=synonyms) is None


def test_synonym_to_an_unlisted_good_does_not_match() -> None:
    """A synonym whose target is not among the goods given is not a match."""
    assert resolve_good("x", goods={"cocoa": "Cocoa"}, synonyms={"x": "Tea"}) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("synonym,good,note\n", "header: missing column(s) source_url"),
        ("synonym,good,source_url,note\n,Cocoa,https://x.org,\n", "row 2, column synonym"),
        ("synonym,good,source_url,note\na,Cocoa,,\n", "row 2, column source_url: empty"),
        ("synonym,good,source_url,note\na,Cocoa,ftp://x,\n", "row 2, column source_url: not"),
        (
            "synonym,good,source_url,note\na,Cocoa,https://x.org,\nA,Tea,https://x.org,\n",
            "row 3, column synonym",
        ),
    ],
)
def test_malformed_synonym_files_name_row_and_column(text: str, message: str) -> None:
    """Each malformed file is refused with the row and column at fault."""
    with pytest.raises(SynonymFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_synonyms(text.splitlines())
