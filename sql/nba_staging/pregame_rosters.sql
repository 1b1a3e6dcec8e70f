-- Each team's roster on the morning of every game date in [@start_date, @end_date], scheduled or
-- final (D12): the players on the team's most recent box score strictly before the date (every
-- gamebook row, active, DNP and inactive alike; that game's BDL rows where its gamebook lacks the
-- team). Never the date's own box scores: a daily run has none before tip-off. A player on two
-- teams' latest box scores (traded before his old team played again) belongs to the team he
-- appeared for most recently. A team without any box score in the year before the date (the first
-- season of the data) takes the registry's players of the season listed with it from a first game
-- on or before the date. Players with a prop line only are added by
-- upcoming_player_game_context (nba_staging.player_prop_lines matches its names against these).
with

nbac_schedule as (
    select
        nbac_schedule.game_date,
        nbac_schedule.season_year,
        nbac_schedule.home_team_tricode,
        nbac_schedule.away_team_tricode
    from nba_raw.nbac_schedule as nbac_schedule
    where nbac_schedule.game_date between @start_date and @end_date
),

-- Far enough back to reach the previous season's last game of every team (the longest gap, the
-- teams left out of the 2020 bubble, was 286 days).
nbac_gamebook_player_stats as (
    select
        nbac_gamebook_player_stats.game_date,
        nbac_gamebook_player_stats.team_abbr,
        nbac_gamebook_player_stats.player_lookup,
        nbac_gamebook_player_stats.player_status,
        nbac_gamebook_player_stats.processed_at
    from nba_raw.nbac_gamebook_player_stats as nbac_gamebook_player_stats
    where nbac_gamebook_player_stats.game_date
        between date_sub(@start_date, interval 366 day) and date_sub(@end_date, interval 1 day)
),

bdl_player_boxscores as (
    select
        bdl_player_boxscores.game_date,
        bdl_player_boxscores.team_abbr,
        bdl_player_boxscores.player_lookup,
        bdl_player_boxscores.processed_at
    from nba_raw.bdl_player_boxscores as bdl_player_boxscores
    where bdl_player_boxscores.game_date
        between date_sub(@start_date, interval 366 day) and date_sub(@end_date, interval 1 day)
),

nba_players_registry as (
    select
        nba_players_registry.player_lookup,
        nba_players_registry.team_abbr,
        nba_players_registry.season_year,
        nba_players_registry.first_game_date
    from nba_reference.nba_players_registry as nba_players_registry
),

-- Every team playing on a date of the range, whatever the status of its game.
team_dates as (
    select distinct nbac_schedule.game_date, nbac_schedule.season_year, nbac_schedule.home_team_tricode as team_abbr
    from nbac_schedule
    union distinct
    select distinct nbac_schedule.game_date, nbac_schedule.season_year, nbac_schedule.away_team_tricode as team_abbr
    from nbac_schedule
),

game_dates as (
    select distinct team_dates.game_date
    from team_dates
),

-- One box score per team and date: the gamebook's rows, or BDL's where the gamebook lacks the
-- team; a player loaded twice counts once (the latest load).
box_score_players as (
    select box_score_rows.*
    from (
        select
            nbac_gamebook_player_stats.game_date,
            nbac_gamebook_player_stats.team_abbr,
            nbac_gamebook_player_stats.player_lookup,
            nbac_gamebook_player_stats.player_status,
            nbac_gamebook_player_stats.processed_at,
            'nbac_gamebook' as roster_source
        from nbac_gamebook_player_stats
        union all
        select
            bdl_player_boxscores.game_date,
            bdl_player_boxscores.team_abbr,
            bdl_player_boxscores.player_lookup,
            cast(null as string) as player_status,
            bdl_player_boxscores.processed_at,
            'bdl_player_boxscores' as roster_source
        from bdl_player_boxscores
        where not exists (
            select 1
            from nbac_gamebook_player_stats
            where nbac_gamebook_player_stats.game_date = bdl_player_boxscores.game_date
                and nbac_gamebook_player_stats.team_abbr = bdl_player_boxscores.team_abbr
        )
    ) as box_score_rows
    where true
    qualify row_number() over (
        partition by box_score_rows.game_date, box_score_rows.team_abbr, box_score_rows.player_lookup
        order by box_score_rows.processed_at desc
    ) = 1
),

team_box_scores as (
    select distinct box_score_players.game_date, box_score_players.team_abbr
    from box_score_players
),

-- Every team's latest box score in the year before each date (all teams, not only those playing:
-- a traded player's later appearance elsewhere takes him off his old team's roster).
latest_box_scores as (
    select
        game_dates.game_date,
        team_box_scores.team_abbr,
        max(team_box_scores.game_date) as roster_game_date
    from game_dates
    inner join team_box_scores
        on team_box_scores.game_date < game_dates.game_date
        and team_box_scores.game_date >= date_sub(game_dates.game_date, interval 366 day)
    group by game_dates.game_date, team_box_scores.team_abbr
),

latest_rosters as (
    select
        latest_box_scores.game_date,
        box_score_players.player_lookup,
        box_score_players.team_abbr,
        latest_box_scores.roster_game_date,
        box_score_players.player_status as roster_game_status,
        box_score_players.roster_source,
        box_score_players.processed_at
    from latest_box_scores
    inner join box_score_players
        on box_score_players.game_date = latest_box_scores.roster_game_date
        and box_score_players.team_abbr = latest_box_scores.team_abbr
    union all
    -- a team playing with no box score in the year before: the registry's players of the season
    select
        team_dates.game_date,
        nba_players_registry.player_lookup,
        nba_players_registry.team_abbr,
        nba_players_registry.first_game_date as roster_game_date,
        cast(null as string) as roster_game_status,
        'nba_players_registry' as roster_source,
        cast(null as timestamp) as processed_at
    from team_dates
    inner join nba_players_registry
        on nba_players_registry.team_abbr = team_dates.team_abbr
        and nba_players_registry.season_year = team_dates.season_year
        and nba_players_registry.first_game_date <= team_dates.game_date
    where not exists (
        select 1
        from latest_box_scores
        where latest_box_scores.game_date = team_dates.game_date
            and latest_box_scores.team_abbr = team_dates.team_abbr
    )
),

-- A player belongs to the team whose latest box score he appeared on most recently (a registry
-- listing counts from its first game).
player_teams as (
    select latest_rosters.*
    from latest_rosters
    where true
    qualify row_number() over (
        partition by latest_rosters.game_date, latest_rosters.player_lookup
        order by latest_rosters.roster_game_date desc, latest_rosters.processed_at desc,
            latest_rosters.team_abbr
    ) = 1
),

final as (
    select
        player_teams.game_date,
        player_teams.player_lookup,
        player_teams.team_abbr,
        player_teams.roster_game_date,
        player_teams.roster_game_status,
        player_teams.roster_source
    from player_teams
    inner join team_dates
        on team_dates.game_date = player_teams.game_date
        and team_dates.team_abbr = player_teams.team_abbr
)

select * from final
