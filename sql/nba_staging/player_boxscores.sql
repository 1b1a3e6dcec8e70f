-- The box score of every player who played a final game dated [@start_date, @end_date]: the active
-- gamebook rows, or BDL's rows for a team the gamebook has no active player of on that date.
-- Minutes are parsed once here, and "did the player play" is decided once here (`played`, read
-- by every consumer through player_game_summary). Rows are not deduplicated:
-- team_offense_game_summary sums them per game id, player_game_summary keeps one per player and date.
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

-- BDL fills a team only when the gamebook has no active player of that team on that date, so
-- each team and date has one source.
player_rows as (
    select
        nbac_gamebook_player_stats.game_id,
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
        bdl_player_boxscores.game_id,
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

parsed as (
    select
        player_rows.* except (minutes),
        -- "MM:SS" (seconds 0-59) or a plain number of minutes; anything else is unknown
        case
            when regexp_contains(player_rows.minutes, r'^\d+:[0-5]?\d$')
                then cast(split(player_rows.minutes, ':')[offset(0)] as int64)
                    + cast(split(player_rows.minutes, ':')[offset(1)] as int64) / 60
            when regexp_contains(player_rows.minutes, r'^\d+(\.\d+)?$')
                then cast(player_rows.minutes as float64)
        end as minutes_decimal
    from player_rows
),

-- The one definition of "did not play" (nbaprops.predictions.participation.played in Python):
-- an active box-score row played when it has minutes, or points if its minutes are missing or 0.
-- A 0-minute, 0-point row (a DNP listed in a box score) or one with unknown minutes and no points
-- did not play: grading voids it, and no feature, history or training set counts it as a game.
final as (
    select
        parsed.*,
        ifnull(parsed.minutes_decimal > 0, false) or ifnull(parsed.points > 0, false) as played
    from parsed
    where not exists (
        select 1
        from unfinished_team_dates
        where unfinished_team_dates.game_date = parsed.game_date
            and unfinished_team_dates.team_abbr = parsed.team_abbr
    )
)

select * from final
