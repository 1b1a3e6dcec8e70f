-- Shot distribution, efficiency and volume by zone of every player on a roster of D (the
-- players expected to play, from upcoming_player_game_context), for each game date D in
-- [@start_date, @end_date] outside the season's 14 bootstrap days (D7): his last 10 (and 20)
-- games of the season strictly before D (D1). Short samples are flagged, below 5 games the
-- metrics are NULL (D8).
with

season_calendar as (
    select
        season_calendar.game_date,
        season_calendar.season_year,
        season_calendar.opener_date
    from nba_staging.season_calendar as season_calendar
    where season_calendar.game_date between @start_date and @end_date
        -- D7: no rows on a season's 14 bootstrap days
        and not season_calendar.is_bootstrap
),

upcoming_player_game_context as (
    select
        upcoming_player_game_context.player_lookup,
        upcoming_player_game_context.universal_player_id,
        upcoming_player_game_context.game_date,
        upcoming_player_game_context.team_abbr
    from nba_analytics.upcoming_player_game_context as upcoming_player_game_context
    where upcoming_player_game_context.game_date between @start_date and @end_date
),

player_game_summary as (
    select
        player_game_summary.player_lookup,
        player_game_summary.game_date,
        player_game_summary.paint_attempts,
        player_game_summary.paint_makes,
        player_game_summary.mid_range_attempts,
        player_game_summary.mid_range_makes,
        player_game_summary.three_pt_attempts,
        player_game_summary.three_pt_makes,
        player_game_summary.assisted_fg_makes,
        player_game_summary.unassisted_fg_makes,
        player_game_summary.fg_makes,
        player_game_summary.shot_zones_available
    from nba_analytics.player_game_summary as player_game_summary
    where player_game_summary.game_date between date_sub(@start_date, interval 366 day)
            and date_sub(@end_date, interval 1 day)
        -- games he played (the one definition of "did not play": nba_staging.player_boxscores)
        and player_game_summary.played
),

players as (
    select
        upcoming_player_game_context.*,
        season_calendar.season_year,
        season_calendar.opener_date
    from upcoming_player_game_context
    inner join season_calendar
        on season_calendar.game_date = upcoming_player_game_context.game_date
),

-- The player's games of D's season strictly before D, newest first. Zone counts are kept only
-- for games covered by play-by-play, so an uncovered game adds neither to the zone totals nor
-- (through its box-score threes) to one zone alone.
season_games as (
    select
        players.game_date as analysis_date,
        players.player_lookup,
        row_number() over (
            partition by players.game_date, players.player_lookup
            order by player_game_summary.game_date desc
        ) as game_rank,
        player_game_summary.shot_zones_available,
        if(player_game_summary.shot_zones_available, player_game_summary.paint_attempts, null) as paint_attempts,
        if(player_game_summary.shot_zones_available, player_game_summary.paint_makes, null) as paint_makes,
        if(player_game_summary.shot_zones_available, player_game_summary.mid_range_attempts, null)
            as mid_range_attempts,
        if(player_game_summary.shot_zones_available, player_game_summary.mid_range_makes, null) as mid_range_makes,
        if(player_game_summary.shot_zones_available, player_game_summary.three_pt_attempts, null)
            as three_pt_attempts,
        if(player_game_summary.shot_zones_available, player_game_summary.three_pt_makes, null) as three_pt_makes,
        if(player_game_summary.shot_zones_available, player_game_summary.assisted_fg_makes, null)
            as assisted_fg_makes,
        if(player_game_summary.shot_zones_available, player_game_summary.unassisted_fg_makes, null)
            as unassisted_fg_makes,
        if(player_game_summary.shot_zones_available, player_game_summary.fg_makes, null) as fg_makes
    from players
    inner join player_game_summary
        on player_game_summary.player_lookup = players.player_lookup
        and player_game_summary.game_date >= players.opener_date
        and player_game_summary.game_date < players.game_date
),

