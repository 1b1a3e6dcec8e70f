"""The local export folder's objects, for the report's links."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Mapping


def export_listing(config: Mapping) -> dict:
    """The local export folder's objects under v1/, grouped by their first folder; for a remote
    bucket only its address (``remote``)."""
    storage = config.get("storage", {})
    if storage.get("backend", "local") != "local":
        prefix = "/".join(p for p in (storage.get("bucket"), storage.get("prefix")) if p)
        return {"remote": f"gs://{prefix}/v1/"}
    root = Path(storage.get("path", "exports")) / "v1"
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        rel = path.relative_to(root)
        groups[rel.parts[0] if len(rel.parts) > 1 else "(top level)"].append(path)
    return {"root": root, "groups": dict(sorted(groups.items()))}
