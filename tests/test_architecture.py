"""The guard rails of issue #11: the layers contract, module size, docs/architecture.md current.

Plain ``pytest`` fails on a layer violation too, not only ``make test`` (which runs lint-imports).
"""

import ast
import importlib
import re
import sys
from pathlib import Path

import pytest
from importlinter import api  # noqa: F401  (configures import-linter's adapters)
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "echos"
CONTRACT = ROOT / ".importlinter"
DOC = ROOT / "docs" / "architecture.md"
MAX_LINES = 600

# Mirrors "Long modules" in docs/architecture.md: each module over MAX_LINES with its reason.
LONG_MODULES: dict[str, str] = {}


@pytest.fixture(scope="module")
def architecture():
    scripts = str(ROOT / "scripts")
    sys.path.insert(0, scripts)
    try:
        yield importlib.import_module("architecture")
    finally:
        sys.path.remove(scripts)


def lint(config: Path) -> bool:
    return use_cases.lint_imports(config_filename=str(config), cache_dir=None, no_logo=True)


def test_every_module_imports_only_from_its_own_layer_or_below():
    assert lint(CONTRACT), (
        "The layers contract in .importlinter is broken: the captured stdout names each "
        "import. Import from your own layer or below (docs/architecture.md)."
    )


def test_the_contract_sees_imports_between_layers(tmp_path):
    # Guards against a contract that passes because it checks nothing: hubs builds on core, so
    # with core put above hubs (and no exceptions) the same contract must break.
    text = CONTRACT.read_text(encoding="utf-8")
    contract = text.split("layers =", 1)[0] + "layers =\n    echos.core\n    echos.hubs\n"
    (tmp_path / ".importlinter").write_text(contract, encoding="utf-8")
    assert not lint(tmp_path / ".importlinter")


def _lines() -> dict[str, int]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # written by makemigrations
        with path.open(encoding="utf-8") as fh:
            out[path.relative_to(PACKAGE).as_posix()] = sum(1 for _ in fh)
    return out


def test_no_module_is_longer_than_600_lines_unless_listed():
    long = {name: n for name, n in _lines().items() if n > MAX_LINES}
    unlisted = {name: n for name, n in long.items() if name not in LONG_MODULES}
    assert not unlisted, (
        f"Over {MAX_LINES} lines: {unlisted}. Split the module into a package by area "
        "(DESIGN.md), or list it with a reason in LONG_MODULES here and in docs/architecture.md."
    )


def test_every_listed_long_module_is_still_long():
    lines = _lines()
    stale = [name for name in LONG_MODULES if lines.get(name, 0) <= MAX_LINES]
    assert not stale, (
        f"{stale} no longer over {MAX_LINES} lines (or gone): delete them from LONG_MODULES here "
        "and from 'Long modules' in docs/architecture.md."
    )


def test_long_modules_are_the_list_in_docs_architecture():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Long modules\n", 1)[1].split("\n## ", 1)[0]
    listed = {
        m["module"]: m["reason"]
        for m in re.finditer(r"^- `(?P<module>[^`]+)`: (?P<reason>.+)$", section, re.M)
    }
    assert set(listed) == set(LONG_MODULES)
    for module, reason in LONG_MODULES.items():
        assert listed[module].startswith(reason), module


def test_docs_architecture_is_current(architecture):
    current = DOC.read_text(encoding="utf-8")
    assert architecture.document(architecture.render(), current) == current, (
        "docs/architecture.md is out of date: run `python scripts/architecture.py` and commit it."
    )


def test_the_generated_graph_counts_each_import_between_apps(architecture):
    text = architecture.render()
    # Allowed exceptions are dashed with their count; no baseline violation is left (WP3).
    assert re.search(r"app_events -\.->\|\d+ allowed\| app_synergies", text)
    assert "violation|" not in text
    assert re.search(r"app_participation -->\|\d+\| app_questionnaires", text)
    assert re.search(r"app_events -->\|\d+\| app_core", text)
    assert architecture.app_of("echos.urls") == "site"
    assert architecture.app_of("echos.settings") is None
    assert architecture.app_of("echos.hubs.services") == "hubs"


def function_level_imports_without_reason(package: Path) -> list[str]:
    """Imports inside functions with no ``# cycle:`` or ``# lazy:`` comment just above them."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    above = " ".join(lines[max(0, node.lineno - 4) : node.lineno])
                    if "cycle:" not in above and "lazy:" not in above:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return sorted(set(found))


def test_imports_inside_functions_say_why():
    # Issue #11: an import sits at the top of its module unless it breaks a true import cycle
    # or defers a heavy module on purpose; then a comment just above it says which.
    assert function_level_imports_without_reason(ROOT / "src" / "echos") == []


def test_the_import_check_sees_an_unexplained_import(tmp_path):
    (tmp_path / "m.py").write_text(
        "def f():\n    import json\n\n\ndef g():\n    # lazy: heavy\n    import csv\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert function_level_imports_without_reason(tmp_path) == ["m.py:2"]
    finally:
        ROOT = saved
