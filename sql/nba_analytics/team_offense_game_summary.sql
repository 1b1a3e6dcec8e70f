-- Offence of every team in every final game dated [@start_date, @end_date]: two rows per game.
-- Source per game: the NBA.com team box score (latest load), else the sum of the game's player
-- rows (nba_staging.player_boxscores: active gamebook players, BDL for teams the gamebook lacks).
-- Shot zones come from BigDataBall play-by-play (nba_staging.play_by_play_shots) whenever it
-- covers the game.
with

nbac_schedule as (
    select
        nbac_schedule.game_date,
        nbac_schedule.game_status,
        nbac_schedule.home_team_tricode,
        nbac_schedule.away_team_tricode
    from nba_raw.nbac_schedule as nbac_schedule
    where nbac_schedule.game_date between @start_date and @end_date
),

nbac_team_boxscore as (
    select
        nbac_team_boxscore.game_id,
        nbac_team_boxscore.nba_game_id,
        nbac_team_boxscore.game_date,
        nbac_team_boxscore.season_year,
        nbac_team_boxscore.team_abbr,
        nbac_team_boxscore.is_home,
        nbac_team_boxscore.minutes,
        nbac_team_boxscore.points,
        nbac_team_boxscore.fg_made,
        nbac_team_boxscore.fg_attempted,
        nbac_team_boxscore.three_pt_made,
        nbac_team_boxscore.three_pt_attempted,
        nbac_team_boxscore.ft_made,
        nbac_team_boxscore.ft_attempted,
        nbac_team_boxscore.offensive_rebounds,
        nbac_team_boxscore.defensive_rebounds,
        nbac_team_boxscore.total_rebounds,
        nbac_team_boxscore.assists,
        nbac_team_boxscore.steals,
        nbac_team_boxscore.blocks,
        nbac_team_boxscore.turnovers,
        nbac_team_boxscore.personal_fouls,
        nbac_team_boxscore.processed_at
    from nba_raw.nbac_team_boxscore as nbac_team_boxscore
    where nbac_team_boxscore.game_date between @start_date and @end_date
),

player_boxscores as (
    select
        player_boxscores.game_id,
        player_boxscores.game_date,
        player_boxscores.season_year,
        player_boxscores.team_abbr,
        player_boxscores.home_team_abbr,
        player_boxscores.minutes_decimal,
        player_boxscores.points,
        player_boxscores.fg_makes,
        player_boxscores.fg_attempts,
        player_boxscores.three_pt_makes,
        player_boxscores.three_pt_attempts,
        player_boxscores.ft_makes,
        player_boxscores.ft_attempts,
        player_boxscores.offensive_rebounds,
        player_boxscores.defensive_rebounds,
        player_boxscores.total_rebounds,
        player_boxscores.assists,
        player_boxscores.steals,
        player_boxscores.blocks,
        player_boxscores.turnovers,
        player_boxscores.personal_fouls,
        player_boxscores.primary_source_used
    from nba_staging.player_boxscores as player_boxscores
    where player_boxscores.game_date between @start_date and @end_date
),

play_by_play_shots as (
    select
        play_by_play_shots.game_date,
        play_by_play_shots.home_team_abbr,
        play_by_play_shots.away_team_abbr,
        play_by_play_shots.zone,
        play_by_play_shots.shot_made,
        play_by_play_shots.shooter_team_abbr,
        play_by_play_shots.player_2_role
    from nba_staging.play_by_play_shots as play_by_play_shots
    where play_by_play_shots.game_date between @start_date and @end_date
        and play_by_play_shots.zone is not null  -- field goals, not free throws
),

