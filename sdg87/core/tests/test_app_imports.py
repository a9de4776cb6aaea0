"""Imports between the sdg87 apps go one way: no two apps import each other, directly or
through others (issue 8 item 4).

Every module under sdg87/ is read with `ast` (not imported), except tests and migrations;
imports inside functions and under TYPE_CHECKING count too, because they are dependencies all
the same. A module belongs to the app named by its first package under sdg87 (`sdg87.geo.x`
-> geo); `sdg87/cli.py` is its own node.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

import sdg87

ROOT = Path(sdg87.__file__).resolve().parent

# The REST API is the interface layer: it depends on the domain apps, never the reverse.
INTERFACE_APPS = {"api"}

Edge = tuple[str, str]  # (importing module, imported module): one example per app pair


def _skipped(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return (
        "tests" in parts
        or "migrations" in parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
    )


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["sdg87", *parts])


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "sdg87" or len(parts) < 2:
        return None
    return parts[1]


def _imported(tree: ast.AST, *, module: str, is_package: bool) -> Iterator[str]:
    """Absolute names of everything `module` imports (relative imports resolved)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target
            # `from sdg87 import geo` imports the app itself
            yield from (f"{target}.{alias.name}" for alias in node.names if target == "sdg87")


def app_import_graph(root: Path = ROOT) -> dict[str, dict[str, Edge]]:
    """{app: {imported app: (an importing module, the module it imports)}}."""
    graph: dict[str, dict[str, Edge]] = defaultdict(dict)
    for path in sorted(root.rglob("*.py")):
        if _skipped(path, root):
            continue
        module = _module_name(path, root)
        app = _app_of(module)
        if app is None:
            continue
        graph.setdefault(app, {})
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name in _imported(tree, module=module, is_package=path.name == "__init__.py"):
            other = _app_of(name)
            if other is not None and other != app and (root / other).exists():
                graph[app].setdefault(other, (module, name))
    return dict(graph)


def strongly_connected(graph: Mapping[str, Mapping[str, Edge]]) -> list[frozenset[str]]:
    """Components of more than one app (Tarjan): each holds at least one import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycle_path(graph: Mapping[str, Mapping[str, Edge]], component: frozenset[str]) -> str:
    """One cycle inside `component`, each step with the import that makes it:
    `a -> b (sdg87.a.x imports sdg87.b.y) -> a (...)`."""
    start = min(component)
    # breadth-first from start back to start, staying inside the component
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph.get(node, {})):
            if nxt not in component:
                continue
            if nxt == start:
                steps = [*paths[node], start]
                return " -> ".join(
                    step if i == 0 else f"{step} ({' imports '.join(graph[steps[i - 1]][step])})"
                    for i, step in enumerate(steps)
                )
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start} in {sorted(component)}")


def _report(graph: Mapping[str, Mapping[str, Edge]], cycles: list[frozenset[str]]) -> str:
    return "import cycles between apps:\n" + "\n".join(
        f"- {{{', '.join(sorted(c))}}}: {cycle_path(graph, c)}" for c in cycles
    )


def test_cycle_finder_on_a_small_graph() -> None:
    """The finder reports a two-app and a three-app cycle with the imports behind each step,
    and nothing for a one-way chain."""
    graph: dict[str, dict[str, Edge]] = {
        "a": {"b": ("sdg87.a.x", "sdg87.b.y")},
        "b": {"a": ("sdg87.b.y", "sdg87.a.z"), "c": ("sdg87.b.y", "sdg87.c")},
        "c": {"d": ("sdg87.c.m", "sdg87.d.n")},
        "d": {"e": ("sdg87.d.n", "sdg87.e")},
        "e": {"c": ("sdg87.e.k", "sdg87.c.m")},
        "f": {"a": ("sdg87.f", "sdg87.a")},
    }
    cycles = strongly_connected(graph)
    assert sorted(map(sorted, cycles)) == [["a", "b"], ["c", "d", "e"]]
    assert cycle_path(graph, frozenset({"a", "b"})) == (
        "a -> b (sdg87.a.x imports sdg87.b.y) -> a (sdg87.b.y imports sdg87.a.z)"
    )
    assert strongly_connected({"a": {"b": ("x", "y")}, "b": {}}) == []


def test_relative_and_lazy_imports_count(tmp_path: Path) -> None:
    """Relative imports are resolved against the package, imports inside functions count,
    and tests and migrations are left out."""
    (tmp_path / "geo").mkdir()
    (tmp_path / "geo" / "__init__.py").write_text("")
    (tmp_path / "geo" / "loaders.py").write_text(
        "def run():\n    from ..indicators import services\n"
    )
    (tmp_path / "geo" / "tests").mkdir()
    (tmp_path / "geo" / "tests" / "test_x.py").write_text("import sdg87.catalog\n")
    (tmp_path / "indicators").mkdir()
    (tmp_path / "indicators" / "__init__.py").write_text("from sdg87 import geo\n")
    (tmp_path / "catalog").mkdir()
    graph = app_import_graph(tmp_path)
    assert graph["geo"] == {"indicators": ("sdg87.geo.loaders", "sdg87.indicators")}
    assert graph["indicators"] == {"geo": ("sdg87.indicators", "sdg87.geo")}


def test_no_cycles() -> None:
    """No two apps import each other, directly or through other apps."""
    graph = app_import_graph()
    cycles = strongly_connected(graph)
    assert not cycles, _report(graph, cycles)


def test_domain_apps_do_not_import_the_api() -> None:
    """The REST API (sdg87.api) is imported by no other app: routers live in sdg87/api/routers
    and depend on the domain apps, one way."""
    graph = app_import_graph()
    offenders = {
        app: edges[interface]
        for app, edges in graph.items()
        for interface in INTERFACE_APPS
        if interface in edges and app not in INTERFACE_APPS
    }
    assert not offenders, offenders
