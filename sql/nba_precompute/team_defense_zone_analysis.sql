-- Defensive profile by shot zone of every team with a game this season, for each game date D in
-- [@start_date, @end_date] outside the season's 14 bootstrap days (D7): the team's last 15 games
-- strictly before D (D1), compared with the league average of the 30 days before D. A team with
-- fewer than 15 games still gets a row, flagged; with fewer than 5 its metrics are NULL (D8).
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

team_defense_game_summary as (
    select
        team_defense_game_summary.game_date,
        team_defense_game_summary.defending_team_abbr,
        team_defense_game_summary.opp_paint_makes,
        team_defense_game_summary.opp_paint_attempts,
        team_defense_game_summary.opp_mid_range_makes,
        team_defense_game_summary.opp_mid_range_attempts,
        team_defense_game_summary.opp_three_pt_makes,
        team_defense_game_summary.opp_three_pt_attempts,
        team_defense_game_summary.points_in_paint_allowed,
        team_defense_game_summary.blocks_paint,
        team_defense_game_summary.blocks_mid_range,
        team_defense_game_summary.blocks_three_pt,
        team_defense_game_summary.points_allowed,
        team_defense_game_summary.defensive_rating,
        team_defense_game_summary.opponent_pace
    from nba_analytics.team_defense_game_summary as team_defense_game_summary
    where team_defense_game_summary.game_date between date_sub(@start_date, interval 366 day)
        and date_sub(@end_date, interval 1 day)
),

-- Each team's games of D's season strictly before D, newest first.
season_games as (
    select
        season_calendar.game_date as analysis_date,
        season_calendar.season_year,
        team_defense_game_summary.*,
        row_number() over (
            partition by season_calendar.game_date, team_defense_game_summary.defending_team_abbr
            order by team_defense_game_summary.game_date desc
        ) as game_rank
    from season_calendar
    inner join team_defense_game_summary
        on team_defense_game_summary.game_date >= season_calendar.opener_date
        and team_defense_game_summary.game_date < season_calendar.game_date
),

-- Per-game means skip games without play-by-play (NULL zone counts), so they are means over
-- the games that have the value.
team_windows as (
    select
        season_games.analysis_date,
        season_games.season_year,
        season_games.defending_team_abbr as team_abbr,
        count(*) as games_in_sample,
        safe_divide(sum(season_games.opp_paint_makes), sum(season_games.opp_paint_attempts)) as paint_pct,
        safe_divide(sum(season_games.opp_mid_range_makes), sum(season_games.opp_mid_range_attempts))
            as mid_range_pct,
        safe_divide(sum(season_games.opp_three_pt_makes), sum(season_games.opp_three_pt_attempts))
            as three_pt_pct,
        ifnull(sum(season_games.opp_paint_attempts), 0) as paint_attempts,
        ifnull(sum(season_games.opp_mid_range_attempts), 0) as mid_range_attempts,
        ifnull(sum(season_games.opp_three_pt_attempts), 0) as three_pt_attempts,
        avg(season_games.opp_paint_attempts) as paint_attempts_per_game,
        avg(season_games.points_in_paint_allowed) as paint_points_per_game,
        avg(season_games.blocks_paint) as paint_blocks_per_game,
        avg(season_games.opp_mid_range_attempts) as mid_range_attempts_per_game,
        avg(season_games.blocks_mid_range) as mid_range_blocks_per_game,
        avg(season_games.opp_three_pt_attempts) as three_pt_attempts_per_game,
        avg(season_games.blocks_three_pt) as three_pt_blocks_per_game,
        avg(season_games.defensive_rating) as defensive_rating,
        avg(season_games.points_allowed) as points_allowed_per_game,
        avg(season_games.opponent_pace) as opponent_pace
    from season_games
    where season_games.game_rank <= 15
    group by season_games.analysis_date, season_games.season_year, season_games.defending_team_abbr
),

