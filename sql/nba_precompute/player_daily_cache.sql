-- Daily snapshot of slow-changing stats of every player on a roster of D, for each game date D
-- in [@start_date, @end_date] outside the season's 14 bootstrap days (D7): scoring, minutes,
-- usage and efficiency over his games of the season strictly before D (D1), his team's pace and
-- offensive rating, workload from D's pre-game context, shot-zone tendencies from D's
-- player_shot_zone_analysis, and data completeness against his team's games. Below 5 games the
-- player's stats are NULL; incomplete players are flagged, never dropped (D8).
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
        upcoming_player_game_context.team_abbr,
        upcoming_player_game_context.games_in_last_7_days,
        upcoming_player_game_context.games_in_last_14_days,
        upcoming_player_game_context.minutes_in_last_7_days,
        upcoming_player_game_context.minutes_in_last_14_days,
        upcoming_player_game_context.back_to_backs_last_14_days,
        upcoming_player_game_context.avg_minutes_per_game_last_7
    from nba_analytics.upcoming_player_game_context as upcoming_player_game_context
    where upcoming_player_game_context.game_date between @start_date and @end_date
),

player_game_summary as (
    select
        player_game_summary.player_lookup,
        player_game_summary.game_date,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.usage_rate,
        player_game_summary.ts_pct,
        player_game_summary.fg_makes,
        player_game_summary.assisted_fg_makes,
        player_game_summary.shot_zones_available
    from nba_analytics.player_game_summary as player_game_summary
    where player_game_summary.game_date between date_sub(@start_date, interval 366 day)
            and date_sub(@end_date, interval 1 day)
        -- games he played (the one definition of "did not play": nba_staging.player_boxscores)
        and player_game_summary.played
),

team_offense_game_summary as (
    select
        team_offense_game_summary.team_abbr,
        team_offense_game_summary.game_date,
        team_offense_game_summary.pace,
        team_offense_game_summary.offensive_rating
    from nba_analytics.team_offense_game_summary as team_offense_game_summary
    where team_offense_game_summary.game_date between date_sub(@start_date, interval 366 day)
        and date_sub(@end_date, interval 1 day)
),

