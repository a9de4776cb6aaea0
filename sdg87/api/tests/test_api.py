"""API-wide behaviour: OpenAPI document, local docs, error shape, 404s under the real URLconf."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from jsonschema import Draft202012Validator
from ninja import Schema

from sdg87.api.tests.test_routers_indicators import assert_error

EXPECTED_PATHS = {
    "/api/v1/countries",
    "/api/v1/countries/{iso3}",
    "/api/v1/geographies",
    "/api/v1/indicators",
    "/api/v1/indicators/{code}",
    "/api/v1/series",
    "/api/v1/series/{code}",
    "/api/v1/observations",
}


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _refs(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


@pytest.mark.django_db
def test_openapi_is_3_1_and_lists_every_path(openapi):
    """The document is OpenAPI 3.1 and lists every endpoint."""
    assert openapi["openapi"].startswith("3.1")
    assert openapi["info"]["title"] and openapi["info"]["version"] == "1"
    assert set(openapi["paths"]) >= EXPECTED_PATHS


# Published operation ids (client generators name their methods after them): they keep the
# names they had when the routers lived in the domain apps.
OPERATION_IDS = {
    ("/api/v1/countries", "get"): "sdg87_geo_api_countries",
    ("/api/v1/countries/{iso3}", "get"): "sdg87_geo_api_country_detail",
    ("/api/v1/geographies", "get"): "sdg87_geo_api_geographies",
    ("/api/v1/indicators", "get"): "sdg87_indicators_api_indicators",
    ("/api/v1/indicators/{code}", "get"): "sdg87_indicators_api_indicator_detail",
    ("/api/v1/series", "get"): "sdg87_indicators_api_series",
    ("/api/v1/series/{code}", "get"): "sdg87_indicators_api_series_detail",
    ("/api/v1/observations", "get"): "sdg87_indicators_api_observations",
    ("/api/v1/progress", "get"): "sdg87_api_progress_progress",
    ("/api/v1/datasets", "get"): "sdg87_catalog_api_dataset_list",
    ("/api/v1/datasets/{slug}", "get"): "sdg87_catalog_api_dataset_detail",
    ("/api/v1/publications", "get"): "sdg87_library_api_publication_list",
    ("/api/v1/publications/{slug}", "get"): "sdg87_library_api_publication_detail",
    ("/api/v1/evidence/studies", "get"): "sdg87_library_api_evidence_studies",
    ("/api/v1/evidence/matrix", "get"): "sdg87_library_api_evidence_matrix",
    ("/api/v1/news", "get"): "sdg87_library_api_news_list",
    ("/api/v1/events", "get"): "sdg87_library_api_event_list",
    ("/api/v1/search", "get"): "sdg87_search_api_search",
    ("/api/v1/pathfinders", "get"): "sdg87_alliance_api_pathfinders",
    ("/api/v1/pathfinders/{iso3}", "get"): "sdg87_alliance_api_pathfinder_detail",
    ("/api/v1/roadmap-actions", "get"): "sdg87_alliance_api_roadmap_actions",
    ("/api/v1/gcg-goals", "get"): "sdg87_alliance_api_gcg_goals",
    ("/api/v1/gcg-meetings", "get"): "sdg87_alliance_api_gcg_meetings",
    ("/api/v1/partners", "get"): "sdg87_alliance_api_partners",
    ("/api/v1/funding", "get"): "sdg87_alliance_api_funding",
    ("/api/v1/goods", "get"): "sdg87_supplychains_api_goods",
    ("/api/v1/goods/{good}/countries", "get"): "sdg87_supplychains_api_good_countries",
    ("/api/v1/assessments", "get"): "sdg87_supplychains_api_assessments",
    ("/api/v1/packs/{good}/{iso3}", "get"): "sdg87_packs_api_pack_detail",
    ("/api/v1/screenings", "post"): "sdg87_supplychains_api_screening_create",
    ("/api/v1/screenings/{id}", "get"): "sdg87_supplychains_api_screening_detail",
    ("/api/v1/series/{code}/compare", "get"): "sdg87_vintages_api_series_compare",
}


@pytest.mark.django_db
def test_operation_ids_and_order_are_stable(openapi):
    """Every operation keeps its published operationId, and the paths keep their order."""
    found = {
        (path, method): operation["operationId"]
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    }
    assert found == OPERATION_IDS
    assert list(openapi["paths"]) == list(dict.fromkeys(path for path, _ in OPERATION_IDS))


@pytest.mark.django_db
def test_openapi_schemas_are_valid_json_schema(openapi):
    """Component schemas are valid JSON Schema 2020-12 (the 3.1 dialect); every $ref resolves."""
    schemas = openapi["components"]["schemas"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    for ref in _refs(openapi):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_api_schema_classes_have_distinct_names():
    """A schema's class name is its OpenAPI component name: two classes with one name share
    one component and the last one generated silently replaces the other (the progress
    endpoint's geography once hid the names and members of /geographies)."""
    import config.api  # noqa: F401  (imports every router and its schemas)

    classes = [
        cls
        for cls in _subclasses(Schema)
        if cls.__module__.startswith(("sdg87.", "config.")) and ".tests" not in cls.__module__
    ]
    names = Counter(cls.__name__ for cls in classes)
    assert len(classes) > 10
    assert sorted(name for name, count in names.items() if count > 1) == []


@pytest.mark.django_db
def test_openapi_documents_each_geography_shape(openapi):
    """/geographies documents its items with names and members; /progress its own geography."""
    schemas = openapi["components"]["schemas"]

    def target(schema: dict, field: str) -> str:
        node = schema["properties"][field]
        node = node.get("items", node)
        return str(node["$ref"]).rsplit("/", 1)[1]

    listed = target(schemas["GeographyList"], "results")
    assert {"names", "members"} <= set(schemas[listed]["properties"])
    assert target(schemas["ProgressOut"], "geography") != listed


@pytest.mark.django_db
def test_openapi_declares_error_responses(openapi):
    """Every operation declares 200, 400, 404 and 422, errors with the Error schema."""
    for path in EXPECTED_PATHS:
        operation = openapi["paths"][path]["get"]
        assert {"200", "400", "404", "422"} <= set(operation["responses"]), path
        for status in ("400", "404", "422"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]


@pytest.mark.django_db
def test_openapi_documents_enums_and_csv(openapi):
    """sex and age are documented as enums; observations also declare text/csv."""
    operation = openapi["paths"]["/api/v1/observations"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert {"series", "geo", "country", "release", "cursor", "limit", "format"} <= set(params)
    assert "text/csv" in operation["responses"]["200"]["content"]
    text = str(params["sex"]["schema"]) + str(openapi["components"]["schemas"])
    assert "Y5T17" in text and "_T" in text


@pytest.mark.django_db
def test_docs_page_uses_local_assets_only(client):
    """The Swagger UI page loads its script and styles from /static/, never from a CDN."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # Scripts, styles and icons; the page's one <a> is the link back to the site.
    assets = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert "cdn" not in html.lower()
    assert "/api/v1/openapi.json" in html
    assert re.search(r'<a href="/en/">', html)


def test_docs_assets_exist(client):
    """The static files the docs page references are shipped by the `ninja` app."""
    from django.contrib.staticfiles import finders

    for name in ("ninja/swagger-ui.css", "ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js"):
        assert finders.find(name), name


@pytest.mark.django_db
def test_api_404_stays_json_under_the_site_urlconf(client):
    """A 404 from the API is JSON, not redirected to a language-prefixed HTML page."""
    response = client.get("/api/v1/countries/QQQ")
    assert_error(response, 404, "unknown_country")
    assert_error(client.get("/api/v1/series/NOPE_SERIES"), 404, "unknown_series")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/countries?q=%00", "q"),
        ("/api/v1/observations?geo=BGD%00", "geo"),
        ("/api/v1/observations?dimension=k=%00", "dimension"),
        ("/api/v1/countries/%00", None),
        ("/api/v1/series/A%00B", None),
    ],
)
def test_nul_characters_are_rejected(client, url, parameter):
    """NUL characters (which PostgreSQL refuses in text) are a 400, not a database error."""
    error = assert_error(client.get(url), 400, "invalid_parameter")
    assert error.get("parameter") == parameter


@pytest.mark.django_db
def test_undeclared_method_is_not_a_500(client):
    """Writing to a read-only endpoint is refused with 405."""
    assert client.post("/api/v1/countries").status_code == 405
