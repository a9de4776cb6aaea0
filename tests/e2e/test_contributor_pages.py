"""The contributors' pages of the Alliance tracker in a real browser, signed in as the person
each page is for: a Pathfinder focal point (Uganda), the secretariat, an independent reviewer
and an editor of an Action Group's member organisation (who also registers harvest sources).
Each page meets the public-page bar without JavaScript: 200, one h1, no sideways scroll at
360 px, no serious or critical axe-core violation at 360 and 1280 px.

The people are made in the browser tests' database through the platform's own services
(accounts, memberships, Alliance roles), once per session; signing in goes through the login
form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-contributor-pw-7fd1"

# Runs in the app server's database (manage.py shell); prints the id of a public action of
# Uganda for the reviewer's rating page.
PEOPLE_SCRIPT = f"""
from django.contrib.auth.models import User
from sdg87.alliance.models import ActionGroup, RoadmapAction, RoleName
from sdg87.alliance.services.roles import alliance_role_grant
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation
from sdg87.orgs.services import membership_set

def person(name):
    user = User.objects.filter(username=name).first() or User.objects.create_user(
        name, name + "@example.org"
    )
    user.set_password({PASSWORD!r})
    user.save()
    return user

uga = Geography.objects.get(iso3="UGA", kind="country")
alliance_role_grant(actor=None, user=person("e2e_fp_uga"), role=RoleName.FOCAL_POINT, country=uga)
alliance_role_grant(actor=None, user=person("e2e_secretariat"), role=RoleName.SECRETARIAT)
alliance_role_grant(actor=None, user=person("e2e_reviewer"), role=RoleName.REVIEWER)
group = ActionGroup.objects.get(slug="supply_chains")
org = group.chair_organisation or Organisation.objects.order_by("pk").first()
if not group.members.filter(pk=org.pk).exists():
    group.members.add(org)
membership_set(user=person("e2e_member"), organisation=org, role="editor")
action = RoadmapAction.objects.filter(plan__country=uga, live=True).order_by("pk").first()
print("ACTION", action.pk)

# A filed and published annual report, so that the public report page has one (this database
# is the browser tests' own; the summary says it is not a filing of Uganda's).
from sdg87.alliance.models import AnnualReport
from sdg87.alliance.services import reports
focal = User.objects.get(username="e2e_fp_uga")
report = AnnualReport.objects.filter(country=uga, year=2025).first()
if report is None:
    report = reports.report_start(actor=focal, country=uga, year=2025)
if report.status == "draft":
    report = reports.report_update(
        actor=focal, report=report, summary="Browser-test report: not a filing of Uganda's."
    )
    report = reports.report_submit(actor=focal, report=report)
if report.status == "submitted":
    secretariat = User.objects.get(username="e2e_secretariat")
    reports.report_publish(actor=secretariat, report=report)
"""


@pytest.fixture(scope="module")
def action_pk(app_server: str, run_in_app_database: Callable[[str], str]) -> int:
    """The people exist in the app server's database; the id of a public Ugandan action."""
    output = run_in_app_database(PEOPLE_SCRIPT)
    line = next(line for line in output.splitlines() if line.startswith("ACTION "))
    return int(line.split()[1])


PAGES = {
    "e2e_fp_uga": [
        "/{lang}/pathfinders/UGA/manage/",
        "/{lang}/pathfinders/UGA/manage/actions/new/",
        "/{lang}/pathfinders/UGA/manage/replies/new/",
        "/{lang}/pathfinders/UGA/manage/reports/",
    ],
    "e2e_secretariat": [
        "/{lang}/pathfinders/review/",
        "/{lang}/action-groups/supply_chains/links/",
        "/{lang}/action-groups/supply_chains/workspace/",
        "/{lang}/partners/applications/",
    ],
    "e2e_reviewer": ["/{lang}/pathfinders/rate/", "/{lang}/pathfinders/rate/{action}/"],
    "e2e_member": [
        "/{lang}/action-groups/supply_chains/workspace/",
        "/{lang}/harvest/sources/",  # an organisation's editor registers a harvest source
    ],
}
CASES = [(user, path, "en") for user, paths in PAGES.items() for path in paths] + [
    ("e2e_fp_uga", "/{lang}/pathfinders/UGA/manage/", "es"),
    ("e2e_secretariat", "/{lang}/action-groups/supply_chains/links/", "fr"),
    ("e2e_reviewer", "/{lang}/pathfinders/rate/{action}/", "es"),
    ("e2e_member", "/{lang}/action-groups/supply_chains/workspace/", "fr"),
    ("e2e_member", "/{lang}/harvest/sources/", "es"),
]
PUBLIC_REPORT = "/{lang}/pathfinders/UGA/reports/2025/"


@pytest.mark.parametrize(("username", "path", "lang"), CASES)
def test_contributor_page_meets_the_bar(
    app_server: str,
    browser: Any,
    action_pk: int,
    fits_a_phone_and_passes_axe: Callable[..., None],
    signed_in_state: Callable[..., Any],
    username: str,
    path: str,
    lang: str,
) -> None:
    state = signed_in_state(browser, app_server, username, PASSWORD)
    url = app_server + path.format(lang=lang, action=action_pk)
    fits_a_phone_and_passes_axe(browser, url, storage_state=state)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_published_annual_report_meets_the_bar(
    app_server: str,
    browser: Any,
    action_pk: int,
    fits_a_phone_and_passes_axe: Callable[..., None],
    lang: str,
) -> None:
    """The public page of a filed and published annual report, for anyone."""
    fits_a_phone_and_passes_axe(browser, app_server + PUBLIC_REPORT.format(lang=lang))
