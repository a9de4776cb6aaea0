from __future__ import annotations

from django.db import models


class DataLoad(models.Model):
    """Record of a bundled-data load step, so `load-data` can skip what is already loaded."""

    key = models.CharField(max_length=100, unique=True)
    checksum = models.CharField(max_length=64, help_text="sha256 over the step's input files")
    rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.rows} rows)"
