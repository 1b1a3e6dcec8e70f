"""Phase 6 as a whole on the hand-made league: the catalogue, the schemas, a small run through the
local object store (every object valid, round trip, byte-identical re-export, chunking does not
matter, markers with counts and bytes) and verify_phase6 passing and failing with clear messages."""
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from test_phase6_support import D1, D2, END, START, league

from nbaprops.config import validate
from nbaprops.exporters import CATALOGUE, PER_DATE, AsOfExporter
from nbaprops.exporters.base import AsOf, encode
from nbaprops.exporters.reads import READ_TABLES, ExportDays, ExportReads, chunks_read
from nbaprops.exporters.run import (export_as_of_end, export_as_of_end_job, export_dates, export_dates_job,
                                   remove_stale)
from nbaprops.exporters.schemas import SCHEMA_DIR, problems, schema_for_key, schema_names
from nbaprops.exporters.verify import verify_phase6
from nbaprops.markers import read_marker
from nbaprops.plan import group_dates
from nbaprops.storage.local import LocalObjectStore

CATALOGUE_TABLE = {  # exporter: (object keys, max-age, alias and its max-age)
    "results": (("results/{date}.json",), 86400, ("results/latest.json", 300)),
    "performance": (("systems/performance.json",), 3600, None),
    "best-bets": (("best-bets/{date}.json",), 86400, ("best-bets/latest.json", 300)),
    "predictions": (("predictions/{date}.json",), 3600, ("predictions/today.json", 300)),
    "tonight": (("tonight/all-players.json",), 300, None),
    "tonight-players": (("tonight/player/{player_lookup}.json",), 300, None),
    "streaks": (("streaks/today.json",), 3600, None),
    "trends-hot-cold": (("trends/whos-hot-v2.json",), 3600, None),
    "trends-bounce-back": (("trends/bounce-back.json",), 3600, None),
    "trends-what-matters": (("trends/what-matters.json",), 43200, None),
    "trends-team": (("trends/team-tendencies.json",), 43200, None),
    "trends-quick-hits": (("trends/quick-hits.json",), 43200, None),
    "trends-deep-dive": (("trends/deep-dive-current.json",), 86400, None),
    "tonight-trend-plays": (("trends/tonight-plays.json",), 3600, None),
    "live": (("live/{date}.json",), 30, ("live/latest.json", 30)),
    "live-grading": (("live-grading/{date}.json",), 30, ("live-grading/latest.json", 30)),
    "player-profiles": (("players/index.json", "players/{player_lookup}.json"), 3600, None),
    "player-season": (("players/{player_lookup}/season/{season}.json",), 3600, None),
    "player-game-report": (("players/{player_lookup}/game-report/{date}.json",), 86400, None),
    "status": (("status.json",), 60, None),
}
# thresholds a four-player league can meet (the exporter tests say why each is lowered)
SMALL_LEAGUE = {"MIN_LENGTH": 1, "MIN_SEASON_GAMES": 3, "MIN_GAMES": 5, "MIN_INSIGHT_GAMES": 3, "MIN_SAMPLE": 3,
                "MIN_INDEX_GAMES": 1, "MIN_PROFILE_GAMES": 2, "STRONG_DEFENSES": 1, "WEAK_DEFENSES": 1}


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return league(tmp_path_factory.mktemp("league"))


def run_all(wh, root, chunks=((START, D1), (D1.replace(day=10), END))) -> LocalObjectStore:
    """What the rules do: the per-date export of each chunk, then the as-of export of the range."""
    store = LocalObjectStore(root)
    for start, end in chunks:
        export_dates(wh, store, start, end)
    export_as_of_end(wh, store, START, END)
    return store


def contents(store: LocalObjectStore) -> dict[str, bytes]:
    return {key: store.read_bytes(key) for key in store.list_keys()}


@pytest.fixture(scope="module")
def exported(wh, tmp_path_factory) -> LocalObjectStore:
    return run_all(wh, tmp_path_factory.mktemp("exports"))