-- Post-game rows wait for the game to be final (D12, catalogue.POSTGAME_TABLES): a team-date whose
-- game the schedule does not call final (scheduled, or in progress with partial box scores) is left
-- out; a team-date the schedule lacks is kept (the Phase 3 gate reports it as unscheduled).
unfinished_team_dates as (
    select
        schedule_teams.game_date,
        schedule_teams.team_abbr
    from (
        select nbac_schedule.game_date, nbac_schedule.home_team_tricode as team_abbr, nbac_schedule.game_status
        from nbac_schedule
        union all
        select nbac_schedule.game_date, nbac_schedule.away_team_tricode as team_abbr, nbac_schedule.game_status
        from nbac_schedule
    ) as schedule_teams
    group by schedule_teams.game_date, schedule_teams.team_abbr
    having countif(schedule_teams.game_status = 3) = 0
),

-- A game can be loaded more than once; earlier loads may hold wrong numbers.
team_box_latest as (
    select nbac_team_boxscore.*
    from nbac_team_boxscore
    where not exists (
        select 1
        from unfinished_team_dates
        where unfinished_team_dates.game_date = nbac_team_boxscore.game_date
            and unfinished_team_dates.team_abbr = nbac_team_boxscore.team_abbr
    )
    qualify row_number() over (
        partition by nbac_team_boxscore.game_date, nbac_team_boxscore.team_abbr
        order by nbac_team_boxscore.processed_at desc, nbac_team_boxscore.game_id
    ) = 1
),

box_team_games as (
    select
        team.game_date,
        team.season_year,
        team.nba_game_id,
        team.team_abbr,
        opponent.team_abbr as opponent_team_abbr,
        team.is_home as home_game,
        team.points,
        team.fg_made as fg_makes,
        team.fg_attempted as fg_attempts,
        team.three_pt_made as three_pt_makes,
        team.three_pt_attempted as three_pt_attempts,
        team.ft_made as ft_makes,
        team.ft_attempted as ft_attempts,
        team.offensive_rebounds,
        team.defensive_rebounds,
        team.total_rebounds,
        team.assists,
        team.steals,
        team.blocks,
        team.turnovers,
        team.personal_fouls,
        -- "265:00" = 240 regulation minutes + 25 (5 players x 5) per overtime
        coalesce(safe_cast(split(team.minutes, ':')[safe_offset(0)] as int64), 240) as team_minutes,
        opponent.points as opponent_points,
        'nbac_team_boxscore' as primary_source_used
    from team_box_latest as team
    inner join team_box_latest as opponent
        on opponent.game_date = team.game_date
        and opponent.game_id = team.game_id
        and opponent.is_home <> team.is_home
),

-- Every team-game from its players' box scores (one source per team and date, see
-- player_boxscores); at least five players make a team.
reconstructed_teams as (
    select
        player_boxscores.game_date,
        player_boxscores.game_id,
        player_boxscores.team_abbr,
        max(player_boxscores.season_year) as season_year,
        ifnull(logical_or(player_boxscores.team_abbr = player_boxscores.home_team_abbr), false) as home_game,
        sum(ifnull(player_boxscores.points, 0)) as points,
        sum(ifnull(player_boxscores.fg_makes, 0)) as fg_makes,
        sum(ifnull(player_boxscores.fg_attempts, 0)) as fg_attempts,
        sum(ifnull(player_boxscores.three_pt_makes, 0)) as three_pt_makes,
        sum(ifnull(player_boxscores.three_pt_attempts, 0)) as three_pt_attempts,
        sum(ifnull(player_boxscores.ft_makes, 0)) as ft_makes,
        sum(ifnull(player_boxscores.ft_attempts, 0)) as ft_attempts,
        sum(ifnull(player_boxscores.offensive_rebounds, 0)) as offensive_rebounds,
        sum(ifnull(player_boxscores.defensive_rebounds, 0)) as defensive_rebounds,
        sum(ifnull(player_boxscores.total_rebounds, 0)) as total_rebounds,
        sum(ifnull(player_boxscores.assists, 0)) as assists,
        sum(ifnull(player_boxscores.steals, 0)) as steals,
        sum(ifnull(player_boxscores.blocks, 0)) as blocks,
        sum(ifnull(player_boxscores.turnovers, 0)) as turnovers,
        sum(ifnull(player_boxscores.personal_fouls, 0)) as personal_fouls,
        -- player minutes add up to 240 + 25 per overtime, give or take rounding of seconds
        240 + 25 * greatest(0, cast(round((sum(ifnull(player_boxscores.minutes_decimal, 0)) - 240) / 25) as int64))
            as team_minutes,
        if(logical_or(player_boxscores.primary_source_used = 'bdl_boxscores'),
            'reconstructed_team_from_bdl', 'reconstructed_team_from_gamebook') as primary_source_used
    from player_boxscores
    group by player_boxscores.game_date, player_boxscores.game_id, player_boxscores.team_abbr
    having count(*) >= 5
),

