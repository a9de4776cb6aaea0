"""The real `ckanapi` client (Python RemoteCKAN and its command line) against a live server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest


@pytest.mark.live
def test_ckanapi_python_and_cli_against_live_server(live_catalog):
    """RemoteCKAN reads, searches (paging until an empty page), writes with a token and maps
    errors to its exception classes; `ckanapi action` and `ckanapi search datasets` work."""
    catalog, url = live_catalog
    anonymous = ckanapi.RemoteCKAN(url)
    assert anonymous.action.status_show()["api_version"] == 3
    names = anonymous.action.package_list()
    assert {"zz-public", "zz-metadata-only"} <= set(names) and "zz-draft" not in names
    package = anonymous.action.package_show(id="zz-public")
    assert package["organization"]["name"] == "zz-test-ministry"
    assert anonymous.action.package_search(fq="organization:zz-test-ministry")["count"] == 2
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="zz-org-only")
    with pytest.raises(ckanapi.SearchQueryError):
        anonymous.action.package_search(fq="author:x")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_patch(id="zz-public", title="nope")

    contributor = ckanapi.RemoteCKAN(url, apikey=catalog.contributor_token)
    created = contributor.action.package_create(
        name="zz-from-ckanapi",
        title="From ckanapi",
        owner_org="zz-test-ministry",
        tags=[{"name": "zz-client"}],
    )
    assert created["state"] == "draft"
    with pytest.raises(ckanapi.ValidationError):
        contributor.action.package_create(name="zz-no-title", owner_org="zz-test-ministry")
    editor = ckanapi.RemoteCKAN(url, apikey=catalog.editor_token)
    assert editor.action.package_patch(id="zz-public", title="Patched")["title"] == "Patched"

    cli = [str(Path(sys.executable).with_name("ckanapi"))]
    shown = subprocess.run(
        [*cli, "action", "package_show", "id=zz-public", "-r", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(shown.stdout)["title"] == "Patched"
    searched = subprocess.run(
        [*cli, "search", "datasets", "fq=organization:zz-test-ministry", "-r", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = sorted(json.loads(line)["name"] for line in searched.stdout.splitlines() if line)
    assert found == ["zz-metadata-only", "zz-public"]
