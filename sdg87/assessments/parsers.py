"""Pure parsers for government country assessments: US DOL ILAB Findings, the DOL List of Goods
and the US TIP report tiers (as compiled by Kelley & Heiss). No ORM here.

Rows are read with the ingest toolkit's `read_rows` and numbered as a spreadsheet shows them
(header = row 1, first data row = 2). A bad cell raises `ParseError` naming the row and
column; the loaders add the file name (`reading`).

Country names: DOL publishes names, not codes. `CountryMatcher` matches a name exactly (after
normalisation) against the names of the bundled geographies, then against `NAME_ALIASES`, an
explicit table of the DOL spellings that differ from them. A name that matches neither is a
`ParseError`, unless `NAME_SKIPS` lists it with the reason, so every row is accounted for.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_int, cell_year, read_rows

# --------------------------------------------------------------------------------------------
# Editions (data/PROVENANCE.md section 2). File names are not report years.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edition:
    """One XML asset of ILAB's Sweat & Toil app, as bundled in data/dol_ilab/."""

    source_file: str
    commit: str  # last-changing commit in USDepartmentofLabor/Child-Labor-Android (prefix)
    shipped_on: date  # date of that commit: when the app shipped this file
    report_year: int | None = None  # Findings only: the reporting year the file covers


FINDINGS_EDITIONS: dict[str, Edition] = {
    e.source_file: e
    for e in [
        Edition("countries_2016.xml", "c09ea76b", date(2017, 9, 26), 2016),
        Edition("countries_2017.xml", "f5c375a0", date(2018, 9, 20), 2017),
        Edition("countries_2018.xml", "c92eacbc", date(2019, 9, 19), 2018),
        Edition("countries_2019.xml", "b0c9a3e2", date(2021, 6, 23), 2019),
        Edition("countries_2020.xml", "243183ac", date(2021, 11, 8), 2020),
        # countries_2021.xml holds the 2022 reporting year ("In 2022, ...").
        Edition("countries_2021.xml", "c3624a49", date(2023, 9, 14), 2022),
    ]
}

# The List of Goods as shipped in the app. The file name is the app's label, not the year of
# an official List edition; `shipped_on` is what we can vouch for.
GOODS_EDITIONS: dict[str, Edition] = {
    e.source_file: e
    for e in [
        Edition("goods_2016.xml", "2a89273f", date(2017, 8, 31)),
        Edition("goods_2017.xml", "08a412f3", date(2018, 9, 9)),
        Edition("goods_2018.xml", "1bc5d7ea", date(2019, 9, 17)),
        Edition("goods_2019.xml", "58e6308d", date(2022, 6, 30)),
        Edition("goods_2021.xml", "52f4b8f2", date(2023, 8, 23)),
    ]
}

# Which Findings file embeds exactly the same goods as which List file (checked by the tests
# against dol_findings_country_goods.csv). countries_2019.xml embeds an intermediate list that
# matches no shipped List file (three goods renamed, Polysilicon/China absent), so the goods
# inside the country profiles are cross-checked, not loaded a second time.
FINDINGS_GOODS_EQUIVALENT: dict[str, str] = {
    "countries_2016.xml": "goods_2016.xml",
    "countries_2017.xml": "goods_2017.xml",
    "countries_2018.xml": "goods_2018.xml",
    "countries_2020.xml": "goods_2019.xml",
    "countries_2021.xml": "goods_2021.xml",
}

# --------------------------------------------------------------------------------------------
# Country names
# --------------------------------------------------------------------------------------------

