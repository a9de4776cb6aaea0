"""Reads of the "what works" evidence map: the codings of public publications, filtered.

Every read starts from `publication_public_queryset` (the one visibility rule): a study that
is unverified, unpublished, scheduled for later or restricted to its organisation is on no map,
count, cell list, country block or API answer. The matrix itself is computed by the pure
`sdg87.library.evidence`. Queries are bounded: the rows of a whole map take three queries
(codings, their countries, their themes), a cell's list four, whatever the number of studies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from sdg87.catalog.models import ThemeCode
from sdg87.geo.models import Geography, GeographyKind, GeographyMembership
from sdg87.geo.selectors import geography_get
from sdg87.indicators.models import Series
from sdg87.library.evidence import (
    CodingRow,
    LocalGaps,
    Matrix,
    local_gaps,
    matrix_compute,
    outcomes_measured_by,
)
from sdg87.library.models import Creator, EvidenceCoding, Publication
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.vocabulary import (
    OUTCOME_SERIES,
    Direction,
    Intervention,
    Outcome,
    StudyDesign,
)

# The forms of exploitation a study can be filtered by: the publication's themes among these.
EXPLOITATION_FORMS: tuple[str, ...] = (
    ThemeCode.CHILD_LABOUR,
    ThemeCode.FORCED_LABOUR,
    ThemeCode.HUMAN_TRAFFICKING,
    ThemeCode.MODERN_SLAVERY,
    ThemeCode.FORCED_MARRIAGE,
)
# The aggregates offered as regions (income groups and "other" groupings are not regions).
REGION_KINDS: tuple[str, ...] = (
    GeographyKind.SDG_REGION,
    GeographyKind.ILO_REGION,
    GeographyKind.UN_REGION,
    GeographyKind.UN_SUBREGION,
    GeographyKind.UN_INTERMEDIATE,
)
YEAR_MIN, YEAR_MAX = 1000, 9999


class EvidenceFilterError(Exception):
    """A filter value that names nothing: `code` is the machine code (the API's error code),
    `parameter` the filter, `message` translated."""

    def __init__(self, *, code: str, message: str, parameter: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.parameter = parameter


@dataclass(frozen=True)
class EvidenceFilters:
    """The filters of the map, its cells and the API, as given (codes) and resolved
    (`geography_ids`: the chosen countries, the region and its member countries; None when no
    place is chosen)."""

    countries: tuple[str, ...] = ()
    region: str = ""
    forms: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    geography_ids: frozenset[int] | None = None

    @property
    def active(self) -> bool:
        return bool(self.countries or self.region or self.forms or self.year_from or self.year_to)

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, for links that keep them."""
        items = [("country", c) for c in self.countries]
        items += [("region", self.region)] if self.region else []
        items += [("form", f) for f in self.forms]
        items += [("year_from", str(self.year_from))] if self.year_from else []
        items += [("year_to", str(self.year_to))] if self.year_to else []
        return items


def _year(value: int | str | None, parameter: str) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise EvidenceFilterError(
            code="invalid_year",
            message=_("%(parameter)s must be a year of four digits.") % {"parameter": parameter},
            parameter=parameter,
        )
    return int(text)


def evidence_filters_resolve(
    *,
    country: Sequence[str] = (),
    region: str = "",
    form: Sequence[str] = (),
    year_from: int | str | None = None,
    year_to: int | str | None = None,
) -> EvidenceFilters:
    """Check and resolve the filters; the first unknown value raises EvidenceFilterError.
    Several countries, or countries and a region, keep the studies about any of them."""
    iso3s = tuple(dict.fromkeys(c.strip().upper() for c in country if c.strip()))
    ids: set[int] = set()
    if iso3s:
        found = dict(
            Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3__in=iso3s).values_list(
                "iso3", "pk"
            )
        )
        for iso3 in iso3s:
            if iso3 not in found:
                raise EvidenceFilterError(
                    code="unknown_country",
                    message=_("Unknown %(kind)s: %(value)s.")
                    % {"kind": _("country"), "value": iso3},
                    parameter="country",
                )
        ids.update(found.values())
    region_code = region.strip()
    if region_code:
        group = geography_get(code=region_code)
        if group is None or group.kind == GeographyKind.COUNTRY:
            raise EvidenceFilterError(
                code="unknown_geography",
                message=_("Unknown %(kind)s: %(value)s.")
                % {"kind": _("region"), "value": region_code},
                parameter="region",
            )
        region_code = group.code
        ids.add(group.pk)
        ids.update(
            GeographyMembership.objects.filter(group=group).values_list("member_id", flat=True)
        )
    forms = tuple(dict.fromkeys(f.strip() for f in form if f.strip()))
    for f in forms:
        if f not in EXPLOITATION_FORMS:
            raise EvidenceFilterError(
                code="unknown_form",
                message=_("Unknown %(kind)s: %(value)s.")
                % {"kind": _("form of exploitation"), "value": f},
                parameter="form",
            )
    start, end = _year(year_from, "year_from"), _year(year_to, "year_to")
    if start and end and start > end:
        raise EvidenceFilterError(
            code="invalid_range",
            message=_("year_from must not be after year_to."),
            parameter="year_from",
        )
    return EvidenceFilters(
        countries=iso3s,
        region=region_code,
        forms=forms,
        year_from=start,
        year_to=end,
        geography_ids=frozenset(ids) if (iso3s or region_code) else None,
    )


