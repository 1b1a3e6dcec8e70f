"""Config validation: defaults fill in, every bad value is one sentence naming the key."""
import pytest

from nbaprops.config import ConfigError, load, validate


def base(**over):
    doc = {"start_date": "2021-10-19", "end_date": "2026-01-03"}
    doc.update(over)
    return doc


def test_project_default_config_is_valid():
    config = load()
    assert config["backend"] == "duckdb" and config["raw"]["source"] == "demo"
    assert config["chunk"] == "auto"


def test_defaults_are_filled_and_dates_normalised():
    import datetime as dt

    config = validate({"start_date": dt.date(2022, 1, 1), "end_date": dt.date(2022, 2, 1)})
    assert config["start_date"] == "2022-01-01"
    assert config["paths"] == {"warehouse": "warehouse", "markers": "markers", "logs": "logs", "models": "models"}
    assert config["raw"] == {"source": "demo", "seed": 2021, "path": None, "bad_values": "error", "as_of": None}


@pytest.mark.parametrize("override, message", [
    ({"chunk": "year"}, "config key 'chunk' is 'year'; allowed values: day, week, month, season, auto"),
    ({"end_date": "tomorrow"}, "config key 'end_date' is 'tomorrow'; expected the last game date to build: a date "
                               "like 2021-10-19, or today (the date in US/Eastern when the run starts)"),
    ({"end_date": "2022-02-30"}, "config key 'end_date' is '2022-02-30'; expected a date like 2021-10-19"),
    ({"start_date": "2021-13-01"}, "config key 'start_date' is '2021-13-01'; expected a date like 2021-10-19"),
    ({"backend": "postgres"}, "config key 'backend' is 'postgres'; allowed values: duckdb, bigquery"),
    ({"raw": {"source": "x"}}, "config key 'raw.source' is 'x'; allowed values: demo, files, bigquery"),
    ({"raw": {"seed": "abc"}}, "config key 'raw.seed' is 'abc'; expected integer"),
    ({"colour": "red"}, "config has unknown key(s) ['colour']"),
    ({"start_date": "2022-01-01", "end_date": "2021-01-01"}, "config 'start_date' (2022-01-01) is after 'end_date' (2021-01-01)"),
    ({"raw": {"source": "files"}}, "config 'raw.source' is 'files' but 'raw.path' is not set"),
    ({"raw": {"source": "files", "path": "/no/such/folder"}}, "config 'raw.path' is '/no/such/folder', which is not a folder"),
    ({"raw": {"source": "bigquery"}}, "config 'raw.source' is 'bigquery', which needs 'backend: bigquery'"),
    ({"backend": "bigquery"}, "config 'backend' is 'bigquery' but 'bigquery.project' is not set"),
    ({"storage": {"backend": "gcs"}}, "config 'storage.backend' is 'gcs' but 'storage.bucket' is not set"),
    ({"storage": {"backend": "s3"}}, "config key 'storage.backend' is 's3'; allowed values: local, gcs"),
])
def test_bad_values_name_the_key(override, message):
    with pytest.raises(ConfigError) as err:
        validate(base(**override))
    assert message in str(err.value)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("start_date: [unclosed")
    with pytest.raises(ConfigError, match="is not valid YAML"):
        load(bad)


def test_overrides_and_settings_replace_only_the_keys_they_name(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("start_date: 2021-10-19\nend_date: 2022-01-31\nstorage: {backend: local, path: out}\n"
                    "bigquery: {datasets: {nba_raw: raw_a, nba_analytics: analytics_a}}\n")
    config = load(path, overrides={"chunk": "week", "bigquery": {"datasets": {"nba_raw": "raw_b"}}},
                  settings=["storage.prefix=site", "end_date=2021-12-31", "raw.seed=7"])
    assert (config["chunk"], config["end_date"], config["raw"]["seed"]) == ("week", "2021-12-31", 7)
    assert config["storage"]["path"] == "out" and config["storage"]["prefix"] == "site"
    assert config["bigquery"]["datasets"]["nba_raw"] == "raw_b"
    assert config["bigquery"]["datasets"]["nba_analytics"] == "analytics_a"
    with pytest.raises(ConfigError, match="--set 'chunk': expected key=value"):
        load(path, settings=["chunk"])


def test_end_date_today_is_the_date_in_new_york_when_validated():
    import datetime as dt

    utc = dt.timezone.utc
    assert validate(base(end_date="today"), now=dt.datetime(2026, 1, 4, 4, 59, tzinfo=utc))["end_date"] == "2026-01-03"
    assert validate(base(end_date="today"), now=dt.datetime(2026, 1, 4, 5, 0, tzinfo=utc))["end_date"] == "2026-01-04"
    # summer time: New York is UTC-4
    assert validate(base(end_date="today"), now=dt.datetime(2025, 7, 1, 3, 59, tzinfo=utc))["end_date"] == "2025-06-30"
