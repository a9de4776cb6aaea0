"""Versions of a due-diligence pack (one good x one country).

A pack's content is assembled from loaded data (sdg87.packs.selectors.pack_content_build) and
stored here as a JSON snapshot with its SHA-256 hash. A new version is written only when the
hash differs from the newest stored one (sdg87.packs.services.pack_version_record), so a
version number and its "as of" date always name the same content: that is what makes the pack
citable. Versions are never edited or deleted by the application.
"""

from __future__ import annotations

from django.db import models


class PackVersion(models.Model):
    good_slug = models.SlugField(max_length=140, help_text="slugify(the good as DOL writes it)")
    good_name = models.CharField(max_length=120, help_text="The good as DOL writes it")
    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="pack_versions"
    )
    number = models.PositiveIntegerField(help_text="1 for the first version of this pack")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON")
    content = models.JSONField(help_text="The pack's content as built at `created_at`")
    created_at = models.DateTimeField(help_text="The version's 'as of' time")

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["good_slug", "country_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["good_slug", "country", "number"], name="packversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.good_name} / {self.country_id} v{self.number}"
