"""Organisations as search documents: every organisation of the public directory, its name
and acronym as exact keys, its description as plain text, its type in three languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs.models import Organisation, OrganisationType
from sdg87.orgs.selectors import organisation_list
from sdg87.orgs.services import organisation_upsert
from sdg87.search.sources.orgs import SOURCES, build_organisation

pytestmark = pytest.mark.django_db
SOURCE = SOURCES[0]


@pytest.fixture
def org(db: None) -> Organisation:
    country = Geography.objects.create(
        code="QZO", iso3="QZO", kind=GeographyKind.COUNTRY, name_en="Qzo", name_fr="Qzo-fr"
    )
    return organisation_upsert(
        slug="t-src-org",
        name="T Source Observatory",
        acronym="TSO",
        type=OrganisationType.NGO,
        country=country,
        description="<p>Watches <b>cocoa</b> supply chains &amp; schools.</p>",
    )


def test_organisation_document(org: Organisation) -> None:
    row = SOURCE.get(str(org.pk))
    assert row is not None
    doc = build_organisation(row)
    assert (doc.kind, doc.object_id) == ("organisation", str(org.pk))
    assert doc.heading == "T Source Observatory (TSO)"
    assert doc.path == "/en/organisations/t-src-org/"
    assert doc.summary == "Watches cocoa supply chains & schools."
    assert doc.public and doc.audience_org_id is None
    assert doc.keys == ["T Source Observatory", "TSO"]
    assert [t.text for t in doc.texts if t.weight == "title"] == ["T Source Observatory", "TSO"]
    assert doc.facets == {"place": ["QZO"], "organisation": ["t-src-org"]}
    assert doc.meta == ["NGO / civil society", "Qzo"]
    with translation.override("es"):
        spanish_type = str(OrganisationType.NGO.label)
    assert spanish_type != "NGO / civil society"
    texts = {(t.text, t.lang) for t in doc.texts}
    assert (spanish_type, "es") in texts and ("Qzo-fr", "fr") in texts


def test_every_directory_organisation_in_fixed_queries(org: Organisation) -> None:
    """rows() is the directory's list, all public, built in one query whatever their number."""
    with CaptureQueriesContext(connection) as one:
        docs = [build_organisation(r) for r in SOURCE.rows()]
    assert {d.object_id for d in docs} == {
        str(pk) for pk in organisation_list().values_list("pk", flat=True)
    }
    assert all(d.public for d in docs)
    for n in range(5):
        organisation_upsert(slug=f"t-src-more-{n}", name=f"More {n}", type=OrganisationType.NGO)
    with CaptureQueriesContext(connection) as many:
        more = [build_organisation(r) for r in SOURCE.rows()]
    assert len(more) == len(docs) + 5
    assert len(many.captured_queries) == len(one.captured_queries)


def test_watch_and_unknown_id(org: Organisation) -> None:
    assert list(dict(SOURCE.watches)[Organisation](org)) == [str(org.pk)]
    assert SOURCE.get("999999999") is None and SOURCE.get("t-src-org") is None


def test_french_and_spanish_names_from_the_data_file(db: None) -> None:
    """The ILO is found by OIT and by its French and Spanish names (exact keys, title text),
    and shown under them on the French and Spanish pages."""
    ilo = organisation_upsert(
        slug="ilo",
        name="International Labour Organization",
        acronym="ILO",
        type=OrganisationType.UN_AGENCY,
    )
    doc = build_organisation(ilo)
    assert doc.keys == [
        "International Labour Organization",
        "ILO",
        "Organisation internationale du Travail",
        "OIT",
        "Organización Internacional del Trabajo",
    ]
    titles = {(t.text, t.lang) for t in doc.texts if t.weight == "title"}
    assert ("Organización Internacional del Trabajo", "es") in titles and ("OIT", "fr") in titles
    assert doc.translations == {
        "fr": {"heading": "Organisation internationale du Travail (OIT)"},
        "es": {"heading": "Organización Internacional del Trabajo (OIT)"},
    }


