"""The permission matrix, statistics layer: statistics imported from a dataset are visible to
everybody exactly while an anonymous visitor may see the dataset's data, and to nobody
otherwise (not even the publisher's editors) through the public statistics interfaces
(issue 7, item 12; rules in sdg87/catalog/statistics.py and sdg87/catalog/permissions.py).

Fifteen datasets are built side by side through the services (plus the web and CKAN unpublish
actions), one per state that matters (STATES). Each tidy file carries its own series codes and
values, so a figure, a series or a release seen anywhere tells which state leaked. For each of
the seven viewers (one test each) and each interface, a *cell* is one state: the test reads
what the interface shows of that state's statistics and compares it with what the state
allows:

- observations JSON by series, by country, by release, with `release=all`, with every vintage
  (`include_history=true`) and what changed since a date (`updated_after`), and the CSV export
  (by country, with `release=all` and with every vintage): values, series and release codes;
- `/api/v1/series`, `/api/v1/series/{code}` and `/api/v1/progress`;
- the country page in English, French and Spanish, the indicator index and the series'
  indicator page: the series code and the release title;
- SDMX REST: the dataflow list (a contributed series is its own flow) and each flow's data as
  SDMX-CSV (values and the RELEASE attribute);
- the dataset page, REST dataset and CKAN `package_show`, as far as they list the dataset's
  related series: never to a viewer who may not see the data (permissions.can_view_data),
  to everybody once the statistics are public.

Each test prints its number of cells (7 x 15 x 25 = 2625 in all).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.tests.conftest import csv_file

pytestmark = [pytest.mark.usefixtures("bundled_data"), pytest.mark.django_db]

VIEWERS = ("anonymous", "member", "contributor", "editor", "admin", "other", "superuser")
WRITERS = frozenset({"superuser", "admin", "editor", "contributor"})
ORG_ROLES = WRITERS | {"member"}
EVERYBODY = frozenset(VIEWERS)


# --- what a state holds and what it allows ---------------------------------------------------


@dataclass
class Marker:
    """One series of one tidy file: its own code and two values (KEN 2015 and 2019)."""

    local: str
    values: tuple[float, float]
    shown: bool  # the values and the file's release are public
    # viewers who may see the file's data, so may be told its series codes (the related series
    # of the dataset); None: not checked (a code shared with another file of the dataset)
    may_list: frozenset[str] | None = WRITERS
    series_shown: bool | None = None  # the series itself (default: as `shown`)
    state: str = ""  # filled when built
    dataset: Dataset | None = None
    code: str = ""  # ORG<id>__<local>
    release: str = ""  # the file's release code, upload-<distribution id>
    release_title: str = ""  # "<dataset title>: <file title>"

    @property
    def series_expected(self) -> bool:
        return self.shown if self.series_shown is None else self.series_shown


@dataclass
class Built:
    dataset: Dataset
    markers: list[Marker]


YEARS = (2015, 2019)


def _tidy(*markers: Marker) -> bytes:
    lines = ["series,geo,year,value,unit"]
    for m in markers:
        rows = zip(YEARS, m.values, strict=True)
        lines += [f"{m.local},KEN,{year},{value},PERCENT" for year, value in rows]
    return ("\n".join(lines) + "\n").encode()


class Maker:
    """Builds datasets with imported statistics through the services."""

    def __init__(self, users: dict[str, Any], org: Any, capture: Any) -> None:
        self.users, self.org, self.capture = users, org, capture

    def create(self, title: str, **kw: Any) -> Dataset:
        return datasets.dataset_create(
            actor=self.users["contributor"], publisher=self.org, title=title, **kw
        )

    def upload(
        self,
        dataset: Dataset,
        markers: list[Marker],
        *,
        title: str,
        replace: Distribution | None = None,
    ) -> Distribution:
        """Upload a tidy file for `markers`, validated by its task (run on commit)."""
        with self.capture(execute=True):
            dist = distributions.distribution_upload(
                actor=self.users["contributor"],
                dataset=Dataset.objects.get(pk=dataset.pk),
                file=csv_file(_tidy(*markers)),
                title=title,
                replace=replace,
                map_to_observations=True,
            )
        dist = Distribution.objects.get(pk=dist.pk)
        assert dist.is_valid is True, dist.validation_report
        for m in markers:
            m.dataset = dataset
            m.code = f"ORG{self.org.pk}__{m.local}"
            m.release = f"upload-{dist.pk}"
            m.release_title = f"{dataset.title}: {title}"
        return dist

    def submit(self, dataset: Dataset) -> None:
        review.dataset_submit(
            actor=self.users["contributor"], dataset=Dataset.objects.get(pk=dataset.pk)
        )

    def approve(self, dataset: Dataset) -> None:
        review.dataset_approve(
            actor=self.users["editor"], dataset=Dataset.objects.get(pk=dataset.pk)
        )

    def publish(self, dataset: Dataset, **kw: Any) -> None:
        self.submit(dataset)
        self.approve(dataset)
        review.dataset_publish(
            actor=self.users["editor"], dataset=Dataset.objects.get(pk=dataset.pk), **kw
        )

    def one_file(
        self, state: str, marker: Marker, *, publish: bool = True, **create: Any
    ) -> tuple[Built, Distribution]:
        ds = self.create(f"ZZ stats {state}", **create)
        dist = self.upload(ds, [marker], title=f"file {state}")
        if publish:
            self.publish(ds)
        return Built(Dataset.objects.get(pk=ds.pk), [marker]), dist


def _state_draft(mk: Maker) -> Built:
    return mk.one_file("draft", Marker("PMS_DRAFT", (41.0131, 39.0137), False), publish=False)[0]


def _state_submitted(mk: Maker) -> Built:
    built = mk.one_file("submitted", Marker("PMS_SUBM", (41.0231, 39.0237), False), publish=False)
    mk.submit(built[0].dataset)
    return built[0]


def _state_approved(mk: Maker) -> Built:
    built = mk.one_file("approved", Marker("PMS_APPR", (41.0331, 39.0337), False), publish=False)
    mk.submit(built[0].dataset)
    mk.approve(built[0].dataset)
    return built[0]


def _state_public(mk: Maker) -> Built:
    """The control: everything of this state shows everywhere, to everybody."""
    return mk.one_file("public", Marker("PMS_PUBL", (41.0431, 39.0437), True, EVERYBODY))[0]


def _state_scheduled(mk: Maker) -> Built:
    built = mk.one_file("scheduled", Marker("PMS_SCHED", (41.0531, 39.0537), False), publish=False)
    mk.publish(built[0].dataset, publish_at=timezone.now() + timedelta(days=2))
    return built[0]


def _state_embargoed(mk: Maker) -> Built:
    marker = Marker("PMS_EMBARGO", (41.0631, 39.0637), False, ORG_ROLES)
    return mk.one_file("embargoed", marker, embargo_until=timezone.now() + timedelta(days=2))[0]


def _state_unpublished_web(mk: Maker) -> Built:
    built, _ = mk.one_file("unpub web", Marker("PMS_UNPUBW", (41.0731, 39.0737), False))
    client = Client()
    client.force_login(mk.users["editor"])
    response = client.post(
        f"/en/datasets/{built.dataset.slug}/action/unpublish/", {"message": "withdrawn"}
    )
    assert response.status_code == 302
    assert not Dataset.objects.get(pk=built.dataset.pk).live
    return built


def _state_unpublished_ckan(mk: Maker) -> Built:
    built, _ = mk.one_file("unpub ckan", Marker("PMS_UNPUBC", (41.0831, 39.0837), False))
    token = APIToken.create_token(user=mk.users["editor"], name="zz matrix")[1]
    response = Client().post(
        "/api/3/action/package_delete",
        {"id": built.dataset.slug},
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    assert response.json()["success"] is True, response.content
    assert not Dataset.objects.get(pk=built.dataset.pk).live
    return built


def _state_organisation(mk: Maker) -> Built:
    marker = Marker("PMS_ORGONLY", (41.0931, 39.0937), False, ORG_ROLES)
    return mk.one_file("org only", marker, visibility="organisation")[0]


def _state_organisation_later(mk: Maker) -> Built:
    """Published public, then made organisation-only."""
    built, _ = mk.one_file("org later", Marker("PMS_ORGLATE", (42.0131, 38.0137), False, ORG_ROLES))
    datasets.dataset_update(
        actor=mk.users["editor"], dataset=built.dataset, data={"visibility": "organisation"}
    )
    return built


def _state_metadata_only(mk: Maker) -> Built:
    marker = Marker("PMS_METAONLY", (42.0231, 38.0237), False, ORG_ROLES)
    return mk.one_file("metadata only", marker, visibility="metadata_only")[0]


def _state_metadata_only_later(mk: Maker) -> Built:
    """Published public, then made metadata-only."""
    marker = Marker("PMS_METALATE", (42.0331, 38.0337), False, ORG_ROLES)
    built, _ = mk.one_file("meta later", marker)
    datasets.dataset_update(
        actor=mk.users["editor"], dataset=built.dataset, data={"visibility": "metadata_only"}
    )
    return built


def _state_retracted(mk: Maker) -> Built:
    """Published public; an editor retracted the file's statistics (the file stays public)."""
    marker = Marker("PMS_RETRACT", (42.0431, 38.0437), False, EVERYBODY)
    built, dist = mk.one_file("retracted", marker)
    review.distribution_statistics_retract(
        actor=mk.users["editor"], distribution=Distribution.objects.get(pk=dist.pk)
    )
    return built


