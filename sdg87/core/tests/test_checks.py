from django.test import override_settings

from sdg87.core.checks import check_secret_key


@override_settings(SECRET_KEY="insecure-dev")
def test_development_secret_key_fails_deploy_check():
    """The insecure development key is reported as sdg87.E001 in deploy checks."""
    assert [m.id for m in check_secret_key(None)] == ["sdg87.E001"]


@override_settings(SECRET_KEY="x" * 60)
def test_real_secret_key_passes():
    """A configured key raises no sdg87.E001."""
    assert check_secret_key(None) == []
