"""The HTML report on a real small pipeline state: its content, its determinism, what it says when
data is missing or a job failed, and the page as headless Chromium renders it (screenshot kept
as test-artifacts/report.png)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import argparse
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import E2E_RANGE, REPO, snakemake
from nbaprops import runhistory
from nbaprops.catalogue import PHASE_TABLES
from nbaprops.config import validate
from nbaprops.contracts import load_contract
from nbaprops.cli import cmd_report_html
from nbaprops.report.html import render_html, write_html_report
from nbaprops.report.render.page import SECTIONS
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
START, END = (dt.date.fromisoformat(d) for d in E2E_RANGE)
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARTIFACTS = REPO / "test-artifacts"
ALL_TABLES = [t for tables in PHASE_TABLES.values() for t in tables]


@contextlib.contextmanager
def inside(folder: Path):
    """Run in ``folder`` as the CLI and the rule do: the config's paths are relative to it."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def e2e_config() -> dict:
    import yaml

    base = yaml.safe_load((REPO / "config/config.yaml").read_text())
    return validate({**base, "start_date": E2E_RANGE[0], "end_date": E2E_RANGE[1], "chunk": "week"})


def render(workdir: Path, start=START, end=END) -> str:
    with inside(workdir):
        wh = DuckDBWarehouse("warehouse")
        try:
            return render_html(wh, e2e_config(), start, end, output_dir="reports")
        finally:
            wh.close()


class _Rows(HTMLParser):
    """The heatmap's rows (data-table) and the cell classes of each."""

    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.hrefs: list[str] = []
        self.in_row = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-table" in attrs:
            self.rows.append((attrs["data-table"], []))
            self.in_row = True
        elif tag == "td" and self.in_row and attrs.get("class") != "sum":
            self.rows[-1][1].extend([attrs["class"].split()[0]] * int(attrs.get("colspan", 1)))
        elif tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "tr":
            self.in_row = False


def parse(html: str) -> _Rows:
    parser = _Rows()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def report_dir(pipeline_workdir, tmp_path_factory) -> Path:
    """A copy of the finished pipeline with reports/index.html written by the report's own writer."""
    target = tmp_path_factory.mktemp("report") / "work"
    shutil.copytree(pipeline_workdir, target, ignore=shutil.ignore_patterns(".snakemake"))
    with inside(target):
        write_html_report(e2e_config(), "reports/index.html", generated="2000-01-01 00:00 UTC")
    return target


def test_report_has_every_section_a_heatmap_row_per_table_and_the_known_numbers(report_dir):
    html = (report_dir / "reports/index.html").read_text()
    for key, title in SECTIONS:
        assert f'<section id="{key}"><h2>{title}' in html
    assert "could not be read" not in html
    assert "<script" not in html.lower() and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")

    rows = parse(html).rows
    assert [table for table, _ in rows] == ALL_TABLES  # one season: one block, one row per table
    gate3 = json.loads((report_dir / "markers/gates/phase3.json").read_text())
    n_dates = gate3["expected_dates"]
    assert all(len(cells) == n_dates for _, cells in rows)  # no date outside the schedule
    by_table = dict(rows)
    assert set(by_table["nba_analytics.player_game_summary"]) == {"p"}
    phase4 = by_table["nba_precompute.player_daily_cache"]
    assert phase4[:14] == ["b"] * 14 and set(phase4[14:]) == {"p"}  # the season opener's bootstrap days
    assert f"{n_dates}/{n_dates}" in html

    # Timings: four weekly jobs per table, from the benchmark files; the run history's phases.
    assert re.search(r"player_game_summary</td><td class=\"r\">4</td>", html)
    assert "Phase 3 analytics" in html and "Raw load" in html

    # Accuracy: the numbers of the pipeline's own accuracy report, and the reference rows.
    report = json.loads((report_dir / "reports/accuracy.json").read_text())
    ensemble = next(r for r in report["rows"] if r["season"] == "all" and r["name"] == "ensemble_v1")
    assert f"{ensemble['mae']:.3f}" in html
    assert "bookmaker_line" in html and "MAE on player-games with a real line" in html and "Calibration" in html
    # like with like (D14): the headline's ensemble MAE is on the lined player-games, beside the line's
    assert f"Ensemble MAE, lined games</div><div class=\"v\">{ensemble['mae_on_line_games']:.2f}" in html
    assert "Betting record" in html and "Ensemble ROI" in html
    assert "<polyline" in html and "Hit rate on real lines" in html
    assert "generated 2000-01-01 00:00 UTC" in html


