"""Writes to geographies and their memberships. Population aged 5-17 is a statistic: its
import lives in `sdg87.indicators.population`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from sdg87.core.ingest import ParseError
from sdg87.geo.models import Geography, GeographyAlias, GeographyMembership


@transaction.atomic
def geography_upsert(
    *,
    code: str,
    kind: str,
    name_en: str,
    name_fr: str = "",
    name_es: str = "",
    iso3: str | None = None,
    iso2: str = "",
    m49: str | None = None,
    official_name_en: str = "",
    is_independent: bool = True,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Geography:
    """Create or update the geography with `code`; other rows keep their ids (observations
    point at them)."""
    geography = Geography.objects.filter(code=code).first() or Geography(code=code)
    geography.kind = kind
    geography.name_en = name_en
    geography.name_fr = name_fr
    geography.name_es = name_es
    geography.iso3 = iso3 or None
    geography.iso2 = iso2
    geography.m49 = m49 or None
    geography.official_name_en = official_name_en
    geography.is_independent = is_independent
    geography.latitude = latitude
    geography.longitude = longitude
    geography.full_clean()
    geography.save()
    return geography


@transaction.atomic
def geography_memberships_set(*, group: Geography, member_codes: Iterable[str], source: str) -> int:
    """Make the members of `group` exactly `member_codes` (geography codes), citing `source`.

    Unknown codes raise ParseError. Returns the number of members.
    """
    codes = set(member_codes)
    ids = dict(Geography.objects.filter(code__in=codes).values_list("code", "id"))
    unknown = sorted(codes - ids.keys())
    if unknown:
        raise ParseError(f"unknown member geography code(s) {', '.join(unknown)} of {group.code}")
    wanted = set(ids.values())
    existing = {m.member_id: m for m in GeographyMembership.objects.filter(group=group)}
    GeographyMembership.objects.filter(group=group).exclude(member_id__in=wanted).delete()
    # The group and the members were just read, and a member is in the group once (a set), so
    # full_clean's per-row queries (each foreign key, the unique pair) would find nothing new:
    # the fields' own checks (source length) run without them, then one insert and one update.
    added: list[GeographyMembership] = []
    changed: list[GeographyMembership] = []
    for member_id in wanted:
        membership = existing.get(member_id) or GeographyMembership(
            group=group, member_id=member_id
        )
        if membership.pk and membership.source == source:
            continue
        membership.source = source
        membership.full_clean(exclude=["group", "member"], validate_constraints=False)
        (changed if membership.pk else added).append(membership)
    GeographyMembership.objects.bulk_create(added)
    GeographyMembership.objects.bulk_update(changed, ["source"])
    return len(wanted)


@transaction.atomic
def geography_aliases_replace(*, aliases: Iterable[tuple[str, str, str, str]]) -> int:
    """Make the aliases exactly `aliases`: (geography code, name, language, source) rows.

    Aliases are code-owned reference data with nothing pointing at them, so they are replaced
    whole. Unknown codes raise ParseError. Returns the number of aliases."""
    rows = list(aliases)
    ids = dict(
        Geography.objects.filter(code__in={row[0] for row in rows}).values_list("code", "id")
    )
    unknown = sorted({row[0] for row in rows} - ids.keys())
    if unknown:
        raise ParseError(f"unknown geography code(s) {', '.join(unknown)} in the aliases")
    objects = [
        GeographyAlias(geography_id=ids[code], name=name, language=language, source=source)
        for code, name, language, source in rows
    ]
    for alias in objects:
        alias.full_clean(exclude=["geography"], validate_constraints=False)
    GeographyAlias.objects.all().delete()
    GeographyAlias.objects.bulk_create(objects)
    return len(objects)
