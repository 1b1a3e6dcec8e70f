"""Load and validate the configuration (config/config.yaml against config/schema.yaml).

One implementation serves the Snakefile and the CLI. A bad value gives one sentence naming the
key, the value and what is allowed.
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any, Mapping, Sequence

from zoneinfo import ZoneInfo

import jsonschema
import yaml

from nbaprops import yamltext
from nbaprops.paths import CONFIG_DIR

DEFAULT_CONFIG = CONFIG_DIR / "config.yaml"
LOCAL_CONFIG = Path("config/config.yaml")  # relative: the working directory's, as Snakemake reads it
SCHEMA = CONFIG_DIR / "schema.yaml"


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key."""


# Game dates are the league's: US/Eastern. 10 p.m. in Los Angeles is already tomorrow in UTC.
LEAGUE_TIMEZONE = ZoneInfo("America/New_York")
TODAY = "today"  # end_date's word for the current date


def today(now: dt.datetime | None = None) -> dt.date:
    """The league's date now (or at ``now``, an aware datetime): today in US/Eastern."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(LEAGUE_TIMEZONE).date()


def resolve_date(value: Any, now: dt.datetime | None = None) -> dt.date:
    """A configured date: ``today`` is :func:`today`, anything else an ISO date (a date object passes)."""
    if isinstance(value, dt.date):
        return value
    return today(now) if value == TODAY else dt.date.fromisoformat(str(value))


def _normalise(value: Any) -> Any:
    """YAML and Snakemake's --config turn 2021-10-19 into a date; the schema speaks strings."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _apply_defaults(schema: Mapping, value: Any) -> Any:
    if schema.get("type") != "object" or not isinstance(value, dict):
        return value
    for key, sub in schema.get("properties", {}).items():
        if key not in value and "default" in sub:
            value[key] = copy.deepcopy(sub["default"])
        if key in value:
            value[key] = _apply_defaults(sub, value[key])
    return value


def _key_path(error: jsonschema.ValidationError) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(top level)"


def _sentence(error: jsonschema.ValidationError) -> str:
    key = _key_path(error)
    if error.validator == "enum":
        return f"config key '{key}' is {error.instance!r}; allowed values: {', '.join(map(str, error.validator_value))}"
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = "config" if key == "(top level)" else f"config section '{key}'"
        return f"{where} has unknown key(s) {unknown}; allowed: {', '.join(error.schema.get('properties', {}))}"
    if error.validator == "required":
        where = "config" if key == "(top level)" else f"config entry '{key}'"
        return f"{where} is missing a required key: {error.message}"
    if error.validator in ("pattern", "minLength") and error.schema.get("description"):
        return f"config key '{key}' is {error.instance!r}; expected {error.schema['description']}"
    if error.validator == "format":
        return f"config key '{key}' is {error.instance!r}; expected a date like 2021-10-19"
    if error.validator == "type":
        return f"config key '{key}' is {error.instance!r}; expected {error.validator_value}"
    if error.validator == "pattern" and "x-rule" in error.schema:  # an identifier breaking BigQuery's rules
        if "propertyNames" in error.relative_schema_path:
            return f"config key '{key}' has the name {error.instance!r}; {error.schema['x-rule']}"
        return f"config key '{key}' is {error.instance!r}; {error.schema['x-rule']}"
    if error.validator == "maxProperties":
        return f"config key '{key}' has {len(error.instance)} entries; at most {error.validator_value} are allowed"
    return f"config key '{key}': {error.message}"


def _check_date(config: dict, key: str, now: dt.datetime | None = None) -> dt.date:
    """The date of ``key``, written back as ISO text (``today`` resolved once, here, so every job
    of a run sees the same end_date even when the run crosses midnight)."""
    try:
        day = resolve_date(config[key], now)
    except ValueError:
        raise ConfigError(f"config key '{key}' is {config[key]!r}; expected a date like 2021-10-19") from None
    config[key] = day.isoformat()
    return day


def validate(config: Mapping, now: dt.datetime | None = None) -> dict:
    """A validated copy of ``config`` with defaults filled in and ``end_date: today`` resolved
    (at ``now``, default the clock) to the date in US/Eastern (raises ConfigError)."""
    schema = yamltext.safe_load(SCHEMA.read_text())
    value = _apply_defaults(schema, _normalise(dict(config)))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        raise ConfigError(_sentence(errors[0]))
    start, end = _check_date(value, "start_date"), _check_date(value, "end_date", now)
    if start > end:
        raise ConfigError(f"config 'start_date' ({start}) is after 'end_date' ({end})")
    raw = value["raw"]
    if raw["source"] == "files":
        if not raw.get("path"):
            raise ConfigError("config 'raw.source' is 'files' but 'raw.path' is not set; name the folder of raw files")
        if not Path(raw["path"]).is_dir():
            raise ConfigError(f"config 'raw.path' is {raw['path']!r}, which is not a folder")
    if raw.get("as_of") is not None and raw["source"] != "demo":
        raise ConfigError(f"config 'raw.as_of' is {raw['as_of']!r} but 'raw.source' is {raw['source']!r}; "
                          f"as_of only applies to the demo league (a real source says by itself which "
                          f"games are final): remove it or set raw.source: demo")
    if raw["source"] == "bigquery" and value["backend"] != "bigquery":
        raise ConfigError("config 'raw.source' is 'bigquery', which needs 'backend: bigquery'")
    if value["storage"]["backend"] == "gcs" and not value["storage"].get("bucket"):
        raise ConfigError("config 'storage.backend' is 'gcs' but 'storage.bucket' is not set")
    if value["backend"] == "bigquery" and not value["bigquery"].get("project"):
        raise ConfigError("config 'backend' is 'bigquery' but 'bigquery.project' is not set")
    return value


def _settings(items: Sequence[str]) -> dict:
    """``--set`` items (``key.sub=value``, the value read as YAML) as nested overrides."""
    overrides: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set {item!r}: expected key=value")
        target = overrides
        *parents, leaf = key.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = yamltext.safe_load(value)
    return overrides


def _merge(base: dict, overrides: Mapping) -> dict:
    """``overrides`` on ``base``: a section given in part keeps the keys it does not name."""
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def load(path: str | Path | None = None, overrides: Mapping | None = None,
         settings: Sequence[str] | None = None) -> dict:
    """Read a config file, apply overrides, validate: how every command gets its configuration.

    ``path`` defaults to config/config.yaml of the working directory if there is one, else the
    project's. ``overrides`` is a mapping, ``settings`` the command line's ``--set key.sub=value``
    items; either replaces only the keys it names."""
    if path is None:
        path = LOCAL_CONFIG if LOCAL_CONFIG.exists() else DEFAULT_CONFIG
    path = Path(path)
    try:
        doc = yamltext.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from None
    _merge(doc, overrides or {})
    _merge(doc, _settings(settings or ()))
    return validate(doc)


def start_end(config: Mapping, start: dt.date | None = None, end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The range a command works on: ``start`` and ``end`` where given, else the configured ones
    (``end_date: today`` is today in US/Eastern)."""
    return (start or resolve_date(config["start_date"]), end or resolve_date(config["end_date"]))
