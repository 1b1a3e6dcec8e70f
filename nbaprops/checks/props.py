"""What became of the raw prop lines of a date range, as findings for the Phase 3 gate.

The consensus lines (nba_staging.player_prop_lines) decide what can be graded (D2), and three
things can lose lines without any table looking wrong:

* snapshots without ``minutes_before_tipoff`` are never pre-game lines (a file without the column
  and nothing to derive it from; a BigQuery table with the column NULL) → warning, and an error
  when the range has props but not one consensus line;
* a prop whose player matches no player rostered on its date's morning (a spelling the name key
  and the alias table do not cover; nba_staging.pregame_rosters) keeps its own lookup: without a
  team from the registry he gets no pre-game context, and his line is graded only if the box
  score spells him the same way → warning with the most frequent names;
* a bookmaker listing a ladder of alternate lines at one snapshot: the staging SQL keeps the main
  line, the alternates are counted here → info.

The matching itself lives in the staging SQL only; these queries read its ``player_match``.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

import pandas as pd

from nbaprops.findings import Finding

PROPS = "nba_raw.odds_api_player_points_props"
LINES = "nba_staging.player_prop_lines"
ALIASES = "nba_reference.player_aliases"
EXAMPLES = 5
NO_LINE = "every prediction of those player-games is NO_LINE"
ADD_TIPOFF = ("give the props file minutes_before_tipoff or the event's commence_time / game_start_time "
              "(the files loader derives the minutes from it or from nbac_schedule.game_date_est)")


def prop_findings(wh, start: dt.date, end: dt.date, options: Mapping | None = None) -> list[Finding]:
    """Findings about the prop lines dated [start, end]: unusable snapshots, a range without any
    consensus line, unmatched prop players, players matched by alias or name key, alternate-line
    ladders and contradictory aliases."""
    params = {"start_date": start, "end_date": end}
    span = f"{start}..{end}"
    snapshots = wh.query(f"""
        select count(*) as snapshots,
            countif(props.minutes_before_tipoff is null) as unplaced,
            countif(props.minutes_before_tipoff >= 0) as pre_game
        from {PROPS} as props
        where props.game_date between @start_date and @end_date""", params).iloc[0]
    lines = wh.query(f"""
        select lines.player_match, count(*) as player_days
        from {LINES} as lines
        where lines.game_date between @start_date and @end_date
        group by lines.player_match""", params)
    by_match = dict(zip(lines["player_match"], lines["player_days"].astype(int)))
    total_lines = sum(by_match.values())

    findings: list[Finding] = []
    snapshots_n, unplaced, pre_game = (int(snapshots[k]) for k in ("snapshots", "unplaced", "pre_game"))
    if unplaced:
        consequence = ("no pre-game lines: every prediction is NO_LINE" if pre_game == 0 else
                       f"players whose only lines these are get no line ({NO_LINE})")
        findings.append(Finding(
            "unusable_prop_snapshots", "warning",
            f"{unplaced} of {snapshots_n} prop snapshots dated {span} have no minutes_before_tipoff, so "
            f"they are not used as pre-game lines: {consequence}; {ADD_TIPOFF}",
            unplaced, PROPS, _unplaced_examples(wh, params)))
    if snapshots_n and not total_lines:
        findings.append(Finding("no_consensus_lines", "error", _no_lines_message(
            span, snapshots_n, unplaced, pre_game), snapshots_n, LINES))

    unmatched = by_match.get("unmatched", 0)
    if unmatched:
        names = wh.query(f"""
            select lines.player_lookup, count(*) as player_days
            from {LINES} as lines
            where lines.game_date between @start_date and @end_date and lines.player_match = 'unmatched'
            group by lines.player_lookup
            order by player_days desc, lines.player_lookup
            limit {EXAMPLES}""", params)
        findings.append(Finding(
            "unmatched_prop_players", "warning",
            f"{unmatched} of {total_lines} prop player-days dated {span} name no player rostered on "
            f"their date's morning (after normalising accents, punctuation and suffixes, and the alias table; "
            f"nba_staging.pregame_rosters): those the registry does not place on a team of their game get no "
            f"pre-game context or prediction; if a name is another spelling of a player, add it to "
            f"player_aliases.csv (alias_lookup,player_lookup) in the raw folder",
            unmatched, LINES,
            [f"{p} ({n} day{'s' if n > 1 else ''})" for p, n in zip(names["player_lookup"], names["player_days"])]))
    by_alias, by_key = by_match.get("alias", 0), by_match.get("name_key", 0)
    if by_alias or by_key:
        findings.append(Finding(
            "prop_players_matched_by_name", "info",
            f"{by_alias + by_key} of {total_lines} prop player-days dated {span} were attached to their "
            f"player by the alias table ({by_alias}) or by the name without its suffix ({by_key})",
            by_alias + by_key, LINES))

    unrostered = by_match.get("no_roster", 0)
    if unrostered:
        findings.append(Finding(
            "prop_players_without_rosters", "info",
            f"{unrostered} prop player-days dated {span} fall on dates where no team playing has a roster "
            f"yet (no box score in the year before and no registry entry, e.g. the first date of the data): "
            f"their players keep the bookmakers' spelling",
            unrostered, LINES))

    findings += _ladder_findings(wh, params, span)
    findings += _alias_findings(wh)
    return findings


def _unplaced_examples(wh, params) -> list[str]:
    rows = wh.query(f"""
        select props.game_date, count(*) as snapshots
        from {PROPS} as props
        where props.game_date between @start_date and @end_date and props.minutes_before_tipoff is null
        group by props.game_date
        order by snapshots desc, props.game_date
        limit {EXAMPLES}""", params)
    return [f"{_day(d)} ({n} snapshot{'s' if n > 1 else ''})" for d, n in zip(rows["game_date"], rows["snapshots"])]


def _day(value) -> str:
    """A date column's value as YYYY-MM-DD (backends return dates or timestamps)."""
    return pd.Timestamp(value).date().isoformat()


