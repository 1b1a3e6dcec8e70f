-- Pre-game context of every player on the roster of a game dated [@start_date, @end_date],
-- scheduled or final: the roster as of the date's morning (D12: nba_staging.pregame_rosters plus
-- the players with a prop line for the team; never the date's own gamebook or box scores), fatigue,
-- recent form and completeness from his player_game_summary rows of the 30 days before the game
-- (D1), the prop lines (nba_staging.player_prop_lines), the game lines and the injury report filed
-- for the game.
with

pregame_rosters as (
    select
        pregame_rosters.game_date,
        pregame_rosters.player_lookup,
        pregame_rosters.team_abbr,
        pregame_rosters.roster_source
    from nba_staging.pregame_rosters as pregame_rosters
    where pregame_rosters.game_date between @start_date and @end_date
),

nbac_schedule as (
    select
        nbac_schedule.game_id,
        nbac_schedule.game_date,
        nbac_schedule.season_year,
        nbac_schedule.game_status,
        nbac_schedule.home_team_tricode,
        nbac_schedule.away_team_tricode,
        nbac_schedule.processed_at
    from nba_raw.nbac_schedule as nbac_schedule
    where nbac_schedule.game_date between date_sub(@start_date, interval 30 day) and @end_date
),

player_game_summary as (
    select
        player_game_summary.game_date,
        player_game_summary.player_lookup,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.usage_rate,
        player_game_summary.played
    from nba_analytics.player_game_summary as player_game_summary
    where player_game_summary.game_date
        between date_sub(@start_date, interval 30 day) and date_sub(@end_date, interval 1 day)
),

team_offense_game_summary as (
    select
        team_offense_game_summary.game_date,
        team_offense_game_summary.team_abbr,
        team_offense_game_summary.pace
    from nba_analytics.team_offense_game_summary as team_offense_game_summary
    where team_offense_game_summary.game_date
        between date_sub(@start_date, interval 30 day) and date_sub(@end_date, interval 1 day)
),

player_prop_lines as (
    select
        player_prop_lines.game_date,
        player_prop_lines.player_lookup,
        player_prop_lines.current_points_line,
        player_prop_lines.opening_points_line,
        player_prop_lines.current_points_line_books,
        player_prop_lines.team_abbr
    from nba_staging.player_prop_lines as player_prop_lines
    where player_prop_lines.game_date between @start_date and @end_date
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
        and (
            -- the favourite's side only: both sides' median would be about 0
            (odds_api_game_lines.market_key = 'spreads' and odds_api_game_lines.outcome_point <= 0)
            or (odds_api_game_lines.market_key = 'totals' and lower(odds_api_game_lines.outcome_name) = 'over')
        )
),

nbac_injury_report as (
    select
        nbac_injury_report.game_date,
        nbac_injury_report.player_lookup,
        nbac_injury_report.injury_status,
        nbac_injury_report.reason,
        nbac_injury_report.confidence_score,
        nbac_injury_report.report_date,
        nbac_injury_report.report_hour
    from nba_raw.nbac_injury_report as nbac_injury_report
    where nbac_injury_report.game_date between @start_date and @end_date
),

nba_players_registry as (
    select
        nba_players_registry.player_lookup,
        nba_players_registry.universal_player_id,
        nba_players_registry.team_abbr,
        nba_players_registry.season_year
    from nba_reference.nba_players_registry as nba_players_registry
),

-- Who is on the game's roster (D12): each team's players as of the date's morning
-- (nba_staging.pregame_rosters), moved to the team their prop line is for when it names another (a
-- trade no box score shows yet), plus the players with a prop line for a team that lacks them.
roster as (
    select
        pregame_rosters.game_date,
        pregame_rosters.player_lookup,
        coalesce(player_prop_lines.team_abbr, pregame_rosters.team_abbr) as team_abbr,
        if(ifnull(player_prop_lines.team_abbr = pregame_rosters.team_abbr, true),
            pregame_rosters.roster_source, 'prop_line') as roster_source
    from pregame_rosters
    left join player_prop_lines
        on player_prop_lines.game_date = pregame_rosters.game_date
        and player_prop_lines.player_lookup = pregame_rosters.player_lookup
    union all
    select
        player_prop_lines.game_date,
        player_prop_lines.player_lookup,
        player_prop_lines.team_abbr,
        'prop_line' as roster_source
    from player_prop_lines
    where player_prop_lines.team_abbr is not null
        and not exists (
            select 1
            from pregame_rosters
            where pregame_rosters.game_date = player_prop_lines.game_date
                and pregame_rosters.player_lookup = player_prop_lines.player_lookup
        )
),

