-- D2: the consensus points line of every player with a pre-tip prop dated [@start_date, @end_date].
-- Current = the median across bookmakers of each one's latest pre-tip line; opening = of each
-- one's earliest. The line player_game_summary grades is the line the pre-game context shows.
with

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

bookmaker_lines as (
    select
        odds_api_player_points_props.game_date,
        odds_api_player_points_props.player_lookup,
        odds_api_player_points_props.points_line,
        row_number() over (bookmaker_snapshots order by odds_api_player_points_props.snapshot_timestamp desc)
            as latest_rank,
        row_number() over (bookmaker_snapshots order by odds_api_player_points_props.snapshot_timestamp)
            as earliest_rank
    from odds_api_player_points_props
    window bookmaker_snapshots as (
        partition by odds_api_player_points_props.game_date, odds_api_player_points_props.player_lookup,
            odds_api_player_points_props.bookmaker
    )
),

bookmaker_line_medians as (
    select
        bookmaker_lines.game_date,
        bookmaker_lines.player_lookup,
        bookmaker_lines.latest_rank,
        percentile_cont(if(bookmaker_lines.latest_rank = 1, bookmaker_lines.points_line, null), 0.5)
            over (player_lines) as current_median,
        percentile_cont(if(bookmaker_lines.earliest_rank = 1, bookmaker_lines.points_line, null), 0.5)
            over (player_lines) as opening_median
    from bookmaker_lines
    window player_lines as (partition by bookmaker_lines.game_date, bookmaker_lines.player_lookup)
),

final as (
    select
        bookmaker_line_medians.game_date,
        bookmaker_line_medians.player_lookup,
        round(max(bookmaker_line_medians.current_median), 1) as current_points_line,  -- one value per group
        round(max(bookmaker_line_medians.opening_median), 1) as opening_points_line,
        countif(bookmaker_line_medians.latest_rank = 1) as current_points_line_books
    from bookmaker_line_medians
    group by bookmaker_line_medians.game_date, bookmaker_line_medians.player_lookup
)

select * from final
