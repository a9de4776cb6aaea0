"""config.env: typed readers for the SDG87_* variables."""

from __future__ import annotations

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import BASE_DIR, env_int


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


def test_hsts_preload_is_an_explicit_opt_in(monkeypatch):
    """Production sends HSTS for a year without `preload` unless SDG87_HSTS_PRELOAD is set;
    leaving it off silences Django's security.W021 so `check --deploy` stays clean."""
    monkeypatch.delenv("SDG87_HSTS_PRELOAD", raising=False)
    off = runpy.run_module("config.settings.production")
    assert off["SECURE_HSTS_PRELOAD"] is False
    assert off["SECURE_HSTS_SECONDS"] == 31_536_000
    assert "security.W021" in off["SILENCED_SYSTEM_CHECKS"]
    monkeypatch.setenv("SDG87_HSTS_PRELOAD", "true")
    on = runpy.run_module("config.settings.production")
    assert on["SECURE_HSTS_PRELOAD"] is True
    assert "security.W021" not in on.get("SILENCED_SYSTEM_CHECKS", [])


RATE_DEFAULTS = {
    "TRUSTED_PROXY_COUNT": 0,
    "LOGIN_IP_FAILURE_LIMIT": 50,
    "ACCESS_REQUEST_IP_LIMIT": 5,
    "ACCESS_REQUEST_USER_LIMIT": 20,
    "ACCESS_REQUEST_EMAIL_LIMIT": 3,
    "ACCESS_REQUEST_DATASET_LIMIT": 50,
}


def test_proxy_and_rate_limit_settings_come_from_the_environment(monkeypatch):
    """The proxy count and rate limits have the documented defaults and are read from
    SDG87_<NAME>; axes locks per username and address through sdg87.core.client_ip."""
    for name in RATE_DEFAULTS:
        monkeypatch.delenv(f"SDG87_{name}", raising=False)
    base = runpy.run_path(str(BASE_DIR / "config" / "settings" / "base.py"))
    assert {name: base[f"SDG87_{name}"] for name in RATE_DEFAULTS} == RATE_DEFAULTS
    assert base["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert base["AXES_CLIENT_IP_CALLABLE"] == "sdg87.core.client_ip.client_ip"
    for n, name in enumerate(RATE_DEFAULTS, start=1):
        monkeypatch.setenv(f"SDG87_{name}", str(n))
    base = runpy.run_path(str(BASE_DIR / "config" / "settings" / "base.py"))
    assert [base[f"SDG87_{name}"] for name in RATE_DEFAULTS] == [1, 2, 3, 4, 5, 6]