schedule_games as (
    select nbac_schedule.*
    from nbac_schedule
    where true
    qualify row_number() over (
        partition by nbac_schedule.game_id
        order by nbac_schedule.game_status desc, nbac_schedule.processed_at desc
    ) = 1
),

-- Each game from both sides.
team_schedule as (
    select
        schedule_games.game_date,
        schedule_games.season_year,
        schedule_games.game_id as nba_game_id,
        schedule_games.game_status,
        if(home_game, schedule_games.home_team_tricode, schedule_games.away_team_tricode) as team_abbr,
        schedule_games.home_team_tricode,
        schedule_games.away_team_tricode
    from schedule_games
    cross join unnest([true, false]) as home_game
),

-- Each rostered player's game that day, whatever its status (the most final row of a game listed twice).
player_games as (
    select
        roster.game_date,
        scheduled.season_year,
        roster.player_lookup,
        roster.team_abbr,
        roster.roster_source,
        scheduled.nba_game_id,
        scheduled.home_team_tricode as home_team_abbr,
        scheduled.away_team_tricode as away_team_abbr
    from roster
    inner join team_schedule as scheduled
        on scheduled.game_date = roster.game_date
        and scheduled.team_abbr = roster.team_abbr
    where true
    qualify row_number() over (
        partition by roster.game_date, roster.player_lookup
        order by scheduled.game_status desc, scheduled.nba_game_id
    ) = 1
),

player_teams as (
    select
        player_games.*,
        if(player_games.team_abbr = player_games.home_team_abbr,
            player_games.away_team_abbr, player_games.home_team_abbr) as opponent_team_abbr
    from player_games
),

context_teams as (
    select distinct player_teams.game_date, player_teams.team_abbr from player_teams
    union distinct
    select distinct player_teams.game_date, player_teams.opponent_team_abbr from player_teams
),

-- Schedule facts strictly before D for the player's team and the opponent.
team_recent_games as (
    select
        context.game_date,
        context.team_abbr,
        max(earlier.game_date) as last_game_date,
        countif(earlier.game_date >= date_sub(context.game_date, interval 14 day)) as games_last_14_days
    from context_teams as context
    inner join team_schedule as earlier
        on earlier.team_abbr = context.team_abbr
        and earlier.game_date < context.game_date
        and earlier.game_date >= date_sub(context.game_date, interval 30 day)
        and earlier.game_status = 3
    group by context.game_date, context.team_abbr
),

recent_team_paces as (
    select
        context.game_date,
        context.team_abbr,
        team_offense_game_summary.pace
    from context_teams as context
    inner join team_offense_game_summary
        on team_offense_game_summary.team_abbr = context.team_abbr
        and team_offense_game_summary.game_date < context.game_date
        and team_offense_game_summary.game_date >= date_sub(context.game_date, interval 30 day)
    where true
    qualify row_number() over (
        partition by context.game_date, context.team_abbr
        order by team_offense_game_summary.game_date desc
    ) <= 10
),

team_recent_pace as (
    select
        recent_team_paces.game_date,
        recent_team_paces.team_abbr,
        round(avg(recent_team_paces.pace), 1) as pace_last_10
    from recent_team_paces
    group by recent_team_paces.game_date, recent_team_paces.team_abbr
),

