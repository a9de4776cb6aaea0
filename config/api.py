"""The public REST API v1 (django-ninja). Each domain has a Router in sdg87/api/routers/."""

from ninja import NinjaAPI

from sdg87.api.errors import install_error_handlers
from sdg87.api.routers import (
    alliance,
    catalog,
    evidence,
    geo,
    indicators,
    library,
    news,
    packs,
    progress,
    screenings,
    search,
    supplychains,
    vintages,
)

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

# The order fixes the order of paths and schemas in the OpenAPI document.
api.add_router("/", geo.router)
api.add_router("/", indicators.router)
api.add_router("/", progress.router)
api.add_router("/", catalog.router)
api.add_router("/", library.router)
api.add_router("/", evidence.router)
api.add_router("/", news.router)
api.add_router("/", search.router)
api.add_router("/", alliance.router)
api.add_router("/", supplychains.router)
api.add_router("/", packs.router)
api.add_router("/", screenings.router)
api.add_router("/", vintages.router)
