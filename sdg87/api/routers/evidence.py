"""REST API v1: the "what works" evidence map as data (registered in config/api.py).

- `evidence/studies`: the codings of public studies (one row per study and coding), with the
  filters of the /evidence/ page plus intervention, outcome, design and direction; ordered by
  id with keyset pagination (`next`); `format=csv` streams every matching row in one response.
- `evidence/matrix`: the interventions x outcomes cells (counts by design and direction, the
  absolute and synthesis gaps, totals), computed live like the page.

Only public records count (sdg87.library.selectors.publication_public_queryset, through
sdg87.library.evidence_selectors). Errors have the API's one shape.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from typing import Any, Literal
from urllib.parse import urlencode

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.api.schemas import Lang, split_codes
from sdg87.core.csvsafe import csv_row
from sdg87.library.evidence import DESIGN_ORDER, DIRECTION_ORDER, matrix_compute
from sdg87.library.evidence_selectors import (
    EvidenceFilterError,
    EvidenceFilters,
    StudyItem,
    evidence_filters_resolve,
    evidence_rows,
    evidence_study_page,
    series_links,
)
from sdg87.library.vocabulary import Direction, Intervention, Outcome, StudyDesign

router = Router(tags=["evidence"])
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CSV_CHUNK_SIZE = 500


class EvidenceCodeLabel(Schema):
    code: str
    label: str


class EvidenceStudyLinks(Schema):
    page: str = Field(description="The publication's page on this platform.")
    api: str = Field(description="The publication in the API (/api/v1/publications/{slug}).")
    publisher_page: str = Field(description="The publisher's page or the DOI's resolver, or empty.")


class EvidenceStudyOut(Schema):
    id: int = Field(description="The coding's id (the key of the pagination).")
    study: str = Field(description="The publication's slug.")
    title: str
    year: int | None
    type: str
    language: str
    authors: list[str]
    countries: list[str] = Field(description="ISO3 codes of the countries studied.")
    themes: list[str]
    intervention: EvidenceCodeLabel
    outcome: EvidenceCodeLabel
    design: EvidenceCodeLabel
    direction: EvidenceCodeLabel
    finding_quote: str = Field(description="A short verbatim phrase from the source read.")
    doi: str
    links: EvidenceStudyLinks


class EvidenceStudyPage(Schema):
    next: str | None = Field(description="Absolute URL of the next page, or null on the last page.")
    results: list[EvidenceStudyOut]


class EvidenceMapFilters(Schema):
    country: list[str] | None = Field(
        None, description="Country ISO3 code. Repeatable or comma-separated."
    )
    region: str | None = Field(
        None, description="Aggregate code (e.g. ILO_AFRICA, 202): studies of its member countries."
    )
    form: list[str] | None = Field(
        None,
        description="Form of exploitation (the record's themes): child_labour, forced_labour, "
        "human_trafficking, modern_slavery, forced_marriage. Repeatable.",
    )
    year_from: int | None = Field(None, ge=1000, le=9999)
    year_to: int | None = Field(None, ge=1000, le=9999)
    lang: Lang = "en"


class EvidenceStudyFilters(EvidenceMapFilters):
    intervention: list[str] | None = Field(None, description="Intervention code. Repeatable.")
    outcome: list[str] | None = Field(None, description="Outcome code. Repeatable.")
    design: list[str] | None = Field(None, description="Study design code. Repeatable.")
    direction: list[str] | None = Field(None, description="Direction of effect code. Repeatable.")
    cursor: str | None = Field(None, description="From the `next` URL of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    format: Literal["json", "csv"] = "json"


class EvidenceSeriesRef(Schema):
    code: str
    indicator: str
    url: str = Field(description="The series' statistics page.")


class EvidenceIntervention(EvidenceCodeLabel):
    studies: int


class EvidenceOutcome(EvidenceCodeLabel):
    studies: int
    series: list[EvidenceSeriesRef] = Field(
        description="Statistics series that measure the outcome."
    )


class EvidenceCell(Schema):
    intervention: str
    outcome: str
    studies: int
    designs: dict[str, int] = Field(description="Studies by design code (every code, zeros too).")
    directions: dict[str, int] = Field(description="Studies by direction code (every code).")
    absolute_gap: bool = Field(description="No study in the cell.")
    synthesis_gap: bool = Field(description="Studies, but no systematic review among them.")
    page: str = Field(description="The cell's page, listing its studies.")
    studies_api: str


class EvidenceMatrix(Schema):
    total: int = Field(description="Distinct studies on the map.")
    codings: int
    years: list[int] | None = Field(description="Earliest and latest year of a study.")
    absolute_gaps: int
    synthesis_gaps: int
    interventions: list[EvidenceIntervention]
    outcomes: list[EvidenceOutcome]
    designs: list[EvidenceCodeLabel]
    directions: list[EvidenceCodeLabel]
    cells: list[EvidenceCell]


def _filters(f: EvidenceMapFilters) -> EvidenceFilters:
    try:
        return evidence_filters_resolve(
            country=split_codes(f.country),
            region=f.region or "",
            form=split_codes(f.form),
            year_from=f.year_from,
            year_to=f.year_to,
        )
    except EvidenceFilterError as exc:
        raise ApiError(
            status=400, code=exc.code, message=exc.message, parameter=exc.parameter
        ) from exc


def _codes(values: list[str] | None, allowed: Sequence[str], parameter: str) -> list[str]:
    codes = split_codes(values)
    for code in codes:
        if code not in allowed:
            raise ApiError(
                status=400,
                code="unknown_code",
                message=_("Unknown %(parameter)s: %(value)s. Known: %(known)s.")
                % {"parameter": parameter, "value": code, "known": ", ".join(allowed)},
                parameter=parameter,
            )
    return codes


def _code_label(choices: Any, code: str) -> dict[str, str]:
    return {"code": code, "label": str(choices(code).label) if code in choices.values else code}


def _study_out(request: HttpRequest, s: StudyItem) -> dict[str, Any]:
    return {
        "id": s.coding_id,
        "study": s.slug,
        "title": s.title,
        "year": s.year,
        "type": s.resource_type,
        "language": s.language,
        "authors": list(s.authors),
        "countries": sorted(g.iso3 or g.code for g in s.countries),
        "themes": sorted(s.themes),
        "intervention": _code_label(Intervention, s.intervention),
        "outcome": _code_label(Outcome, s.outcome),
        "design": _code_label(StudyDesign, s.design),
        "direction": _code_label(Direction, s.direction),
        "finding_quote": s.finding_quote,
        "doi": s.doi,
        "links": {
            "page": request.build_absolute_uri(
                reverse("library:publication_detail", kwargs={"slug": s.slug})
            ),
            "api": request.build_absolute_uri(
                reverse("api-v1:publication_detail", kwargs={"slug": s.slug})
            ),
            "publisher_page": s.link,
        },
    }


CSV_HEADER = (
    "id",
    "study",
    "title",
    "year",
    "type",
    "language",
    "authors",
    "countries",
    "themes",
    "intervention",
    "intervention_label",
    "outcome",
    "outcome_label",
    "design",
    "design_label",
    "direction",
    "direction_label",
    "finding_quote",
    "doi",
    "page_url",
    "publisher_page",
)


def _csv_cells(out: dict[str, Any]) -> list[Any]:
    return csv_row(
        [
            out["id"],
            out["study"],
            out["title"],
            out["year"],
            out["type"],
            out["language"],
            "; ".join(out["authors"]),
            "; ".join(out["countries"]),
            "; ".join(out["themes"]),
            out["intervention"]["code"],
            out["intervention"]["label"],
            out["outcome"]["code"],
            out["outcome"]["label"],
            out["design"]["code"],
            out["design"]["label"],
            out["direction"]["code"],
            out["direction"]["label"],
            out["finding_quote"],
            out["doi"],
            out["links"]["page"],
            out["links"]["publisher_page"],
        ]
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(request: HttpRequest, page: Any, lang: str) -> Iterator[str]:
    """The header, then the rows in chunks of CSV_CHUNK_SIZE (a bounded query per chunk)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    after: int | None = None
    while True:
        with translation.override(lang):
            chunk = page(after_id=after, limit=CSV_CHUNK_SIZE)
            if not chunk:
                return
            yield "".join(writer.writerow(_csv_cells(_study_out(request, s))) for s in chunk)
        after = chunk[-1].coding_id


