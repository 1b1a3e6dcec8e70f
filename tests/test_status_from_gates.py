"""The HTML report's rule takes the tables' counts from passed gate markers of its range."""
from __future__ import annotations

import datetime as dt
import json

from nbaprops.catalogue import PHASE_TABLES
from nbaprops.status import passed_gate_tables

START, END = dt.date(2024, 1, 1), dt.date(2024, 1, 31)


def table_row(table: str) -> dict:
    return {"table": table, "expected": 20, "present": 20, "rows": 4000 + len(table), "missing": [],
            "unexpected": [], "duplicate_keys": 0, "missing_built": [], "remedies": [], "ok": True, "invariants": []}


def write_gate(root, phase: int, **changes) -> None:
    doc = {"phase": phase, "ok": True, "start": START.isoformat(), "end": END.isoformat(),
           "bootstrap_dates_excluded": 2, "tables": [table_row(t) for t in PHASE_TABLES[phase]], **changes}
    (root / "gates").mkdir(parents=True, exist_ok=True)
    (root / "gates" / f"phase{phase}.json").write_text(json.dumps(doc))


def test_a_passed_gate_of_the_same_range_gives_every_table_its_counts(tmp_path):
    write_gate(tmp_path, 4)
    rows = passed_gate_tables(str(tmp_path), 4, START, END)
    assert [r["report"].table for r in rows] == list(PHASE_TABLES[4])
    first = rows[0]["report"]
    assert (first.expected, first.present, first.rows, first.duplicate_keys, first.ok) == (
        20, 20, 4000 + len(PHASE_TABLES[4][0]), 0, True)
    assert {r["phase"] for r in rows} == {4} and {r["bootstrap_skipped"] for r in rows} == {2}


def test_anything_else_is_counted_again(tmp_path):
    assert passed_gate_tables(str(tmp_path), 3, START, END) is None  # no gate marker
    write_gate(tmp_path, 3, ok=False)
    assert passed_gate_tables(str(tmp_path), 3, START, END) is None  # failed
    write_gate(tmp_path, 3, end="2024-01-30")
    assert passed_gate_tables(str(tmp_path), 3, START, END) is None  # another range
    write_gate(tmp_path, 3, tables=[table_row(t) for t in PHASE_TABLES[3][1:]])
    assert passed_gate_tables(str(tmp_path), 3, START, END) is None  # a table missing
    (tmp_path / "gates" / "phase3.json").write_text("{not json")
    assert passed_gate_tables(str(tmp_path), 3, START, END) is None