def _state_pending_revision(mk: Maker) -> Built:
    """Published public; a contributor uploaded a replacement (new values of the same series
    and a new series) and submitted it: the published statistics stay, the pending don't."""
    live = Marker("PMS_REVLIVE", (42.0531, 38.0537), True, EVERYBODY)
    built, dist = mk.one_file("revision", live)
    # the pending file's values of the live series (which shows, with the live values)
    pending_same = Marker("PMS_REVLIVE", (42.0631, 38.0637), False, None, series_shown=True)
    pending_new = Marker("PMS_REVNEW", (42.0731, 38.0737), False)
    mk.upload(built.dataset, [pending_same, pending_new], title="pending file", replace=dist)
    mk.submit(built.dataset)
    dataset = Dataset.objects.get(pk=built.dataset.pk)
    assert dataset.live and dataset.status == "submitted"
    return Built(dataset, [live, pending_same, pending_new])


def _state_replaced(mk: Maker) -> Built:
    """Published public, then its file replaced (new values of one series, one series dropped,
    one added) and the dataset published again: only the new file's statistics show."""
    old_kept = Marker("PMS_REPL", (42.0831, 38.0837), False, None, series_shown=True)
    old_dropped = Marker("PMS_REPLOLD", (42.0931, 38.0937), False, EVERYBODY)
    new_kept = Marker("PMS_REPL", (43.0131, 37.0137), True, EVERYBODY)
    new_added = Marker("PMS_REPLNEW", (43.0231, 37.0237), True, EVERYBODY)
    ds = mk.create("ZZ stats replaced")
    old = mk.upload(ds, [old_kept, old_dropped], title="old file")
    mk.publish(ds)
    mk.upload(ds, [new_kept, new_added], title="new file", replace=old)
    mk.publish(ds)
    assert Distribution.objects.get(pk=old.pk).retired_at is not None
    return Built(Dataset.objects.get(pk=ds.pk), [old_kept, old_dropped, new_kept, new_added])


