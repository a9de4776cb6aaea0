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
