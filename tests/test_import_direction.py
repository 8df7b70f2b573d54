"""Imports run one way: each layer imports itself and the layers below it, never one above.

The layers, lowest first, as today's code depends on them::

    core → districts → organizations → plans → subsidies → demo → kyodo_portal

``core`` is what no domain owns and imports no domain app. ``organizations`` imports
``districts`` (a group works in districts, an officer sits on a council); ``plans`` imports both
(a plan is a district's, an initiative names groups and fields); ``subsidies`` imports all three
(an application is a council's, its report reads the plan's indicators); ``demo`` reads the demo
city's data files into tuples checked against the apps' choices; ``kyodo_portal``, the project
layer, composes the apps (the district page, the demo commands, the accounts pages). Nothing
imports back.

Every ``import``/``from … import`` counts, including those inside functions, and so does
``importlib.import_module("…")`` with a literal name. A model named by its label — a
``"districts.District"`` foreign key, ``apps.get_model("plans", "Plan")``, the admin's and the
permission table's model labels — is not an import and is not checked. Tests, migrations and the
entry points outside the packages (manage.py, scripts/, gunicorn.conf.py) are not layers: they
may import any layer, and no layer may import them.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("core", "districts", "organizations", "plans", "subsidies", "demo", "kyodo_portal")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
# Entry points (manage.py, scripts/ …) and tests sit above every layer.
TOP = len(LAYERS)
SKIPPED_DIRS = {"tests", "migrations", ".venv", "node_modules", "__pycache__"}


def project_top_names(root: Path) -> set[str]:
    """The first names of the modules the repository itself provides."""
    names = set()
    for entry in root.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and any(entry.rglob("*.py")):
            names.add(entry.name)
        elif entry.suffix == ".py":
            names.add(entry.name.removesuffix(".py"))
    return names


def source_files(root: Path) -> list[Path]:
    """Every .py file outside tests, migrations and the installed packages."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not any(
            part in SKIPPED_DIRS or part.startswith(".")
            for part in path.relative_to(root).parts[:-1]
        )
    )


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted module name of a file, and whether it is a package's __init__."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def imported_modules(tree: ast.AST, module: str, is_package: bool):
    """(line, absolute module name) for every import in the tree, at any depth."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            yield node.lineno, target
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield node.lineno, first.value


def rank_of(name: str, project_names: set[str]) -> int | None:
    """The layer of a module; None for a module from outside the repository."""
    top = name.split(".")[0]
    if top in RANK:
        return RANK[top]
    if top in project_names:
        return TOP
    return None


def upward_imports(
    source: str, module: str, *, is_package: bool = False, project_names=frozenset(LAYERS)
) -> list[tuple[int, str]]:
    """(line, target) for each import of a layer above the module's own."""
    own = rank_of(module, set(project_names))
    if own is None or own == TOP:
        return []
    found = []
    for line, target in imported_modules(ast.parse(source), module, is_package):
        target_rank = rank_of(target, set(project_names))
        if target_rank is not None and target_rank > own:
            found.append((line, target))
    return found


def test_no_layer_imports_a_layer_above_it():
    project_names = project_top_names(ROOT)
    files = source_files(ROOT)
    scanned = {layer: 0 for layer in LAYERS}
    problems = []
    for path in files:
        module, is_package = module_name(path, ROOT)
        layer = module.split(".")[0]
        if layer in scanned:
            scanned[layer] += 1
        source = path.read_text(encoding="utf-8")
        for line, target in upward_imports(
            source, module, is_package=is_package, project_names=project_names
        ):
            problems.append(f"{path.relative_to(ROOT)}:{line} → {target}")
    # The walk reached every layer, so an empty list below means something.
    assert all(scanned.values()), scanned
    assert problems == [], "Upward imports:\n" + "\n".join(problems)


def test_an_import_inside_a_function_is_caught():
    source = (
        "from core.roles import sees_all_districts\n"
        "\n"
        "def districts_in_scope(user):\n"
        "    from districts.models import District\n"
        "    return District.objects.all()\n"
    )
    assert upward_imports(source, "core.admin_scope") == [(4, "districts.models")]


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        # A left app importing a right one.
        ("import plans.models\n", "organizations.models", [(1, "plans.models")]),
        # An app importing the project layer, through importlib.
        (
            "import importlib\n"
            "def f():\n"
            "    return importlib.import_module('kyodo_portal.search')\n",
            "subsidies.views",
            [(3, "kyodo_portal.search")],
        ),
        # An app importing an entry point or the tests.
        ("from tests.factories import UserFactory\n", "plans.admin", [(1, "tests.factories")]),
        # Downward, sideways within the app, relative and third-party imports are fine.
        (
            "from django.db import models\n"
            "from core.dates import fiscal_year\n"
            "from districts.models import District\n"
            "from . import selectors\n"
            "from .models import Plan\n",
            "plans.views",
            [],
        ),
    ],
)
def test_upward_imports_are_told_apart(source, module, expected):
    names = {*LAYERS, "tests", "scripts"}
    assert upward_imports(source, module, project_names=names) == expected


def test_a_relative_import_is_read_from_its_package():
    tree = ast.parse("from .. import models\nfrom ..services import decisions\n")
    found = list(imported_modules(tree, "subsidies.views.coordinator", is_package=False))
    assert found == [(1, "subsidies"), (2, "subsidies.services")]
