"""A pack version as the reader sees it: the stored content with labels in the current
language, every figure next to its source (publisher's URL, release title and year), the
listing history, the diff against the previous version and the citation.

The page, the PDF and the CSV files are all drawn from one `PackDocument`, so they say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.assessments.models import ActionArea, AdvancementLevel, Sector, Tier
from sdg87.assessments.selectors import CONVENTIONS, ENFORCEMENT_MEASURES, LEGAL_STANDARDS
from sdg87.indicators.labels import age_label, number, sex_label
from sdg87.library.vocabulary import Intervention, Outcome
from sdg87.packs.diff import Change, content_diff
from sdg87.packs.models import PackVersion

EU_REGULATION_URL = "https://eur-lex.europa.eu/eli/reg/2024/3015/oj"
NORMLEX_URL = "https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:1:0"

SERIES_LABELS = {
    "SL_TLF_CHLDEA": gettext_lazy("Children engaged in economic activity (%)"),
    "SL_TLF_CHLDEC": gettext_lazy("Children engaged in economic activity and household chores (%)"),
    "GSI_PREV_1000": gettext_lazy("Prevalence of modern slavery (per 1,000 population)"),
    "GSI_NUMBER": gettext_lazy("Estimated number of people in modern slavery"),
    "GSI_POPULATION": gettext_lazy("Population used for the estimate"),
}
CONVENTION_LABELS = {code: label for code, label in CONVENTIONS.values()} | {
    "C029": gettext_lazy("ILO C29, Forced Labour Convention"),
    "P029": gettext_lazy("ILO P29, Protocol of 2014 to the Forced Labour Convention"),
    "C105": gettext_lazy("ILO C105, Abolition of Forced Labour Convention"),
}
SECTION_LABELS = {
    "listings": gettext_lazy("Listings"),
    "child_labour": gettext_lazy("Child labour (SDG 8.7.1)"),
    "gsi": gettext_lazy("Modern slavery (Global Slavery Index)"),
    "tiers": gettext_lazy("TIP report tiers"),
    "advancement": gettext_lazy("DOL advancement level"),
    "ratifications": gettext_lazy("Ratifications"),
    "legal_standards": gettext_lazy("Legal standards"),
    "enforcement": gettext_lazy("Enforcement"),
    "suggested_actions": gettext_lazy("Suggested actions"),
    "evidence": gettext_lazy("What works"),
}
CHANGE_LABELS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"),
}


def _choice(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@dataclass(frozen=True)
class SourceRef:
    code: str
    label: str  # "Publisher, title (year)"
    url: str


@dataclass(frozen=True)
class Row:
    """One line of a table: its cells as shown, and where the figure comes from."""

    cells: list[str]
    source: SourceRef | None = None
    extra_url: str = ""


@dataclass(frozen=True)
class Table:
    key: str  # the CSV resource name and the section id
    heading: str
    columns: list[str]
    rows: list[Row]
    note: str = ""
    empty: str = ""


@dataclass(frozen=True)
class Criterion:
    name: str
    reference: str


@dataclass
class PackDocument:
    lang: str
    title: str
    good: str
    good_slug: str
    country: str
    iso3: str
    version: int
    as_of: date
    as_of_text: str
    content_hash: str
    citation: str
    page_url: str
    summary: list[str]
    tables: list[Table]
    changes: list[Change]
    previous_version: int | None
    criteria: list[Criterion]
    criteria_note: str
    sources: list[SourceRef] = field(default_factory=list)

    def change_rows(self) -> list[list[str]]:
        return [
            [
                str(SECTION_LABELS.get(c.section, c.section)),
                c.key,
                str(CHANGE_LABELS[c.change]),
                c.before,
                c.after,
            ]
            for c in self.changes
        ]


def _yes(value: bool | None) -> str:
    return "" if value is None else _("Yes") if value else _("No")


def _kinds(row: dict[str, Any]) -> str:
    kinds = []
    if row["child_labour"]:
        kinds.append(_("child labour"))
    if row["forced_labour"]:
        kinds.append(_("forced labour"))
    if row["forced_child_labour"]:
        kinds.append(_("forced child labour"))
    return ", ".join(kinds)


def pack_citation(*, good: str, country: str, version: int, as_of: date, url: str) -> str:
    return _(
        "SDG 8.7 Knowledge Platform, due-diligence pack: %(good)s from %(country)s, version "
        "%(version)s of %(date)s. %(url)s"
    ) % {
        "good": good,
        "country": country,
        "version": version,
        "date": as_of.isoformat(),
        "url": url,
    }


def pack_document_build(
    *,
    version: PackVersion,
    previous: PackVersion | None,
    country_name: str,
    page_url: str,
    lang: str,
    evidence_cell_url: str,
) -> PackDocument:
    """The document of `version` in the active language. `page_url` is the absolute URL of
    this version's page; `evidence_cell_url` the evidence map's cell page (absolute)."""
    c = version.content
    sources = {
        code: SourceRef(
            code=code,
            label=f"{s['publisher']}, {s['title']} ({s['year']})",
            url=s["url"],
        )
        for code, s in c["sources"].items()
    }

    def src(code: str) -> SourceRef | None:
        return sources.get(code)

    good, iso3 = c["good"]["name"], c["country"]["iso3"]
    as_of = version.created_at.date()
    tables: list[Table] = []

    listed = [r["edition"] for r in c["listings"]]
    tables.append(
        Table(
            key="listings",
            heading=_("Listings on the List of Goods, by edition"),
            columns=[_("Edition"), _("Sector"), _("Exploitation"), _("Derived from")],
            rows=[
                Row(
                    [
                        str(r["edition"]),
                        _choice(Sector, r["sector"]),
                        _kinds(r),
                        r["derived_country"],
                    ],
                    src(r["release"]),
                )
                for r in reversed(c["listings"])
            ],
        )
    )
    event_labels = {
        "added": _("First listed"),
        "removed": _("No longer listed"),
        "relisted": _("Listed again"),
    }
    tables.append(
        Table(
            key="history",
            heading=_("Listing history"),
            columns=[_("Edition"), _("Event")],
            rows=[Row([str(e["edition"]), event_labels[e["event"]]]) for e in c["history"]],
            note=_("Editions of the List in our data: %(editions)s.")
            % {"editions": ", ".join(str(e) for e in c["editions"])},
        )
    )

    def observation_rows(rows: list[dict[str, Any]]) -> list[Row]:
        return [
            Row(
                [
                    str(SERIES_LABELS.get(o["series"], o["series"])),
                    str(o["year"]),
                    sex_label(o["sex"]),
                    age_label(o["age"]),
                    number(o["value"], 1 if o["unit"] != "NUMBER" else 0),
                ],
                src(o["release"]),
            )
            for o in rows
        ]

    obs_columns = [_("Measure"), _("Year"), _("Sex"), _("Age"), _("Value")]
    tables.append(
        Table(
            key="child_labour",
            heading=_("Child labour (SDG 8.7.1), by sex and age"),
            columns=obs_columns,
            rows=observation_rows(c["child_labour"]),
            note=_("Each year's value from the newest release that holds it, newest year first."),
            empty=_("No published 8.7.1 value for this country in our data."),
        )
    )
    tables.append(
        Table(
            key="gsi",
            heading=_("Modern slavery (Global Slavery Index)"),
            columns=obs_columns,
            rows=observation_rows(c["gsi"]),
            empty=_("No Global Slavery Index estimate for this country in our data."),
        )
    )
    tables.append(
        Table(
            key="tiers",
            heading=_("US Trafficking in Persons report tiers"),
            columns=[_("Report year"), _("Tier")],
            rows=[
                Row([str(t["year"]), _choice(Tier, t["tier"])], src(t["release"]))
                for t in reversed(c["tiers"])
            ],
            empty=_("No tier placement for this country in our data."),
        )
    )
    tables.append(
        Table(
            key="advancement",
            heading=_("DOL advancement level (Findings on the Worst Forms of Child Labor)"),
            columns=[_("Report year"), _("Advancement level")],
            rows=[
                Row(
                    [str(a["report_year"]), _choice(AdvancementLevel, a["level"])],
                    src(a["release"]),
                    extra_url=a["webpage"],
                )
                for a in c["advancement"]
            ],
            empty=_("This country is not assessed in the Findings in our data."),
        )
    )
    rat = c["ratifications"]
    rat_rows = []
    if rat:
        rat_rows = [
            Row(
                [str(CONVENTION_LABELS.get(i["code"], i["code"])), i["value_text"]],
                src(rat["release"]),
            )
            for i in rat["items"]
        ]
        rat_rows += [
            Row(
                [str(CONVENTION_LABELS[code]), _("Not in our data")],
                SourceRef(code="normlex", label=_("ILO NORMLEX"), url=NORMLEX_URL),
            )
            for code in rat["not_in_sources"]
        ]
    tables.append(
        Table(
            key="ratifications",
            heading=_("Ratifications"),
            columns=[_("Instrument"), _("Ratified")],
            rows=rat_rows,
            note=(
                _(
                    "As stated in the Findings of %(year)s. The Findings do not report C29, P29 "
                    "and C105: check them in ILO NORMLEX."
                )
                % {"year": rat["report_year"]}
                if rat
                else ""
            ),
            empty=_("No ratification data for this country in our data."),
        )
    )
    legal = c["legal_standards"]
    tables.append(
        Table(
            key="legal_standards",
            heading=_("Legal standards"),
            columns=[
                _("Standard"),
                _("Territory"),
                _("Law sets it"),
                _("Age"),
                _("Meets international standards"),
            ],
            rows=[
                Row(
                    [
                        str(LEGAL_STANDARDS.get(i["code"], i["code"])),
                        i["territory"],
                        i["standard"],
                        i["age"],
                        i["conforms_to_intl_standard"],
                    ],
                    src(legal["release"]),
                )
                for i in (legal["items"] if legal else [])
            ],
            note=(
                _("As assessed in the Findings of %(year)s.") % {"year": legal["report_year"]}
                if legal
                else ""
            ),
            empty=_("No legal standards for this country in our data."),
        )
    )
    tables.append(
        Table(
            key="enforcement",
            heading=_("Enforcement"),
            columns=[_("Measure"), _("Report year"), _("Territory"), _("Value")],
            rows=[
                Row(
                    [
                        str(ENFORCEMENT_MEASURES[f["code"]][1]),
                        str(f["report_year"]),
                        f["territory"],
                        f["value_text"],
                    ],
                    src(f["release"]),
                )
                for f in c["enforcement"]
            ],
            note=_("Figures of the latest Findings that report them, as published."),
            empty=_("No enforcement figures for this country in our data."),
        )
    )
    actions = c["suggested_actions"]
    tables.append(
        Table(
            key="suggested_actions",
            heading=_("Actions DOL suggests to the government"),
            columns=[_("Area"), _("Suggested action")],
            rows=[
                Row([_choice(ActionArea, a["area"]), a["action"]], src(actions["release"]))
                for a in (actions["items"] if actions else [])
            ],
            note=(
                _("From the Findings of %(year)s.") % {"year": actions["report_year"]}
                if actions
                else ""
            ),
            empty=_("No suggested actions for this country in our data."),
        )
    )
    evidence = c["evidence"]
    tables.append(
        Table(
            key="evidence",
            heading=_("What works: studies about this country on the evidence map"),
            columns=[_("Intervention"), _("Outcome"), _("Studies")],
            rows=[
                Row(
                    [
                        _choice(Intervention, e["intervention"]),
                        _choice(Outcome, e["outcome"]),
                        str(e["studies"]),
                    ],
                    None,
                    extra_url=(
                        f"{evidence_cell_url}?intervention={e['intervention']}"
                        f"&outcome={e['outcome']}&country={iso3}"
                    ),
                )
                for e in evidence["cells"]
            ],
            note=_("%(count)s studies on the platform's evidence map are about this country.")
            % {"count": evidence["studies"]},
            empty=_("No study on the evidence map is about this country yet."),
        )
    )

    listed_now = bool(c["editions"]) and c["editions"][-1] in listed
    summary = [
        _("First listed in the %(year)s edition of the List of Goods.")
        % {"year": c["history"][0]["edition"] if c["history"] else listed[0]},
        (
            _("Listed in the latest edition in our data (%(year)s) for: %(kinds)s.")
            % {"year": c["editions"][-1], "kinds": _kinds(c["listings"][-1])}
            if listed_now
            else _("Not listed in the latest edition in our data (%(year)s).")
            % {"year": c["editions"][-1]}
        ),
    ]
    criteria = [
        Criterion(
            _(
                "Scale and severity of the suspected forced labour, including forced labour "
                "imposed by state authorities"
            ),
            _("Art. 14(2)(a)"),
        ),
        Criterion(
            _("Quantity or volume of the products placed or made available on the Union market"),
            _("Art. 14(2)(b)"),
        ),
        Criterion(
            _("Share of the part suspected to be made with forced labour in the final product"),
            _("Art. 14(2)(c)"),
        ),
        Criterion(_("Proximity of your company to the suspected risk in the value chain"), ""),
        Criterion(_("Your leverage to address the risk"), ""),
    ]
    return PackDocument(
        lang=lang,
        title=_("Due-diligence pack: %(good)s from %(country)s")
        % {"good": good, "country": country_name},
        good=good,
        good_slug=version.good_slug,
        country=country_name,
        iso3=iso3,
        version=version.number,
        as_of=as_of,
        as_of_text=date_format(as_of, "DATE_FORMAT"),
        content_hash=version.content_hash,
        citation=pack_citation(
            good=good, country=country_name, version=version.number, as_of=as_of, url=page_url
        ),
        page_url=page_url,
        summary=summary,
        tables=tables,
        changes=content_diff(before=previous.content if previous else None, after=c),
        previous_version=previous.number if previous else None,
        criteria=criteria,
        criteria_note=_(
            "Criteria in our words, after Regulation (EU) 2024/3015 (Article 14(2) for the "
            "first three); read the regulation itself. The last two are questions about your own "
            "position in the value chain; they are not taken from the regulation's text."
        ),
        sources=sorted(sources.values(), key=lambda s: s.code),
    )