@router.get(
    "/evidence/studies",
    operation_id="sdg87_library_api_evidence_studies",
    response={200: EvidenceStudyPage, **ERROR_RESPONSES},
    url_name="evidence_studies",
    summary="Studies of the evidence map, filtered; keyset-paginated JSON or streamed CSV",
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    "text/csv": {"schema": {"type": "string"}, "example": ",".join(CSV_HEADER)}
                }
            }
        }
    },
)
def evidence_studies(request: HttpRequest, filters: Query[EvidenceStudyFilters]) -> Any:
    """Evidence codings of public, verified studies: the intervention, outcome, design and
    direction of effect, with the finding quoted from the source. Filters are those of the
    /evidence/ page (`country`, `region`, `form`, `year_from`, `year_to`) plus the codes of a
    cell; several values of one filter are ORed, filters are ANDed. Ordered by id; follow
    `next` until it is null. `format=csv` streams every matching row (no pagination)."""
    resolved = _filters(filters)
    intervention = _codes(filters.intervention, Intervention.values, "intervention")
    outcome = _codes(filters.outcome, Outcome.values, "outcome")
    design = _codes(filters.design, StudyDesign.values, "design")
    direction = _codes(filters.direction, Direction.values, "direction")

    def page(*, after_id: int | None, limit: int) -> list[StudyItem]:
        return evidence_study_page(
            filters=resolved,
            intervention=intervention,
            outcome=outcome,
            design=design,
            direction=direction,
            after_id=after_id,
            limit=limit,
        )

    if filters.format == "csv":
        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(
            _csv_lines(request, page, filters.lang), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="sdg87-evidence-studies-{stamp}.csv"'
        )
        return response
    after = cursor_decode(filters.cursor) if filters.cursor else None
    rows = page(after_id=after, limit=filters.limit + 1)
    has_more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    with translation.override(filters.lang):
        results = [_study_out(request, s) for s in rows]
    return {
        "next": next_url(request, last_id=rows[-1].coding_id) if has_more else None,
        "results": results,
    }


