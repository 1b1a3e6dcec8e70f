"""Finished seasons' player-season pages carried forward from the previous as-of run.

A season page reads only its season's box scores (``generated_at`` is its last game's date), the
display names up to that game and the season calendar: once the season is over, the page changes
only when one of those inputs does. The as-of job rewrote all ~2,000 pages every day; it now
lists the unchanged ones in its manifest without building, validating or writing them again.

What "unchanged" means, per finished season S (:func:`season_fingerprints`): the bytes of every
``player_game_summary`` chunk marker starting before S's last game (box scores and names up to
S; a rebuilt chunk writes a new marker, with a new run id, even when its rows are the same) and
of the raw markers of seasons up to S (registry names, the schedule's calendar), the exporters'
code and schema files (:func:`code_digest`), the first date the pages read (``start_date``'s
season) and the object store. Any of them different: S's pages are built again.

The record lives in a side file next to the job's marker (``as_of_end.carry.json``; Snakemake
deletes a job's declared outputs before it runs, so the marker cannot carry it). A run takes it
(reads and deletes it) before writing anything and writes a new one only after every object is
written: a run that dies half-way leaves none, and the next run builds every page again instead
of trusting pages it may have overwritten. A page is carried only while the store still holds an
object of its recorded size (a deleted or truncated object is written again).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import uuid
from pathlib import Path
from typing import Mapping

from nbaprops.catalogue import parse_chunk_id
from nbaprops.exporters.base import CarriedObject
from nbaprops.exporters.schemas import schemas_digest
from nbaprops.seasons import season_label

log = logging.getLogger("nbaprops.exporters")
SIDE_FILE = "as_of_end.carry.json"
FORMAT = 1
# The page key's season label (players/{lookup}/season/{YYYY-YY}.json).
PAGE_KEY = re.compile(r"v1/players/(?P<player>[^/]+)/season/(?P<label>\d{4}-\d{2})\.json")
BOX_SCORES = ("nba_analytics", "player_game_summary")
CODE = [Path(__file__).parent, Path(__file__).parent.parent / "seasons.py"]


def code_digest() -> str:
    """The exporters' source files, the season rules and the schema files."""
    h = hashlib.sha256(schemas_digest().encode())
    files = sorted(CODE[0].glob("*.py")) + CODE[1:]
    for path in files:
        h.update(f"\0{path.name}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def season_fingerprints(markers_root: str | Path, last_games: Mapping[int, dt.date], first: dt.date,
                        store_url: str) -> dict[str, str]:
    """Season label -> fingerprint of the inputs of its pages, for the seasons of ``last_games``
    (season -> its last game date: the finished seasons)."""
    root = Path(markers_root)
    chunks = []
    for path in sorted(root.joinpath(*BOX_SCORES).glob("*_*.json")):
        try:
            start, _ = parse_chunk_id(path.stem)
        except ValueError:
            continue
        chunks.append((start, path.name, _file_digest(path)))
    raw = []
    for path in sorted((root / "raw").glob("[0-9]*.json")):
        raw.append((int(path.stem), path.name, _file_digest(path)))
    code = code_digest()
    out = {}
    for season, last in sorted(last_games.items()):
        h = hashlib.sha256(f"{FORMAT}\0{code}\0{first.isoformat()}\0{store_url}\0{season}\n".encode())
        for start, name, digest in chunks:
            if start <= last:
                h.update(f"box\0{name}\0{digest}\n".encode())
        for raw_season, name, digest in raw:
            if raw_season <= season:
                h.update(f"raw\0{name}\0{digest}\n".encode())
        out[season_label(season)] = h.hexdigest()[:16]
    return out


class Carry:
    """The pages the previous run recorded for seasons whose fingerprint is unchanged."""

    def __init__(self, fingerprints: Mapping[str, str], previous: Mapping | None, store):
        self.fingerprints = dict(fingerprints)
        self.store = store
        previous = previous or {}
        same = {label for label, fp in (previous.get("fingerprints") or {}).items()
                if self.fingerprints.get(label) == fp}
        self._pages: dict[str, tuple[int, str]] = {}
        if previous.get("format") == FORMAT:
            for key, (size, digest) in (previous.get("pages") or {}).items():
                match = PAGE_KEY.fullmatch(key)
                if match and match["label"] in same:
                    self._pages[key] = (int(size), digest)
        self._sizes: dict[str, dict[str, int]] = {}  # season folder -> key -> size in the store
        self.carried = 0

    @classmethod
    def take(cls, path: str | Path, fingerprints: Mapping[str, str], store) -> "Carry":
        """From the side file at ``path``, which is deleted (see the module docstring)."""
        path = Path(path)
        previous = None
        try:
            previous = json.loads(path.read_text())
        except FileNotFoundError:
            pass
        except ValueError:
            log.warning("%s is not JSON: every season page is built again", path)
        if path.exists():
            path.unlink()
        carry = cls(fingerprints, previous, store)
        log.info("season pages: %d of the previous run's pages reusable (%d finished seasons)", len(carry._pages),
                 len(carry.fingerprints))
        return carry

    def get(self, key: str) -> CarriedObject | None:
        """The previous run's record of ``key`` (a full key, under v1/) if its season is
        unchanged and the store still holds an object of its size."""
        record = self._pages.get(key)
        if record is None:
            return None
        if not self._sizes:
            self._list_folders()
        if self._sizes.get(key.rsplit("/", 1)[0] + "/", {}).get(key) != record[0]:
            return None
        self.carried += 1
        return CarriedObject(key, *record)

    def _list_folders(self) -> None:
        """The sizes in every season folder of a reusable page, listed from a few threads (one
        listing per player: a bucket answers each in an HTTP request; a listing of all of
        ``players/`` would page through every game report)."""
        from concurrent.futures import ThreadPoolExecutor

        folders = sorted({key.rsplit("/", 1)[0] + "/" for key in self._pages})
        with ThreadPoolExecutor(16) as pool:
            self._sizes = dict(zip(folders, pool.map(self.store.sizes, folders)))

    def save(self, path: str | Path, manifest: Mapping[str, tuple[int, str]]) -> None:
        """Record the finished seasons' pages of ``manifest`` (every object the run vouched for),
        atomically; only once every object is written."""
        pages = {}
        for key, (size, digest) in manifest.items():
            match = PAGE_KEY.fullmatch(key)
            if match and match["label"] in self.fingerprints:
                pages[key] = [size, digest]
        doc = {"format": FORMAT, "fingerprints": self.fingerprints, "pages": dict(sorted(pages.items()))}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
        tmp.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
        os.replace(tmp, path)