def test_every_named_organisation_is_a_bundled_one() -> None:
    """Each slug of data/search/organisation_names.csv is one the bundled loaders create (a
    misspelt slug would silently name nobody), with a French and a Spanish row."""
    from pathlib import Path

    from django.conf import settings

    from sdg87.orgs.loaders import ORGANISATIONS_CSV, PUBLISHERS, parse_organisations
    from sdg87.search.sources.orgs import organisation_names

    bundled = {s.slug for s in PUBLISHERS} | {
        s.slug for s in parse_organisations(Path(settings.BASE_DIR) / "data" / ORGANISATIONS_CSV)
    }
    names = organisation_names()
    assert names and set(names) <= bundled
    for slug, rows in names.items():
        assert sorted(n.lang for n in rows) == ["es", "fr"], slug


def test_third_party_names_are_found_but_not_headings(db: None) -> None:
    """UNODC's French name was seen only on a third party's page (verified_secondary in
    data/search/organisation_names.csv): it finds the organisation (exact key, title text) but
    the French page keeps the English heading; the Spanish name, seen on unodc.org, is the
    Spanish heading."""
    unodc = organisation_upsert(
        slug="unodc",
        name="United Nations Office on Drugs and Crime",
        acronym="UNODC",
        type=OrganisationType.UN_AGENCY,
    )
    doc = build_organisation(unodc)
    assert "ONUDC" in doc.keys
    assert "Office des Nations Unies contre la drogue et le crime" in doc.keys
    titles = {(t.text, t.lang) for t in doc.texts if t.weight == "title"}
    assert ("ONUDC", "fr") in titles
    assert doc.translations == {
        "es": {"heading": "Oficina de las Naciones Unidas contra la Droga y el Delito (UNODC)"}
    }


@pytest.fixture
def names_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A data file of one's own under a temporary BASE_DIR (the reader's cache emptied
    before and after)."""
    from sdg87.search.sources.orgs import NAMES_CSV, organisation_names

    path = tmp_path / NAMES_CSV
    path.parent.mkdir(parents=True)
    settings.BASE_DIR = tmp_path
    organisation_names.cache_clear()
    yield path
    organisation_names.cache_clear()


HEADER = "slug,lang,name,acronym,source_url,quote,verification_status,notes\n"


def test_unverified_rows_are_never_used(names_file: Path) -> None:
    from sdg87.search.sources.orgs import organisation_names

    names_file.write_text(
        HEADER
        + "x,fr,Nom vérifié,NV,https://example.org/fr,Nom vérifié (NV),verified,\n"
        + "x,es,Nombre supuesto,NS,,,unverified,not found\n"
        + "y,fr,Autre,,https://example.org/y,Autre,verified_conflicting,\n",
        encoding="utf-8",
    )
    names = organisation_names()
    assert set(names) == {"x"}
    assert [(n.lang, n.name, n.verification) for n in names["x"]] == [
        ("fr", "Nom vérifié", "verified")
    ]


@pytest.mark.parametrize(
    "row",
    [
        "x,fr,Nom,N,https://example.org,Nom,checked,\n",  # not a status of the vocabulary
        "x,fr,Nom,N,,Nom,verified,\n",  # shown without a source
        "x,fr,Nom,N,https://example.org,,verified_secondary,\n",  # shown without a quote
        "x,de,Name,N,https://example.org,Name,verified,\n",  # not a language of the file
    ],
)
def test_a_bad_row_stops_the_reader(names_file: Path, row: str) -> None:
    from sdg87.search.sources.orgs import organisation_names

    names_file.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(ValueError):
        organisation_names()


def test_old_columns_stop_the_reader(names_file: Path) -> None:
    from sdg87.search.sources.orgs import organisation_names

    names_file.write_text(
        "slug,lang,name,acronym,source\nx,fr,Nom,N,https://example.org\n", encoding="utf-8"
    )
    with pytest.raises(ValueError):
        organisation_names()
