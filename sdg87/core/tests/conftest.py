import pytest
from django.core.cache import cache

from sdg87.core.charts.render import memory_clear


@pytest.fixture
def chart_dir(settings, tmp_path):
    """Charts render into a fresh directory and a clean cache for each test."""
    settings.SDG87_CHART_DIR = str(tmp_path / "charts")
    cache.clear()
    memory_clear()
    yield tmp_path / "charts"
    cache.clear()
    memory_clear()
