"""Phase 6: the 20 exporters of the original's catalogue (spec/phase5-6.md §6), writing the site's
JSON objects under ``v1/`` of the object store (``nbaprops.storage``).

=====  ===========================  ==============================================  ==========  ========
 #     exporter                     object keys (under v1/)                         kind        max-age
=====  ===========================  ==============================================  ==========  ========
 1     ResultsExporter              results/{date}.json, results/latest.json        per date    86400/300
 2     SystemPerformanceExporter    systems/performance.json                        as of end   3600
 3     BestBetsExporter             best-bets/{date}.json, best-bets/latest.json    per date    86400/300
 4     PredictionsExporter          predictions/{date}.json, predictions/today.json per date    3600/300
 5     TonightAllPlayersExporter    tonight/all-players.json                        as of end   300
 6     TonightPlayerExporter        tonight/player/{lookup}.json                    as of end   300
 7     StreaksExporter              streaks/today.json                              as of end   3600
 8     WhosHotColdExporter          trends/whos-hot-v2.json                         as of end   3600
 9     BounceBackExporter           trends/bounce-back.json                         as of end   3600
 10    WhatMattersExporter          trends/what-matters.json                        as of end   43200
 11    TeamTendenciesExporter       trends/team-tendencies.json                     as of end   43200
 12    QuickHitsExporter            trends/quick-hits.json                          as of end   43200
 13    DeepDiveExporter             trends/deep-dive-current.json                   as of end   86400
 14    TonightTrendPlaysExporter    trends/tonight-plays.json                       as of end   3600
 15    LiveScoresExporter           live/{date}.json, live/latest.json              per date    30/30
 16    LiveGradingExporter          live-grading/{date}.json, live-grading/latest   per date    30/30
 17    PlayerProfileExporter        players/index.json, players/{lookup}.json       as of end   3600
 18    PlayerSeasonExporter         players/{lookup}/season/{YYYY-YY}.json          as of end   3600
 19    PlayerGameReportExporter     players/{lookup}/game-report/{date}.json        per date    86400
 20    StatusExporter               status.json                                     as of end   60
=====  ===========================  ==============================================  ==========  ========

Per-date objects exist for every predicted game date of the range (scheduled or final: tonight's
slate gets predictions and best bets before tip-off); results, live, live-grading and game reports
only once the date is final in the raw schedule (issue 12, ``ExportReads.export_days``). The as-of
objects describe the newest predicted date A (tonight's slate); each latest/today alias is a byte
copy of its family's newest dated object (A's predictions and best bets, the newest final date's
results and live objects). Every shape is a JSON Schema under ``schemas/`` (``schemas.py``).
"""
from __future__ import annotations

from nbaprops.exporters.base import AsOfExporter, ExportObject, Exporter, PerDateExporter
from nbaprops.exporters.daily import BestBetsExporter, PredictionsExporter, ResultsExporter
from nbaprops.exporters.live import LiveGradingExporter, LiveScoresExporter
from nbaprops.exporters.performance import SystemPerformanceExporter
from nbaprops.exporters.players import PlayerGameReportExporter, PlayerProfileExporter, PlayerSeasonExporter
from nbaprops.exporters.status import StatusExporter
from nbaprops.exporters.tonight import TonightAllPlayersExporter, TonightPlayerExporter
from nbaprops.exporters.trends import (BounceBackExporter, DeepDiveExporter, QuickHitsExporter, StreaksExporter,
                                       TeamTendenciesExporter, TonightTrendPlaysExporter, WhatMattersExporter,
                                       WhosHotColdExporter)

PER_DATE: tuple[PerDateExporter, ...] = (
    ResultsExporter(), BestBetsExporter(), PredictionsExporter(), LiveScoresExporter(), LiveGradingExporter(),
    PlayerGameReportExporter(),
)
# Status last: it reads objects the others (and the aliases) wrote.
AS_OF: tuple[AsOfExporter, ...] = (
    SystemPerformanceExporter(), TonightAllPlayersExporter(), TonightPlayerExporter(), StreaksExporter(),
    WhosHotColdExporter(), BounceBackExporter(), WhatMattersExporter(), TeamTendenciesExporter(), QuickHitsExporter(),
    DeepDiveExporter(), TonightTrendPlaysExporter(), PlayerProfileExporter(), PlayerSeasonExporter(), StatusExporter(),
)
CATALOGUE: tuple[Exporter, ...] = PER_DATE + AS_OF

__all__ = ["AS_OF", "CATALOGUE", "PER_DATE", "AsOfExporter", "ExportObject", "Exporter", "PerDateExporter"]
