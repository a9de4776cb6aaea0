"""Country assessments published by governments: US DOL ILAB Findings on the Worst Forms of
Child Labor, the DOL List of Goods Produced by Child Labor or Forced Labor, and US TIP report
tier placements.

Every record belongs to one `indicators.Release` (source, vintage, licence, citation), so a page
can cite what it shows. These are the publishing government's assessments, shown as such.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class _LoadedRecord(models.Model):
    """Rows written only by the bulk loaders.

    Kept out of Wagtail's reference index: registering them as snippets would otherwise hook
    per-row signals into every save and delete, turning an 80,000-row reload into minutes.
    """

    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True


class AdvancementLevel(models.TextChoices):
    SIGNIFICANT = "significant", _("Significant Advancement")
    MODERATE = "moderate", _("Moderate Advancement")
    MINIMAL = "minimal", _("Minimal Advancement")
    NO_ADVANCEMENT = "no_advancement", _("No Advancement")
    NO_ASSESSMENT = "no_assessment", _("No Assessment")
    NOT_COVERED = "not_covered", _("Not covered by the Findings")


class FindingSection(models.TextChoices):
    COUNTRY_STATISTICS = "Country_Statistics", _("Country statistics")
    CONVENTIONS = "Conventions", _("International conventions")
    LEGAL_STANDARDS = "Legal_Standards", _("Legal standards")
    ENFORCEMENTS = "Enforcements", _("Enforcement")
    MECHANISMS = "Mechanisms", _("Coordination, policies and programmes")


class ActionArea(models.TextChoices):
    LEGAL_FRAMEWORK = "Legal_Framework", _("Legal framework")
    ENFORCEMENT = "Enforcement", _("Enforcement")
    COORDINATION = "Coordination", _("Coordination")
    GOVERNMENT_POLICIES = "Government_Policies", _("Government policies")
    SOCIAL_PROGRAMS = "Social_Programs", _("Social programmes")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    MINING = "mining", _("Mining")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    TIER_1 = "1", _("Tier 1")
    TIER_2 = "2", _("Tier 2")
    TIER_2_WATCH_LIST = "2WL", _("Tier 2 Watch List")
    TIER_3 = "3", _("Tier 3")


class CountryAssessment(_LoadedRecord):
    """One country's entry in one edition of ILAB's Findings on the Worst Forms of Child Labor."""

    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="dol_assessments"
    )
    release = models.ForeignKey(
        "indicators.Release", on_delete=models.PROTECT, related_name="dol_assessments"
    )
    report_year = models.PositiveSmallIntegerField(help_text="Reporting year the Findings cover")
    source_file = models.CharField(max_length=40, help_text="App file, e.g. countries_2021.xml")
    source_name = models.CharField(max_length=120, help_text="Country name as DOL prints it")
    region = models.CharField(max_length=80, blank=True, help_text="ILAB region")
    advancement_level = models.CharField(max_length=16, choices=AdvancementLevel.choices)
    advancement_text = models.CharField(
        max_length=200, blank=True, help_text="The level exactly as published"
    )
    automatic_downgrade = models.BooleanField(default=False)
    downgrade_reason = models.CharField(max_length=200, blank=True)
    multiple_territories = models.BooleanField(null=True, blank=True)
    webpage = models.URLField(max_length=300, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["country__name_en", "-report_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "country"], name="assessment_release_country"
            )
        ]
        indexes = [models.Index(fields=["report_year", "advancement_level"])]

    def __str__(self) -> str:
        return f"{self.source_name} {self.report_year}: {self.get_advancement_level_display()}"


class FindingValue(_LoadedRecord):
    """One leaf value of a Findings country profile (statistics, conventions, legal standards,
    enforcement, mechanisms), as printed. `value_number` is set only where the cell is a number;
    'Unavailable', 'Unknown', 'N/A' stay text with no number."""

    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="dol_finding_values"
    )
    release = models.ForeignKey(
        "indicators.Release", on_delete=models.PROTECT, related_name="dol_finding_values"
    )
    report_year = models.PositiveSmallIntegerField()
    source_file = models.CharField(max_length=40)
    section = models.CharField(max_length=20, choices=FindingSection.choices)
    field_path = models.CharField(max_length=120, help_text="Slash-joined XML tag path")
    territory = models.CharField(
        max_length=120, blank=True, help_text="Sub-national territory; empty for national values"
    )
    value_text = models.CharField(max_length=200, blank=True)
    value_number = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["country", "section", "report_year"], name="finding_country_sec"),
            models.Index(fields=["section", "field_path"], name="finding_sec_path"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.report_year} {self.field_path}={self.value_text}"


class SuggestedAction(_LoadedRecord):
    """An action ILAB suggests the government take, in the order published."""

    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="dol_suggested_actions"
    )
    release = models.ForeignKey(
        "indicators.Release", on_delete=models.PROTECT, related_name="dol_suggested_actions"
    )
    report_year = models.PositiveSmallIntegerField()
    source_file = models.CharField(max_length=40)
    area = models.CharField(max_length=24, choices=ActionArea.choices)
    action = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["country__name_en", "-report_year", "order"]
        indexes = [models.Index(fields=["country", "report_year"], name="action_country_year")]

    def __str__(self) -> str:
        return f"{self.country_id} {self.report_year} #{self.order}"


class GoodListing(_LoadedRecord):
    """A good-country pair on one edition of the List of Goods Produced by Child Labor or Forced
    Labor. One Release per edition (app file)."""

    release = models.ForeignKey(
        "indicators.Release", on_delete=models.PROTECT, related_name="dol_goods"
    )
    source_file = models.CharField(max_length=40, help_text="App file, e.g. goods_2021.xml")
    good = models.CharField(max_length=120)
    sector = models.CharField(max_length=16, choices=Sector.choices)
    country = models.ForeignKey("geo.Geography", on_delete=models.PROTECT, related_name="dol_goods")
    source_name = models.CharField(max_length=120, help_text="Country name as DOL prints it")
    country_region = models.CharField(max_length=80, blank=True)
    child_labor = models.BooleanField()
    forced_labor = models.BooleanField()
    forced_child_labor = models.BooleanField()
    derived_labor_exploitation = models.BooleanField(
        null=True, blank=True, help_text="Empty in editions before derived goods were listed"
    )
    derived_country = models.ForeignKey(
        "geo.Geography",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Country of the input made with child or forced labour",
    )

    class Meta:
        ordering = ["good", "country__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "good", "country"], name="goodlisting_unique"
            )
        ]
        indexes = [
            models.Index(fields=["country", "release"], name="good_country_release"),
            models.Index(fields=["release", "good"], name="good_release_good"),
        ]

    def __str__(self) -> str:
        return f"{self.good} ({self.source_name}, {self.source_file})"


class TierPlacement(_LoadedRecord):
    """A country's tier in one US Trafficking in Persons report. Years without a rating are
    not stored."""

    country = models.ForeignKey("geo.Geography", on_delete=models.PROTECT, related_name="tip_tiers")
    release = models.ForeignKey(
        "indicators.Release", on_delete=models.PROTECT, related_name="tip_tiers"
    )
    year = models.PositiveSmallIntegerField(help_text="Year of the TIP report")
    tier = models.CharField(max_length=3, choices=Tier.choices)
    source_name = models.CharField(max_length=120)

    class Meta:
        ordering = ["country__name_en", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "country", "year"], name="tier_release_country_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} {self.year}: {self.get_tier_display()}"
