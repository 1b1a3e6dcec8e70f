-- Performance summary (5B, spec §4.3) as of every graded date D in [@start_date, @end_date]: per
-- system, period ending on D (the last 7 and 30 days, the month, the season — all within D's
-- season) and slice (overall, player, confidence tier, home/away), the volume, the betting record
-- with pushes apart (D5) and the error of the non-fallback predictions of players who played,
-- fallback rows counted apart (D14).
--
-- Cost: a period's sums are a series' running totals at D minus those at the last graded date
-- before the period (one pass over a date grid per series: each slice, each player overall; the
-- grid holds only the dates read, so a one-day chunk sums its season into a few dates)
-- instead of re-reading every row of every period of every date (quadratic in the season's length:
-- minutes per season); players within a tier or a side only carry a running count, for
-- unique_players. A synthetic 170-day season of 1,500 predictions a day: about 10 s on DuckDB.
-- Errors and confidences are summed in integer hundredths / ten-thousandths, so the differences
-- are exact whatever order the warehouse adds them in.
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
        prediction_accuracy.is_fallback
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

-- the seasons of the as-of dates; only their dates are summed
seasons as (
    select distinct season_calendar.season_year
    from season_calendar
    where season_calendar.game_date between @start_date and @end_date
),

graded as (
    select
        prediction_accuracy.*,
        season_calendar.season_year,
        season_calendar.opener_date,
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
    inner join seasons
        on seasons.season_year = season_calendar.season_year
),

-- every prediction in each slice it belongs to: overall (which per player is the player slice),
-- its confidence tier, its side
sliced as (
    select graded.*, 'overall' as slice_type, cast(null as string) as slice_value
    from graded
    union all
    select graded.*, 'confidence_tier', graded.confidence_tier
    from graded
    where graded.confidence_tier is not null
    union all
    select graded.*, 'situation', graded.situation
    from graded
    where graded.situation is not null
),

season_dates as (
    select distinct
        graded.season_year,
        graded.game_date
    from graded
),

