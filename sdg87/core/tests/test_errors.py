import pytest


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404(client):
    """An unknown path under /api/ is a JSON error, not an HTML page or a redirect."""
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_unknown_page_is_html_404(client):
    """People get the HTML 404 page."""
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_favicon_redirects_to_the_static_file(client):
    """/favicon.ico answers (a 404 there is a console error on every first visit)."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")


@pytest.mark.django_db
def test_unknown_sdmx_artefact_is_a_404_not_a_language_redirect(client):
    """SDMX clients read the status: an unknown dataflow is a 404 at its own path, never a
    redirect to /<lang>/sdmx/..."""
    response = client.get("/sdmx/dataflow/SDG87/NOPE")
    assert response.status_code == 404
