-- Box score, efficiency, shot zones and prop outcome of every player who played a game dated
-- [@start_date, @end_date]. Players come from the active gamebook rows, or from BDL for a team
-- the gamebook lacks on that date. The prop line is the consensus of the bookmakers' latest
-- pre-tip lines.
with

nbac_gamebook_player_stats as (
    select
        nbac_gamebook_player_stats.game_id,
        nbac_gamebook_player_stats.game_date,
        nbac_gamebook_player_stats.season_year,
        nbac_gamebook_player_stats.home_team_abbr,
        nbac_gamebook_player_stats.away_team_abbr,
        nbac_gamebook_player_stats.player_lookup,
        nbac_gamebook_player_stats.player_name,
        nbac_gamebook_player_stats.team_abbr,
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
        nbac_gamebook_player_stats.plus_minus,
        nbac_gamebook_player_stats.processed_at
    from nba_raw.nbac_gamebook_player_stats as nbac_gamebook_player_stats
    where nbac_gamebook_player_stats.game_date between @start_date and @end_date
        and nbac_gamebook_player_stats.player_status = 'active'
),

bdl_player_boxscores as (
    select
        bdl_player_boxscores.game_id,
        bdl_player_boxscores.game_date,
        bdl_player_boxscores.season_year,
        bdl_player_boxscores.player_lookup,
        bdl_player_boxscores.player_full_name,
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
        bdl_player_boxscores.personal_fouls,
        bdl_player_boxscores.processed_at
    from nba_raw.bdl_player_boxscores as bdl_player_boxscores
    where bdl_player_boxscores.game_date between @start_date and @end_date
),

bigdataball_play_by_play as (
    select
        bigdataball_play_by_play.game_date,
        bigdataball_play_by_play.home_team_abbr,
        bigdataball_play_by_play.away_team_abbr,
        bigdataball_play_by_play.event_type,
        bigdataball_play_by_play.event_subtype,
        bigdataball_play_by_play.shot_made,
        bigdataball_play_by_play.shot_type,
        bigdataball_play_by_play.shot_distance,
        bigdataball_play_by_play.player_1_lookup,
        bigdataball_play_by_play.player_1_team_abbr,
        bigdataball_play_by_play.player_2_lookup,
        bigdataball_play_by_play.player_2_role
    from nba_raw.bigdataball_play_by_play as bigdataball_play_by_play
    where bigdataball_play_by_play.game_date between @start_date and @end_date
        and (
            (bigdataball_play_by_play.event_type = 'shot'
                and bigdataball_play_by_play.shot_type in ('2PT', '3PT')
                and bigdataball_play_by_play.shot_made is not null)
            or bigdataball_play_by_play.event_type = 'free throw'
        )
),

