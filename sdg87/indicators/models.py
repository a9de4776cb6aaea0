"""The statistics spine: indicators, series, sources, releases and observations.

A new release never overwrites an old one: observations are keyed by release, and the default
view is the newest value of each data point (`Observation.is_latest`; ADR 0005), releases
ordered by `release_rank`.

Statistics imported from a dataset of the data directory follow that dataset: its release is
public only while the dataset's data is (published, past its schedule and embargo, public
visibility, file published and not retracted). `Release.is_public` holds that state, kept by
`sdg87.catalog.statistics.dataset_statistics_sync`; `Observation.objects` shows only observations
of public releases, so no read can forget the rule (services use `Observation.all_objects`).
See docs/adr/0006-statistics-follow-their-dataset.md.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, OrderBy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sdg87.core.editor_owned import EditorOwnedMixin


class Nature(models.TextChoices):
    """UNSD 'nature' of an observation."""

    COUNTRY = "C", _("Country data")
    COUNTRY_ADJUSTED = "CA", _("Country adjusted data")
    ESTIMATED = "E", _("Estimated data")
    MODELLED = "M", _("Modelled data")
    NON_RELEVANT = "N", _("Non-relevant / global or regional estimate")
    GLOBAL_MONITORING = "G", _("Global monitoring data")
    NOT_STATED = "", _("Not stated by the source")


class Sex(models.TextChoices):
    TOTAL = "_T", _("Both sexes")
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "_O", _("Other")
    UNKNOWN = "_U", _("Unknown")


class Age(models.TextChoices):
    TOTAL = "_T", _("All ages")
    Y5T17 = "Y5T17", _("5-17 years")
    Y5T14 = "Y5T14", _("5-14 years")
    Y5T11 = "Y5T11", _("5-11 years")
    Y6T17 = "Y6T17", _("6-17 years")
    Y7T14 = "Y7T14", _("7-14 years")
    Y7T17 = "Y7T17", _("7-17 years")
    Y10T13 = "Y10T13", _("10-13 years")
    Y10T14 = "Y10T14", _("10-14 years")
    Y10T17 = "Y10T17", _("10-17 years")
    Y12T14 = "Y12T14", _("12-14 years")
    Y15T17 = "Y15T17", _("15-17 years")
    Y20T24 = "Y20T24", _("20-24 years")
    Y_LT18 = "Y_LT18", _("Under 18 years")
    Y_GE18 = "Y_GE18", _("18 years and over")
    UNKNOWN = "_U", _("Unknown age")


class TranslatedMixin(models.Model):
    """`translations` holds {"fr": {"name": ...}, "es": {...}} for fields shown to visitors."""

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str) -> str:
        lang = (get_language() or "en")[:2]
        value = self.translations.get(lang, {}).get(field) if lang != "en" else None
        return str(value or getattr(self, field))


class Source(EditorOwnedMixin):
    """A publisher's data product, e.g. 'UN SDG Global Database' or 'Global Slavery Index'."""

    EDITOR_FIELDS = ("title", "publisher", "url", "licence", "licence_url", "description")

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200, help_text="SPDX id or the publisher's terms")
    licence_url = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ReleaseQuerySet(models.QuerySet["Release"]):
    def public(self) -> ReleaseQuerySet:
        return self.filter(is_public=True)


class Release(EditorOwnedMixin):
    """One vintage of a source. Observations belong to exactly one release."""

    EDITOR_FIELDS = (
        "title",
        "year",
        "released_on",
        "url",
        "citation",
        "licence_note",
        "is_public",
    )

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="releases")
    code = models.SlugField(max_length=80, unique=True)
    is_public = models.BooleanField(
        default=True,
        db_index=True,
        help_text="Its observations are visible to the public. Releases imported from a "
        "dataset follow the dataset (kept by catalog.statistics.dataset_statistics_sync).",
    )
    retracted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="An editor retracted these statistics: never public until restored",
    )
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField(help_text="Year the release was published")
    released_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    citation = models.TextField()
    provenance = models.TextField(help_text="Where the bundled file came from and how it changed")
    file_sha256 = models.CharField(max_length=64, blank=True)
    licence_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Licence of this release where it differs from the source's",
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["source__code", "-year", "-code"]

    def __str__(self) -> str:
        return self.title

    @property
    def licence(self) -> str:
        return self.licence_note or self.source.licence


class Indicator(TranslatedMixin, EditorOwnedMixin):
    """An SDG indicator (e.g. 8.7.1) or a documented non-SDG measure (code prefixed, e.g. GSI)."""

    EDITOR_FIELDS = (
        "name",
        "definition",
        "unit",
        "custodians",
        "methodology",
        "translations",
        "sort_order",
    )

    code = models.CharField(max_length=32, unique=True)
    goal = models.PositiveSmallIntegerField(null=True, blank=True)
    target = models.CharField(max_length=8, blank=True)
    name = models.CharField(max_length=400)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=100, blank=True)
    custodians = models.CharField(max_length=300, blank=True)
    methodology = models.TextField(blank=True)
    is_sdg = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SeriesQuerySet(models.QuerySet["Series"]):
    def public(self) -> SeriesQuerySet:
        """Platform series, and contributed series with at least one public observation (a
        contributed series whose every release is hidden must not leak its name)."""
        has_public = Observation.objects.filter(series_id=models.OuterRef("pk"))
        return self.filter(models.Q(owner__isnull=True) | models.Exists(has_public))


