from django.test import override_settings

from sdg87.core.checks import (
    check_hsts_preload,
    check_proxy_count,
    check_rate_settings,
    check_secret_key,
)


@override_settings(SECRET_KEY="insecure-dev")
def test_development_secret_key_fails_deploy_check():
    """The insecure development key is reported as sdg87.E001 in deploy checks."""
    assert [m.id for m in check_secret_key(None)] == ["sdg87.E001"]


@override_settings(SECRET_KEY="x" * 60)
def test_real_secret_key_passes():
    """A configured key raises no sdg87.E001."""
    assert check_secret_key(None) == []


@override_settings(SDG87_TRUSTED_PROXY_COUNT=-1, SDG87_ACCESS_REQUEST_IP_LIMIT=-5)
def test_negative_proxy_count_or_limit_is_an_error():
    """A negative proxy count or rate limit is reported as sdg87.E010, naming the setting."""
    messages = check_rate_settings(None)
    assert [m.id for m in messages] == ["sdg87.E010", "sdg87.E010"]
    assert "SDG87_TRUSTED_PROXY_COUNT" in messages[0].msg
    assert "SDG87_ACCESS_REQUEST_IP_LIMIT" in messages[1].msg


@override_settings(SECURE_HSTS_PRELOAD=True, SECURE_HSTS_SECONDS=3600)
def test_preload_without_a_year_of_hsts_warns():
    """Asking for HSTS preload with a max-age under a year is sdg87.W011 (the list refuses it)."""
    assert [m.id for m in check_hsts_preload(None)] == ["sdg87.W011"]


@override_settings(
    SECURE_HSTS_PRELOAD=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)
def test_preload_with_a_year_of_hsts_passes():
    """Preload with one year and includeSubDomains raises no sdg87.W011."""
    assert check_hsts_preload(None) == []


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SDG87_TRUSTED_PROXY_COUNT=0
)
def test_proxy_without_a_proxy_count_is_reported():
    """Behind a TLS proxy with SDG87_TRUSTED_PROXY_COUNT=0, the deploy check says (as info, not
    failing the gate) that every client would share the proxy's address."""
    assert [m.id for m in check_proxy_count(None)] == ["sdg87.I012"]
    with override_settings(SDG87_TRUSTED_PROXY_COUNT=1):
        assert check_proxy_count(None) == []
