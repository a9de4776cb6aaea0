"""Reads of government country assessments for country pages and the API.

Every result carries its `indicators.Release` (with the source: licence and citation), so a page
can cite what it shows. `country` is a Geography or an ISO3 code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sdg87.assessments.models import (
    CountryAssessment,
    FindingSection,
    FindingValue,
    GoodListing,
    Sector,
    SuggestedAction,
    TierPlacement,
)
from sdg87.geo.models import Geography
from sdg87.indicators.models import Release, release_newest_first

CountryArg = Geography | str


def _country_q(country: CountryArg, field: str = "country") -> Q:
    if isinstance(country, Geography):
        return Q(**{f"{field}_id": country.pk})
    return Q(**{f"{field}__iso3": country.upper()})


# --- Findings: assessments ----------------------------------------------------------------------


def assessment_history(*, country: CountryArg) -> QuerySet[CountryAssessment]:
    """The country's Findings entries, newest report year first (including years in which it
    was not covered, advancement_level 'not_covered')."""
    return (
        CountryAssessment.objects.filter(_country_q(country))
        .select_related("release__source", "country")
        .order_by("-report_year")
    )


def latest_assessment(
    *, country: CountryArg, covered_only: bool = False
) -> CountryAssessment | None:
    """The newest Findings entry for the country; with `covered_only`, the newest one that is
    an assessment (any level other than 'not covered')."""
    rows = assessment_history(country=country)
    if covered_only:
        rows = rows.exclude(advancement_level="not_covered")
    return rows.first()


# --- Findings: profile values -------------------------------------------------------------------


def finding_values(
    *,
    country: CountryArg,
    section: str | None = None,
    report_year: int | None = None,
) -> QuerySet[FindingValue]:
    """Raw profile values as published (all report years unless `report_year`)."""
    rows = FindingValue.objects.filter(_country_q(country)).select_related("release__source")
    if section is not None:
        rows = rows.filter(section=section)
    if report_year is not None:
        rows = rows.filter(report_year=report_year)
    return rows.order_by("-report_year", "id")


def _latest_year(country: CountryArg, section: str) -> int | None:
    year = (
        FindingValue.objects.filter(_country_q(country), section=section)
        .aggregate(year=Max("report_year"))
        .get("year")
    )
    return int(year) if year is not None else None


def _yes_no(text: str) -> bool | None:
    value = text.strip().rstrip("*†‡").strip().casefold()
    return True if value == "yes" else False if value == "no" else None


@dataclass(frozen=True)
class Ratification:
    code: str  # C138, C182, CRC, CRC-OP-AC, CRC-OP-SC, PALERMO
    label: str | Promise
    ratified: bool | None  # None: 'N/A' / 'Not Applicable' (e.g. a territory)
    value_text: str


@dataclass(frozen=True)
class Ratifications:
    report_year: int
    release: Release
    items: list[Ratification]


CONVENTIONS: dict[str, tuple[str, str | Promise]] = {
    "C_138_Ratified": ("C138", _("ILO C138, Minimum Age")),
    "C_182_Ratified": ("C182", _("ILO C182, Worst Forms of Child Labour")),
    "Convention_on_the_Rights_of_the_Child_Ratified": ("CRC", _("UN CRC")),
    "CRC_Armed_Conflict_Ratified": (
        "CRC-OP-AC",
        _("UN CRC Optional Protocol on Armed Conflict"),
    ),
    "CRC_Commercial_Sexual_Exploitation_of_Children_Ratified": (
        "CRC-OP-SC",
        _(
            "UN CRC Optional Protocol on the Sale of Children, Child Prostitution and Child "
            "Pornography"
        ),
    ),
    "Palermo_Ratified": ("PALERMO", _("Palermo Protocol on Trafficking in Persons")),
}


def ratifications(*, country: CountryArg, report_year: int | None = None) -> Ratifications | None:
    """Ratification of C138, C182, the CRC, its two optional protocols and the Palermo Protocol
    as stated in the Findings of `report_year` (default: the latest report that has them)."""
    year = report_year or _latest_year(country, FindingSection.CONVENTIONS)
    if year is None:
        return None
    rows = list(
        finding_values(country=country, section=FindingSection.CONVENTIONS, report_year=year)
    )
    if not rows:
        return None
    order = list(CONVENTIONS)
    items = [
        Ratification(
            code=CONVENTIONS[r.field_path][0],
            label=CONVENTIONS[r.field_path][1],
            ratified=_yes_no(r.value_text),
            value_text=r.value_text,
        )
        for r in sorted(
            rows, key=lambda r: order.index(r.field_path) if r.field_path in order else 99
        )
        if r.field_path in CONVENTIONS and not r.territory
    ]
    return Ratifications(report_year=year, release=rows[0].release, items=items)


LEGAL_STANDARDS: dict[str, str | Promise] = {
    "Minimum_Work": _("Minimum age for work"),
    "Minimum_Hazardous_Work": _("Minimum age for hazardous work"),
    "Types_Hazardous_Work": _(
        "Identification of hazardous occupations or activities prohibited for children"
    ),
    "Prohibition_Forced_Labor": _("Prohibition of forced labour"),
    "Prohibition_Child_Trafficking": _("Prohibition of child trafficking"),
    "Prohibition_CSEC": _("Prohibition of commercial sexual exploitation of children"),
    "Prohibition_Illicit_Activities": _("Prohibition of using children in illicit activities"),
    "Minimum_Compulsory_Military": _("Minimum age for compulsory state military recruitment"),
    "Minumum_Voluntary_Military": _("Minimum age for voluntary state military recruitment"),
    "Minumum_Non_State_Military": _(
        "Prohibition of military recruitment by non-state armed groups"
    ),
    "Compulsory_Education": _("Compulsory education age"),
    "Free_Public_Education": _("Free public education"),
}


@dataclass(frozen=True)
class LegalStandard:
    code: str  # DOL's tag, e.g. Minimum_Work (including its misspelt Minumum_* tags)
    label: str | Promise
    territory: str  # "" = national
    standard: str  # 'Yes'/'No': whether the law sets the standard, as published
    age: str
    age_number: float | None
    calculated_age: str
    conforms_to_intl_standard: str  # as published: 'Yes', 'No', 'N/A', ...


@dataclass(frozen=True)
class LegalStandards:
    report_year: int
    release: Release
    items: list[LegalStandard]


def legal_standards(
    *, country: CountryArg, report_year: int | None = None
) -> LegalStandards | None:
    """Minimum ages and prohibitions as assessed in the Findings of `report_year` (default: the
    latest report that has them), national first, then by territory."""
    year = report_year or _latest_year(country, FindingSection.LEGAL_STANDARDS)
    if year is None:
        return None
    rows = list(
        finding_values(country=country, section=FindingSection.LEGAL_STANDARDS, report_year=year)
    )
    if not rows:
        return None
    cells: dict[tuple[str, str], dict[str, FindingValue]] = {}
    for r in rows:
        code, _sep, leaf = r.field_path.partition("/")
        leaf = leaf.removeprefix("Territory/")
        cells.setdefault((code, r.territory), {})[leaf] = r
    order = list(LEGAL_STANDARDS)
    items = []
    for (code, territory), leaves in sorted(
        cells.items(),
        key=lambda kv: (
            kv[0][1] != "",
            kv[0][1],
            order.index(kv[0][0]) if kv[0][0] in order else 99,
        ),
    ):
        age = leaves.get("Age")
        items.append(
            LegalStandard(
                code=code,
                label=LEGAL_STANDARDS.get(code, code.replace("_", " ")),
                territory=territory,
                standard=leaves["Standard"].value_text if "Standard" in leaves else "",
                age=age.value_text if age else "",
                age_number=age.value_number if age else None,
                calculated_age=(
                    leaves["Calculated_Age"].value_text if "Calculated_Age" in leaves else ""
                ),
                conforms_to_intl_standard=(
                    leaves["Conforms_To_Intl_Standard"].value_text
                    if "Conforms_To_Intl_Standard" in leaves
                    else ""
                ),
            )
        )
    return LegalStandards(report_year=year, release=rows[0].release, items=items)


ENFORCEMENT_MEASURES: dict[str, tuple[str, str | Promise]] = {
    "Labor_Funding": ("labour", _("Funding for the labour inspectorate (USD)")),
    "Labor_Inspectors": ("labour", _("Number of labour inspectors")),
    "Dedicated_Labor_Inspectors": ("labour", _("Labour inspectors dedicated to child labour")),
    "Labor_Inspections": ("labour", _("Number of labour inspections")),
    "Labor_Worksite_Inspections": ("labour", _("Worksite inspections")),
    "Labor_Desk_Review_Inspections": ("labour", _("Desk review inspections")),
    "Labor_Violations": ("labour", _("Child labour violations found")),
    "Labor_Penalties_Imposed": ("labour", _("Penalties imposed for child labour violations")),
    "Labor_Penalties_Collected": ("labour", _("Penalties collected")),
    "Criminal_Investigations": ("criminal", _("Criminal investigations")),
    "Criminal_Violations": ("criminal", _("Criminal violations found")),
    "Criminal_Prosecutions": ("criminal", _("Prosecutions initiated")),
    "Criminal_Convictions": ("criminal", _("Convictions")),
}


@dataclass(frozen=True)
class EnforcementFigure:
    code: str  # DOL's tag, e.g. Labor_Inspectors
    kind: str  # "labour" or "criminal"
    label: str | Promise
    report_year: int
    territory: str  # "" = national
    value_text: str  # as published: '1,234', 'Unknown', 'N/A', ...
    value_number: float | None
    release: Release


def enforcement_figures(
    *, country: CountryArg, report_year: int | None = None
) -> list[EnforcementFigure]:
    """Labour inspectorate funding, inspectors, inspections, violations, penalties and criminal
    investigations, violations, prosecutions and convictions, each with its report year.

    All report years unless `report_year` (a history, newest first, in the order above); values
    that are not numbers ('Unknown', 'N/A') are kept with `value_number` None.
    """
    rows = finding_values(
        country=country, section=FindingSection.ENFORCEMENTS, report_year=report_year
    )
    order = list(ENFORCEMENT_MEASURES)
    figures = []
    for r in rows:
        code, _sep, leaf = r.field_path.partition("/")
        if code not in ENFORCEMENT_MEASURES or leaf not in ("", "Territory/Enforcement"):
            continue
        kind, label = ENFORCEMENT_MEASURES[code]
        figures.append(
            EnforcementFigure(
                code=code,
                kind=kind,
                label=label,
                report_year=r.report_year,
                territory=r.territory,
                value_text=r.value_text,
                value_number=r.value_number,
                release=r.release,
            )
        )
    figures.sort(
        key=lambda f: (-f.report_year, f.territory != "", f.territory, order.index(f.code))
    )
    return figures


# --- Findings: suggested actions ----------------------------------------------------------------


def suggested_actions(
    *, country: CountryArg, report_year: int | None = None
) -> QuerySet[SuggestedAction]:
    """ILAB's suggested government actions in the Findings of `report_year` (default: the
    latest report with suggestions), in published order."""
    rows = SuggestedAction.objects.filter(_country_q(country)).select_related("release__source")
    if report_year is None:
        report_year = rows.aggregate(year=Max("report_year")).get("year")
        if report_year is None:
            return rows.none()
    return rows.filter(report_year=report_year).order_by("order")


# --- List of Goods ------------------------------------------------------------------------------


def goods_editions() -> list[Release]:
    """The List of Goods editions (app files), newest first."""
    return list(
        Release.objects.filter(dol_goods__isnull=False)
        .distinct()
        .select_related("source")
        .order_by(*release_newest_first())
    )


_GOODS_FILE = re.compile(r"goods_((?:19|20)\d\d)\.xml")


def goods_edition_year(source_file: str) -> int | None:
    """The List edition year an app file stands for ('goods_2021.xml' -> 2021), the label
    ILAB's app gives it; None for a name without one. Pages show this, never the file name."""
    match = _GOODS_FILE.fullmatch(source_file.strip())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class GoodsEdition:
    release: Release
    source_file: str
    goods: list[GoodListing]

    @property
    def edition_year(self) -> int | None:
        """The edition's year (2021 for goods_2021.xml), for labels."""
        return goods_edition_year(self.source_file)


