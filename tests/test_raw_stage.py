"""The raw stage loads one season per job: each season's load replaces that season's rows only."""
from __future__ import annotations

import datetime as dt
import json

from nbaprops import jobs, plan
from nbaprops.config import validate
from nbaprops.contracts import load_contract
from nbaprops.raw import STATIC_TABLES, tables_for_source
from nbaprops.warehouse import open_warehouse

# Two seasons: the 2022-23 finals and the 2023-24 opener.
START, END = dt.date(2023, 6, 1), dt.date(2023, 10, 30)


def test_each_season_load_keeps_the_other_seasons_rows(tmp_path):
    config = validate({"start_date": START.isoformat(), "end_date": END.isoformat(), "chunk": "season",
                       "paths": {"warehouse": str(tmp_path / "warehouse"), "markers": str(tmp_path / "markers"),
                                 "logs": str(tmp_path / "logs")}})
    seasons = sorted({c.season for c in plan.chunks(config)})
    assert seasons == [2022, 2023]
    for season in (2023, 2022, 2023):  # a re-load of the later season after the earlier one
        jobs.load_raw_season(config, season, tmp_path / "markers" / "raw" / f"{season}.json")

    wh = open_warehouse(config)
    try:
        schedule = load_contract("nba_raw.nbac_schedule")
        dates = wh.dates_present(schedule, dt.date(2022, 7, 1), dt.date(2024, 6, 30))
        assert min(dates) == dt.date(2022, 10, 18) and max(dates) == dt.date(2024, 6, 13)
        assert {d.year for d in dates} == {2022, 2023, 2024}
        for table in STATIC_TABLES:  # loaded by every season, never duplicated
            rows = wh.query(f"select count(*) as n from {table}")["n"].iloc[0]
            assert rows == len(wh.query(f"select distinct * from {table}"))
    finally:
        wh.close()

    marker = json.loads((tmp_path / "markers" / "raw" / "2023.json").read_text())
    assert marker["season"] == 2023 and set(marker["tables"]) == set(tables_for_source("demo"))
    assert marker["tables"]["nba_raw.nbac_schedule"]["start"] == "2023-10-24"
