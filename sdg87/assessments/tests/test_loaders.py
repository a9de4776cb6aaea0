"""The load steps on the real bundled data (loaded once per session by `bundled_data`)."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Model

from sdg87.assessments import loaders, parsers
from sdg87.assessments.models import (
    CountryAssessment,
    FindingValue,
    GoodListing,
    SuggestedAction,
    TierPlacement,
)
from sdg87.core.ingest import ParseError
from sdg87.core.loading import LoadError, run_step

pytestmark = pytest.mark.django_db

DATA = Path(settings.SDG87_DATA_DIR)


def step(key: str):
    return next(s for s in loaders.STEPS if s.key == key)


def csv_rows(name: str) -> int:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_every_profile_row_is_loaded(bundled_data: None) -> None:
    """860 profile rows, one assessment each (no DOL name is skipped)."""
    assert csv_rows(loaders.PROFILES) == 860
    assert CountryAssessment.objects.count() == 860


def test_every_long_row_is_accounted_for(bundled_data: None) -> None:
    """81,810 rows = values loaded + territory label rows + empty-section markers."""
    stats = parsers.ParseStats()
    with (DATA / loaders.INDICATORS_LONG).open(encoding="utf-8", newline="") as fh:
        parsed = sum(1 for _ in parsers.parse_indicators_long(fh, stats))
    assert FindingValue.objects.count() == parsed
    assert parsed + sum(stats.skipped.values()) == 81_810
    assert stats.skipped == {"territory label": 4578, "empty section marker": 115}


def test_every_action_is_accounted_for(bundled_data: None) -> None:
    """Suggested actions loaded + empty action cells = rows in the file."""
    stats = parsers.ParseStats()
    with (DATA / loaders.SUGGESTED_ACTIONS).open(encoding="utf-8", newline="") as fh:
        list(parsers.parse_suggested_actions(fh, stats))
    assert SuggestedAction.objects.count() + stats.skipped["empty action"] == csv_rows(
        loaders.SUGGESTED_ACTIONS
    )


def test_goods_2021_edition(bundled_data: None) -> None:
    """goods_2021.xml lists 467 good-country pairs, 169 goods, 78 countries."""
    rows = GoodListing.objects.filter(source_file="goods_2021.xml")
    assert rows.count() == 467
    assert rows.values("good").distinct().count() == 169
    assert rows.values("country").distinct().count() == 78
    assert rows.values("release").distinct().count() == 1
    assert GoodListing.objects.count() == 2120


def test_each_goods_edition_has_its_own_release(bundled_data: None) -> None:
    """Five List editions, five releases citing their app file."""
    releases = {g.release.code: g.release for g in GoodListing.objects.select_related("release")}
    assert set(releases) == {
        "us-dol-ilab-goods-2016",
        "us-dol-ilab-goods-2017",
        "us-dol-ilab-goods-2018",
        "us-dol-ilab-goods-2019",
        "us-dol-ilab-goods-2021",
    }
    latest = releases["us-dol-ilab-goods-2021"]
    assert latest.year == 2023
    assert "goods_2021.xml" in latest.citation
    assert latest.source.code == "us-dol-ilab"
    assert "17 U.S.C." in latest.licence


def test_derived_goods_point_at_the_input_country(bundled_data: None) -> None:
    """Lithium-ion batteries from China are listed for cobalt from the DR Congo."""
    row = GoodListing.objects.get(
        source_file="goods_2021.xml", good="Lithium-Ion Batteries", country__iso3="CHN"
    )
    assert row.derived_labor_exploitation is True
    assert row.derived_country is not None
    assert row.derived_country.iso3 == "COD"


def test_afghanistan_2016_moderate_advancement(bundled_data: None) -> None:
    """Afghanistan's 2016 Findings: Moderate Advancement, cited to the 2016 edition."""
    row = CountryAssessment.objects.select_related("release").get(
        country__iso3="AFG", report_year=2016
    )
    assert row.advancement_level == "moderate"
    assert row.get_advancement_level_display() == "Moderate Advancement"
    assert row.release.code == "us-dol-ilab-findings-2016"
    assert row.source_file == "countries_2016.xml"


def test_countries_2021_file_is_the_2022_report(bundled_data: None) -> None:
    """countries_2021.xml holds the 2022 reporting year."""
    years = set(
        CountryAssessment.objects.filter(source_file="countries_2021.xml").values_list(
            "report_year", flat=True
        )
    )
    assert years == {2022}


def test_automatic_downgrades_from_both_encodings(bundled_data: None) -> None:
    """Downgrades come from the 2016-2017 column and from the later level text alike."""
    downgraded = CountryAssessment.objects.filter(automatic_downgrade=True)
    years = set(downgraded.values_list("report_year", flat=True))
    assert {2016, 2017} <= years
    assert years - {2016, 2017}
    assert not downgraded.filter(downgrade_reason="").exists()


def test_c182_ratification_value(bundled_data: None) -> None:
    """Afghanistan's 2016 profile states C182 is ratified."""
    value = FindingValue.objects.get(
        country__iso3="AFG", report_year=2016, section="Conventions", field_path="C_182_Ratified"
    )
    assert value.value_text == "Yes"
    assert value.value_number is None


