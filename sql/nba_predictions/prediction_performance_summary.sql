-- Performance summary (5B, spec §4.3) as of every graded date D in [@start_date, @end_date]: per
-- system, period ending on D (the last 7 and 30 days, the month, the season — all within D's
-- season) and slice (overall, player, confidence tier, home/away), the volume, the betting record
-- with pushes apart (D5) and the error of the non-fallback predictions of players who played,
-- fallback rows counted apart (D14).
with

prediction_accuracy as (
    select
        prediction_accuracy.game_date,
        prediction_accuracy.player_lookup,
        prediction_accuracy.system_id,
        prediction_accuracy.game_id,
        prediction_accuracy.team_abbr,
        prediction_accuracy.confidence_score,
        prediction_accuracy.recommendation,
        prediction_accuracy.is_dnp,
        prediction_accuracy.absolute_error,
        prediction_accuracy.signed_error,
        prediction_accuracy.within_3_points,
        prediction_accuracy.within_5_points,
        prediction_accuracy.outcome,
        -- a fallback row (XGBoost's month without a model, similarity's < 5 similar games) predicts
        -- without recommending; its error is reported apart, never in a system's MAE
        coalesce(prediction_accuracy.ml_model_id, '') = 'fallback_insufficient_history'
            or (prediction_accuracy.system_id = 'similarity_balanced_v1'
                and coalesce(prediction_accuracy.similarity_sample_size, 0) < 5) as is_fallback
    from nba_predictions.prediction_accuracy as prediction_accuracy
    where prediction_accuracy.game_date between date_sub(@start_date, interval 366 day) and @end_date
),

season_calendar as (
    select
        season_calendar.game_date,
        season_calendar.season_year,
        season_calendar.opener_date
    from nba_staging.season_calendar as season_calendar
    where season_calendar.game_date between date_sub(@start_date, interval 366 day) and @end_date
),

