-- Pre-game context of both teams of every game dated [@start_date, @end_date], scheduled or final
-- (D12): rest, schedule density, momentum and travel from the final games of the schedule strictly
-- before the game date (D1), plus the game's pre-game betting lines and injury report.
with

nbac_schedule as (
    select
        nbac_schedule.game_id,
        nbac_schedule.game_date,
        nbac_schedule.season_year,
        nbac_schedule.game_status,
        nbac_schedule.home_team_tricode,
        nbac_schedule.away_team_tricode,
        nbac_schedule.home_team_score,
        nbac_schedule.away_team_score,
        nbac_schedule.processed_at
    from nba_raw.nbac_schedule as nbac_schedule
    -- far enough back to reach the season opener of any game in the range
    where nbac_schedule.game_date between date_sub(@start_date, interval 366 day) and @end_date
),

odds_api_game_lines as (
    select
        odds_api_game_lines.game_date,
        odds_api_game_lines.home_team_abbr,
        odds_api_game_lines.away_team_abbr,
        odds_api_game_lines.bookmaker_key,
        odds_api_game_lines.market_key,
        odds_api_game_lines.outcome_name,
        odds_api_game_lines.outcome_point,
        odds_api_game_lines.snapshot_timestamp
    from nba_raw.odds_api_game_lines as odds_api_game_lines
    where odds_api_game_lines.game_date between @start_date and @end_date
        and odds_api_game_lines.bookmaker_key in ('draftkings', 'fanduel')
        and odds_api_game_lines.outcome_point is not null
),

nbac_injury_report as (
    select
        nbac_injury_report.game_date,
        nbac_injury_report.team,
        nbac_injury_report.player_lookup,
        nbac_injury_report.injury_status,
        nbac_injury_report.confidence_score,
        nbac_injury_report.report_date,
        nbac_injury_report.report_hour
    from nba_raw.nbac_injury_report as nbac_injury_report
    where nbac_injury_report.game_date between @start_date and @end_date
),

