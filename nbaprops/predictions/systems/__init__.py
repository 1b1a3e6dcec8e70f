"""The six systems, each a pure function returning a ``SystemResult``. Order = run order: the
original's five, then the line-aware market_xgboost_v1 (issue 13), which reads XGBoost's row."""
from nbaprops.predictions.systems import ensemble, market_xgboost_v1, moving_average, similarity, xgboost_v1, zone_matchup
from nbaprops.predictions.systems.base import NO_LINE, OVER, PASS, UNDER, SystemResult

# system_id -> the short name in prediction_id "{game_date}_{player_lookup}_{short}" (spec §2.5)
SYSTEMS: dict[str, str] = {
    moving_average.SYSTEM_ID: "moving_average",
    zone_matchup.SYSTEM_ID: "zone_matchup",
    similarity.SYSTEM_ID: "similarity",
    xgboost_v1.SYSTEM_ID: "xgboost",
    ensemble.SYSTEM_ID: "ensemble",
    market_xgboost_v1.SYSTEM_ID: "market",
}

__all__ = ["SYSTEMS", "SystemResult", "OVER", "UNDER", "PASS", "NO_LINE",
           "moving_average", "zone_matchup", "similarity", "xgboost_v1", "ensemble", "market_xgboost_v1"]
