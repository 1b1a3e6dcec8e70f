-- D2: the consensus points line of every player with a pre-tip prop dated [@start_date, @end_date].
-- Each prop is first attached to a box-score player of its date (its own lookup, else an alias,
-- else its name key: the lookup without a generational suffix, when that names one player of the
-- date). A bookmaker's ladder of lines at one snapshot counts as its main line only: the line
-- whose over and under prices are most balanced. Current = the median across bookmakers of each
-- one's latest pre-tip main line; opening = of each one's earliest. The line player_game_summary
-- grades is the line the pre-game context shows.
with

-- Snapshots taken after tip-off (minutes_before_tipoff < 0, or unknown) are in-game lines.
odds_api_player_points_props as (
    select
        odds_api_player_points_props.game_date,
        odds_api_player_points_props.player_lookup,
        odds_api_player_points_props.bookmaker,
        odds_api_player_points_props.points_line,
        odds_api_player_points_props.over_price_american,
        odds_api_player_points_props.under_price_american,
        odds_api_player_points_props.snapshot_timestamp
    from nba_raw.odds_api_player_points_props as odds_api_player_points_props
    where odds_api_player_points_props.game_date between @start_date and @end_date
        and odds_api_player_points_props.minutes_before_tipoff >= 0
),

nbac_gamebook_player_stats as (
    select
        nbac_gamebook_player_stats.game_date,
        nbac_gamebook_player_stats.player_lookup
    from nba_raw.nbac_gamebook_player_stats as nbac_gamebook_player_stats
    where nbac_gamebook_player_stats.game_date between @start_date and @end_date
),

bdl_player_boxscores as (
    select
        bdl_player_boxscores.game_date,
        bdl_player_boxscores.player_lookup
    from nba_raw.bdl_player_boxscores as bdl_player_boxscores
    where bdl_player_boxscores.game_date between @start_date and @end_date
),

-- An alias mapped to two different players says nothing: it is ignored (the gate reports it).
player_aliases as (
    select
        player_aliases.alias_lookup,
        min(player_aliases.player_lookup) as player_lookup
    from nba_reference.player_aliases as player_aliases
    group by player_aliases.alias_lookup
    having count(distinct player_aliases.player_lookup) = 1
),

-- Who a prop can name on a date: every box-score player of the date (the gamebook lists active,
-- DNP and inactive players alike). name_key: the lookup without a generational suffix
-- (nbaprops.raw.names.NAME_KEY_SUFFIX; Jr., Sr., II, III, IV).
box_score_players as (
    select
        players.game_date,
        players.player_lookup,
        regexp_replace(players.player_lookup, r'(jr|sr|ii|iii|iv)$', '') as name_key
    from (
        select nbac_gamebook_player_stats.game_date, nbac_gamebook_player_stats.player_lookup
        from nbac_gamebook_player_stats
        union distinct
        select bdl_player_boxscores.game_date, bdl_player_boxscores.player_lookup
        from bdl_player_boxscores
    ) as players
),

-- Dates whose games have box scores (props of a date without them cannot be matched yet).
box_score_dates as (
    select distinct box_score_players.game_date
    from box_score_players
),

-- A name key matches only when it names exactly one player of the date.
unique_name_keys as (
    select
        box_score_players.game_date,
        box_score_players.name_key,
        min(box_score_players.player_lookup) as player_lookup
    from box_score_players
    group by box_score_players.game_date, box_score_players.name_key
    having count(*) = 1
),

prop_spellings as (
    select distinct
        odds_api_player_points_props.game_date,
        odds_api_player_points_props.player_lookup as prop_lookup
    from odds_api_player_points_props
),

-- A spelling that names a player of the date is that player; otherwise its alias, if any.
aliased_spellings as (
    select
        prop_spellings.game_date,
        prop_spellings.prop_lookup,
        exact_players.player_lookup is not null as is_exact,
        if(exact_players.player_lookup is not null, prop_spellings.prop_lookup,
            coalesce(player_aliases.player_lookup, prop_spellings.prop_lookup)) as candidate_lookup
    from prop_spellings
    left join box_score_players as exact_players
        on exact_players.game_date = prop_spellings.game_date
        and exact_players.player_lookup = prop_spellings.prop_lookup
    left join player_aliases
        on player_aliases.alias_lookup = prop_spellings.prop_lookup
),