-- Only the full team names are read (to match the bookmakers' spread outcomes), never results.
nbac_team_boxscore as (
    select distinct
        nbac_team_boxscore.team_abbr,
        nbac_team_boxscore.team_name
    from nba_raw.nbac_team_boxscore as nbac_team_boxscore
    where nbac_team_boxscore.game_date between date_sub(@start_date, interval 30 day) and @end_date
        and nbac_team_boxscore.team_name is not null
),

travel_distances as (
    select
        travel_distances.from_team,
        travel_distances.to_team,
        travel_distances.distance_miles
    from nba_static.travel_distances as travel_distances
),

-- A feed can hold several rows per game: the most final, most recent one wins.
schedule_games as (
    select nbac_schedule.*
    from nbac_schedule
    where true
    qualify row_number() over (
        partition by nbac_schedule.game_id
        order by nbac_schedule.game_status desc, nbac_schedule.processed_at desc
    ) = 1
),

-- Each game from both sides, whatever its status: scheduled games are work too (D12).
team_games as (
    select
        schedule_games.game_date,
        schedule_games.season_year,
        schedule_games.game_id as nba_game_id,
        schedule_games.home_team_tricode,
        schedule_games.away_team_tricode,
        schedule_games.game_status = 3 as is_final,
        home_game,
        if(home_game, schedule_games.home_team_tricode, schedule_games.away_team_tricode) as team_abbr,
        if(home_game, schedule_games.away_team_tricode, schedule_games.home_team_tricode) as opponent_team_abbr,
        if(home_game, 1, -1) * (schedule_games.home_team_score - schedule_games.away_team_score) as margin
    from schedule_games
    cross join unnest([true, false]) as home_game
),

-- The final games' results, with the islands of consecutive equal results within a team's season
-- (for streaks) and each game's run length: the streak after it.
final_results as (
    select
        results.*,
        row_number() over (
            partition by results.team_abbr, results.season_year, results.result, results.result_island
            order by results.game_date
        ) as result_run_length
    from (
        select
            team_games.*,
            case when team_games.margin > 0 then 'W' when team_games.margin < 0 then 'L' end as result,
            row_number() over (team_season order by team_games.game_date)
                - row_number() over (
                    partition by team_games.team_abbr, team_games.season_year, sign(team_games.margin)
                    order by team_games.game_date
                ) as result_island
        from team_games
        where team_games.is_final
        window team_season as (partition by team_games.team_abbr, team_games.season_year)
    ) as results
),

-- Each game sees only the team's earlier final games: frames ending at 1 PRECEDING (D1).
team_history as (
    select
        team_games.*,
        -- sum(if()) with coalesce, not countif: the BigQuery emulator mis-places OVER after its own
        -- COUNTIF -> COALESCE(COUNT_IF) rewrite (a windowed COUNTIF is fine on BigQuery itself)
        1 + coalesce(sum(if(team_games.is_final, 1, 0)) over (
            team_season order by team_games.game_date rows between unbounded preceding and 1 preceding
        ), 0) as game_number_in_season,
        max(if(team_games.is_final, team_games.game_date, null)) over (
            team_season order by team_games.game_date rows between unbounded preceding and 1 preceding
        ) as previous_game_date,
        coalesce(sum(if(team_games.is_final, 1, 0)) over (
            partition by team_games.team_abbr order by unix_date(team_games.game_date)
            range between 6 preceding and 1 preceding
        ), 0) as games_in_last_7_days,
        coalesce(sum(if(team_games.is_final, 1, 0)) over (
            partition by team_games.team_abbr order by unix_date(team_games.game_date)
            range between 13 preceding and 1 preceding
        ), 0) as games_in_last_14_days
    from team_games
    window team_season as (partition by team_games.team_abbr, team_games.season_year)
),

-- The team's previous final game of the season: its arena, margin, result and the streak it ended on.
team_context as (
    select
        team_history.*,
        previous.home_team_tricode as previous_arena_team,
        previous.margin as last_game_margin,
        previous.result as last_game_result,
        previous.result_run_length as streak_entering
    from team_history
    left join final_results as previous
        on previous.team_abbr = team_history.team_abbr
        and previous.season_year = team_history.season_year
        and previous.game_date = team_history.previous_game_date
),

target_games as (
    select team_context.*
    from team_context
    where team_context.game_date between @start_date and @end_date
),

-- Each bookmaker's latest snapshot of each market (both outcomes), matched to the game on
-- (date, home, away).
latest_lines as (
    select
        odds_api_game_lines.*,
        lower(regexp_extract(odds_api_game_lines.outcome_name, r'(\S+)$')) as outcome_nickname
    from odds_api_game_lines
    where true
    qualify rank() over (
        partition by odds_api_game_lines.game_date, odds_api_game_lines.home_team_abbr,
            odds_api_game_lines.away_team_abbr, odds_api_game_lines.bookmaker_key,
            odds_api_game_lines.market_key
        order by odds_api_game_lines.snapshot_timestamp desc
    ) = 1
),

-- "Los Angeles Clippers" and "LA Clippers" both end in the nickname, which is unique per team.
team_nicknames as (
    select distinct
        nbac_team_boxscore.team_abbr,
        lower(regexp_extract(nbac_team_boxscore.team_name, r'(\S+)$')) as nickname
    from nbac_team_boxscore
),

team_spreads as (
    select
        target_games.game_date,
        target_games.team_abbr,
        latest_lines.bookmaker_key,
        latest_lines.outcome_point,
        latest_lines.snapshot_timestamp
    from target_games
    inner join latest_lines
        on latest_lines.game_date = target_games.game_date
        and latest_lines.home_team_abbr = target_games.home_team_tricode
        and latest_lines.away_team_abbr = target_games.away_team_tricode
        and latest_lines.market_key = 'spreads'
    left join team_nicknames
        on team_nicknames.team_abbr = target_games.team_abbr
    where latest_lines.outcome_name = target_games.team_abbr
        or latest_lines.outcome_nickname = team_nicknames.nickname
    qualify row_number() over (
        partition by target_games.game_date, target_games.team_abbr
        order by latest_lines.bookmaker_key = 'draftkings' desc
    ) = 1
),

game_totals as (
    select
        latest_lines.game_date,
        latest_lines.home_team_abbr,
        latest_lines.away_team_abbr,
        latest_lines.bookmaker_key,
        latest_lines.outcome_point,
        latest_lines.snapshot_timestamp
    from latest_lines
    where latest_lines.market_key = 'totals'
        and lower(latest_lines.outcome_name) = 'over'
    qualify row_number() over (
        partition by latest_lines.game_date, latest_lines.home_team_abbr, latest_lines.away_team_abbr
        order by latest_lines.bookmaker_key = 'draftkings' desc
    ) = 1
),

-- The latest report per player for the game, kept when the parser was confident.
latest_injuries as (
    select nbac_injury_report.*
    from nbac_injury_report
    where true
    qualify row_number() over (
        partition by nbac_injury_report.game_date, nbac_injury_report.player_lookup
        order by nbac_injury_report.report_date desc, nbac_injury_report.report_hour desc
    ) = 1
),

team_injuries as (
    select
        latest_injuries.game_date,
        latest_injuries.team as team_abbr,
        countif(latest_injuries.injury_status = 'out') as players_out_count,
        countif(latest_injuries.injury_status in ('questionable', 'doubtful')) as questionable_players_count
    from latest_injuries
    where ifnull(latest_injuries.confidence_score, 1) >= 0.8
    group by latest_injuries.game_date, latest_injuries.team
),

final as (
    select
        target_games.team_abbr,
        concat(format_date('%Y%m%d', target_games.game_date), '_',
            target_games.away_team_tricode, '_', target_games.home_team_tricode) as game_id,
        target_games.nba_game_id,
        target_games.game_date,
        target_games.season_year,
        target_games.opponent_team_abbr,
        target_games.home_game,
        date_diff(target_games.game_date, target_games.previous_game_date, day) as days_since_last_game,
        date_diff(target_games.game_date, target_games.previous_game_date, day) - 1 as team_days_rest,
        ifnull(date_diff(target_games.game_date, target_games.previous_game_date, day) = 1, false)
            as team_back_to_back,
        target_games.games_in_last_7_days,
        target_games.games_in_last_14_days,
        target_games.game_number_in_season,
        team_spreads.outcome_point as game_spread,
        team_spreads.bookmaker_key as game_spread_source,
        game_totals.outcome_point as game_total,
        game_totals.bookmaker_key as game_total_source,
        coalesce(greatest(team_spreads.snapshot_timestamp, game_totals.snapshot_timestamp),
            team_spreads.snapshot_timestamp, game_totals.snapshot_timestamp) as betting_lines_updated_at,
        ifnull(team_injuries.players_out_count, 0) as players_out_count,
        ifnull(team_injuries.questionable_players_count, 0) as questionable_players_count,
        if(target_games.last_game_result = 'W', target_games.streak_entering, 0) as team_win_streak_entering,
        if(target_games.last_game_result = 'L', target_games.streak_entering, 0) as team_loss_streak_entering,
        target_games.last_game_margin,
        target_games.last_game_result,
        -- the season opener starts from the team's own arena
        coalesce(target_games.previous_arena_team, target_games.team_abbr) as travel_from_team_abbr,
        if(coalesce(target_games.previous_arena_team, target_games.team_abbr) = target_games.home_team_tricode,
            0, travel_distances.distance_miles) as travel_miles,
        array(
            select issue
            from unnest([
                if(team_spreads.outcome_point is null, 'missing_game_spread', null),
                if(game_totals.outcome_point is null, 'missing_game_total', null),
                if(target_games.previous_game_date is null, 'first_game_of_season', null),
                if(coalesce(target_games.previous_arena_team, target_games.team_abbr) <> target_games.home_team_tricode
                    and travel_distances.distance_miles is null, 'missing_travel_distance', null)
            ]) as issue
            where issue is not null
        ) as quality_issues
    from target_games
    left join team_spreads
        on team_spreads.game_date = target_games.game_date
        and team_spreads.team_abbr = target_games.team_abbr
    left join game_totals
        on game_totals.game_date = target_games.game_date
        and game_totals.home_team_abbr = target_games.home_team_tricode
        and game_totals.away_team_abbr = target_games.away_team_tricode
    left join team_injuries
        on team_injuries.game_date = target_games.game_date
        and team_injuries.team_abbr = target_games.team_abbr
    left join travel_distances
        on travel_distances.from_team = coalesce(target_games.previous_arena_team, target_games.team_abbr)
        and travel_distances.to_team = target_games.home_team_tricode
)

select
    final.*,
    final.travel_miles is not null as is_production_ready
from final
