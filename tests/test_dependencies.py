"""The house's one-way streets (DESIGN.md, "Apps"): every import inside `lotus/`, including
imports made inside functions, runs down the order

    core <- accounts <- practitioners <- cases <- case apps <- insights, portal, api

and no two modules import each other, directly or round a longer circle. The imports are
read with `ast` from the source, so an import hidden in a function counts the same as
one at the top of a module. docs/adr/0018-decision-hooks-and-dependency-order.md says why.
"""

import ast
import functools
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "lotus"

#: Each app's floor. An app may import apps on a lower floor, and peers on its own floor
#: (the case apps sit side by side) as long as no circle forms. `audit` is called by
#: services everywhere and calls no one above `core`; `toolkit` depends only on `core` and
#: `accounts`; `config`, `nonprod` and `ops` wire the whole house together, so they sit on top.
FLOORS = {
    "core": 0,
    "audit": 0,
    "accounts": 1,
    "toolkit": 2,
    "practitioners": 2,
    "cases": 3,
    "triage": 4,
    "panels": 4,
    "letters": 4,
    "support": 4,
    "improvement": 4,
    "learning": 4,
    "insights": 5,
    "portal": 5,
    "api": 5,
    "config": 9,
    "nonprod": 9,
    "ops": 9,
}

#: Imports DESIGN.md allows outright besides the floors: the toolkit stands apart, and no
#: app imports it but the ones on top and `insights` (which counts its use).
MAY_IMPORT_TOOLKIT = {"toolkit", "insights", "api", "config", "nonprod", "ops"}

#: Between peers on the case-app floor, the one direction chosen in ADR 0018: letters
#: reads panel decisions; panels never imports letters.
FORBIDDEN = {("panels", "letters")}

#: Imports against the order that issue 19 did not name, each still to be turned round
#: (with a hook, or by moving the code a floor). Listed so the house cannot get worse:
#: any new offence fails, and so does an entry here once it is fixed, so the list only
#: shrinks.
KNOWN_OFFENCES = {
    # the case page lists the case's letters: a lotus.cases.hooks panel would turn it round
    ("lotus.cases.presenters", "lotus.letters.selectors"),
    # the practitioner's page lists their cases
    ("lotus.practitioners.views", "lotus.cases.selectors"),
    # an occupational health referral asks for consent through the portal
    ("lotus.support.services.health", "lotus.portal"),
    ("lotus.support.services.health", "lotus.portal.services"),
    # the triage calibration page uses the agreement statistics (pure; they belong lower)
    ("lotus.triage.views.second", "lotus.insights.agreement"),
    # peers in a circle: support reads performance plans, and improvement refreshes support's attention flags
    ("lotus.improvement.services", "lotus.support.services"),
}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: pathlib.Path, *, source: str | None = None) -> set[str]:
    """Every `lotus.` module the file imports, wherever the import statement sits."""
    text = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text, filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from lotus.core import views` imports the module lotus.core.views
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "lotus" or name.startswith("lotus.")}


@functools.cache
def _graph() -> dict[str, frozenset[str]]:
    files = [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts]
    modules = {_module_name(p): p for p in files}
    graph = {}
    for name, path in modules.items():
        graph[name] = frozenset(target for target in _imports(path) if target in modules and target != name)
    return graph


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _floor_offences(graph, *, known=KNOWN_OFFENCES) -> list[str]:
    offences = []
    for source, targets in sorted(graph.items()):
        source_app = _app(source)
        for target in sorted(targets):
            target_app = _app(target)
            if not source_app or not target_app or source_app == target_app or (source, target) in known:
                continue
            if source_app not in FLOORS or target_app not in FLOORS:
                offences.append(f"{source} -> {target}: app not placed in FLOORS")
            elif target_app == "toolkit" and source_app not in MAY_IMPORT_TOOLKIT:
                offences.append(f"{source} -> {target}: only insights and the top floor use the toolkit")
            elif FLOORS[target_app] > FLOORS[source_app]:
                offences.append(f"{source} -> {target}: {source_app} is below {target_app}")
            elif (source_app, target_app) in FORBIDDEN:
                offences.append(f"{source} -> {target}: {target_app} depends on {source_app}, not the reverse")
    return offences


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _app_cycles(graph) -> list[list[str]]:
    apps: dict[str, set[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            if _app(source) != _app(target) and (source, target) not in KNOWN_OFFENCES:
                apps.setdefault(_app(source), set()).add(_app(target))
    return _cycles(apps)


def test_imports_run_down_the_floors_of_the_house():
    assert _floor_offences(_graph()) == []


def test_no_two_apps_import_each_other_round_a_circle():
    assert _app_cycles(_graph()) == []


def test_the_known_offences_are_still_there_until_someone_fixes_them():
    graph = _graph()
    fixed = sorted((source, target) for source, target in KNOWN_OFFENCES if target not in graph.get(source, ()))
    assert fixed == [], "Take these from KNOWN_OFFENCES: they no longer happen"


def test_no_two_modules_of_different_apps_import_each_other_round_a_circle():
    crossing = [cycle for cycle in _cycles(_graph()) if len({_app(module) for module in cycle}) > 1]
    assert crossing == []


def test_the_ground_floor_has_no_circle_inside_it():
    assert [cycle for cycle in _cycles(_graph()) if _app(cycle[0]) == "core"] == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("lotus.panels.services", "lotus.letters"),
        ("lotus.panels.services", "lotus.portal"),
        ("lotus.letters.services", "lotus.panels.services"),
        ("lotus.core.middleware", "lotus.core.views"),
        ("lotus.core.views", "lotus.accounts"),
        ("lotus.panels.selectors", "lotus.portal"),
        ("lotus.panels.views", "lotus.letters"),
    ],
)
def test_the_circles_named_in_issue_19_stay_broken(source, target):
    imported = _graph()[source]
    assert not [name for name in imported if name == target or name.startswith(target + ".")]


def test_the_checker_sees_imports_made_inside_functions():
    """The circle issue 19 found hid its imports inside functions; they count."""
    graph = {"lotus.panels.services": {"lotus.letters.services"}, "lotus.letters.services": set()}
    assert _floor_offences(graph) == [
        "lotus.panels.services -> lotus.letters.services: letters depends on panels, not the reverse"
    ]
    path = ROOT / "panels" / "services.py"
    source = "def later():\n    from lotus.portal.services import consent_request_open\n"
    tree_imports = _imports_from_source(source, path)
    assert "lotus.portal.services" in tree_imports


def _imports_from_source(source: str, path: pathlib.Path) -> set[str]:
    return _imports(path, source=source)