-- H: the player's games in [D - 30, D), newest first. Only games he played count (the one
-- definition, player_game_summary.played).
player_history as (
    select
        player_teams.game_date as context_date,
        player_teams.player_lookup,
        player_game_summary.game_date as played_date,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.usage_rate,
        row_number() over (player_games_newest_first) as game_rank,
        lead(player_game_summary.game_date) over (player_games_newest_first) as previous_played_date
    from player_teams
    inner join player_game_summary
        on player_game_summary.player_lookup = player_teams.player_lookup
        and player_game_summary.game_date < player_teams.game_date
        and player_game_summary.game_date >= date_sub(player_teams.game_date, interval 30 day)
    where player_game_summary.played
    window player_games_newest_first as (
        partition by player_teams.game_date, player_teams.player_lookup
        order by player_game_summary.game_date desc
    )
),

history_gaps as (
    select
        player_history.*,
        date_diff(player_history.played_date, player_history.previous_played_date, day) as gap_days,
        min(if(date_diff(player_history.played_date, player_history.previous_played_date, day) >= 2,
            player_history.game_rank, null)) over (
            partition by player_history.context_date, player_history.player_lookup
        ) as first_rest_rank
    from player_history
),

history_summary as (
    select
        history_gaps.context_date,
        history_gaps.player_lookup,
        count(*) as games_in_history,
        date_diff(history_gaps.context_date, max(history_gaps.played_date), day) as days_rest,
        max(if(history_gaps.game_rank = 1, history_gaps.gap_days, null)) as days_rest_before_last_game,
        max(if(history_gaps.game_rank = history_gaps.first_rest_rank,
            date_diff(history_gaps.context_date, history_gaps.played_date, day), null))
            as days_since_2_plus_days_rest,
        countif(history_gaps.played_date >= date_sub(history_gaps.context_date, interval 7 day))
            as games_in_last_7_days,
        countif(history_gaps.played_date >= date_sub(history_gaps.context_date, interval 14 day))
            as games_in_last_14_days,
        cast(trunc(sum(if(history_gaps.played_date >= date_sub(history_gaps.context_date, interval 7 day),
            ifnull(history_gaps.minutes_played, 0), 0))) as int64) as minutes_in_last_7_days,
        cast(trunc(sum(if(history_gaps.played_date >= date_sub(history_gaps.context_date, interval 14 day),
            ifnull(history_gaps.minutes_played, 0), 0))) as int64) as minutes_in_last_14_days,
        countif(history_gaps.gap_days = 1
            and history_gaps.previous_played_date >= date_sub(history_gaps.context_date, interval 14 day))
            as back_to_backs_last_14_days,
        round(avg(if(history_gaps.game_rank <= 5, history_gaps.points, null)), 1) as points_avg_last_5,
        round(avg(if(history_gaps.game_rank <= 10, history_gaps.points, null)), 1) as points_avg_last_10,
        countif(history_gaps.game_rank <= 5) as l5_games_used,
        countif(history_gaps.game_rank <= 10) as l10_games_used,
        round(avg(if(history_gaps.game_rank <= 7, history_gaps.usage_rate, null)), 2) as avg_usage_rate_last_7_games
    from history_gaps
    group by history_gaps.context_date, history_gaps.player_lookup
),

-- Prop streaks: from the newest game back, games on the same side of today's line; a game
-- exactly on the line is skipped.
prop_sides as (
    select
        player_history.context_date,
        player_history.player_lookup,
        sign(player_history.points - player_prop_lines.current_points_line) as side,
        row_number() over (player_sides) as side_rank,
        first_value(sign(player_history.points - player_prop_lines.current_points_line)) over (player_sides) as latest_side
    from player_history
    inner join player_prop_lines
        on player_prop_lines.game_date = player_history.context_date
        and player_prop_lines.player_lookup = player_history.player_lookup
    where player_history.points <> player_prop_lines.current_points_line
    window player_sides as (
        partition by player_history.context_date, player_history.player_lookup
        order by player_history.game_rank
    )
),

prop_streaks as (
    select
        prop_sides.context_date,
        prop_sides.player_lookup,
        max(prop_sides.latest_side) as latest_side,
        ifnull(min(if(prop_sides.side <> prop_sides.latest_side, prop_sides.side_rank, null)) - 1, count(*))
            as streak
    from prop_sides
    group by prop_sides.context_date, prop_sides.player_lookup
),