def config_for(wh, store_root) -> dict:
    # Markers beside the store, never the working directory's (a real run's markers would count).
    return validate({"start_date": START.isoformat(), "end_date": END.isoformat(), "backend": "duckdb",
                     "paths": {"warehouse": str(wh.root), "markers": str(Path(store_root).parent / "markers")},
                     "storage": {"backend": "local", "path": str(store_root)}})


# ------------------------------------------------------------------------------------ catalogue
def test_the_catalogue_has_the_twenty_exporters_with_their_keys_and_cache_control():
    assert len(CATALOGUE) == 20
    assert {e.name: (e.keys, e.max_age, e.alias) for e in CATALOGUE} == CATALOGUE_TABLE


def test_every_exported_shape_has_a_valid_schema_file():
    used = {e.schema for e in CATALOGUE} | {"players-index"}
    assert set(schema_names()) == used
    for name in used:
        Draft202012Validator.check_schema(json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text()))


@pytest.mark.parametrize("key, schema", [
    ("v1/results/2022-11-10.json", "results"), ("v1/results/latest.json", "results"),
    ("v1/predictions/today.json", "predictions"), ("v1/live-grading/latest.json", "live-grading"),
    ("v1/players/index.json", "players-index"), ("v1/players/ann.json", "player-profile"),
    ("v1/players/ann/season/2022-23.json", "player-season"),
    ("v1/players/ann/game-report/2022-11-10.json", "player-game-report"),
    ("v1/tonight/player/ann.json", "tonight-player"), ("v1/status.json", "status"),
    ("v1/results/yesterday.json", None), ("v1/unknown.json", None), ("results/2022-11-10.json", None),
])
def test_each_key_maps_to_its_schema(key, schema):
    assert schema_for_key(key) == schema


def test_every_document_of_every_exporter_matches_its_schema(wh):
    """Every exporter, thresholds lowered so no list is empty for want of players."""
    checked = set()
    for exporter in CATALOGUE:
        exporter = type(exporter)()
        for name, value in SMALL_LEAGUE.items():
            if hasattr(exporter, name):
                setattr(exporter, name, value)
        if isinstance(exporter, AsOfExporter):
            objects = exporter.export(ExportReads(wh), AsOf(D2, START, END))
        else:
            objects = [o for day in (D1, D2) for o in exporter.run(ExportReads(wh), day)]
        assert objects, exporter.name
        for obj in objects:
            assert schema_for_key(obj.key) == obj.schema, obj.key
            assert problems(obj.schema, json.loads(obj.data())) == [], obj.key
            checked.add(obj.schema)
    assert checked == set(schema_names())


def _broken_variants(doc):
    """Documents each breaking one rule a schema states: a required field gone, an unknown field,
    a value of the wrong type, in the document and in its first nested object."""
    out = []
    if isinstance(doc, dict) and doc:
        first = sorted(doc)[0]
        out.append({k: v for k, v in doc.items() if k != first})
        out.append({**doc, "not_in_any_schema": 1})
        out.append({**doc, first: {"wrong": "type"} if not isinstance(doc[first], dict) else "wrong type"})
        nested = next((k for k in sorted(doc) if isinstance(doc[k], dict) and doc[k]), None)
        if nested:
            out += [{**doc, nested: variant} for variant in _broken_variants(doc[nested])[:3]]
    return out


def test_the_compiled_validator_agrees_with_the_reference_one(wh):
    """The gate and the export jobs decide with the compiled validator: it must accept exactly
    what the reference (draft 2020-12) validator accepts, on real documents and broken ones."""
    from nbaprops.exporters.schemas import compiled_validator, validator
    import fastjsonschema

    def compiled_ok(schema, doc):
        try:
            compiled_validator(schema)(doc)
            return True
        except fastjsonschema.JsonSchemaException:
            return False

    compared = 0
    for exporter in CATALOGUE:
        objects = (exporter.export(ExportReads(wh), AsOf(D2, START, END)) if isinstance(exporter, AsOfExporter)
                   else exporter.run(ExportReads(wh), D2))
        for obj in objects[:3]:
            doc = json.loads(obj.data())
            for variant in [doc, *_broken_variants(doc)]:
                assert compiled_ok(obj.schema, variant) == validator(obj.schema).is_valid(variant), obj.key
                compared += 1
    assert compared > 100


