"""The public REST API v1 (django-ninja). Each domain contributes a Router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="SDG 8.7 Knowledge Platform API",
    version="1",
    description="Statistics, datasets and publications on SDG Target 8.7.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
