"""The documentation is tested: every public interface, setting and make target is documented,
and no page states the superseded "latest release of each series" rule (ADR 0005).

Docs are README.md and docs/**/*.md. Architecture decision records (docs/adr/) are history: they
may describe what they replaced, so the stale-rule check leaves them out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
CURRENT_DOCS = [p for p in DOC_FILES if "adr" not in p.relative_to(ROOT).parts]
# Routes outside the language prefix that are not interfaces of ours to document.
NOT_INTERFACES = ("admin/", "django-admin/", "documents/", "i18n/", "favicon.ico", "api/v1/")


def _docs_text(files: list[Path] = DOC_FILES) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _route_pattern(route: str) -> re.Pattern[str]:
    """A regex finding `/<route>` in prose: literal parts exactly, each parameter as any
    placeholder (`<name>`, `{name}`) or an example value (`BGD`, `svg`)."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).replace("\\.", ".")
    # optional parts (`(?:/<agency>)?`, a trailing `/?`) are written out in full
    route = route.replace("(?:", "").replace(")?", "").replace("/?$", "$")
    route = route.replace("^", "").replace("$", "")
    parts = re.split(r"<[^<>]+>|\{[^{}]+\}", route)
    parameter = r"(?:<[^<>\s]+>|\{[^{}\s]+\}|[\w~-]+)"
    body = parameter.join(re.escape(part) for part in parts)
    return re.compile(r"/" + body + r"(?![\w.<{/-])")


