"""The as-of export carries a finished season's player-season pages forward (nbaprops.exporters.carry).

The hand-made league (test_phase6_support) plays its games in season 2022-23; here one ensemble
prediction on the next season's opener (D3, scheduled) makes D3 tonight's slate, so 2022-23 is a
finished season. A second run with unchanged inputs lists its pages without building them again
(same manifest); a changed box-score chunk, a deleted object or a lost side file rebuilds them."""
import datetime as dt
import json
from pathlib import Path

import pytest
from test_phase4_support import SCHEDULE, build, row, warehouse
from test_phase6_support import (D1, ENS, PA, PGS, PPP, PPP_BASE, START, box_rows, context_rows, defense_rows,
                                 factor_rows, feature_rows, prediction_rows, prop_rows, registry_rows, schedule_rows,
                                 team_context_rows, team_rows)

from nbaprops.exporters.base import API_VERSION
from nbaprops.exporters.carry import SIDE_FILE
from nbaprops.exporters.players import PlayerSeasonExporter
from nbaprops.exporters.run import export_as_of_end, export_dates
from nbaprops.storage.local import LocalObjectStore

D3 = dt.date(2023, 10, 24)  # the next season's opener
PAGES = [f"{API_VERSION}/players/{p}/season/2022-23.json" for p in ("ann", "bob", "cal")]
CHUNK = Path("nba_analytics/player_game_summary/2022-11-01_2022-11-10.json")


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    from test_phase4_support import MLFS, PCF, TDZA, TOGS, UPGC, UTGC
    from test_phase6_support import ETA, PROPS, REG, SDP, STA

    opener = row(SCHEDULE, game_id="0022300001", game_code=f"{D3:%Y%m%d}/BOSNYK", game_date=D3, season_year=2023,
                 game_status=1, away_team_tricode="BOS", home_team_tricode="NYK")
    slate = row(PPP_BASE, prediction_id=f"{D3}_ann_{ENS}", system_id=ENS, player_lookup="ann",
                game_id=f"{D3:%Y%m%d}_BOS_NYK", game_date=D3, team_abbr="BOS", opponent_team_abbr="NYK",
                prediction_version=1, predicted_points=22.0, confidence_score=0.6, recommendation="NO_LINE",
                has_prop_line=False, model_version="1.0", is_active=True, feature_quality_score=90.0,
                is_production_ready=True, contributing_systems=3, prediction_variance=1.0)
    wh = warehouse(tmp_path_factory.mktemp("league"), {
        PGS: box_rows(), PPP_BASE: prediction_rows() + [slate], MLFS: feature_rows(), PCF: factor_rows(),
        SCHEDULE: schedule_rows() + [opener], TOGS: team_rows(), UTGC: team_context_rows(), UPGC: context_rows(),
        TDZA: defense_rows(), REG: registry_rows(), PROPS: prop_rows(),
    })
    for table in (PA, SDP, STA, ETA, PPP):
        build(wh, table, D1, D3)
    return wh


@pytest.fixture
def run(wh, tmp_path, monkeypatch):
    """export_as_of_end over START..D3 into one store and markers folder: (stats, pages built)."""
    monkeypatch.setattr(PlayerSeasonExporter, "MIN_PROFILE_GAMES", 2)  # the league's players have 2 graded games
    built = []
    page = PlayerSeasonExporter._page

    def counting(player, season, games, names):
        built.append(player)
        return page(player, season, games, names)

    monkeypatch.setattr(PlayerSeasonExporter, "_page", staticmethod(counting))
    markers = tmp_path / "markers"
    (markers / CHUNK).parent.mkdir(parents=True)
    (markers / CHUNK).write_text(json.dumps({"run_id": "first"}))
    (markers / "raw").mkdir()
    (markers / "raw" / "2022.json").write_text(json.dumps({"season": 2022}))
    store = LocalObjectStore(tmp_path / "exports")
    export_dates(wh, store, START, D3)  # the aliases' sources

    def once():
        built.clear()
        newest, stats = export_as_of_end(wh, store, START, D3, markers_root=markers)
        assert newest == D3
        return stats, sorted(built)

    once.markers, once.store = markers, store
    return once


def pages_of(stats) -> dict:
    return {k: v for k, v in stats.manifest.items() if k in PAGES}


def test_an_unchanged_finished_season_is_carried_with_the_same_manifest(run):
    first, built = run()
    assert (first.carried, built) == (0, ["ann", "bob", "cal"])
    assert sorted(pages_of(first)) == PAGES
    side = json.loads((run.markers / "exports" / SIDE_FILE).read_text())
    assert sorted(side["pages"]) == PAGES and list(side["fingerprints"]) == ["2022-23"]
    mtimes = {k: (run.store.root / k).stat().st_mtime_ns for k in PAGES}

    second, built = run()
    assert (second.carried, built) == (3, [])  # listed, not built, validated or written again
    assert second.manifest == first.manifest and second.digest == first.digest
    assert second.by_exporter["player-season"] == first.by_exporter["player-season"]
    assert {k: (run.store.root / k).stat().st_mtime_ns for k in PAGES} == mtimes


def test_a_rebuilt_box_score_chunk_rebuilds_the_season_pages(run):
    first, _ = run()
    (run.markers / CHUNK).write_text(json.dumps({"run_id": "rebuilt"}))  # same rows, new run: not trusted
    second, built = run()
    assert (second.carried, built) == (0, ["ann", "bob", "cal"])
    assert second.manifest == first.manifest
    third, built = run()
    assert (third.carried, built) == (3, [])


def test_a_new_raw_season_marker_rebuilds_the_season_pages(run):
    run()
    (run.markers / "raw" / "2022.json").write_text(json.dumps({"season": 2022, "reloaded": True}))
    assert run()[0].carried == 0


def test_a_deleted_object_is_written_again(run):
    first, _ = run()
    (run.store.root / PAGES[1]).unlink()
    second, built = run()
    assert (second.carried, built) == (2, ["bob"])
    assert second.manifest == first.manifest and (run.store.root / PAGES[1]).exists()


def test_a_run_that_dies_leaves_no_side_file_so_the_next_builds_every_page(run, monkeypatch):
    first, _ = run()
    from nbaprops.exporters.status import StatusExporter

    export = StatusExporter.export
    monkeypatch.setattr(StatusExporter, "export", lambda self, reads, ctx: 1 / 0)  # after every page
    with pytest.raises(ZeroDivisionError):
        run()
    assert not (run.markers / "exports" / SIDE_FILE).exists()
    monkeypatch.setattr(StatusExporter, "export", export)
    again, built = run()
    assert (again.carried, built) == (0, ["ann", "bob", "cal"]) and again.manifest == first.manifest


def test_without_a_markers_folder_nothing_is_carried(wh, tmp_path, monkeypatch):
    monkeypatch.setattr(PlayerSeasonExporter, "MIN_PROFILE_GAMES", 2)
    store = LocalObjectStore(tmp_path / "exports")
    export_dates(wh, store, START, D3)
    for _ in range(2):
        _, stats = export_as_of_end(wh, store, START, D3)
        assert stats.carried == 0 and sorted(pages_of(stats)) == PAGES
