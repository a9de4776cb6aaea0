"""A pack version as a Frictionless data package (zip: datapackage.json + one CSV per table)
and as JSON-LD (schema.org Dataset).

The CSVs hold the stored content with stable English column names and codes (not the page's
labels), each figure with the code and URL of its source; `sources.csv` describes every source
once. The package passes `frictionless validate` (tested).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from sdg87.core.csvsafe import csv_cell
from sdg87.packs.diff import content_diff
from sdg87.packs.models import PackVersion

# (name, type) per field; types are Table Schema types.
Field = tuple[str, str]
OBSERVATION_FIELDS: list[Field] = [
    ("series", "string"),
    ("year", "integer"),
    ("sex", "string"),
    ("age", "string"),
    ("dimensions", "string"),
    ("value", "number"),
    ("unit", "string"),
    ("nature", "string"),
    ("release", "string"),
    ("source_url", "string"),
]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def _resources(
    version: PackVersion, previous: PackVersion | None
) -> list[tuple[str, str, list[Field], list[dict[str, Any]]]]:
    c = version.content
    url_of: Callable[[str], str] = lambda code: c["sources"].get(code, {}).get("url", "")  # noqa: E731

    def with_url(rows: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
        return [
            {**extra, **r, "source_url": url_of(str(r.get("release", extra.get("release", ""))))}
            for r in rows
        ]

    rat, legal, actions = c["ratifications"], c["legal_standards"], c["suggested_actions"]
    rat_rows = (
        with_url(rat["items"], report_year=rat["report_year"], release=rat["release"])
        if rat
        else []
    )
    legal_rows = (
        with_url(legal["items"], report_year=legal["report_year"], release=legal["release"])
        if legal
        else []
    )
    action_rows = with_url(actions["items"], release=actions["release"]) if actions else []
    changes = content_diff(before=previous.content if previous else None, after=c)
    return [
        (
            "listings",
            "Listings of the good for the country on the DOL List of Goods, by edition",
            [
                ("edition", "integer"),
                ("source_file", "string"),
                ("sector", "string"),
                ("child_labour", "boolean"),
                ("forced_labour", "boolean"),
                ("forced_child_labour", "boolean"),
                ("derived_labour_exploitation", "boolean"),
                ("derived_country", "string"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            with_url(c["listings"]),
        ),
        (
            "history",
            "Listing history: first listed, no longer listed, listed again",
            [("edition", "integer"), ("event", "string")],
            c["history"],
        ),
        (
            "child_labour",
            "SDG 8.7.1 child labour by sex and age",
            OBSERVATION_FIELDS,
            with_url(c["child_labour"]),
        ),
        ("gsi", "Global Slavery Index estimates", OBSERVATION_FIELDS, with_url(c["gsi"])),
        (
            "tiers",
            "US TIP report tiers",
            [
                ("year", "integer"),
                ("tier", "string"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            with_url(c["tiers"]),
        ),
        (
            "advancement",
            "DOL advancement level by report year",
            [
                ("report_year", "integer"),
                ("level", "string"),
                ("level_text", "string"),
                ("webpage", "string"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            with_url(c["advancement"]),
        ),
        (
            "ratifications",
            "Ratifications as stated in the DOL Findings",
            [
                ("report_year", "integer"),
                ("code", "string"),
                ("ratified", "boolean"),
                ("value_text", "string"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            rat_rows,
        ),
        (
            "legal_standards",
            "Legal standards as assessed in the DOL Findings",
            [
                ("report_year", "integer"),
                ("code", "string"),
                ("territory", "string"),
                ("standard", "string"),
                ("age", "string"),
                ("conforms_to_intl_standard", "string"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            legal_rows,
        ),
        (
            "enforcement",
            "Enforcement figures of the latest DOL Findings that report them",
            [
                ("code", "string"),
                ("kind", "string"),
                ("report_year", "integer"),
                ("territory", "string"),
                ("value_text", "string"),
                ("value_number", "number"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            with_url(c["enforcement"]),
        ),
        (
            "suggested_actions",
            "Actions DOL suggests to the government",
            [
                ("report_year", "integer"),
                ("order", "integer"),
                ("area", "string"),
                ("action", "string"),
                ("release", "string"),
                ("source_url", "string"),
            ],
            action_rows,
        ),
        (
            "evidence",
            "Evidence-map cells (intervention x outcome) with studies about the country",
            [("intervention", "string"), ("outcome", "string"), ("studies", "integer")],
            c["evidence"]["cells"],
        ),
        (
            "sources",
            "The sources and releases the figures come from",
            [
                ("code", "string"),
                ("title", "string"),
                ("publisher", "string"),
                ("url", "string"),
                ("year", "integer"),
                ("citation", "string"),
                ("licence", "string"),
            ],
            list(c["sources"].values()),
        ),
        (
            "changes",
            "What changed since the previous version of the pack",
            [
                ("section", "string"),
                ("key", "string"),
                ("change", "string"),
                ("before", "string"),
                ("after", "string"),
            ],
            [vars(ch) for ch in changes],
        ),
    ]


def _csv(fields: list[Field], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _type in fields])
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name, _type in fields])
    return out.getvalue().encode("utf-8")


def pack_datapackage(
    *, version: PackVersion, previous: PackVersion | None, citation: str, page_url: str
) -> dict[str, Any]:
    """The datapackage.json descriptor (without the data)."""
    c = version.content
    return {
        "profile": "tabular-data-package",
        "name": f"sdg87-pack-{version.good_slug}-{c['country']['iso3'].lower()}-v{version.number}",
        "title": f"Due-diligence pack: {c['good']['name']} from {c['country']['name']}",
        "version": str(version.number),
        "created": version.created_at.isoformat(),
        "homepage": page_url,
        "description": citation,
        "licenses": [{"name": "other-at", "title": "Each source's own terms (see sources.csv)"}],
        "sources": [
            {"title": s["title"], "path": s["url"]} for s in c["sources"].values() if s["url"]
        ],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": description,
                "schema": {"fields": [{"name": n, "type": t} for n, t in fields]},
            }
            for name, description, fields, _rows in _resources(version, previous)
        ],
    }


def pack_datapackage_zip(
    *, version: PackVersion, previous: PackVersion | None, citation: str, page_url: str
) -> bytes:
    """The zip: datapackage.json and the CSVs it names."""
    descriptor = pack_datapackage(
        version=version, previous=previous, citation=citation, page_url=page_url
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        for name, _description, fields, rows in _resources(version, previous):
            archive.writestr(f"{name}.csv", _csv(fields, rows))
    return buffer.getvalue()


def pack_jsonld(
    *,
    version: PackVersion,
    citation: str,
    page_url: str,
    title: str,
    lang: str,
    downloads: dict[str, str],
) -> dict[str, Any]:
    """schema.org Dataset describing the version, with its sources as `isBasedOn`."""
    c = version.content
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": page_url,
        "url": page_url,
        "name": title,
        "inLanguage": lang,
        "version": str(version.number),
        "dateModified": version.created_at.isoformat(),
        "datePublished": version.created_at.date().isoformat(),
        "citation": citation,
        "identifier": f"sha256:{version.content_hash}",
        "about": [
            {"@type": "Product", "name": c["good"]["name"]},
            {"@type": "Country", "name": c["country"]["name"], "identifier": c["country"]["iso3"]},
        ],
        "publisher": {"@type": "Organization", "name": "SDG 8.7 Knowledge Platform"},
        "isBasedOn": [
            {
                "@type": "CreativeWork",
                "name": s["title"],
                "url": s["url"],
                "datePublished": str(s["year"]),
                "publisher": {"@type": "Organization", "name": s["publisher"]},
                "citation": s["citation"],
                "license": s["licence"],
            }
            for s in c["sources"].values()
        ],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": fmt, "contentUrl": url}
            for fmt, url in downloads.items()
        ],
    }
