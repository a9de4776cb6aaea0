"""The partner pages in English, French and Spanish: the directory with its GET filters (no
JavaScript), the CSV of exactly the filtered rows, the map (a server-drawn SVG) with its table;
the join form (no account, CSRF, 400 on bad input, 429 over the limit) and the secretariat's
applications pages (sign-in, 403 without the role, decide)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from sdg87.alliance import partner_selectors as sel
from sdg87.alliance.models import (
    ActionGroup,
    ApplicationStatus,
    PartnerApplication,
    Plan,
    ReviewStatus,
    RoadmapAction,
    Verification,
)
from sdg87.alliance.partner_views import partner_map_spec
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.models import OutboundMail
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation

ROW_LINK = re.compile(r'<th scope="row"><a href="/\w\w/organisations/([\w-]+)/">')


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    """Pages are cached by data version; rows changed in tests do not always bump it."""
    cache.clear()
    yield
    cache.clear()


def _get(client: Client, path: str, lang: str = "en") -> Any:
    with translation.override(lang):
        return client.get(f"/{lang}{path}")


def _slugs(html: str) -> list[str]:
    return ROW_LINK.findall(html)


def _csv(client: Client, query: str, lang: str = "en") -> list[dict[str, str]]:
    response = _get(
        client, f"/partners/?{query}&format=csv" if query else "/partners/?format=csv", lang
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- the directory -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_directory_lists_every_partner(client: Client, bundled_data: None, lang: str) -> None:
    response = _get(client, "/partners/", lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    expected = {p.organisation.slug for p in sel.partner_list()}
    assert set(_slugs(html)) == expected and len(_slugs(html)) == len(expected)
    # The ILO: its own page, its role's source beside the role, the evidence, its datasets.
    assert f'href="/{lang}/organisations/ilo/"' in html
    assert 'href="https://www.alliance87.org/action-groups/"' in html
    assert "Chairs the Supply Chains Action Group" in html
    assert f"/{lang}/datasets/?organisation=ilo" in html
    assert f"/{lang}/library/?organisation=ilo" in html
    assert f'href="/{lang}/partners/join/"' in html
    with translation.override(lang):
        assert _("Partner because") in html


@pytest.mark.django_db
def test_filters_by_type_country_group_and_role(client: Client, bundled_data: None) -> None:
    unodc = Organisation.objects.get(slug="unodc")
    ActionGroup.objects.get(slug="supply_chains").members.add(unodc)
    cache.clear()
    by_type = _slugs(_get(client, "/partners/?type=un_agency").content.decode())
    assert by_type and all(Organisation.objects.get(slug=s).type == "un_agency" for s in by_type)
    assert "unodc" in by_type  # a partner by its Action Group
    assert set(_slugs(_get(client, "/partners/?country=CHE").content.decode())) == {"ilo", "iom"}
    assert _slugs(_get(client, "/partners/?group=supply_chains").content.decode()) == ["unodc"]
    roles = _slugs(_get(client, "/partners/?role=gcg_member").content.decode())
    assert set(roles) == set(
        Organisation.objects.filter(alliance87_role="gcg_member").values_list("slug", flat=True)
    )
    html = _get(client, "/partners/?type=un_agency&country=AUS").content.decode()
    assert _slugs(html) == [] and "No partner matches these filters." in html
    # The form keeps the choices made.
    html = _get(client, "/partners/?country=CHE").content.decode()
    assert '<option value="CHE" selected>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "type=un_agency", "country=CHE", "role=gcg_member", "type=government&role=gcg_member"],
)
def test_csv_rows_are_the_filtered_rows(client: Client, bundled_data: None, query: str) -> None:
    html = _get(client, f"/partners/?{query}").content.decode()
    rows = _csv(client, query)
    pages = {r["url"].rsplit("/organisations/", 1)[1].strip("/") for r in rows}
    assert len(rows) == len(_slugs(html)) > 0
    assert pages == set(_slugs(html))
    # The page's own download link is this CSV.
    link = re.search(r'<a href="([^"]*format=csv[^"]*)" download>', html)
    assert link is not None
    followed = _get(client, "/partners/" + link.group(1).replace("&amp;", "&"))
    assert (
        followed.content.decode()
        == _get(
            client, f"/partners/?{query}&format=csv" if query else "/partners/?format=csv"
        ).content.decode()
    )


@pytest.mark.django_db
def test_csv_columns_and_ilo_row(client: Client, bundled_data: None) -> None:
    rows = _csv(client, "country=CHE")
    ilo = next(r for r in rows if r["acronym"] == "ILO")
    assert ilo["country_iso3"] == "CHE" and ilo["partner_because"] == "role"
    assert ilo["alliance87_role"] == "action_group_member"
    assert "https://globalmarch.org/alliance-8-7" in ilo["alliance87_role_sources"]
    partner = next(p for p in sel.partner_list() if p.organisation.slug == "ilo")
    assert int(ilo["public_datasets"]) == partner.datasets
    assert int(ilo["public_publications"]) == partner.publications


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(client: Client, bundled_data: None) -> None:
    Organisation.objects.filter(slug="ilo").update(name="=HYPERLINK(1)")
    rows = _csv(client, "country=CHE")
    assert "'=HYPERLINK(1)" in {r["name"] for r in rows}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_partner_named_in_a_roadmap(client: Client, bundled_data: None, lang: str) -> None:
    """An organisation without a role or group, named as responsible by a public roadmap
    action, is a partner for that reason, with a link to that Pathfinder page in the page's
    language and its action count; a draft action makes no partner."""
    org = Organisation.objects.create(slug="zz-inspectorate", name="ZZ Labour Inspectorate")
    other = Organisation.objects.create(slug="zz-draft-only", name="ZZ Draft Only")
    plan, _created = Plan.objects.get_or_create(
        country=Geography.objects.get(iso3="UGA"), title="ZZ plan UGA"
    )
    for key, live, who in (("zz-1", True, org), ("zz-2", False, other)):
        action = RoadmapAction.objects.create(
            plan=plan,
            key=key,
            priority_area="Prevention",
            text="Strengthen labour inspection",
            source_url="https://example.org/plan",
            quote="Strengthen labour inspection",
            verification=Verification.VERIFIED,
            status=ReviewStatus.PUBLISHED if live else ReviewStatus.DRAFT,
            live=live,
        )
        action.responsible_organisations.add(who)
    html = _get(client, "/partners/", lang).content.decode()
    assert "zz-inspectorate" in _slugs(html) and "zz-draft-only" not in _slugs(html)
    row = html[html.index(f'href="/{lang}/organisations/zz-inspectorate/"') :]
    row = row[: row.index("</tr>")]
    with translation.override(lang):
        assert escape(_("Named in a Pathfinder roadmap")) in row  # as the page escapes it
    assert f'href="/{lang}/pathfinders/UGA/"' in row
    assert re.search(r'<td class="num">1</td>\s*$', row)
    rows = _csv(client, "country=&role=", lang)
    mine = next(r for r in rows if r["name"] == "ZZ Labour Inspectorate")
    assert mine["partner_because"] == "roadmap" and mine["pathfinder_countries"] == "UGA"
    assert mine["public_roadmap_actions"] == "1"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_map_svg_and_its_table(client: Client, bundled_data: None, lang: str) -> None:
    html = _get(client, "/partners/", lang).content.decode()
    figure = html[html.index('id="partners-map"') :]
    figure = figure[: figure.index("</figure>")]
    assert "<svg" in figure and 'role="img"' in figure
    assert "<circle" in figure or "<path" in figure
    table = figure[figure.index("<table") : figure.index("</table>")]
    with translation.override(lang):
        switzerland = Geography.objects.get(iso3="CHE").name
    cells = re.search(
        rf"<th scope=\"row\">{re.escape(switzerland)}</th>\s*<td>CHE</td>\s*<td>(\d+)</td>", table
    )
    assert cells is not None and cells.group(1) == "2"
    assert "http" not in re.sub(
        r'(xmlns(:xlink)?|href)="[^"]*"', "", figure.split("<svg", 1)[1].split("</svg>")[0]
    )


def test_map_spec_places_points_at_the_stored_coordinates() -> None:
    """Circles at the rows' latitude/longitude; rows without coordinates are in the table
    only; the data is inline (no external file or tile)."""
    spec = partner_map_spec(
        [
            {"name": "Switzerland", "iso3": "CHE", "value": 2, "lat": 47.0, "lon": 8.0},
            {"name": "Nowhere", "iso3": "XXX", "value": 1, "lat": None, "lon": None},
            {"name": "Australia", "iso3": "AUS", "value": 1, "lat": -25.0, "lon": 135.0},
        ],
        title="Partners",
        description="Partners by country",
        legend_title="Partners",
        name="Country",
    )
    points = spec["layer"][1]["data"]["values"]
    assert [(p["iso3"], p["lat"], p["lon"]) for p in points] == [
        ("CHE", 47.0, 8.0),
        ("AUS", -25.0, 135.0),
    ]
    assert [r["iso3"] for r in spec["usermeta"]["table"]] == ["CHE", "XXX", "AUS"]
    assert spec["projection"]["type"] == "equalEarth"
    assert "url" not in str(spec["data"]) and "url" not in str(spec["layer"][1]["data"])
    assert spec["layer"][1]["encoding"]["size"]["legend"]["values"] == [1, 2]


@pytest.mark.django_db
def test_empty_state_without_partners(client: Client, bundled_data: None) -> None:
    """No role, no group member, no responsible body: the page says so and who can add."""
    Organisation.objects.update(alliance87_role="")
    ActionGroup.members.through.objects.all().delete()
    assert sel.partner_list() == []
    html = _get(client, "/partners/").content.decode()
    assert "No partner organisation has been verified yet" in html
    assert "Alliance 8.7 secretariat" in html


# --- joining -------------------------------------------------------------------------------------


def _form(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "organisation_name": "Kinder Rights Uganda",
        "organisation_type": "ngo",
        "country": "",
        "website": "https://kinder-rights.example.org/",
        "contact_name": "Grace Atim",
        "contact_email": "grace@kinder-rights.example.org",
        "motivation": "School re-entry for children withdrawn from work.",
    }
    values.update(extra)
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_join_form_without_an_account(bundled_data: None, people: Any, lang: str) -> None:
    client = Client(enforce_csrf_checks=True)
    page = _get(client, "/partners/join/", lang)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Supply Chains" in html  # the public Action Groups to choose from
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    group = ActionGroup.objects.get(slug="supply_chains")
    uga = Geography.objects.get(iso3="UGA")
    with translation.override(lang):
        response = client.post(
            f"/{lang}/partners/join/",
            _form(csrfmiddlewaretoken=token.group(1), action_groups=[group.pk], country=uga.pk),
        )
    assert response.status_code == 302 and response["Location"] == f"/{lang}/partners/join/sent/"
    app = PartnerApplication.objects.get()
    assert app.language == lang and app.country == uga and list(app.action_groups.all()) == [group]
    assert OutboundMail.objects.filter(recipient="grace@kinder-rights.example.org").exists()
    assert _get(client, "/partners/join/sent/", lang).status_code == 200


@pytest.mark.django_db
def test_join_needs_the_csrf_token(people: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/partners/join/", _form()).status_code == 403
    assert not PartnerApplication.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"contact_email": "not-an-address"},
        {"motivation": "m" * 3001},
        {"organisation_name": ""},
        {"organisation_type": "cartel"},
        {"motivation": "<b>bold</b> claims"},
    ],
)
def test_join_bad_input_is_400_and_stores_nothing(
    client: Client, people: Any, bad: dict[str, str]
) -> None:
    response = client.post("/en/partners/join/", _form(**bad))
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not PartnerApplication.objects.exists()


@pytest.mark.django_db
@override_settings(SDG87_ACCOUNT_REQUEST_IP_LIMIT=1)
def test_join_is_rate_limited(client: Client, people: Any) -> None:
    assert client.post("/en/partners/join/", _form()).status_code == 302
    response = client.post("/en/partners/join/", _form(organisation_name="Another"))
    assert response.status_code == 429 and response["Retry-After"]
    assert PartnerApplication.objects.count() == 1


# --- the secretariat -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_applications_pages_are_the_secretariats(client: Client, people: Any) -> None:
    from sdg87.alliance.services.applications import application_submit

    app = application_submit(
        organisation_name="Kinder Rights Uganda",
        organisation_type="ngo",
        contact_name="Grace Atim",
        contact_email="grace@kinder-rights.example.org",
        motivation="School re-entry.",
    )
    for path in ("/en/partners/applications/", f"/en/partners/applications/{app.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in ("focal_point", "reviewer"):
        client.force_login(people[role])
        assert client.get("/en/partners/applications/").status_code == 403
        assert (
            client.post(f"/en/partners/applications/{app.pk}/", {"decision": "accept"}).status_code
            == 403
        )
    client.force_login(people["secretariat"])
    listing = client.get("/en/partners/applications/").content.decode()
    assert "Kinder Rights Uganda" in listing
    detail = client.get(f"/en/partners/applications/{app.pk}/").content.decode()
    assert "grace@kinder-rights.example.org" in detail and 'name="decision"' in detail
    declined = client.post(
        f"/en/partners/applications/{app.pk}/", {"decision": "decline", "note": ""}
    )
    assert declined.status_code == 400  # a decline needs a note
    response = client.post(
        f"/en/partners/applications/{app.pk}/", {"decision": "accept", "note": ""}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED and app.organisation is not None
    cache.clear()
    assert app.organisation.slug in _slugs(client.get("/en/partners/").content.decode())
    assert (
        'name="decision"' not in client.get(f"/en/partners/applications/{app.pk}/").content.decode()
    )
