-- Offence of every team in every game dated [@start_date, @end_date]: two rows per game.
-- Source per game: the NBA.com team box score (latest load), else the sum of the game's player
-- rows (active gamebook players, BDL for teams the gamebook lacks). Shot zones come from
-- BigDataBall play-by-play whenever it covers the game.
with

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

nbac_gamebook_player_stats as (
    select
        nbac_gamebook_player_stats.game_id,
        nbac_gamebook_player_stats.game_date,
        nbac_gamebook_player_stats.season_year,
        nbac_gamebook_player_stats.team_abbr,
        nbac_gamebook_player_stats.home_team_abbr,
        nbac_gamebook_player_stats.minutes,
        nbac_gamebook_player_stats.points,
        nbac_gamebook_player_stats.field_goals_made,
        nbac_gamebook_player_stats.field_goals_attempted,
        nbac_gamebook_player_stats.three_pointers_made,
        nbac_gamebook_player_stats.three_pointers_attempted,
        nbac_gamebook_player_stats.free_throws_made,
        nbac_gamebook_player_stats.free_throws_attempted,
        nbac_gamebook_player_stats.offensive_rebounds,
        nbac_gamebook_player_stats.defensive_rebounds,
        nbac_gamebook_player_stats.total_rebounds,
        nbac_gamebook_player_stats.assists,
        nbac_gamebook_player_stats.steals,
        nbac_gamebook_player_stats.blocks,
        nbac_gamebook_player_stats.turnovers,
        nbac_gamebook_player_stats.personal_fouls
    from nba_raw.nbac_gamebook_player_stats as nbac_gamebook_player_stats
    where nbac_gamebook_player_stats.game_date between @start_date and @end_date
        and nbac_gamebook_player_stats.player_status = 'active'
),

bdl_player_boxscores as (
    select
        bdl_player_boxscores.game_id,
        bdl_player_boxscores.game_date,
        bdl_player_boxscores.season_year,
        bdl_player_boxscores.team_abbr,
        bdl_player_boxscores.minutes,
        bdl_player_boxscores.points,
        bdl_player_boxscores.field_goals_made,
        bdl_player_boxscores.field_goals_attempted,
        bdl_player_boxscores.three_pointers_made,
        bdl_player_boxscores.three_pointers_attempted,
        bdl_player_boxscores.free_throws_made,
        bdl_player_boxscores.free_throws_attempted,
        bdl_player_boxscores.offensive_rebounds,
        bdl_player_boxscores.defensive_rebounds,
        bdl_player_boxscores.rebounds,
        bdl_player_boxscores.assists,
        bdl_player_boxscores.steals,
        bdl_player_boxscores.blocks,
        bdl_player_boxscores.turnovers,
        bdl_player_boxscores.personal_fouls
    from nba_raw.bdl_player_boxscores as bdl_player_boxscores
    where bdl_player_boxscores.game_date between @start_date and @end_date
),

bigdataball_play_by_play as (
    select
        bigdataball_play_by_play.game_date,
        bigdataball_play_by_play.home_team_abbr,
        bigdataball_play_by_play.away_team_abbr,
        bigdataball_play_by_play.event_subtype,
        bigdataball_play_by_play.shot_made,
        bigdataball_play_by_play.shot_type,
        bigdataball_play_by_play.shot_distance,
        bigdataball_play_by_play.player_1_team_abbr,
        bigdataball_play_by_play.player_2_role
    from nba_raw.bigdataball_play_by_play as bigdataball_play_by_play
    where bigdataball_play_by_play.game_date between @start_date and @end_date
        and bigdataball_play_by_play.event_type = 'shot'
        and bigdataball_play_by_play.shot_type in ('2PT', '3PT')
        and bigdataball_play_by_play.shot_made is not null
),

