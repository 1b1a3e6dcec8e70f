-- Scoring-tier adjustments (5C) for every date D in [@start_date, @end_date] with predictions:
-- per system and tier, the mean signed error of the system's graded predictions dated
-- [D - 30, D - 1] (strictly before D, D10) and the share of its negation to add on D. A scheduled
-- date has predictions but no grading of its own: it gets its adjustments all the same (issue 12).
with

player_prop_predictions_base as (
    select distinct
        player_prop_predictions_base.game_date,
        player_prop_predictions_base.system_id
    from nba_predictions.player_prop_predictions_base as player_prop_predictions_base
    where player_prop_predictions_base.game_date between @start_date and @end_date
),

prediction_accuracy as (
    select
        prediction_accuracy.game_date,
        prediction_accuracy.system_id,
        prediction_accuracy.scoring_tier,
        prediction_accuracy.signed_error,
        prediction_accuracy.absolute_error,
        prediction_accuracy.outcome
    from nba_predictions.prediction_accuracy as prediction_accuracy
    where prediction_accuracy.game_date between date_sub(@start_date, interval 30 day) and @end_date
),

-- The tiers of the player's season average (prediction_accuracy.scoring_tier classifies) and
-- the share of the recommended adjustment each applies.
tiers as (
    select 'STAR_30PLUS' as scoring_tier, 30.0 as tier_min_points, cast(null as float64) as tier_max_points,
        1.0 as application_factor
    union all
    select 'STARTER_20_29', 20.0, 30.0, 0.75
    union all
    select 'ROTATION_10_19', 10.0, 20.0, 0.5
    union all
    select 'BENCH_0_9', 0.0, 10.0, 0.5
),

-- the dates with predictions, graded or not
as_of_dates as (
    select
        player_prop_predictions_base.game_date as as_of_date,
        player_prop_predictions_base.system_id
    from player_prop_predictions_base
),

graded_history as (
    select prediction_accuracy.*
    from prediction_accuracy
    where prediction_accuracy.absolute_error is not null
),

windows as (
    select
        as_of_dates.as_of_date,
        as_of_dates.system_id,
        tiers.scoring_tier,
        tiers.tier_min_points,
        tiers.tier_max_points,
        tiers.application_factor,
        count(graded_history.game_date) as sample_size,
        avg(graded_history.signed_error) as mean_signed_error,
        avg(graded_history.absolute_error) as mean_absolute_error,
        stddev_samp(graded_history.signed_error) as sd_signed_error,
        countif(graded_history.outcome = 'WIN') as wins,
        countif(graded_history.outcome = 'LOSS') as losses,
        countif(graded_history.outcome = 'PUSH') as pushes
    from as_of_dates
    cross join tiers
    left join graded_history
        on graded_history.system_id = as_of_dates.system_id
        and graded_history.scoring_tier = tiers.scoring_tier
        and graded_history.game_date between date_sub(as_of_dates.as_of_date, interval 30 day)
            and date_sub(as_of_dates.as_of_date, interval 1 day)
    group by
        as_of_dates.as_of_date, as_of_dates.system_id, tiers.scoring_tier, tiers.tier_min_points,
        tiers.tier_max_points, tiers.application_factor
),

adjustments as (
    select
        windows.*,
        windows.sample_size >= 20 as meets_min_sample,
        if(windows.sample_size >= 20, 0 - round(windows.mean_signed_error, 2), null) as recommended_adjustment
    from windows
),

final as (
    select
        adjustments.as_of_date,
        adjustments.system_id,
        adjustments.scoring_tier,
        adjustments.tier_min_points,
        adjustments.tier_max_points,
        30 as lookback_days,
        date_sub(adjustments.as_of_date, interval 30 day) as window_start,
        date_sub(adjustments.as_of_date, interval 1 day) as window_end,
        adjustments.sample_size,
        20 as min_sample_size,
        adjustments.meets_min_sample,
        round(adjustments.mean_signed_error, 2) as avg_signed_error,
        round(adjustments.mean_absolute_error, 2) as avg_absolute_error,
        round(adjustments.sd_signed_error, 2) as std_signed_error,
        adjustments.wins,
        adjustments.losses,
        adjustments.pushes,
        round(safe_divide(adjustments.wins, adjustments.wins + adjustments.losses), 3) as current_win_rate,
        adjustments.recommended_adjustment,
        adjustments.application_factor,
        if(
            adjustments.meets_min_sample,
            round(adjustments.recommended_adjustment * adjustments.application_factor, 2),
            0.0
        ) as tier_adjustment,
        if(
            adjustments.meets_min_sample,
            round(
                least(1.0, adjustments.sample_size / (5 * 20))
                * greatest(0.3, 1 - adjustments.sd_signed_error / 20),
                3
            ),
            null
        ) as adjustment_confidence,
        'v1.0' as model_version
    from adjustments
)

select * from final