player_windows as (
    select
        season_games.analysis_date,
        season_games.player_lookup,
        countif(season_games.game_rank <= 10) as games_10,
        countif(season_games.game_rank <= 10 and season_games.shot_zones_available) as zone_games_10,
        sum(if(season_games.game_rank <= 10, season_games.paint_attempts, null)) as paint_attempts_10,
        sum(if(season_games.game_rank <= 10, season_games.paint_makes, null)) as paint_makes_10,
        sum(if(season_games.game_rank <= 10, season_games.mid_range_attempts, null)) as mid_range_attempts_10,
        sum(if(season_games.game_rank <= 10, season_games.mid_range_makes, null)) as mid_range_makes_10,
        sum(if(season_games.game_rank <= 10, season_games.three_pt_attempts, null)) as three_pt_attempts_10,
        sum(if(season_games.game_rank <= 10, season_games.three_pt_makes, null)) as three_pt_makes_10,
        sum(if(season_games.game_rank <= 10, season_games.assisted_fg_makes, null)) as assisted_makes_10,
        sum(if(season_games.game_rank <= 10, season_games.unassisted_fg_makes, null)) as unassisted_makes_10,
        sum(if(season_games.game_rank <= 10, season_games.fg_makes, null)) as fg_makes_10,
        countif(season_games.game_rank <= 20) as games_20,
        sum(if(season_games.game_rank <= 20, season_games.paint_attempts, null)) as paint_attempts_20,
        sum(if(season_games.game_rank <= 20, season_games.paint_makes, null)) as paint_makes_20,
        sum(if(season_games.game_rank <= 20,
            season_games.paint_attempts + season_games.mid_range_attempts + season_games.three_pt_attempts, null))
            as zone_attempts_20
    from season_games
    where season_games.game_rank <= 20
    group by season_games.analysis_date, season_games.player_lookup
),

player_samples as (
    select
        players.player_lookup,
        players.universal_player_id,
        players.game_date as analysis_date,
        players.season_year,
        players.team_abbr,
        ifnull(player_windows.games_10, 0) as games_10,
        ifnull(player_windows.zone_games_10, 0) as zone_games_10,
        ifnull(player_windows.games_20, 0) as games_20,
        player_windows.paint_attempts_10,
        player_windows.paint_makes_10,
        player_windows.mid_range_attempts_10,
        player_windows.mid_range_makes_10,
        player_windows.three_pt_attempts_10,
        player_windows.three_pt_makes_10,
        player_windows.assisted_makes_10,
        player_windows.unassisted_makes_10,
        player_windows.fg_makes_10,
        nullif(player_windows.paint_attempts_10 + player_windows.mid_range_attempts_10
            + player_windows.three_pt_attempts_10, 0) as zone_attempts_10,
        player_windows.paint_attempts_20,
        player_windows.paint_makes_20,
        nullif(player_windows.zone_attempts_20, 0) as zone_attempts_20,
        ifnull(player_windows.games_10, 0) >= 5 as has_metrics
    from players
    left join player_windows
        on player_windows.analysis_date = players.game_date
        and player_windows.player_lookup = players.player_lookup
),

player_rates as (
    select
        player_samples.*,
        if(player_samples.has_metrics,
            round(100 * player_samples.paint_attempts_10 / player_samples.zone_attempts_10, 2), null)
            as paint_rate_last_10,
        if(player_samples.has_metrics,
            round(100 * player_samples.mid_range_attempts_10 / player_samples.zone_attempts_10, 2), null)
            as mid_range_rate_last_10,
        if(player_samples.has_metrics,
            round(100 * player_samples.three_pt_attempts_10 / player_samples.zone_attempts_10, 2), null)
            as three_pt_rate_last_10
    from player_samples
),

