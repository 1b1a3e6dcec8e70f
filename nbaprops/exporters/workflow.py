"""What each Phase 6 job reads, for the inputs of rules/publishing.smk (kept here, importable and
tested, so the rule file holds rules only).

* ``export_dates`` of a chunk reads the chunk's published predictions and grading, plus the
  grading of the season's earlier chunks (best bets rank a pick by the player's record on the
  season's earlier picks; bounding it to the season keeps every job's fan-in to one season even
  with day-sized chunks);
* ``export_as_of_end`` reads every chunk's per-date export (it copies the newest into the
  aliases) and the grading, predictions and daily scorecards of every chunk.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

from nbaprops.plan import Chunk

GRADED = "nba_predictions.prediction_accuracy"
PREDICTED = "nba_predictions.player_prop_predictions"
SCORECARDS = "nba_predictions.system_daily_performance"


def export_dates_reads(plan: Sequence[Chunk], chunk: Chunk) -> list[tuple[str, str]]:
    """(table, chunk id) of the Phase 5 chunks the per-date export of ``chunk`` reads."""
    graded = [(GRADED, c.id) for c in plan if c.season == chunk.season and c.start <= chunk.end]
    return [(PREDICTED, chunk.id)] + graded


def export_as_of_reads(plan: Sequence[Chunk]) -> list[tuple[str, str]]:
    """(table, chunk id) of the Phase 5 chunks the as-of export reads."""
    return [(table, c.id) for table in (GRADED, PREDICTED, SCORECARDS) for c in plan]


class ChunkInputs:
    """An input function of a per-chunk rule: the precomputed paths of ``wildcards.chunk``."""

    def __init__(self, paths: Mapping[str, list]):
        self.paths = dict(paths)

    def __call__(self, wildcards) -> list:
        return self.paths[wildcards.chunk]


def export_dates_inputs(plan: Sequence[Chunk], marker: Callable[[str, str], str], always: list) -> ChunkInputs:
    """The ``export_dates`` input function: ``always`` (the Phase 5 gate, as ancient) plus the
    markers (``marker(table, chunk_id)``) of what each chunk's export reads."""
    return ChunkInputs({c.id: always + [marker(t, cid) for t, cid in export_dates_reads(plan, c)] for c in plan})
