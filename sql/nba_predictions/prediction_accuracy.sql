-- Grading (5B) of every prediction dated [@start_date, @end_date] of a game that is final: the
-- schedule says so (game_status 3) and its box scores are in (player_game_summary has rows of the
-- game). A scheduled or live game is not graded yet (never a DNP: nobody has played); the first
-- run after its box scores arrive grades it. A player of a final game without a box-score row or
-- whose row is not `played` (player_game_summary's one definition) did not play: his row stays,
-- flagged DNP, with no error and no outcome. OVER/UNDER on a real line is a WIN, a LOSS or a PUSH
-- (actual = line, D5); PASS and NO_LINE are not bets and get no outcome.
with

player_prop_predictions as (
    select
        player_prop_predictions.game_date,
        player_prop_predictions.player_lookup,
        player_prop_predictions.system_id,
        player_prop_predictions.prediction_id,
        player_prop_predictions.game_id,
        player_prop_predictions.team_abbr,
        player_prop_predictions.opponent_team_abbr,
        player_prop_predictions.predicted_points,
        player_prop_predictions.confidence_score,
        player_prop_predictions.recommendation,
        player_prop_predictions.has_prop_line,
        player_prop_predictions.current_points_line,
        player_prop_predictions.line_source,
        player_prop_predictions.model_version,
        player_prop_predictions.ml_model_id,
        player_prop_predictions.pace_adjustment,
        player_prop_predictions.similar_games_count,
        player_prop_predictions.warnings
    from nba_predictions.player_prop_predictions_base as player_prop_predictions
    where player_prop_predictions.game_date between @start_date and @end_date
),

player_game_summary as (
    select
        player_game_summary.game_date,
        player_game_summary.player_lookup,
        player_game_summary.game_id,
        player_game_summary.team_abbr,
        player_game_summary.opponent_team_abbr,
        player_game_summary.points,
        player_game_summary.minutes_played,
        player_game_summary.played
    from nba_analytics.player_game_summary as player_game_summary
    where player_game_summary.game_date between @start_date and @end_date
),

nbac_schedule as (
    select
        nbac_schedule.game_date,
        -- D6: the canonical game id
        concat(format_date('%Y%m%d', nbac_schedule.game_date), '_', nbac_schedule.away_team_tricode, '_',
            nbac_schedule.home_team_tricode) as game_id
    from nba_raw.nbac_schedule as nbac_schedule
    where nbac_schedule.game_date between @start_date and @end_date
        and nbac_schedule.game_status = 3
),

-- The final games whose box scores are in: the only games graded.
final_games as (
    select distinct
        nbac_schedule.game_date,
        nbac_schedule.game_id
    from nbac_schedule
    inner join player_game_summary
        on player_game_summary.game_date = nbac_schedule.game_date
        and player_game_summary.game_id = nbac_schedule.game_id
),

ml_feature_store_v2 as (
    select
        ml_feature_store_v2.game_date,
        ml_feature_store_v2.player_lookup,
        ml_feature_store_v2.points_avg_season
    from nba_predictions.ml_feature_store_v2 as ml_feature_store_v2
    where ml_feature_store_v2.game_date between @start_date and @end_date
),

predictions_with_actuals as (
    select
        predictions.game_date,
        predictions.player_lookup,
        predictions.system_id,
        predictions.prediction_id,
        predictions.game_id,
        coalesce(predictions.team_abbr, box_score.team_abbr) as team_abbr,
        coalesce(predictions.opponent_team_abbr, box_score.opponent_team_abbr) as opponent_team_abbr,
        round(predictions.predicted_points, 2) as predicted_points,
        round(predictions.confidence_score, 4) as confidence_score,
        predictions.recommendation,
        coalesce(predictions.has_prop_line, false) as has_prop_line,
        predictions.line_source,
        if(coalesce(predictions.has_prop_line, false), round(predictions.current_points_line, 2), null)
            as line_value,
        predictions.model_version,
        predictions.ml_model_id,
        predictions.pace_adjustment,
        predictions.similar_games_count as similarity_sample_size,
        -- a system's fallback row carries its reason as a warning, and only a fallback row does
        coalesce(array_length(predictions.warnings), 0) > 0 as is_fallback,
        features.points_avg_season as season_points_avg,
        box_score.player_lookup is null or not box_score.played as is_dnp,
        box_score.points,
        box_score.minutes_played
    from player_prop_predictions as predictions
    inner join final_games
        on final_games.game_date = predictions.game_date
        and final_games.game_id = predictions.game_id
    left join player_game_summary as box_score
        on box_score.game_date = predictions.game_date
        and box_score.player_lookup = predictions.player_lookup
    left join ml_feature_store_v2 as features
        on features.game_date = predictions.game_date
        and features.player_lookup = predictions.player_lookup
),

errors as (
    select
        predictions_with_actuals.*,
        if(predictions_with_actuals.is_dnp, null, predictions_with_actuals.points) as actual_points,
        -- a bet: OVER/UNDER against a real line on a player who played
        predictions_with_actuals.recommendation in ('OVER', 'UNDER')
            and predictions_with_actuals.line_value is not null
            and not predictions_with_actuals.is_dnp
            and predictions_with_actuals.points is not null as is_bet
    from predictions_with_actuals
),

graded as (
    select
        errors.game_date,
        errors.player_lookup,
        errors.system_id,
        errors.prediction_id,
        errors.game_id,
        errors.team_abbr,
        errors.opponent_team_abbr,
        errors.predicted_points,
        errors.confidence_score,
        cast(least(10, floor(round(errors.confidence_score * 10, 6)) + 1) as int64) as confidence_decile,
        errors.recommendation,
        errors.has_prop_line,
        errors.line_source,
        errors.line_value,
        errors.model_version,
        errors.ml_model_id,
        errors.pace_adjustment,
        errors.similarity_sample_size,
        errors.is_fallback,
        errors.season_points_avg,
        case
            when coalesce(errors.season_points_avg, errors.predicted_points) >= 30 then 'STAR_30PLUS'
            when coalesce(errors.season_points_avg, errors.predicted_points) >= 20 then 'STARTER_20_29'
            when coalesce(errors.season_points_avg, errors.predicted_points) >= 10 then 'ROTATION_10_19'
            else 'BENCH_0_9'
        end as scoring_tier,
        errors.is_dnp,
        errors.actual_points,
        errors.minutes_played,
        round(abs(errors.predicted_points - errors.actual_points), 2) as absolute_error,
        round(errors.predicted_points - errors.actual_points, 2) as signed_error,
        round(abs(errors.predicted_points - errors.actual_points), 2) <= 3 as within_3_points,
        round(abs(errors.predicted_points - errors.actual_points), 2) <= 5 as within_5_points,
        round(errors.predicted_points - errors.line_value, 2) as predicted_margin,
        round(errors.actual_points - errors.line_value, 2) as actual_margin,
        case
            when not errors.is_bet or errors.actual_points = errors.line_value then null
            else (errors.actual_points > errors.line_value) = (errors.recommendation = 'OVER')
        end as prediction_correct,
        case
            when not errors.is_bet then null
            when errors.actual_points = errors.line_value then 'PUSH'
            when (errors.actual_points > errors.line_value) = (errors.recommendation = 'OVER') then 'WIN'
            else 'LOSS'
        end as outcome
    from errors
),

final as (
    select * from graded
)

select * from final
