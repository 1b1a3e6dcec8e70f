"""BigQuery identifiers in the config (project, dataset names, labels) follow BigQuery's naming
rules, checked on load, before any SQL is rendered with them; a violation is one sentence naming
the key."""
import pytest

from nbaprops.config import ConfigError, validate

BASE = {"start_date": "2022-10-18", "end_date": "2022-11-13"}
PROJECT_RULE = "a BigQuery project ID is 6 to 30 lowercase letters"


def check(bigquery: dict) -> str:
    with pytest.raises(ConfigError) as err:
        validate({**BASE, "bigquery": bigquery})
    return str(err.value)


@pytest.mark.parametrize("project", ["My_Project", "abc", "1project", "my-project-", "a" * 31,
                                     "proj`; drop table x; --"])
def test_bad_project_ids_name_the_key(project):
    assert check({"project": project}) == (
        f"config key 'bigquery.project' is {project!r}; {PROJECT_RULE}, digits and hyphens, starting with a "
        f"letter and not ending with a hyphen (optionally after a domain and a colon: example.com:my-project)")


@pytest.mark.parametrize("project", ["my-project-1", "nbaprops", "example.com:my-proj", "a" * 30])
def test_good_project_ids_pass(project):
    assert validate({**BASE, "bigquery": {"project": project}})["bigquery"]["project"] == project


def test_dataset_names_and_their_logical_names():
    assert check({"datasets": {"nba_raw": "prod-raw"}}) == (
        "config key 'bigquery.datasets.nba_raw' is 'prod-raw'; a BigQuery dataset name is 1 to 1,024 letters, "
        "digits and underscores")
    assert check({"datasets": {"nba raw": "prod_raw"}}).startswith(
        "config key 'bigquery.datasets' has the name 'nba raw'; ")
    assert validate({**BASE, "bigquery": {"datasets": {"nba_raw": "Prod_Raw_2"}}})["bigquery"]["datasets"] == \
        {"nba_raw": "Prod_Raw_2"}


def test_labels_keys_and_values():
    assert check({"labels": {"Team": "x"}}) == (
        "config key 'bigquery.labels' has the name 'Team'; a BigQuery label key is 1 to 63 lowercase letters, "
        "digits, underscores and hyphens, starting with a letter")
    assert check({"labels": {"team": "Data Eng"}}) == (
        "config key 'bigquery.labels.team' is 'Data Eng'; a BigQuery label value is at most 63 lowercase "
        "letters, digits, underscores and hyphens")
    assert check({"labels": {f"k{i}": "v" for i in range(65)}}) == \
        "config key 'bigquery.labels' has 65 entries; at most 64 are allowed"
    assert validate({**BASE, "bigquery": {"labels": {"app": "nbaprops", "team": "data-eng", "empty": ""}}})
