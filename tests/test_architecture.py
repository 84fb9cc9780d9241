"""The shape of the code, read with `ast` (docs/architecture.md): layering, the file set of every feature app,
module size, and no imports inside functions outside a short allow-list with reasons."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from participation.apps import FeatureAppConfig

ROOT = Path(__file__).resolve().parent.parent
CORE = "participation"
SHELL = ("home", "accounts")
FEATURE_APPS = ("petitions", "budgets", "consultations")
VECHE_APPS = (CORE, *SHELL, *FEATURE_APPS, "cms")

# Every feature app has these, so you always know your room (docs/architecture.md).
FEATURE_FILES = (
    "models",
    "rules",
    "services",
    "queries",
    "opendata",
    "forms",
    "views",
    "admin",
    "wagtail_hooks",
    "tasks",
    "demo",
)
# `signals.py` too, when the app listens to a Wagtail event it does not own (never an empty module).

MAX_LINES = 400
# Modules allowed to be longer, each with its reason. None today: budgets' outcome rules, the one candidate,
# are split by concern inside budgets/counting/ (election, greedy, mes_run, mes).
SIZE_EXCEPTIONS: set[str] = set()

# Imports inside functions that remain, each with its reason. Everything else imports at the top.
INNER_IMPORT_ALLOWED = {
    ("home/apps.py", "wagtailgeowidget"): "wagtailgeowidget.widgets calls gettext when imported, so it can be "
    "imported only once the app registry is ready (AppConfig.ready)",
}


def python_files(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or ".venv" in path.parts:
                continue
            yield path


def rel(path):
    return path.relative_to(ROOT).as_posix()


def top_level_app(module):
    return module.split(".")[0] if module else ""


def imported_modules(tree, path):
    """Absolute names of every module `tree` imports (relative imports resolved against `path`)."""
    package = rel(path)[:-3].replace("/", ".").split(".")
    if package[-1] != "__init__":
        package = package[:-1]
    else:
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield node, ".".join(base + ([node.module] if node.module else []))
            else:
                yield node, node.module or ""


def app_imports(app):
    found = {}
    for path in python_files(app):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node, module in imported_modules(tree, path):
            target = top_level_app(module)
            if target in VECHE_APPS and target != app:
                found.setdefault(target, []).append(f"{rel(path)}:{node.lineno} imports {module}")
    return found


def test_the_core_imports_no_veche_app():
    assert app_imports(CORE) == {}


def test_the_shell_imports_only_the_core():
    for app in SHELL:
        allowed = {CORE} | ({"home"} if app == "accounts" else set())
        offending = {target: lines for target, lines in app_imports(app).items() if target not in allowed}
        assert offending == {}, f"{app} imports {offending}"


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_feature_apps_do_not_import_one_another(app):
    offending = {target: lines for target, lines in app_imports(app).items() if target in FEATURE_APPS}
    assert offending == {}


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_every_feature_app_has_the_same_files(app):
    missing = [name for name in FEATURE_FILES if not ((ROOT / app / f"{name}.py").exists() or (ROOT / app / name / "__init__.py").exists())]
    assert missing == [], f"{app} lacks {missing} (docs/architecture.md lists what each holds)"


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_pages_route_through_views(app):
    """Routes on a page are one-line stubs calling views.py: no `routes.py`, no `admin_views.py`."""
    assert not (ROOT / app / "routes.py").exists()
    assert not (ROOT / app / "admin_views.py").exists()


def test_no_module_is_over_400_lines():
    too_long = []
    for path in python_files(*VECHE_APPS):
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES and rel(path) not in SIZE_EXCEPTIONS:
            too_long.append(f"{rel(path)}: {lines}")
    assert too_long == []


def test_the_size_exceptions_still_exist():
    for name in SIZE_EXCEPTIONS:
        assert (ROOT / name).exists(), f"{name} is listed as an exception but does not exist"


def inner_imports():
    for path in python_files(*VECHE_APPS, "tests", "bench", "scripts"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        yield rel(path), alias.name, node.lineno
                elif isinstance(node, ast.ImportFrom):
                    yield rel(path), ("." * node.level) + (node.module or ""), node.lineno


def test_no_imports_inside_functions_outside_the_allow_list():
    found = [f"{path}:{line} imports {module}" for path, module, line in inner_imports() if (path, module) not in INNER_IMPORT_ALLOWED]
    assert found == [], "import at the top of the module, or add it to INNER_IMPORT_ALLOWED with its reason"
    assert len(INNER_IMPORT_ALLOWED) <= 10


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def module_graph():
    """Module -> the Veche modules it imports at module level (what runs when it is imported)."""
    paths = {module_name(path): path for path in python_files(*VECHE_APPS)}
    graph = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        edges = set()
        for node in tree.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for _node, target in imported_modules(ast.Module(body=[node], type_ignores=[]), path):
                if isinstance(node, ast.ImportFrom):
                    for alias in node.names:
                        if f"{target}.{alias.name}" in paths:
                            edges.add(f"{target}.{alias.name}")
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    """No module imports (directly or through others) a module that imports it: models never import views."""
    assert cycles(module_graph()) == []


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_feature_apps_use_the_core_app_config(app):
    """Their `ready()` comes from participation.apps.FeatureAppConfig: rules, signals and views loaded there."""
    config = apps.get_app_config(app)
    assert isinstance(config, FeatureAppConfig), f"Django chose {type(config).__name__} for {app}"
    assert config.views.__name__ == f"{app}.views"


def test_no_second_source_of_translations():
    """The .po files are the one source of UI translations."""
    assert not list(ROOT.glob("*/locale/translations.py"))