def test_a_schema_violation_names_the_field():
    found = problems("deep-dive", {"generated_at": "now"})
    assert "(top level): 'as_of_date' is a required property" in found
    assert "generated_at: 'now' does not match '^\\\\d{4}-\\\\d{2}-\\\\d{2}T00:00:00Z$'" in found


# ------------------------------------------------------------------------------------ rule inputs
PLAN = group_dates([dt.date(2022, 4, 8), dt.date(2022, 4, 10), dt.date(2022, 10, 18), dt.date(2022, 10, 25),
                    dt.date(2022, 11, 1)], "week")  # one chunk in season 2021, three in 2022


def test_a_chunk_export_reads_its_chunk_its_grading_and_the_history():
    """Best bets rank by EV (issue 13), no longer by the season's earlier picks: a chunk's export
    reads its own grading only."""
    april, opener, second, third = PLAN
    read = chunks_read(PLAN, second)
    assert [c for t, c in read if t == "nba_predictions.player_prop_predictions"] == [second]
    assert [c for t, c in read if t == "nba_predictions.prediction_accuracy"] == [second]
    assert [c for t, c in read if t == "nba_analytics.player_game_summary"] == [april, opener, second]
    assert not [c for t, c in read if t == "nba_predictions.system_daily_performance"]  # the as-of job's only
    assert [c for t, c in chunks_read(PLAN, april) if t == "nba_predictions.prediction_accuracy"] == [april]


def test_the_as_of_export_reads_every_chunk_of_every_declared_table():
    assert chunks_read(PLAN) == [(t, c) for t in READ_TABLES for c in PLAN]


def test_the_read_layer_declares_every_table_its_queries_read():
    """The DAG inputs come from READS: a query of a table it does not declare would run unordered."""
    import inspect
    import re

    from nbaprops.exporters import reads

    named = set(re.findall(r"\b(nba_[a-z]+\.[a-z0-9_]+)\b", inspect.getsource(reads)))
    assert named == set(READ_TABLES) | {"nba_raw.nbac_schedule"}


# ------------------------------------------------------------------------------------ a small run
def test_the_run_writes_every_object_of_the_catalogue(exported):
    keys = exported.list_keys()
    dated = [f"v1/{family}/{day}.json" for family in ("results", "best-bets", "predictions", "live", "live-grading")
             for day in (D1.isoformat(), D2.isoformat())]
    aliases = ["v1/results/latest.json", "v1/best-bets/latest.json", "v1/predictions/today.json",
               "v1/live/latest.json", "v1/live-grading/latest.json"]
    singletons = ["v1/systems/performance.json", "v1/tonight/all-players.json", "v1/streaks/today.json",
                  "v1/trends/whos-hot-v2.json", "v1/trends/bounce-back.json", "v1/trends/what-matters.json",
                  "v1/trends/team-tendencies.json", "v1/trends/quick-hits.json", "v1/trends/deep-dive-current.json",
                  "v1/trends/tonight-plays.json", "v1/players/index.json", "v1/status.json"]
    reports = [f"v1/players/{p}/game-report/{d}.json" for p in ("ann", "bob", "cal") for d in (D1, D2)]
    tonight = [f"v1/tonight/player/{p}.json" for p in ("ann", "bob", "cal", "dan")]
    assert sorted(keys) == sorted(dated + aliases + singletons + reports + tonight)
    for key in keys:
        assert problems(schema_for_key(key), json.loads(exported.read_bytes(key))) == [], key


def test_status_of_a_complete_run_is_healthy(exported):
    status = json.loads(exported.read_bytes("v1/status.json"))
    assert (status["overall_status"], status["known_issues"]) == ("healthy", [])