def test_the_same_state_gives_the_same_bytes(report_dir):
    first = render(report_dir)
    assert render(report_dir) == first
    assert "generated" not in first.split("<footer>")[1]


def test_a_range_without_data_says_so_in_every_section(report_dir):
    html = render(report_dir, dt.date(2022, 7, 1), dt.date(2022, 7, 31))  # the off-season
    assert "No game dates in this range" in html
    assert "No graded predictions in this range yet" in html
    assert "No jobs in the run history for this range yet" in html
    assert "could not be read" not in html


def test_a_missing_date_a_failed_job_and_exports_are_shown(report_dir, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(report_dir, work)
    wh = DuckDBWarehouse(work / "warehouse")
    contract = load_contract("nba_analytics.player_game_summary")
    victim = wh.dates_present(contract, START, END)[3]
    wh.replace_range(contract, victim, victim, wh.query(f"select * from {contract.table} where false"))
    chunk = "2022-10-24_2022-10-30"
    run = runhistory.RunRecord("nba_analytics.team_offense_game_summary", "phase_3_analytics",
                               dt.date(2022, 10, 24), dt.date(2022, 10, 30), chunk_id=chunk)
    runhistory.record(wh, run, "failed", errors=[{"error_type": "JobError", "error_message": "boom: disk full"}])
    wh.close()
    (work / "exports").mkdir(exist_ok=True)
    for key in ("v1/results/2022-11-13.json", "v1/results/latest.json", "v1/status.json"):
        (work / "exports" / key).parent.mkdir(parents=True, exist_ok=True)
        (work / "exports" / key).write_text("{}")

    html = render(work)
    rows = dict(parse(html).rows)
    assert rows["nba_analytics.player_game_summary"].count("m") == 1
    assert f"missing 1: {victim.isoformat()}" in html
    assert "boom: disk full" in html and "Incomplete" in html
    hrefs = parse(html).hrefs
    log = f"../logs/nba_analytics/team_offense_game_summary/{chunk}.log"
    assert log in hrefs and (work / "reports" / log).resolve().exists()
    assert "../exports/v1/results/latest.json" in hrefs and "../exports/v1/status.json" in hrefs
    assert all((work / "reports" / h).exists() for h in hrefs if h.startswith("../exports/v1/") and h.endswith(".json"))
    assert "No exports yet" not in html


def test_the_command_writes_the_page_for_a_date_range(pipeline_copy, capsys):
    args = argparse.Namespace(configfile=str(REPO / "config/config.yaml"), set=["chunk=week"],
                              output="out/custom.html", start_date=dt.date(2022, 11, 1), end_date=END)
    with inside(pipeline_copy):
        assert cmd_report_html(args) == 0
    html = (pipeline_copy / "out/custom.html").read_text()
    assert "2022-11-01 .. 2022-11-13" in html and "<footer>generated " in html
    assert dict(parse(html).rows)["nba_analytics.player_game_summary"] == ["p"] * 13
    assert "wrote out/custom.html" in capsys.readouterr().out


def test_the_report_html_rule_runs_after_the_gates_and_the_accuracy_report(pipeline_copy):
    """rules/reporting.smk, included by the Snakefile: on a finished pipeline only the report runs."""
    out = snakemake(pipeline_copy, "reports/index.html")
    assert "report_html" in out.stdout + out.stderr
    html = (pipeline_copy / "reports/index.html").read_text()
    assert all(f'<section id="{key}">' for key, _ in SECTIONS) and "could not be read" not in html
    assert (pipeline_copy / "logs/reports/index.log").exists()


def chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--hide-scrollbars", *args],
            capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`make chromium` installs Debian's package)")
def test_headless_chromium_renders_the_report(report_dir, tmp_path):
    page = (report_dir / "reports/index.html").resolve()
    dom = chromium("--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    for _, title in SECTIONS:
        assert f"<h2>{title}" in dom.stdout
    assert dom.stdout.count("<tr data-table=") == len(ALL_TABLES)
    assert dom.stdout.count("<svg") >= 2  # MAE bars and calibration lines

    shot = tmp_path / "report.png"
    out = chromium(f"--screenshot={shot}", "--window-size=1400,3000", page.as_uri())
    assert out.returncode == 0 and shot.exists(), out.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "report.png")


def test_export_links_put_aliases_first_then_the_newest_dates(tmp_path):
    from nbaprops.report.collect.exports import export_listing
    from nbaprops.report.render.exports import _link_priority

    root = tmp_path / "exports" / "v1"
    for key in ("results/2022-11-12.json", "results/latest.json", "results/2022-11-13.json", "status.json",
                "players/index.json", "players/anna/season/2022-23.json", "players/anna.json"):
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_text("{}")
    listing = export_listing({"storage": {"backend": "local", "path": str(tmp_path / "exports")}})
    assert listing["groups"] == {
        "(top level)": ["status.json"],
        "players": ["players/anna.json", "players/anna/season/2022-23.json", "players/index.json"],
        "results": ["results/2022-11-12.json", "results/2022-11-13.json", "results/latest.json"]}
    assert sorted(listing["groups"]["results"], key=_link_priority) == [
        "results/latest.json", "results/2022-11-13.json", "results/2022-11-12.json"]
    assert sorted(listing["groups"]["players"], key=_link_priority) == [
        "players/index.json", "players/anna.json", "players/anna/season/2022-23.json"]


def test_benchmark_files_are_read_as_text_last_row_numbers_and_empty_cells(tmp_path):
    from nbaprops.report.collect.timings import benchmark_timings

    head = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
    files = {"nba_analytics/player_game_summary/2022-11-01_2022-11-30.tsv": "9.5\t0:00:09\t100.0\t1\t1\t1\t0\t0\t1\t8\n"
             "1.25\t0:00:01\t246.35\t1\t1\t1\t0\t0\t1\t1.5\n",  # a repeat: its last row counts
             "nba_analytics/player_game_summary/2022-12-01_2022-12-31.tsv": "2.5\t0:00:02\tNA\t-\t-\t-\t-\t-\t-\t\n",
             "nba_analytics/player_game_summary/2023-01-01_2023-01-31.tsv": "",  # being written: skipped
             "exports/as_of_end.tsv": "3\t0:00:03\t50\t1\t1\t1\t0\t0\t1\t2\n"}
    for rel, rows in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(head + rows if rows else head)
    assert benchmark_timings(tmp_path, dt.date(2022, 10, 1), dt.date(2023, 6, 30)) == [
        {"phase": "Phase 3", "rule": "nba_analytics.player_game_summary", "jobs": 2, "total": 3.75, "mean": 1.875,
         "slowest": "2022-12-01_2022-12-31", "slowest_seconds": 2.5, "max_rss": 246.35, "cpu": 1.5},
        {"phase": "Phase 6", "rule": "exports", "jobs": 1, "total": 3.0, "mean": 3.0, "slowest": "as_of_end",
         "slowest_seconds": 3.0, "max_rss": 50.0, "cpu": 2.0}]


def test_the_report_reads_each_tables_dates_once():
    from nbaprops.report.collect.page import DatesOnce

    class Warehouse:
        backend = "duckdb"
        calls = []

        def dates_present(self, contract, start, end):
            self.calls.append((contract.table, start, end))
            return [start]

    contract = type("Contract", (), {"table": "nba_analytics.player_game_summary", "date_column": "game_date"})()
    wh = DatesOnce(Warehouse())
    first, last = dt.date(2022, 11, 1), dt.date(2022, 11, 30)
    got = wh.dates_present(contract, first, last)
    got.append(last)  # a caller's list is its own
    assert wh.dates_present(contract, first, last) == [first]
    assert wh.dates_present(contract, first, first) == [first]
    assert Warehouse.calls == [(contract.table, first, last), (contract.table, first, first)]
    assert wh.backend == "duckdb"  # everything else is the warehouse's
