"""Load steps for the bundled statistics (run after the geography steps).

Each step parses its files with a pure parser, upserts the metadata it needs (indicators,
series, sources, releases from `metadata.py`) and replaces its own observations, so running a
step twice gives the same rows. One release may be fed by several steps (the UN SDG extract
by three files, GSI 2023 by two); each step then replaces only its own series of the release.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, reading
from sdg87.core.loading import LoadStep
from sdg87.indicators import metadata, population
from sdg87.indicators.ingest.common import ObservationRow
from sdg87.indicators.ingest.global_estimates import (
    EstimatesTable,
    parse_child_labour_estimates,
    parse_modern_slavery_estimates,
)
from sdg87.indicators.ingest.owid import (
    parse_owid_child_labor_world,
    parse_owid_incidence_historical,
)
from sdg87.indicators.ingest.timeseries import (
    parse_ilostat_children_in_employment,
    parse_unsd_extract_history,
    parse_wdi_children_in_employment,
)
from sdg87.indicators.ingest.unsd_sdg import parse_unsd_sdg
from sdg87.indicators.ingest.walk_free import parse_gsi_country_estimates
from sdg87.indicators.models import Indicator, Release
from sdg87.indicators.services import (
    geography_codes,
    indicator_upsert,
    observations_import,
    release_upsert,
    series_upsert,
    source_upsert,
)

logger = logging.getLogger(__name__)


UNSD_871 = "unsd_sdg/sdg_8_7_1_child_labour_by_country.csv"
UNSD_1622 = "unsd_sdg/sdg_16_2_2_detected_trafficking_victims_by_country.csv"
UNSD_531 = "unsd_sdg/sdg_5_3_1_child_marriage_by_country.csv"
GE_CHILD_LABOUR = "global_estimates/ilo_unicef_child_labour_global_estimates.csv"
GE_MODERN_SLAVERY = "global_estimates/global_estimates_of_modern_slavery.csv"
GSI_COUNTRIES = "walk_free/gsi_2023_country_estimates.csv"
OWID_WORLD = "owid/owid_child_labor_world_ilo_2017.csv"
OWID_HISTORICAL = "owid/owid_incidence_of_child_labor_historical.csv"
TS_UNSD_871 = "timeseries/unsd_sdg_8_7_1_all_extracts_2018_2023.csv"
TS_WDI = "timeseries/wdi_children_in_employment_7_14.csv"
TS_ILOSTAT = "timeseries/ilostat_children_in_employment_5_17_thousands.csv"
UNSD_871_HISTORY_RELEASE = "unsd-sdg-earlier-extracts-2018-2022"


def _read(data_dir: Path, name: str) -> str:
    return (data_dir / name).read_text(encoding="utf-8-sig")


def _sha256(data_dir: Path, name: str) -> str:
    return hashlib.sha256((data_dir / name).read_bytes()).hexdigest()


def _parsed[T](name: str, parse: Callable[[], T]) -> T:
    with reading(name):
        return parse()


def metadata_upsert(
    *,
    indicators: Iterable[str],
    sources: Iterable[str],
    releases: Iterable[str],
    file_sha256: str = "",
) -> dict[str, Release]:
    """Upsert the named indicators (with all their series), sources and releases.

    `file_sha256` is recorded on the releases when they all come from that one bundled file.
    """
    wanted = set(indicators)
    by_code: dict[str, Indicator] = {}
    for spec in metadata.INDICATORS:
        if spec.code in wanted:
            by_code[spec.code] = indicator_upsert(
                code=spec.code,
                name=spec.name,
                is_sdg=spec.is_sdg,
                goal=spec.goal,
                target=spec.target,
                definition=spec.definition,
                unit=spec.unit,
                custodians=spec.custodians,
                methodology=spec.methodology,
                sort_order=spec.sort_order,
                translations=spec.translations,
            )
    for series in metadata.SERIES:
        if series.indicator in wanted:
            series_upsert(
                code=series.code,
                indicator=by_code[series.indicator],
                name=series.name,
                unit=series.unit,
                unit_label=series.unit_label,
                description=series.description,
                dimensions=list(series.dimensions),
                target_year=series.target_year,
                decimals=series.decimals,
                sort_order=series.sort_order,
                translations=series.translations,
            )
    source_codes = set(sources)
    source_objs = {
        spec.code: source_upsert(
            code=spec.code,
            title=spec.title,
            publisher=spec.publisher,
            licence=spec.licence,
            url=spec.url,
            licence_url=spec.licence_url,
            description=spec.description,
        )
        for spec in metadata.SOURCES
        if spec.code in source_codes
    }
    release_codes = set(releases)
    return {
        spec.code: release_upsert(
            source=source_objs[spec.source],
            code=spec.code,
            title=spec.title,
            year=spec.year,
            citation=spec.citation,
            provenance=spec.provenance,
            url=spec.url,
            released_on=(
                datetime.date.fromisoformat(spec.released_on) if spec.released_on else None
            ),
            licence_note=spec.licence_note,
            file_sha256=file_sha256,
        )
        for spec in metadata.RELEASES
        if spec.code in release_codes
    }


def _series_of(indicator: str) -> set[str]:
    return {s.code for s in metadata.SERIES if s.indicator == indicator}


def _import(release: Release, rows: list[ObservationRow], file: str, scope: set[str]) -> int:
    with reading(file):
        return observations_import(release=release, rows=rows, series_scope=scope)


def _unsd_step(file: str, indicator: str) -> Callable[[Path], int]:
    def run(data_dir: Path) -> int:
        table = _parsed(file, lambda: parse_unsd_sdg(_read(data_dir, file)))
        releases = metadata_upsert(
            indicators=[indicator],
            sources=["un-sdg-global-database"],
            releases=["unsd-sdg-2023-12"],
        )
        unknown = sorted(set(table.series) - _series_of(indicator))
        if unknown:
            raise ParseError(
                _("series without metadata: %(codes)s") % {"codes": ", ".join(unknown)},
                column="series_code",
                file=file,
            )
        # Aggregates (no ISO3) that the geography loaders do not define are skipped and logged
        # (e.g. LDC/LLDC/SIDS groups); an unknown country is an error.
        known = geography_codes()
        missing = {code for code in table.aggregates if code not in known}
        rows = [row for row in table.rows if row.geo not in missing]
        if missing:
            logger.warning(
                "%s: skipped %d rows for aggregates not defined as geographies: %s",
                file,
                len(table.rows) - len(rows),
                ", ".join(f"{code} {table.aggregates[code]}" for code in sorted(missing)),
            )
        return _import(releases["unsd-sdg-2023-12"], rows, file, _series_of(indicator))

    return run


def _log_unverified(file: str, table: EstimatesTable) -> None:
    if table.unverified_lines:
        logger.warning(
            "%s: %d unverified rows not loaded (rows %s)",
            file,
            len(table.unverified_lines),
            ", ".join(str(n) for n in table.unverified_lines),
        )


def run_child_labour_estimates(data_dir: Path) -> int:
    table = _parsed(
        GE_CHILD_LABOUR, lambda: parse_child_labour_estimates(_read(data_dir, GE_CHILD_LABOUR))
    )
    _log_unverified(GE_CHILD_LABOUR, table)
    codes = [r.code for r in metadata.RELEASES if r.source == "ilo-unicef-child-labour-estimates"]
    releases = metadata_upsert(
        indicators=["GE-CL"],
        sources=["ilo-unicef-child-labour-estimates"],
        releases=codes,
        file_sha256=_sha256(data_dir, GE_CHILD_LABOUR),
    )
    scope = _series_of("GE-CL")
    return sum(
        _import(releases[code], table.rows_by_release.get(code, []), GE_CHILD_LABOUR, scope)
        for code in codes
    )


GEMS_RELEASES = ("gems-2017", "gems-2022", "ilo-profits-poverty-2024")


def run_modern_slavery_estimates(data_dir: Path) -> int:
    table = _parsed(
        GE_MODERN_SLAVERY,
        lambda: parse_modern_slavery_estimates(_read(data_dir, GE_MODERN_SLAVERY)),
    )
    _log_unverified(GE_MODERN_SLAVERY, table)
    releases = metadata_upsert(
        indicators=["GE-MS"],
        sources=["global-estimates-modern-slavery"],
        releases=GEMS_RELEASES,
        file_sha256=_sha256(data_dir, GE_MODERN_SLAVERY),
    )
    scope = _series_of("GE-MS")
    return sum(
        _import(releases[code], table.rows_by_release.get(code, []), GE_MODERN_SLAVERY, scope)
        for code in GEMS_RELEASES
    )


def run_gsi_2023(data_dir: Path) -> int:
    countries = _parsed(
        GSI_COUNTRIES, lambda: parse_gsi_country_estimates(_read(data_dir, GSI_COUNTRIES))
    )
    regional = _parsed(
        GE_MODERN_SLAVERY,
        lambda: parse_modern_slavery_estimates(_read(data_dir, GE_MODERN_SLAVERY)),
    )
    releases = metadata_upsert(
        indicators=["GSI-2023"], sources=["walk-free-gsi"], releases=["gsi-2023"]
    )
    scope = _series_of("GSI-2023")
    release = releases["gsi-2023"]
    # Both files feed one release: import them in one call so neither replaces the other.
    rows = countries.rows + regional.rows_by_release.get("gsi-2023", [])
    return _import(release, rows, GSI_COUNTRIES, scope)


def _owid_step(
    file: str, release: str, parse: Callable[[str], list[ObservationRow]]
) -> Callable[[Path], int]:
    def run(data_dir: Path) -> int:
        rows = _parsed(file, lambda: parse(_read(data_dir, file)))
        releases = metadata_upsert(
            indicators=["OWID-CL-HIST"],
            sources=["our-world-in-data"],
            releases=[release],
            file_sha256=_sha256(data_dir, file),
        )
        return _import(releases[release], rows, file, _series_of("OWID-CL-HIST"))

    return run


def _point(row: ObservationRow) -> tuple[object, ...]:
    return (row.series, row.geo, row.year, row.sex, row.age)


def run_unsd_871_history(data_dir: Path) -> int:
    """The 8.7.1 values of earlier UN extracts that the December 2023 extract no longer holds,
    as their own older release (module docstring of ingest/timeseries.py). The file's rows of
    the newest extract must be the bundled extract, value for value, and no loaded row may be
    a data point of it: otherwise a value would be counted twice or the rule of ADR 0005 would
    pick between two versions of one extract."""
    history = _parsed(TS_UNSD_871, lambda: parse_unsd_extract_history(_read(data_dir, TS_UNSD_871)))
    bundled = _parsed(UNSD_871, lambda: parse_unsd_sdg(_read(data_dir, UNSD_871)))
    bundled_points = {_point(row): row.value for row in bundled.rows}
    current_points = {_point(row): row.value for row in history.current}
    if current_points != bundled_points:
        differing = sorted(set(current_points.items()) ^ set(bundled_points.items()), key=str)
        raise ParseError(
            _("the newest extract differs from %(file)s at %(points)s")
            % {"file": UNSD_871, "points": ", ".join(str(p) for p in differing[:3])},
            file=TS_UNSD_871,
        )
    overlap = next((row for row in history.history if _point(row) in bundled_points), None)
    if overlap is not None:
        raise ParseError(
            _("a value no longer in the newest extract is a data point of %(file)s")
            % {"file": UNSD_871},
            row=overlap.line,
            file=TS_UNSD_871,
        )
    logger.info(
        "%s: %d REPLACED rows (re-dated or re-tabulated duplicates) not loaded",
        TS_UNSD_871,
        len(history.replaced_lines),
    )
    releases = metadata_upsert(
        indicators=["8.7.1"],
        sources=["un-sdg-global-database"],
        releases=[UNSD_871_HISTORY_RELEASE],
        file_sha256=_sha256(data_dir, TS_UNSD_871),
    )
    return _import(
        releases[UNSD_871_HISTORY_RELEASE], history.history, TS_UNSD_871, _series_of("8.7.1")
    )


def run_wdi_children_in_employment(data_dir: Path) -> int:
    rows = _parsed(TS_WDI, lambda: parse_wdi_children_in_employment(_read(data_dir, TS_WDI)))
    release = "wdi-children-in-employment-2020"
    releases = metadata_upsert(
        indicators=["WDI-CIE"],
        sources=["world-bank-wdi"],
        releases=[release],
        file_sha256=_sha256(data_dir, TS_WDI),
    )
    return _import(releases[release], rows, TS_WDI, _series_of("WDI-CIE"))


def run_ilostat_children_in_employment(data_dir: Path) -> int:
    table = _parsed(
        TS_ILOSTAT, lambda: parse_ilostat_children_in_employment(_read(data_dir, TS_ILOSTAT))
    )
    if table.implausible_lines:
        logger.warning(
            "%s: %d rows flagged IMPLAUSIBLY SMALL not loaded (rows %s)",
            TS_ILOSTAT,
            len(table.implausible_lines),
            ", ".join(str(n) for n in table.implausible_lines),
        )
    if table.skipped_regions:
        logger.warning(
            "%s: ILO subregions without a geography skipped: %s",
            TS_ILOSTAT,
            ", ".join(sorted(table.skipped_regions)),
        )
    release = "ilostat-children-in-employment-2025"
    releases = metadata_upsert(
        indicators=["ILO-CIE"],
        sources=["ilostat"],
        releases=[release],
        file_sha256=_sha256(data_dir, TS_ILOSTAT),
    )
    return _import(releases[release], table.rows, TS_ILOSTAT, _series_of("ILO-CIE"))


STEPS: list[LoadStep] = [
    population.STEP,
    LoadStep(
        key="indicators.unsd_8_7_1",
        label="SDG 8.7.1 child labour (UN SDG Global Database)",
        files=(UNSD_871,),
        run=_unsd_step(UNSD_871, "8.7.1"),
        version="1",
    ),
    LoadStep(
        key="indicators.unsd_16_2_2",
        label="SDG 16.2.2 detected victims of trafficking (UN SDG Global Database)",
        files=(UNSD_1622,),
        run=_unsd_step(UNSD_1622, "16.2.2"),
        version="1",
    ),
    LoadStep(
        key="indicators.unsd_5_3_1",
        label="SDG 5.3.1 child marriage (UN SDG Global Database)",
        files=(UNSD_531,),
        run=_unsd_step(UNSD_531, "5.3.1"),
        version="1",
    ),
    LoadStep(
        key="indicators.ge_child_labour",
        label="ILO-UNICEF global estimates of child labour (5 reports)",
        files=(GE_CHILD_LABOUR,),
        run=run_child_labour_estimates,
        version="1",
    ),
    LoadStep(
        key="indicators.ge_modern_slavery",
        label="Global Estimates of Modern Slavery (2017, 2022 reports)",
        files=(GE_MODERN_SLAVERY,),
        run=run_modern_slavery_estimates,
        version="1",
    ),
    LoadStep(
        key="indicators.gsi_2023",
        label="Walk Free Global Slavery Index 2023 (countries and regions)",
        files=(GSI_COUNTRIES, GE_MODERN_SLAVERY),
        run=run_gsi_2023,
        version="1",
    ),
    LoadStep(
        key="indicators.owid_child_labor_world",
        label="OWID child labour, World (ILO-IPEC 2000-2012)",
        files=(OWID_WORLD,),
        run=_owid_step(OWID_WORLD, "owid-child-labor-world-ilo-2017", parse_owid_child_labor_world),
    ),
    LoadStep(
        key="indicators.owid_incidence_historical",
        label="OWID historical incidence of child labour",
        files=(OWID_HISTORICAL,),
        run=_owid_step(
            OWID_HISTORICAL,
            "owid-incidence-child-labor-historical",
            parse_owid_incidence_historical,
        ),
        version="1",
    ),
    LoadStep(
        key="indicators.unsd_8_7_1_history",
        label="SDG 8.7.1 values of earlier UN SDG database extracts (2018-2022)",
        files=(TS_UNSD_871, UNSD_871),
        run=run_unsd_871_history,
        version="1",
    ),
    LoadStep(
        key="indicators.wdi_children_in_employment",
        label="World Bank WDI children in employment aged 7-14 (1994-2016)",
        files=(TS_WDI,),
        run=run_wdi_children_in_employment,
        version="1",
    ),
    LoadStep(
        key="indicators.ilostat_children_in_employment",
        label="ILOSTAT children in employment aged 5-17, thousands (1996-2024)",
        files=(TS_ILOSTAT,),
        run=run_ilostat_children_in_employment,
        version="1",
    ),
]