def test_aliases_copy_the_newest_dates_objects(exported):
    for alias, dated in (("results/latest.json", "results/2022-11-10.json"),
                         ("best-bets/latest.json", "best-bets/2022-11-10.json"),
                         ("predictions/today.json", "predictions/2022-11-10.json"),
                         ("live/latest.json", "live/2022-11-10.json"),
                         ("live-grading/latest.json", "live-grading/2022-11-10.json")):
        assert exported.read_bytes(f"v1/{alias}") == exported.read_bytes(f"v1/{dated}")


def test_the_local_store_round_trips_the_exact_bytes(wh, exported):
    """What a reader gets back is what the exporter encoded: sorted keys, compact, UTF-8, a final newline."""
    for exporter in PER_DATE:
        for obj in exporter.run(ExportReads(wh), D1):
            data = exported.read_bytes(obj.key)
            assert data == obj.data() == encode(json.loads(data))
            assert data.endswith(b"}\n") and b"\n" not in data[:-1]


def test_a_re_export_writes_identical_bytes(wh, exported, tmp_path):
    before = contents(exported)
    shutil.copytree(exported.root, tmp_path / "again")
    again = run_all(wh, tmp_path / "again")
    assert contents(again) == before


def test_chunking_does_not_change_any_object(wh, exported, tmp_path):
    one_chunk = run_all(wh, tmp_path / "one", chunks=((START, END),))
    per_day = run_all(wh, tmp_path / "days", chunks=((START, D1), (D2, D2), (D2.replace(day=11), END)))
    assert contents(one_chunk) == contents(per_day) == contents(exported)


@pytest.mark.parametrize("glob", [True, False], ids=["globbed", "listed"])
def test_a_chunk_removes_exactly_its_dates_objects_it_did_not_write(tmp_path, glob):
    """A short chunk on a local store globs each date's game reports; a long one (or a bucket)
    lists the prefix: the same objects go."""
    local = LocalObjectStore(tmp_path / "exports")
    # a store that only lists (as a bucket does)
    store = local if glob else type("Listing", (), {"list_keys": local.list_keys, "delete": local.delete})()
    keys = ["v1/players/p1/game-report/2022-11-09.json", "v1/players/p2/game-report/2022-11-09.json",
            "v1/players/p2/game-report/2022-11-10.json", "v1/players/p1/season/2022-23.json",
            "v1/results/2022-11-09.json", "v1/results/2022-11-10.json", "v1/predictions/2022-11-09.json"]
    for key in keys:
        local.write_json(key, {})
    written = {"v1/players/p1/game-report/2022-11-09.json", "v1/predictions/2022-11-09.json"}
    day = dt.date(2022, 11, 9)
    assert remove_stale(store, day, day, written, PER_DATE) == [
        "v1/players/p2/game-report/2022-11-09.json", "v1/results/2022-11-09.json"]
    assert local.list_keys() == sorted(
        set(keys) - {"v1/players/p2/game-report/2022-11-09.json", "v1/results/2022-11-09.json"})


def test_jobs_write_markers_with_object_counts_and_bytes(wh, tmp_path):
    config = config_for(wh, tmp_path / "exports")
    first = export_dates_job(config, f"{START}_{D1}", tmp_path / "m" / "first.json")
    second = export_dates_job(config, f"{D2}_{END}", tmp_path / "m" / "second.json")
    as_of = export_as_of_end_job(config, tmp_path / "m" / "as_of.json")
    assert first["dates"] == ["2022-11-09"] and second["dates"] == ["2022-11-10"]
    results_bytes = len((tmp_path / "exports/v1/results/2022-11-09.json").read_bytes())
    assert first["by_exporter"]["results"] == {"objects": 1, "bytes": results_bytes}
    assert second["objects"] == 5 + 3  # five dated families and three game reports
    assert as_of["as_of_date"] == "2022-11-10"
    assert as_of["by_exporter"]["results-alias"]["objects"] == 1
    written = sum(p.stat().st_size for p in (tmp_path / "exports").rglob("*.json"))
    assert first["bytes"] + second["bytes"] + as_of["bytes"] == written
    assert read_marker(tmp_path / "m" / "first.json")["objects"] == first["objects"]
    # the same data again: the same content hash, so nothing downstream re-runs
    assert export_dates_job(config, f"{START}_{D1}", tmp_path / "m" / "again.json")["content_hash"] == \
        first["content_hash"]