graded as (
    select
        prediction_accuracy.*,
        season_calendar.season_year,
        -- [0.70, 1.0] high (1.0 included: the original's [0.70, 1.0) left it in no tier), [0.55, 0.70) medium
        case
            when prediction_accuracy.confidence_score >= 0.70 then 'high'
            when prediction_accuracy.confidence_score >= 0.55 then 'medium'
            when prediction_accuracy.confidence_score >= 0 then 'low'
        end as confidence_tier,
        -- game_id is YYYYMMDD_AWAY_HOME (D6)
        case
            when prediction_accuracy.team_abbr is null then null
            when ends_with(prediction_accuracy.game_id, concat('_', prediction_accuracy.team_abbr)) then 'home'
            else 'away'
        end as situation
    from prediction_accuracy
    inner join season_calendar
        on season_calendar.game_date = prediction_accuracy.game_date
),

as_of_dates as (
    select distinct
        graded.game_date as as_of_date,
        graded.season_year,
        season_calendar.opener_date
    from graded
    inner join season_calendar
        on season_calendar.game_date = graded.game_date
    where graded.game_date between @start_date and @end_date
),

periods as (
    select
        as_of_dates.as_of_date, as_of_dates.season_year, 'rolling_7d' as period_type,
        cast(as_of_dates.as_of_date as string) as period_value,
        date_sub(as_of_dates.as_of_date, interval 7 day) as period_start
    from as_of_dates
    union all
    select
        as_of_dates.as_of_date, as_of_dates.season_year, 'rolling_30d',
        cast(as_of_dates.as_of_date as string),
        date_sub(as_of_dates.as_of_date, interval 30 day)
    from as_of_dates
    union all
    select
        as_of_dates.as_of_date, as_of_dates.season_year, 'month',
        format_date('%Y-%m', as_of_dates.as_of_date),
        date_trunc(as_of_dates.as_of_date, month)
    from as_of_dates
    union all
    select
        as_of_dates.as_of_date, as_of_dates.season_year, 'season',
        concat(cast(as_of_dates.season_year as string), '-',
            lpad(cast(mod(as_of_dates.season_year + 1, 100) as string), 2, '0')),
        as_of_dates.opener_date
    from as_of_dates
),

windowed as (
    select
        periods.as_of_date,
        periods.period_type,
        periods.period_value,
        periods.period_start,
        graded.*
    from periods
    inner join graded
        on graded.season_year = periods.season_year
        and graded.game_date between periods.period_start and periods.as_of_date
),

slices as (
    select
        windowed.as_of_date,
        windowed.system_id,
        windowed.period_type,
        windowed.period_value,
        min(windowed.period_start) as period_start,
        case
            when grouping(windowed.player_lookup) = 0 then 'player'
            when grouping(windowed.confidence_tier) = 0 then 'confidence_tier'
            when grouping(windowed.situation) = 0 then 'situation'
            else 'overall'
        end as slice_type,
        windowed.player_lookup,
        windowed.confidence_tier,
        windowed.situation,
        count(*) as total_predictions,
        countif(windowed.is_dnp) as dnp_count,
        countif(windowed.recommendation in ('OVER', 'UNDER')) as total_recommendations,
        countif(windowed.recommendation = 'OVER') as over_count,
        countif(windowed.recommendation = 'UNDER') as under_count,
        countif(windowed.recommendation = 'PASS') as pass_count,
        countif(windowed.recommendation = 'NO_LINE') as no_line_count,
        countif(windowed.outcome = 'WIN') as hits,
        countif(windowed.outcome = 'LOSS') as misses,
        countif(windowed.outcome = 'PUSH') as pushes,
        countif(windowed.recommendation = 'OVER' and windowed.outcome = 'WIN') as over_hits,
        countif(windowed.recommendation = 'OVER' and windowed.outcome = 'LOSS') as over_misses,
        countif(windowed.recommendation = 'UNDER' and windowed.outcome = 'WIN') as under_hits,
        countif(windowed.recommendation = 'UNDER' and windowed.outcome = 'LOSS') as under_misses,
        countif(windowed.absolute_error is not null and not windowed.is_fallback) as graded_count,
        avg(if(windowed.is_fallback, null, windowed.absolute_error)) as mean_absolute_error,
        avg(if(windowed.is_fallback, null, windowed.signed_error)) as mean_signed_error,
        countif(windowed.within_3_points and not windowed.is_fallback) as within_3_count,
        countif(windowed.within_5_points and not windowed.is_fallback) as within_5_count,
        countif(windowed.is_fallback) as fallback_count,
        countif(windowed.is_fallback and windowed.absolute_error is not null) as fallback_graded_count,
        avg(if(windowed.is_fallback, windowed.absolute_error, null)) as fallback_mean_absolute_error,
        avg(windowed.confidence_score) as mean_confidence,
        count(distinct windowed.player_lookup) as unique_players,
        count(distinct windowed.game_id) as unique_games
    from windowed
    group by grouping sets (
        (windowed.as_of_date, windowed.system_id, windowed.period_type, windowed.period_value),
        (windowed.as_of_date, windowed.system_id, windowed.period_type, windowed.period_value,
            windowed.player_lookup),
        (windowed.as_of_date, windowed.system_id, windowed.period_type, windowed.period_value,
            windowed.confidence_tier),
        (windowed.as_of_date, windowed.system_id, windowed.period_type, windowed.period_value,
            windowed.situation)
    )
),

-- a slice exists where it has rows: a player needs 5 predictions in the period (the 200 players
-- with most, ties by name), a tier or a side a known value
kept as (
    select
        slices.*,
        row_number() over (
            partition by slices.as_of_date, slices.system_id, slices.period_type, slices.slice_type
            order by slices.total_predictions desc, slices.player_lookup
        ) as player_rank
    from slices
    where (slices.slice_type = 'player' and slices.total_predictions >= 5)
        or (slices.slice_type = 'confidence_tier' and slices.confidence_tier is not null)
        or (slices.slice_type = 'situation' and slices.situation is not null)
        or slices.slice_type = 'overall'
),

final as (
    select
        kept.as_of_date,
        concat(
            kept.system_id, '|', kept.period_type, '|', kept.period_value, '|',
            coalesce(kept.player_lookup, 'NULL'), '|NULL|', coalesce(kept.confidence_tier, 'NULL'), '|',
            coalesce(kept.situation, 'NULL')
        ) as summary_key,
        kept.system_id,
        kept.period_type,
        kept.period_value,
        kept.period_start,
        kept.slice_type,
        kept.player_lookup,
        kept.confidence_tier,
        kept.situation,
        kept.total_predictions,
        kept.dnp_count,
        kept.total_recommendations,
        kept.over_count,
        kept.under_count,
        kept.pass_count,
        kept.no_line_count,
        kept.hits,
        kept.misses,
        kept.pushes,
        round(safe_divide(kept.hits, kept.hits + kept.misses), 3) as hit_rate,
        round(safe_divide(kept.over_hits, kept.over_hits + kept.over_misses), 3) as over_hit_rate,
        round(safe_divide(kept.under_hits, kept.under_hits + kept.under_misses), 3) as under_hit_rate,
        kept.graded_count,
        round(kept.mean_absolute_error, 2) as mae,
        round(kept.mean_signed_error, 2) as avg_bias,
        round(safe_divide(kept.within_3_count, kept.graded_count), 3) as within_3_pct,
        round(safe_divide(kept.within_5_count, kept.graded_count), 3) as within_5_pct,
        kept.fallback_count,
        kept.fallback_graded_count,
        round(kept.fallback_mean_absolute_error, 2) as fallback_mae,
        round(kept.mean_confidence, 3) as avg_confidence,
        kept.unique_players,
        kept.unique_games,
        substr(to_hex(sha256(concat(
            cast(kept.hits as string), '|', cast(kept.misses as string), '|', cast(kept.total_predictions as string)
        ))), 1, 16) as data_hash
    from kept
    where kept.slice_type <> 'player' or kept.player_rank <= 200
)

select * from final