prop_players as (
    select
        aliased_spellings.game_date,
        aliased_spellings.prop_lookup,
        coalesce(candidate_players.player_lookup, unique_name_keys.player_lookup,
            aliased_spellings.candidate_lookup) as player_lookup,
        case
            when aliased_spellings.is_exact then 1
            when candidate_players.player_lookup is not null then 2
            when unique_name_keys.player_lookup is not null then 3
            when box_score_dates.game_date is not null then 4
            else 5
        end as match_rank
    from aliased_spellings
    left join box_score_players as candidate_players
        on candidate_players.game_date = aliased_spellings.game_date
        and candidate_players.player_lookup = aliased_spellings.candidate_lookup
    left join unique_name_keys
        on unique_name_keys.game_date = aliased_spellings.game_date
        and unique_name_keys.name_key = regexp_replace(aliased_spellings.candidate_lookup, r'(jr|sr|ii|iii|iv)$', '')
    left join box_score_dates
        on box_score_dates.game_date = aliased_spellings.game_date
),

-- Implied probability of an American price (vig included): -150 -> 0.6, +130 -> 0.435.
priced_lines as (
    select
        odds_api_player_points_props.game_date,
        prop_players.player_lookup,
        prop_players.match_rank,
        odds_api_player_points_props.bookmaker,
        odds_api_player_points_props.points_line,
        odds_api_player_points_props.snapshot_timestamp,
        round(abs(
            if(odds_api_player_points_props.over_price_american < 0,
                -odds_api_player_points_props.over_price_american / (100 - odds_api_player_points_props.over_price_american),
                100 / (100 + odds_api_player_points_props.over_price_american))
            - if(odds_api_player_points_props.under_price_american < 0,
                -odds_api_player_points_props.under_price_american / (100 - odds_api_player_points_props.under_price_american),
                100 / (100 + odds_api_player_points_props.under_price_american))
        ), 6) as price_imbalance,
        avg(odds_api_player_points_props.points_line) over (snapshot_ladder) as ladder_mean_line
    from odds_api_player_points_props
    inner join prop_players
        on prop_players.game_date = odds_api_player_points_props.game_date
        and prop_players.prop_lookup = odds_api_player_points_props.player_lookup
    window snapshot_ladder as (
        partition by odds_api_player_points_props.game_date, prop_players.player_lookup,
            odds_api_player_points_props.bookmaker, odds_api_player_points_props.snapshot_timestamp
    )
),

-- The main line of a ladder: the most balanced prices (unpriced lines last); ties go to the line
-- nearest the middle of the ladder, then to the lower line.
main_lines as (
    select
        priced_lines.game_date,
        priced_lines.player_lookup,
        priced_lines.match_rank,
        priced_lines.bookmaker,
        priced_lines.points_line,
        priced_lines.snapshot_timestamp
    from priced_lines
    where true  -- BigQuery accepts QUALIFY only after a WHERE, GROUP BY or HAVING
    qualify row_number() over (
        partition by priced_lines.game_date, priced_lines.player_lookup, priced_lines.bookmaker,
            priced_lines.snapshot_timestamp
        order by priced_lines.price_imbalance is null, priced_lines.price_imbalance,
            abs(priced_lines.points_line - priced_lines.ladder_mean_line), priced_lines.points_line
    ) = 1
),

bookmaker_lines as (
    select
        main_lines.game_date,
        main_lines.player_lookup,
        main_lines.match_rank,
        main_lines.points_line,
        row_number() over (bookmaker_snapshots order by main_lines.snapshot_timestamp desc)
            as latest_rank,
        row_number() over (bookmaker_snapshots order by main_lines.snapshot_timestamp)
            as earliest_rank
    from main_lines
    window bookmaker_snapshots as (
        partition by main_lines.game_date, main_lines.player_lookup, main_lines.bookmaker
    )
),

bookmaker_line_medians as (
    select
        bookmaker_lines.game_date,
        bookmaker_lines.player_lookup,
        bookmaker_lines.match_rank,
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
        countif(bookmaker_line_medians.latest_rank = 1) as current_points_line_books,
        -- the surest way any of the player's spellings was matched
        case min(bookmaker_line_medians.match_rank)
            when 1 then 'exact'
            when 2 then 'alias'
            when 3 then 'name_key'
            when 4 then 'unmatched'
            else 'no_box_score'
        end as player_match
    from bookmaker_line_medians
    group by bookmaker_line_medians.game_date, bookmaker_line_medians.player_lookup
)

select * from final
