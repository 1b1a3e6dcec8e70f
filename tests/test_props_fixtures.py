"""A hand-made slate of prop lines shared by the props tests (no tests here).

2025-01-20, BOS @ LAL: every LAL player rostered that morning, i.e. on LAL's 2025-01-19 gamebook
(so every one can be named): lebronjames, jimmybutleriii, garypaytonii, jarenjacksonjr,
nicolasclaxton, herbertjones, marcusmorris and marcusmorrissr (both with the name key
"marcusmorris"). 2025-01-21, BOS @ MIN: one player, anthonyedwards (MIN's 2025-01-19 gamebook). The props spell some of them differently and list ladders; the expected values
are worked out in the tests' comments.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from nbaprops.contracts import load_contract
from nbaprops.testing import fixture_warehouse, run_table_sql

LINES = "nba_staging.player_prop_lines"
ROSTERS = "nba_staging.pregame_rosters"
D0, D1, D2 = "2025-01-19", "2025-01-20", "2025-01-21"
EARLY, LATE, IN_GAME = "2025-01-20 15:00", "2025-01-20 23:00", "2025-01-21 01:00"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def player(date: str, lookup: str, team: str = "LAL", status: str = "active") -> dict:
    return dict(game_id=f"{date.replace('-', '')}_BOS_{team}", game_date=day(date), season_year=2024,
                player_lookup=lookup, player_name=lookup, team_abbr=team, player_status=status)


def prop(date: str, lookup: str, bookmaker: str, line: float, over: int | None = -110,
         under: int | None = -110, snapshot: str = LATE, minutes_before_tipoff: int | None = 60) -> dict:
    return dict(game_id=None, game_date=day(date), player_lookup=lookup, player_name=lookup,
                bookmaker=bookmaker, points_line=line, over_price_american=over, under_price_american=under,
                snapshot_timestamp=pd.Timestamp(snapshot, tz="UTC"), minutes_before_tipoff=minutes_before_tipoff)


def alias(alias_lookup: str, player_lookup: str) -> dict:
    return dict(alias_lookup=alias_lookup, player_lookup=player_lookup, valid_from=day("2000-01-01"))


def slate_gamebook() -> list[dict]:
    """The rosters of the slate's dates: each team's gamebook of the day before (D12)."""
    return [player(D0, p) for p in ("lebronjames", "jimmybutleriii", "garypaytonii", "jarenjacksonjr",
                                    "nicolasclaxton", "marcusmorris", "marcusmorrissr")] + [
        player(D0, "herbertjones", status="inactive"),  # on the roster though he did not play
        player(D0, "anthonyedwards", team="MIN"),
    ]


def game(date: str, away: str, home: str, status: int = 3) -> dict:
    return dict(game_id=f"00224{date[-2:]}{home}", game_date=day(date), season_year=2024, game_status=status,
                home_team_tricode=home, away_team_tricode=away, processed_at=pd.Timestamp(date, tz="UTC"))


def slate_schedule() -> list[dict]:
    return [game(D0, "BOS", "LAL"), game(D0, "BOS", "MIN"), game(D1, "BOS", "LAL"), game(D2, "BOS", "MIN", 1)]


def slate_props() -> list[dict]:
    return [
        # LeBron, DraftKings: one line early, a ladder late -> main line 24.5 (prices balanced)
        prop(D1, "lebronjames", "draftkings", 23.5, snapshot=EARLY, minutes_before_tipoff=540),
        prop(D1, "lebronjames", "draftkings", 22.5, -150, +120),
        prop(D1, "lebronjames", "draftkings", 24.5, -110, -110),
        prop(D1, "lebronjames", "draftkings", 26.5, +130, -160),
        prop(D1, "lebronjames", "fanduel", 25.5),
        prop(D1, "lebronjames", "fanduel", 30.5, snapshot=IN_GAME, minutes_before_tipoff=-60),  # in-game
        prop(D1, "lebronjames", "betmgm", 99.5, minutes_before_tipoff=None),  # unknown: not pre-game
        # Butler under two spellings: "jimmybutler" by name key, "jimmybutleriii" exactly
        prop(D1, "jimmybutler", "draftkings", 19.5),
        prop(D1, "jimmybutleriii", "fanduel", 20.5),
        # Payton: two equally balanced lines, equally far from the ladder's mean 16.0 -> the lower
        prop(D1, "garypayton", "draftkings", 15.5),
        prop(D1, "garypayton", "draftkings", 16.5),
        # Jackson: three balanced lines -> the one nearest the mean 20.5
        prop(D1, "jarenjackson", "draftkings", 19.5),
        prop(D1, "jarenjackson", "draftkings", 20.5),
        prop(D1, "jarenjackson", "draftkings", 21.5),
        # Claxton by alias; an unpriced line loses to a priced one however lopsided
        prop(D1, "nicclaxton", "draftkings", 10.5, None, None),
        prop(D1, "nicclaxton", "draftkings", 11.5, -200, +160),
        # the alias table maps herbjones to two players: ignored -> unmatched
        prop(D1, "herbjones", "draftkings", 8.5),
        # two players have the name key marcusmorris: ambiguous -> unmatched
        prop(D1, "marcusmorrisjr", "draftkings", 7.5),
        prop(D1, "mysteryman", "draftkings", 5.5),
        prop(D2, "mysteryman", "draftkings", 6.5, snapshot="2025-01-21 23:00"),
        prop(D2, "anthonyedwards", "draftkings", 27.5, snapshot="2025-01-21 23:00"),
    ]


def slate_aliases() -> list[dict]:
    return [alias("nicclaxton", "nicolasclaxton"),
            alias("herbjones", "herbertjones"), alias("herbjones", "herbjonesjr"),
            alias("lebronjames", "bronnyjames")]  # a spelling that names a player of the date stays his


def slate_warehouse(root, props: list[dict] | None = None, aliases: list[dict] | None = None,
                    games: list[dict] = ()):
    return fixture_warehouse(root, {
        "nba_raw.nbac_gamebook_player_stats": pd.DataFrame(slate_gamebook()),
        "nba_raw.nbac_schedule": pd.DataFrame(slate_schedule() + list(games)),
        "nba_raw.odds_api_player_points_props": pd.DataFrame(slate_props() if props is None else props),
        "nba_reference.player_aliases": pd.DataFrame(slate_aliases() if aliases is None else aliases,
                                                      columns=["alias_lookup", "player_lookup", "valid_from"]),
    })


def build_lines(wh, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Load nba_staging.player_prop_lines for [start, end] from the raw rows in ``wh`` (after the
    rosters it matches names against); its rows."""
    rosters = load_contract(ROSTERS)
    wh.replace_range(rosters, start, end, select_sql=rosters.sql(), params={"start_date": start, "end_date": end})
    contract = load_contract(LINES)
    wh.replace_range(contract, start, end, select_sql=contract.sql(), params={"start_date": start, "end_date": end})
    return run_table_sql(wh, LINES, start, end)