STATES: dict[str, Callable[[Maker], Built]] = {
    "draft": _state_draft,
    "submitted": _state_submitted,
    "approved": _state_approved,
    "public": _state_public,
    "scheduled": _state_scheduled,
    "embargoed": _state_embargoed,
    "unpublished_web": _state_unpublished_web,
    "unpublished_ckan": _state_unpublished_ckan,
    "organisation": _state_organisation,
    "organisation_later": _state_organisation_later,
    "metadata_only": _state_metadata_only,
    "metadata_only_later": _state_metadata_only_later,
    "retracted": _state_retracted,
    "pending_revision": _state_pending_revision,
    "replaced": _state_replaced,
}


# --- what each interface shows -----------------------------------------------------------------

# What an interface shows of each marker (by its index in the list checked), per aspect:
# "value" (one of its values, under its series), "series" (its code), "release" (its file's
# release) and "related" (listed among its dataset's related series).
Seen = dict[tuple[int, str], bool]
Interface = Callable[[Client, list[Marker]], Seen]


@dataclass
class Row:
    series: str
    value: float
    release: str


def _json_rows(client: Client, params: dict[str, str]) -> tuple[int, list[Row]]:
    response = client.get("/api/v1/observations", {**params, "limit": "10000"})
    assert response.status_code in (200, 400), (params, response.status_code)
    if response.status_code == 400:
        return 400, []
    body = response.json()
    assert body["next"] is None, params  # every matching row is in this page
    return 200, [Row(r["series"], r["value"], r["release"]["code"]) for r in body["results"]]


