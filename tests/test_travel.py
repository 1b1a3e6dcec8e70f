"""Arena distances: exact values of known pairs, symmetry, and the 870-row contract."""
from nbaprops.contracts import load_contract
from nbaprops.travel import distance_matrix, haversine_miles, teams, travel_distances


def test_thirty_teams_with_real_tricodes():
    t = teams()
    assert len(t) == 30
    assert set(t["team_abbr"]) == set(
        "ATL BOS BKN CHA CHI CLE DAL DEN DET GSW HOU IND LAC LAL MEM MIA MIL MIN NOP NYK OKC ORL PHI PHX POR "
        "SAC SAS TOR UTA WAS".split())
    assert set(t["conference"]) == {"East", "West"}
    assert t.groupby("division").size().eq(5).all()
    offsets = t.set_index("team_abbr")["utc_offset"]
    assert offsets[["NYK", "CHI", "DEN", "PHX", "LAL"]].tolist() == [-5, -6, -7, -7, -8]


def test_known_distances():
    d = travel_distances().set_index(["from_team", "to_team"])["distance_miles"]
    assert d[("LAL", "BOS")] == 2592
    assert d[("LAL", "GSW")] == 346     # straight line LA → San Francisco (Chase Center)
    assert d[("NYK", "BKN")] == 5       # Madison Square Garden → Barclays Center
    assert d[("LAL", "LAC")] == 0       # both play at Crypto.com Arena here


def test_contract_shape_and_symmetry():
    df = travel_distances()
    assert list(df.columns) == load_contract("nba_static.travel_distances").column_names
    assert len(df) == 870 and not df.duplicated(["from_team", "to_team"]).any()
    assert (df["from_team"] != df["to_team"]).all()
    _, miles = distance_matrix()
    assert (miles == miles.T).all() and (miles.diagonal() == 0).all()


def test_haversine_quarter_meridian():
    # equator to pole is a quarter of the circumference: π/2 × 3959
    assert round(float(haversine_miles(0, 0, 90, 0))) == 6219