as_of_dates as (
    select distinct
        graded.season_year,
        graded.opener_date,
        graded.game_date as as_of_date
    from graded
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

-- the season's last graded date before each period: its running totals are subtracted
period_bounds as (
    select
        periods.as_of_date,
        periods.season_year,
        periods.period_type,
        periods.period_value,
        periods.period_start,
        max(season_dates.game_date) as before_date
    from periods
    left join season_dates
        on season_dates.season_year = periods.season_year
        and season_dates.game_date < periods.period_start
    group by
        periods.as_of_date, periods.season_year, periods.period_type, periods.period_value, periods.period_start
),

-- the dates whose running totals are read: every as-of date and the last date before each of
-- its periods. A chunk of one day needs a handful, not the season's every date: the running
-- totals below are kept on these dates only, each summing the dates since the previous one.
grid_dates as (
    select period_bounds.season_year, period_bounds.as_of_date as game_date
    from period_bounds
    union distinct
    select period_bounds.season_year, period_bounds.before_date
    from period_bounds
    where period_bounds.before_date is not null
),

-- each date of the season and the grid date its sums go to: the first on or after it
date_buckets as (
    select
        season_dates.season_year,
        season_dates.game_date,
        min(grid_dates.game_date) as bucket_date
    from season_dates
    inner join grid_dates
        on grid_dates.season_year = season_dates.season_year
        and grid_dates.game_date >= season_dates.game_date
    group by season_dates.season_year, season_dates.game_date
),

-- one cell per prediction and slice (a player has one prediction per system and date)
-- every prediction's contribution to each sum, in each slice it belongs to
contributions as (
    select
        sliced.season_year,
        sliced.game_date,
        sliced.system_id,
        sliced.slice_type,
        sliced.slice_value,
        sliced.player_lookup,
        1 as predictions,
        if(sliced.is_dnp, 1, 0) as dnps,
        if(sliced.recommendation in ('OVER', 'UNDER'), 1, 0) as recommendations,
        if(sliced.recommendation = 'OVER', 1, 0) as overs,
        if(sliced.recommendation = 'UNDER', 1, 0) as unders,
        if(sliced.recommendation = 'PASS', 1, 0) as passes,
        if(sliced.recommendation = 'NO_LINE', 1, 0) as no_lines,
        if(sliced.outcome = 'WIN', 1, 0) as hits,
        if(sliced.outcome = 'LOSS', 1, 0) as misses,
        if(sliced.outcome = 'PUSH', 1, 0) as pushes,
        if(sliced.recommendation = 'OVER' and sliced.outcome = 'WIN', 1, 0) as over_hits,
        if(sliced.recommendation = 'OVER' and sliced.outcome = 'LOSS', 1, 0) as over_misses,
        if(sliced.recommendation = 'UNDER' and sliced.outcome = 'WIN', 1, 0) as under_hits,
        if(sliced.recommendation = 'UNDER' and sliced.outcome = 'LOSS', 1, 0) as under_misses,
        if(sliced.absolute_error is not null and not sliced.is_fallback, 1, 0) as graded,
        if(sliced.is_fallback, 0, coalesce(cast(round(sliced.absolute_error * 100) as int64), 0))
            as absolute_error_centi,
        if(sliced.is_fallback, 0, coalesce(cast(round(sliced.signed_error * 100) as int64), 0)) as signed_error_centi,
        if(sliced.within_3_points and not sliced.is_fallback, 1, 0) as within_3,
        if(sliced.within_5_points and not sliced.is_fallback, 1, 0) as within_5,
        if(sliced.is_fallback, 1, 0) as fallbacks,
        if(sliced.is_fallback and sliced.absolute_error is not null, 1, 0) as fallback_graded,
        if(sliced.is_fallback, coalesce(cast(round(sliced.absolute_error * 100) as int64), 0), 0)
            as fallback_absolute_error_centi,
        if(sliced.confidence_score is null, 0, 1) as confidences,
        coalesce(cast(round(sliced.confidence_score * 10000) as int64), 0) as confidence_sum_e4
    from sliced
),

-- per grid date (over the dates since the previous one): each slice's sums (player_lookup NULL)
-- and each player's within it
cells as (
    select
        contributions.season_year,
        date_buckets.bucket_date as game_date,
        contributions.system_id,
        contributions.slice_type,
        contributions.slice_value,
        contributions.player_lookup,
        sum(contributions.predictions) as predictions,
        sum(contributions.dnps) as dnps,
        sum(contributions.recommendations) as recommendations,
        sum(contributions.overs) as overs,
        sum(contributions.unders) as unders,
        sum(contributions.passes) as passes,
        sum(contributions.no_lines) as no_lines,
        sum(contributions.hits) as hits,
        sum(contributions.misses) as misses,
        sum(contributions.pushes) as pushes,
        sum(contributions.over_hits) as over_hits,
        sum(contributions.over_misses) as over_misses,
        sum(contributions.under_hits) as under_hits,
        sum(contributions.under_misses) as under_misses,
        sum(contributions.graded) as graded,
        sum(contributions.absolute_error_centi) as absolute_error_centi,
        sum(contributions.signed_error_centi) as signed_error_centi,
        sum(contributions.within_3) as within_3,
        sum(contributions.within_5) as within_5,
        sum(contributions.fallbacks) as fallbacks,
        sum(contributions.fallback_graded) as fallback_graded,
        sum(contributions.fallback_absolute_error_centi) as fallback_absolute_error_centi,
        sum(contributions.confidences) as confidences,
        sum(contributions.confidence_sum_e4) as confidence_sum_e4
    from contributions
    inner join date_buckets
        on date_buckets.season_year = contributions.season_year
        and date_buckets.game_date = contributions.game_date
    group by grouping sets (
        (contributions.season_year, date_buckets.bucket_date, contributions.system_id, contributions.slice_type,
            contributions.slice_value, contributions.player_lookup),
        (contributions.season_year, date_buckets.bucket_date, contributions.system_id, contributions.slice_type,
            contributions.slice_value)
    )
),

-- the series summed over periods: every slice, and every player overall (the player slices); a
-- player within a tier or a side is only counted (unique_players, below)
partitions as (
    select distinct
        cells.season_year,
        cells.system_id,
        cells.slice_type,
        cells.slice_value,
        cells.player_lookup
    from cells
    where cells.player_lookup is null or cells.slice_type = 'overall'
),

-- running totals of each series at each grid date
running as (
    select
        partitions.season_year,
        partitions.system_id,
        partitions.slice_type,
        partitions.slice_value,
        partitions.player_lookup,
        grid_dates.game_date,
        sum(coalesce(cells.predictions, 0)) over totals as predictions,
        sum(coalesce(cells.dnps, 0)) over totals as dnps,
        sum(coalesce(cells.recommendations, 0)) over totals as recommendations,
        sum(coalesce(cells.overs, 0)) over totals as overs,
        sum(coalesce(cells.unders, 0)) over totals as unders,
        sum(coalesce(cells.passes, 0)) over totals as passes,
        sum(coalesce(cells.no_lines, 0)) over totals as no_lines,
        sum(coalesce(cells.hits, 0)) over totals as hits,
        sum(coalesce(cells.misses, 0)) over totals as misses,
        sum(coalesce(cells.pushes, 0)) over totals as pushes,
        sum(coalesce(cells.over_hits, 0)) over totals as over_hits,
        sum(coalesce(cells.over_misses, 0)) over totals as over_misses,
        sum(coalesce(cells.under_hits, 0)) over totals as under_hits,
        sum(coalesce(cells.under_misses, 0)) over totals as under_misses,
        sum(coalesce(cells.graded, 0)) over totals as graded,
        sum(coalesce(cells.absolute_error_centi, 0)) over totals as absolute_error_centi,
        sum(coalesce(cells.signed_error_centi, 0)) over totals as signed_error_centi,
        sum(coalesce(cells.within_3, 0)) over totals as within_3,
        sum(coalesce(cells.within_5, 0)) over totals as within_5,
        sum(coalesce(cells.fallbacks, 0)) over totals as fallbacks,
        sum(coalesce(cells.fallback_graded, 0)) over totals as fallback_graded,
        sum(coalesce(cells.fallback_absolute_error_centi, 0)) over totals as fallback_absolute_error_centi,
        sum(coalesce(cells.confidences, 0)) over totals as confidences,
        sum(coalesce(cells.confidence_sum_e4, 0)) over totals as confidence_sum_e4
    from partitions
    inner join grid_dates
        on grid_dates.season_year = partitions.season_year
    left join cells
        on cells.season_year = partitions.season_year
        and cells.system_id = partitions.system_id
        and cells.slice_type = partitions.slice_type
        and coalesce(cells.slice_value, '') = coalesce(partitions.slice_value, '')
        and coalesce(cells.player_lookup, '') = coalesce(partitions.player_lookup, '')
        and cells.game_date = grid_dates.game_date
    window totals as (
        partition by partitions.season_year, partitions.system_id, partitions.slice_type, partitions.slice_value,
            partitions.player_lookup
        order by grid_dates.game_date
        rows between unbounded preceding and current row
    )
),

-- running count of each player's predictions in each slice: who appears in a period
appearances as (
    select
        player_cells.season_year,
        player_cells.system_id,
        player_cells.slice_type,
        player_cells.slice_value,
        player_cells.player_lookup,
        grid_dates.game_date,
        sum(coalesce(cells.predictions, 0)) over totals as predictions
    from (
        select distinct
            cells.season_year, cells.system_id, cells.slice_type, cells.slice_value, cells.player_lookup
        from cells
        where cells.player_lookup is not null
    ) as player_cells
    inner join grid_dates
        on grid_dates.season_year = player_cells.season_year
    left join cells
        on cells.season_year = player_cells.season_year
        and cells.system_id = player_cells.system_id
        and cells.slice_type = player_cells.slice_type
        and coalesce(cells.slice_value, '') = coalesce(player_cells.slice_value, '')
        and cells.player_lookup = player_cells.player_lookup
        and cells.game_date = grid_dates.game_date
    window totals as (
        partition by player_cells.season_year, player_cells.system_id, player_cells.slice_type,
            player_cells.slice_value, player_cells.player_lookup
        order by grid_dates.game_date
        rows between unbounded preceding and current row
    )
),

series_periods as (
    select
        period_bounds.as_of_date,
        period_bounds.period_type,
        period_bounds.period_value,
        period_bounds.period_start,
        now.system_id,
        now.slice_type,
        now.slice_value,
        now.player_lookup,
        now.predictions - coalesce(before.predictions, 0) as predictions,
        now.dnps - coalesce(before.dnps, 0) as dnps,
        now.recommendations - coalesce(before.recommendations, 0) as recommendations,
        now.overs - coalesce(before.overs, 0) as overs,
        now.unders - coalesce(before.unders, 0) as unders,
        now.passes - coalesce(before.passes, 0) as passes,
        now.no_lines - coalesce(before.no_lines, 0) as no_lines,
        now.hits - coalesce(before.hits, 0) as hits,
        now.misses - coalesce(before.misses, 0) as misses,
        now.pushes - coalesce(before.pushes, 0) as pushes,
        now.over_hits - coalesce(before.over_hits, 0) as over_hits,
        now.over_misses - coalesce(before.over_misses, 0) as over_misses,
        now.under_hits - coalesce(before.under_hits, 0) as under_hits,
        now.under_misses - coalesce(before.under_misses, 0) as under_misses,
        now.graded - coalesce(before.graded, 0) as graded,
        now.absolute_error_centi - coalesce(before.absolute_error_centi, 0) as absolute_error_centi,
        now.signed_error_centi - coalesce(before.signed_error_centi, 0) as signed_error_centi,
        now.within_3 - coalesce(before.within_3, 0) as within_3,
        now.within_5 - coalesce(before.within_5, 0) as within_5,
        now.fallbacks - coalesce(before.fallbacks, 0) as fallbacks,
        now.fallback_graded - coalesce(before.fallback_graded, 0) as fallback_graded,
        now.fallback_absolute_error_centi - coalesce(before.fallback_absolute_error_centi, 0) as fallback_absolute_error_centi,
        now.confidences - coalesce(before.confidences, 0) as confidences,
        now.confidence_sum_e4 - coalesce(before.confidence_sum_e4, 0) as confidence_sum_e4
    from period_bounds
    inner join running as now
        on now.season_year = period_bounds.season_year
        and now.game_date = period_bounds.as_of_date
    left join running as before
        on before.season_year = now.season_year
        and before.system_id = now.system_id
        and before.slice_type = now.slice_type
        and coalesce(before.slice_value, '') = coalesce(now.slice_value, '')
        and coalesce(before.player_lookup, '') = coalesce(now.player_lookup, '')
        and before.game_date = period_bounds.before_date
    where now.predictions - coalesce(before.predictions, 0) > 0
),

period_players as (
    select
        period_bounds.as_of_date,
        period_bounds.period_type,
        now.system_id,
        now.slice_type,
        now.slice_value,
        countif(now.predictions - coalesce(before.predictions, 0) > 0) as unique_players
    from period_bounds
    inner join appearances as now
        on now.season_year = period_bounds.season_year
        and now.game_date = period_bounds.as_of_date
    left join appearances as before
        on before.season_year = now.season_year
        and before.system_id = now.system_id
        and before.slice_type = now.slice_type
        and coalesce(before.slice_value, '') = coalesce(now.slice_value, '')
        and before.player_lookup = now.player_lookup
        and before.game_date = period_bounds.before_date
    group by period_bounds.as_of_date, period_bounds.period_type, now.system_id, now.slice_type, now.slice_value
),

-- distinct games per slice and date (a game's id holds its date, so they add up over dates)
slice_games as (
    select
        sliced.season_year,
        sliced.game_date,
        sliced.system_id,
        sliced.slice_type,
        sliced.slice_value,
        count(distinct sliced.game_id) as games
    from sliced
    group by sliced.season_year, sliced.game_date, sliced.system_id, sliced.slice_type, sliced.slice_value
),

period_games as (
    select
        period_bounds.as_of_date,
        period_bounds.period_type,
        slice_games.system_id,
        slice_games.slice_type,
        slice_games.slice_value,
        sum(slice_games.games) as unique_games
    from period_bounds
    inner join slice_games
        on slice_games.season_year = period_bounds.season_year
        and slice_games.game_date between period_bounds.period_start and period_bounds.as_of_date
    group by
        period_bounds.as_of_date, period_bounds.period_type, slice_games.system_id, slice_games.slice_type,
        slice_games.slice_value
),

-- a player slice needs 5 predictions in the period; the 200 players with most (ties by name)
ranked_players as (
    select
        series_periods.*,
        row_number() over (
            partition by series_periods.as_of_date, series_periods.system_id, series_periods.period_type
            order by series_periods.predictions desc, series_periods.player_lookup
        ) as player_rank
    from series_periods
    where series_periods.player_lookup is not null and series_periods.predictions >= 5
),

slices as (
    select
        series_periods.* except (slice_type),
        series_periods.slice_type,
        period_players.unique_players,
        period_games.unique_games
    from series_periods
    inner join period_players
        on period_players.as_of_date = series_periods.as_of_date
        and period_players.period_type = series_periods.period_type
        and period_players.system_id = series_periods.system_id
        and period_players.slice_type = series_periods.slice_type
        and coalesce(period_players.slice_value, '') = coalesce(series_periods.slice_value, '')
    inner join period_games
        on period_games.as_of_date = series_periods.as_of_date
        and period_games.period_type = series_periods.period_type
        and period_games.system_id = series_periods.system_id
        and period_games.slice_type = series_periods.slice_type
        and coalesce(period_games.slice_value, '') = coalesce(series_periods.slice_value, '')
    where series_periods.player_lookup is null
    union all
    select
        ranked_players.* except (slice_type, player_rank),
        'player' as slice_type,
        1 as unique_players,
        ranked_players.predictions as unique_games  -- one game per player and date
    from ranked_players
    where ranked_players.player_rank <= 200
),

final as (
    select
        slices.as_of_date,
        concat(
            slices.system_id, '|', slices.period_type, '|', slices.period_value, '|',
            coalesce(slices.player_lookup, 'NULL'), '|NULL|',
            if(slices.slice_type = 'confidence_tier', slices.slice_value, 'NULL'), '|',
            if(slices.slice_type = 'situation', slices.slice_value, 'NULL')
        ) as summary_key,
        slices.system_id,
        slices.period_type,
        slices.period_value,
        slices.period_start,
        slices.slice_type,
        slices.player_lookup,
        if(slices.slice_type = 'confidence_tier', slices.slice_value, null) as confidence_tier,
        if(slices.slice_type = 'situation', slices.slice_value, null) as situation,
        slices.predictions as total_predictions,
        slices.dnps as dnp_count,
        slices.recommendations as total_recommendations,
        slices.overs as over_count,
        slices.unders as under_count,
        slices.passes as pass_count,
        slices.no_lines as no_line_count,
        slices.hits,
        slices.misses,
        slices.pushes,
        round(safe_divide(slices.hits, slices.hits + slices.misses), 3) as hit_rate,
        round(safe_divide(slices.over_hits, slices.over_hits + slices.over_misses), 3) as over_hit_rate,
        round(safe_divide(slices.under_hits, slices.under_hits + slices.under_misses), 3) as under_hit_rate,
        slices.graded as graded_count,
        round(safe_divide(slices.absolute_error_centi, slices.graded) / 100, 2) as mae,
        round(safe_divide(slices.signed_error_centi, slices.graded) / 100, 2) as avg_bias,
        round(safe_divide(slices.within_3, slices.graded), 3) as within_3_pct,
        round(safe_divide(slices.within_5, slices.graded), 3) as within_5_pct,
        slices.fallbacks as fallback_count,
        slices.fallback_graded as fallback_graded_count,
        round(safe_divide(slices.fallback_absolute_error_centi, slices.fallback_graded) / 100, 2) as fallback_mae,
        round(safe_divide(slices.confidence_sum_e4, slices.confidences) / 10000, 3) as avg_confidence,
        slices.unique_players,
        slices.unique_games
    from slices
)

select * from final
