"""Reads of the OAI-PMH repository: which records it holds, their datestamps and sets.

The repository is the union of three sources, ordered by (datestamp, kind, id):

- publications (kind "p"): those `publication_public_queryset` shows, and those that were
  public once (first_published_at set) and no longer are: unpublished, withdrawn, made
  organisation-only or marked unverified. These are answered as deleted (status="deleted").
- datasets (kind "d"): the same, through the catalog's `dataset_public_queryset`.
- DeletedRecord rows (kind "x"): records deleted from the database (persistent deletion),
  written by services.deleted_record_write.

A record scheduled for later (publish_at in the future) is not in the repository at all, not
even as deleted, until it is public. A record's datestamp is its last change
(`last_modified`, auto-updated on every save, the unpublication included) or, when a scheduled
publication came later than that, the moment it became public (`publish_at`): a harvester
asking `from` yesterday must see a record that went public yesterday without being saved.
Datestamps are UTC; the protocol shows them to the second.

Each page reads at most page_size + 1 rows per source, with the keyset of the last record
sent, plus one count per source for completeListSize: no query grows with the repository
beyond the counts.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    F,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags

from sdg87.catalog.models import LICENCE_URLS, Dataset, Licence, Theme, Visibility
from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.geo.models import Geography, GeographyKind
from sdg87.library.models import DeletedRecord, Publication
from sdg87.library.oai import config
from sdg87.library.oai.metadata import Description, Person
from sdg87.library.oai.protocol import ListState, Position
from sdg87.library.resource_types import DATASET, ResourceType, type_mapping
from sdg87.library.selectors import publication_public_queryset
from sdg87.orgs.models import Organisation

KIND_DATASET, KIND_DELETED, KIND_PUBLICATION = "d", "x", "p"
PUBLICATION, DATASET_PATH = "publication", "dataset"
SET_TYPE, SET_THEME, SET_ORG, SET_COUNTRY = "type", "theme", "org", "country"
TOP_SETS = (SET_TYPE, SET_THEME, SET_ORG, SET_COUNTRY)


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: datetime
    set_specs: list[str]
    deleted: bool


@dataclass(frozen=True)
class Record:
    header: Header
    position: Position
    item: Publication | Dataset | None  # None for deleted records


@dataclass(frozen=True)
class Page:
    records: list[Record]
    complete_list_size: int
    more: bool


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str


# --- identifiers -------------------------------------------------------------------------------


def identifier_prefix() -> str:
    return f"oai:{config.repository_identifier()}:"


def oai_identifier(path: str, slug: str) -> str:
    return f"{identifier_prefix()}{path}/{slug}"


def identifier_parse(identifier: str) -> tuple[str, str] | None:
    """(path, slug) of one of our identifiers, else None."""
    prefix = identifier_prefix()
    if not identifier.startswith(prefix):
        return None
    path, _, slug = identifier[len(prefix) :].partition("/")
    if path not in (PUBLICATION, DATASET_PATH) or not slug or "/" in slug:
        return None
    return path, slug


# --- the three sources -------------------------------------------------------------------------


def _datestamp(now: datetime) -> Case:
    return Case(
        When(
            publish_at__isnull=False,
            publish_at__lte=now,
            publish_at__gt=F("last_modified"),
            then=F("publish_at"),
        ),
        default=F("last_modified"),
        output_field=DateTimeField(),
    )


def _listed(model: Any, public: QuerySet[Any], now: datetime) -> QuerySet[Any]:
    """Public rows, and rows public once that are not any more (not those waiting for a
    scheduled publication). A row restricted to its publisher's members is never named, not
    even as deleted: nothing records whether it was ever public, and naming it would show its
    slug and sets to anyone."""
    public_ids = public.values("pk")
    was_public = (
        Q(first_published_at__isnull=False, first_published_at__lte=now)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
        & ~Q(visibility=Visibility.ORGANISATION)
    )
    return model.objects.filter(Q(pk__in=public_ids) | was_public).annotate(
        oai_public=Case(
            When(pk__in=public_ids, then=True), default=False, output_field=BooleanField()
        ),
        oai_datestamp=_datestamp(now),
    )


def publications_listed(now: datetime) -> QuerySet[Publication]:
    return _listed(Publication, publication_public_queryset(now=now), now)


def datasets_listed(now: datetime) -> QuerySet[Dataset]:
    return _listed(Dataset, dataset_public_queryset(now=now), now)


def _identifiers_of(qs: QuerySet[Any], path: str) -> QuerySet[Any]:
    return qs.annotate(
        oai_id=Concat(Value(f"{identifier_prefix()}{path}/"), "slug", output_field=CharField())
    ).values("oai_id")


def deleted_listed(now: datetime) -> QuerySet[DeletedRecord]:
    """Hard-deleted records, unless the identifier is in use again by a listed row."""
    return (
        DeletedRecord.objects.filter(datestamp__lte=now)
        .exclude(identifier__in=_identifiers_of(publications_listed(now), PUBLICATION))
        .exclude(identifier__in=_identifiers_of(datasets_listed(now), DATASET_PATH))
        .annotate(oai_datestamp=F("datestamp"))
    )


# --- sets -------------------------------------------------------------------------------------


def _through_ids(through: Any, owner: str, **lookups: Any) -> QuerySet[Any]:
    return through.objects.filter(**lookups).values(owner)


def _filter_set(qs: QuerySet[Any], kind: str, spec: str) -> QuerySet[Any]:
    """The rows of one source inside the set `spec` (a top-level set holds all its subsets)."""
    if not spec:
        return qs
    head, _, tail = spec.partition(":")
    if ":" in tail or head not in TOP_SETS:
        return qs.none()
    if kind == KIND_DELETED:
        needle = f'"{spec}"' if tail else f'"{head}:'
        return qs.filter(sets__icontains=needle)
    is_pub = kind == KIND_PUBLICATION
    model = Publication if is_pub else Dataset
    owner = "publication_id" if is_pub else "dataset_id"
    if head == SET_TYPE:
        if not tail:
            return qs
        if is_pub:
            return qs.filter(resource_type=tail)
        return qs if tail == DATASET else qs.none()
    if head == SET_THEME:
        through: Any = model.themes.through
        lookup = {"theme__code": tail} if tail else {}
        return qs.filter(pk__in=_through_ids(through, owner, **lookup))
    if head == SET_ORG:
        return qs.filter(publisher__slug=tail) if tail else qs.filter(publisher__isnull=False)
    # country
    places: Any = Publication.geographies if is_pub else Dataset.spatial
    through = places.through
    lookup = {"geography__kind": GeographyKind.COUNTRY}
    if tail:
        lookup["geography__iso3"] = tail
    return qs.filter(pk__in=_through_ids(through, owner, **lookup))


def _set_specs(item: Publication | Dataset) -> list[str]:
    if isinstance(item, Publication):
        specs = [f"{SET_TYPE}:{item.resource_type}"]
        places: Iterable[Geography] = item.geographies.all()
    else:
        specs = [f"{SET_TYPE}:{DATASET}"]
        places = item.spatial.all()
    specs += [f"{SET_THEME}:{t.code}" for t in sorted(item.themes.all(), key=lambda t: t.code)]
    if item.publisher_id is not None and item.publisher is not None:
        specs.append(f"{SET_ORG}:{item.publisher.slug}")
    specs += sorted(
        f"{SET_COUNTRY}:{g.iso3}" for g in places if g.kind == GeographyKind.COUNTRY and g.iso3
    )
    return specs


def record_set_specs(item: Publication | Dataset) -> list[str]:
    """The sets a record is in, as stored with a DeletedRecord when it is deleted."""
    return _set_specs(item)


def sets_in_use(now: datetime | None = None) -> list[SetInfo]:
    """The sets that hold at least one public record, with the four top-level sets first.
    Bounded by the vocabularies: types, themes, publishing organisations, countries."""
    now = now or timezone.now()
    pubs = publication_public_queryset(now=now)
    datasets = dataset_public_queryset(now=now)
    has_any = pubs.exists() or datasets.exists()
    if not has_any:
        return []
    found: list[SetInfo] = [
        SetInfo(SET_TYPE, "Resource type"),
        SetInfo(SET_THEME, "Theme"),
        SetInfo(SET_ORG, "Publishing organisation"),
        SetInfo(SET_COUNTRY, "Country"),
    ]
    labels = dict(ResourceType.choices)
    for code in sorted(set(pubs.values_list("resource_type", flat=True))):
        found.append(SetInfo(f"{SET_TYPE}:{code}", str(labels.get(code, code))))
    if datasets.exists():
        found.append(SetInfo(f"{SET_TYPE}:{DATASET}", "Dataset"))
    themes = Theme.objects.filter(
        Q(publications__in=pubs.values("pk")) | Q(datasets__in=datasets.values("pk"))
    ).distinct()
    found += [SetInfo(f"{SET_THEME}:{t.code}", str(t.label)) for t in themes.order_by("code")]
    orgs = Organisation.objects.filter(
        Q(publications__in=pubs.values("pk")) | Q(datasets__in=datasets.values("pk"))
    ).distinct()
    found += [SetInfo(f"{SET_ORG}:{o.slug}", o.name) for o in orgs.order_by("slug")]
    countries = Geography.objects.filter(
        Q(publications__in=pubs.values("pk")) | Q(datasets__in=datasets.values("pk")),
        kind=GeographyKind.COUNTRY,
        iso3__isnull=False,
    ).distinct()
    found += [SetInfo(f"{SET_COUNTRY}:{g.iso3}", g.name_en) for g in countries.order_by("iso3")]
    return found


# --- lists ------------------------------------------------------------------------------------


def _after(qs: QuerySet[Any], kind: str, position: Position | None) -> QuerySet[Any]:
    """Rows after `position` in the order (datestamp, kind, id); `kind` is the source's."""
    if position is None:
        return qs
    if kind > position.kind:
        return qs.filter(oai_datestamp__gte=position.datestamp)
    if kind < position.kind:
        return qs.filter(oai_datestamp__gt=position.datestamp)
    return qs.filter(
        Q(oai_datestamp__gt=position.datestamp)
        | Q(oai_datestamp=position.datestamp, pk__gt=position.pk)
    )