def test_a_chunk_without_predicted_dates_writes_nothing(wh, tmp_path):
    days, stats = export_dates(wh, LocalObjectStore(tmp_path), START, D1.replace(day=8))
    assert (days, stats.objects, list(tmp_path.iterdir())) == (ExportDays(), 0, [])


# ------------------------------------------------------------------------------------ verify
@pytest.fixture
def verified(wh, exported, tmp_path):
    """A private copy of the exported store and its config."""
    root = tmp_path / "exports"
    shutil.copytree(exported.root, root)
    return LocalObjectStore(root), config_for(wh, root)


def test_verify_passes_on_a_complete_export(verified):
    _, config = verified
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    assert "Predicted game dates: 2 (newest 2022-11-10, tonight's slate); final: 2 (newest 2022-11-10)" in text
    assert "✅ results/{date}.json: 2 objects for 2 final dates" in text
    assert "✅ predictions/{date}.json: 2 objects for 2 predicted dates" in text
    assert "✅ PHASE 6 IS COMPLETE" in text


def test_verify_names_a_missing_results_file(verified):
    store, config = verified
    (store.root / "v1/results/2022-11-09.json").unlink()
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "❌ results/{date}.json: 1 objects for 2 final dates" in text
    assert "   Missing (1): 2022-11-09" in text
    assert "❌ PHASE 6 IS INCOMPLETE" in text


def test_verify_names_a_corrupt_object(verified):
    store, config = verified
    (store.root / "v1/best-bets/2022-11-09.json").write_bytes(b'{"game_date": "2022-11-09", "pic')
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "❌ Objects that are not JSON:\n   v1/best-bets/2022-11-09.json: Unterminated string" in text


def test_verify_names_an_object_that_breaks_its_schema(verified):
    store, config = verified
    doc = json.loads(store.read_bytes("v1/results/2022-11-09.json"))
    doc["summary"]["win_rate"] = 1.5
    store.write_json("v1/results/2022-11-09.json", encode(doc))
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert ("❌ Objects failing their schema (1):\n   v1/results/2022-11-09.json (schema results): "
            "summary/win_rate: 1.5 is greater than the maximum of 1") in text


def test_verify_names_an_alias_that_is_not_the_newest_date(verified):
    store, config = verified
    store.write_json("v1/results/latest.json", store.read_bytes("v1/results/2022-11-09.json"))
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert ("❌ Aliases:\n   v1/results/latest.json does not hold the bytes of v1/results/2022-11-10.json "
            "(its family's newest date)") in text


def test_verify_names_stale_and_unknown_objects(verified):
    store, config = verified
    store.write_json("v1/results/2022-11-08.json", store.read_bytes("v1/results/2022-11-09.json"))
    store.write_json("v1/notes.json", {"note": 1})
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "   For dates that are not final (1): 2022-11-08" in text
    assert "❌ Keys no exporter writes:\n   v1/notes.json" in text


def test_verify_fails_without_predicted_dates(wh, tmp_path):
    ok, text = verify_phase6(config_for(wh, tmp_path), START, D1.replace(day=8))
    assert not ok
    assert "no predicted game dates in this range (is Phase 5 built?)" in text


