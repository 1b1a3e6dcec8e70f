"""Arena-to-arena travel distances (the `nba_static.travel_distances` table).

The original shipped its 870 ordered pairs as a SQL insert file that was never loaded in
production (every historical `travel_miles` was 0). Here they are computed from the arena
coordinates in `nbaprops/data/teams.csv`: great-circle (haversine) distance with an Earth radius
of 3,959 miles, rounded to whole miles. Both Los Angeles teams share one arena (distance 0), a
simplification: the Clippers moved to the Intuit Dome, ~9 miles away, in 2024.
"""
from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd

from nbaprops.paths import DATA_DIR

EARTH_RADIUS_MILES = 3959.0
VALID_FROM = dt.date(2000, 1, 1)


@functools.lru_cache(maxsize=None)
def _teams() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "teams.csv")


def teams() -> pd.DataFrame:
    """The 30 teams: team_abbr, team_name, conference, division, arena, latitude, longitude,
    utc_offset (standard time, hours), sorted by team_abbr."""
    return _teams().copy()


def haversine_miles(lat1, lon1, lat2, lon2):
    """Great-circle distance in miles between points given in degrees (scalars or arrays)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(a))


def distance_matrix() -> tuple[list[str], np.ndarray]:
    """(tricodes in teams.csv order, 30×30 matrix of whole miles between their arenas)."""
    t = _teams()
    lat, lon = t["latitude"].to_numpy(), t["longitude"].to_numpy()
    miles = haversine_miles(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    return t["team_abbr"].tolist(), np.rint(miles).astype(np.int64)


def travel_distances() -> pd.DataFrame:
    """The 870 ordered pairs of distinct teams in the `nba_static.travel_distances` contract."""
    abbrs, miles = distance_matrix()
    i, j = np.nonzero(~np.eye(len(abbrs), dtype=bool))
    codes = np.array(abbrs, dtype=object)
    return pd.DataFrame({
        "from_team": codes[i],
        "to_team": codes[j],
        "distance_miles": miles[i, j],
        "valid_from": pd.to_datetime([VALID_FROM] * len(i)),
    })