def _sources(state: ListState, now: datetime) -> list[tuple[str, QuerySet[Any]]]:
    sources: list[tuple[str, QuerySet[Any]]] = [
        (
            KIND_DATASET,
            datasets_listed(now).select_related("publisher").prefetch_related("themes", "spatial"),
        ),
        (KIND_DELETED, deleted_listed(now)),
        (
            KIND_PUBLICATION,
            publications_listed(now)
            .select_related("publisher")
            .prefetch_related("themes", "geographies", "creators"),
        ),
    ]
    filtered = []
    for kind, qs in sources:
        if state.lower is not None:
            qs = qs.filter(oai_datestamp__gte=state.lower)
        if state.upper is not None:
            qs = qs.filter(oai_datestamp__lt=state.upper)
        filtered.append((kind, _filter_set(qs, kind, state.set_spec)))
    return filtered


def _record(kind: str, row: Any) -> Record:
    stamp: datetime = row.oai_datestamp
    position = Position(datestamp=stamp, kind=kind, pk=row.pk)
    if kind == KIND_DELETED:
        header = Header(row.identifier, stamp, list(row.sets), deleted=True)
        return Record(header, position, None)
    path = PUBLICATION if kind == KIND_PUBLICATION else DATASET_PATH
    header = Header(
        oai_identifier(path, row.slug), stamp, _set_specs(row), deleted=not row.oai_public
    )
    return Record(header, position, row if row.oai_public else None)