bookmaker_game_lines as (
    select
        odds_api_game_lines.game_date,
        odds_api_game_lines.home_team_abbr,
        odds_api_game_lines.away_team_abbr,
        odds_api_game_lines.market_key,
        odds_api_game_lines.bookmaker_key,
        odds_api_game_lines.outcome_point,
        rank() over (bookmaker_snapshots order by odds_api_game_lines.snapshot_timestamp desc) as latest_rank,
        rank() over (bookmaker_snapshots order by odds_api_game_lines.snapshot_timestamp) as earliest_rank
    from odds_api_game_lines
    window bookmaker_snapshots as (
        partition by odds_api_game_lines.game_date, odds_api_game_lines.home_team_abbr,
            odds_api_game_lines.away_team_abbr, odds_api_game_lines.market_key, odds_api_game_lines.bookmaker_key
    )
),

game_line_medians as (
    select
        bookmaker_game_lines.*,
        percentile_cont(if(bookmaker_game_lines.latest_rank = 1, bookmaker_game_lines.outcome_point, null), 0.5)
            over (game_market) as current_median,
        percentile_cont(if(bookmaker_game_lines.earliest_rank = 1, bookmaker_game_lines.outcome_point, null), 0.5)
            over (game_market) as opening_median
    from bookmaker_game_lines
    window game_market as (
        partition by bookmaker_game_lines.game_date, bookmaker_game_lines.home_team_abbr,
            bookmaker_game_lines.away_team_abbr, bookmaker_game_lines.market_key
    )
),

game_lines as (
    select
        game_line_medians.game_date,
        game_line_medians.home_team_abbr,
        game_line_medians.away_team_abbr,
        round(max(if(game_line_medians.market_key = 'spreads', game_line_medians.current_median, null)), 2)
            as game_spread,
        round(max(if(game_line_medians.market_key = 'spreads', game_line_medians.opening_median, null)), 2)
            as opening_spread,
        string_agg(distinct if(game_line_medians.market_key = 'spreads' and game_line_medians.latest_rank = 1,
            game_line_medians.bookmaker_key, null), ',' order by if(game_line_medians.market_key = 'spreads'
            and game_line_medians.latest_rank = 1, game_line_medians.bookmaker_key, null)) as game_spread_source,
        round(max(if(game_line_medians.market_key = 'totals', game_line_medians.current_median, null)), 1)
            as game_total,
        round(max(if(game_line_medians.market_key = 'totals', game_line_medians.opening_median, null)), 1)
            as opening_total,
        string_agg(distinct if(game_line_medians.market_key = 'totals' and game_line_medians.latest_rank = 1,
            game_line_medians.bookmaker_key, null), ',' order by if(game_line_medians.market_key = 'totals'
            and game_line_medians.latest_rank = 1, game_line_medians.bookmaker_key, null)) as game_total_source
    from game_line_medians
    group by game_line_medians.game_date, game_line_medians.home_team_abbr, game_line_medians.away_team_abbr
),

latest_injuries as (
    select nbac_injury_report.*
    from nbac_injury_report
    where true
    qualify row_number() over (
        partition by nbac_injury_report.game_date, nbac_injury_report.player_lookup
        order by nbac_injury_report.report_date desc, nbac_injury_report.report_hour desc
    ) = 1
),

registry_ids as (
    select
        player_teams.game_date,
        player_teams.player_lookup,
        nba_players_registry.universal_player_id
    from player_teams
    inner join nba_players_registry
        on nba_players_registry.player_lookup = player_teams.player_lookup
    where true
    qualify row_number() over (
        partition by player_teams.game_date, player_teams.player_lookup
        order by
            nba_players_registry.season_year = player_teams.season_year
                and nba_players_registry.team_abbr = player_teams.team_abbr desc,
            nba_players_registry.season_year = player_teams.season_year desc,
            nba_players_registry.season_year desc,
            nba_players_registry.universal_player_id
    ) = 1
),

