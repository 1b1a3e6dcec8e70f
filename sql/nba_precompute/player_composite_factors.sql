-- Contextual scoring adjustments (in points) of every player on a roster of D, for each game
-- date D in [@start_date, @end_date] outside the season's 14 bootstrap days (D7): fatigue,
-- shot-zone mismatch against the opponent's zone defence, pace, usage spike and opponent
-- strength, each signed so that + means more points (D4). Inputs are D's pre-game context and
-- the Phase 4 zone tables of D, which themselves use only games before D (D1).
with

season_calendar as (
    select
        season_calendar.game_date
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
        upcoming_player_game_context.days_rest,
        upcoming_player_game_context.back_to_back,
        upcoming_player_game_context.games_in_last_7_days,
        upcoming_player_game_context.minutes_in_last_7_days,
        upcoming_player_game_context.avg_minutes_per_game_last_7,
        upcoming_player_game_context.back_to_backs_last_14_days,
        upcoming_player_game_context.player_age,
        upcoming_player_game_context.projected_usage_rate,
        upcoming_player_game_context.avg_usage_rate_last_7_games,
        upcoming_player_game_context.star_teammates_out,
        upcoming_player_game_context.pace_differential,
        upcoming_player_game_context.opponent_pace_last_10,
        upcoming_player_game_context.is_production_ready
    from nba_analytics.upcoming_player_game_context as upcoming_player_game_context
    where upcoming_player_game_context.game_date between @start_date and @end_date
),

upcoming_team_game_context as (
    select
        upcoming_team_game_context.game_date,
        upcoming_team_game_context.team_abbr,
        upcoming_team_game_context.is_production_ready
    from nba_analytics.upcoming_team_game_context as upcoming_team_game_context
    where upcoming_team_game_context.game_date between @start_date and @end_date
),

player_shot_zone_analysis as (
    select
        player_shot_zone_analysis.analysis_date,
        player_shot_zone_analysis.player_lookup,
        player_shot_zone_analysis.primary_scoring_zone,
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
        team_defense_zone_analysis.paint_defense_vs_league_avg,
        team_defense_zone_analysis.mid_range_defense_vs_league_avg,
        team_defense_zone_analysis.three_pt_defense_vs_league_avg,
        team_defense_zone_analysis.weakest_zone,
        team_defense_zone_analysis.defensive_rating_last_15,
        team_defense_zone_analysis.games_in_sample,
        team_defense_zone_analysis.is_production_ready
    from nba_precompute.team_defense_zone_analysis as team_defense_zone_analysis
    where team_defense_zone_analysis.analysis_date between @start_date and @end_date
),

-- Opponent strength is measured against the mean defensive rating of D's teams.
league_defense as (
    select
        team_defense_zone_analysis.analysis_date,
        avg(team_defense_zone_analysis.defensive_rating_last_15) as defensive_rating
    from team_defense_zone_analysis
    group by team_defense_zone_analysis.analysis_date
),

-- Inputs with the original's neutral defaults for missing values. The player's zone usage and
-- the opponent's matching vs-league value come from the player's primary zone (balanced or
-- unknown: paint).
factor_inputs as (
    select
        upcoming_player_game_context.*,
        ifnull(upcoming_player_game_context.days_rest, 1) as rest_days_used,
        ifnull(upcoming_player_game_context.back_to_back, false) as back_to_back_used,
        ifnull(upcoming_player_game_context.games_in_last_7_days, 3) as games_last_7_used,
        ifnull(upcoming_player_game_context.minutes_in_last_7_days, 200) as minutes_last_7_used,
        ifnull(upcoming_player_game_context.avg_minutes_per_game_last_7, 30) as avg_minutes_last_7_used,
        ifnull(upcoming_player_game_context.back_to_backs_last_14_days, 0) as back_to_backs_last_14_used,
        ifnull(upcoming_player_game_context.player_age, 25) as player_age_used,
        player_shot_zone_analysis.paint_rate_last_10 is not null as has_player_shot_zone,
        team_defense_zone_analysis.defensive_rating_last_15 is not null as has_team_defense_zone,
        player_shot_zone_analysis.primary_scoring_zone,
        team_defense_zone_analysis.weakest_zone as opponent_weakest_zone,
        ifnull(case player_shot_zone_analysis.primary_scoring_zone
            when 'mid_range' then player_shot_zone_analysis.mid_range_rate_last_10
            when 'perimeter' then player_shot_zone_analysis.three_pt_rate_last_10
            else player_shot_zone_analysis.paint_rate_last_10
        end, 50) as zone_rate_used,
        ifnull(case player_shot_zone_analysis.primary_scoring_zone
            when 'mid_range' then team_defense_zone_analysis.mid_range_defense_vs_league_avg
            when 'perimeter' then team_defense_zone_analysis.three_pt_defense_vs_league_avg
            else team_defense_zone_analysis.paint_defense_vs_league_avg
        end, 0) as zone_defense_used,
        ifnull(upcoming_player_game_context.pace_differential, 0) as pace_differential_used,
        ifnull(upcoming_player_game_context.avg_usage_rate_last_7_games, 25) as usage_baseline_used,
        ifnull(upcoming_player_game_context.star_teammates_out, 0) as star_teammates_out_used,
        team_defense_zone_analysis.defensive_rating_last_15 as opponent_defensive_rating,
        league_defense.defensive_rating as league_defensive_rating,
        ifnull(player_shot_zone_analysis.is_production_ready, false) as upstream_player_shot_ready,
        ifnull(team_defense_zone_analysis.is_production_ready, false) as upstream_team_defense_ready,
        upcoming_player_game_context.is_production_ready as upstream_player_context_ready,
        ifnull(upcoming_team_game_context.is_production_ready, false) as upstream_team_context_ready
    from upcoming_player_game_context
    inner join season_calendar
        on season_calendar.game_date = upcoming_player_game_context.game_date
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = upcoming_player_game_context.game_date
        and player_shot_zone_analysis.player_lookup = upcoming_player_game_context.player_lookup
    left join team_defense_zone_analysis
        on team_defense_zone_analysis.analysis_date = upcoming_player_game_context.game_date
        and team_defense_zone_analysis.team_abbr = upcoming_player_game_context.opponent_team_abbr
    left join league_defense
        on league_defense.analysis_date = upcoming_player_game_context.game_date
    left join upcoming_team_game_context
        on upcoming_team_game_context.game_date = upcoming_player_game_context.game_date
        and upcoming_team_game_context.team_abbr = upcoming_player_game_context.team_abbr
),

