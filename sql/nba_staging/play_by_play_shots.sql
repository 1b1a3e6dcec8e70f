-- Every field-goal attempt (with a known result) and free throw of the BigDataBall play-by-play
-- of the final games dated [@start_date, @end_date], with its shot zone. One place for the zone rule, so team
-- (team_offense_game_summary) and player (player_game_summary) zone counts add up: three = 3PT
-- (or '3pt' in the subtype), paint = 2PT within 8 ft, mid-range = any other 2PT.
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

bigdataball_play_by_play as (
    select
        bigdataball_play_by_play.game_date,
        bigdataball_play_by_play.game_id,
        bigdataball_play_by_play.event_sequence,
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

-- Real lookups may carry the NBA person id as a numeric prefix.
final as (
    select
        bigdataball_play_by_play.game_date,
        bigdataball_play_by_play.game_id,
        bigdataball_play_by_play.event_sequence,
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
    where not exists (
        select 1
        from unfinished_team_dates
        where unfinished_team_dates.game_date = bigdataball_play_by_play.game_date
            and unfinished_team_dates.team_abbr = bigdataball_play_by_play.home_team_abbr
    )
)

select * from final
