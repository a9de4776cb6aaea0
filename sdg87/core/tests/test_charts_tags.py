"""`{% chart %}` renders a figure usable without JavaScript; chart files are served by hash."""

import re

import pytest
from django.template import engines

from sdg87.core.charts import line_chart, world_map

pytestmark = pytest.mark.urls("sdg87.core.tests.urls")

ROWS = [
    {"geo": "World", "year": 2000, "value": 16.0, "nature": "G"},
    {"geo": "World", "year": 2020, "value": 9.6, "nature": "G"},
]


def _digest(html: str, pattern: str) -> str:
    match = re.search(pattern, html)
    assert match is not None
    return match.group(1)


def _render(source, **context):
    return engines["django"].from_string("{% load charts %}" + source).render(context)


def _spec():
    return line_chart(
        ROWS, title="Child labour", description="Share of children.", x_title="Year", y_title="%"
    )


def test_chart_tag_outputs_figure_svg_table_and_links(chart_dir):
    """Figure is focusable, SVG is labelled, table has caption and scoped headers, links exist."""
    html = _render(
        '{% chart spec columns=cols csv_url="/d.csv" json_url="/d.json" id="cl" %}',
        spec=_spec(),
        cols=[("geo", "Geography"), ("year", "Year"), ("value", "Value")],
    )
    assert '<figure class="chart" id="cl" tabindex="0"' in html
    assert 'role="img" aria-labelledby="cl-title cl-desc"' in html
    assert '<title id="cl-title">Child labour</title>' in html
    assert "<figcaption" in html and "Share of children." in html
    assert '<details class="chart-table">' in html and "<caption>Child labour</caption>" in html
    assert '<th scope="col">Geography</th>' in html and '<th scope="row">World</th>' in html
    assert 'href="/d.csv"' in html and 'href="/d.json"' in html
    digest = _digest(html, r'data-spec="/charts/([0-9a-f]{64})\.vl\.json"')
    assert f'href="/charts/{digest}.svg"' in html and f'href="/charts/{digest}.png"' in html
    assert "Embed this chart" in html and "&lt;img src=" in html
    assert "<script" not in html and "style=" not in html


def test_chart_tag_default_table_from_spec_and_map_usermeta(chart_dir):
    """Without table=, the table comes from the spec data (for maps: the joined values)."""
    html = _render("{% chart spec %}", spec=_spec())
    assert "<td>9.6</td>" in html
    spec = world_map(
        [{"m49": "404", "name": "Kenya", "value": 27.5, "year": 2019}],
        title="Map",
        description="D",
        legend_title="%",
    )
    html = _render(
        "{% chart spec columns=cols %}",
        spec=spec,
        cols=[{"key": "name", "label": "Country"}, {"key": "value", "label": "%"}],
    )
    assert '<th scope="row">Kenya</th><td>27.5</td>' in html


def test_chart_tag_survives_render_failure(chart_dir, monkeypatch):
    """A chart that cannot be drawn still shows its table and an explanation."""
    from sdg87.core.templatetags import charts

    def boom(spec):
        raise RuntimeError("no renderer")

    monkeypatch.setattr(charts, "render_svg", boom)
    html = _render("{% chart spec %}", spec=_spec())
    assert "chart-missing" in html and "<table>" in html


def test_chart_script_tag_points_at_vendored_files():
    html = _render("{% chart_script %}")
    assert 'src="/static/src/charts.js" defer' in html
    assert 'data-vega-interpreter="/static/vendor/vega-interpreter/' in html


@pytest.mark.parametrize(
    ("fmt", "ctype"),
    [("svg", "image/svg+xml"), ("png", "image/png"), ("vl.json", "application/json")],
)
@pytest.mark.django_db
def test_chart_download_view_serves_rendered_chart(client, chart_dir, fmt, ctype):
    html = _render("{% chart spec %}", spec=_spec())
    digest = _digest(html, r"/charts/([0-9a-f]{64})\.svg")
    response = client.get(f"/charts/{digest}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == ctype
    assert "immutable" in response["Cache-Control"]


@pytest.mark.django_db
def test_chart_download_view_404_for_unknown_hash(client, chart_dir):
    assert client.get("/charts/" + "0" * 64 + ".svg").status_code == 404
    assert client.get("/charts/" + "0" * 64 + ".png").status_code == 404
    assert client.get("/charts/not-a-hash.svg").status_code == 404


def test_chart_inline_is_only_the_labelled_svg(chart_dir):
    """For sparklines in table cells: a labelled SVG, no figure, table or links."""
    from sdg87.core.charts import sparkline

    spec = sparkline(
        [{"year": 2000, "value": 16.0}, {"year": 2020, "value": 9.6}],
        title="Trend",
        description="From 16.0 to 9.6",
    )
    html = _render('{% chart_inline spec id="s1" %}', spec=spec)
    assert html.startswith('<span class="chart-inline"><svg')
    assert 'aria-labelledby="s1-title s1-desc"' in html and "<figure" not in html