-- Fatigue: 100 = fresh. Shot zone: the opponent's vs-league value in the player's main zone
-- (+ = the opponent allows more there), weighted by how much he uses it. Usage spike: only
-- when a projection exists. Opponent strength: + = the opponent's defensive rating is above
-- (worse than) the league's.
factors as (
    select
        factor_inputs.*,
        greatest(0, least(100,
            100
            + case
                when factor_inputs.back_to_back_used then -15
                when factor_inputs.rest_days_used >= 3 then 5
                else 0
            end
            + if(factor_inputs.games_last_7_used >= 4, -10, 0)
            + if(factor_inputs.minutes_last_7_used > 240, -10, 0)
            + if(factor_inputs.avg_minutes_last_7_used > 35, -8, 0)
            + case
                when factor_inputs.back_to_backs_last_14_used >= 2 then -12
                when factor_inputs.back_to_backs_last_14_used = 1 then -5
                else 0
            end
            + case
                when factor_inputs.player_age_used >= 35 then -10
                when factor_inputs.player_age_used >= 30 then -5
                else 0
            end
        )) as fatigue_score,
        if(factor_inputs.has_player_shot_zone and factor_inputs.has_team_defense_zone,
            greatest(-10, least(10,
                factor_inputs.zone_defense_used * least(factor_inputs.zone_rate_used / 50, 1)
                * if(abs(factor_inputs.zone_defense_used * least(factor_inputs.zone_rate_used / 50, 1)) > 5, 1.2, 1)
            )),
            0) as shot_zone_mismatch,
        greatest(-3, least(3, factor_inputs.pace_differential_used / 2)) as pace,
        case
            when factor_inputs.projected_usage_rate is null or factor_inputs.usage_baseline_used = 0 then 0
            else greatest(-3, least(3,
                0.3 * (factor_inputs.projected_usage_rate - factor_inputs.usage_baseline_used)
                * case
                    when factor_inputs.star_teammates_out_used >= 2
                        and factor_inputs.projected_usage_rate > factor_inputs.usage_baseline_used then 1.30
                    when factor_inputs.star_teammates_out_used = 1
                        and factor_inputs.projected_usage_rate > factor_inputs.usage_baseline_used then 1.15
                    else 1
                end
            ))
        end as usage_spike,
        if(factor_inputs.opponent_defensive_rating is null, 0,
            greatest(-3, least(3,
                (factor_inputs.opponent_defensive_rating - factor_inputs.league_defensive_rating) / 5
            ))) as opponent_strength
    from factor_inputs
),

-- The total adds the unrounded factors (fatigue as (score - 100) / 20 points).
scored as (
    select
        factors.*,
        round((factors.fatigue_score - 100) / 20 + factors.shot_zone_mismatch + factors.pace
            + factors.usage_spike + factors.opponent_strength, 2) as total_composite_adjustment
    from factors
),

