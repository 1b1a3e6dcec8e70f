-- Defence of every team in every game dated [@start_date, @end_date]: what the opponent's offence
-- produced against it, plus the team's own defensive actions. It is team_offense_game_summary
-- seen from the other side of the same game, so both tables share one box-score dedupe, one
-- per-game fallback and one shot-zone rule.
with

team_offense_game_summary as (
    select
        team_offense_game_summary.game_id,
        team_offense_game_summary.game_date,
        team_offense_game_summary.season_year,
        team_offense_game_summary.team_abbr,
        team_offense_game_summary.opponent_team_abbr,
        team_offense_game_summary.home_game,
        team_offense_game_summary.points_scored,
        team_offense_game_summary.fg_attempts,
        team_offense_game_summary.fg_makes,
        team_offense_game_summary.three_pt_attempts,
        team_offense_game_summary.three_pt_makes,
        team_offense_game_summary.ft_attempts,
        team_offense_game_summary.ft_makes,
        team_offense_game_summary.offensive_rebounds,
        team_offense_game_summary.defensive_rebounds,
        team_offense_game_summary.rebounds,
        team_offense_game_summary.assists,
        team_offense_game_summary.steals,
        team_offense_game_summary.blocks,
        team_offense_game_summary.turnovers,
        team_offense_game_summary.personal_fouls,
        team_offense_game_summary.pace,
        team_offense_game_summary.overtime_periods,
        team_offense_game_summary.team_paint_attempts,
        team_offense_game_summary.team_paint_makes,
        team_offense_game_summary.team_mid_range_attempts,
        team_offense_game_summary.team_mid_range_makes,
        team_offense_game_summary.paint_shots_blocked,
        team_offense_game_summary.mid_range_shots_blocked,
        team_offense_game_summary.three_pt_shots_blocked,
        team_offense_game_summary.shot_zones_available,
        team_offense_game_summary.primary_source_used,
        team_offense_game_summary.quality_tier,
        team_offense_game_summary.quality_score,
        team_offense_game_summary.is_production_ready
    from nba_analytics.team_offense_game_summary as team_offense_game_summary
    where team_offense_game_summary.game_date between @start_date and @end_date
),

defense_games as (
    select
        defense.game_id,
        defense.game_date,
        defense.season_year,
        defense.team_abbr as defending_team_abbr,
        offense.team_abbr as opponent_team_abbr,
        defense.home_game,
        offense.points_scored as points_allowed,
        defense.points_scored,
        offense.fg_attempts as opp_fg_attempts,
        offense.fg_makes as opp_fg_makes,
        offense.three_pt_attempts as opp_three_pt_attempts,
        offense.three_pt_makes as opp_three_pt_makes,
        offense.ft_attempts as opp_ft_attempts,
        offense.ft_makes as opp_ft_makes,
        offense.rebounds as opp_rebounds,
        offense.assists as opp_assists,
        offense.turnovers as turnovers_forced,
        defense.personal_fouls as fouls_committed,
        offense.team_paint_attempts as opp_paint_attempts,
        offense.team_paint_makes as opp_paint_makes,
        offense.team_mid_range_attempts as opp_mid_range_attempts,
        offense.team_mid_range_makes as opp_mid_range_makes,
        offense.paint_shots_blocked as blocks_paint,
        offense.mid_range_shots_blocked as blocks_mid_range,
        offense.three_pt_shots_blocked as blocks_three_pt,
        defense.steals,
        defense.blocks,
        defense.defensive_rebounds,
        offense.fg_attempts + 0.44 * offense.ft_attempts - offense.offensive_rebounds + offense.turnovers
            as opponent_possessions,
        offense.pace as opponent_pace,
        defense.overtime_periods,
        offense.shot_zones_available,
        defense.primary_source_used,
        defense.quality_tier,
        defense.quality_score,
        defense.is_production_ready and offense.is_production_ready as is_production_ready
    from team_offense_game_summary as defense
    inner join team_offense_game_summary as offense
        on offense.game_date = defense.game_date
        and offense.team_abbr = defense.opponent_team_abbr
),

final as (
    select
        defense_games.game_id,
        defense_games.game_date,
        defense_games.season_year,
        defense_games.defending_team_abbr,
        defense_games.opponent_team_abbr,
        defense_games.home_game,
        defense_games.points_allowed,
        defense_games.opp_fg_attempts,
        defense_games.opp_fg_makes,
        defense_games.opp_three_pt_attempts,
        defense_games.opp_three_pt_makes,
        defense_games.opp_ft_attempts,
        defense_games.opp_ft_makes,
        defense_games.opp_rebounds,
        defense_games.opp_assists,
        defense_games.turnovers_forced,
        defense_games.fouls_committed,
        defense_games.opp_paint_attempts,
        defense_games.opp_paint_makes,
        defense_games.opp_mid_range_attempts,
        defense_games.opp_mid_range_makes,
        2 * defense_games.opp_paint_makes as points_in_paint_allowed,
        2 * defense_games.opp_mid_range_makes as mid_range_points_allowed,
        3 * defense_games.opp_three_pt_makes as three_pt_points_allowed,
        defense_games.blocks_paint,
        defense_games.blocks_mid_range,
        defense_games.blocks_three_pt,
        defense_games.steals,
        defense_games.blocks,
        defense_games.defensive_rebounds,
        round(safe_divide(defense_games.points_allowed, defense_games.opponent_possessions) * 100, 2)
            as defensive_rating,
        defense_games.opponent_pace,
        round(safe_divide(defense_games.points_allowed,
            2 * (defense_games.opp_fg_attempts + 0.44 * defense_games.opp_ft_attempts)), 3) as opponent_ts_pct,
        defense_games.points_scored > defense_games.points_allowed as win_flag,
        defense_games.points_scored - defense_games.points_allowed as margin_of_victory,
        defense_games.overtime_periods,
        defense_games.shot_zones_available,
        defense_games.primary_source_used,
        defense_games.quality_tier,
        defense_games.quality_score,
        array(
            select issue
            from unnest([
                if(defense_games.primary_source_used <> 'nbac_team_boxscore', 'backup_source_used', null),
                if(defense_games.primary_source_used <> 'nbac_team_boxscore', 'reconstructed', null),
                if(not defense_games.shot_zones_available, 'shot_zones_unavailable', null),
                if(not defense_games.is_production_ready, 'points_mismatch', null)
            ]) as issue
            where issue is not null
        ) as quality_issues,
        defense_games.is_production_ready
    from defense_games
)

select * from final
