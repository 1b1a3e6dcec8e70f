"""nbaprops.predictions in one-way layers: every import inside the package points down the
layer order (no cycle can come back, not even through a function-level import), and what the
Snakefile imports of it while building the DAG stays free of numpy and pyarrow."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "nbaprops" / "predictions"
PREFIX = "nbaprops.predictions"

# Bottom first; a module may import only modules of an earlier layer.
LAYERS = (
    {"windows", "participation", "features", "pricing"},  # pure: dates, the played rule, the feature record, bets
    {"final_dates"},  # the dates a model may learn from (one schedule query)
    {"systems.base"},
    {"systems.moving_average", "systems.zone_matchup", "systems.similarity", "systems.xgboost_v1",
     "systems.ensemble", "systems.market_xgboost_v1"},
    {"systems"},
    {"history"},
    {"artifacts"},
    {"inference"},
    {"training"},
    {"market"},  # the line-aware model: training's walk-forward check, served beside XGBoost
    {"stacking"},
    {"build"},
)
LAYER_OF = {module: n for n, layer in enumerate(LAYERS) for module in layer}
# The jobs sit above the package: it never imports them.
JOB_MODULES = {"nbaprops.jobs", "nbaprops.jobrun", "nbaprops.training_job"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a module, at any depth; ``from package import
    name`` counts as importing ``package.name`` when that is a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"line {node.lineno}: relative import (the package imports absolutely)"
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.append((node.lineno, full if is_module(full) else node.module))
    return found


def is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def package_imports(name: str) -> list[tuple[int, str]]:
    return imported(ast.parse(MODULES[name].read_text()))


def test_every_module_of_the_package_has_a_layer():
    assert set(MODULES) - {""} == set(LAYER_OF)


@pytest.mark.parametrize("name", sorted(LAYER_OF))
def test_imports_point_down_the_layers(name):
    upward = []
    for line, module in package_imports(name):
        if module in JOB_MODULES:
            upward.append(f"line {line}: {module} (a job)")
        if not module.startswith(PREFIX + "."):
            continue
        target = module.removeprefix(PREFIX + ".")
        if LAYER_OF[target] >= LAYER_OF[name]:
            upward.append(f"line {line}: {target} (layer {LAYER_OF[target]} >= {LAYER_OF[name]})")
    assert upward == [], f"{MODULES[name]} imports sideways or up"


def test_the_package_init_imports_nothing():
    assert package_imports("") == []


def test_windows_needs_only_the_standard_library_and_the_catalogue():
    """The catalogue is pure Python too (its docstring says why)."""
    others = {m for _, m in package_imports("windows") if m.split(".")[0] not in sys.stdlib_module_names}
    assert others == {"nbaprops.catalogue"}


def test_the_snakefile_imports_of_predictions_load_no_numpy():
    """Run the rules' own import lines of the package in a fresh interpreter."""
    lines = [line for rules in sorted((REPO / "rules").glob("*.smk")) for line in rules.read_text().splitlines()
             if re.match(rf"\s*(from {PREFIX}\b|import {PREFIX}\b)", line)]
    assert lines, "the rules import nothing of nbaprops.predictions (the DAG names the model windows with it)"
    code = "\n".join(line.strip() for line in lines) + (
        "\nimport sys\nprint(sorted(m for m in ('numpy', 'pyarrow', 'pandas', 'xgboost') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO)}).stdout
    assert out.strip() == "[]"