def _csv_rows(client: Client, params: dict[str, str]) -> tuple[int, list[Row]]:
    response = client.get("/api/v1/observations", {**params, "format": "csv"})
    assert response.status_code in (200, 400), (params, response.status_code)
    if response.status_code == 400:
        return 400, []
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return 200, [
        Row(r["series"], float(r["value"]), r["release_code"])
        for r in csv.DictReader(io.StringIO(text))
    ]


def _values_shown(marker: Marker, rows: list[Row]) -> bool:
    return any(r.series == marker.code and r.value in marker.values for r in rows)


def _all_rows(
    reader: Callable[[Client, dict[str, str]], tuple[int, list[Row]]], params: dict[str, str]
) -> Interface:
    """One listing of Kenya's observations: every marker's values, series and release."""

    def check(client: Client, markers: list[Marker]) -> Seen:
        status, rows = reader(client, params)
        assert status == 200
        seen: Seen = {}
        for i, m in enumerate(markers):
            seen[i, "value"] = _values_shown(m, rows)
            seen[i, "series"] = any(r.series == m.code for r in rows)
            seen[i, "release"] = any(r.release == m.release for r in rows)
        return seen

    return check


def _obs_by_series(client: Client, markers: list[Marker]) -> Seen:
    """?series=<code>: an unknown (hidden) series is a 400; values are of this marker only."""
    seen: Seen = {}
    for i, m in enumerate(markers):
        status, rows = _json_rows(client, {"series": m.code})
        seen[i, "series"] = status == 200
        seen[i, "value"] = _values_shown(m, rows)
    return seen


def _obs_by_release(client: Client, markers: list[Marker]) -> Seen:
    """?release=<code>: an unknown (hidden) release is a 400."""
    seen: Seen = {}
    for i, m in enumerate(markers):
        status, rows = _json_rows(client, {"release": m.release})
        seen[i, "release"] = status == 200 and bool(rows)
        seen[i, "value"] = _values_shown(m, rows)
    return seen


def _series_list(client: Client, markers: list[Marker]) -> Seen:
    codes = {s["code"] for s in client.get("/api/v1/series").json()["results"]}
    return {(i, "series"): m.code in codes for i, m in enumerate(markers)}


def _series_detail(client: Client, markers: list[Marker]) -> Seen:
    seen: Seen = {}
    for i, m in enumerate(markers):
        response = client.get(f"/api/v1/series/{m.code}")
        assert response.status_code in (200, 404)
        seen[i, "series"] = response.status_code == 200
        releases = {r["code"] for r in response.json().get("releases", [])}
        seen[i, "release"] = m.release in releases
    return seen


def _progress(client: Client, markers: list[Marker]) -> Seen:
    seen: Seen = {}
    for i, m in enumerate(markers):
        response = client.get("/api/v1/progress", {"series": m.code, "geo": "KEN"})
        assert response.status_code in (200, 400)
        results = response.json().get("results", []) if response.status_code == 200 else []
        values = {v for r in results for v in (r["first"]["value"], r["last"]["value"])}
        seen[i, "series"] = response.status_code == 200
        seen[i, "value"] = bool(values & set(m.values))
        seen[i, "release"] = m.release in {rel["code"] for r in results for rel in r["releases"]}
    return seen


def _flow_of(code: str) -> str:
    from sdg87.indicators.models import Series
    from sdg87.sdmx.mapping import flow_id

    series = Series.objects.filter(code=code).select_related("indicator").first()
    indicator = series.indicator.code if series is not None and series.indicator else None
    return flow_id(indicator_code=indicator, series_code=code)


