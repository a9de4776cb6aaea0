"""The public REST API v1 (django-ninja). Each domain contributes a Router."""

from ninja import NinjaAPI

from sdg87.api.errors import install_error_handlers
from sdg87.geo.api import router as geo_router
from sdg87.indicators.api import router as indicators_router

api = NinjaAPI(
    title="SDG 8.7 Knowledge Platform API",
    version="1",
    description="Statistics, datasets and publications on SDG Target 8.7. "
    'Errors are JSON: {"error": {"code": "...", "message": "..."}}.',
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/", geo_router)
api.add_router("/", indicators_router)
api.add_router("/", "sdg87.api.progress.router")
api.add_router("/", "sdg87.catalog.api.router")
