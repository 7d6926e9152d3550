"""The tree is the pipeline: every import points down the stages, and each third-party library stays behind its seam.

Read from the source with `ast`, so a test fails the moment a module reaches back up the pipeline (layout importing
pdf, data importing layout) or imports reportlab, Babel, pdfium or tomllib outside the one place that owns it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nodkort"

# The stages in pipeline order; a module may import its own stage and any earlier one, never a later one.
ORDER = [
    "errors",
    "output",
    "model",
    "data",
    "i18n",
    "text",
    "layout",
    "impose",
    "pdf",
    "project",
    "pipeline",
    "review",
    "orders",
    "web",
    "cli",
    "__main__",
]

# Which modules may import which third-party library (a prefix of the module path under src/nodkort).
SEAMS = {
    "reportlab": ("pdf/", "text/fonts.py"),
    "babel": ("i18n/",),
    "pypdfium2": ("pdf/preview.py",),
    "tomllib": ("data/tomlread.py",),
    "click": ("cli/",),
}


def _stage(module: str) -> str:
    """`nodkort.layout.side` → `layout`; `nodkort.cli` → `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


MODULES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    own = _stage("nodkort." + ".".join(path.relative_to(SRC).with_suffix("").parts))
    if own == "__init__":
        return
    late = [
        (line, module)
        for line, module in _imports(path)
        if module.startswith("nodkort.") and ORDER.index(_stage(module)) > ORDER.index(own)
    ]
    assert late == [], f"{path.relative_to(SRC)} ({own}) imports later stages: {late}"


@pytest.mark.parametrize("library", sorted(SEAMS))
def test_each_library_is_imported_only_behind_its_seam(library: str) -> None:
    outside = [
        f"{path.relative_to(SRC)}:{line}"
        for path in MODULES
        for line, module in _imports(path)
        if module.split(".")[0] == library and not str(path.relative_to(SRC)).startswith(SEAMS[library])
    ]
    assert outside == []


def test_every_stage_package_says_what_comes_in_and_goes_out() -> None:
    for package in sorted(p for p in SRC.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "In:" in doc and "Out:" in doc, f"{package.name}/__init__.py must name its input and output"


def test_no_file_is_over_400_lines_and_no_cli_module_over_300() -> None:
    sizes = {str(p.relative_to(SRC)): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert {name: n for name, n in sizes.items() if name.startswith("cli/") and n >= 300} == {}
