-- The fixed-order 25-feature vector (v1_baseline_25) of every player on a roster of D, for each
-- game date D in [@start_date, @end_date] outside the season's 14 bootstrap days (D7). Each
-- feature takes the first available of: its Phase 4 value (D's cache, composite factors and zone
-- tables), a Phase 3 fallback from the player's games strictly before D (D1), a calculation, or
-- its default; the label of each is kept and scores the row's quality. A feature whose optional
-- source (play-by-play, injury report) has no data in the season so far is labelled
-- 'unavailable' (D13): it holds its default, and the gate reports it instead of failing.
with

season_calendar as (
    select
        season_calendar.game_date,
        season_calendar.opener_date,
        season_calendar.has_play_by_play,
        season_calendar.has_injury_report
    from nba_staging.season_calendar as season_calendar
    where season_calendar.game_date between @start_date and @end_date
        -- D7: no rows on a season's 14 bootstrap days
        and not season_calendar.is_bootstrap
),

upcoming_player_game_context as (
    select
        upcoming_player_game_context.player_lookup,
        upcoming_player_game_context.universal_player_id,
        upcoming_player_game_context.game_id,
        upcoming_player_game_context.game_date,
        upcoming_player_game_context.team_abbr,
        upcoming_player_game_context.opponent_team_abbr,
        upcoming_player_game_context.home_game,
        upcoming_player_game_context.back_to_back,
        upcoming_player_game_context.season_phase,
        upcoming_player_game_context.days_rest,
        upcoming_player_game_context.opponent_days_rest,
        upcoming_player_game_context.player_status
    from nba_analytics.upcoming_player_game_context as upcoming_player_game_context
    where upcoming_player_game_context.game_date between @start_date and @end_date
),

player_daily_cache as (
    select
        player_daily_cache.cache_date,
        player_daily_cache.player_lookup,
        player_daily_cache.points_avg_last_5,
        player_daily_cache.points_avg_last_10,
        player_daily_cache.points_avg_season,
        player_daily_cache.points_std_last_10,
        player_daily_cache.games_in_last_7_days,
        player_daily_cache.minutes_avg_last_10,
        player_daily_cache.paint_rate_last_10,
        player_daily_cache.three_pt_rate_last_10,
        player_daily_cache.team_pace_last_10,
        player_daily_cache.team_off_rating_last_10,
        player_daily_cache.expected_games_count,
        player_daily_cache.actual_games_count,
        player_daily_cache.missing_games_count,
        player_daily_cache.completeness_percentage,
        player_daily_cache.is_production_ready
    from nba_precompute.player_daily_cache as player_daily_cache
    where player_daily_cache.cache_date between @start_date and @end_date
),

player_composite_factors as (
    select
        player_composite_factors.game_date,
        player_composite_factors.player_lookup,
        player_composite_factors.fatigue_score,
        player_composite_factors.shot_zone_mismatch_score,
        player_composite_factors.pace_score,
        player_composite_factors.usage_spike_score,
        player_composite_factors.is_production_ready
    from nba_precompute.player_composite_factors as player_composite_factors
    where player_composite_factors.game_date between @start_date and @end_date
),

player_shot_zone_analysis as (
    select
        player_shot_zone_analysis.analysis_date,
        player_shot_zone_analysis.player_lookup,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.mid_range_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10,
        player_shot_zone_analysis.is_production_ready
    from nba_precompute.player_shot_zone_analysis as player_shot_zone_analysis
    where player_shot_zone_analysis.analysis_date between @start_date and @end_date
),

team_defense_zone_analysis as (
    select
        team_defense_zone_analysis.analysis_date,
        team_defense_zone_analysis.team_abbr,
        team_defense_zone_analysis.defensive_rating_last_15,
        team_defense_zone_analysis.opponent_pace,
        team_defense_zone_analysis.is_production_ready
    from nba_precompute.team_defense_zone_analysis as team_defense_zone_analysis
    where team_defense_zone_analysis.analysis_date between @start_date and @end_date
),

