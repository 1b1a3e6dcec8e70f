"""The five systems, each a pure function returning a ``SystemResult``. Order = run order."""
from nbaprops.predictions.systems import ensemble, moving_average, similarity, xgboost_v1, zone_matchup
from nbaprops.predictions.systems.base import NO_LINE, OVER, PASS, UNDER, SystemResult

# system_id -> the short name in prediction_id "{game_date}_{player_lookup}_{short}" (spec §2.5)
SYSTEMS: dict[str, str] = {
    moving_average.SYSTEM_ID: "moving_average",
    zone_matchup.SYSTEM_ID: "zone_matchup",
    similarity.SYSTEM_ID: "similarity",
    xgboost_v1.SYSTEM_ID: "xgboost",
    ensemble.SYSTEM_ID: "ensemble",
}

__all__ = ["SYSTEMS", "SystemResult", "OVER", "UNDER", "PASS", "NO_LINE",
           "moving_average", "zone_matchup", "similarity", "xgboost_v1", "ensemble"]