-- League average: teams with >= 10 games in [D - 30, D) and all three zone percentages known;
-- the unweighted mean across >= 10 such teams, else the original's defaults.
league_team_windows as (
    select
        season_calendar.game_date as analysis_date,
        team_defense_game_summary.defending_team_abbr,
        safe_divide(sum(team_defense_game_summary.opp_paint_makes),
            sum(team_defense_game_summary.opp_paint_attempts)) as paint_pct,
        safe_divide(sum(team_defense_game_summary.opp_mid_range_makes),
            sum(team_defense_game_summary.opp_mid_range_attempts)) as mid_range_pct,
        safe_divide(sum(team_defense_game_summary.opp_three_pt_makes),
            sum(team_defense_game_summary.opp_three_pt_attempts)) as three_pt_pct
    from season_calendar
    inner join team_defense_game_summary
        on team_defense_game_summary.game_date >= date_sub(season_calendar.game_date, interval 30 day)
        and team_defense_game_summary.game_date < season_calendar.game_date
    group by season_calendar.game_date, team_defense_game_summary.defending_team_abbr
    having count(*) >= 10
),

league_averages as (
    select
        league_team_windows.analysis_date,
        count(*) as teams,
        avg(league_team_windows.paint_pct) as paint_pct,
        avg(league_team_windows.mid_range_pct) as mid_range_pct,
        avg(league_team_windows.three_pt_pct) as three_pt_pct
    from league_team_windows
    where league_team_windows.paint_pct is not null
        and league_team_windows.mid_range_pct is not null
        and league_team_windows.three_pt_pct is not null
    group by league_team_windows.analysis_date
    having count(*) >= 10
),

team_measures as (
    select
        team_windows.*,
        team_windows.games_in_sample >= 5 as has_metrics,
        league_averages.teams as league_average_teams,
        ifnull(league_averages.paint_pct, 0.580) as league_paint_pct,
        ifnull(league_averages.mid_range_pct, 0.410) as league_mid_range_pct,
        ifnull(league_averages.three_pt_pct, 0.355) as league_three_pt_pct
    from team_windows
    left join league_averages
        on league_averages.analysis_date = team_windows.analysis_date
),

team_zones as (
    select
        team_measures.*,
        if(team_measures.has_metrics,
            round((team_measures.paint_pct - team_measures.league_paint_pct) * 100, 2), null)
            as paint_defense_vs_league_avg,
        if(team_measures.has_metrics,
            round((team_measures.mid_range_pct - team_measures.league_mid_range_pct) * 100, 2), null)
            as mid_range_defense_vs_league_avg,
        if(team_measures.has_metrics,
            round((team_measures.three_pt_pct - team_measures.league_three_pt_pct) * 100, 2), null)
            as three_pt_defense_vs_league_avg
    from team_measures
),

zone_values as (
    select team_zones.analysis_date, team_zones.team_abbr, 'paint' as zone, 1 as zone_order,
        team_zones.paint_defense_vs_league_avg as vs_league
    from team_zones
    union all
    select team_zones.analysis_date, team_zones.team_abbr, 'mid_range' as zone, 2 as zone_order,
        team_zones.mid_range_defense_vs_league_avg as vs_league
    from team_zones
    union all
    select team_zones.analysis_date, team_zones.team_abbr, 'perimeter' as zone, 3 as zone_order,
        team_zones.three_pt_defense_vs_league_avg as vs_league
    from team_zones
),

-- Strongest = the zone allowing the least vs the league (most negative), weakest = the most;
-- ties go to paint, then mid-range.
ranked_zones as (
    select
        zone_values.*,
        row_number() over (team_zone_values order by zone_values.vs_league, zone_values.zone_order)
            as strongest_rank,
        row_number() over (team_zone_values order by zone_values.vs_league desc, zone_values.zone_order)
            as weakest_rank
    from zone_values
    where zone_values.vs_league is not null
    window team_zone_values as (partition by zone_values.analysis_date, zone_values.team_abbr)
),

zone_extremes as (
    select
        ranked_zones.analysis_date,
        ranked_zones.team_abbr,
        max(if(ranked_zones.strongest_rank = 1, ranked_zones.zone, null)) as strongest_zone,
        max(if(ranked_zones.weakest_rank = 1, ranked_zones.zone, null)) as weakest_zone
    from ranked_zones
    group by ranked_zones.analysis_date, ranked_zones.team_abbr
),

