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
]