# DOL spelling -> ISO3, for names that are not (after normalisation) a name or official name of
# the bundled geography (names in en/fr/es, UN official names). Keep sorted; every entry is used
# by the bundled files (the loader tests check both).
NAME_ALIASES: dict[str, str] = {
    "Bolivia": "BOL",  # geography: "Bolivia (Plurinational State of)"
    "British Indian Ocean Territories": "IOT",
    "Burma": "MMR",
    "Congo, Democratic Republic of the": "COD",
    "Congo, Republic of the": "COG",
    "Falkland Islands (Islas Malvinas)": "FLK",
    "Gambia, The": "GMB",
    "Heard and McDonald Islands": "HMD",
    "Iran": "IRN",
    "Kyrgyz Republic": "KGZ",
    "Macedonia": "MKD",
    "Moldova": "MDA",
    "Moldova, Republic of": "MDA",
    "North Korea": "PRK",
    "Pitcairn Islands": "PCN",
    "Russia": "RUS",
    "Saint Helena, Ascension, and Tristan da Cunha": "SHN",  # also spelt with accents
    "Swaziland": "SWZ",  # renamed Eswatini in 2018
    "Tanzania": "TZA",
    "The Gambia": "GMB",
    "Turkey": "TUR",
    "Turkey (Türkiye)": "TUR",
    "Venezuela": "VEN",
    "Vietnam": "VNM",
    "Wallis and Futuna": "WLF",
    "West Bank and the Gaza Strip": "PSE",
}

# DOL names deliberately not loaded, with the reason. Rows naming them are counted as skipped.
NAME_SKIPS: dict[str, str] = {}

# TIP iso3 codes that are not ISO 3166-1 codes -> the code the bundled geographies use.
TIP_ISO3_ALIASES: dict[str, str] = {
    "KOS": "XKX",  # Kosovo: the compilers' own code; the geographies use the user-assigned XKX
}
# TIP iso3 codes deliberately not loaded, with the reason.
TIP_ISO3_SKIPS: dict[str, str] = {}