player_shot_zone_analysis as (
    select
        player_shot_zone_analysis.analysis_date,
        player_shot_zone_analysis.player_lookup,
        player_shot_zone_analysis.primary_scoring_zone,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10
    from nba_precompute.player_shot_zone_analysis as player_shot_zone_analysis
    where player_shot_zone_analysis.analysis_date between @start_date and @end_date
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

-- The player's games of D's season strictly before D, newest first (at most 82).
season_games as (
    select
        players.game_date as cache_date,
        players.player_lookup,
        player_game_summary.game_date,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.usage_rate,
        player_game_summary.ts_pct,
        player_game_summary.fg_makes,
        player_game_summary.assisted_fg_makes,
        player_game_summary.shot_zones_available,
        row_number() over (
            partition by players.game_date, players.player_lookup
            order by player_game_summary.game_date desc
        ) as game_rank
    from players
    inner join player_game_summary
        on player_game_summary.player_lookup = players.player_lookup
        and player_game_summary.game_date >= players.opener_date
        and player_game_summary.game_date < players.game_date
),

player_stats as (
    select
        season_games.cache_date,
        season_games.player_lookup,
        count(*) as games_played_season,
        avg(if(season_games.game_rank <= 5, season_games.points, null)) as points_avg_last_5,
        avg(if(season_games.game_rank <= 10, season_games.points, null)) as points_avg_last_10,
        avg(season_games.points) as points_avg_season,
        stddev_samp(if(season_games.game_rank <= 10, season_games.points, null)) as points_std_last_10,
        avg(if(season_games.game_rank <= 10, season_games.minutes_played, null)) as minutes_avg_last_10,
        avg(if(season_games.game_rank <= 10, season_games.usage_rate, null)) as usage_rate_last_10,
        avg(if(season_games.game_rank <= 10, season_games.ts_pct, null)) as ts_pct_last_10,
        avg(season_games.usage_rate) as usage_rate_season,
        -- assisted makes exist only for games with play-by-play: both sums over those games
        safe_divide(
            sum(if(season_games.game_rank <= 10 and season_games.shot_zones_available,
                season_games.assisted_fg_makes, null)),
            sum(if(season_games.game_rank <= 10 and season_games.shot_zones_available,
                season_games.fg_makes, null))) as assisted_rate_last_10
    from season_games
    where season_games.game_rank <= 82
    group by season_games.cache_date, season_games.player_lookup
),

-- The context team's games of D's season before D, newest first: its pace and offence, and the
-- games the player was expected to play (completeness).
team_games as (
    select
        players.game_date as cache_date,
        players.player_lookup,
        team_offense_game_summary.game_date,
        team_offense_game_summary.pace,
        team_offense_game_summary.offensive_rating,
        row_number() over (
            partition by players.game_date, players.player_lookup
            order by team_offense_game_summary.game_date desc
        ) as team_game_rank
    from players
    inner join team_offense_game_summary
        on team_offense_game_summary.team_abbr = players.team_abbr
        and team_offense_game_summary.game_date >= players.opener_date
        and team_offense_game_summary.game_date < players.game_date
),

team_windows as (
    select
        team_games.cache_date,
        team_games.player_lookup,
        avg(if(team_games.team_game_rank <= 10, team_games.pace, null)) as team_pace_last_10,
        avg(if(team_games.team_game_rank <= 10, team_games.offensive_rating, null)) as team_off_rating_last_10,
        countif(team_games.team_game_rank <= 5) as l5_expected,
        min(if(team_games.team_game_rank <= 5, team_games.game_date, null)) as l5_first_date,
        countif(team_games.team_game_rank <= 10) as l10_expected,
        min(if(team_games.team_game_rank <= 10, team_games.game_date, null)) as l10_first_date,
        countif(team_games.game_date >= date_sub(team_games.cache_date, interval 7 day)) as l7d_expected,
        countif(team_games.game_date >= date_sub(team_games.cache_date, interval 14 day)) as l14d_expected
    from team_games
    group by team_games.cache_date, team_games.player_lookup
),

-- A player's games in each window, by date (a traded player's games for his old team count);
-- capped at the team's count. sum(if(..)) rather than countif: a player without games has one
-- all-NULL joined row, where DuckDB's COUNT_IF returns NULL and BigQuery's COUNTIF 0.
window_counts as (
    select
        players.game_date as cache_date,
        players.player_lookup,
        ifnull(team_windows.l5_expected, 0) as l5_expected,
        ifnull(team_windows.l10_expected, 0) as l10_expected,
        ifnull(team_windows.l7d_expected, 0) as l7d_expected,
        ifnull(team_windows.l14d_expected, 0) as l14d_expected,
        least(ifnull(team_windows.l5_expected, 0),
            sum(if(season_games.game_date >= team_windows.l5_first_date, 1, 0))) as l5_actual,
        least(ifnull(team_windows.l10_expected, 0),
            sum(if(season_games.game_date >= team_windows.l10_first_date, 1, 0))) as l10_actual,
        least(ifnull(team_windows.l7d_expected, 0),
            sum(if(season_games.game_date >= date_sub(players.game_date, interval 7 day), 1, 0))) as l7d_actual,
        least(ifnull(team_windows.l14d_expected, 0),
            sum(if(season_games.game_date >= date_sub(players.game_date, interval 14 day), 1, 0))) as l14d_actual
    from players
    left join team_windows
        on team_windows.cache_date = players.game_date
        and team_windows.player_lookup = players.player_lookup
    left join season_games
        on season_games.cache_date = players.game_date
        and season_games.player_lookup = players.player_lookup
    group by players.game_date, players.player_lookup, team_windows.l5_expected, team_windows.l10_expected,
        team_windows.l7d_expected, team_windows.l14d_expected, team_windows.l5_first_date,
        team_windows.l10_first_date
),

-- A window with no expected game (e.g. after the All-Star break) is complete: nothing is missing.
completeness as (
    select
        window_counts.*,
        ifnull(round(100 * safe_divide(window_counts.l5_actual, window_counts.l5_expected), 2), 100.0)
            as l5_completeness_pct,
        ifnull(round(100 * safe_divide(window_counts.l10_actual, window_counts.l10_expected), 2), 100.0)
            as l10_completeness_pct,
        ifnull(round(100 * safe_divide(window_counts.l7d_actual, window_counts.l7d_expected), 2), 100.0)
            as l7d_completeness_pct,
        ifnull(round(100 * safe_divide(window_counts.l14d_actual, window_counts.l14d_expected), 2), 100.0)
            as l14d_completeness_pct
    from window_counts
),

