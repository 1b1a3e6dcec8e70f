"""5B/5C SQL against their contracts: declared reads, empty inputs, distinct CTE columns, a sufficient
lookback, and a feedback loop without cycles (reads form a DAG; 5A never reads grading)."""
import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from test_phase4_contracts import tables_read
from test_phase4_support import build, warehouse
from test_phase5_grading_support import GRADING_ORDER, PA, PPP, STA, predicted, random_grading

from nbaprops.contracts import load_contract

START, END = dt.date(2022, 11, 1), dt.date(2022, 11, 30)


@pytest.mark.parametrize("table", GRADING_ORDER)
def test_reads_declare_exactly_the_tables_the_sql_reads(table):
    contract = load_contract(table)
    assert tables_read(contract.sql()) == {r.table for r in contract.reads}


@pytest.mark.parametrize("table", GRADING_ORDER)
def test_runs_on_empty_inputs(tmp_path, table):
    wh = warehouse(tmp_path, {PPP: []})
    assert build(wh, table, START, END).empty


@pytest.mark.parametrize("table", GRADING_ORDER)
def test_no_step_has_duplicate_column_names(tmp_path, table):
    """BigQuery rejects a CTE with two columns of one name; DuckDB silently renames the second."""
    sql = load_contract(table).sql()
    wh = warehouse(tmp_path, {PPP: []})
    for step in re.findall(r"^(\w+) as \($", sql, re.MULTILINE):
        columns = list(wh.query(sql.replace("select * from final", f"select * from {step} limit 0"),
                                {"start_date": START, "end_date": END}).columns)
        renamed = [c for c in columns if re.fullmatch(r".+_\d+", c) and re.sub(r"_\d+$", "", c) in columns]
        assert not renamed, f"{table}: {step} repeats {renamed}"


def test_declared_lookback_is_enough(tmp_path):
    """Tier adjustments of a chunk built from only the grading its contract declares equal those built
    from everything (the rule's inputs are exactly those chunks)."""
    rows = pd.DataFrame(random_grading(np.random.default_rng(3), START, range(-50, 60)))
    in_range = rows[(pd.to_datetime(rows.game_date).dt.date >= START) & (pd.to_datetime(rows.game_date).dt.date <= END)]
    base = predicted(in_range.to_dict("records"))
    everything = build(warehouse(tmp_path / "all", {PA: rows.to_dict("records"), PPP: base}), STA, START, END)
    (read,) = [r for r in load_contract(STA).reads if r.table == PA]
    dates = pd.to_datetime(rows.game_date).dt.date
    declared = rows[(dates >= START - dt.timedelta(days=read.lookback_days)) & (dates <= END)]
    alone = build(warehouse(tmp_path / "declared", {PA: declared.to_dict("records"), PPP: base}), STA, START, END)
    assert len(alone) > 0
    # Float sums depend on scan order (the two warehouses hold the rows in different files), so a
    # value rounded to 2 decimals may land one unit apart; anything more is a lookback bug.
    pd.testing.assert_frame_equal(alone, everything, check_dtype=False, check_exact=False, rtol=0, atol=0.0101)


def test_reads_form_a_dag_from_the_base_predictions():
    contracts = {t: load_contract(t) for t in (PPP, *GRADING_ORDER)}
    edges = {t: {r.table for r in c.reads if r.table in contracts and r.table != t} for t, c in contracts.items()}
    assert not edges[PPP], "the base predictions must not read grading (5A stays parallel)"
    done: set[str] = set()
    while len(done) < len(edges):
        ready = {t for t, deps in edges.items() if t not in done and deps <= done}
        assert ready, f"cycle among {sorted(set(edges) - done)}"
        done |= ready
