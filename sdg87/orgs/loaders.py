"""Seed organisations from data/alliance87/organisations.csv and the publishers of the bundled
statistics. Only rows whose name/type details are `verified` are loaded; an Alliance 8.7 role
is stored only when its own `role_verification_status` is `verified` (so the unverified ITUC
and IOE GCG roles are never shown as fact).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, read_rows
from sdg87.core.loading import LoadStep
from sdg87.geo.models import Geography
from sdg87.orgs.models import OrganisationType
from sdg87.orgs.services import organisation_upsert

ORGANISATIONS_CSV = "alliance87/organisations.csv"
VALID_TYPES = set(OrganisationType.values)
COLUMNS = ("org_id", "name", "type", "verification_status")


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    type: str
    acronym: str = ""
    iso3: str = ""
    website: str = ""
    description: str = ""
    alliance87_role: str = ""
    alliance87_role_evidence: str = ""
    source_url: str = ""


# Publishers of the bundled statistics (data/PROVENANCE.md). Names and types are public facts;
# those also in organisations.csv keep the CSV's verified details.
PUBLISHERS: tuple[OrgSpec, ...] = (
    OrgSpec(
        slug="unsd",
        name="United Nations Statistics Division",
        acronym="UNSD",
        type=OrganisationType.UN_AGENCY,
        website="https://unstats.un.org/",
        description="Compiles the UN SDG Global Database of the global SDG indicators.",
    ),
    OrgSpec(
        slug="unicef",
        name="United Nations Children's Fund",
        acronym="UNICEF",
        type=OrganisationType.UN_AGENCY,
        website="https://www.unicef.org/",
        description="Co-custodian of SDG indicator 8.7.1 (child labour) and custodian of 5.3.1.",
    ),
    OrgSpec(
        slug="un-desa-population-division",
        name="United Nations Department of Economic and Social Affairs, Population Division",
        acronym="UN DESA",
        type=OrganisationType.UN_AGENCY,
        website="https://population.un.org/",
        description="Publishes the World Population Prospects.",
    ),
    OrgSpec(
        slug="our-world-in-data",
        name="Our World in Data (Global Change Data Lab)",
        acronym="OWID",
        type=OrganisationType.NGO,
        website="https://ourworldindata.org/",
        description="Non-profit publication of research and data, run by the Global Change Data "
        "Lab charity.",
    ),
    OrgSpec(
        slug="us-department-of-state",
        name="United States Department of State",
        type=OrganisationType.GOVERNMENT,
        iso3="USA",
        website="https://www.state.gov/",
        description="Publishes the annual Trafficking in Persons Report with country tier "
        "placements.",
    ),
    OrgSpec(
        slug="world-bank",
        name="World Bank",
        type=OrganisationType.UN_AGENCY,
        website="https://www.worldbank.org/",
        description="Publishes the World Development Indicators, among them the children in "
        "employment series of the Understanding Children's Work project (ILO, UNICEF, World "
        "Bank).",
    ),
)


def slug_for(org_id: str) -> str:
    return org_id.strip().lower().replace("_", "-")


def parse_organisations(path: Path) -> list[OrgSpec]:
    """Pure parser for organisations.csv: verified rows only, unverified roles dropped."""
    specs: list[OrgSpec] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in read_rows(fh, required=COLUMNS):
            if row.get("verification_status") != "verified":
                continue
            if row["type"] not in VALID_TYPES:
                raise ParseError(
                    _("unknown type '%(type)s'") % {"type": row["type"]}, row=line, column="type"
                )
            role_ok = row.get("role_verification_status") == "verified"
            role = row.get("alliance87_role", "") if role_ok else ""
            domain = row.get("website_domain", "").strip()
            specs.append(
                OrgSpec(
                    slug=slug_for(row["org_id"]),
                    name=row["name"].strip(),
                    acronym=row.get("acronym", "").strip(),
                    type=row["type"],
                    iso3=row.get("hq_country_iso3", "").strip().upper(),
                    website=f"https://{domain}/" if domain else "",
                    description=row.get("notes", "").strip(),
                    alliance87_role="" if role == "unknown" else role,
                    alliance87_role_evidence=row.get("role_evidence", "").strip()
                    if role_ok
                    else "",
                    source_url=row.get("source_url", "").strip(),
                )
            )
    return specs


def load_organisations(data_dir: Path) -> int:
    specs = parse_organisations(data_dir / ORGANISATIONS_CSV)
    seen = {s.slug for s in specs}
    specs += [p for p in PUBLISHERS if p.slug not in seen]
    countries = dict(Geography.objects.exclude(iso3=None).values_list("iso3", "id"))
    for spec in specs:
        country_id = countries.get(spec.iso3) if spec.iso3 else None
        organisation_upsert(
            slug=spec.slug,
            name=spec.name,
            type=spec.type,
            acronym=spec.acronym,
            country=Geography.objects.get(pk=country_id) if country_id else None,
            website=spec.website,
            description=spec.description,
            alliance87_role=spec.alliance87_role,
            alliance87_role_evidence=spec.alliance87_role_evidence,
            source_url=spec.source_url,
        )
    return len(specs)


STEPS = [
    LoadStep(
        key="orgs.organisations",
        label="Organisations (Alliance 8.7 partners and data publishers)",
        files=(ORGANISATIONS_CSV,),
        run=load_organisations,
        depends_on=("geo.countries",),
        version="2",
    ),
]
