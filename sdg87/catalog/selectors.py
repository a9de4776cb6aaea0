"""Reads for the data directory. Pages, the REST API, the CKAN API and DCAT all use these, so a
dataset is visible through every interface under exactly the same rules (see permissions.py).
`user` is `request.user` (sdg87.core.actors.Actor); None is an anonymous caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from sdg87.catalog.freshness import (
    FRESHNESS_LABELS,
    NEEDS_UPDATE,
    NOT_UPDATED,
    PERIOD_DAYS,
    Freshness,
    freshness_of,
    thresholds_for,
)
from sdg87.catalog.models import (
    Dataset,
    DatasetVersion,
    Distribution,
    Licence,
    Status,
    Theme,
    Visibility,
)
from sdg87.catalog.permissions import can_see_unpublished_distributions
from sdg87.catalog.validators import search_words
from sdg87.core.actors import Actor
from sdg87.geo import selectors as geo_selectors
from sdg87.orgs import selectors as org_selectors
from sdg87.orgs.models import Organisation, Role
from sdg87.orgs.roles import (
    EDIT_ROLES,
    REVIEW_ROLES,
    is_superuser,
    organisation_ids_with_role,
    user_roles,
)

if TYPE_CHECKING:
    from sdg87.catalog.diff import VersionDiff

SORTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "modified": ("-last_modified", "-id"),
    "published": ("-first_published_at", "-id"),
    "updated": ("-data_freshness_date", "-id"),
}
DEFAULT_SORT = "title"
# The listing's filters (query parameters, each repeatable), as dataset_search takes them.
FILTER_PARAMS = ("organisation", "theme", "country", "format", "licence", "freshness")
FACET_FIELDS = ("organisation", "theme", "country", "format", "licence", "freshness")


@dataclass(frozen=True)
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class DatasetSearchResult:
    """`datasets` is an ordered queryset (page it yourself); `facets` maps facet -> items."""

    datasets: QuerySet[Dataset]
    count: int
    facets: dict[str, list[FacetItem]] = field(default_factory=dict)


# --- visibility -------------------------------------------------------------------------------


def _public_live_q(now: datetime) -> Q:
    return Q(live=True) & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))


def dataset_visible_queryset(
    *, user: Actor | None, now: datetime | None = None
) -> QuerySet[Dataset]:
    """Every dataset whose metadata the user may see (the rule of permissions.can_view_dataset)."""
    now = now or timezone.now()
    qs = Dataset.objects.all()
    if is_superuser(user):
        return qs
    roles = user_roles(user)
    edit_orgs = [org for org, role in roles.items() if role in EDIT_ROLES]
    member_orgs = [org for org, role in roles.items() if role == Role.MEMBER]
    released = Q(quarantined=False)  # quarantine (ADR 0014): only the publisher's editors
    visible = released & _public_live_q(now) & ~Q(visibility=Visibility.ORGANISATION)
    visible |= Q(publisher_id__in=edit_orgs)
    visible |= released & _public_live_q(now) & Q(publisher_id__in=member_orgs)
    return qs.filter(visible)


def dataset_public_queryset(*, now: datetime | None = None) -> QuerySet[Dataset]:
    """What anonymous visitors (and harvesters) see."""
    return dataset_visible_queryset(user=None, now=now)


def dataset_get(*, user: Actor | None, slug: str, now: datetime | None = None) -> Dataset | None:
    """The dataset if the user may see it, else None (callers answer 404, not 403)."""
    return (
        dataset_visible_queryset(user=user, now=now)
        .select_related("publisher", "publisher__country", "release", "release__source")
        .prefetch_related("themes", "spatial", "related_series")
        .filter(slug=slug)
        .first()
    )


def dataset_get_by_id(*, user: Actor | None, pk: int) -> Dataset | None:
    return dataset_visible_queryset(user=user).filter(pk=pk).first()


def distribution_list(*, user: Actor | None, dataset: Dataset) -> list[Distribution]:
    """Distributions the user may see listed: the published ones, plus the pending ones for
    people who can see the working copy. Retired files (replaced by a publication) are listed
    to nobody: they live on in the versions' summaries.

    Whether the files themselves may be downloaded is permissions.can_view_data.
    """
    qs = dataset.distributions.filter(retired_at__isnull=True).select_related("replaces")
    if not can_see_unpublished_distributions(user, dataset):
        qs = qs.filter(published=True)
    return list(qs)


def dataset_status_for(*, user: Actor | None, dataset: Dataset) -> str:
    """The review status a user is shown. The working copy's status (draft, submitted, ...)
    is for the people who can see the working copy; for everyone else a live dataset is
    published, whatever revision is under way (its published version is what they see)."""
    if dataset.live and not can_see_unpublished_distributions(user, dataset):
        return Status.PUBLISHED
    return dataset.status


def distribution_get(*, user: Actor | None, dataset: Dataset, pk: int) -> Distribution | None:
    return next((d for d in distribution_list(user=user, dataset=dataset) if d.pk == pk), None)


def dataset_formats(*, dataset_ids: Iterable[int]) -> dict[int, list[str]]:
    """{dataset id: sorted formats of its published distributions}. One query."""
    formats: dict[int, set[str]] = {}
    rows = (
        Distribution.objects.filter(dataset_id__in=list(dataset_ids), published=True)
        .exclude(format="")
        .values_list("dataset_id", "format")
    )
    for dataset_id, fmt in rows:
        formats.setdefault(dataset_id, set()).add(fmt)
    return {pk: sorted(values) for pk, values in formats.items()}


def dataset_version_list(*, dataset: Dataset) -> QuerySet[DatasetVersion]:
    return dataset.versions.select_related("author").order_by("-number")


def dataset_version_get(*, dataset: Dataset, number: int) -> DatasetVersion | None:
    return dataset.versions.filter(number=number).first()


# --- freshness --------------------------------------------------------------------------------


def with_freshness(qs: QuerySet[Dataset], *, now: datetime | None = None) -> QuerySet[Dataset]:
    """Annotate `freshness` (a Freshness value) in SQL, consistent with freshness.freshness_of."""
    now = now or timezone.now()
    qs = qs.annotate(
        data_freshness_date=Coalesce("data_updated_at", "last_published_at", "created_at")
    )
    whens: list[When] = [
        When(
            superseded_by__in=dataset_public_queryset(now=now).values("pk"),
            then=Value(Freshness.SUPERSEDED),
        ),
        When(frequency__in=list(NOT_UPDATED), then=Value(Freshness.HISTORICAL)),
    ]
    for frequency in PERIOD_DAYS:
        limits = thresholds_for(frequency)
        assert limits is not None
        whens += [
            When(
                frequency=frequency,
                data_freshness_date__lte=now - limits.delinquent,
                then=Value(Freshness.DELINQUENT),
            ),
            When(
                frequency=frequency,
                data_freshness_date__lte=now - limits.overdue,
                then=Value(Freshness.OVERDUE),
            ),
            When(
                frequency=frequency,
                data_freshness_date__lte=now - limits.due,
                then=Value(Freshness.DUE),
            ),
            When(frequency=frequency, then=Value(Freshness.FRESH)),
        ]
    return qs.annotate(
        freshness=Case(*whens, default=Value(Freshness.UNSCHEDULED), output_field=CharField())
    )


# The columns of a dataset row that its freshness (and whether it supersedes another: its
# public visibility, dataset_public_queryset) depends on: a change to none of them changes
# no dataset's freshness. Keep in step with with_freshness and dataset_visible_queryset.
FRESHNESS_FIELDS = (
    "id",
    "frequency",
    "data_updated_at",
    "last_published_at",
    "created_at",
    "superseded_by",
    "live",
    "publish_at",
    "quarantined",
    "visibility",
)


@dataclass(frozen=True)
class FreshnessSnapshot:
    """Every dataset's freshness at one moment, and the moments around it at which none of
    them changes while the datasets' rows stay the same: [valid_from, valid_until) (None:
    without a bound)."""

    by_dataset: dict[int, Freshness]
    valid_from: datetime | None
    valid_until: datetime | None

    def holds_at(self, now: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )


def freshness_snapshot(*, now: datetime | None = None) -> FreshnessSnapshot:
    """Every dataset's freshness at `now` by freshness.freshness_of (what with_freshness
    computes in SQL), with the interval in which it stays so: a dataset's freshness changes
    only when its age reaches a due, overdue or delinquent threshold (last update plus that
    age) or when a superseding edition's scheduled publication comes (publish_at), so the
    interval runs from the last such moment at or before `now` to the first one after it.
    Three statements, whatever the number of datasets."""
    now = now or timezone.now()
    rows = list(
        Dataset.objects.annotate(
            data_freshness_date=Coalesce("data_updated_at", "last_published_at", "created_at")
        ).values_list("pk", "frequency", "data_freshness_date", "superseded_by_id")
    )
    newer = {pk for *_rest, pk in rows if pk is not None}
    public: set[int] = set()
    moments: list[datetime] = []
    if newer:
        public = set(
            dataset_public_queryset(now=now).filter(pk__in=newer).values_list("pk", flat=True)
        )
        scheduled = Dataset.objects.filter(pk__in=newer, publish_at__isnull=False)
        moments += [m for m in scheduled.values_list("publish_at", flat=True) if m is not None]
    by_dataset: dict[int, Freshness] = {}
    for pk, frequency, last, superseded_by in rows:
        by_dataset[pk] = freshness_of(
            frequency=frequency, last_updated=last, now=now, superseded=superseded_by in public
        )
        limits = thresholds_for(frequency)
        if limits is not None and last is not None:
            moments += (last + limits.due, last + limits.overdue, last + limits.delinquent)
    return FreshnessSnapshot(
        by_dataset=by_dataset,
        valid_from=max((m for m in moments if m <= now), default=None),
        valid_until=min((m for m in moments if m > now), default=None),
    )


def dataset_freshness(*, dataset: Dataset, now: datetime | None = None) -> Freshness:
    last = dataset.data_updated_at or dataset.last_published_at or dataset.created_at
    return freshness_of(
        frequency=dataset.frequency,
        last_updated=last,
        now=now or timezone.now(),
        superseded=newer_edition_public(dataset=dataset, now=now) is not None,
    )


def newer_edition_public(*, dataset: Dataset, now: datetime | None = None) -> Dataset | None:
    """The edition that supersedes `dataset`, when anonymous visitors may see it: a draft,
    scheduled or organisation-only edition neither supersedes nor is named."""
    if dataset.superseded_by_id is None:
        return None
    return dataset_public_queryset(now=now).filter(pk=dataset.superseded_by_id).first()


def earlier_editions(*, user: Actor | None, dataset: Dataset) -> QuerySet[Dataset]:
    """The editions `dataset` supersedes that the user may see, newest first."""
    return dataset_visible_queryset(user=user).filter(superseded_by=dataset).order_by("-pk")


# --- search and facets ------------------------------------------------------------------------


def dataset_search(
    *,
    user: Actor | None,
    q: str = "",
    organisation: Sequence[str] = (),
    theme: Sequence[str] = (),
    country: Sequence[str] = (),
    format: Sequence[str] = (),
    licence: Sequence[str] = (),
    freshness: Sequence[str] = (),
    keyword: Sequence[str] = (),
    sort: str = DEFAULT_SORT,
    facets: bool = True,
    now: datetime | None = None,
) -> DatasetSearchResult:
    """Search the datasets the user may see.

    `q` matches every word (AND) in title, description, keywords, identifier or publisher;
    beyond sdg87.catalog.validators' bounds (characters, words) it is a ValidationError.
    Filters are OR within one facet and AND across facets; organisation by slug, theme by
    code, country by ISO3 or geography code, format like "CSV", licence by SPDX id.
    Sort: title, -title, modified, published, updated (most recently updated data first).
    """
    now = now or timezone.now()
    qs = with_freshness(dataset_visible_queryset(user=user, now=now), now=now)
    words = search_words(q)  # ValidationError beyond the bounds: callers show its message
    if words:
        # words may name a country by another of its names: "Vietnam" finds "Viet Nam"
        terms, synonyms = geo_selectors.country_search_terms(words=words)
        qs = qs.filter(_text_match(terms, synonyms))
    if organisation:
        qs = qs.filter(publisher__slug__in=list(organisation))
    if theme:
        qs = qs.filter(themes__code__in=list(theme))
    if country:
        # codes, or a country's name or alias in any language ("Viet Nam", "Vietnam")
        named = geo_selectors.country_codes_named(names=country)
        codes = sorted({c.upper() for c in country}.union(*named.values()))
        qs = qs.filter(Q(spatial__iso3__in=codes) | Q(spatial__code__in=codes))
    if format:
        qs = qs.filter(
            distributions__format__in=[f.upper() for f in format], distributions__published=True
        )
    if licence:
        qs = qs.filter(licence__in=list(licence))
    if keyword:
        qs = qs.filter(keywords__name__in=list(keyword))
    if freshness:
        qs = qs.filter(**{"freshness__in": list(freshness)})
    ids = qs.values("id").distinct()
    result_qs = (
        with_freshness(Dataset.objects.filter(id__in=ids), now=now)
        .select_related("publisher")
        .prefetch_related("themes")
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )
    result = DatasetSearchResult(datasets=result_qs, count=result_qs.count())
    if facets:
        selected = {
            "organisation": set(organisation),
            "theme": set(theme),
            "country": {c.upper() for c in country},
            "format": {f.upper() for f in format},
            "licence": set(licence),
            "freshness": set(freshness),
        }
        result.facets = _facets(result_qs, selected)
    return result


def _text_match(words: Sequence[str], synonyms: dict[str, list[str]] | None = None) -> Q:
    """Every word (AND) in title, description, identifier, name, publisher, or a keyword.

    One condition for all the words: fields of the dataset and its publisher (one join,
    shared) and a keyword subquery per word. A `.filter()` per word would add a keyword join
    per word, which SQLite refuses beyond 64 tables."""
    condition = Q()
    for word in words:
        tagged = Dataset.objects.filter(keywords__name__iexact=word).values("pk")
        word_match = (
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(pk__in=tagged)
            | Q(identifier__icontains=word)
            | Q(publisher__name__icontains=word)
            | Q(publisher__acronym__iexact=word)
            | Q(slug__icontains=word)
        )
        for name in (synonyms or {}).get(word, ()):  # the country's other names
            word_match |= Q(title__icontains=name) | Q(description__icontains=name)
        condition &= word_match
    return condition


def _facets(qs: QuerySet[Dataset], selected: dict[str, set[str]]) -> dict[str, list[FacetItem]]:
    ids = list(qs.values_list("id", flat=True))
    base = Dataset.objects.filter(id__in=ids)
    out: dict[str, list[FacetItem]] = {}
    org_rows = (
        base.values("publisher__slug", "publisher__name", "publisher__acronym")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "publisher__name")
    )
    out["organisation"] = [
        FacetItem(
            r["publisher__slug"],
            r["publisher__acronym"] or r["publisher__name"],
            r["n"],
            r["publisher__slug"] in selected["organisation"],
        )
        for r in org_rows
    ]
    theme_rows = (
        Theme.objects.filter(datasets__in=ids)
        .annotate(n=Count("datasets", distinct=True))
        .order_by("-n", "code")
    )
    out["theme"] = [
        FacetItem(t.code, t.label, t.n, t.code in selected["theme"]) for t in theme_rows
    ]
    lang = (get_language() or "en")[:2]
    name_field = f"spatial__name_{lang}" if lang in ("fr", "es") else "spatial__name_en"
    geo_rows = (
        base.filter(spatial__isnull=False)
        .values("spatial__code", "spatial__name_en", name_field, "spatial__iso3")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", name_field)  # bounded by the geographies (about 300); none left out
    )
    out["country"] = [
        FacetItem(
            r["spatial__iso3"] or r["spatial__code"],
            r[name_field] or r["spatial__name_en"],
            r["n"],
            (r["spatial__iso3"] or r["spatial__code"]) in selected["country"],
        )
        for r in geo_rows
    ]
    fmt_rows = (
        Distribution.objects.filter(dataset_id__in=ids, published=True)
        .exclude(format="")
        .values("format")
        .annotate(n=Count("dataset", distinct=True))
        .order_by("-n", "format")
    )
    out["format"] = [
        FacetItem(r["format"], r["format"], r["n"], r["format"] in selected["format"])
        for r in fmt_rows
    ]
    licence_labels = dict(Licence.choices)
    lic_rows = base.values("licence").annotate(n=Count("id")).order_by("-n", "licence")
    out["licence"] = [
        FacetItem(
            r["licence"],
            str(licence_labels.get(r["licence"], r["licence"])),
            r["n"],
            r["licence"] in selected["licence"],
        )
        for r in lic_rows
    ]
    annotated = "freshness"  # an annotation from with_freshness, unknown to the type checker
    fresh_counts = dict(
        qs.order_by().values(annotated).annotate(n=Count("id")).values_list(annotated, "n")
    )
    out["freshness"] = [
        FacetItem(str(f), str(FRESHNESS_LABELS[f]), fresh_counts[f], f in selected["freshness"])
        for f in Freshness
        if fresh_counts.get(f)
    ]
    return out


# --- organisations ----------------------------------------------------------------------------


def organisation_list_with_counts(*, user: Actor | None = None) -> QuerySet[Organisation]:
    """All organisations (sdg87.orgs.selectors.organisation_list), each annotated with
    `dataset_count`: the number of its datasets the user may see."""
    visible = dataset_visible_queryset(user=user).values("id")
    return org_selectors.organisation_list().annotate(
        dataset_count=Count("datasets", filter=Q(datasets__id__in=visible), distinct=True)
    )


def organisation_datasets(*, user: Actor | None, organisation: Organisation) -> QuerySet[Dataset]:
    return with_freshness(
        dataset_visible_queryset(user=user).filter(publisher=organisation)
    ).order_by("title")


def organisation_needs_update(
    *, user: Actor | None, organisation: Organisation, now: datetime | None = None
) -> QuerySet[Dataset]:
    """Live datasets of the organisation that are due, overdue or delinquent, stalest first."""
    return (
        with_freshness(
            dataset_visible_queryset(user=user, now=now).filter(publisher=organisation, live=True),
            now=now,
        )
        .filter(**{"freshness__in": [str(f) for f in NEEDS_UPDATE]})
        .order_by(F("data_freshness_date").asc(nulls_first=True), "title")
    )


def datasets_awaiting_review(*, user: Actor | None) -> QuerySet[Dataset]:
    """Submitted datasets the user may approve or send back."""
    from sdg87.catalog.models import Status

    qs = Dataset.objects.filter(status=Status.SUBMITTED).select_related("publisher")
    if is_superuser(user):
        return qs
    return qs.filter(publisher_id__in=organisation_ids_with_role(user, REVIEW_ROLES))


def dataset_version_diff(*, dataset: Dataset, old: int, new: int) -> VersionDiff | None:
    """diff.VersionDiff between two version numbers of the dataset, or None if either is missing."""
    from sdg87.catalog.diff import version_diff

    a = dataset_version_get(dataset=dataset, number=old)
    b = dataset_version_get(dataset=dataset, number=new)
    if a is None or b is None:
        return None
    return version_diff(
        old_number=a.number,
        old_metadata=a.metadata,
        old_files=a.distributions,
        new_number=b.number,
        new_metadata=b.metadata,
        new_files=b.distributions,
    )
