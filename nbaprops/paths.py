"""Where the project's own files live (SQL, config schema, shipped reference data)."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
SQL_DIR = REPO_DIR / "sql"
CONFIG_DIR = REPO_DIR / "config"
DATA_DIR = PACKAGE_DIR / "data"