final as (
    select
        scored.player_lookup,
        scored.universal_player_id,
        scored.game_date,
        scored.game_id,
        scored.game_date as analysis_date,
        scored.team_abbr,
        scored.opponent_team_abbr,
        scored.fatigue_score,
        round(scored.shot_zone_mismatch, 1) as shot_zone_mismatch_score,
        round(scored.pace, 1) as pace_score,
        round(scored.usage_spike, 1) as usage_spike_score,
        round(scored.opponent_strength, 1) as opponent_strength_score,
        scored.total_composite_adjustment,
        to_json_string(struct(
            scored.rest_days_used as days_rest,
            scored.back_to_back_used as back_to_back,
            scored.games_last_7_used as games_last_7,
            scored.minutes_last_7_used as minutes_last_7,
            scored.avg_minutes_last_7_used as avg_minutes_pg_last_7,
            scored.back_to_backs_last_14_used as back_to_backs_last_14,
            scored.player_age_used as player_age,
            scored.fatigue_score as final_score
        )) as fatigue_context_json,
        to_json_string(struct(
            not (scored.has_player_shot_zone and scored.has_team_defense_zone) as missing_data,
            scored.primary_scoring_zone as player_primary_zone,
            scored.opponent_weakest_zone as opponent_weak_zone,
            scored.zone_rate_used as zone_frequency,
            scored.zone_defense_used as opponent_defense_vs_league,
            case
                when scored.shot_zone_mismatch > 2 then 'favorable'
                when scored.shot_zone_mismatch < -2 then 'unfavorable'
                else 'neutral'
            end as mismatch_type,
            round(scored.shot_zone_mismatch, 1) as final_score
        )) as shot_zone_context_json,
        to_json_string(struct(
            scored.pace_differential as pace_differential,
            scored.opponent_pace_last_10 as opponent_pace_last_10,
            case when scored.pace > 2 then 'fast' when scored.pace < -2 then 'slow' else 'normal' end
                as pace_environment,
            round(scored.pace, 1) as final_score
        )) as pace_context_json,
        to_json_string(struct(
            scored.projected_usage_rate as projected_usage_rate,
            scored.avg_usage_rate_last_7_games as avg_usage_last_7,
            round(scored.projected_usage_rate - scored.usage_baseline_used, 2) as usage_differential,
            scored.star_teammates_out_used as star_teammates_out,
            case when scored.usage_spike > 2 then 'spike' when scored.usage_spike < -2 then 'drop' else 'stable' end
                as usage_trend,
            round(scored.usage_spike, 1) as final_score
        )) as usage_context_json,
        to_json_string(struct(
            scored.opponent_defensive_rating as opponent_defensive_rating,
            round(scored.league_defensive_rating, 2) as league_defensive_rating,
            round(scored.opponent_strength, 1) as final_score
        )) as opponent_strength_context_json,
        'v2_5factors' as calculation_version,
        20 * (if(scored.days_rest is not null, 1, 0)
            + if(scored.projected_usage_rate is not null, 1, 0)
            + if(scored.pace_differential is not null, 1, 0)
            + if(scored.has_player_shot_zone, 1, 0)
            + if(scored.has_team_defense_zone, 1, 0)) as data_completeness_pct,
        nullif(array_to_string(array(
            select field
            from unnest([
                if(scored.days_rest is null, 'days_rest', null),
                if(scored.projected_usage_rate is null, 'projected_usage_rate', null),
                if(scored.pace_differential is null, 'pace_differential', null),
                if(scored.has_player_shot_zone, null, 'player_shot_zone'),
                if(scored.has_team_defense_zone, null, 'team_defense_zone')
            ]) as field
            where field is not null
        ), ','), '') as missing_data_fields,
        scored.fatigue_score < 50 or abs(scored.shot_zone_mismatch) > 8
            or abs(scored.total_composite_adjustment) > 12 as has_warnings,
        nullif(array_to_string(array(
            select warning
            from unnest([
                if(scored.fatigue_score < 50, 'EXTREME_FATIGUE', null),
                if(abs(scored.shot_zone_mismatch) > 8, 'EXTREME_MATCHUP', null),
                if(abs(scored.total_composite_adjustment) > 12, 'EXTREME_ADJUSTMENT', null)
            ]) as warning
            where warning is not null
        ), '; '), '') as warning_details,
        scored.upstream_player_shot_ready,
        scored.upstream_team_defense_ready,
        scored.upstream_player_context_ready,
        scored.upstream_team_context_ready,
        scored.upstream_player_shot_ready and scored.upstream_team_defense_ready
            and scored.upstream_player_context_ready and scored.upstream_team_context_ready as is_production_ready,
        array(
            select issue
            from unnest([
                if(scored.upstream_player_shot_ready, null, 'upstream_player_shot_zone_incomplete'),
                if(scored.upstream_team_defense_ready, null, 'upstream_team_defense_zone_incomplete'),
                if(scored.upstream_player_context_ready, null, 'upstream_player_context_incomplete'),
                if(scored.upstream_team_context_ready, null, 'upstream_team_context_incomplete')
            ]) as issue
            where issue is not null
        ) as data_quality_issues
    from scored
)

select * from final