def _sdmx_dataflows(client: Client, markers: list[Marker]) -> Seen:
    """The SDMX dataflow list (structure, SDMX-ML): a series' own flow only while public."""
    response = client.get("/sdmx/dataflow/all/all/latest")
    assert response.status_code == 200
    listing = response.content.decode()
    return {(i, "series"): f'id="{_flow_of(m.code)}"' in listing for i, m in enumerate(markers)}


def _sdmx_data(client: Client, markers: list[Marker]) -> Seen:
    """SDMX data (SDMX-CSV) of each marker's flow: 404 (no results) unless public; the values
    and the RELEASE attribute."""
    seen: Seen = {}
    for i, m in enumerate(markers):
        response = client.get(f"/sdmx/data/{_flow_of(m.code)}/all", {"format": "csv"})
        assert response.status_code in (200, 404), (m.code, response.status_code)
        rows = []
        if response.status_code == 200:
            rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        seen[i, "value"] = any(
            float(r["OBS_VALUE"]) in m.values for r in rows if r.get("OBS_VALUE")
        )
        seen[i, "release"] = any(r.get("RELEASE") == m.release for r in rows)
    return seen


def _page(path: str, *, per_series: bool = False, releases: bool = True) -> Interface:
    """A page: the series code (for a page per series: whether it exists) and, if the page
    names its sources, the release title."""

    def check(client: Client, markers: list[Marker]) -> Seen:
        seen: Seen = {}
        pages: dict[str, tuple[int, str]] = {}
        for i, m in enumerate(markers):
            url = path.format(code=m.code)
            if url not in pages:
                response = client.get(url)
                assert response.status_code in ((200, 404) if per_series else (200,)), url
                pages[url] = (response.status_code, response.content.decode())
            status, text = pages[url]
            seen[i, "series"] = status == 200 if per_series else m.code in text
            if releases:
                seen[i, "release"] = status == 200 and m.release_title in text
        return seen

    return check


def _home_whats_new(client: Client, markers: list[Marker]) -> Seen:
    """The home page's "What's new" lists only a few releases, so a release missing from it
    proves nothing: only a release that is listed is a cell (a leak when it may not be)."""
    response = client.get("/en/")
    assert response.status_code == 200
    text = response.content.decode()
    return {(i, "release"): True for i, m in enumerate(markers) if m.release_title in text}


def _related(getter: Callable[[Client, Dataset], str | None]) -> Interface:
    """The related series a dataset interface lists (nothing when it answers 404)."""

    def check(client: Client, markers: list[Marker]) -> Seen:
        listed: dict[int, str] = {}
        seen: Seen = {}
        for i, m in enumerate(markers):
            assert m.dataset is not None
            if m.dataset.pk not in listed:
                listed[m.dataset.pk] = getter(client, m.dataset) or ""
            seen[i, "related"] = m.code in listed[m.dataset.pk]
        return seen

    return check


def _dataset_page(client: Client, dataset: Dataset) -> str | None:
    response = client.get(f"/en/datasets/{dataset.slug}/")
    assert response.status_code in (200, 404)
    return response.content.decode() if response.status_code == 200 else None


def _rest_dataset(client: Client, dataset: Dataset) -> str | None:
    response = client.get(f"/api/v1/datasets/{dataset.slug}")
    assert response.status_code in (200, 404)
    return " ".join(response.json()["related_series"]) if response.status_code == 200 else None


def _ckan_package(client: Client, dataset: Dataset) -> str | None:
    response = client.get("/api/3/action/package_show", {"id": dataset.slug})
    body = response.json()
    if not body["success"]:
        return None
    extras = {e["key"]: e["value"] for e in body["result"]["extras"]}
    return str(extras.get("related_series", ""))


