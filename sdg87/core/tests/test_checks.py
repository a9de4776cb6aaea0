from django.core.checks import run_checks
from django.test import override_settings


@override_settings(SECRET_KEY="insecure-dev")
def test_development_secret_key_fails_deploy_check():
    """The insecure development key is reported as sdg87.E001 in deploy checks."""
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "sdg87.E001" in ids


@override_settings(SECRET_KEY="x" * 60)
def test_real_secret_key_passes():
    """A configured key raises no sdg87.E001."""
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "sdg87.E001" not in ids