def test_numbers_and_text_in_values(bundled_data: None) -> None:
    """Numbers are parsed; 'Unknown' stays text with no number."""
    inspectors = FindingValue.objects.get(
        country__iso3="AFG", report_year=2016, field_path="Labor_Inspectors"
    )
    assert (inspectors.value_text, inspectors.value_number) == ("32", 32.0)
    unknown = FindingValue.objects.filter(value_text="Unknown")
    assert unknown.exists()
    assert not unknown.exclude(value_number=None).exists()


def test_known_tip_tiers(bundled_data: None) -> None:
    """Kenya 2004 is on the Tier 2 Watch List; Kosovo (KOS in the file) is loaded as XKX."""
    kenya = TierPlacement.objects.get(country__iso3="KEN", year=2004)
    assert kenya.tier == "2WL"
    assert kenya.get_tier_display() == "Tier 2 Watch List"
    assert TierPlacement.objects.get(country__iso3="XKX", year=2010).tier == "2"
    assert not TierPlacement.objects.filter(year__lt=2001).exists()
    assert TierPlacement.objects.count() == 2251  # 3,208 rows minus 957 not rated


def test_every_alias_is_needed_and_used(bundled_data: None) -> None:
    """Each alias is used by a bundled file and is not already an exact geography name."""
    exact = loaders.country_matcher()
    exact._aliases = {}
    for name in parsers.NAME_ALIASES:
        with pytest.raises(ParseError):
            exact.match(name, row=None, column="country")
    matcher = loaders.country_matcher()
    for name in (loaders.PROFILES, loaders.GOODS_LIST):
        with (DATA / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for column in ("country", "derived_country"):
                    if row.get(column) not in (None, "", "No"):
                        matcher.match(row[column], row=None, column=column)
    assert set(matcher.aliases_used) == set(parsers.NAME_ALIASES)


def test_profile_goods_equal_a_list_edition() -> None:
    """The goods inside country profiles equal a List file edition for edition (so they are
    cross-checked, not loaded twice), except countries_2019.xml (an intermediate list)."""

    def key(good: str, country: str, flags: tuple[str, ...]) -> tuple[str, ...]:
        return (good, country, *flags)

    lists: dict[str, set[tuple[str, ...]]] = {}
    with (DATA / loaders.GOODS_LIST).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            flags = tuple(r[c] for c in parsers.GOODS_COLUMNS[5:])
            lists.setdefault(r["source_file"], set()).add(key(r["good"], r["country"], flags))
    profiles: dict[str, set[tuple[str, ...]]] = {}
    with (DATA / loaders.PROFILE_GOODS).open(encoding="utf-8", newline="") as fh:
        for row in parsers.parse_profile_goods(fh):
            profiles.setdefault(row.source_file, set()).add(key(row.good, row.country, row.flags))
    for findings_file, goods_file in parsers.FINDINGS_GOODS_EQUIVALENT.items():
        assert profiles[findings_file] == lists[goods_file], findings_file
    assert set(profiles) - set(parsers.FINDINGS_GOODS_EQUIVALENT) == {"countries_2019.xml"}


@pytest.mark.parametrize("key", [s.key for s in loaders.STEPS])
def test_reload_is_idempotent(bundled_data: None, key: str) -> None:
    """A forced reload writes the same rows again; an unchanged file is skipped."""
    models: dict[str, type[Model]] = {
        "assessments.dol_profiles": CountryAssessment,
        "assessments.dol_values": FindingValue,
        "assessments.dol_actions": SuggestedAction,
        "assessments.dol_goods": GoodListing,
        "assessments.tip_tiers": TierPlacement,
    }
    model = models[key]._default_manager
    before = model.count()
    outcome = run_step(step(key), data_dir=DATA, force=True)
    assert outcome.status == "loaded"
    assert outcome.rows == before == model.count()
    assert run_step(step(key), data_dir=DATA).status == "skipped"
    assert model.count() == before


def test_unknown_country_name_fails_with_file_row_and_column(
    bundled_data: None, tmp_path: Path
) -> None:
    """An unmatched DOL name aborts the step naming the file, row and column, and the step
    leaves the loaded data as it was."""
    target = tmp_path / loaders.PROFILES
    target.parent.mkdir(parents=True)
    shutil.copy(DATA / loaders.PROFILES, target)
    rows = csv_rows(loaders.PROFILES)
    with target.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(
            ["countries_2016.xml", "2016", "Atlantis", "", "No", "No Assessment", "", "", ""]
        )
    before = Counter(CountryAssessment.objects.values_list("report_year", flat=True))
    with pytest.raises(LoadError) as err:
        run_step(step("assessments.dol_profiles"), data_dir=tmp_path, force=True)
    assert err.value.file == loaders.PROFILES
    assert err.value.row == rows + 2
    assert err.value.column == "country"
    assert Counter(CountryAssessment.objects.values_list("report_year", flat=True)) == before