def record_page(*, state: ListState, page_size: int, now: datetime | None = None) -> Page:
    """One page of the list `state` describes, after its position."""
    now = now or timezone.now()
    sources = _sources(state, now)
    total = sum(qs.count() for _kind, qs in sources)
    rows: list[tuple[tuple[datetime, str, int], str, Any]] = []
    for kind, qs in sources:
        for row in _after(qs, kind, state.position).order_by("oai_datestamp", "pk")[
            : page_size + 1
        ]:
            rows.append(((row.oai_datestamp, kind, row.pk), kind, row))
    rows.sort(key=lambda item: item[0])
    records = [_record(kind, row) for _key, kind, row in rows[:page_size]]
    return Page(records=records, complete_list_size=total, more=len(rows) > page_size)


def record_get(*, identifier: str, now: datetime | None = None) -> Record | None:
    """The record with this identifier (public, or deleted), or None."""
    now = now or timezone.now()
    parsed = identifier_parse(identifier)
    if parsed is not None:
        path, slug = parsed
        row: Publication | Dataset | None
        if path == PUBLICATION:
            row = (
                publications_listed(now)
                .select_related("publisher")
                .prefetch_related("themes", "geographies", "creators")
                .filter(slug=slug)
                .first()
            )
            kind = KIND_PUBLICATION
        else:
            row = (
                datasets_listed(now)
                .select_related("publisher")
                .prefetch_related("themes", "spatial")
                .filter(slug=slug)
                .first()
            )
            kind = KIND_DATASET
        if row is not None:
            return _record(kind, row)
    deleted = (
        DeletedRecord.objects.filter(identifier=identifier, datestamp__lte=now)
        .annotate(oai_datestamp=F("datestamp"))
        .first()
    )
    return _record(KIND_DELETED, deleted) if deleted is not None else None