def _machine_routes() -> list[str]:
    """Every route served outside the language prefix (the machine interfaces), as written in
    the URL configuration, e.g. `dataset/<slug:slug>.jsonld`."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    def walk(patterns: list[Any], prefix: str) -> list[str]:
        routes = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if isinstance(pattern.pattern, LocalePrefixPattern):
                    continue  # the public pages
                routes += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                routes.append(prefix + str(pattern.pattern))
        return routes

    return [r for r in walk(get_resolver().url_patterns, "") if not r.startswith(NOT_INTERFACES)]


def test_the_route_pattern_is_precise() -> None:
    """Placeholders and examples match a parameter; a longer or different route does not."""
    pattern = _route_pattern("dataset/<slug:slug>.jsonld")
    assert pattern.search("`/dataset/<name>.jsonld`")
    assert pattern.search("curl /dataset/child-labour.jsonld")
    assert not pattern.search("/dataset/<name>.ttl")
    assert not _route_pattern("dataset/<slug:slug>").search("/dataset/<name>.jsonld")
    charts = _route_pattern(r"charts/^(?P<digest>[0-9a-f]{64})\.(?P<fmt>svg|png|vl\.json)$")
    assert charts.search("`/charts/<digest>.svg`")


def test_every_machine_url_is_documented() -> None:
    """CKAN, DCAT, datapackage, redirects and chart files: each route is in the docs."""
    text = _docs_text()
    routes = _machine_routes()
    assert "catalog.jsonld" in routes  # the walk finds the catalog's routes
    missing = [route for route in routes if not _route_pattern(route).search(text)]
    assert not missing, f"machine URLs missing from README.md and docs/: {missing}"


def test_every_rest_endpoint_is_in_the_api_reference() -> None:
    """Each path of the OpenAPI document is described in docs/api.md as `GET /datasets` or
    `POST /screenings` (a section heading or a sentence), not only mentioned in passing."""
    from config.api import api

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    paths = list(api.get_openapi_schema()["paths"])
    assert "/api/v1/observations" in paths
    missing = [
        path
        for path in paths
        if not re.search(
            "(?:GET|POST) " + _route_pattern(path.removeprefix("/api/v1/")).pattern, text
        )
    ]
    assert not missing, f"REST endpoints missing from docs/api.md: {missing}"


def test_every_ckan_action_is_documented() -> None:
    from sdg87.catalog.ckan.actions import ACTIONS

    text = _docs_text()
    assert "package_search" in ACTIONS
    missing = [name for name in sorted(ACTIONS) if not re.search(rf"`{name}`", text)]
    assert not missing, f"CKAN actions missing from README.md and docs/: {missing}"


def _environment_settings() -> set[str]:
    """SDG87_* variables read anywhere: config.env readers (`env_int("UPLOAD_MAX_ROWS", ...)`),
    literal os.environ reads, and shell `$SDG87_...` in scripts, the Makefile and CI."""
    names: set[str] = set()
    reader = re.compile(r"\benv_(?:str|bool|int|list)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
    literal = re.compile(r"\benviron(?:\.get\(|\[|\.setdefault\()\s*[\"'](SDG87_[A-Z0-9_]+)")
    shell = re.compile(r"\$\{?(SDG87_[A-Z0-9_]+)")
    python_files = [
        p
        for top in ("config", "sdg87", "tests", "bench")
        for p in (ROOT / top).rglob("*.py")
        if not ({"tests"} & set(p.relative_to(ROOT / top).parts[:-1])) or top == "tests"
    ]
    for path in python_files:
        text = path.read_text(encoding="utf-8")
        names |= {f"SDG87_{name}" for name in reader.findall(text)}
        names |= set(literal.findall(text))
    for path in [*(ROOT / "scripts").iterdir(), ROOT / "Makefile", ROOT / ".ci" / "run"]:
        if path.is_file():
            names |= set(shell.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_environment_setting_is_documented() -> None:
    names = _environment_settings()
    assert {"SDG87_DATABASE_URL", "SDG87_UPLOAD_MAX_ROWS", "SDG87_PYTHON"} <= names
    text = _docs_text()
    missing = sorted(name for name in names if not re.search(rf"\b{name}\b", text))
    assert not missing, f"SDG87_* settings missing from README.md and docs/: {missing}"


def _make_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE)
    assert phony is not None
    return phony.group(1).split()


def test_every_make_target_is_documented() -> None:
    """Each .PHONY target is named as `make <target>`, or in a row of the README's target
    table (`make prepare` / `migrate` / ...)."""
    targets = _make_targets()
    assert {"run", "test", "lock"} <= set(targets)
    text = _docs_text()
    table_rows = [line for line in text.splitlines() if line.startswith("| `make ")]
    missing = [
        target
        for target in targets
        if not re.search(rf"\bmake {target}\b", text)
        and not any(f"`{target}`" in row for row in table_rows)
    ]
    assert not missing, f"make targets missing from README.md and docs/: {missing}"


# The superseded rule (ADR 0005): the default view was the newest release of each series.
STALE_RULE = [
    r"\b(?:newest|latest|most recent) release (?:of|for|per|in) (?:each|every|a|the|that|its) "
    r"series\b",
    r"\bseries'?s? (?:own )?(?:newest|latest|most recent) release\b",
    r"\bper[- ]series (?:newest|latest)\b",
    r"\bonly the (?:newest|latest) release\b",
    r"\bthe (?:newest|latest) (?:one|release)\b.{0,5}\(the default view",
]


@pytest.mark.parametrize(
    ("text", "stale"),
    [
        ("the default view shows the latest release of each series", True),
        ("for each series with data in that series' newest release", True),
        ("`latest_release`: the newest one (the default view of `/observations`)", True),
        ("the newest release's value of each data point", False),
        ("the newest value of each data point (ADR 0005)", False),
        ("those of the newest release that has the series for that country", False),
    ],
)
def test_the_stale_rule_patterns(text: str, stale: bool) -> None:
    assert any(re.search(p, text, re.IGNORECASE) for p in STALE_RULE) is stale


def test_no_doc_states_the_superseded_latest_rule() -> None:
    """README, docs (not the ADRs, which are history) and the public OpenAPI text describe
    the newest value of each data point, never the newest release of each series."""
    from config.api import api

    sources = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in CURRENT_DOCS}
    sources["OpenAPI /api/v1/openapi.json"] = json.dumps(api.get_openapi_schema())
    found = [
        f"{name}: {match.group(0)!r}"
        for name, text in sources.items()
        for pattern in STALE_RULE
        for match in re.finditer(pattern, text, re.IGNORECASE)
    ]
    assert not found, "superseded latest rule (see docs/adr/0005):\n" + "\n".join(found)
