"""Reads for the partner directory (/<lang>/partners/, its CSV and map) and the partners of the
REST API (sdg87.alliance.api_selectors.partner_list_public reads `partner_list` below).

A **partner** is an organisation that meets at least one of three criteria, each kept so that
the page can say which one made it a partner:

- `role`: it holds an Alliance 8.7 role (`Organisation.alliance87_role`; the loader stores a
  role only when it is verified in a cited source, and the secretariat's acceptance of an
  application sets "partner" with the decision as its evidence);
- `action_group`: it is a member of a public Action Group (a verified group row);
- `roadmap`: a public roadmap action (sdg87.alliance.visibility) names it as responsible.

Contributions are counted from the public readers of each domain: datasets from
`catalog.selectors.dataset_public_queryset`, publications from
`library.selectors.publication_public_queryset`, actions from `visibility.public_actions`.
Nothing here decides a second time what the public may see.

The role's source: Organisation keeps the role's evidence but not the addresses it was read
from; those are in the bundled data/alliance87/organisations.csv (`role_source_url`, several
separated by ";") and are read from there (`role_sources`), for the rows whose role is
verified, as the loader does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Prefetch, Q

from sdg87.alliance import visibility
from sdg87.alliance.models import SHOWN, ActionGroup
from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.core.ingest import read_rows
from sdg87.geo.models import Geography
from sdg87.library.selectors import publication_public_queryset
from sdg87.orgs.loaders import ORGANISATIONS_CSV, slug_for
from sdg87.orgs.models import Organisation

ROLE, ACTION_GROUP, ROADMAP = "role", "action_group", "roadmap"
CRITERIA = (ROLE, ACTION_GROUP, ROADMAP)


@dataclass
class Partner:
    """One partner organisation and what the directory shows about it."""

    organisation: Organisation
    criteria: list[str] = field(default_factory=list)  # in CRITERIA order
    action_groups: list[ActionGroup] = field(default_factory=list)  # public ones, by name
    pathfinder_countries: list[str] = field(default_factory=list)  # ISO3, sorted
    role_sources: list[str] = field(default_factory=list)
    datasets: int = 0
    publications: int = 0
    actions: int = 0

    @property
    def has_role(self) -> bool:
        return ROLE in self.criteria


@dataclass(frozen=True)
class PartnerFilters:
    """GET filters of the directory; an empty value is no filter."""

    type: str = ""
    country: str = ""  # ISO3
    group: str = ""  # ActionGroup slug
    role: str = ""  # alliance87_role value

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PartnerFilters:
        return cls(
            type=str(query.get("type", "")).strip()[:40],
            country=str(query.get("country", "")).strip().upper()[:3],
            group=str(query.get("group", "")).strip()[:60],
            role=str(query.get("role", "")).strip()[:40],
        )

    @property
    def active(self) -> bool:
        return bool(self.type or self.country or self.group or self.role)


# --- the role's sources (bundled data) ---------------------------------------------------------


def role_sources_parse(lines: Iterable[str]) -> dict[str, list[str]]:
    """Pure: {organisation slug: [source addresses of its verified role]} from the lines of
    organisations.csv. Rows whose details or role are not verified give nothing."""
    out: dict[str, list[str]] = {}
    for _line, row in read_rows(lines, required=("org_id", "verification_status")):
        if row.get("verification_status") != "verified":
            continue
        if row.get("role_verification_status") != "verified":
            continue
        urls = [u.strip() for u in (row.get("role_source_url") or "").split(";") if u.strip()]
        if urls:
            out[slug_for(row["org_id"])] = urls
    return out


@lru_cache(maxsize=4)
def _role_sources_cached(path: str, mtime: float) -> dict[str, list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return role_sources_parse(fh)


def role_sources() -> dict[str, list[str]]:
    """The role sources of the bundled organisations ({} when the file is absent)."""
    path = Path(settings.SDG87_DATA_DIR) / ORGANISATIONS_CSV
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    return _role_sources_cached(str(path), mtime)


# --- partners ----------------------------------------------------------------------------------


def public_action_groups() -> list[ActionGroup]:
    """Action Groups whose row is a fact, by name (the groups a partner can be shown in)."""
    return list(ActionGroup.objects.filter(verification__in=SHOWN).order_by("name"))


def _involvement() -> tuple[dict[int, set[str]], Counter[int]]:
    """{organisation id: ISO3 of the Pathfinder Countries whose public actions name it} and
    {organisation id: number of public actions naming it}."""
    countries: dict[int, set[str]] = {}
    actions: Counter[int] = Counter()
    rows = (
        visibility.public_actions()
        .filter(responsible_organisations__isnull=False)
        .values_list("pk", "responsible_organisations", "plan__country__iso3")
        .distinct()
    )
    for _pk, org_id, iso3 in rows:
        actions[org_id] += 1
        if iso3:
            countries.setdefault(org_id, set()).add(iso3)
    return countries, actions


def _counts(ids: Sequence[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Public datasets and public publications per organisation id (publisher)."""
    datasets = dict(
        dataset_public_queryset()
        .filter(publisher_id__in=ids)
        .values("publisher_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("publisher_id", "n")
    )
    publications = dict(
        publication_public_queryset()
        .filter(publisher_id__in=ids)
        .values("publisher_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("publisher_id", "n")
    )
    return datasets, publications


def partner_list(*, criteria: Iterable[str] = CRITERIA) -> list[Partner]:
    """Every partner organisation by name (see the module docstring), each with the criteria
    that make it one, its public Action Groups, the Pathfinder Countries whose public actions
    name it, its role's sources and its public contributions. `criteria` narrows which
    criteria count (the REST API lists role holders only)."""
    wanted = set(criteria)
    groups = ActionGroup.objects.filter(verification__in=SHOWN).order_by("name")
    involvement, action_counts = _involvement()
    condition = Q(pk__in=[])
    if ROLE in wanted:
        condition |= ~Q(alliance87_role="")
    if ACTION_GROUP in wanted:
        condition |= Q(action_groups__in=groups)
    if ROADMAP in wanted:
        condition |= Q(pk__in=list(action_counts))
    orgs = list(
        Organisation.objects.filter(condition)
        .distinct()
        .select_related("country")
        .prefetch_related(Prefetch("action_groups", queryset=groups, to_attr="groups"))
        .order_by("name", "id")
    )
    datasets, publications = _counts([o.pk for o in orgs])
    sources = role_sources()
    partners = []
    for org in orgs:
        org_groups: list[ActionGroup] = list(getattr(org, "groups", []))
        met = {
            ROLE: bool(org.alliance87_role),
            ACTION_GROUP: bool(org_groups),
            ROADMAP: org.pk in action_counts,
        }
        partners.append(
            Partner(
                organisation=org,
                criteria=[c for c in CRITERIA if met[c] and c in wanted],
                action_groups=org_groups,
                pathfinder_countries=sorted(involvement.get(org.pk, ())),
                role_sources=sources.get(org.slug, []) if org.alliance87_role else [],
                datasets=datasets.get(org.pk, 0),
                publications=publications.get(org.pk, 0),
                actions=action_counts.get(org.pk, 0),
            )
        )
    partners.sort(key=lambda p: (p.organisation.name.casefold(), p.organisation.pk))
    return partners


def partner_filter(partners: Iterable[Partner], *, filters: PartnerFilters) -> list[Partner]:
    """The partners that pass every filter given (type, headquarters country, Action Group,
    Alliance role)."""
    out = []
    for p in partners:
        org = p.organisation
        if filters.type and org.type != filters.type:
            continue
        if filters.country and (org.country is None or org.country.iso3 != filters.country):
            continue
        if filters.group and filters.group not in {g.slug for g in p.action_groups}:
            continue
        if filters.role and org.alliance87_role != filters.role:
            continue
        out.append(p)
    return out


@dataclass(frozen=True)
class CountryCount:
    country: Geography
    partners: int


def partner_count_by_country(partners: Iterable[Partner]) -> tuple[list[CountryCount], int]:
    """(partners per headquarters country, most first then by name; partners without one)."""
    counts: Counter[int] = Counter()
    countries: dict[int, Geography] = {}
    without = 0
    for p in partners:
        country = p.organisation.country
        if country is None:
            without += 1
            continue
        counts[country.pk] += 1
        countries[country.pk] = country
    rows = [CountryCount(countries[pk], n) for pk, n in counts.items()]
    rows.sort(key=lambda r: (-r.partners, r.country.name))
    return rows, without


def partner_countries(partners: Iterable[Partner]) -> list[Geography]:
    """The headquarters countries of these partners, by name (the country filter's options)."""
    found = {
        p.organisation.country.pk: p.organisation.country
        for p in partners
        if p.organisation.country
    }
    return sorted(found.values(), key=lambda g: g.name)
