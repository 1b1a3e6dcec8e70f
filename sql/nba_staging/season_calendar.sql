-- Every final game date in [@start_date, @end_date] with its season, the season's opener and the
-- day of the season. D7: a season's opener is its first final game; its days 0-13 are the
-- bootstrap days that Phase 4 skips. One place for the rule every Phase 4 table applies.
with

nbac_schedule as (
    select nbac_schedule.game_date
    from nba_raw.nbac_schedule as nbac_schedule
    where nbac_schedule.game_status = 3
        -- far enough back to reach the opener of any game date in the range
        and nbac_schedule.game_date between date_sub(@start_date, interval 300 day) and @end_date
),

-- The season starts in October: a game before October belongs to the season of the year before.
game_dates as (
    select distinct
        nbac_schedule.game_date,
        if(extract(month from nbac_schedule.game_date) >= 10, extract(year from nbac_schedule.game_date),
            extract(year from nbac_schedule.game_date) - 1) as season_year
    from nbac_schedule
),

season_openers as (
    select
        game_dates.season_year,
        min(game_dates.game_date) as opener_date
    from game_dates
    group by game_dates.season_year
),

final as (
    select
        game_dates.game_date,
        game_dates.season_year,
        season_openers.opener_date,
        date_diff(game_dates.game_date, season_openers.opener_date, day) as day_of_season,
        date_diff(game_dates.game_date, season_openers.opener_date, day) < 14 as is_bootstrap
    from game_dates
    inner join season_openers
        on season_openers.season_year = game_dates.season_year
    where game_dates.game_date between @start_date and @end_date
)

select * from final