-- Snapshots taken after tip-off (minutes_before_tipoff < 0, or unknown) are in-game lines.
odds_api_player_points_props as (
    select
        odds_api_player_points_props.game_date,
        odds_api_player_points_props.player_lookup,
        odds_api_player_points_props.bookmaker,
        odds_api_player_points_props.points_line,
        odds_api_player_points_props.snapshot_timestamp
    from nba_raw.odds_api_player_points_props as odds_api_player_points_props
    where odds_api_player_points_props.game_date between @start_date and @end_date
        and odds_api_player_points_props.minutes_before_tipoff >= 0
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

-- BDL fills a team only when the gamebook has no active player of that team on that date.
player_rows as (
    select
        nbac_gamebook_player_stats.game_date,
        nbac_gamebook_player_stats.season_year,
        nbac_gamebook_player_stats.player_lookup,
        nbac_gamebook_player_stats.player_name as player_full_name,
        nbac_gamebook_player_stats.team_abbr,
        coalesce(nbac_gamebook_player_stats.home_team_abbr,
            split(nbac_gamebook_player_stats.game_id, '_')[safe_offset(2)]) as home_team_abbr,
        coalesce(nbac_gamebook_player_stats.away_team_abbr,
            split(nbac_gamebook_player_stats.game_id, '_')[safe_offset(1)]) as away_team_abbr,
        nbac_gamebook_player_stats.minutes,
        nbac_gamebook_player_stats.points,
        nbac_gamebook_player_stats.field_goals_made as fg_makes,
        nbac_gamebook_player_stats.field_goals_attempted as fg_attempts,
        nbac_gamebook_player_stats.three_pointers_made as three_pt_makes,
        nbac_gamebook_player_stats.three_pointers_attempted as three_pt_attempts,
        nbac_gamebook_player_stats.free_throws_made as ft_makes,
        nbac_gamebook_player_stats.free_throws_attempted as ft_attempts,
        nbac_gamebook_player_stats.offensive_rebounds,
        nbac_gamebook_player_stats.defensive_rebounds,
        nbac_gamebook_player_stats.total_rebounds,
        nbac_gamebook_player_stats.assists,
        nbac_gamebook_player_stats.steals,
        nbac_gamebook_player_stats.blocks,
        nbac_gamebook_player_stats.turnovers,
        nbac_gamebook_player_stats.personal_fouls,
        nbac_gamebook_player_stats.plus_minus,
        nbac_gamebook_player_stats.processed_at,
        'nbac_gamebook' as primary_source_used
    from nbac_gamebook_player_stats
    union all
    select
        bdl_player_boxscores.game_date,
        bdl_player_boxscores.season_year,
        bdl_player_boxscores.player_lookup,
        bdl_player_boxscores.player_full_name,
        bdl_player_boxscores.team_abbr,
        -- BDL has no home/away columns; the date-based id is YYYYMMDD_AWAY_HOME
        split(bdl_player_boxscores.game_id, '_')[safe_offset(2)] as home_team_abbr,
        split(bdl_player_boxscores.game_id, '_')[safe_offset(1)] as away_team_abbr,
        bdl_player_boxscores.minutes,
        bdl_player_boxscores.points,
        bdl_player_boxscores.field_goals_made as fg_makes,
        bdl_player_boxscores.field_goals_attempted as fg_attempts,
        bdl_player_boxscores.three_pointers_made as three_pt_makes,
        bdl_player_boxscores.three_pointers_attempted as three_pt_attempts,
        bdl_player_boxscores.free_throws_made as ft_makes,
        bdl_player_boxscores.free_throws_attempted as ft_attempts,
        bdl_player_boxscores.offensive_rebounds,
        bdl_player_boxscores.defensive_rebounds,
        bdl_player_boxscores.rebounds as total_rebounds,
        bdl_player_boxscores.assists,
        bdl_player_boxscores.steals,
        bdl_player_boxscores.blocks,
        bdl_player_boxscores.turnovers,
        bdl_player_boxscores.personal_fouls,
        cast(null as int64) as plus_minus,
        bdl_player_boxscores.processed_at,
        'bdl_boxscores' as primary_source_used
    from bdl_player_boxscores
    where not exists (
        select 1
        from nbac_gamebook_player_stats
        where nbac_gamebook_player_stats.game_date = bdl_player_boxscores.game_date
            and nbac_gamebook_player_stats.team_abbr = bdl_player_boxscores.team_abbr
    )
),

-- One row per player and date even if a source loaded the game twice (e.g. under two game ids).
players as (
    select
        player_rows.*,
        if(player_rows.team_abbr = player_rows.home_team_abbr,
            player_rows.away_team_abbr, player_rows.home_team_abbr) as opponent_team_abbr,
        -- "MM:SS" (seconds 0-59) or a plain number of minutes; anything else is unknown
        case
            when regexp_contains(player_rows.minutes, r'^\d+:[0-5]?\d$')
                then round(cast(split(player_rows.minutes, ':')[offset(0)] as int64)
                    + cast(split(player_rows.minutes, ':')[offset(1)] as int64) / 60, 2)
            when regexp_contains(player_rows.minutes, r'^\d+(\.\d+)?$')
                then round(cast(player_rows.minutes as float64), 2)
        end as minutes_decimal
    from player_rows
    where true
    qualify row_number() over (
        partition by player_rows.game_date, player_rows.player_lookup
        order by player_rows.processed_at desc, player_rows.team_abbr
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

-- Zone rule shared with team_offense_game_summary: three = 3PT, paint = 2PT within 8 ft,
-- mid = other 2PT. Real lookups may carry the NBA person id as a numeric prefix.
pbp_events as (
    select
        bigdataball_play_by_play.game_date,
        bigdataball_play_by_play.home_team_abbr,
        bigdataball_play_by_play.away_team_abbr,
        bigdataball_play_by_play.event_type,
        lower(bigdataball_play_by_play.event_subtype) as event_subtype,
        bigdataball_play_by_play.shot_made,
        case
            when bigdataball_play_by_play.event_type <> 'shot' then null
            when bigdataball_play_by_play.shot_type = '3PT'
                or lower(bigdataball_play_by_play.event_subtype) like '%3pt%' then 'three_pt'
            when bigdataball_play_by_play.shot_distance <= 8.0 then 'paint'
            else 'mid_range'
        end as zone,
        regexp_replace(bigdataball_play_by_play.player_1_lookup, r'^\d+', '') as shooter_lookup,
        bigdataball_play_by_play.player_1_team_abbr as shooter_team_abbr,
        regexp_replace(bigdataball_play_by_play.player_2_lookup, r'^\d+', '') as player_2_lookup,
        bigdataball_play_by_play.player_2_role
    from bigdataball_play_by_play
),

-- The play-by-play covers both teams of every game it has shots for.
pbp_team_games as (
    select distinct
        pbp_events.game_date,
        team_abbr
    from pbp_events
    cross join unnest([pbp_events.home_team_abbr, pbp_events.away_team_abbr, pbp_events.shooter_team_abbr])
        as team_abbr
    where pbp_events.zone is not null
        and team_abbr is not null
),

player_shots as (
    select
        pbp_events.game_date,
        pbp_events.shooter_lookup as player_lookup,
        countif(pbp_events.zone = 'paint') as paint_attempts,
        countif(pbp_events.zone = 'paint' and pbp_events.shot_made) as paint_makes,
        countif(pbp_events.zone = 'mid_range') as mid_range_attempts,
        countif(pbp_events.zone = 'mid_range' and pbp_events.shot_made) as mid_range_makes,
        countif(pbp_events.zone is not null and pbp_events.shot_made
            and pbp_events.player_2_role = 'assist') as assisted_fg_makes,
        countif(pbp_events.zone is not null and pbp_events.shot_made
            and ifnull(pbp_events.player_2_role not in ('assist', 'block'), true)) as unassisted_fg_makes,
        countif(pbp_events.event_type = 'free throw' and pbp_events.event_subtype = 'free throw 1/1') as and1_count
    from pbp_events
    group by pbp_events.game_date, pbp_events.shooter_lookup
),

player_blocks as (
    select
        pbp_events.game_date,
        pbp_events.player_2_lookup as player_lookup,
        countif(pbp_events.zone = 'paint') as paint_blocks,
        countif(pbp_events.zone = 'mid_range') as mid_range_blocks,
        countif(pbp_events.zone = 'three_pt') as three_pt_blocks
    from pbp_events
    where pbp_events.player_2_role = 'block'
        and pbp_events.zone is not null
    group by pbp_events.game_date, pbp_events.player_2_lookup
),

-- D2: each bookmaker's latest pre-tip line, then the median across bookmakers.
bookmaker_latest_lines as (
    select
        odds_api_player_points_props.game_date,
        odds_api_player_points_props.player_lookup,
        odds_api_player_points_props.bookmaker,
        odds_api_player_points_props.points_line
    from odds_api_player_points_props
    where true
    qualify row_number() over (
        partition by odds_api_player_points_props.game_date, odds_api_player_points_props.player_lookup,
            odds_api_player_points_props.bookmaker
        order by odds_api_player_points_props.snapshot_timestamp desc
    ) = 1
),

bookmaker_latest_medians as (
    select
        bookmaker_latest_lines.game_date,
        bookmaker_latest_lines.player_lookup,
        percentile_cont(bookmaker_latest_lines.points_line, 0.5) over (
            partition by bookmaker_latest_lines.game_date, bookmaker_latest_lines.player_lookup
        ) as median_line
    from bookmaker_latest_lines
),

consensus_lines as (
    select
        bookmaker_latest_medians.game_date,
        bookmaker_latest_medians.player_lookup,
        round(max(bookmaker_latest_medians.median_line), 1) as points_line,  -- one value per group
        count(*) as points_line_books
    from bookmaker_latest_medians
    group by bookmaker_latest_medians.game_date, bookmaker_latest_medians.player_lookup
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
        consensus_lines.points_line,
        consensus_lines.points_line_books
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
    left join consensus_lines
        on consensus_lines.game_date = players.game_date
        and consensus_lines.player_lookup = players.player_lookup
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
