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
