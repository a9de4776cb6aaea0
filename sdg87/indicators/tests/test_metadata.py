"""The metadata catalogue read from its TOML data files (no database)."""

from __future__ import annotations

import datetime

import pytest

from sdg87.indicators import analysis, metadata
from sdg87.indicators.metadata import SeriesSpec, _load


def test_every_entity_is_read_with_its_codes_unique():
    """9 indicators, 41 series, 7 sources and 15 releases, each code once."""
    for specs, count in (
        (metadata.INDICATORS, 9),
        (metadata.SERIES, 41),
        (metadata.SOURCES, 7),
        (metadata.RELEASES, 15),
    ):
        codes = [spec.code for spec in specs]
        assert len(codes) == len(set(codes)) == count


def test_references_between_entities_resolve():
    """A series names a known indicator; a release a known source, with an ISO date if any."""
    indicators = {i.code for i in metadata.INDICATORS}
    sources = {s.code for s in metadata.SOURCES}
    assert {s.indicator for s in metadata.SERIES} <= indicators
    assert {r.source for r in metadata.RELEASES} <= sources
    for release in metadata.RELEASES:
        if release.released_on:
            datetime.date.fromisoformat(release.released_on)


def test_target_years_come_from_the_code_constants():
    """Child labour series aim at 2025, the 16.2.2 and 5.3.1 series at 2030 (the constants
    the data files name)."""
    by_code = {s.code: s for s in metadata.SERIES}
    assert by_code["SL_TLF_CHLDEA"].target_year == analysis.CHILD_LABOUR_TARGET_YEAR == 2025
    assert by_code["VC_HTF_DETVR"].target_year == analysis.SDG_TARGET_YEAR == 2030
    assert by_code["SP_DYN_MRBF15"].target_year == 2030
    years = {s.target_year for s in metadata.SERIES}
    assert years <= {None, analysis.CHILD_LABOUR_TARGET_YEAR, analysis.SDG_TARGET_YEAR}


def test_typed_values_and_translations_as_written():
    """Tuples, ints and nested translations read back as the specs declare them."""
    by_code = {s.code: s for s in metadata.SERIES}
    assert by_code["VC_HTF_DETVFL"].dimensions == ("exploitation",)
    assert (by_code["VC_HTF_DETVFL"].decimals, by_code["VC_HTF_DETVFL"].sort_order) == (0, 202)
    assert by_code["VC_HTF_DETVFLR"].translations["fr"]["name"] == (
        "Victimes détectées de la traite à des fins de travail forcé, de servitude et "
        "d'esclavage (pour 100 000 habitants)"
    )
    (sdg871,) = [i for i in metadata.INDICATORS if i.code == "8.7.1"]
    assert (sdg871.goal, sdg871.target, sdg871.is_sdg) == (8, "8.7", True)
    assert "Metadata-08-07-01.pdf" in sdg871.methodology


def test_an_unknown_field_fails_at_import(tmp_path, monkeypatch):
    """A typo in a data file is an error naming the entry, not a silently ignored field."""
    (tmp_path / "bad.toml").write_text(
        '[[series]]\ncode = "X"\nindicator = "8.7.1"\nname = "x"\nunit = "U"\n'
        'unit_label = "u"\ntarget_yaer = 2030\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(metadata, "_data_text", lambda file: (tmp_path / file).read_text())
    with pytest.raises(TypeError, match="X: unknown fields \\['target_yaer'\\]"):
        _load(SeriesSpec, "bad.toml", "series")
