-- D2: the consensus points line of every player with a pre-tip prop dated [@start_date, @end_date].
-- Each prop is first attached to a player on the roster of its date as of that morning
-- (nba_staging.pregame_rosters, D12: never the date's own box scores): its own lookup, else an
-- alias, else its name key (the lookup without a generational suffix, when that names one rostered
-- player of the date). A bookmaker's ladder of lines at one snapshot counts as its main line only:
-- the line whose over and under prices are most balanced. Current = the median across bookmakers of
-- each one's latest pre-tip main line; opening = of each one's earliest. The line
-- player_game_summary grades is the line the pre-game context shows. Each line also names the team
-- it is for (the player's roster team, or the registry's team in the prop's game): the pre-game
-- context adds prop-line players to that team's roster.
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
        odds_api_player_points_props.snapshot_timestamp,
        odds_api_player_points_props.home_team_abbr,
        odds_api_player_points_props.away_team_abbr
    from nba_raw.odds_api_player_points_props as odds_api_player_points_props
    where odds_api_player_points_props.game_date between @start_date and @end_date
        and odds_api_player_points_props.minutes_before_tipoff >= 0
),

pregame_rosters as (
    select
        pregame_rosters.game_date,
        pregame_rosters.player_lookup,
        pregame_rosters.team_abbr
    from nba_staging.pregame_rosters as pregame_rosters
    where pregame_rosters.game_date between @start_date and @end_date
),

nbac_schedule as (
    select
        nbac_schedule.game_date,
        nbac_schedule.season_year,
        nbac_schedule.home_team_tricode,
        nbac_schedule.away_team_tricode
    from nba_raw.nbac_schedule as nbac_schedule
    where nbac_schedule.game_date between @start_date and @end_date
),

nba_players_registry as (
    select
        nba_players_registry.player_lookup,
        nba_players_registry.team_abbr,
        nba_players_registry.season_year,
        nba_players_registry.first_game_date
    from nba_reference.nba_players_registry as nba_players_registry
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

-- Who a prop can name on a date: the rostered players of the teams playing that day (active, DNP
-- and inactive on their team's last box score alike). name_key: the lookup without a generational
-- suffix (nbaprops.raw.names.NAME_KEY_SUFFIX; Jr., Sr., II, III, IV).
roster_players as (
    select
        pregame_rosters.game_date,
        pregame_rosters.player_lookup,
        pregame_rosters.team_abbr,
        regexp_replace(pregame_rosters.player_lookup, r'(jr|sr|ii|iii|iv)$', '') as name_key
    from pregame_rosters
),

-- Dates with a roster (props of a date without one, e.g. the first date of the data, cannot be matched).
roster_dates as (
    select distinct roster_players.game_date
    from roster_players
),

-- A name key matches only when it names exactly one player of the date.
unique_name_keys as (
    select
        roster_players.game_date,
        roster_players.name_key,
        min(roster_players.player_lookup) as player_lookup
    from roster_players
    group by roster_players.game_date, roster_players.name_key
    having count(*) = 1
),

prop_spellings as (
    select distinct
        odds_api_player_points_props.game_date,
        odds_api_player_points_props.player_lookup as prop_lookup
    from odds_api_player_points_props
),

-- A spelling that names a rostered player of the date is that player; otherwise its alias, if any.
aliased_spellings as (
    select
        prop_spellings.game_date,
        prop_spellings.prop_lookup,
        exact_players.player_lookup is not null as is_exact,
        if(exact_players.player_lookup is not null, prop_spellings.prop_lookup,
            coalesce(player_aliases.player_lookup, prop_spellings.prop_lookup)) as candidate_lookup
    from prop_spellings
    left join roster_players as exact_players
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
            when roster_dates.game_date is not null then 4
            else 5
        end as match_rank
    from aliased_spellings
    left join roster_players as candidate_players
        on candidate_players.game_date = aliased_spellings.game_date
        and candidate_players.player_lookup = aliased_spellings.candidate_lookup
    left join unique_name_keys
        on unique_name_keys.game_date = aliased_spellings.game_date
        and unique_name_keys.name_key = regexp_replace(aliased_spellings.candidate_lookup, r'(jr|sr|ii|iii|iv)$', '')
    left join roster_dates
        on roster_dates.game_date = aliased_spellings.game_date
),

-- Implied probability of an American price (vig included): -150 -> 0.6, +130 -> 0.435.
priced_lines as (
    select
        odds_api_player_points_props.game_date,
        prop_players.player_lookup,
        prop_players.match_rank,
        odds_api_player_points_props.bookmaker,
        odds_api_player_points_props.points_line,
        odds_api_player_points_props.over_price_american,
        odds_api_player_points_props.under_price_american,
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
        priced_lines.over_price_american,
        priced_lines.under_price_american,
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
        main_lines.bookmaker,
        main_lines.points_line,
        main_lines.over_price_american,
        main_lines.under_price_american,
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

consensus_lines as (
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
            else 'no_roster'
        end as player_match
    from bookmaker_line_medians
    group by bookmaker_line_medians.game_date, bookmaker_line_medians.player_lookup
),

-- The game a player's props name (the bookmakers list the event's teams), when they do.
prop_games as (
    select
        odds_api_player_points_props.game_date,
        prop_players.player_lookup,
        min(odds_api_player_points_props.home_team_abbr) as home_team_abbr,
        min(odds_api_player_points_props.away_team_abbr) as away_team_abbr
    from odds_api_player_points_props
    inner join prop_players
        on prop_players.game_date = odds_api_player_points_props.game_date
        and prop_players.prop_lookup = odds_api_player_points_props.player_lookup
    where odds_api_player_points_props.home_team_abbr is not null
        and odds_api_player_points_props.away_team_abbr is not null
    group by odds_api_player_points_props.game_date, prop_players.player_lookup
),

schedule_teams as (
    select distinct nbac_schedule.game_date, nbac_schedule.season_year, nbac_schedule.home_team_tricode as team_abbr
    from nbac_schedule
    union distinct
    select distinct nbac_schedule.game_date, nbac_schedule.season_year, nbac_schedule.away_team_tricode as team_abbr
    from nbac_schedule
),

-- The teams a line can be for: the two teams of the prop's game, else every team playing that day.
line_teams as (
    select
        consensus_lines.game_date,
        consensus_lines.player_lookup,
        schedule_teams.team_abbr,
        schedule_teams.season_year
    from consensus_lines
    left join prop_games
        on prop_games.game_date = consensus_lines.game_date
        and prop_games.player_lookup = consensus_lines.player_lookup
    inner join schedule_teams
        on schedule_teams.game_date = consensus_lines.game_date
        and (prop_games.home_team_abbr is null
            or schedule_teams.team_abbr in (prop_games.home_team_abbr, prop_games.away_team_abbr))
),

-- The team a line is for: the player's roster team when it is one of those; else the one the
-- registry lists him with this season from a first game on or before the date (a trade or a
-- signing that no box score shows yet); else none (graded if he plays, but no pre-game context).
line_team_choices as (
    select
        line_teams.game_date,
        line_teams.player_lookup,
        line_teams.team_abbr,
        if(roster_players.team_abbr is not null, 'roster', 'registry') as team_source
    from line_teams
    left join roster_players
        on roster_players.game_date = line_teams.game_date
        and roster_players.player_lookup = line_teams.player_lookup
        and roster_players.team_abbr = line_teams.team_abbr
    left join nba_players_registry
        on nba_players_registry.player_lookup = line_teams.player_lookup
        and nba_players_registry.team_abbr = line_teams.team_abbr
        and nba_players_registry.season_year = line_teams.season_year
        and nba_players_registry.first_game_date <= line_teams.game_date
    where roster_players.team_abbr is not null or nba_players_registry.team_abbr is not null
    qualify row_number() over (
        partition by line_teams.game_date, line_teams.player_lookup
        order by roster_players.team_abbr is not null desc, nba_players_registry.first_game_date desc,
            line_teams.team_abbr
    ) = 1
),

-- D14: the bets on offer. Each bookmaker's latest main line with its prices as payouts per unit
-- staked (-125 -> 0.8, +150 -> 1.5) and the over's no-vig probability (NULL without both prices).
current_offers as (
    select
        bookmaker_lines.game_date,
        bookmaker_lines.player_lookup,
        bookmaker_lines.bookmaker,
        bookmaker_lines.points_line,
        bookmaker_lines.over_price_american,
        bookmaker_lines.under_price_american,
        if(bookmaker_lines.over_price_american < 0, -100 / bookmaker_lines.over_price_american,
            bookmaker_lines.over_price_american / 100) as over_payout,
        if(bookmaker_lines.under_price_american < 0, -100 / bookmaker_lines.under_price_american,
            bookmaker_lines.under_price_american / 100) as under_payout
    from bookmaker_lines
    where bookmaker_lines.latest_rank = 1
),

-- Implied probability (vig included) of a payout p is 1 / (1 + p); the no-vig over probability
-- divides the over's by the sum of both sides'.
offer_summary as (
    select
        current_offers.game_date,
        current_offers.player_lookup,
        avg(current_offers.points_line) as current_points_line_mean,
        avg((1 / (1 + current_offers.over_payout))
            / (1 / (1 + current_offers.over_payout) + 1 / (1 + current_offers.under_payout))) as no_vig_over_mean
    from current_offers
    group by current_offers.game_date, current_offers.player_lookup
),

-- The consensus price of a side: the median payout of the bookmakers whose latest line is the
-- consensus line (NULL when none is, e.g. an even count of bookmakers split between two lines).
consensus_prices as (
    select distinct
        current_offers.game_date,
        current_offers.player_lookup,
        percentile_cont(if(current_offers.points_line = consensus_lines.current_points_line,
            current_offers.over_payout, null), 0.5) over (consensus_offers) as consensus_over_payout,
        percentile_cont(if(current_offers.points_line = consensus_lines.current_points_line,
            current_offers.under_payout, null), 0.5) over (consensus_offers) as consensus_under_payout
    from current_offers
    inner join consensus_lines
        on consensus_lines.game_date = current_offers.game_date
        and consensus_lines.player_lookup = current_offers.player_lookup
    window consensus_offers as (partition by current_offers.game_date, current_offers.player_lookup)
),

-- Line shopping: the best over is the lowest line (then the best price, then the bookmaker's
-- name), the best under the highest line. Unpriced lines rank after priced ones at the same line.
best_overs as (
    select
        current_offers.game_date,
        current_offers.player_lookup,
        current_offers.bookmaker as best_over_bookmaker,
        current_offers.points_line as best_over_line,
        current_offers.over_price_american as best_over_price_american
    from current_offers
    where true
    qualify row_number() over (
        partition by current_offers.game_date, current_offers.player_lookup
        order by current_offers.points_line, current_offers.over_payout is null, current_offers.over_payout desc,
            current_offers.bookmaker
    ) = 1
),

best_unders as (
    select
        current_offers.game_date,
        current_offers.player_lookup,
        current_offers.bookmaker as best_under_bookmaker,
        current_offers.points_line as best_under_line,
        current_offers.under_price_american as best_under_price_american
    from current_offers
    where true
    qualify row_number() over (
        partition by current_offers.game_date, current_offers.player_lookup
        order by current_offers.points_line desc, current_offers.under_payout is null,
            current_offers.under_payout desc, current_offers.bookmaker
    ) = 1
),

final as (
    select
        consensus_lines.game_date,
        consensus_lines.player_lookup,
        consensus_lines.current_points_line,
        consensus_lines.opening_points_line,
        consensus_lines.current_points_line_books,
        consensus_lines.player_match,
        line_team_choices.team_abbr,
        line_team_choices.team_source,
        round(offer_summary.current_points_line_mean, 3) as current_points_line_mean,
        round(offer_summary.no_vig_over_mean, 4) as no_vig_over_mean,
        cast(round(if(consensus_prices.consensus_over_payout >= 1, 100 * consensus_prices.consensus_over_payout,
            -100 / consensus_prices.consensus_over_payout)) as int64) as consensus_over_price_american,
        cast(round(if(consensus_prices.consensus_under_payout >= 1, 100 * consensus_prices.consensus_under_payout,
            -100 / consensus_prices.consensus_under_payout)) as int64) as consensus_under_price_american,
        best_overs.best_over_line,
        best_overs.best_over_price_american,
        best_overs.best_over_bookmaker,
        best_unders.best_under_line,
        best_unders.best_under_price_american,
        best_unders.best_under_bookmaker
    from consensus_lines
    inner join offer_summary
        on offer_summary.game_date = consensus_lines.game_date
        and offer_summary.player_lookup = consensus_lines.player_lookup
    inner join consensus_prices
        on consensus_prices.game_date = consensus_lines.game_date
        and consensus_prices.player_lookup = consensus_lines.player_lookup
    inner join best_overs
        on best_overs.game_date = consensus_lines.game_date
        and best_overs.player_lookup = consensus_lines.player_lookup
    inner join best_unders
        on best_unders.game_date = consensus_lines.game_date
        and best_unders.player_lookup = consensus_lines.player_lookup
    left join line_team_choices
        on line_team_choices.game_date = consensus_lines.game_date
        and line_team_choices.player_lookup = consensus_lines.player_lookup
)

select * from final
