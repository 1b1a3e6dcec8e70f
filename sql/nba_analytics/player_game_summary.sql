-- Box score, efficiency, shot zones and prop outcome of every player who played a game dated
-- [@start_date, @end_date]. Players come from nba_staging.player_boxscores (the active gamebook
-- rows, or BDL's for a team the gamebook lacks on that date), shot zones from
-- nba_staging.play_by_play_shots, the prop line is the current consensus of
-- nba_staging.player_prop_lines (D2).
with

player_boxscores as (
    select
        player_boxscores.game_date,
        player_boxscores.season_year,
        player_boxscores.player_lookup,
        player_boxscores.player_full_name,
        player_boxscores.team_abbr,
        player_boxscores.home_team_abbr,
        player_boxscores.away_team_abbr,
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
        player_boxscores.plus_minus,
        player_boxscores.processed_at,
        player_boxscores.primary_source_used,
        player_boxscores.played
    from nba_staging.player_boxscores as player_boxscores
    where player_boxscores.game_date between @start_date and @end_date
),

play_by_play_shots as (
    select
        play_by_play_shots.game_date,
        play_by_play_shots.home_team_abbr,
        play_by_play_shots.away_team_abbr,
        play_by_play_shots.event_type,
        play_by_play_shots.event_subtype,
        play_by_play_shots.shot_made,
        play_by_play_shots.zone,
        play_by_play_shots.shooter_lookup,
        play_by_play_shots.shooter_team_abbr,
        play_by_play_shots.player_2_lookup,
        play_by_play_shots.player_2_role
    from nba_staging.play_by_play_shots as play_by_play_shots
    where play_by_play_shots.game_date between @start_date and @end_date
),

player_prop_lines as (
    select
        player_prop_lines.game_date,
        player_prop_lines.player_lookup,
        player_prop_lines.current_points_line,
        player_prop_lines.current_points_line_books
    from nba_staging.player_prop_lines as player_prop_lines
    where player_prop_lines.game_date between @start_date and @end_date
),

team_offense_game_summary as (
    select
        team_offense_game_summary.game_date,
        team_offense_game_summary.team_abbr,
        team_offense_game_summary.fg_attempts,
        team_offense_game_summary.ft_attempts,
        team_offense_game_summary.turnovers,
        team_offense_game_summary.win_flag
    from nba_analytics.team_offense_game_summary as team_offense_game_summary
    where team_offense_game_summary.game_date between @start_date and @end_date
),

nba_players_registry as (
    select
        nba_players_registry.player_lookup,
        nba_players_registry.universal_player_id,
        nba_players_registry.team_abbr,
        nba_players_registry.season_year
    from nba_reference.nba_players_registry as nba_players_registry
),

-- One row per player and date even if a source loaded the game twice (e.g. under two game ids).
players as (
    select
        player_boxscores.* except (minutes_decimal),
        if(player_boxscores.team_abbr = player_boxscores.home_team_abbr,
            player_boxscores.away_team_abbr, player_boxscores.home_team_abbr) as opponent_team_abbr,
        -- usage_rate and starter_flag work on the minutes at 2 decimals
        round(player_boxscores.minutes_decimal, 2) as minutes_decimal
    from player_boxscores
    where true
    qualify row_number() over (
        partition by player_boxscores.game_date, player_boxscores.player_lookup
        order by player_boxscores.processed_at desc, player_boxscores.team_abbr
    ) = 1
),

team_points as (
    select
        players.game_date,
        players.team_abbr,
        sum(players.points) as points
    from players
    group by players.game_date, players.team_abbr
),

registry_ids as (
    select
        players.game_date,
        players.player_lookup,
        nba_players_registry.universal_player_id
    from players
    inner join nba_players_registry
        on nba_players_registry.player_lookup = players.player_lookup
    where true
    qualify row_number() over (
        partition by players.game_date, players.player_lookup
        order by
            nba_players_registry.season_year = players.season_year
                and nba_players_registry.team_abbr = players.team_abbr desc,
            nba_players_registry.season_year = players.season_year desc,
            nba_players_registry.season_year desc,
            nba_players_registry.universal_player_id
    ) = 1
),

-- The play-by-play covers both teams of every game it has shots for.
pbp_team_games as (
    select distinct
        play_by_play_shots.game_date,
        team_abbr
    from play_by_play_shots
    cross join unnest([play_by_play_shots.home_team_abbr, play_by_play_shots.away_team_abbr,
        play_by_play_shots.shooter_team_abbr]) as team_abbr
    where play_by_play_shots.zone is not null
        and team_abbr is not null
),

player_shots as (
    select
        play_by_play_shots.game_date,
        play_by_play_shots.shooter_lookup as player_lookup,
        countif(play_by_play_shots.zone = 'paint') as paint_attempts,
        countif(play_by_play_shots.zone = 'paint' and play_by_play_shots.shot_made) as paint_makes,
        countif(play_by_play_shots.zone = 'mid_range') as mid_range_attempts,
        countif(play_by_play_shots.zone = 'mid_range' and play_by_play_shots.shot_made) as mid_range_makes,
        countif(play_by_play_shots.zone is not null and play_by_play_shots.shot_made
            and play_by_play_shots.player_2_role = 'assist') as assisted_fg_makes,
        countif(play_by_play_shots.zone is not null and play_by_play_shots.shot_made
            and ifnull(play_by_play_shots.player_2_role not in ('assist', 'block'), true))
            as unassisted_fg_makes,
        countif(play_by_play_shots.event_type = 'free throw'
            and play_by_play_shots.event_subtype = 'free throw 1/1') as and1_count
    from play_by_play_shots
    group by play_by_play_shots.game_date, play_by_play_shots.shooter_lookup
),

player_blocks as (
    select
        play_by_play_shots.game_date,
        play_by_play_shots.player_2_lookup as player_lookup,
        countif(play_by_play_shots.zone = 'paint') as paint_blocks,
        countif(play_by_play_shots.zone = 'mid_range') as mid_range_blocks,
        countif(play_by_play_shots.zone = 'three_pt') as three_pt_blocks
    from play_by_play_shots
    where play_by_play_shots.player_2_role = 'block'
        and play_by_play_shots.zone is not null
    group by play_by_play_shots.game_date, play_by_play_shots.player_2_lookup
),

player_games as (
    select
        players.*,
        registry_ids.universal_player_id,
        pbp_team_games.team_abbr is not null as shot_zones_available,
        player_shots.paint_attempts,
        player_shots.paint_makes,
        player_shots.mid_range_attempts,
        player_shots.mid_range_makes,
        player_shots.assisted_fg_makes,
        player_shots.unassisted_fg_makes,
        player_shots.and1_count,
        player_blocks.paint_blocks,
        player_blocks.mid_range_blocks,
        player_blocks.three_pt_blocks,
        team_offense_game_summary.fg_attempts as team_fg_attempts,
        team_offense_game_summary.ft_attempts as team_ft_attempts,
        team_offense_game_summary.turnovers as team_turnovers,
        coalesce(team_offense_game_summary.win_flag, team.points > opponent.points) as win_flag,
        player_prop_lines.current_points_line as points_line,
        player_prop_lines.current_points_line_books as points_line_books
    from players
    left join registry_ids
        on registry_ids.game_date = players.game_date
        and registry_ids.player_lookup = players.player_lookup
    left join pbp_team_games
        on pbp_team_games.game_date = players.game_date
        and pbp_team_games.team_abbr = players.team_abbr
    left join player_shots
        on player_shots.game_date = players.game_date
        and player_shots.player_lookup = players.player_lookup
    left join player_blocks
        on player_blocks.game_date = players.game_date
        and player_blocks.player_lookup = players.player_lookup
    left join team_offense_game_summary
        on team_offense_game_summary.game_date = players.game_date
        and team_offense_game_summary.team_abbr = players.team_abbr
    left join team_points as team
        on team.game_date = players.game_date
        and team.team_abbr = players.team_abbr
    left join team_points as opponent
        on opponent.game_date = players.game_date
        and opponent.team_abbr = players.opponent_team_abbr
    left join player_prop_lines
        on player_prop_lines.game_date = players.game_date
        and player_prop_lines.player_lookup = players.player_lookup
),

final as (
    select
        player_games.player_lookup,
        player_games.universal_player_id,
        player_games.player_full_name,
        concat(format_date('%Y%m%d', player_games.game_date), '_',
            player_games.away_team_abbr, '_', player_games.home_team_abbr) as game_id,
        player_games.game_date,
        player_games.season_year,
        player_games.team_abbr,
        player_games.opponent_team_abbr,
        player_games.team_abbr = player_games.home_team_abbr as home_game,
        player_games.points,
        round(player_games.minutes_decimal, 1) as minutes_played,
        player_games.fg_makes,
        player_games.fg_attempts,
        player_games.three_pt_makes,
        player_games.three_pt_attempts,
        player_games.ft_makes,
        player_games.ft_attempts,
        player_games.offensive_rebounds,
        player_games.defensive_rebounds,
        player_games.total_rebounds,
        player_games.assists,
        player_games.steals,
        player_games.blocks,
        player_games.turnovers,
        player_games.personal_fouls,
        player_games.plus_minus,
        -- zone counts are 0, not NULL, for a player without shots in a game the play-by-play covers
        if(player_games.shot_zones_available, ifnull(player_games.paint_attempts, 0), null) as paint_attempts,
        if(player_games.shot_zones_available, ifnull(player_games.paint_makes, 0), null) as paint_makes,
        if(player_games.shot_zones_available, ifnull(player_games.mid_range_attempts, 0), null) as mid_range_attempts,
        if(player_games.shot_zones_available, ifnull(player_games.mid_range_makes, 0), null) as mid_range_makes,
        if(player_games.shot_zones_available, ifnull(player_games.assisted_fg_makes, 0), null) as assisted_fg_makes,
        if(player_games.shot_zones_available, ifnull(player_games.unassisted_fg_makes, 0), null) as unassisted_fg_makes,
        if(player_games.shot_zones_available, ifnull(player_games.and1_count, 0), null) as and1_count,
        if(player_games.shot_zones_available, ifnull(player_games.paint_blocks, 0), null) as paint_blocks,
        if(player_games.shot_zones_available, ifnull(player_games.mid_range_blocks, 0), null) as mid_range_blocks,
        if(player_games.shot_zones_available, ifnull(player_games.three_pt_blocks, 0), null) as three_pt_blocks,
        player_games.shot_zones_available,
        -- 48 = 240 team minutes / 5 players, also in overtime games
        if(player_games.minutes_decimal > 0 and player_games.fg_attempts is not null
                and player_games.turnovers is not null,
            round(safe_divide(
                100 * (player_games.fg_attempts + 0.44 * ifnull(player_games.ft_attempts, 0)
                    + player_games.turnovers) * 48,
                player_games.minutes_decimal * (player_games.team_fg_attempts
                    + 0.44 * player_games.team_ft_attempts + player_games.team_turnovers)), 1),
            null) as usage_rate,
        if(player_games.fg_attempts > 0 and player_games.ft_attempts is not null,
            round(player_games.points / (2 * (player_games.fg_attempts + 0.44 * player_games.ft_attempts)), 3),
            null) as ts_pct,
        if(player_games.fg_attempts > 0,
            round((player_games.fg_makes + 0.5 * player_games.three_pt_makes) / player_games.fg_attempts, 3),
            null) as efg_pct,
        ifnull(player_games.minutes_decimal > 20, false) as starter_flag,
        player_games.win_flag,
        player_games.points_line,
        if(player_games.points_line is not null, 'consensus', null) as points_line_source,
        player_games.points_line_books,
        case
            when player_games.points_line is null or player_games.points is null then null
            when player_games.points > player_games.points_line then 'OVER'
            when player_games.points < player_games.points_line then 'UNDER'
            else 'PUSH'
        end as over_under_result,
        round(player_games.points - player_games.points_line, 2) as margin,
        true as is_active,
        player_games.played,
        'active' as player_status,
        player_games.primary_source_used,
        if(player_games.primary_source_used = 'nbac_gamebook', 'gold', 'silver') as quality_tier,
        if(player_games.primary_source_used = 'nbac_gamebook', 100, 85) as quality_score,
        array(
            select issue
            from unnest([
                if(player_games.primary_source_used <> 'nbac_gamebook', 'backup_source_used', null),
                if(player_games.universal_player_id is null, 'registry_unresolved', null),
                if(not player_games.shot_zones_available, 'shot_zones_unavailable', null),
                if(player_games.minutes_decimal is null, 'minutes_unparsed', null)
            ]) as issue
            where issue is not null
        ) as quality_issues,
        player_games.minutes_decimal is not null as is_production_ready
    from player_games
)

select * from final
