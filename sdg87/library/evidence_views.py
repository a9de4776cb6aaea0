"""The "what works" evidence map pages: /<lang>/evidence/ (the matrix), /<lang>/evidence/cell/
(the studies of one cell, with their quoted findings) and /<lang>/evidence/methodology/.

Views parse the query, call the selectors of sdg87.library.evidence_selectors and shape what
the templates show (labels, abbreviations, links). No JavaScript; the matrix is an HTML table
with row and column headers, and every mark is words or a symbol explained in the legend,
never colour alone. Pages are computed live (a few bounded queries), not cached, so a record
that stops being public leaves the map at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from sdg87.library.evidence import Cell, Matrix, matrix_compute
from sdg87.library.evidence_selectors import (
    NO_FILTERS,
    EvidenceFilterError,
    EvidenceFilters,
    StudyItem,
    evidence_cell_studies,
    evidence_filter_options,
    evidence_filters_resolve,
    evidence_matrix,
    evidence_rows,
    series_links,
)
from sdg87.library.exports import publications_export
from sdg87.library.frameworks import (
    INTERVENTION,
    OUTCOME,
    Mapping,
    framework_list,
    mappings_for,
)
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.vocabulary import Direction, Intervention, Outcome, StudyDesign

# Short forms of the designs in the cells; each is an <abbr> with the full name.
DESIGN_ABBR: dict[str, Promise] = {
    StudyDesign.RCT: pgettext_lazy("study design, short", "RCT"),
    StudyDesign.QUASI_EXPERIMENTAL: pgettext_lazy("study design, short", "QE"),
    StudyDesign.QUALITATIVE: pgettext_lazy("study design, short", "QUAL"),
    StudyDesign.MIXED_METHODS: pgettext_lazy("study design, short", "MM"),
    StudyDesign.SYSTEMATIC_REVIEW: pgettext_lazy("study design, short", "SR"),
    StudyDesign.OTHER: pgettext_lazy("study design, short", "OTH"),
}
# Symbols of the directions (the legend says what each means; screen readers hear the words).
DIRECTION_SYMBOL: dict[str, str] = {
    Direction.REDUCED: "↓",
    Direction.INCREASED: "↑",
    Direction.MIXED: "↕",
    Direction.NO_SIGNIFICANT_EFFECT: "=",
    Direction.NOT_STATED: "?",
}
INTERVENTION_DESCRIPTIONS: dict[str, Promise] = {
    Intervention.CASH_TRANSFERS: _lazy(
        "Conditional and unconditional cash transfers to households or children."
    ),
    Intervention.SOCIAL_PROTECTION_OTHER: _lazy(
        "Other social protection: public works, insurance, pensions, in-kind and asset transfers."
    ),
    Intervention.SCHOOL_FEEDING_AND_EDUCATION: _lazy(
        "School meals and take-home rations, scholarships, school quality and transitional "
        "education."
    ),
    Intervention.MICROFINANCE_AND_LIVELIHOODS: _lazy(
        "Microcredit, savings groups, training and other support to household income."
    ),
    Intervention.AWARENESS_AND_COMMUNITY_MOBILISATION: _lazy(
        "Awareness-raising campaigns, community groups and mobilisation against exploitation."
    ),
    Intervention.LEGAL_AND_POLICY_REFORM: _lazy(
        "Laws (for example minimum-age laws), national policies and action plans."
    ),
    Intervention.LABOUR_INSPECTION_AND_ENFORCEMENT: _lazy(
        "Labour inspection, policing, prosecution and other enforcement of the law."
    ),
    Intervention.SUPPLY_CHAIN_DUE_DILIGENCE_AND_CERTIFICATION: _lazy(
        "Company due diligence, monitoring and remediation systems, and certification."
    ),
    Intervention.MIGRATION_AND_RECRUITMENT: _lazy(
        "Pre-departure training, safe migration and fair recruitment programmes."
    ),
    Intervention.VICTIM_IDENTIFICATION_AND_SUPPORT: _lazy(
        "Identifying victims and survivors, and services for their protection and recovery."
    ),
    Intervention.OTHER: _lazy(
        "Reviews of several kinds of intervention, and interventions in none of the other rows."
    ),
}
OUTCOME_DESCRIPTIONS: dict[str, Promise] = {
    Outcome.CHILD_LABOUR_INCIDENCE: _lazy("Whether children work, or how many hours they work."),
    Outcome.HAZARDOUS_WORK: _lazy("Hazardous work by children, the worst forms of child labour."),
    Outcome.SCHOOL_ATTENDANCE: _lazy("Enrolment and attendance at school."),
    Outcome.FORCED_LABOUR_INCIDENCE: _lazy("The prevalence of forced or bonded labour."),
    Outcome.TRAFFICKING_VICTIMS_IDENTIFIED: _lazy(
        "Victims of trafficking identified (or tools that identify them)."
    ),
    Outcome.AWARENESS_KNOWLEDGE: _lazy(
        "What people know about risks, rights and exploitation, and their attitudes."
    ),
    Outcome.HOUSEHOLD_INCOME: _lazy("Household income and consumption."),
    Outcome.OTHER: _lazy("Health, well-being, recovery, practices of firms and other outcomes."),
}
DIRECTION_DESCRIPTIONS: dict[str, Promise] = {
    Direction.REDUCED: _lazy("The study found the outcome went down."),
    Direction.INCREASED: _lazy("The study found the outcome went up."),
    Direction.MIXED: _lazy(
        "Some measures or groups went down and others up, or the effect was not the same "
        "everywhere."
    ),
    Direction.NO_SIGNIFICANT_EFFECT: _lazy("The study found no statistically significant effect."),
    Direction.NOT_STATED: _lazy(
        "The source read did not show a result for this outcome. It does not mean “no effect”."
    ),
}


def publication_url(slug: str) -> str:
    """The publication page, /<lang>/library/<slug>/ (sdg87.library.urls)."""
    return reverse("library:publication_detail", kwargs={"slug": slug})


def _label(choices: type[Intervention | Outcome | StudyDesign | Direction], code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


@dataclass(frozen=True)
class Part:
    """One count of a cell: `short` is shown (an abbreviation or a symbol), `long` is the
    full words (the abbreviation's title, or the screen readers' text)."""

    code: str
    short: str
    long: str
    count: int


def design_parts(designs: tuple[tuple[str, int], ...]) -> list[Part]:
    return [
        Part(code, str(DESIGN_ABBR.get(code, code)), _label(StudyDesign, code), n)
        for code, n in designs
    ]


def direction_parts(directions: tuple[tuple[str, int], ...]) -> list[Part]:
    return [
        Part(code, DIRECTION_SYMBOL.get(code, "·"), _label(Direction, code), n)
        for code, n in directions
    ]


@dataclass(frozen=True)
class CellView:
    cell: Cell
    intervention_label: str
    outcome_label: str
    url: str
    designs: list[Part]
    directions: list[Part]


@dataclass(frozen=True)
class RowView:
    code: str
    label: str
    cells: list[CellView]
    total: int


@dataclass(frozen=True)
class SeriesLink:
    code: str
    indicator: str
    url: str


@dataclass(frozen=True)
class ColumnView:
    code: str
    label: str
    series: list[SeriesLink]
    total: int


def _query(filters: EvidenceFilters, **extra: str) -> str:
    return urlencode([*extra.items(), *filters.query_items()])


def cell_url(filters: EvidenceFilters, *, intervention: str, outcome: str) -> str:
    return (
        reverse("evidence:cell") + "?" + _query(filters, intervention=intervention, outcome=outcome)
    )


def series_url(code: str) -> str:
    """The statistics page of a series (the indicator pages are per series)."""
    return reverse("site:indicator-detail", kwargs={"code": code})


def matrix_view(matrix: Matrix, filters: EvidenceFilters) -> tuple[list[ColumnView], list[RowView]]:
    links = series_links(outcomes=matrix.outcomes)
    columns = [
        ColumnView(
            code=o,
            label=_label(Outcome, o),
            series=[SeriesLink(s, ind, series_url(s)) for s, ind in links[o]],
            total=matrix.column_totals[o],
        )
        for o in matrix.outcomes
    ]
    labels = {c.code: c.label for c in columns}
    rows = []
    for i in matrix.interventions:
        label = _label(Intervention, i)
        rows.append(
            RowView(
                code=i,
                label=label,
                cells=[
                    CellView(
                        cell=cell,
                        intervention_label=label,
                        outcome_label=labels[cell.outcome],
                        url=cell_url(filters, intervention=i, outcome=cell.outcome),
                        designs=design_parts(cell.designs),
                        directions=direction_parts(cell.directions),
                    )
                    for cell in matrix.row(i)
                ],
                total=matrix.row_totals[i],
            )
        )
    return columns, rows


def legend() -> dict[str, list[Part]]:
    return {
        "designs": [Part(str(c), str(DESIGN_ABBR[c]), str(c.label), 0) for c in StudyDesign],
        "directions": [Part(str(d), DIRECTION_SYMBOL[d], str(d.label), 0) for d in Direction],
    }


def _filters_from(request: HttpRequest) -> EvidenceFilters:
    return evidence_filters_resolve(
        country=request.GET.getlist("country"),
        region=request.GET.get("region", ""),
        form=request.GET.getlist("form"),
        year_from=request.GET.get("year_from", ""),
        year_to=request.GET.get("year_to", ""),
    )


def evidence_map(request: HttpRequest) -> HttpResponse:
    options = evidence_filter_options()
    try:
        filters = _filters_from(request)
    except EvidenceFilterError as exc:
        context = {"error": exc.message, "options": options, "filters": NO_FILTERS}
        return render(request, "library/evidence/map.html", context, status=400)
    matrix = evidence_matrix(filters=filters)
    columns, rows = matrix_view(matrix, filters)
    context = {
        "matrix": matrix,
        "columns": columns,
        "rows": rows,
        "filters": filters,
        "options": options,
        "legend": legend(),
        "api_query": _query(filters),
    }
    return render(request, "library/evidence/map.html", context)


def evidence_cell(request: HttpRequest) -> HttpResponse:
    intervention = request.GET.get("intervention", "")
    outcome = request.GET.get("outcome", "")
    if intervention not in Intervention.values or outcome not in Outcome.values:
        raise Http404(_("No such cell of the evidence map."))
    try:
        filters = _filters_from(request)
    except EvidenceFilterError as exc:
        raise Http404(exc.message) from exc
    studies = evidence_cell_studies(intervention=intervention, outcome=outcome, filters=filters)
    fmt = request.GET.get("format", "")
    if fmt:
        order = {s.slug: n for n, s in enumerate(studies)}
        pubs = publication_public_queryset().filter(slug__in=order).select_related("publisher")
        ranked = sorted(pubs, key=lambda p: order[p.slug])
        return publications_export(request, ranked, fmt, name=f"evidence-{intervention}-{outcome}")
    cell = matrix_compute(
        [s.row() for s in studies], interventions=(intervention,), outcomes=(outcome,)
    ).cell(intervention, outcome)
    links = series_links(outcomes=[outcome])[outcome]
    context = {
        "intervention": intervention,
        "intervention_label": _label(Intervention, intervention),
        "outcome": outcome,
        "outcome_label": _label(Outcome, outcome),
        "cell": cell,
        "designs": design_parts(cell.designs),
        "directions": direction_parts(cell.directions),
        "studies": [
            StudyView(
                item=s,
                url=publication_url(s.slug),
                symbol=DIRECTION_SYMBOL.get(s.direction, ""),
            )
            for s in studies
        ],
        "reviews": cell.design_count(StudyDesign.SYSTEMATIC_REVIEW),
        "filters": filters,
        "map_url": reverse("evidence:map") + ("?" + _query(filters) if filters.active else ""),
        "series": [SeriesLink(s, ind, series_url(s)) for s, ind in links],
        "api_query": _query(filters, intervention=intervention, outcome=outcome),
        "export_formats": [("ris", "RIS"), ("bib", "BibTeX"), ("csv", "CSV")],
    }
    return render(request, "library/evidence/cell.html", context)


@dataclass(frozen=True)
class StudyView:
    item: StudyItem
    url: str
    symbol: str


@dataclass(frozen=True)
class CategoryView:
    code: str
    label: str
    description: str
    mappings: list[Mapping]
    series: list[SeriesLink]
    studies: int


def evidence_methodology(request: HttpRequest) -> HttpResponse:
    frameworks = framework_list()
    rows = evidence_rows()
    matrix = matrix_compute(rows)
    links = series_links(outcomes=Outcome.values)
    interventions = [
        CategoryView(
            code=str(c),
            label=str(c.label),
            description=str(INTERVENTION_DESCRIPTIONS.get(c, "")),
            mappings=list(mappings_for(frameworks, axis=INTERVENTION, code=str(c))),
            series=[],
            studies=matrix.row_totals[c],
        )
        for c in Intervention
    ]
    outcomes = [
        CategoryView(
            code=str(c),
            label=str(c.label),
            description=str(OUTCOME_DESCRIPTIONS.get(c, "")),
            mappings=list(mappings_for(frameworks, axis=OUTCOME, code=str(c))),
            series=[SeriesLink(s, ind, series_url(s)) for s, ind in links[c]],
            studies=matrix.column_totals[c],
        )
        for c in Outcome
    ]
    by_design = [
        Part(str(d), str(DESIGN_ABBR[d]), str(d.label), sum(1 for r in rows if r.design == d))
        for d in StudyDesign
    ]
    by_direction = [
        Part(
            str(d),
            DIRECTION_SYMBOL[d],
            str(d.label),
            sum(1 for r in rows if r.direction == d),
        )
        for d in Direction
    ]
    context = {
        "interventions": interventions,
        "outcomes": outcomes,
        "frameworks": frameworks,
        "matrix": matrix,
        "by_design": by_design,
        "by_direction": by_direction,
        "direction_descriptions": [
            (DIRECTION_SYMBOL[d], str(d.label), str(DIRECTION_DESCRIPTIONS[d])) for d in Direction
        ],
        "countries": len({c for r in rows for c in r.countries}),
    }
    return render(request, "library/evidence/methodology.html", context)