final as (
    select
        player_rates.player_lookup,
        player_rates.universal_player_id,
        player_rates.analysis_date,
        player_rates.season_year,
        player_rates.team_abbr,
        player_rates.paint_rate_last_10,
        player_rates.mid_range_rate_last_10,
        player_rates.three_pt_rate_last_10,
        if(player_rates.has_metrics, player_rates.zone_attempts_10, null) as total_shots_last_10,
        player_rates.games_10 as games_in_sample_10,
        player_rates.zone_games_10 as zone_games_in_sample_10,
        case
            when player_rates.games_10 >= 10 then 'excellent'
            when player_rates.games_10 >= 7 then 'good'
            when player_rates.games_10 >= 5 then 'limited'
            else 'insufficient'
        end as sample_quality_10,
        if(player_rates.has_metrics,
            round(safe_divide(player_rates.paint_makes_10, player_rates.paint_attempts_10), 3), null)
            as paint_pct_last_10,
        if(player_rates.has_metrics,
            round(safe_divide(player_rates.mid_range_makes_10, player_rates.mid_range_attempts_10), 3), null)
            as mid_range_pct_last_10,
        if(player_rates.has_metrics,
            round(safe_divide(player_rates.three_pt_makes_10, player_rates.three_pt_attempts_10), 3), null)
            as three_pt_pct_last_10,
        if(player_rates.has_metrics,
            round(safe_divide(player_rates.paint_attempts_10, player_rates.zone_games_10), 1), null)
            as paint_attempts_per_game,
        if(player_rates.has_metrics,
            round(safe_divide(player_rates.mid_range_attempts_10, player_rates.zone_games_10), 1), null)
            as mid_range_attempts_per_game,
        if(player_rates.has_metrics,
            round(safe_divide(player_rates.three_pt_attempts_10, player_rates.zone_games_10), 1), null)
            as three_pt_attempts_per_game,
        if(player_rates.games_20 >= 15,
            round(100 * player_rates.paint_attempts_20 / player_rates.zone_attempts_20, 2), null)
            as paint_rate_last_20,
        if(player_rates.games_20 >= 15,
            round(safe_divide(player_rates.paint_makes_20, player_rates.paint_attempts_20), 3), null)
            as paint_pct_last_20,
        player_rates.games_20 as games_in_sample_20,
        case
            when player_rates.games_20 >= 20 then 'excellent'
            when player_rates.games_20 >= 14 then 'good'
            when player_rates.games_20 >= 10 then 'limited'
            else 'insufficient'
        end as sample_quality_20,
        if(player_rates.has_metrics and player_rates.zone_attempts_10 is not null,
            round(100 * safe_divide(player_rates.assisted_makes_10, player_rates.fg_makes_10), 2), null)
            as assisted_rate_last_10,
        if(player_rates.has_metrics and player_rates.zone_attempts_10 is not null,
            round(100 * safe_divide(player_rates.unassisted_makes_10, player_rates.fg_makes_10), 2), null)
            as unassisted_rate_last_10,
        case
            when player_rates.paint_rate_last_10 is null then null
            when player_rates.paint_rate_last_10 >= 40 then 'paint'
            when player_rates.three_pt_rate_last_10 >= 40 then 'perimeter'
            when player_rates.mid_range_rate_last_10 >= 35 then 'mid_range'
            else 'balanced'
        end as primary_scoring_zone,
        case
            when player_rates.games_10 >= 10 then 'high'
            when player_rates.games_10 >= 7 then 'medium'
            else 'low'
        end as data_quality_tier,
        player_rates.games_10 < 10 as early_season_flag,
        case
            when player_rates.games_10 = 0 then 'No games this season before the analysis date'
            when not player_rates.has_metrics then
                concat('Only ', cast(player_rates.games_10 as string), ' games, need 5 to compute')
            when player_rates.zone_attempts_10 is null then 'No shot-zone data in the last 10 games'
            when player_rates.games_10 < 10 then
                concat('Only ', cast(player_rates.games_10 as string), ' games of a 10-game window')
        end as insufficient_data_reason,
        player_rates.games_10 >= 10 and player_rates.paint_rate_last_10 is not null as is_production_ready,
        array(
            select issue
            from unnest([
                if(player_rates.games_10 < 10, 'thin_sample', null),
                if(player_rates.zone_games_10 < player_rates.games_10, 'shot_zones_unavailable', null)
            ]) as issue
            where issue is not null
        ) as data_quality_issues
    from player_rates
)

select * from final