-- A game can be loaded more than once; earlier loads may hold wrong numbers.
team_box_latest as (
    select nbac_team_boxscore.*
    from nbac_team_boxscore
    where true
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

-- Player rows of every team-game: the active gamebook players, or BDL when the gamebook has no
-- active player of that team on that date.
player_rows as (
    select
        nbac_gamebook_player_stats.game_id,
        nbac_gamebook_player_stats.game_date,
        nbac_gamebook_player_stats.season_year,
        nbac_gamebook_player_stats.team_abbr,
        coalesce(nbac_gamebook_player_stats.home_team_abbr,
            split(nbac_gamebook_player_stats.game_id, '_')[safe_offset(2)]) as home_team_abbr,
        nbac_gamebook_player_stats.minutes,
        nbac_gamebook_player_stats.points,
        nbac_gamebook_player_stats.field_goals_made,
        nbac_gamebook_player_stats.field_goals_attempted,
        nbac_gamebook_player_stats.three_pointers_made,
        nbac_gamebook_player_stats.three_pointers_attempted,
        nbac_gamebook_player_stats.free_throws_made,
        nbac_gamebook_player_stats.free_throws_attempted,
        nbac_gamebook_player_stats.offensive_rebounds,
        nbac_gamebook_player_stats.defensive_rebounds,
        nbac_gamebook_player_stats.total_rebounds,
        nbac_gamebook_player_stats.assists,
        nbac_gamebook_player_stats.steals,
        nbac_gamebook_player_stats.blocks,
        nbac_gamebook_player_stats.turnovers,
        nbac_gamebook_player_stats.personal_fouls,
        'reconstructed_team_from_gamebook' as source
    from nbac_gamebook_player_stats
    union all
    select
        bdl_player_boxscores.game_id,
        bdl_player_boxscores.game_date,
        bdl_player_boxscores.season_year,
        bdl_player_boxscores.team_abbr,
        -- BDL has no home/away columns; the date-based id is YYYYMMDD_AWAY_HOME
        split(bdl_player_boxscores.game_id, '_')[safe_offset(2)] as home_team_abbr,
        bdl_player_boxscores.minutes,
        bdl_player_boxscores.points,
        bdl_player_boxscores.field_goals_made,
        bdl_player_boxscores.field_goals_attempted,
        bdl_player_boxscores.three_pointers_made,
        bdl_player_boxscores.three_pointers_attempted,
        bdl_player_boxscores.free_throws_made,
        bdl_player_boxscores.free_throws_attempted,
        bdl_player_boxscores.offensive_rebounds,
        bdl_player_boxscores.defensive_rebounds,
        bdl_player_boxscores.rebounds as total_rebounds,
        bdl_player_boxscores.assists,
        bdl_player_boxscores.steals,
        bdl_player_boxscores.blocks,
        bdl_player_boxscores.turnovers,
        bdl_player_boxscores.personal_fouls,
        'reconstructed_team_from_bdl' as source
    from bdl_player_boxscores
    where not exists (
        select 1
        from nbac_gamebook_player_stats
        where nbac_gamebook_player_stats.game_date = bdl_player_boxscores.game_date
            and nbac_gamebook_player_stats.team_abbr = bdl_player_boxscores.team_abbr
    )
),

player_minutes as (
    select
        player_rows.*,
        case
            when regexp_contains(player_rows.minutes, r'^\d+:[0-5]?\d$')
                then cast(split(player_rows.minutes, ':')[offset(0)] as int64)
                    + cast(split(player_rows.minutes, ':')[offset(1)] as int64) / 60
            when regexp_contains(player_rows.minutes, r'^\d+(\.\d+)?$')
                then cast(player_rows.minutes as float64)
        end as minutes_decimal
    from player_rows
),

reconstructed_teams as (
    select
        player_minutes.game_date,
        player_minutes.game_id,
        player_minutes.team_abbr,
        max(player_minutes.season_year) as season_year,
        ifnull(logical_or(player_minutes.team_abbr = player_minutes.home_team_abbr), false) as home_game,
        sum(ifnull(player_minutes.points, 0)) as points,
        sum(ifnull(player_minutes.field_goals_made, 0)) as fg_makes,
        sum(ifnull(player_minutes.field_goals_attempted, 0)) as fg_attempts,
        sum(ifnull(player_minutes.three_pointers_made, 0)) as three_pt_makes,
        sum(ifnull(player_minutes.three_pointers_attempted, 0)) as three_pt_attempts,
        sum(ifnull(player_minutes.free_throws_made, 0)) as ft_makes,
        sum(ifnull(player_minutes.free_throws_attempted, 0)) as ft_attempts,
        sum(ifnull(player_minutes.offensive_rebounds, 0)) as offensive_rebounds,
        sum(ifnull(player_minutes.defensive_rebounds, 0)) as defensive_rebounds,
        sum(ifnull(player_minutes.total_rebounds, 0)) as total_rebounds,
        sum(ifnull(player_minutes.assists, 0)) as assists,
        sum(ifnull(player_minutes.steals, 0)) as steals,
        sum(ifnull(player_minutes.blocks, 0)) as blocks,
        sum(ifnull(player_minutes.turnovers, 0)) as turnovers,
        sum(ifnull(player_minutes.personal_fouls, 0)) as personal_fouls,
        -- player minutes add up to 240 + 25 per overtime, give or take rounding of seconds
        240 + 25 * greatest(0, cast(round((sum(ifnull(player_minutes.minutes_decimal, 0)) - 240) / 25) as int64))
            as team_minutes,
        min(player_minutes.source) as primary_source_used
    from player_minutes
    group by player_minutes.game_date, player_minutes.game_id, player_minutes.team_abbr
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

-- Zone rule shared with player_game_summary: three = 3PT, paint = 2PT within 8 ft, mid = other 2PT.
shot_zones as (
    select
        bigdataball_play_by_play.game_date,
        bigdataball_play_by_play.player_1_team_abbr as team_abbr,
        case
            when bigdataball_play_by_play.shot_type = '3PT'
                or lower(bigdataball_play_by_play.event_subtype) like '%3pt%' then 'three_pt'
            when bigdataball_play_by_play.shot_distance <= 8.0 then 'paint'
            else 'mid_range'
        end as zone,
        bigdataball_play_by_play.shot_made,
        ifnull(bigdataball_play_by_play.player_2_role = 'block', false) as was_blocked
    from bigdataball_play_by_play
),

-- The play-by-play covers both teams of every game it has shots for.
pbp_team_games as (
    select distinct
        bigdataball_play_by_play.game_date,
        team_abbr
    from bigdataball_play_by_play
    cross join unnest([bigdataball_play_by_play.home_team_abbr, bigdataball_play_by_play.away_team_abbr,
        bigdataball_play_by_play.player_1_team_abbr]) as team_abbr
    where team_abbr is not null
),

team_shot_zones as (
    select
        pbp_team_games.game_date,
        pbp_team_games.team_abbr,
        countif(shot_zones.zone = 'paint') as paint_attempts,
        countif(shot_zones.zone = 'paint' and shot_zones.shot_made) as paint_makes,
        countif(shot_zones.zone = 'mid_range') as mid_range_attempts,
        countif(shot_zones.zone = 'mid_range' and shot_zones.shot_made) as mid_range_makes,
        countif(shot_zones.zone = 'paint' and shot_zones.was_blocked) as paint_shots_blocked,
        countif(shot_zones.zone = 'mid_range' and shot_zones.was_blocked) as mid_range_shots_blocked,
        countif(shot_zones.zone = 'three_pt' and shot_zones.was_blocked) as three_pt_shots_blocked
    from pbp_team_games
    left join shot_zones
        on shot_zones.game_date = pbp_team_games.game_date
        and shot_zones.team_abbr = pbp_team_games.team_abbr
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