class Series(TranslatedMixin, EditorOwnedMixin):
    """A statistical series as coded by its publisher, e.g. SL_TLF_CHLDEA."""

    EDITOR_FIELDS = ("name", "description", "unit_label", "translations", "sort_order")

    code = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series",
        help_text="The organisation whose uploads write this series; empty for the platform's "
        "series (bundled sources), which no upload may write",
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="series", null=True, blank=True
    )
    name = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=40, help_text="Unit code, e.g. PERCENT, NUMBER")
    unit_label = models.CharField(max_length=100, blank=True)
    dimensions = models.JSONField(
        default=list, blank=True, help_text="Names of the extra dimensions used by this series"
    )
    target_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year by which the SDG target aims at zero"
    )
    decimals = models.PositiveSmallIntegerField(default=1)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.code


# The largest finite double: a value outside [-MAX, MAX] is infinite, and NaN fails both
# comparisons on PostgreSQL (NaN sorts above every number) and becomes NULL on SQLite.
MAX_FINITE = 1.7976931348623157e308


class PublicObservationManager(models.Manager["Observation"]):
    """Observations of public releases only: the default for every read."""

    def get_queryset(self) -> models.QuerySet[Observation]:
        return super().get_queryset().filter(release__is_public=True)


class Observation(models.Model):
    """One published value. Unique per series, geography, year, sex, age, dimensions, release.

    `objects` shows only observations of public releases; services that write, and staff tools,
    use `all_objects`."""

    # The foreign keys lead composite indexes (Meta.indexes), which serve their lookups: single
    # column indexes of their own would only slow the loads.
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    geography = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    year = models.SmallIntegerField()
    sex = models.CharField(max_length=3, choices=Sex.choices, default=Sex.TOTAL)
    age = models.CharField(max_length=8, choices=Age.choices, default=Age.TOTAL)
    dimensions = models.JSONField(default=dict, blank=True)
    dimensions_key = models.CharField(
        max_length=200, default="", blank=True, help_text="Canonical 'k=v|k=v' of dimensions"
    )
    value = models.FloatField()
    unit = models.CharField(max_length=40)
    nature = models.CharField(max_length=2, choices=Nature.choices, blank=True, default="")
    note = models.CharField(max_length=500, blank=True)
    # No index of its own: true for most rows, it selects almost nothing, and SQLite, choosing
    # it for the id order it gives, walked most of the table (issue 15). It leads nowhere and
    # follows series or geography in the composite indexes below.
    is_latest = models.BooleanField(
        default=True,
        help_text="Its release is public and no newer public release holds a value for the same "
        "series, place, year and breakdown",
    )

    # Observations hold no references worth indexing; without this, Wagtail's reference index
    # runs per-row signal queries on every bulk delete (a reload of 16.2.2 took ~40 s).
    wagtail_reference_index_ignore = True

    objects = PublicObservationManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        ordering = ["id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=-MAX_FINITE) & models.Q(value__lte=MAX_FINITE),
                name="observation_value_finite",
            ),
            models.UniqueConstraint(
                fields=["series", "geography", "release", "year", "sex", "age", "dimensions_key"],
                name="observation_unique_key",
            ),
        ]
        # The access paths (sdg87/indicators/tests/test_query_plans.py checks the plans):
        # a series (or an indicator's series) for some places, newest values, by year (API,
        # timelines, country pages); a series across all places for a year (indicator pages,
        # maps, indicator x year); a place across series over a period (country pages, API
        # country=); a release's values (imports, release pages). Planner statistics are
        # refreshed after each load (sdg87.core.db_stats).
        indexes = [
            models.Index(
                fields=["series", "geography", "is_latest", "year"], name="obs_series_geo_latest"
            ),
            models.Index(fields=["series", "is_latest", "year"], name="obs_series_latest_year"),
            models.Index(fields=["geography", "is_latest", "year"], name="obs_geo_latest_year"),
            models.Index(fields=["release", "series"], name="obs_release_series"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.geography_id} {self.year}={self.value}"


def release_rank(
    year: int, released_on: datetime.date | None, release_id: int
) -> tuple[int, datetime.date, int]:
    """The one order of releases (ADR 0005), as a sort key, newest last: release year, then
    publication date (undated counts as oldest), then id. Every "newest release" in the code
    (`Observation.is_latest`, the progress analysis, release lists) sorts by this key."""
    return (year, released_on or datetime.date.min, release_id)


def release_newest_first(prefix: str = "") -> list[OrderBy]:
    """`release_rank` as a database ordering, newest first; `prefix` reaches the release
    through a relation (e.g. "release__")."""
    return [
        F(f"{prefix}year").desc(),
        F(f"{prefix}released_on").desc(nulls_last=True),
        F(f"{prefix}id").desc(),
    ]


def dimensions_key_for(dimensions: dict[str, str]) -> str:
    """Canonical, order-independent key for a dimensions dict."""
    return "|".join(f"{k}={dimensions[k]}" for k in sorted(dimensions))
