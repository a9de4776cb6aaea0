"""Countries and regions in the index: names in English, French and Spanish and every alias
("Ivory Coast", "Côte d'Ivoire", "Costa de Marfil"); a country links to its profile, a region
to the country list of that region."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sdg87.geo.models import Geography, GeographyAlias, GeographyKind, GeographyMembership
from sdg87.search.registry import DocumentData, Source, Text

# Aggregates worth a document: the regions people name (UN and SDG regions, ILO regions).
REGION_KINDS = ("un_region", "un_subregion", "un_intermediate", "sdg_region", "ilo_region", "world")
# The region level the place facet groups countries under.
FACET_REGION_KIND = "sdg_region"


def _names(geo: Geography) -> list[tuple[str, str]]:
    names = [(geo.name_en, "en"), (geo.name_fr, "fr"), (geo.name_es, "es")]
    if geo.official_name_en:
        names.append((geo.official_name_en, "en"))
    names += [(a.name, a.language or "en") for a in geo.aliases.all()]
    return [(n, lang) for n, lang in names if n]


def _translations(geo: Geography) -> dict[str, dict[str, str]]:
    return {
        lang: {"heading": name}
        for lang, name in (("fr", geo.name_fr), ("es", geo.name_es))
        if name and name != geo.name_en
    }


def build_country(geo: Geography) -> DocumentData:
    with translation.override("en"):
        path = reverse("site:country-detail", kwargs={"iso3": geo.iso3})
    in_regions = getattr(geo, "groups_memberships", [])
    regions = [m.group for m in in_regions if m.group.kind == FACET_REGION_KIND]
    meta = [r.name_en for r in regions]
    names = _names(geo)
    return DocumentData(
        kind="country",
        object_id=geo.iso3 or geo.code,
        heading=geo.name_en,
        path=path,
        summary="",
        translations=_translations(geo),
        meta=meta,
        texts=[Text(n, lang, "title") for n, lang in names]
        + [Text(f"{geo.iso3} {geo.iso2}", "en", "body")]
        + [Text(r.name_en, "en", "body") for r in regions],
        facets={"place": [geo.iso3 or geo.code, *(r.code for r in regions)]},
        keys=[n for n, _lang in names] + [geo.iso3 or "", geo.iso2],
        boost=1.5,
    )


def build_region(geo: Geography) -> DocumentData:
    with translation.override("en"):
        path = reverse("site:country-index") + f"?region={geo.code}"
    names = _names(geo)
    return DocumentData(
        kind="region",
        object_id=geo.code,
        heading=geo.name_en,
        path=path,
        translations=_translations(geo),
        meta=[geo.get_kind_display()],
        texts=[Text(n, lang, "title") for n, lang in names],
        facets={"place": [geo.code]},
        keys=[n for n, _lang in names],
        boost=1.2,
    )


def countries(*, iso3: str | None = None) -> list[Geography]:
    qs = Geography.objects.filter(kind=GeographyKind.COUNTRY).prefetch_related("aliases")
    if iso3 is not None:
        qs = qs.filter(iso3=iso3)
    rows = list(qs)
    memberships: dict[int, list[GeographyMembership]] = {}
    in_regions = GeographyMembership.objects.filter(
        group__kind=FACET_REGION_KIND, member__in=[g.pk for g in rows]
    )
    for m in in_regions.select_related("group"):
        memberships.setdefault(m.member_id, []).append(m)
    for geo in rows:
        geo.groups_memberships = memberships.get(geo.pk, [])  # type: ignore[attr-defined]
    return rows


def country_get(object_id: str) -> Geography | None:
    rows = countries(iso3=object_id)
    return rows[0] if rows else None


def regions() -> list[Geography]:
    return list(Geography.objects.filter(kind__in=REGION_KINDS).prefetch_related("aliases"))


def region_get(object_id: str) -> Geography | None:
    return Geography.objects.filter(kind__in=REGION_KINDS, code=object_id).first()


SOURCES = [
    Source(
        kind="country",
        label=_("Countries"),
        rows=countries,
        build=build_country,
        get=country_get,
        watches=(
            (Geography, lambda g: [g.iso3] if g.kind == GeographyKind.COUNTRY else []),
            (GeographyAlias, lambda a: [a.geography.iso3] if a.geography.iso3 else []),
        ),
    ),
    Source(
        kind="region",
        label=_("Regions"),
        rows=regions,
        build=build_region,
        get=region_get,
        watches=((Geography, lambda g: [g.code] if g.kind in REGION_KINDS else []),),
    ),
]
