"""core.translations.parsers (pure) and the bundled files in data/translations/."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from sdg87.core.ingest import ParseError
from sdg87.core.translations.parsers import parse_translations

DATA = Path(__file__).resolve().parents[3] / "data"
HEADER = "model,key,field,language,origin,text,source_text,citation\n"
LANGS = ("fr", "es")


def _parse(body: str) -> list:
    return list(parse_translations(HEADER + body, languages=LANGS))


def test_rows_are_read() -> None:
    rows = _parse(
        "indicators.indicator,8.7.1,name,fr,publisher,Nom,Name,A/RES/71/313\n"
        ",Cocoa,dol-good,es,editorial,Cacao,,\n"
    )
    assert [(r.line, r.model, r.key, r.language, r.origin, r.text) for r in rows] == [
        (2, "indicators.indicator", "8.7.1", "fr", "publisher", "Nom"),
        (3, "", "Cocoa", "es", "editorial", "Cacao"),
    ]


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        (",Cocoa,dol-good,en,editorial,Cocoa,,\n", 2, "language"),
        (",Cocoa,dol-good,fr,machine,Cacao,,\n", 2, "origin"),
        (",Cocoa,dol-good,fr,publisher,Cacao,,\n", 2, "citation"),
        (",Cocoa,dol-good,fr,editorial,,,\n", 2, "text"),
        (",,dol-good,fr,editorial,Cacao,,\n", 2, "key"),
        (",Cocoa,dol-good,fr,editorial,Cacao,,\n,Cocoa,dol-good,fr,editorial,X,,\n", 3, "key"),
    ],
)
def test_problems_name_row_and_column(body: str, row: int, column: str) -> None:
    with pytest.raises(ParseError) as info:
        _parse(body)
    assert (info.value.row, info.value.column) == (row, column)


def test_missing_column() -> None:
    with pytest.raises(ParseError) as info:
        list(parse_translations("model,key,field\n", languages=LANGS))
    assert info.value.row == 1


def _bundled(name: str) -> list:
    text = (DATA / "translations" / name).read_text(encoding="utf-8")
    return list(parse_translations(text, languages=LANGS))


def test_bundled_goods_glossary_covers_every_good_in_both_languages() -> None:
    """Every good of the bundled DOL list (176 names, as spelt in the file) has a French and a
    Spanish editorial name, and nothing else is in the glossary."""
    rows = _bundled("dol_goods.csv")
    with (DATA / "dol_ilab" / "dol_goods_list_by_app_file.csv").open(newline="") as f:
        goods = {r["good"].strip() for r in csv.DictReader(f)}
    assert len(goods) == 176
    for language in LANGS:
        assert {r.key for r in rows if r.language == language} == goods
    assert {(r.model, r.field, r.origin) for r in rows} == {("", "dol-good", "editorial")}


def test_bundled_framework_names_match_the_indicator_metadata() -> None:
    """The UN names cite A/RES/71/313 and translate the English names stored in the indicator
    metadata: five compared with a copy of the UN's versions are the publisher's, three not
    yet compared stay editorial and say so; the other editorial rows translate the stored
    definitions and units."""
    rows = _bundled("sdg_framework.csv")
    toml = (DATA.parent / "sdg87" / "indicators" / "metadata" / "indicators.toml").read_bytes()
    indicators = {i["code"]: i for i in tomllib.loads(toml.decode())["indicator"]}
    names = [r for r in rows if "A/RES/71/313" in r.citation]
    publisher = [r for r in names if r.origin == "publisher"]
    assert len(names) == 8 and len(publisher) == 5
    assert all("open-sdg/sdg-translations@" in r.citation for r in publisher)
    assert all(r.citation.startswith("Unverified") for r in names if r not in publisher)
    assert {(r.key, r.field) for r in names} == {
        ("8.7.1", "name"),
        ("16.2.2", "name"),
        ("5.3.1", "name"),
        ("8.7", "sdg-target"),
    }
    for row in rows:
        if row.model:
            assert row.source_text == indicators[row.key][row.field], row.line
    assert len([r for r in rows if r.origin == "editorial"]) == 15
