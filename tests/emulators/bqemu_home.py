"""Give the BigQuery emulator a private HOME holding the DuckDB extensions it needs, offline.

Run with the emulator venv's Python (``make bqemulator`` does):

    .venv-bqemu/bin/python tests/emulators/bqemu_home.py .venv-bqemu/home

bqemulator runs ``INSTALL spatial`` and ``INSTALL avro`` at start-up; DuckDB would download them
from the extension repository, which this machine cannot reach, and the server refuses to start
without spatial. ``INSTALL`` is a no-op when the file already sits in
``$HOME/.duckdb/extensions/<duckdb version>/<platform>/``, so we copy the binaries shipped by the
``duckdb-extension-*`` pip packages there and start the emulator with ``HOME`` pointing at it
(tooling-measurements §4). The user's own ``~/.duckdb`` is never touched.
"""
from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import duckdb

EXTENSIONS = ("spatial", "avro")


def install(home: Path) -> list[Path]:
    version = f"v{duckdb.__version__}"
    platform = duckdb.sql("PRAGMA platform").fetchall()[0][0]
    target = home / ".duckdb" / "extensions" / version / platform
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in EXTENSIONS:
        package = Path(importlib.import_module(f"duckdb_extension_{name}").__file__).parent
        source = package / "extensions" / version / f"{name}.duckdb_extension"
        if not source.exists():
            raise SystemExit(f"{source} is missing: duckdb-extension-{name} must match duckdb {duckdb.__version__}")
        shutil.copyfile(source, target / source.name)
        copied.append(target / source.name)
    return copied


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} HOME_DIR")
    for path in install(Path(sys.argv[1]).resolve()):
        print(f"installed {path}")