final as (
    select
        players.player_lookup,
        players.universal_player_id,
        players.game_date as cache_date,
        players.season_year,
        players.team_abbr,
        if(stats.games_played_season >= 5, round(stats.points_avg_last_5, 1), null) as points_avg_last_5,
        if(stats.games_played_season >= 5, round(stats.points_avg_last_10, 1), null) as points_avg_last_10,
        if(stats.games_played_season >= 5, round(stats.points_avg_season, 1), null) as points_avg_season,
        if(stats.games_played_season >= 5, round(stats.points_std_last_10, 2), null) as points_std_last_10,
        if(stats.games_played_season >= 5, round(stats.minutes_avg_last_10, 1), null) as minutes_avg_last_10,
        if(stats.games_played_season >= 5, round(stats.usage_rate_last_10, 2), null) as usage_rate_last_10,
        if(stats.games_played_season >= 5, round(stats.ts_pct_last_10, 3), null) as ts_pct_last_10,
        ifnull(stats.games_played_season, 0) as games_played_season,
        round(team_windows.team_pace_last_10, 1) as team_pace_last_10,
        round(team_windows.team_off_rating_last_10, 2) as team_off_rating_last_10,
        if(stats.games_played_season >= 5, round(stats.usage_rate_season, 2), null) as player_usage_rate_season,
        players.games_in_last_7_days,
        players.games_in_last_14_days,
        players.minutes_in_last_7_days,
        players.minutes_in_last_14_days,
        players.back_to_backs_last_14_days,
        players.avg_minutes_per_game_last_7,
        player_shot_zone_analysis.primary_scoring_zone,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10,
        if(stats.games_played_season >= 5, round(stats.assisted_rate_last_10, 2), null) as assisted_rate_last_10,
        ifnull(player_shot_zone_analysis.paint_rate_last_10 is not null, false) as shot_zone_data_available,
        ifnull(stats.games_played_season, 0) < 10 as early_season_flag,
        case
            when ifnull(stats.games_played_season, 0) < 5 then
                concat('Only ', cast(ifnull(stats.games_played_season, 0) as string), ' games played, need 5 minimum')
            when stats.games_played_season < 10 then
                concat('Only ', cast(stats.games_played_season as string), ' games played, need 10 minimum')
        end as insufficient_data_reason,
        completeness.l5_completeness_pct,
        completeness.l10_completeness_pct,
        completeness.l7d_completeness_pct,
        completeness.l14d_completeness_pct,
        completeness.l5_completeness_pct >= 70 as l5_is_complete,
        completeness.l10_completeness_pct >= 70 as l10_is_complete,
        completeness.l7d_completeness_pct >= 70 as l7d_is_complete,
        completeness.l14d_completeness_pct >= 70 as l14d_is_complete,
        completeness.l5_completeness_pct >= 70 and completeness.l10_completeness_pct >= 70
            and completeness.l7d_completeness_pct >= 70 and completeness.l14d_completeness_pct >= 70
            as all_windows_complete,
        completeness.l5_expected as expected_games_count,
        completeness.l5_actual as actual_games_count,
        completeness.l5_expected - completeness.l5_actual as missing_games_count,
        completeness.l5_completeness_pct as completeness_percentage,
        ifnull(stats.games_played_season, 0) >= 5
            and completeness.l5_completeness_pct >= 70 and completeness.l10_completeness_pct >= 70
            and completeness.l7d_completeness_pct >= 70 and completeness.l14d_completeness_pct >= 70
            as is_production_ready,
        case
            when completeness.l5_completeness_pct >= 95 then 'gold'
            when completeness.l5_completeness_pct >= 75 then 'silver'
            when completeness.l5_completeness_pct >= 50 then 'bronze'
            when completeness.l5_completeness_pct >= 25 then 'poor'
            else 'unusable'
        end as quality_tier,
        'v2' as cache_version
    from players
    left join player_stats as stats
        on stats.cache_date = players.game_date
        and stats.player_lookup = players.player_lookup
    left join team_windows
        on team_windows.cache_date = players.game_date
        and team_windows.player_lookup = players.player_lookup
    inner join completeness
        on completeness.cache_date = players.game_date
        and completeness.player_lookup = players.player_lookup
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = players.game_date
        and player_shot_zone_analysis.player_lookup = players.player_lookup
)

select * from final