# ------------------------------------------------------------------ validate where you write
def test_the_writer_refuses_an_invalid_object_naming_it(tmp_path):
    from nbaprops.exporters.base import ExportObject
    from nbaprops.exporters.run import ExportStats, ObjectWriter
    from nbaprops.exporters.schemas import SchemaError

    store, stats = LocalObjectStore(tmp_path), ExportStats()
    bad = ExportObject("v1/trends/deep-dive-current.json", {"generated_at": "now"}, 60, "deep-dive")
    with pytest.raises(SchemaError) as caught, ObjectWriter(store, stats) as writer:
        writer.write(bad, "trends-deep-dive")
    assert str(caught.value).startswith("v1/trends/deep-dive-current.json does not match schema 'deep-dive' "
                                        "(schemas/deep-dive.schema.json): (top level): 'as_of_date' is a required "
                                        "property (+")
    assert "it was not written" in str(caught.value)
    assert (store.list_keys(), stats.objects) == ([], 0)
    stray = ExportObject("v1/notes/today.json", {}, 60, "status")
    with pytest.raises(SchemaError, match=r"^v1/notes/today.json: no exporter declares this key"), \
            ObjectWriter(store, stats) as writer:
        writer.write(stray, "status")


@pytest.fixture(scope="module")
def marked(wh, tmp_path_factory):
    """The export jobs' run: objects and the markers with their manifests."""
    root = tmp_path_factory.mktemp("marked") / "exports"
    config = config_for(wh, root)
    markers = Path(config["paths"]["markers"]) / "exports"
    for start, end in ((START, D1), (D1.replace(day=10), END)):
        export_dates_job(config, f"{start}_{end}", markers / "dates" / f"{start}_{end}.json")
    export_as_of_end_job(config, markers / "as_of_end.json")
    return root


@pytest.fixture
def gated(wh, marked, tmp_path):
    """A private copy of the jobs' store and markers, and its config."""
    root = tmp_path / "exports"
    shutil.copytree(marked, root)
    shutil.copytree(marked.parent / "markers", tmp_path / "markers")
    return LocalObjectStore(root), config_for(wh, root)


def test_the_gate_passes_on_what_the_markers_vouch_for_without_parsing_it(gated):
    store, config = gated
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    total = len(store.list_keys())
    assert (f"Objects under v1/: {total:,}; vouched for by their export markers (size and sha256 as written, "
            f"validated by the export job): {total:,}; parsed and validated here: 0") in text
    assert "✅ every object a marker lists holds the bytes it recorded (size and sha256)" in text
    ok, deep = verify_phase6(config, START, END, deep=True)
    assert ok, deep
    assert (f"Objects under v1/ parsed and validated (--deep): {total:,}; {total:,} of them hold the bytes their "
            f"export marker recorded (size and sha256)") in deep


def test_the_gate_fails_on_an_object_changed_after_its_marker(gated):
    store, config = gated
    key = "v1/results/2022-11-09.json"
    data = store.read_bytes(key)
    store.write_json(key, data.replace(b'"game_date":"2022-11-09"', b'"game_date":"2022-11-08"'))  # same size
    assert len(store.read_bytes(key)) == len(data) and store.read_bytes(key) != data
    ok, text = verify_phase6(config, START, END)
    assert not ok
    recorded = hashlib.sha256(data).hexdigest()[:12]
    found = hashlib.sha256(store.read_bytes(key)).hexdigest()[:12]
    assert ("❌ Objects changed after their export job wrote them (its marker recorded other bytes; re-run the job "
            f"that writes them with --forcerun):\n   {key}: {len(data)} bytes, sha256 {found}… in the store; its "
            f"export marker recorded {len(data)} bytes, sha256 {recorded}…") in text


def test_the_gate_fails_on_a_missing_object(gated):
    store, config = gated
    store.delete("v1/predictions/2022-11-10.json")
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "❌ predictions/{date}.json: 1 objects for 2 predicted dates\n   Missing (1): 2022-11-10" in text
    assert "❌ Aliases:\n   v1/predictions/today.json: its source v1/predictions/2022-11-10.json is missing" in text