NO_FILTERS = EvidenceFilters()


def evidence_coding_queryset(
    *, filters: EvidenceFilters = NO_FILTERS, now: datetime | None = None
) -> QuerySet[EvidenceCoding]:
    """The codings of public publications that pass `filters` (no duplicates: the place and
    form filters are subqueries)."""
    qs = EvidenceCoding.objects.filter(publication__in=publication_public_queryset(now=now))
    if filters.geography_ids is not None:
        places = Publication.geographies.through.objects.filter(
            geography_id__in=filters.geography_ids
        ).values("publication_id")
        qs = qs.filter(publication_id__in=places)
    if filters.forms:
        forms = Publication.themes.through.objects.filter(theme__code__in=filters.forms).values(
            "publication_id"
        )
        qs = qs.filter(publication_id__in=forms)
    if filters.year_from:
        qs = qs.filter(publication__year__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(publication__year__lte=filters.year_to)
    return qs


def _countries_and_themes(
    publication_ids: Iterable[int],
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    ids = list(set(publication_ids))
    countries: dict[int, list[str]] = defaultdict(list)
    themes: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return countries, themes
    for pub_id, iso3 in (
        Publication.geographies.through.objects.filter(
            publication_id__in=ids, geography__kind=GeographyKind.COUNTRY
        )
        .order_by("geography__iso3")
        .values_list("publication_id", "geography__iso3")
    ):
        if iso3:
            countries[pub_id].append(iso3)
    for pub_id, code in (
        Publication.themes.through.objects.filter(publication_id__in=ids)
        .order_by("theme__code")
        .values_list("publication_id", "theme__code")
    ):
        themes[pub_id].append(code)
    return countries, themes


def evidence_rows(
    *,
    filters: EvidenceFilters = NO_FILTERS,
    outcomes: Sequence[str] | None = None,
    now: datetime | None = None,
) -> list[CodingRow]:
    """The codings as plain rows (with each study's countries and themes), three queries."""
    qs = evidence_coding_queryset(filters=filters, now=now)
    if outcomes is not None:
        qs = qs.filter(outcome__in=list(outcomes))
    raw = list(
        qs.order_by("id").values_list(
            "publication_id", "intervention", "outcome", "design", "direction", "publication__year"
        )
    )
    countries, themes = _countries_and_themes(r[0] for r in raw)
    return [
        CodingRow(
            study=pub,
            intervention=i,
            outcome=o,
            design=d,
            direction=direction,
            year=year,
            countries=tuple(countries.get(pub, ())),
            themes=tuple(themes.get(pub, ())),
        )
        for pub, i, o, d, direction, year in raw
    ]


def evidence_matrix(
    *, filters: EvidenceFilters = NO_FILTERS, now: datetime | None = None
) -> Matrix:
    return matrix_compute(evidence_rows(filters=filters, now=now))


# --- the studies of a cell, and the API's list -------------------------------------------------


def _label(choices: type[Intervention | Outcome | StudyDesign | Direction], code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


@dataclass(frozen=True)
class StudyItem:
    """One coding of one public study, for a cell's list and the API."""

    coding_id: int
    study: int  # the publication's id
    slug: str
    title: str
    year: int | None
    resource_type: str
    language: str
    authors: tuple[str, ...]
    countries: tuple[Geography, ...]
    themes: tuple[str, ...]
    intervention: str
    outcome: str
    design: str
    direction: str
    finding_quote: str
    link: str  # the publisher's page or the DOI resolver ("" when neither is known)
    doi: str

    # Labels in the active language (properties, so that templates read them under it).
    @property
    def intervention_label(self) -> str:
        return _label(Intervention, self.intervention)

    @property
    def outcome_label(self) -> str:
        return _label(Outcome, self.outcome)

    @property
    def design_label(self) -> str:
        return _label(StudyDesign, self.design)

    @property
    def direction_label(self) -> str:
        return _label(Direction, self.direction)

    @property
    def authors_text(self) -> str:
        return "; ".join(self.authors)

    def row(self) -> CodingRow:
        return CodingRow(
            study=self.study,
            intervention=self.intervention,
            outcome=self.outcome,
            design=self.design,
            direction=self.direction,
            year=self.year,
            countries=tuple(g.iso3 or g.code for g in self.countries),
            themes=self.themes,
        )


def _study_items(codings: Iterable[EvidenceCoding]) -> list[StudyItem]:
    out = []
    for c in codings:
        pub = c.publication
        out.append(
            StudyItem(
                coding_id=c.pk,
                study=pub.pk,
                slug=pub.slug,
                title=pub.title,
                year=pub.year,
                resource_type=pub.resource_type,
                language=pub.language,
                authors=tuple(str(a) for a in pub.creators.all()),
                countries=tuple(pub.geographies.all()),
                themes=tuple(t.code for t in pub.themes.all()),
                intervention=c.intervention,
                outcome=c.outcome,
                design=c.design,
                direction=c.direction,
                finding_quote=c.finding_quote,
                link=pub.link,
                doi=pub.doi,
            )
        )
    return out


def _with_publications(qs: QuerySet[EvidenceCoding]) -> QuerySet[EvidenceCoding]:
    countries = Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("name_en")
    return qs.select_related("publication").prefetch_related(
        Prefetch("publication__creators", queryset=Creator.objects.order_by("position", "id")),
        Prefetch("publication__geographies", queryset=countries),
        "publication__themes",
    )


def evidence_cell_studies(
    *,
    intervention: str,
    outcome: str,
    filters: EvidenceFilters = NO_FILTERS,
    now: datetime | None = None,
) -> list[StudyItem]:
    """The studies of one cell, newest first (studies without a year last), then by title."""
    qs = evidence_coding_queryset(filters=filters, now=now).filter(
        intervention=intervention, outcome=outcome
    )
    items = _study_items(_with_publications(qs).order_by("publication__title", "id"))
    return sorted(items, key=lambda s: -(s.year or 0))


def evidence_study_page(
    *,
    filters: EvidenceFilters = NO_FILTERS,
    intervention: Sequence[str] = (),
    outcome: Sequence[str] = (),
    design: Sequence[str] = (),
    direction: Sequence[str] = (),
    after_id: int | None = None,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[StudyItem]:
    """Codings ordered by id (the API's keyset), after `after_id`, at most `limit`."""
    qs = evidence_coding_queryset(filters=filters, now=now)
    for name, values in (
        ("intervention", intervention),
        ("outcome", outcome),
        ("design", design),
        ("direction", direction),
    ):
        if values:
            qs = qs.filter(**{f"{name}__in": list(values)})
    if after_id is not None:
        qs = qs.filter(id__gt=after_id)
    qs = _with_publications(qs).order_by("id")
    return _study_items(qs[:limit] if limit is not None else qs)


# --- options of the filter form --------------------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    countries: list[Geography]  # countries with at least one public study
    regions: list[Geography]  # regions with at least one such country among their members
    forms: list[tuple[str, str]]  # (code, label)
    years: tuple[int, int] | None


def evidence_filter_options(*, now: datetime | None = None) -> FilterOptions:
    public = publication_public_queryset(now=now).filter(evidence__isnull=False)
    country_ids = set(
        Publication.geographies.through.objects.filter(
            publication__in=public, geography__kind=GeographyKind.COUNTRY
        ).values_list("geography_id", flat=True)
    )
    countries = sorted(
        Geography.objects.filter(pk__in=country_ids), key=lambda g: (g.name.casefold(), g.code)
    )
    region_ids = set(
        GeographyMembership.objects.filter(
            member_id__in=country_ids, group__kind__in=REGION_KINDS
        ).values_list("group_id", flat=True)
    )
    regions = sorted(
        Geography.objects.filter(pk__in=region_ids),
        key=lambda g: (REGION_KINDS.index(g.kind), g.name.casefold()),
    )
    years = [y for y in public.values_list("year", flat=True) if y is not None]
    return FilterOptions(
        countries=countries,
        regions=regions,
        forms=[(code, str(ThemeCode(code).label)) for code in EXPLOITATION_FORMS],
        years=(min(years), max(years)) if years else None,
    )


# --- blocks for the country and indicator pages ----------------------------------------------


@dataclass(frozen=True)
class InterventionCount:
    intervention: str
    studies: int
    designs: tuple[tuple[str, int], ...]

    @property
    def label(self) -> str:
        return _label(Intervention, self.intervention)

    @property
    def design_labels(self) -> list[tuple[str, int]]:
        return [(_label(StudyDesign, d), n) for d, n in self.designs]


@dataclass(frozen=True)
class CountryEvidence:
    """The "evidence for this country" block: its studies by intervention, and its own gaps
    (categories studied elsewhere on the map but in no study about this country)."""

    country: Geography
    studies: int
    by_intervention: list[InterventionCount]
    gaps: LocalGaps
    map_total: int
    map_query: list[tuple[str, str]] = field(default_factory=list)

    @property
    def gap_intervention_labels(self) -> list[str]:
        return [_label(Intervention, c) for c in self.gaps.interventions]

    @property
    def gap_outcome_labels(self) -> list[str]:
        return [_label(Outcome, c) for c in self.gaps.outcomes]


def _by_intervention(rows: Sequence[CodingRow], matrix: Matrix) -> list[InterventionCount]:
    designs: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        designs[row.intervention][row.design].add(row.study)
    order = list(StudyDesign.values)
    return [
        InterventionCount(
            intervention=i,
            studies=matrix.row_totals[i],
            designs=tuple(
                (d, len(designs[i][d]))
                for d in order + sorted(set(designs[i]) - set(order))
                if designs[i].get(d)
            ),
        )
        for i in matrix.interventions_with_studies()
    ]


def evidence_for_country(*, iso3: str, now: datetime | None = None) -> CountryEvidence | None:
    """The block of a country page; None when `iso3` is not a country. Three queries."""
    country = Geography.objects.filter(
        kind=GeographyKind.COUNTRY, iso3__iexact=iso3.strip()
    ).first()
    if country is None or not country.iso3:
        return None
    rows = evidence_rows(now=now)
    here_rows = [r for r in rows if country.iso3 in r.countries]
    everywhere, here = matrix_compute(rows), matrix_compute(here_rows)
    return CountryEvidence(
        country=country,
        studies=here.total,
        by_intervention=_by_intervention(here_rows, here),
        gaps=local_gaps(everywhere=everywhere, here=here),
        map_total=everywhere.total,
        map_query=[("country", country.iso3)],
    )


@dataclass(frozen=True)
class OutcomeRow:
    intervention: str
    cells: list[tuple[str, int, bool]]  # (outcome, studies, synthesis gap) per outcome

    @property
    def label(self) -> str:
        return _label(Intervention, self.intervention)


@dataclass(frozen=True)
class SeriesEvidence:
    """ "What works for this outcome" on a statistics page: the outcomes the series measures
    (OUTCOME_SERIES) and, for each intervention studied, the studies of each outcome."""

    series_code: str
    outcomes: tuple[str, ...]
    rows: list[OutcomeRow]
    studies: int
    absent_interventions: tuple[str, ...]  # no study of any of these outcomes

    @property
    def outcome_labels(self) -> list[tuple[str, str]]:
        return [(o, _label(Outcome, o)) for o in self.outcomes]

    @property
    def absent_labels(self) -> list[str]:
        return [_label(Intervention, i) for i in self.absent_interventions]


def evidence_for_series(*, code: str, now: datetime | None = None) -> SeriesEvidence | None:
    """The block of a series' (indicator) page; None when no outcome is measured by the
    series, so that the page shows no empty block. Three queries."""
    outcomes = outcomes_measured_by(code)
    if not outcomes:
        return None
    rows = evidence_rows(outcomes=outcomes, now=now)
    matrix = matrix_compute(rows, outcomes=outcomes)
    return SeriesEvidence(
        series_code=code.strip().upper(),
        outcomes=outcomes,
        rows=[
            OutcomeRow(
                intervention=i,
                cells=[(c.outcome, c.studies, c.synthesis_gap) for c in matrix.row(i)],
            )
            for i in matrix.interventions_with_studies()
        ],
        studies=matrix.total,
        absent_interventions=tuple(i for i in matrix.interventions if not matrix.row_totals[i]),
    )


def series_links(*, outcomes: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """{outcome: [(series code, indicator code), ...]} for the public series that measure each
    outcome (a series not loaded is left out), in one query."""
    wanted = {s for o in outcomes for s in OUTCOME_SERIES.get(o, ())}
    found = {
        s.code: (s.indicator.code if s.indicator else "")
        for s in Series.objects.public().filter(code__in=wanted).select_related("indicator")
    }
    return {o: [(s, found[s]) for s in OUTCOME_SERIES.get(o, ()) if s in found] for o in outcomes}
