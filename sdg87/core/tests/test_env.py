"""config.env: typed readers for the SDG87_* variables."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_int


def test_env_int_reads_whole_numbers_and_defaults(monkeypatch):
    """A set variable is read as an int; unset or blank gives the default."""
    monkeypatch.setenv("SDG87_ZZ_NUMBER", " 42 ")
    assert env_int("ZZ_NUMBER", 7) == 42
    monkeypatch.setenv("SDG87_ZZ_NUMBER", "")
    assert env_int("ZZ_NUMBER", 7) == 7


def test_env_int_names_the_variable_when_it_is_not_a_number(monkeypatch):
    """'25MB' is a configuration error that names SDG87_<NAME>, not a bare ValueError."""
    monkeypatch.setenv("SDG87_ZZ_NUMBER", "25MB")
    with pytest.raises(ImproperlyConfigured, match="SDG87_ZZ_NUMBER"):
        env_int("ZZ_NUMBER", 7)