def goods_by_edition(*, country: CountryArg) -> list[GoodsEdition]:
    """The goods listed for the country, per List edition, newest edition first. Editions in
    which the country has no goods are left out."""
    rows = (
        GoodListing.objects.filter(_country_q(country))
        .select_related("release__source", "derived_country")
        .order_by(*release_newest_first("release__"), "good")
    )
    editions: dict[int, GoodsEdition] = {}
    for row in rows:
        edition = editions.setdefault(
            row.release_id, GoodsEdition(release=row.release, source_file=row.source_file, goods=[])
        )
        edition.goods.append(row)
    return list(editions.values())


def goods_list(
    *, edition: str | None = None, good: str | None = None, sector: str | None = None
) -> QuerySet[GoodListing]:
    """Good-country pairs of one List edition, for a supply-chain view.

    `edition` is an app file name ('goods_2021.xml') or a release code (default: the newest
    edition); `good` matches the good's name case-insensitively; `sector` is a Sector value.
    """
    rows = GoodListing.objects.select_related("release__source", "country", "derived_country")
    if edition is None:
        latest = goods_editions()
        if not latest:
            return rows.none()
        rows = rows.filter(release=latest[0])
    else:
        rows = rows.filter(Q(source_file=edition) | Q(release__code=edition))
    if good is not None:
        rows = rows.filter(good__iexact=good.strip())
    if sector is not None:
        if sector not in Sector.values:
            return rows.none()
        rows = rows.filter(sector=sector)
    return rows.order_by("good", "country__name_en")


# --- TIP report ---------------------------------------------------------------------------------


def tier_history(*, country: CountryArg) -> QuerySet[TierPlacement]:
    """The country's TIP report tiers by report year (2001-2015), oldest first; years in which
    it was not rated are absent."""
    return (
        TierPlacement.objects.filter(_country_q(country))
        .select_related("release__source")
        .order_by("year")
    )