# Straight, right and left single quotes, grave and acute accents.
_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`\u00b4")


def normalise_name(name: str) -> str:
    """Case-, accent-, apostrophe- and punctuation-insensitive form of a country name."""
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class CountryMatcher:
    """Resolves DOL country names to ISO3 codes.

    `countries` yields (iso3, names) with every name the geography is known by (names in
    en/fr/es and official names). A normalised name shared by two countries is ambiguous and
    only matches through an alias.
    """

    def __init__(
        self,
        countries: Iterable[tuple[str, Iterable[str]]],
        *,
        aliases: dict[str, str] | None = None,
        skips: dict[str, str] | None = None,
    ) -> None:
        self.codes: set[str] = set()
        index: dict[str, str] = {}
        ambiguous: set[str] = set()
        for iso3, names in countries:
            self.codes.add(iso3)
            for name in names:
                key = normalise_name(name)
                if not key:
                    continue
                if key in index and index[key] != iso3:
                    ambiguous.add(key)
                index.setdefault(key, iso3)
        for key in ambiguous:
            del index[key]
        self._index = index
        self._aliases = {
            normalise_name(k): (k, v)
            for k, v in (NAME_ALIASES if aliases is None else aliases).items()
        }
        self._skips = {
            normalise_name(k): (k, v) for k, v in (NAME_SKIPS if skips is None else skips).items()
        }
        self.aliases_used: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()

    def match(self, name: str, *, row: int | None, column: str) -> str | None:
        """ISO3 for `name`; None if the name is in the skip table. Unknown names raise."""
        key = normalise_name(name)
        if key in self._index:
            return self._index[key]
        if key in self._aliases:
            alias, iso3 = self._aliases[key]
            if iso3 not in self.codes:
                raise ParseError(
                    _(
                        "country name '%(name)s' is aliased to %(iso3)s, which is not a "
                        "bundled country"
                    )
                    % {"name": name, "iso3": iso3},
                    row=row,
                    column=column,
                )
            self.aliases_used[alias] += 1
            return iso3
        if key in self._skips:
            self.skipped[self._skips[key][0]] += 1
            return None
        raise ParseError(
            _("unknown country name '%(name)s' (add it to NAME_ALIASES or NAME_SKIPS)")
            % {"name": name},
            row=row,
            column=column,
        )


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------

FOOTNOTE_MARKERS = "*†‡"
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_MILLION = re.compile(r"\s*million$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """A number as DOL prints it, or None when the cell is not a number.

    '84,474‡' -> 84474 (footnote marks dropped), '$1.5 million' -> 1500000, '0.075' -> 0.075.
    'Unavailable', 'Unknown', 'N/A', 'Yes', age ranges such as '5-14' and '12/13' -> None.
    """
    s = text.strip().rstrip(FOOTNOTE_MARKERS).strip()
    if s.startswith("$"):
        s = s[1:].strip()
    factor = 1.0
    if _MILLION.search(s):
        s = _MILLION.sub("", s)
        factor = 1_000_000.0
    if not _NUMBER.match(s):
        return None
    value = float(s.replace(",", "")) * factor
    return round(value, 6) if factor != 1.0 else value


def parse_yes_no(text: str, *, row: int, column: str, allow_blank: bool = False) -> bool | None:
    value = text.strip()
    if value == "Yes":
        return True
    if value == "No":
        return False
    if value == "" and allow_blank:
        return None
    raise ParseError(
        _("expected Yes or No, got '%(text)s'") % {"text": text}, row=row, column=column
    )


def _findings_edition(record: dict[str, str], line: int) -> Edition:
    source_file = record["source_file"].strip()
    edition = FINDINGS_EDITIONS.get(source_file)
    if edition is None:
        raise ParseError(
            _("unknown Findings file '%(source_file)s'") % {"source_file": source_file},
            row=line,
            column="source_file",
        )
    year = cell_int(record, "report_year", line)
    if year != edition.report_year:
        raise ParseError(
            _("report_year %(year)s does not match %(source_file)s (%(report_year)s)")
            % {"year": year, "source_file": source_file, "report_year": edition.report_year},
            row=line,
            column="report_year",
        )
    return edition


# --------------------------------------------------------------------------------------------
# Findings: country profiles
# --------------------------------------------------------------------------------------------

ADVANCEMENT_LEVELS = {
    "Significant Advancement": "significant",
    "Moderate Advancement": "moderate",
    "Minimal Advancement": "minimal",
    "No Advancement": "no_advancement",
    "No Assessment": "no_assessment",
    "": "not_covered",
}
_QUALIFIER_SEPARATOR = " \u2013 "  # en dash, as printed by DOL


@dataclass(frozen=True)
class Advancement:
    level: str  # an AdvancementLevel value
    automatic_downgrade: bool
    downgrade_reason: str  # e.g. "Efforts Made but Continued Law that Delayed Advancement"
    text: str  # the full level as published


def parse_advancement(level: str, downgrade: str, *, row: int) -> Advancement:
    """Splits DOL's advancement level into the level and the automatic-downgrade reason.

    2016-2017 files carry the downgrade in its own `automatic_downgrade` column; later files
    fold it into the level after an en dash ("Minimal Advancement \u2013 Efforts Made but ...").
    Both become level + automatic_downgrade + reason. Empty level = not covered by the Findings
    (the country is in the app for its goods only).
    """
    level, downgrade = level.strip(), downgrade.strip()
    text = downgrade or level
    base, _sep, reason = text.partition(_QUALIFIER_SEPARATOR)
    column = "automatic_downgrade" if downgrade else "advancement_level"
    if base not in ADVANCEMENT_LEVELS:
        raise ParseError(
            _("unknown advancement level '%(text)s'") % {"text": text}, row=row, column=column
        )
    if downgrade and level.partition(_QUALIFIER_SEPARATOR)[0] != base:
        raise ParseError(
            _("automatic downgrade '%(downgrade)s' contradicts level '%(level)s'")
            % {"downgrade": downgrade, "level": level},
            row=row,
            column="automatic_downgrade",
        )
    if _QUALIFIER_SEPARATOR in text and not reason:
        raise ParseError(
            _("empty downgrade reason in '%(text)s'") % {"text": text}, row=row, column=column
        )
    return Advancement(ADVANCEMENT_LEVELS[base], bool(reason), reason, text)


@dataclass(frozen=True)
class ProfileRow:
    line: int
    source_file: str
    report_year: int
    country: str
    region: str
    multiple_territories: bool | None
    advancement: Advancement
    webpage: str
    description: str


PROFILE_COLUMNS = (
    "source_file",
    "report_year",
    "country",
    "region",
    "multiple_territories",
    "advancement_level",
    "automatic_downgrade",
    "webpage",
    "description",
)


def parse_profiles(stream: TextIO) -> Iterator[ProfileRow]:
    for line, r in read_rows(stream, required=PROFILE_COLUMNS):
        edition = _findings_edition(r, line)
        country = r["country"].strip()
        if not country:
            raise ParseError(_("empty country"), row=line, column="country")
        webpage = r["webpage"].strip()
        if webpage and not webpage.startswith(("https://", "http://")):
            raise ParseError(
                _("webpage is not a URL: '%(webpage)s'") % {"webpage": webpage},
                row=line,
                column="webpage",
            )
        yield ProfileRow(
            line=line,
            source_file=edition.source_file,
            report_year=edition.report_year or 0,
            country=country,
            region=r["region"].strip(),
            multiple_territories=parse_yes_no(
                r["multiple_territories"], row=line, column="multiple_territories", allow_blank=True
            ),
            advancement=parse_advancement(
                r["advancement_level"], r["automatic_downgrade"], row=line
            ),
            webpage=webpage,
            description=r["description"].strip(),
        )


# --------------------------------------------------------------------------------------------
# Findings: indicator values in long form
# --------------------------------------------------------------------------------------------

SECTIONS = ("Country_Statistics", "Conventions", "Legal_Standards", "Enforcements", "Mechanisms")
_TERRITORY = "/Territory/"
_TERRITORY_LABELS = ("Territory_Name", "Territory_Display_Name")


@dataclass(frozen=True)
class FindingRow:
    line: int
    source_file: str
    report_year: int
    country: str
    section: str
    field_path: str  # territory rows keep DOL's path, e.g. "Labor_Funding/Territory/Enforcement"
    territory: str  # "" for national values; the Territory_Name for territory values
    value_text: str
    value_number: float | None


@dataclass
class ParseStats:
    """Rows read but not turned into records, by reason, so every row is accounted for."""

    skipped: Counter[str] = field(default_factory=Counter)


LONG_COLUMNS = ("source_file", "report_year", "country", "section", "field_path", "value")


def parse_indicators_long(stream: TextIO, stats: ParseStats | None = None) -> Iterator[FindingRow]:
    """Values of dol_findings_country_indicators_long.csv.

    Multi-territory countries list each territory as a run of rows `<Field>/Territory/
    Territory_Name`, `.../Territory_Display_Name`, then the values; those label rows give the
    `territory` of the values that follow and are not records themselves. A row with an empty
    field_path marks a section with no data for the country (not covered); it is counted too.
    """
    stats = stats if stats is not None else ParseStats()
    territory: dict[tuple[str, str, str, str], str] = {}
    for line, r in read_rows(stream, required=LONG_COLUMNS):
        edition = _findings_edition(r, line)
        country = r["country"].strip()
        if not country:
            raise ParseError(_("empty country"), row=line, column="country")
        section = r["section"].strip()
        if section not in SECTIONS:
            raise ParseError(
                _("unknown section '%(section)s'") % {"section": section},
                row=line,
                column="section",
            )
        path = r["field_path"].strip()
        value = r["value"].strip()
        if not path:
            if value:
                raise ParseError(_("value without a field_path"), row=line, column="field_path")
            stats.skipped["empty section marker"] += 1
            continue
        if any(not part for part in path.split("/")):
            raise ParseError(
                _("malformed field_path '%(path)s'") % {"path": path}, row=line, column="field_path"
            )
        place = ""
        if _TERRITORY in path:
            head, _sep, leaf = path.partition(_TERRITORY)
            key = (edition.source_file, country, section, head)
            if leaf == "Territory_Name":
                if not value:
                    raise ParseError(_("empty territory name"), row=line, column="value")
                territory[key] = value
                stats.skipped["territory label"] += 1
                continue
            if key not in territory:
                raise ParseError(
                    _("territory value before its Territory_Name"), row=line, column="field_path"
                )
            if leaf == "Territory_Display_Name":
                stats.skipped["territory label"] += 1
                continue
            place = territory[key]
        yield FindingRow(
            line=line,
            source_file=edition.source_file,
            report_year=edition.report_year or 0,
            country=country,
            section=section,
            field_path=path,
            territory=place,
            value_text=value,
            value_number=parse_number(value),
        )


# --------------------------------------------------------------------------------------------
# Findings: suggested actions
# --------------------------------------------------------------------------------------------

ACTION_AREAS = (
    "Legal_Framework",
    "Enforcement",
    "Coordination",
    "Government_Policies",
    "Social_Programs",
)


@dataclass(frozen=True)
class ActionRow:
    line: int
    source_file: str
    report_year: int
    country: str
    area: str
    action: str
    order: int  # 1-based position within the country's actions in that report


def parse_suggested_actions(stream: TextIO, stats: ParseStats | None = None) -> Iterator[ActionRow]:
    stats = stats if stats is not None else ParseStats()
    order: Counter[tuple[str, str]] = Counter()
    columns = ("source_file", "report_year", "country", "area", "action")
    for line, r in read_rows(stream, required=columns):
        edition = _findings_edition(r, line)
        country = r["country"].strip()
        if not country:
            raise ParseError(_("empty country"), row=line, column="country")
        area = r["area"].strip()
        if area not in ACTION_AREAS:
            raise ParseError(_("unknown area '%(area)s'") % {"area": area}, row=line, column="area")
        action = " ".join(r["action"].split())
        if not action:
            stats.skipped["empty action"] += 1
            continue
        order[(edition.source_file, country)] += 1
        yield ActionRow(
            line=line,
            source_file=edition.source_file,
            report_year=edition.report_year or 0,
            country=country,
            area=area,
            action=action,
            order=order[(edition.source_file, country)],
        )


# --------------------------------------------------------------------------------------------
# List of Goods
# --------------------------------------------------------------------------------------------

SECTORS = {
    "Agriculture": "agriculture",
    "Manufacturing": "manufacturing",
    "Mining": "mining",
    "Other": "other",
}


@dataclass(frozen=True)
class GoodRow:
    line: int
    source_file: str
    good: str
    sector: str
    country: str
    country_region: str
    child_labor: bool
    forced_labor: bool
    forced_child_labor: bool
    derived_labor_exploitation: bool | None  # None: the edition predates derived goods
    derived_country: str  # "" when not derived


GOODS_COLUMNS = (
    "source_file",
    "good",
    "good_sector",
    "country",
    "country_region",
    "child_labor",
    "forced_labor",
    "forced_child_labor",
    "derived_labor_exploitation",
    "derived_country",
)


def parse_goods_list(stream: TextIO) -> Iterator[GoodRow]:
    seen: set[tuple[str, str, str]] = set()
    for line, r in read_rows(stream, required=GOODS_COLUMNS):
        source_file = r["source_file"].strip()
        if source_file not in GOODS_EDITIONS:
            raise ParseError(
                _("unknown List file '%(source_file)s'") % {"source_file": source_file},
                row=line,
                column="source_file",
            )
        good, country = r["good"].strip(), r["country"].strip()
        if not good:
            raise ParseError(_("empty good"), row=line, column="good")
        if not country:
            raise ParseError(_("empty country"), row=line, column="country")
        sector = r["good_sector"].strip()
        if sector not in SECTORS:
            raise ParseError(
                _("unknown sector '%(sector)s'") % {"sector": sector},
                row=line,
                column="good_sector",
            )
        key = (source_file, good, country)
        if key in seen:
            raise ParseError(
                _("duplicate good '%(good)s' for '%(country)s'")
                % {"good": good, "country": country},
                row=line,
                column="good",
            )
        seen.add(key)
        derived = parse_yes_no(
            r["derived_labor_exploitation"],
            row=line,
            column="derived_labor_exploitation",
            allow_blank=True,
        )
        derived_country = r["derived_country"].strip()
        if derived_country in ("No", ""):
            derived_country = ""
        if derived and not derived_country:
            raise ParseError(
                _("derived good without the country of its input"),
                row=line,
                column="derived_country",
            )
        if derived_country and not derived:
            raise ParseError(
                _("derived_country given for a good that is not derived"),
                row=line,
                column="derived_country",
            )
        yield GoodRow(
            line=line,
            source_file=source_file,
            good=good,
            sector=SECTORS[sector],
            country=country,
            country_region=r["country_region"].strip(),
            child_labor=bool(parse_yes_no(r["child_labor"], row=line, column="child_labor")),
            forced_labor=bool(parse_yes_no(r["forced_labor"], row=line, column="forced_labor")),
            forced_child_labor=bool(
                parse_yes_no(r["forced_child_labor"], row=line, column="forced_child_labor")
            ),
            derived_labor_exploitation=derived,
            derived_country=derived_country,
        )


@dataclass(frozen=True)
class ProfileGoodRow:
    line: int
    source_file: str
    report_year: int
    good: str
    country: str
    flags: tuple[str, str, str, str, str]  # child, forced, forced child, derived, derived country


def parse_profile_goods(stream: TextIO) -> Iterator[ProfileGoodRow]:
    """dol_findings_country_goods.csv, for cross-checking against the List files."""
    columns = ("source_file", "report_year", "country", "good", *GOODS_COLUMNS[5:])
    for line, r in read_rows(stream, required=columns):
        edition = _findings_edition(r, line)
        yield ProfileGoodRow(
            line=line,
            source_file=edition.source_file,
            report_year=edition.report_year or 0,
            good=r["good"].strip(),
            country=r["country"].strip(),
            flags=(
                r["child_labor"].strip(),
                r["forced_labor"].strip(),
                r["forced_child_labor"].strip(),
                r["derived_labor_exploitation"].strip(),
                r["derived_country"].strip(),
            ),
        )


# --------------------------------------------------------------------------------------------
# TIP report tiers
# --------------------------------------------------------------------------------------------

TIERS = {
    "Tier 1": "1",
    "Tier 2": "2",
    "Watchlist": "2WL",
    "Tier 2 Watch List": "2WL",
    "Tier 3": "3",
}
TIP_FIRST_YEAR, TIP_LAST_YEAR = 1999, 2015


@dataclass(frozen=True)
class TierRow:
    line: int
    country_name: str
    iso3: str
    year: int
    tier: str  # a Tier value


def parse_tip_tiers(stream: TextIO, stats: ParseStats | None = None) -> Iterator[TierRow]:
    """Tier placements; an empty tier means the country was not rated that year (skipped)."""
    stats = stats if stats is not None else ParseStats()
    seen: set[tuple[str, int]] = set()
    for line, r in read_rows(stream, required=("country_name", "iso3", "year", "tier")):
        iso3 = r["iso3"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise ParseError(
                _("not an ISO3 code: '%(iso3)s'") % {"iso3": r["iso3"]}, row=line, column="iso3"
            )
        year = cell_year(r, "year", line, first=TIP_FIRST_YEAR, last=TIP_LAST_YEAR)
        if (iso3, year) in seen:
            raise ParseError(
                _("duplicate %(iso3)s %(year)s") % {"iso3": iso3, "year": year},
                row=line,
                column="year",
            )
        seen.add((iso3, year))
        tier = r["tier"].strip()
        if not tier:
            stats.skipped["not rated"] += 1
            continue
        if tier not in TIERS:
            raise ParseError(_("unknown tier '%(tier)s'") % {"tier": tier}, row=line, column="tier")
        yield TierRow(line, r["country_name"].strip(), iso3, year, TIERS[tier])
