"""Prop files as real feeds write them: the ``files`` loader's completion of the props tables.

The Odds API sends an event's ``commence_time``, not ``minutes_before_tipoff``; a file without
that column used to load with NULLs and the staging SQL, which keeps only pre-game snapshots
(``minutes_before_tipoff >= 0``), silently dropped every line. Here, after the folder's tables
are read, the column is derived where the file lacks it:

1. from a tip-off time in the file (``game_start_time`` or a synonym such as ``commence_time``:
   the loader reads those into ``game_start_time``, see :func:`column_synonyms`), else
2. from the schedule's ``game_date_est`` of the prop's game, found by the NBA game id, the
   home or away team, the date-based game id's home team, or the player's team on the morning of
   the date (in that order).

The player's team on the morning of D is what was known before D's tip-offs (D12): the team of
his most recent box score (gamebook or BDL) strictly before D, else the registry's team of D's
season listed with a first game on or before D. Never D's own box scores: on the morning of a
game day (schedule status 1) they do not exist yet, and a line must be placed the same way on the
morning and after the game went final, so the backfill of a date predicts what its morning did.

``minutes_before_tipoff = floor((tip-off - snapshot) / 1 minute)``, so a snapshot is pre-game
(``>= 0``) exactly when it was taken at or before the tip-off. What was derived is an info
finding; snapshots left without a value are a warning (they are not used as pre-game lines); a
file none of whose snapshots can be placed before or after its tip-off is an error naming the
file. Player lookups and the alias table go through the one name normaliser
(:mod:`nbaprops.raw.names`).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from nbaprops.findings import Finding
from nbaprops.raw.names import player_lookups
from nbaprops.raw.validate import RawInputError

PROPS = "nba_raw.odds_api_player_points_props"
ALIASES = "nba_reference.player_aliases"
SCHEDULE = "nba_raw.nbac_schedule"
BOX_SCORES = ("nba_raw.nbac_gamebook_player_stats", "nba_raw.bdl_player_boxscores")
REGISTRY = "nba_reference.nba_players_registry"

# What feeds and exports call the event's scheduled start (lower case, as the loader matches).
TIPOFF_SYNONYMS = ("commence_time", "tipoff_time", "tip_off_time", "tipoff", "tip_off",
                   "start_time", "game_time", "game_start", "event_start_time", "commence_time_utc",
                   "game_start_time_utc")
_SYNONYMS = {(PROPS, "game_start_time"): TIPOFF_SYNONYMS}

NO_LINE = "no pre-game line for those players' games: their predictions are NO_LINE"


def column_synonyms(table: str, column: str) -> tuple[str, ...]:
    """Other names a user file may give a contract column (matched like the column's own name)."""
    return _SYNONYMS.get((table, column), ())


def complete_prop_tables(frames: dict[str, pd.DataFrame], file_names: Mapping[str, str]) -> list[Finding]:
    """Complete, in ``frames``, the props and alias tables read from files (``file_names``: table
    → the file it came from); returns what was done or is still wrong as findings. Raises
    :class:`RawInputError` for a props file with nothing usable."""
    findings: list[Finding] = []
    if PROPS in file_names:
        frames[PROPS], found = complete_odds_props(frames[PROPS], frames, file_names[PROPS])
        findings += found
    if ALIASES in file_names:
        frames[ALIASES], found = normalise_aliases(frames[ALIASES], file_names[ALIASES])
        findings += found
    return findings


def complete_odds_props(props: pd.DataFrame, frames: Mapping[str, pd.DataFrame],
                        file_name: str) -> tuple[pd.DataFrame, list[Finding]]:
    """``props`` with normalised lookups and ``minutes_before_tipoff`` derived where NULL."""
    props = props.copy()
    findings: list[Finding] = []
    lookups = player_lookups(props["player_lookup"])
    renamed = props["player_lookup"].notna() & (lookups != props["player_lookup"])
    if renamed.any():
        pairs = pd.DataFrame({"given": props["player_lookup"][renamed], "lookup": lookups[renamed]})
        common = pairs.value_counts().index[:5]
        findings.append(Finding(
            "normalised_prop_lookups", "info",
            f"{file_name}: {int(renamed.sum())} player_lookup values were not normalised (case, accents, "
            f"punctuation) and were normalised on load", int(renamed.sum()), PROPS,
            [f"{a!r} → {b!r}" for a, b in common]))
        props["player_lookup"] = lookups

    missing = props["minutes_before_tipoff"].isna()
    if not missing.any():
        return props, findings
    from_file = missing & props["game_start_time"].notna()
    tipoff = props["game_start_time"].where(from_file, scheduled_tipoffs(props, frames))
    minutes = _minutes_before(tipoff, props["snapshot_timestamp"])
    derived = missing & minutes.notna()
    props["minutes_before_tipoff"] = props["minutes_before_tipoff"].where(~missing, minutes)
    left = int((missing & ~derived).sum())
    if left == len(props):
        raise RawInputError(
            f"{file_name}: none of its {len(props)} prop snapshots has minutes_before_tipoff, and their "
            f"tip-off cannot be found (no column game_start_time or {', '.join(TIPOFF_SYNONYMS[:3])}, and "
            f"no nbac_schedule game with a game_date_est for their date and teams), so no line could be "
            f"used as a pre-game line and every prediction would be NO_LINE; add minutes_before_tipoff "
            f"or the event's commence_time to the file, or game_date_est to the schedule")
    if derived.any():
        by_file, by_schedule = int((derived & from_file).sum()), int((derived & ~from_file).sum())
        findings.append(Finding(
            "derived_minutes_before_tipoff", "info",
            f"{file_name}: minutes_before_tipoff derived for {int(derived.sum())} of {len(props)} prop "
            f"snapshots ({by_file} from the file's tip-off time, {by_schedule} from the schedule's "
            f"game_date_est)", int(derived.sum()), PROPS))
    if left:
        unplaced = props[missing & ~derived]
        findings.append(Finding(
            "unusable_prop_snapshots", "warning",
            f"{file_name}: {left} of {len(props)} prop snapshots have no minutes_before_tipoff and no "
            f"tip-off time to derive it from, so they are not used as pre-game lines ({NO_LINE}); "
            f"add the event's commence_time to the file or the game to the schedule",
            left, PROPS, _date_player_examples(unplaced)))
    return props, findings


def scheduled_tipoffs(props: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The schedule's ``game_date_est`` of each prop row's game (NaT where none is found), by the
    NBA game id, then the home team, the away team, the date-based id's home team, and last the
    player's team on the morning of that date (:func:`morning_teams`)."""
    schedule = frames[SCHEDULE]
    schedule = schedule[schedule["game_date_est"].notna()]
    by_id = schedule.groupby("game_id")["game_date_est"].min().to_dict()
    teams = pd.concat([
        schedule[["game_date", "home_team_tricode", "game_date_est"]].set_axis(["game_date", "team", "tip"], axis=1),
        schedule[["game_date", "away_team_tricode", "game_date_est"]].set_axis(["game_date", "team", "tip"], axis=1),
    ])
    teams["game_date"] = _days(teams["game_date"])
    by_team = teams.groupby(["game_date", "team"])["tip"].min().to_dict()
    dates = _days(props["game_date"])
    date_id_home = props["game_id"].str.extract(r"^\d{8}_[A-Z]{2,4}_([A-Z]{2,4})$")[0]
    last_played, registered = morning_teams(props, frames)
    candidates = [
        props["game_id"].map(by_id),
        _by_date_team(dates, props["home_team_abbr"], by_team),
        _by_date_team(dates, props["away_team_abbr"], by_team),
        _by_date_team(dates, date_id_home, by_team),
        _by_date_team(dates, last_played, by_team),
        _by_date_team(dates, registered, by_team),
    ]
    tip = pd.Series(pd.NaT, index=props.index, dtype="datetime64[us, UTC]")
    for found in candidates:
        tip = tip.where(tip.notna(), pd.to_datetime(found, utc=True).astype("datetime64[us, UTC]"))
    return tip


def morning_teams(props: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> tuple[pd.Series, pd.Series]:
    """Each prop row's player's team as known on the morning of its ``game_date`` D: (the team of
    his most recent box-score row strictly before D, the registry's team of D's season whose first
    game is the latest on or before D); None where unknown. D's own box scores are never read."""
    keys = pd.DataFrame({"game_date": _days(props["game_date"]), "player_lookup": props["player_lookup"],
                         "row": range(len(props))}).dropna(subset=["game_date", "player_lookup"])
    keys = keys.sort_values("game_date", kind="mergesort")

    played = pd.concat([frames[t][["game_date", "player_lookup", "team_abbr"]] for t in BOX_SCORES if t in frames])
    played = played.dropna().assign(game_date=lambda f: _days(f["game_date"]))
    played = played.drop_duplicates(["game_date", "player_lookup"]).sort_values("game_date", kind="mergesort")
    last = pd.merge_asof(keys, played, on="game_date", by="player_lookup", allow_exact_matches=False)

    registry = frames.get(REGISTRY)
    if registry is None or registry.empty:
        listed = keys.assign(team_abbr=None)
    else:
        registry = registry[["player_lookup", "team_abbr", "season_year", "first_game_date"]].dropna()
        registry = registry.assign(game_date=_days(registry["first_game_date"])).sort_values(
            "game_date", kind="mergesort")
        listed = pd.merge_asof(keys, registry[["game_date", "player_lookup", "team_abbr", "season_year"]],
                               on="game_date", by="player_lookup")
        # A registry row of an earlier season says nothing about this one's team.
        schedule = frames[SCHEDULE]
        seasons = dict(zip(_days(schedule["game_date"]), schedule["season_year"]))
        listed.loc[listed["season_year"] != listed["game_date"].map(seasons), "team_abbr"] = None

    def by_row(found: pd.DataFrame) -> pd.Series:
        teams = pd.Series(None, index=range(len(props)), dtype=object)
        teams[found["row"].to_numpy()] = found["team_abbr"].astype(object).where(found["team_abbr"].notna(), None).to_numpy()
        return teams.set_axis(props.index)

    return by_row(last), by_row(listed)


def _days(values: pd.Series) -> pd.Series:
    """DATE values as timestamps of one unit, comparable (and mergeable) whatever type was read."""
    return pd.to_datetime(values).astype("datetime64[ns]")


def _by_date_team(dates: pd.Series, teams: pd.Series, by_team: dict) -> pd.Series:
    return pd.Series([by_team.get((d, t)) if isinstance(t, str) else None for d, t in zip(dates, teams)],
                     index=dates.index, dtype=object)


def _minutes_before(tipoff: pd.Series, snapshot: pd.Series) -> pd.Series:
    """Whole minutes from ``snapshot`` to ``tipoff``, floored (so 30 s after tip-off is -1)."""
    seconds = (tipoff - snapshot).dt.total_seconds()
    return pd.Series(np.floor(seconds / 60), index=tipoff.index).astype("Float64").astype("Int64")


def _date_player_examples(rows: pd.DataFrame) -> list[str]:
    counts = rows.groupby(["game_date", "player_lookup"]).size().sort_values(ascending=False, kind="mergesort")
    return [f"{d} {p}" for d, p in counts.index[:5]]


def normalise_aliases(aliases: pd.DataFrame, file_name: str) -> tuple[pd.DataFrame, list[Finding]]:
    """Both columns through the name normaliser; rows that then name the player himself are
    dropped (and counted): the built-in matching covers them."""
    aliases = aliases.copy()
    aliases["alias_lookup"] = player_lookups(aliases["alias_lookup"])
    aliases["player_lookup"] = player_lookups(aliases["player_lookup"])
    itself = aliases["alias_lookup"] == aliases["player_lookup"]
    findings = []
    if itself.any():
        findings.append(Finding(
            "redundant_player_aliases", "info",
            f"{file_name}: {int(itself.sum())} aliases name the player himself once normalised (case, "
            f"accents, punctuation) and were dropped: no alias is needed for them",
            int(itself.sum()), ALIASES, list(aliases.loc[itself, "alias_lookup"])))
    return aliases[~itself].reset_index(drop=True), findings
