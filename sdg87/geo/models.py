"""Geographies: countries and the aggregates (World, regions, income groups) published with data.

Aggregates are geographies of their own: the custodians' regional figures are stored against
them as published, never recomputed from their members.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class GeographyKind(models.TextChoices):
    COUNTRY = "country", _("Country or area")
    WORLD = "world", _("World")
    SDG_REGION = "sdg_region", _("SDG region")
    UN_REGION = "un_region", _("UN geographic region")
    UN_SUBREGION = "un_subregion", _("UN geographic sub-region")
    UN_INTERMEDIATE = "un_intermediate", _("UN intermediate region")
    ILO_REGION = "ilo_region", _("ILO region")
    INCOME_GROUP = "income_group", _("World Bank income group")
    OTHER = "other", _("Other grouping")


class Geography(models.Model):
    """A country or an aggregate. `code` is ISO3 for countries, M49 (3 digits) or a
    documented code (e.g. `ILO_AFRICA`, `WB_LIC`) for aggregates."""

    code = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=16, choices=GeographyKind.choices, db_index=True)
    iso3 = models.CharField(max_length=3, unique=True, null=True, blank=True)
    iso2 = models.CharField(max_length=2, blank=True)
    m49 = models.CharField(max_length=3, unique=True, null=True, blank=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    name_es = models.CharField(max_length=200, blank=True)
    official_name_en = models.CharField(max_length=300, blank=True)
    is_independent = models.BooleanField(default=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    members = models.ManyToManyField(
        "self",
        through="GeographyMembership",
        through_fields=("group", "member"),
        symmetrical=False,
        related_name="groups",
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "geographies"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Name in the active language, falling back to English."""
        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_en

    @property
    def is_country(self) -> bool:
        return self.kind == GeographyKind.COUNTRY


class GeographyMembership(models.Model):
    group = models.ForeignKey(Geography, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Geography, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=200, blank=True, help_text="Where the grouping is from")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="geo_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member.code} in {self.group.code}"


class AliasSource(models.TextChoices):
    CLDR = "cldr", _("CLDR English display name")
    GAPMINDER = "gapminder", _("Gapminder name")
    CURATED = "curated", _("Common name (curated)")


class GeographyAlias(models.Model):
    """Another name a country is searched by ("Vietnam", "UK", "Costa de Marfil"), loaded
    from data/ with its source (code-owned, like the geographies). Matching: sdg87.geo.names."""

    geography = models.ForeignKey(Geography, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    # "en", "fr" or "es" where the name belongs to one language; "" for a code-like name
    language = models.CharField(max_length=2, blank=True)
    source = models.CharField(max_length=16, choices=AliasSource.choices)

    class Meta:
        ordering = ["geography_id", "name"]
        verbose_name_plural = "geography aliases"
        constraints = [
            models.UniqueConstraint(fields=["geography", "name"], name="geo_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.geography_id})"
