"""A page does not wait for the chart engine: a chart not yet in the chart store is shown as an
image of /charts/<hash>.svg, which its first request draws from the stored spec."""

import re

import pytest
from django.template import engines

from sdg87.core.charts import line_chart, world_map
from sdg87.core.charts.render import charts_drawn_inline, memory_clear

pytestmark = pytest.mark.urls("sdg87.core.tests.urls")

ROWS = [
    {"geo": "World", "year": 2000, "value": 16.0, "nature": "G"},
    {"geo": "World", "year": 2020, "value": 9.6, "nature": "G"},
]
IMAGE = re.compile(r'<div class="chart-svg"><img src="/charts/([0-9a-f]{64})\.svg" alt="([^"]*)">')


def _render(spec):
    template = engines["django"].from_string('{% load charts %}{% chart spec id="c" %}')
    return template.render({"spec": spec})


def _line():
    return line_chart(
        ROWS, title="Child labour", description="Share of children.", x_title="Year", y_title="%"
    )


@pytest.fixture
def deferring(settings, chart_dir):
    settings.SDG87_CHART_DEFER = True
    return chart_dir


def test_a_chart_not_drawn_yet_is_an_image_with_its_table_and_spec(deferring):
    html = _render(_line())
    found = IMAGE.search(html)
    assert found is not None, html[:500]
    digest, alt = found.groups()
    assert alt == "Child labour. Share of children."
    assert "<svg" not in html  # nothing drawn while the page waited
    assert '<th scope="row">World</th>' in html and "<td>9.6</td>" in html  # the table
    assert f'data-spec="/charts/{digest}.vl.json"' in html
    assert (deferring / f"{digest}.vl.json").exists()
    assert not (deferring / f"{digest}.svg").exists()


def _digest(html: str) -> str:
    found = IMAGE.search(html)
    assert found is not None, "the page shows no deferred chart image"
    return found.group(1)


def test_the_image_request_draws_the_chart_and_the_next_page_inlines_it(client, deferring):
    digest = _digest(_render(_line()))
    response = client.get(f"/charts/{digest}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    assert (deferring / f"{digest}.svg").exists()
    memory_clear()
    html = _render(_line())
    assert IMAGE.search(html) is None
    assert 'role="img" aria-labelledby="c-title c-desc"' in html


def test_a_map_is_drawn_under_the_hash_its_page_showed(client, deferring):
    """A spec read back from the store no longer holds the bundled topology object: the
    drawing keeps the page's hash rather than hashing the spec again."""
    spec = world_map(
        [{"m49": "404", "name": "Kenya", "value": 27.5, "year": 2019}],
        title="Map",
        description="Latest values.",
        legend_title="%",
    )
    digest = _digest(_render(spec))
    assert client.get(f"/charts/{digest}.svg").status_code == 200
    assert (deferring / f"{digest}.svg").exists()
    assert sorted(p.name for p in deferring.glob("*.svg")) == [f"{digest}.svg"]


def test_the_warm_up_draws_charts_before_the_page_is_sent(deferring):
    with charts_drawn_inline():
        html = _render(_line())
    assert IMAGE.search(html) is None and "<svg" in html
    assert len(list(deferring.glob("*.svg"))) == 1


def test_with_deferring_off_the_page_draws_the_chart(settings, chart_dir):
    settings.SDG87_CHART_DEFER = False
    assert IMAGE.search(_render(_line())) is None


def test_an_unknown_hash_is_still_not_drawn(client, deferring, db):
    assert client.get("/charts/" + "1" * 64 + ".svg").status_code == 404
