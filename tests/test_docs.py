"""The documents in the repository describe the repository as it is.

Every file or folder the README and docs/*.md name in backticks exists in the clone, every
relative link leads to a file in it, and the README points to nothing outside it (the design
map and the conventions live under docs/).
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

# Paths the documents name that the tools create when they run, not files of the clone.
GENERATED = {
    "bench/bench-small.sqlite3",
    "db.sqlite3",
    "media/",
    "staticfiles/",
}

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
FILE_NAME = re.compile(r".+\.(py|md|html|txt|toml|json|css|js|po|mo|cfg|sqlite3)")
TOP_LEVEL = {path.name for path in ROOT.iterdir() if not path.name.startswith(".")} | {".ci"}


def prose(document: Path) -> str:
    """The document without its fenced code blocks (commands and sample output)."""
    return FENCE.sub("", document.read_text(encoding="utf-8"))


def is_repo_path(text: str) -> bool:
    """Whether a backticked text names a file or folder of the repository.

    Addresses (`/grants/`), commands (anything with a space), patterns (`<slug>`, `*`, `…`) and
    dotted Python names are not paths; a path has a slash or a file extension and starts with a
    name that could be at the top of the repository.
    """
    if text.startswith(("/", "http", "$")) or "://" in text:
        return False
    if any(mark in text for mark in " <>*…{}=?$#@|,()"):
        return False
    if "/" not in text and not FILE_NAME.fullmatch(text):
        return False
    first = text.split("/")[0]
    if "/" not in text:
        # A bare file name: only those meant to be at the top (README.md, Makefile, …).
        return first in TOP_LEVEL or first.endswith((".md", ".toml"))
    return re.fullmatch(r"\.?[a-z_][a-z0-9_.-]*", first) is not None


def named_paths(document: Path) -> list[str]:
    return [text for text in INLINE_CODE.findall(prose(document)) if is_repo_path(text)]


MIGRATION = re.compile(r"([a-z_]+)/(\d{4})")


def exists(text: str) -> bool:
    """Whether the named path is in the clone; `plans/0004` names a migration of its app."""
    if text in GENERATED:
        return True
    migration = MIGRATION.fullmatch(text)
    if migration:
        app, number = migration.groups()
        return any((ROOT / app / "migrations").glob(f"{number}_*.py"))
    return (ROOT / text.rstrip("/")).exists()


def test_the_documents_exist():
    names = {document.relative_to(ROOT).as_posix() for document in DOCUMENTS}
    assert {
        "README.md",
        "docs/architecture.md",
        "docs/conventions.md",
        "docs/conventions-code.md",
        "docs/performance.md",
    } <= names


def test_the_check_recognises_paths_and_leaves_the_rest():
    assert is_repo_path("subsidies/workflow.py")
    assert is_repo_path("core/")
    assert is_repo_path("README.md")
    assert is_repo_path("tests/browser/")
    assert not is_repo_path("/grants/review/")
    assert not is_repo_path("/districts/<slug>/")
    assert not is_repo_path("make bench")
    assert not is_repo_path("core.search")
    assert not is_repo_path("redis://host:6379/1")
    assert not is_repo_path("bench/results-<scale>.json")
    assert exists("plans/0004") and not exists("plans/0999")
    assert not exists("subsidies/workflows.py")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_path_named_exists(document):
    named = named_paths(document)
    missing = [text for text in named if not exists(text)]
    assert not missing, f"{document.name} names paths that are not in the repository: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_leads_into_the_repository(document):
    broken = []
    for target in LINK.findall(prose(document)):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = (document.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            broken.append(target)
    assert not broken, f"{document.name} links to what the repository does not hold: {broken}"


def test_the_architecture_names_real_paths():
    # The map is only useful if it names the files it maps.
    assert len(named_paths(ROOT / "docs" / "architecture.md")) >= 30


def test_the_readme_points_inside_the_repository():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in text
    assert "shared/DESIGN.md" not in text and "shared/STYLE.md" not in text
    links = LINK.findall(text)
    assert "docs/architecture.md" in links
    assert "docs/conventions-code.md" in links
    assert "docs/performance.md" in links


def bench_tables() -> str:
    """The tables `scripts/bench.py --table bench/results-large.json` prints."""
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = json.loads((ROOT / "bench" / "results-large.json").read_text(encoding="utf-8"))
    return module.markdown(results)


def test_the_performance_note_holds_the_latest_large_run():
    performance = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    printed = [line for line in bench_tables().splitlines() if line.strip()]
    assert any(line.startswith("| District page (busiest) |") for line in printed)
    missing = [line for line in printed if line not in performance]
    assert not missing, f"docs/performance.md lacks what the script prints: {missing[:3]}"


def test_the_readme_summary_agrees_with_the_latest_large_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tables = bench_tables()
    targets = next(line for line in tables.splitlines() if line.startswith("Targets:"))
    measured = re.findall(r"measured ([\d.]+ ms|\d+%)", targets)
    assert len(measured) == 2
    for figure in measured:
        assert f"| {figure} |" in readme, figure
    assert "make bench" in readme
    # The tables themselves live in docs/performance.md, not in the README.
    assert "| Calendar feed (city) |" not in readme
