import pytest
from django.core.cache import cache


@pytest.fixture
def chart_dir(settings, tmp_path):
    """Charts render into a fresh directory and a clean cache for each test."""
    settings.SDG87_CHART_DIR = str(tmp_path / "charts")
    cache.clear()
    yield tmp_path / "charts"
    cache.clear()
