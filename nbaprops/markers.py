"""Job markers: small JSON files Snakemake tracks, written only after a load committed."""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any, Mapping


def content_hash(payload: Mapping[str, Any]) -> str:
    """Hash of a marker's content without its volatile fields (times, run id)."""
    stable = {k: v for k, v in payload.items() if k not in {"seconds", "written_at", "run_id", "content_hash"}}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()[:16]


def write_marker(path: str | os.PathLike, payload: Mapping[str, Any]) -> dict:
    """Atomically write ``payload`` (plus its content hash) as JSON at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = dict(payload)
    doc["content_hash"] = content_hash(doc)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True, default=str) + "\n")
    os.replace(tmp, path)
    return doc


def raw_marker_path(root: str | os.PathLike, season: int | str) -> Path:
    """The raw stage's marker for one season: written after every raw table of the season was
    loaded, holding rows, quarantine counts and findings per table."""
    return Path(root) / "raw" / f"{season}.json"


def read_marker(path: str | os.PathLike) -> dict:
    return json.loads(Path(path).read_text())
