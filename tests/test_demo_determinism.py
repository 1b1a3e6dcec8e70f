"""Same seed → identical data; a date's data does not depend on the requested range; names."""
import datetime as dt

import pandas as pd

from nbaprops.demo import generate as generate_module
from nbaprops.demo.league import league
from nbaprops.demo.names import player_lookup
from nbaprops.demo.season import simulate_season

D = dt.date


def _fresh(start, end, seed=2021):
    simulate_season.cache_clear()
    league.cache_clear()
    return generate_module.generate(start, end, seed=seed)


def test_same_seed_same_data_and_range_independent():
    a = _fresh(D(2023, 10, 24), D(2024, 6, 30))
    b = _fresh(D(2024, 1, 1), D(2024, 1, 31))       # same season, other range, fresh caches
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def test_static_tables_do_not_depend_on_the_season_generated():
    """Every raw season job loads the static tables whole: with a season's own players in the
    aliases, the season job that finished last decided the table (17 or 20 rows, by job order)."""
    early = _fresh(D(2021, 11, 1), D(2021, 11, 2))
    late = _fresh(D(2025, 11, 1), D(2025, 11, 2))
    for table in ("nba_reference.player_aliases", "nba_static.travel_distances"):
        pd.testing.assert_frame_equal(early[table], late[table], obj=table)
    assert len(early["nba_reference.player_aliases"]) > 20


def test_other_seed_other_data():
    a = generate_module.generate(D(2023, 10, 24), D(2024, 6, 30), seed=2021)
    b = generate_module.generate(D(2023, 10, 24), D(2024, 6, 30), seed=7)
    assert not a["nba_raw.nbac_schedule"]["home_team_score"].equals(b["nba_raw.nbac_schedule"]["home_team_score"])


def test_off_season_range_is_empty_but_shaped():
    out = generate_module.generate(D(2024, 7, 1), D(2024, 9, 30))
    assert len(out["nba_raw.nbac_schedule"]) == 0 and len(out["nba_static.travel_distances"]) == 870


def test_player_lookup_normalisation():
    assert player_lookup("José Šarić Jr.") == "josesaricjr"
    assert player_lookup("De'Aaron O'Neale III") == "deaarononealeiii"
    assert player_lookup("Ömer Şengün") == "omersengun"
    assert player_lookup("Ty-Shon Walker-Reed") == "tyshonwalkerreed"
    assert player_lookup("Dāvis Porziņģis") == "davisporzingis"


def test_generated_names_exercise_the_rules_and_lookups_are_unique():
    reg = generate_module.generate(D(2023, 10, 24), D(2024, 6, 30))["nba_reference.nba_players_registry"]
    names = reg.drop_duplicates("player_lookup")
    assert (names["player_lookup"] == names["player_name"].map(player_lookup)).all()
    assert names["player_lookup"].str.fullmatch(r"[a-z0-9]+").all()
    assert names.groupby("player_lookup")["player_name"].nunique().max() == 1
    assert names["player_name"].str.contains("'").any()
    assert names["player_name"].str.contains(r" (?:Jr\.|II|III|IV)$").any()
    assert names["player_name"].map(lambda s: not s.isascii()).any()
    assert (reg["universal_player_id"] == reg["player_lookup"] + "_001").all()
    traded = reg.groupby("player_lookup")["team_abbr"].nunique()
    assert (traded > 1).sum() >= 20                                     # mid-season trades


def test_rosters_evolve_between_seasons():
    lg = league(2021)
    s1, s2 = lg.season(2022), lg.season(2023)
    before, after = set(s1.final_rosters.ravel()), set(s2.rosters.ravel())
    assert 30 < len(before - after) < 120                               # retirements
    young = lg.age(2023)[list(after - before)]
    assert young.max() <= 22                                            # rookies replace them
