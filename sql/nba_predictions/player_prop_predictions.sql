-- The published predictions: 5A's rows plus the 5C tier columns on ensemble rows (D10).
with

player_prop_predictions_base as (
    select *
    from nba_predictions.player_prop_predictions_base as player_prop_predictions_base
    where player_prop_predictions_base.game_date between @start_date and @end_date
),

ensemble_tier_applied as (
    select
        ensemble_tier_applied.game_date,
        ensemble_tier_applied.player_lookup,
        ensemble_tier_applied.system_id,
        ensemble_tier_applied.scoring_tier,
        ensemble_tier_applied.tier_adjustment,
        ensemble_tier_applied.adjusted_points
    from nba_predictions.ensemble_tier_applied as ensemble_tier_applied
    where ensemble_tier_applied.game_date between @start_date and @end_date
)

select
    player_prop_predictions_base.prediction_id,
    player_prop_predictions_base.system_id,
    player_prop_predictions_base.player_lookup,
    player_prop_predictions_base.universal_player_id,
    player_prop_predictions_base.game_id,
    player_prop_predictions_base.game_date,
    player_prop_predictions_base.team_abbr,
    player_prop_predictions_base.opponent_team_abbr,
    player_prop_predictions_base.prediction_version,
    player_prop_predictions_base.predicted_points,
    player_prop_predictions_base.confidence_score,
    player_prop_predictions_base.recommendation,
    player_prop_predictions_base.has_prop_line,
    player_prop_predictions_base.current_points_line,
    player_prop_predictions_base.line_source,
    player_prop_predictions_base.line_margin,
    player_prop_predictions_base.similarity_baseline,
    player_prop_predictions_base.fatigue_adjustment,
    player_prop_predictions_base.shot_zone_adjustment,
    player_prop_predictions_base.pace_adjustment,
    player_prop_predictions_base.usage_spike_adjustment,
    player_prop_predictions_base.home_away_adjustment,
    player_prop_predictions_base.other_adjustments,
    player_prop_predictions_base.similar_games_count,
    player_prop_predictions_base.avg_similarity_score,
    player_prop_predictions_base.min_similarity_score,
    player_prop_predictions_base.ml_model_id,
    player_prop_predictions_base.model_version,
    player_prop_predictions_base.prediction_variance,
    player_prop_predictions_base.system_agreement_score,
    player_prop_predictions_base.contributing_systems,
    player_prop_predictions_base.p_over,
    player_prop_predictions_base.p_under,
    player_prop_predictions_base.value_side,
    player_prop_predictions_base.ev_best,
    player_prop_predictions_base.ev_consensus,
    player_prop_predictions_base.bet_line,
    player_prop_predictions_base.bet_price_american,
    player_prop_predictions_base.bet_bookmaker,
    player_prop_predictions_base.consensus_price_american,
    player_prop_predictions_base.fallback_system,
    player_prop_predictions_base.warnings,
    player_prop_predictions_base.feature_quality_score,
    player_prop_predictions_base.is_production_ready,
    player_prop_predictions_base.is_active,
    ensemble_tier_applied.scoring_tier,
    ensemble_tier_applied.tier_adjustment,
    ensemble_tier_applied.adjusted_points
from player_prop_predictions_base
left join ensemble_tier_applied
    on ensemble_tier_applied.game_date = player_prop_predictions_base.game_date
    and ensemble_tier_applied.player_lookup = player_prop_predictions_base.player_lookup
    and ensemble_tier_applied.system_id = player_prop_predictions_base.system_id
