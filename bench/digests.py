"""Digests of everything a backfill produced, to prove a change left the outputs byte-identical.

    .venv/bin/python bench/digests.py <workdir> > before.json
    ... change the code, rebuild in another workdir ...
    .venv/bin/python bench/digests.py <workdir2> --against before.json   # exits 1 on any difference

* tables  — every warehouse table except the run history (its rows are times and run ids): row
            count and a SHA-256 of its rows in a canonical order (order of files and row groups
            does not count, values do);
* models  — the SHA-256 of every file under models/ (the artifacts the predictions read);
* exports — every export marker's ``objects`` count and ``objects_digest`` (a digest of every
            object's key and bytes, written by the export jobs).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

VOLATILE_TABLES = {"nba_reference.processor_run_history"}


def table_digests(work: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    out = {}
    root = work / "warehouse"
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        table = f"{folder.parent.name}.{folder.name}"
        files = _live_files(folder)
        if table in VOLATILE_TABLES or not files:
            continue
        rel = con.read_parquet(files, union_by_name=True)
        columns = sorted(rel.columns)
        # One text line per row (columns by name), sorted, hashed: independent of file layout.
        row = " || '\x1f' || ".join(f"coalesce(cast({_q(c)} as varchar), '\x00')" for c in columns)
        digest = hashlib.sha256()
        count = 0
        for (line,) in con.sql(f"select {row} as r from rel order by r").fetchall():
            digest.update(line.encode())
            digest.update(b"\n")
            count += 1
        out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def _live_files(folder: Path) -> list[str]:
    """The table's files its manifest lists (a forced rebuild leaves replaced files behind until
    they are swept; they hold no rows of the table)."""
    manifest = folder / "_manifest.json"
    if not manifest.exists():
        return sorted(str(f) for f in folder.rglob("*.parquet"))
    return sorted(str(folder / entry["file"]) for entry in json.loads(manifest.read_text())["files"])


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def model_digests(work: Path) -> dict:
    root = work / "models"
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith(".metrics.json")}


def export_digests(work: Path) -> dict:
    root = work / "markers" / "exports"
    out = {}
    for path in sorted(root.rglob("*.json")) if root.exists() else []:
        doc = json.loads(path.read_text())
        out[str(path.relative_to(root))] = {"objects": doc.get("objects"), "objects_digest": doc.get("objects_digest")}
    return out


def digests(work: Path) -> dict:
    return {"tables": table_digests(work), "models": model_digests(work), "exports": export_digests(work)}


def differences(before: dict, after: dict) -> list[str]:
    lines = []
    for section in ("tables", "models", "exports"):
        old, new = before.get(section, {}), after.get(section, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                lines.append(f"{section}: {key}: {old.get(key)} -> {new.get(key)}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--against", type=Path, help="a digests file to compare with; exit 1 on a difference")
    args = parser.parse_args(argv)
    now = digests(args.workdir)
    if not args.against:
        json.dump(now, sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    diff = differences(json.loads(args.against.read_text()), now)
    counts = {s: len(now[s]) for s in now}
    if diff:
        print(f"{len(diff)} differences ({counts}):\n" + "\n".join(diff))
        return 1
    print(f"identical: {counts['tables']} tables, {counts['models']} model files, {counts['exports']} export markers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