-- Per game, not per range: only teams whose game is missing from the team box score.
reconstructed_team_games as (
    select
        team.game_date,
        team.season_year,
        cast(null as string) as nba_game_id,
        team.team_abbr,
        opponent.team_abbr as opponent_team_abbr,
        team.home_game,
        team.points,
        team.fg_makes,
        team.fg_attempts,
        team.three_pt_makes,
        team.three_pt_attempts,
        team.ft_makes,
        team.ft_attempts,
        team.offensive_rebounds,
        team.defensive_rebounds,
        team.total_rebounds,
        team.assists,
        team.steals,
        team.blocks,
        team.turnovers,
        team.personal_fouls,
        greatest(team.team_minutes, opponent.team_minutes) as team_minutes,
        opponent.points as opponent_points,
        team.primary_source_used
    from reconstructed_teams as team
    inner join reconstructed_teams as opponent
        on opponent.game_date = team.game_date
        and opponent.game_id = team.game_id
        and opponent.team_abbr <> team.team_abbr
    where not exists (
        select 1
        from box_team_games
        where box_team_games.game_date = team.game_date
            and box_team_games.team_abbr in (team.team_abbr, opponent.team_abbr)
    )
),

team_games as (
    select * from box_team_games
    union all
    select * from reconstructed_team_games
),

-- The play-by-play covers both teams of every game it has shots for.
pbp_team_games as (
    select distinct
        play_by_play_shots.game_date,
        team_abbr
    from play_by_play_shots
    cross join unnest([play_by_play_shots.home_team_abbr, play_by_play_shots.away_team_abbr,
        play_by_play_shots.shooter_team_abbr]) as team_abbr
    where team_abbr is not null
),

team_shot_zones as (
    select
        pbp_team_games.game_date,
        pbp_team_games.team_abbr,
        countif(play_by_play_shots.zone = 'paint') as paint_attempts,
        countif(play_by_play_shots.zone = 'paint' and play_by_play_shots.shot_made) as paint_makes,
        countif(play_by_play_shots.zone = 'mid_range') as mid_range_attempts,
        countif(play_by_play_shots.zone = 'mid_range' and play_by_play_shots.shot_made) as mid_range_makes,
        countif(play_by_play_shots.zone = 'paint' and play_by_play_shots.player_2_role = 'block')
            as paint_shots_blocked,
        countif(play_by_play_shots.zone = 'mid_range' and play_by_play_shots.player_2_role = 'block')
            as mid_range_shots_blocked,
        countif(play_by_play_shots.zone = 'three_pt' and play_by_play_shots.player_2_role = 'block')
            as three_pt_shots_blocked
    from pbp_team_games
    left join play_by_play_shots
        on play_by_play_shots.game_date = pbp_team_games.game_date
        and play_by_play_shots.shooter_team_abbr = pbp_team_games.team_abbr
    group by pbp_team_games.game_date, pbp_team_games.team_abbr
),

team_game_metrics as (
    select
        team_games.*,
        -- possessions at 1-decimal precision drive the rating and pace; the column stores the integer part
        round(team_games.fg_attempts + 0.44 * team_games.ft_attempts + team_games.turnovers
            - team_games.offensive_rebounds, 1) as possessions_exact,
        case
            when team_games.team_minutes <= 240 then 0
            else cast(floor((team_games.team_minutes - 240) / 25) as int64)
        end as overtime_periods,
        team_games.points
            = 2 * (team_games.fg_makes - team_games.three_pt_makes) + 3 * team_games.three_pt_makes
            + team_games.ft_makes as points_add_up
    from team_games
),