contexts as (
    select
        player_teams.*,
        registry_ids.universal_player_id,
        ifnull(history_summary.games_in_history, 0) as games_in_history,
        history_summary.days_rest,
        history_summary.days_rest_before_last_game,
        history_summary.days_since_2_plus_days_rest,
        ifnull(history_summary.games_in_last_7_days, 0) as games_in_last_7_days,
        ifnull(history_summary.games_in_last_14_days, 0) as games_in_last_14_days,
        ifnull(history_summary.minutes_in_last_7_days, 0) as minutes_in_last_7_days,
        ifnull(history_summary.minutes_in_last_14_days, 0) as minutes_in_last_14_days,
        ifnull(history_summary.back_to_backs_last_14_days, 0) as back_to_backs_last_14_days,
        history_summary.points_avg_last_5,
        history_summary.points_avg_last_10,
        ifnull(history_summary.l5_games_used, 0) as l5_games_used,
        ifnull(history_summary.l10_games_used, 0) as l10_games_used,
        history_summary.avg_usage_rate_last_7_games,
        date_diff(player_teams.game_date, opponent_recent.last_game_date, day) as opponent_days_rest,
        ifnull(team_recent.games_last_14_days, 0) as team_games_last_14_days,
        team_pace.pace_last_10 as team_pace_last_10,
        opponent_pace.pace_last_10 as opponent_pace_last_10,
        player_prop_lines.current_points_line,
        player_prop_lines.opening_points_line,
        player_prop_lines.current_points_line_books,
        prop_streaks.latest_side,
        prop_streaks.streak,
        game_lines.game_spread,
        game_lines.opening_spread,
        game_lines.game_spread_source,
        game_lines.game_total,
        game_lines.opening_total,
        game_lines.game_total_source,
        if(ifnull(latest_injuries.confidence_score, 1) >= 0.8, latest_injuries.injury_status, null) as player_status,
        if(ifnull(latest_injuries.confidence_score, 1) >= 0.8, latest_injuries.reason, null) as injury_report
    from player_teams
    left join registry_ids
        on registry_ids.game_date = player_teams.game_date
        and registry_ids.player_lookup = player_teams.player_lookup
    left join history_summary
        on history_summary.context_date = player_teams.game_date
        and history_summary.player_lookup = player_teams.player_lookup
    left join team_recent_games as team_recent
        on team_recent.game_date = player_teams.game_date
        and team_recent.team_abbr = player_teams.team_abbr
    left join team_recent_games as opponent_recent
        on opponent_recent.game_date = player_teams.game_date
        and opponent_recent.team_abbr = player_teams.opponent_team_abbr
    left join team_recent_pace as team_pace
        on team_pace.game_date = player_teams.game_date
        and team_pace.team_abbr = player_teams.team_abbr
    left join team_recent_pace as opponent_pace
        on opponent_pace.game_date = player_teams.game_date
        and opponent_pace.team_abbr = player_teams.opponent_team_abbr
    left join player_prop_lines
        on player_prop_lines.game_date = player_teams.game_date
        and player_prop_lines.player_lookup = player_teams.player_lookup
    left join prop_streaks
        on prop_streaks.context_date = player_teams.game_date
        and prop_streaks.player_lookup = player_teams.player_lookup
    left join game_lines
        on game_lines.game_date = player_teams.game_date
        and game_lines.home_team_abbr = player_teams.home_team_abbr
        and game_lines.away_team_abbr = player_teams.away_team_abbr
    left join latest_injuries
        on latest_injuries.game_date = player_teams.game_date
        and latest_injuries.player_lookup = player_teams.player_lookup
),

