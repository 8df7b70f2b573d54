"""The pieces of the line-break rule agree (docs/conventions.md, "Line breaks").

The browser tests (tests/browser/test_line_breaks.py) measure the result; these keep the two
lists of elements and the two copies of BudouX's model from drifting apart.
"""

import json
import re
from importlib import metadata
from pathlib import Path

import budoux

ROOT = Path(__file__).resolve().parents[2]
SITE_CSS = ROOT / "static" / "css" / "site.css"
SCRIPT = ROOT / "static" / "js" / "line-breaks.js"
VENDORED = ROOT / "static" / "vendor" / "budoux"
BASE_TEMPLATE = ROOT / "templates" / "base.html"


def css_targets() -> set[str]:
    css = SITE_CSS.read_text(encoding="utf-8")
    match = re.search(r":where\(([^)]*)\)\s*\{\s*word-break:\s*auto-phrase;\s*\}", css)
    assert match, "site.css has no :where(…) { word-break: auto-phrase; } rule"
    return {" ".join(part.split()) for part in match[1].split(",")}


def script_targets() -> set[str]:
    script = SCRIPT.read_text(encoding="utf-8")
    match = re.search(r"var TARGETS = \[(.*?)\]\.join", script, flags=re.S)
    assert match, "line-breaks.js has no TARGETS list"
    return set(re.findall(r'"([^"]+)"', match[1]))


def test_the_script_and_the_style_sheet_name_the_same_elements():
    assert css_targets() == script_targets()
    assert {"h1", "h2", "h3", "th", "td", "label", "button", "nav li"} <= css_targets()


def test_the_vendored_model_is_the_one_the_tests_compare_with():
    versions = [path.name for path in VENDORED.iterdir() if path.is_dir()]
    assert versions == [metadata.version("budoux")]
    (version,) = versions
    source = (VENDORED / version / "module" / "data" / "models" / "ja.js").read_text("utf-8")
    match = re.fullmatch(
        r"export const model = (\{.*\});\s*//# sourceMappingURL=ja\.js\.map\s*", source, re.S
    )
    assert match
    vendored = json.loads(match[1])
    python = json.loads(
        (Path(budoux.__file__).parent / "models" / "ja.json").read_text(encoding="utf-8")
    )
    assert vendored == python


def test_the_base_template_loads_the_vendored_version_from_this_site():
    (version,) = [path.name for path in VENDORED.iterdir() if path.is_dir()]
    base = BASE_TEMPLATE.read_text(encoding="utf-8")
    assert f"vendor/budoux/{version}/module/parser.js" in base
    assert f"vendor/budoux/{version}/module/data/models/ja.js" in base
    assert "js/line-breaks.js" in base
    assert (VENDORED / version / "LICENSE").read_text().lstrip().startswith("Apache License")
