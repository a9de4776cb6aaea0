"""Misconfigured operations settings are system check errors with ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from sdg87.ops.checks import check_ops_settings


def _ids() -> list[str]:
    return [error.id or "" for error in check_ops_settings(None)]


def test_the_defaults_pass() -> None:
    assert _ids() == []


def test_a_bad_network_and_log_format_are_errors() -> None:
    with override_settings(SDG87_METRICS_ALLOW=["10.0.0.0/8", "office"], SDG87_LOG_FORMAT="xml"):
        assert _ids() == ["sdg87.E170", "sdg87.E171"]


def test_a_missing_multiprocess_directory_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "absent"))
    assert _ids() == ["sdg87.E172"]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert _ids() == []