def test_the_gate_fails_on_a_stray_object(gated):
    store, config = gated
    report = next(k for k in store.list_keys() if "/game-report/2022-11-10.json" in k)
    stray = "v1/players/nobody/game-report/2022-11-10.json"  # valid bytes, written by no export job
    store.write_json(stray, store.read_bytes(report))
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "❌ Per-date objects no export job wrote (" in text and f"   {stray}\n" in text


def test_an_as_of_object_no_manifest_lists_is_validated(gated):
    store, config = gated
    store.write_json("v1/players/nobody.json", {"player_lookup": "nobody"})  # an earlier range's page, broken
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "parsed and validated here: 1" in text
    assert "❌ Objects failing their schema (1):\n   v1/players/nobody.json (schema player-profile)" in text


def test_deep_catches_an_invalid_object_a_marker_vouched_for(gated):
    """A marker vouches for bytes its job validated; --deep trusts no marker (an object broken
    with its marker, or a schema made stricter since)."""
    from nbaprops.exporters.run import MANIFEST_FIELD, decode_manifest, encode_manifest
    from nbaprops.markers import write_marker

    store, config = gated
    key = "v1/results/2022-11-09.json"
    doc = json.loads(store.read_bytes(key))
    doc["summary"]["win_rate"] = 1.5
    store.write_json(key, encode(doc))
    path = next((Path(config["paths"]["markers"]) / "exports/dates").glob(f"{START}_*.json"))
    marker = read_marker(path)
    data = store.read_bytes(key)
    manifest = {**decode_manifest(marker), key: (len(data), hashlib.sha256(data).hexdigest())}
    write_marker(path, {**marker, MANIFEST_FIELD: encode_manifest(manifest)})
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    ok, deep = verify_phase6(config, START, END, deep=True)
    assert not ok
    assert ("❌ Objects failing their schema (1):\n   v1/results/2022-11-09.json (schema results): "
            "summary/win_rate: 1.5 is greater than the maximum of 1") in deep


def test_in_a_bucket_the_gate_compares_listed_sizes_and_reads_only_the_singletons(wh, gated):
    """A bucket read is an HTTP request per object: there the listing's sizes stand for the bytes."""
    from nbaprops.exporters.run import alias_sources
    from nbaprops.exporters.verify import check_store, read_export_markers

    class Bucket(LocalObjectStore):
        backend = "gcs"
        reads: list[str] = []

        def read_bytes(self, key):
            self.reads.append(key)
            return super().read_bytes(key)

    store, config = gated
    bucket = Bucket(store.root)
    days = ExportReads(wh).export_days(START, END)
    markers = read_export_markers(config["paths"]["markers"])
    report = check_store(bucket, days, START, END, markers.keys, markers.note, markers.vouched)
    assert report.ok and report.vouched_by == "size" and report.vouched == len(store.list_keys())
    singletons = {f"v1/{k}" for e in CATALOGUE if isinstance(e, AsOfExporter) for k in e.keys if "{" not in k}
    aliases = {key for alias, source, _, _ in alias_sources(days) for key in (alias, source)}  # compared byte for byte
    assert set(bucket.reads) == singletons | aliases
    key = "v1/results/2022-11-09.json"
    store.write_json(key, store.read_bytes(key).replace(b"}\n", b" }\n"))  # one byte longer
    report = check_store(bucket, days, START, END, markers.keys, markers.note, markers.vouched)
    assert not report.ok and report.changed[0].startswith(f"{key}: {len(store.read_bytes(key))} bytes in the store; "
                                                          f"its export marker recorded")


def test_a_marker_written_against_other_schemas_vouches_for_nothing(gated):
    """A schema changed since the export: the gate validates that job's objects again."""
    from nbaprops.exporters.run import SCHEMAS_FIELD
    from nbaprops.markers import write_marker

    store, config = gated
    path = next((Path(config["paths"]["markers"]) / "exports/dates").glob(f"{START}_*.json"))
    marker = read_marker(path)
    write_marker(path, {**marker, SCHEMAS_FIELD: "an older schema"})
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    assert (f"parsed and validated here: {marker['objects']} (1 export markers were written against other schema "
            f"files: their objects are validated here)") in text