def _no_lines_message(span: str, snapshots: int, unplaced: int, pre_game: int) -> str:
    head = f"{PROPS} holds {snapshots} prop snapshots dated {span} but {LINES} has no consensus line"
    if unplaced == snapshots:
        return (f"{head}, because none has minutes_before_tipoff: no pre-game lines, every prediction is "
                f"NO_LINE and nothing is graded against a real line; {ADD_TIPOFF}, then run again")
    if pre_game == 0:
        return (f"{head}, because every snapshot was taken after tip-off (minutes_before_tipoff < 0): "
                f"every prediction is NO_LINE; check the feed's tip-off times (minutes_before_tipoff = "
                f"tip-off - snapshot time, in minutes)")
    return (f"{head} although {pre_game} snapshots are pre-game: {LINES} was not built for these dates; "
            f"build it with `snakemake --cores 2 all` (see `nbaprops status`)")


def _ladder_findings(wh, params, span: str) -> list[Finding]:
    ladders = wh.query(f"""
        select ladders.game_date, ladders.player_lookup, ladders.bookmaker, ladders.lines,
            count(*) over () as ladder_count,
            sum(ladders.lines - 1) over () as alternates
        from (
            select props.game_date, props.player_lookup, props.bookmaker, props.snapshot_timestamp,
                count(*) as lines
            from {PROPS} as props
            where props.game_date between @start_date and @end_date
            group by props.game_date, props.player_lookup, props.bookmaker, props.snapshot_timestamp
            having count(*) > 1
        ) as ladders
        order by ladders.lines desc, ladders.game_date, ladders.player_lookup, ladders.bookmaker
        limit {EXAMPLES}""", params)
    if ladders.empty:
        return []
    count, alternates = int(ladders["ladder_count"].iloc[0]), int(ladders["alternates"].iloc[0])
    return [Finding(
        "alternate_lines", "info",
        f"{count} bookmaker snapshots dated {span} list a ladder of lines for one player: the main line "
        f"(most balanced over/under prices) of each is used, the {alternates} alternate lines are not graded",
        count, PROPS,
        [f"{_day(d)} {p} {b}: {n} lines" for d, p, b, n in
         zip(ladders["game_date"], ladders["player_lookup"], ladders["bookmaker"], ladders["lines"])])]


def _alias_findings(wh) -> list[Finding]:
    conflicts = wh.query(f"""
        select aliases.alias_lookup,
            string_agg(distinct aliases.player_lookup, ' / ' order by aliases.player_lookup) as players
        from {ALIASES} as aliases
        group by aliases.alias_lookup
        having count(distinct aliases.player_lookup) > 1
        order by aliases.alias_lookup""")
    if conflicts.empty:
        return []
    return [Finding(
        "conflicting_player_aliases", "warning",
        f"{len(conflicts)} aliases in {ALIASES} name two or more players and are ignored; keep one "
        f"player_lookup per alias_lookup in player_aliases.csv",
        len(conflicts), ALIASES, [f"{a} → {p}" for a, p in zip(conflicts["alias_lookup"], conflicts["players"])])]