def earliest_datestamp(now: datetime | None = None) -> datetime:
    """The smallest datestamp in the repository (the epoch when it is empty)."""
    now = now or timezone.now()
    stamps = [
        qs.aggregate(first=Min("oai_datestamp"))["first"]
        for qs in (publications_listed(now), datasets_listed(now), deleted_listed(now))
    ]
    present = [s for s in stamps if s is not None]
    return min(present) if present else datetime(1970, 1, 1, tzinfo=UTC)


# --- descriptions -----------------------------------------------------------------------------


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _publication_url(slug: str, base_url: str) -> str:
    try:
        return _absolute(base_url, reverse("library:publication_detail", kwargs={"slug": slug}))
    except NoReverseMatch:  # the library's pages are not wired (yet)
        return ""


def _licence(code: str) -> tuple[str, str]:
    if not code:
        return "", ""
    labels = dict(Licence.choices)
    return str(labels.get(code, code)), LICENCE_URLS.get(code, "")


def _places(geographies: Iterable[Geography]) -> list[str]:
    return sorted(g.name_en for g in geographies)


def description_of(item: Publication | Dataset, *, base_url: str) -> Description:
    """What the metadata formats say about a public record (call inside English)."""
    if isinstance(item, Publication):
        return _publication_description(item, base_url)
    return _dataset_description(item, base_url)


def _publication_description(pub: Publication, base_url: str) -> Description:
    mapping = type_mapping(pub.resource_type, in_journal=bool(pub.container_title))
    labels = dict(ResourceType.choices)
    licence_name, licence_url = _licence(pub.licence)
    publisher = pub.publisher_name or (pub.publisher.name if pub.publisher else "")
    year = pub.year or (pub.issued.year if pub.issued else None)
    if year is None:  # DataCite: else the year it was made available
        year = (pub.first_published_at or pub.created_at).year
    return Description(
        oai_identifier=oai_identifier(PUBLICATION, pub.slug),
        title=pub.title,
        type_label=str(labels.get(pub.resource_type, pub.resource_type)),
        datacite_type=mapping.datacite,
        dcmi_type="Text",
        creators=[
            Person(name=c.name, family=c.family, given=c.given, orcid=c.orcid)
            for c in pub.creators.all()
        ],
        publisher=publisher,
        year=year,
        issued=pub.issued.isoformat() if pub.issued else "",
        language=pub.language,
        abstract=pub.abstract,
        subjects=sorted(str(t.label) for t in pub.themes.all()),
        sdg_targets=[str(t) for t in (pub.sdg_targets or [])],
        places=_places(pub.geographies.all()),
        landing_url=_publication_url(pub.slug, base_url),
        doi=pub.doi,
        isbns=[str(i) for i in (pub.isbns or [])],
        handle=pub.handle,
        publisher_url=pub.url,
        licence_name=licence_name,
        licence_url=licence_url,
    )


def _dataset_description(dataset: Dataset, base_url: str) -> Description:
    licence_name, licence_url = _licence(dataset.licence)
    made_public = dataset.first_published_at or dataset.created_at
    if dataset.publish_at and dataset.publish_at > made_public:
        made_public = dataset.publish_at
    doi = dataset.identifier.removeprefix("https://doi.org/") if dataset.identifier else ""
    is_doi = doi.startswith("10.")
    return Description(
        oai_identifier=oai_identifier(DATASET_PATH, dataset.slug),
        title=dataset.title,
        type_label="Dataset",
        datacite_type=type_mapping(DATASET).datacite,
        dcmi_type="Dataset",
        creators=[Person(name=dataset.publisher.name)],
        publisher=dataset.publisher.name,
        year=made_public.year,
        issued=made_public.astimezone(UTC).date().isoformat(),
        language=dataset.language,
        abstract=html.unescape(strip_tags(dataset.description)),
        subjects=sorted(str(t.label) for t in dataset.themes.all()),
        places=_places(dataset.spatial.all()),
        landing_url=_absolute(base_url, dataset.get_absolute_url()),
        doi=doi if is_doi else "",
        licence_name=licence_name,
        licence_url=licence_url,
    )