INTERFACES: dict[str, Interface] = {
    "obs_json_series": _obs_by_series,
    "obs_json_country": _all_rows(_json_rows, {"country": "KEN"}),
    "obs_json_release": _obs_by_release,
    "obs_json_release_all": _all_rows(_json_rows, {"country": "KEN", "release": "all"}),
    "obs_csv_country": _all_rows(_csv_rows, {"country": "KEN"}),
    "obs_csv_release_all": _all_rows(_csv_rows, {"country": "KEN", "release": "all"}),
    # time travel (sdg87.vintages): every vintage, and what changed since a date
    "obs_json_history": _all_rows(_json_rows, {"country": "KEN", "include_history": "true"}),
    "obs_json_updated_after": _all_rows(
        _json_rows, {"country": "KEN", "updated_after": "2000-01-01"}
    ),
    "obs_csv_history": _all_rows(_csv_rows, {"country": "KEN", "include_history": "true"}),
    "series_list": _series_list,
    "series_detail": _series_detail,
    # SDMX REST (sdg87.sdmx): the dataflow list and each flow's data
    "sdmx_dataflows": _sdmx_dataflows,
    "sdmx_data": _sdmx_data,
    "progress": _progress,
    "country_en": _page("/en/countries/KEN/"),
    "country_fr": _page("/fr/countries/KEN/"),
    "country_es": _page("/es/countries/KEN/"),
    "indicator_index": _page("/en/indicators/", releases=False),
    "indicator_page": _page("/en/indicators/{code}/", per_series=True),
    "indicator_map": _page("/en/indicators/{code}/?view=map", per_series=True),
    "indicator_embed": _page("/en/indicators/{code}/embed/", per_series=True),
    "home_whats_new": _home_whats_new,
    "dataset_page_related": _related(_dataset_page),
    "rest_dataset_related": _related(_rest_dataset),
    "ckan_package_related": _related(_ckan_package),
}


def _expected(marker: Marker, aspect: str, viewer: str) -> bool | None:
    if aspect == "related":
        # never listed to a viewer who may not see the data; listed to all once public
        if marker.may_list is None:
            return None
        if viewer not in marker.may_list:
            return False
        return True if marker.shown else None
    if aspect == "series":
        return marker.series_expected
    return marker.shown


# --- the matrix ---------------------------------------------------------------------------------

Cell = tuple[str, str, str]  # (state, viewer, interface)


def _client(users: dict[str, Any], viewer: str) -> Client:
    client = Client()
    if viewer != "anonymous":
        client.force_login(users[viewer])
    return client


def _check(
    users: dict[str, Any], viewer: str, interface: str, markers: list[Marker]
) -> dict[Cell, list[str]]:
    """Ask one interface as one viewer about every marker: the wrong answers per cell."""
    cache.clear()  # pages are cached by a data version that moves only on commit
    seen = INTERFACES[interface](_client(users, viewer), markers)
    wrong: dict[Cell, list[str]] = {(m.state, viewer, interface): [] for m in markers}
    for (index, aspect), shown in sorted(seen.items()):
        marker = markers[index]
        expected = _expected(marker, aspect, viewer)
        if expected is not None and shown is not expected:
            wrong[marker.state, viewer, interface].append(
                f"{marker.local} of {marker.release} {aspect}: " + ("shown" if shown else "hidden")
            )
    return wrong


def _report(failures: dict[Cell, list[str]]) -> str:
    lines = [f"{len(failures)} cells wrong:"]
    for cell, wrong in sorted(failures.items()):
        lines.append(f"  {'/'.join(cell)}: {'; '.join(wrong)}")
    return "\n".join(lines)


def _build(maker: Maker, states: list[str]) -> list[Marker]:
    markers: list[Marker] = []
    for state in states:
        built = STATES[state](maker)
        for m in built.markers:
            m.state = state
        markers += built.markers
    return markers


@pytest.fixture
def maker(users: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any) -> Maker:
    return Maker(users, org, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_statistics_visibility(viewer: str, maker: Maker, users: dict[str, Any]) -> None:
    """With a dataset in every state side by side, each interface shows the viewer each
    state's statistics exactly as an anonymous visitor may see them (and related series as
    the viewer may see the data): one cell per state and interface."""
    markers = _build(maker, list(STATES))
    failures: dict[Cell, list[str]] = {}
    for interface in INTERFACES:
        failures.update(_check(users, viewer, interface, markers))
    cells = len(failures)
    assert cells == len(STATES) * len(INTERFACES)
    failures = {cell: wrong for cell, wrong in failures.items() if wrong}
    print(f"\n{viewer}: {cells} cells checked")
    assert not failures, _report(failures)