@router.get(
    "/evidence/matrix",
    operation_id="sdg87_library_api_evidence_matrix",
    response={200: EvidenceMatrix, **ERROR_RESPONSES},
    url_name="evidence_matrix",
    summary="The evidence map: interventions x outcomes, with counts and gaps",
)
def evidence_matrix(request: HttpRequest, filters: Query[EvidenceMapFilters]) -> Any:
    """Every cell of the map (empty ones too): studies, studies by design and by direction
    of effect, the absolute gap (no study) and the synthesis gap (studies, no systematic
    review); totals count distinct studies. Same filters as the /evidence/ page."""
    resolved = _filters(filters)
    matrix = matrix_compute(evidence_rows(filters=resolved))
    links = series_links(outcomes=matrix.outcomes)
    query = resolved.query_items()
    with translation.override(filters.lang):
        cell_page = reverse("evidence:cell")
        studies_api = reverse("api-v1:evidence_studies")

        def _url(path: str, **extra: str) -> str:
            return request.build_absolute_uri(f"{path}?{urlencode([*extra.items(), *query])}")

        return {
            "total": matrix.total,
            "codings": matrix.codings,
            "years": list(matrix.years) if matrix.years else None,
            "absolute_gaps": matrix.absolute_gaps,
            "synthesis_gaps": matrix.synthesis_gaps,
            "interventions": [
                {**_code_label(Intervention, i), "studies": matrix.row_totals[i]}
                for i in matrix.interventions
            ],
            "outcomes": [
                {
                    **_code_label(Outcome, o),
                    "studies": matrix.column_totals[o],
                    "series": [
                        {
                            "code": s,
                            "indicator": ind,
                            "url": request.build_absolute_uri(
                                reverse("site:indicator-detail", kwargs={"code": s})
                            ),
                        }
                        for s, ind in links[o]
                    ],
                }
                for o in matrix.outcomes
            ],
            "designs": [_code_label(StudyDesign, d) for d in DESIGN_ORDER],
            "directions": [_code_label(Direction, d) for d in DIRECTION_ORDER],
            "cells": [
                {
                    "intervention": c.intervention,
                    "outcome": c.outcome,
                    "studies": c.studies,
                    "designs": {d: c.design_count(d) for d in DESIGN_ORDER},
                    "directions": {d: c.direction_count(d) for d in DIRECTION_ORDER},
                    "absolute_gap": c.absolute_gap,
                    "synthesis_gap": c.synthesis_gap,
                    "page": _url(cell_page, intervention=c.intervention, outcome=c.outcome),
                    "studies_api": _url(
                        studies_api, intervention=c.intervention, outcome=c.outcome
                    ),
                }
                for c in matrix.cells.values()
            ],
        }