final as (
    select
        team_zones.team_abbr,
        team_zones.analysis_date,
        team_zones.season_year,
        if(team_zones.has_metrics, round(team_zones.paint_pct, 3), null) as paint_pct_allowed_last_15,
        if(team_zones.has_metrics, round(team_zones.paint_attempts_per_game, 1), null)
            as paint_attempts_allowed_per_game,
        if(team_zones.has_metrics, round(team_zones.paint_points_per_game, 1), null)
            as paint_points_allowed_per_game,
        if(team_zones.has_metrics, round(team_zones.paint_blocks_per_game, 1), null) as paint_blocks_per_game,
        team_zones.paint_defense_vs_league_avg,
        if(team_zones.has_metrics, round(team_zones.mid_range_pct, 3), null) as mid_range_pct_allowed_last_15,
        if(team_zones.has_metrics, round(team_zones.mid_range_attempts_per_game, 1), null)
            as mid_range_attempts_allowed_per_game,
        if(team_zones.has_metrics, round(team_zones.mid_range_blocks_per_game, 1), null)
            as mid_range_blocks_per_game,
        team_zones.mid_range_defense_vs_league_avg,
        if(team_zones.has_metrics, round(team_zones.three_pt_pct, 3), null) as three_pt_pct_allowed_last_15,
        if(team_zones.has_metrics, round(team_zones.three_pt_attempts_per_game, 1), null)
            as three_pt_attempts_allowed_per_game,
        if(team_zones.has_metrics, round(team_zones.three_pt_blocks_per_game, 1), null)
            as three_pt_blocks_per_game,
        team_zones.three_pt_defense_vs_league_avg,
        if(team_zones.has_metrics, round(team_zones.defensive_rating, 2), null) as defensive_rating_last_15,
        if(team_zones.has_metrics, round(team_zones.points_allowed_per_game, 1), null)
            as opponent_points_per_game,
        if(team_zones.has_metrics, round(team_zones.opponent_pace, 1), null) as opponent_pace,
        team_zones.games_in_sample,
        zone_extremes.strongest_zone,
        zone_extremes.weakest_zone,
        round(team_zones.league_paint_pct, 3) as league_paint_pct,
        round(team_zones.league_mid_range_pct, 3) as league_mid_range_pct,
        round(team_zones.league_three_pt_pct, 3) as league_three_pt_pct,
        if(team_zones.league_average_teams is null, 'default', 'computed') as league_average_source,
        team_zones.league_average_teams,
        case
            when team_zones.games_in_sample >= 15 then 'high'
            when team_zones.games_in_sample >= 10 then 'medium'
            else 'low'
        end as data_quality_tier,
        if(team_zones.has_metrics,
            nullif(array_to_string(array(
                select note
                from unnest([
                    if(team_zones.paint_attempts = 0, 'No paint attempts', null),
                    if(team_zones.mid_range_attempts = 0, 'No mid-range attempts', null),
                    if(team_zones.three_pt_attempts = 0, 'No three-point attempts', null)
                ]) as note
                where note is not null
            ), '; '), ''),
            null) as calculation_notes,
        team_zones.games_in_sample < 15 as early_season_flag,
        case
            when not team_zones.has_metrics then
                concat('Only ', cast(team_zones.games_in_sample as string), ' games, need 5 to compute')
            when team_zones.games_in_sample < 15 then
                concat('Only ', cast(team_zones.games_in_sample as string), ' games of a 15-game window')
        end as insufficient_data_reason,
        team_zones.games_in_sample >= 15 as is_production_ready,
        array(
            select issue
            from unnest([
                if(team_zones.games_in_sample < 15, 'thin_sample', null),
                if(team_zones.league_average_teams is null, 'league_average_default', null)
            ]) as issue
            where issue is not null
        ) as data_quality_issues
    from team_zones
    left join zone_extremes
        on zone_extremes.analysis_date = team_zones.analysis_date
        and zone_extremes.team_abbr = team_zones.team_abbr
)

select * from final
