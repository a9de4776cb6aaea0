"""SDMX REST under /sdmx/ (no language prefix): the 2.x URL space (/structure/..., /data/
{context}/...) and the 1.x one existing clients use (/dataflow/..., /data/{flowRef}/...)."""

from django.urls import URLPattern, URLResolver, re_path

from sdg87.sdmx import views

app_name = "sdmx"

_SEG = r"[^/]+"
_V1_TYPES = (
    r"dataflow|datastructure|codelist|conceptscheme|categoryscheme|categorisation|"
    r"contentconstraint|agencyscheme|dataproviderscheme|hierarchicalcodelist|metadataflow|"
    r"metadatastructure|provisionagreement|structureset|organisationscheme"
)

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        rf"^structure/(?P<artefact_type>{_SEG})(?:/(?P<agency>{_SEG}))?"
        rf"(?:/(?P<resource_id>{_SEG}))?(?:/(?P<version>{_SEG}))?/?$",
        views.structure_v2,
        name="structure-v2",
    ),
    re_path(
        rf"^data/(?P<context>dataflow|datastructure|provisionagreement|\*)/(?P<agency>{_SEG})"
        rf"/(?P<resource_id>{_SEG})(?:/(?P<version>{_SEG}))?(?:/(?P<key>{_SEG}))?/?$",
        views.data_v2,
        name="data-v2",
    ),
    re_path(
        rf"^data/(?P<flow_ref>{_SEG})(?:/(?P<key>{_SEG}))?(?:/(?P<provider>{_SEG}))?/?$",
        views.data_v1,
        name="data-v1",
    ),
    re_path(
        rf"^(?P<artefact_type>{_V1_TYPES})(?:/(?P<agency>{_SEG}))?"
        rf"(?:/(?P<resource_id>{_SEG}))?(?:/(?P<version>{_SEG}))?/?$",
        views.structure_v1,
        name="structure-v1",
    ),
]
