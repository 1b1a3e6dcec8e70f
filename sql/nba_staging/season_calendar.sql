-- Every game date in [@start_date, @end_date], scheduled or final, with its season, the season's
-- opener, the day of the season and which optional sources the season has data from so far. D7:
-- a season's opener is its first game in the schedule, whatever its status (so a date's row is
-- the same on its morning as after its games went final, D12); its days 0-13 are the bootstrap
-- days that Phase 4 skips. One place for the rules every Phase 4 table applies.
with

nbac_schedule as (
    select
        nbac_schedule.game_date,
        nbac_schedule.season_year
    from nba_raw.nbac_schedule as nbac_schedule
    -- far enough back to reach the opener of any game date in the range (the longest season,
    -- 2019-20, ran 355 days)
    where nbac_schedule.game_date between date_sub(@start_date, interval 366 day) and @end_date
),

bigdataball_play_by_play as (
    select distinct bigdataball_play_by_play.game_date
    from nba_raw.bigdataball_play_by_play as bigdataball_play_by_play
    where bigdataball_play_by_play.game_date between date_sub(@start_date, interval 366 day) and @end_date
),

nbac_injury_report as (
    select distinct nbac_injury_report.game_date
    from nba_raw.nbac_injury_report as nbac_injury_report
    where nbac_injury_report.game_date between date_sub(@start_date, interval 366 day) and @end_date
),

-- The season is the schedule's season_year, not the month: 2019-20 ended in October 2020 and
-- 2020-21 began in December 2020.
game_dates as (
    select distinct
        nbac_schedule.game_date,
        nbac_schedule.season_year
    from nbac_schedule
),

season_openers as (
    select
        game_dates.season_year,
        min(game_dates.game_date) as opener_date
    from game_dates
    group by game_dates.season_year
),

season_days as (
    select
        game_dates.game_date,
        game_dates.season_year,
        season_openers.opener_date
    from game_dates
    inner join season_openers
        on season_openers.season_year = game_dates.season_year
    where game_dates.game_date between @start_date and @end_date
),

-- The dates each optional source has data for, with their season.
source_dates as (
    select
        'play_by_play' as source,
        bigdataball_play_by_play.game_date
    from bigdataball_play_by_play
    union all
    select
        'injury_report' as source,
        nbac_injury_report.game_date
    from nbac_injury_report
),

source_seasons as (
    select
        source_dates.source,
        source_dates.game_date,
        game_dates.season_year
    from source_dates
    inner join game_dates
        on game_dates.game_date = source_dates.game_date
),

-- D13: an optional source with no data in the season so far makes the features built from it
-- "unavailable" rather than silently constant. Play-by-play describes games already played, so
-- D's own games do not count (a daily run has none before tip-off, D12); the injury report is
-- filed before D's games, so D's report counts.
source_coverage as (
    select
        season_days.game_date,
        countif(source_seasons.source = 'play_by_play' and source_seasons.game_date < season_days.game_date) > 0
            as has_play_by_play,
        countif(source_seasons.source = 'injury_report' and source_seasons.game_date <= season_days.game_date) > 0
            as has_injury_report
    from season_days
    left join source_seasons
        on source_seasons.season_year = season_days.season_year
    group by season_days.game_date
),

final as (
    select
        season_days.game_date,
        season_days.season_year,
        season_days.opener_date,
        date_diff(season_days.game_date, season_days.opener_date, day) as day_of_season,
        date_diff(season_days.game_date, season_days.opener_date, day) < 14 as is_bootstrap,
        source_coverage.has_play_by_play,
        source_coverage.has_injury_report
    from season_days
    inner join source_coverage
        on source_coverage.game_date = season_days.game_date
)

select * from final