final as (
    select
        concat(
            format_date('%Y%m%d', team_game_metrics.game_date), '_',
            if(team_game_metrics.home_game, team_game_metrics.opponent_team_abbr, team_game_metrics.team_abbr), '_',
            if(team_game_metrics.home_game, team_game_metrics.team_abbr, team_game_metrics.opponent_team_abbr)
        ) as game_id,
        team_game_metrics.nba_game_id,
        team_game_metrics.game_date,
        team_game_metrics.season_year,
        team_game_metrics.team_abbr,
        team_game_metrics.opponent_team_abbr,
        team_game_metrics.home_game,
        team_game_metrics.points as points_scored,
        team_game_metrics.opponent_points as points_allowed,
        team_game_metrics.fg_attempts,
        team_game_metrics.fg_makes,
        team_game_metrics.three_pt_attempts,
        team_game_metrics.three_pt_makes,
        team_game_metrics.ft_attempts,
        team_game_metrics.ft_makes,
        team_game_metrics.offensive_rebounds,
        team_game_metrics.defensive_rebounds,
        team_game_metrics.total_rebounds as rebounds,
        team_game_metrics.assists,
        team_game_metrics.steals,
        team_game_metrics.blocks,
        team_game_metrics.turnovers,
        team_game_metrics.personal_fouls,
        cast(trunc(team_game_metrics.possessions_exact) as int64) as possessions,
        round(safe_divide(team_game_metrics.points, team_game_metrics.possessions_exact) * 100, 2)
            as offensive_rating,
        round(team_game_metrics.possessions_exact * 48 / (team_game_metrics.team_minutes / 5), 1) as pace,
        round(safe_divide(team_game_metrics.points,
            2 * (team_game_metrics.fg_attempts + 0.44 * team_game_metrics.ft_attempts)), 3) as ts_pct,
        team_game_metrics.points > team_game_metrics.opponent_points as win_flag,
        team_game_metrics.points - team_game_metrics.opponent_points as margin_of_victory,
        team_game_metrics.overtime_periods,
        team_shot_zones.paint_attempts as team_paint_attempts,
        team_shot_zones.paint_makes as team_paint_makes,
        team_shot_zones.mid_range_attempts as team_mid_range_attempts,
        team_shot_zones.mid_range_makes as team_mid_range_makes,
        2 * team_shot_zones.paint_makes as points_in_paint_scored,
        team_shot_zones.paint_shots_blocked,
        team_shot_zones.mid_range_shots_blocked,
        team_shot_zones.three_pt_shots_blocked,
        team_shot_zones.team_abbr is not null as shot_zones_available,
        if(team_shot_zones.team_abbr is not null, 'bigdataball_play_by_play', null) as shot_zones_source,
        team_game_metrics.primary_source_used,
        if(team_game_metrics.primary_source_used = 'nbac_team_boxscore', 'gold', 'silver') as quality_tier,
        if(team_game_metrics.primary_source_used = 'nbac_team_boxscore', 100, 85) as quality_score,
        array(
            select issue
            from unnest([
                if(team_game_metrics.primary_source_used <> 'nbac_team_boxscore', 'backup_source_used', null),
                if(team_game_metrics.primary_source_used <> 'nbac_team_boxscore', 'reconstructed', null),
                if(team_shot_zones.team_abbr is null, 'shot_zones_unavailable', null),
                if(not team_game_metrics.points_add_up, 'points_mismatch', null)
            ]) as issue
            where issue is not null
        ) as quality_issues,
        ifnull(team_game_metrics.points_add_up, false) as is_production_ready
    from team_game_metrics
    left join team_shot_zones
        on team_shot_zones.game_date = team_game_metrics.game_date
        and team_shot_zones.team_abbr = team_game_metrics.team_abbr
)

select * from final
