-- Daily scorecard of each system for [@start_date, @end_date] from its graded predictions.
-- Errors average over players who played; win rates are wins / (wins + losses): a push is its
-- own outcome and stays out of the denominator (D5).
with

prediction_accuracy as (
    select
        prediction_accuracy.game_date,
        prediction_accuracy.system_id,
        prediction_accuracy.confidence_score,
        prediction_accuracy.recommendation,
        prediction_accuracy.has_prop_line,
        prediction_accuracy.is_dnp,
        prediction_accuracy.absolute_error,
        prediction_accuracy.signed_error,
        prediction_accuracy.within_3_points,
        prediction_accuracy.within_5_points,
        prediction_accuracy.outcome
    from nba_predictions.prediction_accuracy as prediction_accuracy
    where prediction_accuracy.game_date between @start_date and @end_date
),

daily as (
    select
        prediction_accuracy.game_date,
        prediction_accuracy.system_id,
        count(*) as predictions_count,
        countif(prediction_accuracy.absolute_error is not null) as graded_count,
        countif(prediction_accuracy.is_dnp) as dnp_count,
        countif(prediction_accuracy.has_prop_line) as real_line_count,
        countif(prediction_accuracy.recommendation in ('OVER', 'UNDER')) as recommendations_count,
        countif(prediction_accuracy.recommendation = 'PASS') as pass_count,
        countif(prediction_accuracy.recommendation = 'NO_LINE') as no_line_count,
        countif(prediction_accuracy.outcome = 'WIN') as correct_count,
        countif(prediction_accuracy.outcome = 'LOSS') as incorrect_count,
        countif(prediction_accuracy.outcome = 'PUSH') as push_count,
        avg(prediction_accuracy.absolute_error) as mean_absolute_error,
        avg(prediction_accuracy.signed_error) as mean_signed_error,
        countif(prediction_accuracy.within_3_points) as within_3_count,
        countif(prediction_accuracy.within_5_points) as within_5_count,
        countif(prediction_accuracy.recommendation = 'OVER') as over_count,
        countif(prediction_accuracy.recommendation = 'OVER' and prediction_accuracy.outcome = 'WIN') as over_correct,
        countif(prediction_accuracy.recommendation = 'OVER' and prediction_accuracy.outcome = 'LOSS') as over_incorrect,
        countif(prediction_accuracy.recommendation = 'OVER' and prediction_accuracy.outcome = 'PUSH') as over_push,
        countif(prediction_accuracy.recommendation = 'UNDER') as under_count,
        countif(prediction_accuracy.recommendation = 'UNDER' and prediction_accuracy.outcome = 'WIN') as under_correct,
        countif(prediction_accuracy.recommendation = 'UNDER' and prediction_accuracy.outcome = 'LOSS')
            as under_incorrect,
        countif(prediction_accuracy.recommendation = 'UNDER' and prediction_accuracy.outcome = 'PUSH') as under_push,
        avg(prediction_accuracy.confidence_score) as mean_confidence,
        countif(prediction_accuracy.confidence_score >= 0.70) as high_confidence_count,
        countif(prediction_accuracy.confidence_score >= 0.70 and prediction_accuracy.outcome = 'WIN')
            as high_confidence_correct,
        countif(prediction_accuracy.confidence_score >= 0.70 and prediction_accuracy.outcome = 'LOSS')
            as high_confidence_incorrect
    from prediction_accuracy
    group by prediction_accuracy.game_date, prediction_accuracy.system_id
),

final as (
    select
        daily.game_date,
        daily.system_id,
        daily.predictions_count,
        daily.graded_count,
        daily.dnp_count,
        daily.real_line_count,
        daily.recommendations_count,
        daily.pass_count,
        daily.no_line_count,
        daily.correct_count,
        daily.incorrect_count,
        daily.push_count,
        round(safe_divide(daily.correct_count, daily.correct_count + daily.incorrect_count), 3) as win_rate,
        round(daily.mean_absolute_error, 2) as mae,
        round(daily.mean_signed_error, 2) as avg_bias,
        daily.within_3_count,
        round(safe_divide(daily.within_3_count, daily.graded_count), 3) as within_3_pct,
        daily.within_5_count,
        round(safe_divide(daily.within_5_count, daily.graded_count), 3) as within_5_pct,
        daily.over_count,
        daily.over_correct,
        daily.over_incorrect,
        daily.over_push,
        round(safe_divide(daily.over_correct, daily.over_correct + daily.over_incorrect), 3) as over_win_rate,
        daily.under_count,
        daily.under_correct,
        daily.under_incorrect,
        daily.under_push,
        round(safe_divide(daily.under_correct, daily.under_correct + daily.under_incorrect), 3) as under_win_rate,
        round(daily.mean_confidence, 3) as avg_confidence,
        daily.high_confidence_count,
        daily.high_confidence_correct,
        daily.high_confidence_incorrect,
        round(
            safe_divide(daily.high_confidence_correct, daily.high_confidence_correct + daily.high_confidence_incorrect),
            3
        ) as high_confidence_win_rate
    from daily
)

select * from final
