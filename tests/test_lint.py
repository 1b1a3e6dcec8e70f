"""Static checks that keep the tree clean: ruff on the code, snakefmt and snakemake --lint on the workflow."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_is_clean():
    out = subprocess.run([str(BIN / "ruff"), "check", "nbaprops", "scripts", "tests", "bench"],
                         cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_snakefmt_is_clean():
    out = subprocess.run([str(BIN / "snakefmt"), "--check", "Snakefile", "rules"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_snakemake_lint_has_only_the_declared_exception():
    """Every rule runs in the project's pinned environment (.venv from pyproject.toml), so the
    lint's per-rule 'conda environment or container' advice is answered once, here and in the README."""
    out = subprocess.run([str(BIN / "snakemake"), "--lint"], cwd=REPO, capture_output=True, text=True)
    findings = [line.strip() for line in (out.stdout + out.stderr).splitlines() if line.strip().startswith("* ")]
    assert findings, "expected the lint to run"
    assert {f for f in findings if "conda environment or container" not in f} == set()