player_game_summary as (
    select
        player_game_summary.player_lookup,
        player_game_summary.game_date,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.ft_makes
    from nba_analytics.player_game_summary as player_game_summary
    where player_game_summary.game_date between date_sub(@start_date, interval 366 day)
            and date_sub(@end_date, interval 1 day)
        -- games he played (the one definition of "did not play": nba_staging.player_boxscores)
        and player_game_summary.played
),

team_offense_game_summary as (
    select
        team_offense_game_summary.team_abbr,
        team_offense_game_summary.game_date,
        team_offense_game_summary.win_flag
    from nba_analytics.team_offense_game_summary as team_offense_game_summary
    where team_offense_game_summary.game_date between date_sub(@start_date, interval 366 day)
        and date_sub(@end_date, interval 1 day)
),

players as (
    select
        upcoming_player_game_context.*,
        season_calendar.opener_date,
        season_calendar.has_play_by_play,
        season_calendar.has_injury_report
    from upcoming_player_game_context
    inner join season_calendar
        on season_calendar.game_date = upcoming_player_game_context.game_date
),

-- The player's games of D's season strictly before D, newest first. "Recent" = the latest 10
-- of them within the 60 days before D (the original's Phase 3 fallback window).
ranked_games as (
    select
        players.game_date as feature_date,
        players.player_lookup,
        player_game_summary.game_date,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.ft_makes,
        row_number() over (
            partition by players.game_date, players.player_lookup
            order by player_game_summary.game_date desc
        ) as game_rank
    from players
    inner join player_game_summary
        on player_game_summary.player_lookup = players.player_lookup
        and player_game_summary.game_date >= players.opener_date
        and player_game_summary.game_date < players.game_date
),

flagged_games as (
    select
        ranked_games.*,
        ranked_games.game_rank <= 10
            and ranked_games.game_date >= date_sub(ranked_games.feature_date, interval 60 day) as is_recent
    from ranked_games
),

player_history as (
    select
        flagged_games.feature_date,
        flagged_games.player_lookup,
        countif(flagged_games.is_recent) as recent_games,
        avg(if(flagged_games.is_recent and flagged_games.game_rank <= 5, flagged_games.points, null))
            as recent_points_avg_5,
        avg(if(flagged_games.is_recent, flagged_games.points, null)) as recent_points_avg_10,
        avg(if(flagged_games.is_recent, flagged_games.minutes_played, null)) as recent_minutes_avg_10,
        avg(if(flagged_games.is_recent and flagged_games.game_rank <= 3, flagged_games.points, null))
            as newest_3_points_avg,
        avg(if(flagged_games.is_recent and flagged_games.game_rank in (4, 5), flagged_games.points, null))
            as games_4_5_points_avg,
        sum(if(flagged_games.is_recent, flagged_games.ft_makes, null)) as recent_ft_makes,
        sum(if(flagged_games.is_recent, flagged_games.points, null)) as recent_points,
        avg(flagged_games.points) as season_points_avg,
        avg(flagged_games.minutes_played) as season_minutes_avg
    from flagged_games
    group by flagged_games.feature_date, flagged_games.player_lookup
),

team_records as (
    select
        players.game_date as feature_date,
        players.player_lookup,
        count(*) as team_games,
        countif(team_offense_game_summary.win_flag) as team_wins
    from players
    inner join team_offense_game_summary
        on team_offense_game_summary.team_abbr = players.team_abbr
        and team_offense_game_summary.game_date >= players.opener_date
        and team_offense_game_summary.game_date < players.game_date
    group by players.game_date, players.player_lookup
),

inputs as (
    select
        players.* except (back_to_back),
        players.back_to_back as context_back_to_back,
        player_daily_cache.points_avg_last_5 as cache_points_avg_last_5,
        player_daily_cache.points_avg_last_10 as cache_points_avg_last_10,
        player_daily_cache.points_avg_season as cache_points_avg_season,
        player_daily_cache.points_std_last_10 as cache_points_std_last_10,
        player_daily_cache.games_in_last_7_days as cache_games_in_last_7_days,
        player_daily_cache.team_pace_last_10 as cache_team_pace_last_10,
        player_daily_cache.team_off_rating_last_10 as cache_team_off_rating_last_10,
        coalesce(player_shot_zone_analysis.paint_rate_last_10, player_daily_cache.paint_rate_last_10)
            as zone_paint_rate,
        player_shot_zone_analysis.mid_range_rate_last_10 as zone_mid_range_rate,
        coalesce(player_shot_zone_analysis.three_pt_rate_last_10, player_daily_cache.three_pt_rate_last_10)
            as zone_three_pt_rate,
        player_composite_factors.fatigue_score as factor_fatigue_score,
        player_composite_factors.shot_zone_mismatch_score as factor_shot_zone_mismatch_score,
        player_composite_factors.pace_score as factor_pace_score,
        player_composite_factors.usage_spike_score as factor_usage_spike_score,
        team_defense_zone_analysis.defensive_rating_last_15 as opponent_defensive_rating_last_15,
        team_defense_zone_analysis.opponent_pace as opponent_pace_last_15,
        if(player_history.recent_games >= 5, round(player_history.recent_points_avg_5, 1), null)
            as history_points_avg_last_5,
        round(player_history.recent_points_avg_10, 1) as history_points_avg_last_10,
        round(player_history.season_points_avg, 1) as history_points_avg_season,
        -- recent minutes (the cache's, else the recent games') vs the season mean; NULL when either is 0
        safe_divide(
            nullif(coalesce(player_daily_cache.minutes_avg_last_10, player_history.recent_minutes_avg_10), 0)
                - player_history.season_minutes_avg,
            nullif(player_history.season_minutes_avg, 0)) as minutes_change_pct,
        if(player_history.recent_games >= 5,
            player_history.newest_3_points_avg - player_history.games_4_5_points_avg, null) as points_trend,
        if(player_history.recent_games >= 5 and player_history.recent_points > 0,
            player_history.recent_ft_makes / player_history.recent_points, null) as free_throw_share,
        if(team_records.team_games >= 5, team_records.team_wins / team_records.team_games, null) as win_pct,
        player_daily_cache.expected_games_count,
        player_daily_cache.actual_games_count,
        player_daily_cache.missing_games_count,
        player_daily_cache.completeness_percentage,
        ifnull(player_daily_cache.is_production_ready, false) as daily_cache_ready,
        ifnull(player_composite_factors.is_production_ready, false) as composite_factors_ready,
        ifnull(player_shot_zone_analysis.is_production_ready, false) as shot_zone_ready,
        ifnull(team_defense_zone_analysis.is_production_ready, false) as team_defense_ready
    from players
    left join player_daily_cache
        on player_daily_cache.cache_date = players.game_date
        and player_daily_cache.player_lookup = players.player_lookup
    left join player_composite_factors
        on player_composite_factors.game_date = players.game_date
        and player_composite_factors.player_lookup = players.player_lookup
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = players.game_date
        and player_shot_zone_analysis.player_lookup = players.player_lookup
    left join team_defense_zone_analysis
        on team_defense_zone_analysis.analysis_date = players.game_date
        and team_defense_zone_analysis.team_abbr = players.opponent_team_abbr
    left join player_history
        on player_history.feature_date = players.game_date
        and player_history.player_lookup = players.player_lookup
    left join team_records
        on team_records.feature_date = players.game_date
        and team_records.player_lookup = players.player_lookup
),

-- One value and one label (phase4 / phase3 / calculated / default / unavailable) per feature, in order.
features as (
    select
        inputs.*,
        cast(coalesce(inputs.cache_points_avg_last_5, inputs.history_points_avg_last_5, 10.0) as float64)
            as points_avg_last_5,
        case
            when inputs.cache_points_avg_last_5 is not null then 'phase4'
            when inputs.history_points_avg_last_5 is not null then 'phase3'
            else 'default'
        end as points_avg_last_5_source,
        cast(coalesce(inputs.cache_points_avg_last_10, inputs.history_points_avg_last_10, 10.0) as float64)
            as points_avg_last_10,
        case
            when inputs.cache_points_avg_last_10 is not null then 'phase4'
            when inputs.history_points_avg_last_10 is not null then 'phase3'
            else 'default'
        end as points_avg_last_10_source,
        cast(coalesce(inputs.cache_points_avg_season, inputs.history_points_avg_season, 10.0) as float64)
            as points_avg_season,
        case
            when inputs.cache_points_avg_season is not null then 'phase4'
            when inputs.history_points_avg_season is not null then 'phase3'
            else 'default'
        end as points_avg_season_source,
        cast(ifnull(inputs.cache_points_std_last_10, 5.0) as float64) as points_std_last_10,
        if(inputs.cache_points_std_last_10 is not null, 'phase4', 'default') as points_std_last_10_source,
        cast(ifnull(inputs.cache_games_in_last_7_days, 3) as float64) as games_in_last_7_days,
        if(inputs.cache_games_in_last_7_days is not null, 'phase4', 'default') as games_in_last_7_days_source,
        cast(ifnull(inputs.factor_fatigue_score, 50) as float64) as fatigue_score,
        if(inputs.factor_fatigue_score is not null, 'phase4', 'default') as fatigue_score_source,
        cast(ifnull(inputs.factor_shot_zone_mismatch_score, 0) as float64) as shot_zone_mismatch_score,
        case
            when not inputs.has_play_by_play then 'unavailable'
            when inputs.factor_shot_zone_mismatch_score is not null then 'phase4'
            else 'default'
        end as shot_zone_mismatch_score_source,
        cast(ifnull(inputs.factor_pace_score, 0) as float64) as pace_score,
        if(inputs.factor_pace_score is not null, 'phase4', 'default') as pace_score_source,
        cast(ifnull(inputs.factor_usage_spike_score, 0) as float64) as usage_spike_score,
        if(inputs.factor_usage_spike_score is not null, 'phase4', 'default') as usage_spike_score_source,
        cast(if(inputs.days_rest is null or inputs.opponent_days_rest is null, 0,
            greatest(-2, least(2, inputs.days_rest - inputs.opponent_days_rest))) as float64) as rest_advantage,
        if(inputs.days_rest is null or inputs.opponent_days_rest is null, 'default', 'calculated')
            as rest_advantage_source,
        cast(case lower(inputs.player_status)
            when 'probable' then 1
            when 'questionable' then 2
            when 'doubtful' then 3
            when 'out' then 3
            else 0
        end as float64) as injury_risk,
        if(inputs.has_injury_report, 'calculated', 'unavailable') as injury_risk_source,
        -- D4: positive when the newest 3 games beat games 4-5 (the original's sign was inverted)
        cast(case
            when inputs.points_trend is null then 0
            when inputs.points_trend >= 5 then 2
            when inputs.points_trend >= 2 then 1
            when inputs.points_trend <= -5 then -2
            when inputs.points_trend <= -2 then -1
            else 0
        end as float64) as recent_trend,
        if(inputs.points_trend is null, 'default', 'calculated') as recent_trend_source,
        cast(case
            when inputs.minutes_change_pct is null then 0
            when inputs.minutes_change_pct >= 0.20 then 2
            when inputs.minutes_change_pct >= 0.10 then 1
            when inputs.minutes_change_pct <= -0.20 then -2
            when inputs.minutes_change_pct <= -0.10 then -1
            else 0
        end as float64) as minutes_change,
        if(inputs.minutes_change_pct is null, 'default', 'calculated') as minutes_change_source,
        cast(ifnull(inputs.opponent_defensive_rating_last_15, 112.0) as float64) as opponent_def_rating,
        if(inputs.opponent_defensive_rating_last_15 is not null, 'phase4', 'default') as opponent_def_rating_source,
        cast(ifnull(inputs.opponent_pace_last_15, 100.0) as float64) as opponent_pace,
        if(inputs.opponent_pace_last_15 is not null, 'phase4', 'default') as opponent_pace_source,
        cast(if(inputs.home_game, 1, 0) as float64) as home_away,
        'phase3' as home_away_source,
        cast(if(inputs.context_back_to_back, 1, 0) as float64) as back_to_back,
        'phase3' as back_to_back_source,
        cast(if(lower(inputs.season_phase) = 'playoffs', 1, 0) as float64) as playoff_game,
        'phase3' as playoff_game_source,
        round(ifnull(inputs.zone_paint_rate, 30.0) / 100, 4) as pct_paint,
        case
            when inputs.zone_paint_rate is not null then 'phase4'
            when not inputs.has_play_by_play then 'unavailable'
            else 'default'
        end as pct_paint_source,
        round(ifnull(inputs.zone_mid_range_rate, 20.0) / 100, 4) as pct_mid_range,
        case
            when inputs.zone_mid_range_rate is not null then 'phase4'
            when not inputs.has_play_by_play then 'unavailable'
            else 'default'
        end as pct_mid_range_source,
        round(ifnull(inputs.zone_three_pt_rate, 35.0) / 100, 4) as pct_three,
        case
            when inputs.zone_three_pt_rate is not null then 'phase4'
            when not inputs.has_play_by_play then 'unavailable'
            else 'default'
        end as pct_three_source,
        cast(round(ifnull(greatest(0, least(0.5, inputs.free_throw_share)), 0.15), 9) as float64) as pct_free_throw,
        if(inputs.free_throw_share is not null, 'calculated', 'default') as pct_free_throw_source,
        cast(ifnull(inputs.cache_team_pace_last_10, 100.0) as float64) as team_pace,
        if(inputs.cache_team_pace_last_10 is not null, 'phase4', 'default') as team_pace_source,
        cast(ifnull(inputs.cache_team_off_rating_last_10, 112.0) as float64) as team_off_rating,
        if(inputs.cache_team_off_rating_last_10 is not null, 'phase4', 'default') as team_off_rating_source,
        cast(round(ifnull(inputs.win_pct, 0.5), 9) as float64) as team_win_pct,
        if(inputs.win_pct is not null, 'calculated', 'default') as team_win_pct_source
    from inputs
),

vectors as (
    select
        features.*,
        [
            features.points_avg_last_5, features.points_avg_last_10, features.points_avg_season,
            features.points_std_last_10, features.games_in_last_7_days, features.fatigue_score,
            features.shot_zone_mismatch_score, features.pace_score, features.usage_spike_score,
            features.rest_advantage, features.injury_risk, features.recent_trend, features.minutes_change,
            features.opponent_def_rating, features.opponent_pace, features.home_away, features.back_to_back,
            features.playoff_game, features.pct_paint, features.pct_mid_range, features.pct_three,
            features.pct_free_throw, features.team_pace, features.team_off_rating, features.team_win_pct
        ] as feature_values,
        [
            features.points_avg_last_5_source, features.points_avg_last_10_source,
            features.points_avg_season_source, features.points_std_last_10_source,
            features.games_in_last_7_days_source, features.fatigue_score_source,
            features.shot_zone_mismatch_score_source, features.pace_score_source,
            features.usage_spike_score_source, features.rest_advantage_source, features.injury_risk_source,
            features.recent_trend_source, features.minutes_change_source, features.opponent_def_rating_source,
            features.opponent_pace_source, features.home_away_source, features.back_to_back_source,
            features.playoff_game_source, features.pct_paint_source, features.pct_mid_range_source,
            features.pct_three_source, features.pct_free_throw_source, features.team_pace_source,
            features.team_off_rating_source, features.team_win_pct_source
        ] as feature_sources
    from features
),

-- Quality: the mean source weight (phase4 and calculated 100, phase3 75, default and unavailable 40).
scored as (
    select
        vectors.*,
        round((
            select avg(case source when 'phase3' then 75 when 'default' then 40 when 'unavailable' then 40 else 100 end)
            from unnest(vectors.feature_sources) as source
        ), 2) as feature_quality_score,
        (select countif(source = 'phase4') from unnest(vectors.feature_sources) as source) as phase4_features,
        (select countif(source = 'phase3') from unnest(vectors.feature_sources) as source) as phase3_features
    from vectors
),

final as (
    select
        scored.player_lookup,
        scored.universal_player_id,
        scored.game_date,
        scored.game_id,
        scored.team_abbr,
        scored.opponent_team_abbr,
        scored.home_game as is_home,
        scored.days_rest,
        scored.feature_values as features,
        [
            'points_avg_last_5', 'points_avg_last_10', 'points_avg_season', 'points_std_last_10',
            'games_in_last_7_days', 'fatigue_score', 'shot_zone_mismatch_score', 'pace_score',
            'usage_spike_score', 'rest_advantage', 'injury_risk', 'recent_trend', 'minutes_change',
            'opponent_def_rating', 'opponent_pace', 'home_away', 'back_to_back', 'playoff_game',
            'pct_paint', 'pct_mid_range', 'pct_three', 'pct_free_throw', 'team_pace', 'team_off_rating',
            'team_win_pct'
        ] as feature_names,
        scored.feature_sources,
        25 as feature_count,
        'v1_baseline_25' as feature_version,
        scored.feature_quality_score,
        case
            when scored.feature_quality_score >= 95 then 'gold'
            when scored.feature_quality_score >= 75 then 'silver'
            when scored.feature_quality_score >= 50 then 'bronze'
            when scored.feature_quality_score >= 25 then 'poor'
            else 'unusable'
        end as quality_tier,
        case
            when scored.phase4_features >= 0.90 * 25 then 'phase4'
            when scored.phase4_features >= 0.50 * 25 then 'phase4_partial'
            when scored.phase3_features >= 0.50 * 25 then 'phase3'
            else 'mixed'
        end as data_source,
        scored.points_avg_last_5,
        scored.points_avg_last_10,
        scored.points_avg_season,
        scored.points_std_last_10,
        scored.games_in_last_7_days,
        scored.fatigue_score,
        scored.shot_zone_mismatch_score,
        scored.pace_score,
        scored.usage_spike_score,
        scored.rest_advantage,
        scored.injury_risk,
        scored.recent_trend,
        scored.minutes_change,
        scored.opponent_def_rating,
        scored.opponent_pace,
        scored.home_away,
        scored.back_to_back,
        scored.playoff_game,
        scored.pct_paint,
        scored.pct_mid_range,
        scored.pct_three,
        scored.pct_free_throw,
        scored.team_pace,
        scored.team_off_rating,
        scored.team_win_pct,
        scored.expected_games_count,
        scored.actual_games_count,
        scored.completeness_percentage,
        scored.missing_games_count,
        scored.daily_cache_ready and scored.composite_factors_ready and scored.shot_zone_ready
            and scored.team_defense_ready as is_production_ready,
        array(
            select issue
            from unnest([
                if(scored.daily_cache_ready, null, 'upstream_player_daily_cache_incomplete'),
                if(scored.composite_factors_ready, null, 'upstream_player_composite_factors_incomplete'),
                if(scored.shot_zone_ready, null, 'upstream_player_shot_zone_incomplete'),
                if(scored.team_defense_ready, null, 'upstream_team_defense_zone_incomplete')
            ]) as issue
            where issue is not null
        ) as data_quality_issues
    from scored
)

select * from final