# ------------------------------------------------------------------------------------ the gate's state
def _gate(config, state=True):
    """verify_phase6 as the gate runs it (with its state file), text split from its last line."""
    from nbaprops.exporters.gate_state import state_path

    ok, text = verify_phase6(config, START, END, state=state_path(config["paths"]["markers"]) if state else None)
    lines = text.split("\n")
    how = next((line for line in lines if line.startswith("Checked ")), None)
    return ok, "\n".join(line for line in lines if line != how), how


def test_an_unchanged_store_is_carried_forward_with_the_full_checks_report(gated):
    store, config = gated
    ok, full, how = _gate(config, state=False)
    assert ok and how is None
    assert _gate(config) == (True, full, "Checked in full (no state of an earlier passing gate)")
    total = len(store.list_keys())
    assert _gate(config) == (True, full, f"Checked what changed since the last passing gate: 0 changed export "
                                         f"markers, 0 objects read; {total:,} carried")


def test_a_re_run_export_job_has_its_objects_read_again(gated):
    store, config = gated
    _gate(config)
    markers = Path(config["paths"]["markers"]) / "exports"
    chunk = f"{D2}_{END}"
    payload = export_dates_job(config, chunk, markers / "dates" / f"{chunk}.json")  # a new run_id: new content
    ok, text, how = _gate(config)
    assert ok, text
    assert how == (f"Checked what changed since the last passing gate: 1 changed export markers, "
                   f"{payload['objects']:,} objects read; {len(store.list_keys()) - payload['objects']:,} carried")
    assert text == _gate(config, state=False)[1]


def test_what_changed_since_the_last_pass_is_caught_as_in_full(gated):
    """A removed object, a stray one, an object a re-run marker records other bytes for."""
    from nbaprops.exporters.gate_state import state_path
    from nbaprops.markers import write_marker

    store, config = gated
    _gate(config)
    passed = state_path(config["paths"]["markers"]).read_bytes()
    store.delete("v1/predictions/2022-11-10.json")
    report = next(k for k in store.list_keys() if "/game-report/2022-11-10.json" in k)
    store.write_json("v1/players/nobody/game-report/2022-11-10.json", store.read_bytes(report))
    key = "v1/results/2022-11-09.json"
    store.write_json(key, store.read_bytes(key).replace(b'"game_date":"2022-11-09"', b'"game_date":"2022-11-08"'))
    path = Path(config["paths"]["markers"]) / "exports" / "dates" / f"{START}_{D1}.json"
    write_marker(path, {**read_marker(path), "seconds": 0.5})  # its job ran again, recording the old bytes
    ok, text, how = _gate(config)
    assert not ok and how.startswith("Checked what changed since the last passing gate: 1 changed export markers")
    assert (False, text) == _gate(config, state=False)[:2]
    for problem in ("Missing (1): 2022-11-10", "   v1/players/nobody/game-report/2022-11-10.json\n",
                    f"   {key}: "):
        assert problem in text
    assert state_path(config["paths"]["markers"]).read_bytes() == passed  # a failing gate leaves the state


def test_a_changed_basis_or_a_gone_marker_checks_in_full(gated, monkeypatch):
    from nbaprops.exporters import gate_state

    store, config = gated
    _gate(config)
    monkeypatch.setattr(gate_state, "schemas_digest", lambda: "other schemas")
    assert _gate(config)[2] == "Checked in full (changed since the last passing gate: schemas)"
    monkeypatch.undo()
    _gate(config)
    (Path(config["paths"]["markers"]) / "exports" / "dates" / f"{START}_{D1}.json").unlink()
    ok, text, how = _gate(config)
    assert how == (f"Checked in full (1 export markers are gone since the last passing gate (e.g. "
                   f"exports/dates/{START}_{D1}.json))")
    assert not ok and "❌ Per-date objects no export job wrote" in text