final as (
    select
        contexts.player_lookup,
        contexts.universal_player_id,
        concat(format_date('%Y%m%d', contexts.game_date), '_',
            contexts.away_team_abbr, '_', contexts.home_team_abbr) as game_id,
        contexts.nba_game_id,
        contexts.game_date,
        contexts.season_year,
        contexts.team_abbr,
        contexts.opponent_team_abbr,
        contexts.team_abbr = contexts.home_team_abbr as home_game,
        case
            when starts_with(contexts.nba_game_id, '004') or starts_with(contexts.nba_game_id, '005') then 'playoffs'
            when extract(month from contexts.game_date) in (10, 11) then 'early'
            when extract(month from contexts.game_date) in (12, 1, 2) then 'mid'
            when extract(month from contexts.game_date) in (3, 4) or starts_with(contexts.nba_game_id, '002') then 'late'
            else 'playoffs'
        end as season_phase,
        contexts.player_status,
        contexts.injury_report,
        contexts.current_points_line is not null as has_prop_line,
        contexts.current_points_line,
        contexts.opening_points_line,
        round(contexts.current_points_line - contexts.opening_points_line, 1) as line_movement,
        if(contexts.current_points_line is not null, 'consensus', null) as current_points_line_source,
        if(contexts.opening_points_line is not null, 'consensus', null) as opening_points_line_source,
        contexts.current_points_line_books,
        contexts.game_spread,
        contexts.opening_spread,
        round(contexts.game_spread - contexts.opening_spread, 2) as spread_movement,
        contexts.game_spread_source,
        contexts.game_total,
        contexts.opening_total,
        round(contexts.game_total - contexts.opening_total, 1) as total_movement,
        contexts.game_total_source,
        contexts.days_rest,
        ifnull(contexts.days_rest = 1, false) as back_to_back,
        contexts.days_rest_before_last_game,
        contexts.days_since_2_plus_days_rest,
        contexts.opponent_days_rest,
        contexts.games_in_last_7_days,
        contexts.games_in_last_14_days,
        contexts.minutes_in_last_7_days,
        contexts.minutes_in_last_14_days,
        round(safe_divide(contexts.minutes_in_last_7_days, contexts.games_in_last_7_days), 1)
            as avg_minutes_per_game_last_7,
        contexts.back_to_backs_last_14_days,
        contexts.points_avg_last_5,
        contexts.points_avg_last_10,
        if(contexts.latest_side > 0, contexts.streak, 0) as prop_over_streak,
        if(contexts.latest_side < 0, contexts.streak, 0) as prop_under_streak,
        contexts.l5_games_used,
        contexts.l10_games_used,
        case
            when contexts.l5_games_used >= 5 then 'excellent'
            when contexts.l5_games_used >= 3 then 'good'
            when contexts.l5_games_used >= 2 then 'limited'
            else 'insufficient'
        end as l5_sample_quality,
        case
            when contexts.l10_games_used >= 10 then 'excellent'
            when contexts.l10_games_used >= 7 then 'good'
            when contexts.l10_games_used >= 5 then 'limited'
            else 'insufficient'
        end as l10_sample_quality,
        contexts.avg_usage_rate_last_7_games,
        contexts.team_pace_last_10,
        contexts.opponent_pace_last_10,
        round(contexts.opponent_pace_last_10 - contexts.team_pace_last_10, 1) as pace_differential,
        cast(null as int64) as player_age,
        cast(null as float64) as projected_usage_rate,
        cast(null as int64) as star_teammates_out,
        cast(null as float64) as fourth_quarter_minutes_last_7,
        contexts.team_games_last_14_days,
        round(safe_divide(100 * contexts.games_in_last_14_days, contexts.team_games_last_14_days), 1)
            as history_completeness_pct,
        contexts.roster_source,
        case
            when contexts.games_in_history >= 10 then 'gold'
            when contexts.games_in_history >= 5 then 'silver'
            else 'bronze'
        end as quality_tier,
        case
            when contexts.games_in_history >= 10 then 95
            when contexts.games_in_history >= 5 then 75
            else 50
        end as quality_score,
        array(
            select issue
            from unnest([
                if(contexts.game_spread is null, 'missing_game_spread', null),
                if(contexts.game_total is null, 'missing_game_total', null),
                if(contexts.games_in_history < 3, concat('thin_sample:', cast(contexts.games_in_history as string), '/3'), null),
                if(contexts.games_in_last_14_days * 10 < contexts.team_games_last_14_days * 7, 'incomplete_history', null),
                if(contexts.universal_player_id is null, 'registry_unresolved', null)
            ]) as issue
            where issue is not null
        ) as quality_issues,
        contexts.games_in_last_14_days * 10 >= contexts.team_games_last_14_days * 7 as is_production_ready
    from contexts
)

select * from final
