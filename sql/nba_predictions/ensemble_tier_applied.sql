-- 5C applied to the ensemble predictions dated [@start_date, @end_date]: each prediction gets the
-- tier adjustment of its own date (computed from grading strictly before it), and the adjusted
-- points are graded the way prediction_accuracy grades the prediction (DNP: no error, D5 push).
with

prediction_accuracy as (
    select
        prediction_accuracy.game_date,
        prediction_accuracy.player_lookup,
        prediction_accuracy.system_id,
        prediction_accuracy.prediction_id,
        prediction_accuracy.game_id,
        prediction_accuracy.predicted_points,
        prediction_accuracy.confidence_score,
        prediction_accuracy.recommendation,
        prediction_accuracy.line_value,
        prediction_accuracy.season_points_avg,
        prediction_accuracy.scoring_tier,
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
        scoring_tier_adjustments.sample_size,
        scoring_tier_adjustments.tier_adjustment
    from nba_predictions.scoring_tier_adjustments as scoring_tier_adjustments
    where scoring_tier_adjustments.as_of_date between @start_date and @end_date
        and scoring_tier_adjustments.system_id = 'ensemble_v1'
),

adjusted as (
    select
        prediction_accuracy.*,
        coalesce(scoring_tier_adjustments.tier_adjustment, 0.0) as tier_adjustment,
        coalesce(scoring_tier_adjustments.sample_size, 0) as adjustment_sample_size,
        round(
            least(60, greatest(0, prediction_accuracy.predicted_points
                + coalesce(scoring_tier_adjustments.tier_adjustment, 0.0))),
            2
        ) as adjusted_points
    from prediction_accuracy
    left join scoring_tier_adjustments
        on scoring_tier_adjustments.as_of_date = prediction_accuracy.game_date
        and scoring_tier_adjustments.scoring_tier = prediction_accuracy.scoring_tier
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
