-- 5C applied to the ensemble predictions dated [@start_date, @end_date]: each prediction gets the
-- tier adjustment of its own date (computed from grading strictly before it) and the adjusted
-- points. Every prediction gets its row, a scheduled game's too (issue 12: the published
-- predictions carry the adjusted points before tip-off); once the game is final and graded, the
-- adjusted points are graded the way prediction_accuracy grades the prediction (DNP: no error,
-- D5 push). Until then is_dnp and the outcome columns are NULL: nobody has played yet.
with

player_prop_predictions_base as (
    select
        player_prop_predictions_base.game_date,
        player_prop_predictions_base.player_lookup,
        player_prop_predictions_base.system_id,
        player_prop_predictions_base.prediction_id,
        player_prop_predictions_base.game_id,
        round(player_prop_predictions_base.predicted_points, 2) as predicted_points,
        round(player_prop_predictions_base.confidence_score, 4) as confidence_score,
        player_prop_predictions_base.recommendation,
        -- the real line as prediction_accuracy.line_value
        if(coalesce(player_prop_predictions_base.has_prop_line, false),
            round(player_prop_predictions_base.current_points_line, 2), null) as line_value
    from nba_predictions.player_prop_predictions_base as player_prop_predictions_base
    where player_prop_predictions_base.game_date between @start_date and @end_date
        and player_prop_predictions_base.system_id = 'ensemble_v1'
),

ml_feature_store_v2 as (
    select
        ml_feature_store_v2.game_date,
        ml_feature_store_v2.player_lookup,
        ml_feature_store_v2.points_avg_season
    from nba_predictions.ml_feature_store_v2 as ml_feature_store_v2
    where ml_feature_store_v2.game_date between @start_date and @end_date
),

prediction_accuracy as (
    select
        prediction_accuracy.game_date,
        prediction_accuracy.player_lookup,
        prediction_accuracy.is_dnp,
        prediction_accuracy.actual_points
    from nba_predictions.prediction_accuracy as prediction_accuracy
    where prediction_accuracy.game_date between @start_date and @end_date
        and prediction_accuracy.system_id = 'ensemble_v1'
),

scoring_tier_adjustments as (
    select
        scoring_tier_adjustments.as_of_date,
        scoring_tier_adjustments.system_id,
        scoring_tier_adjustments.scoring_tier,
        scoring_tier_adjustments.tier_min_points,
        scoring_tier_adjustments.tier_max_points,
        scoring_tier_adjustments.sample_size,
        scoring_tier_adjustments.tier_adjustment
    from nba_predictions.scoring_tier_adjustments as scoring_tier_adjustments
    where scoring_tier_adjustments.as_of_date between @start_date and @end_date
        and scoring_tier_adjustments.system_id = 'ensemble_v1'
),

predictions as (
    select
        player_prop_predictions_base.*,
        ml_feature_store_v2.points_avg_season as season_points_avg,
        -- what the tier classifies (as prediction_accuracy.scoring_tier): the season average, else
        -- the prediction
        coalesce(ml_feature_store_v2.points_avg_season, player_prop_predictions_base.predicted_points)
            as tier_points,
        prediction_accuracy.is_dnp,
        prediction_accuracy.actual_points
    from player_prop_predictions_base
    left join ml_feature_store_v2
        on ml_feature_store_v2.game_date = player_prop_predictions_base.game_date
        and ml_feature_store_v2.player_lookup = player_prop_predictions_base.player_lookup
    left join prediction_accuracy
        on prediction_accuracy.game_date = player_prop_predictions_base.game_date
        and prediction_accuracy.player_lookup = player_prop_predictions_base.player_lookup
),

-- The tier whose bounds hold the tier points (scoring_tier_adjustments' tiers, one
-- classification; BENCH_0_9, bounded below by 0, also takes anything below 0).
adjusted as (
    select
        predictions.*,
        scoring_tier_adjustments.scoring_tier,
        coalesce(scoring_tier_adjustments.tier_adjustment, 0.0) as tier_adjustment,
        coalesce(scoring_tier_adjustments.sample_size, 0) as adjustment_sample_size,
        round(
            least(60, greatest(0, predictions.predicted_points
                + coalesce(scoring_tier_adjustments.tier_adjustment, 0.0))),
            2
        ) as adjusted_points
    from predictions
    left join scoring_tier_adjustments
        on scoring_tier_adjustments.as_of_date = predictions.game_date
        and (predictions.tier_points >= scoring_tier_adjustments.tier_min_points
            or scoring_tier_adjustments.tier_min_points = 0)
        and (predictions.tier_points < scoring_tier_adjustments.tier_max_points
            or scoring_tier_adjustments.tier_max_points is null)
),

recommended as (
    select
        adjusted.*,
        case
            when adjusted.line_value is null then 'NO_LINE'
            when coalesce(adjusted.confidence_score, 0) < 0.65 then 'PASS'
            when abs(adjusted.adjusted_points - adjusted.line_value) < 1.5 then 'PASS'
            when adjusted.adjusted_points > adjusted.line_value then 'OVER'
            else 'UNDER'
        end as adjusted_recommendation
    from adjusted
),

final as (
    select
        recommended.game_date,
        recommended.player_lookup,
        recommended.system_id,
        recommended.prediction_id,
        recommended.game_id,
        recommended.predicted_points,
        recommended.confidence_score,
        recommended.recommendation,
        recommended.line_value,
        recommended.season_points_avg,
        recommended.scoring_tier,
        recommended.tier_adjustment,
        recommended.adjustment_sample_size,
        recommended.adjusted_points,
        recommended.adjusted_recommendation,
        recommended.is_dnp,
        recommended.actual_points,
        round(abs(recommended.adjusted_points - recommended.actual_points), 2) as adjusted_absolute_error,
        round(recommended.adjusted_points - recommended.actual_points, 2) as adjusted_signed_error,
        round(abs(recommended.adjusted_points - recommended.actual_points), 2) <= 3 as adjusted_within_3_points,
        round(abs(recommended.adjusted_points - recommended.actual_points), 2) <= 5 as adjusted_within_5_points,
        case
            when recommended.adjusted_recommendation not in ('OVER', 'UNDER') or recommended.actual_points is null
                then null
            when recommended.actual_points = recommended.line_value then 'PUSH'
            when (recommended.actual_points > recommended.line_value) = (recommended.adjusted_recommendation = 'OVER')
                then 'WIN'
            else 'LOSS'
        end as adjusted_outcome
    from recommended
)

select * from final
