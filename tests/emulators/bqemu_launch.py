"""Start bqemulator with two declared corrections; run by the emulator venv's Python:

    .venv-bqemu/bin/python tests/emulators/bqemu_launch.py start --rest-port … (bqemulator's CLI)

Each correction makes the emulator do what BigQuery does where bqemulator 1.4.0 does not, so the
tests exercise nbaprops' real code paths (declared in ``emulators.DIVERGENCES``):

``parameter_binding``
    bqemulator binds named query parameters by a regular expression over the translated SQL, so
    an ``@start_date`` inside a comment counts as a placeholder ("Parameter argument/count
    mismatch" on every Phase 3 SQL file, whose header comments name their parameters), and it
    binds none inside multi-statement scripts ("Values were not provided for the following
    prepared statement parameters"; nbaprops replaces a range with one parameterised script).
    The launcher wraps the job entry point: every named parameter a request carries is written
    into the statement as a typed BigQuery literal before bqemulator sees it. Clients still send
    real query parameters, so nbaprops' parameter typing is exercised end to end.

``round_float_ties``
    bqemulator runs BigQuery's ROUND(x, d) as DuckDB 1.5.5's, which multiplies x by 10^d in
    double precision, so 30 + 57/60 (stored as 30.94999…) rounds to 31.0 where BigQuery gives
    30.9 (GoogleSQL's RoundDecimal divides in long double; DuckDB 2.0.1, the embedded backend,
    agrees). Left alone, that one-step difference spreads through every sum and average of
    rounded minutes. A macro shadows ROUND on the emulator's database: it rounds the decimal
    value of x (17 significant digits) half away from zero, as BigQuery does; on a sweep of
    20,000 values it agrees with DuckDB 2.0.1's ROUND everywhere.
"""
from __future__ import annotations

import json
import re
import sys

import bqemulator.api.routes.jobs as job_routes
import bqemulator.jobs.executor as executor
import bqemulator.sql.builtin_udfs as builtin_udfs
from bqemulator.cli import main

# ------------------------------------------------------------------------------- round_float_ties
_DECIMAL_ROUND = "CAST(system.main.round(CAST(printf('%.17e', CAST(x AS DOUBLE)) AS DECIMAL(38, 18)), d) AS DOUBLE)"
# -abs(...) keeps the sign of a negative value rounded to zero (-0.0), as BigQuery and DuckDB 2.0.1 do.
ROUND_LIKE_BIGQUERY = f"""
CREATE OR REPLACE MACRO round(x) AS system.main.round(x),
    (x, d) AS CASE WHEN x < 0 THEN -abs({_DECIMAL_ROUND}) ELSE {_DECIMAL_ROUND} END
"""

_register_builtin_udfs = builtin_udfs.register_builtin_udfs


def register_with_corrections(connection) -> None:
    _register_builtin_udfs(connection)
    connection.execute(ROUND_LIKE_BIGQUERY)


# ------------------------------------------------------------------------------- parameter_binding
_QUOTED = {"DATE", "DATETIME", "TIME", "TIMESTAMP", "NUMERIC", "BIGNUMERIC", "JSON"}


def literal(parameter_type: dict, parameter_value: dict | None) -> str:
    """A BigQuery literal for one REST ``QueryParameter`` (scalar or array)."""
    type_ = parameter_type["type"]
    if type_ == "ARRAY":
        element_type = parameter_type["arrayType"]
        values = (parameter_value or {}).get("arrayValues") or []
        items = ", ".join(literal(element_type, v) for v in values)
        return f"ARRAY<{element_type['type']}>[{items}]"
    value = (parameter_value or {}).get("value")
    if value is None:
        return f"CAST(NULL AS {type_})"
    if type_ == "STRING":
        return json.dumps(value)  # double-quoted, escaped as BigQuery reads it
    if type_ in _QUOTED:
        return f"{type_} {json.dumps(value)}"
    if type_ == "BOOL":
        return "TRUE" if str(value).lower() == "true" else "FALSE"
    if type_ == "FLOAT64":
        return f"CAST({json.dumps(value)} AS FLOAT64)"  # also nan / inf
    return str(int(value))


def inline_parameters(sql: str, query_params: list[dict]) -> str:
    values = {p["name"]: literal(p["parameterType"], p.get("parameterValue")) for p in query_params}
    return re.sub(r"@(\w+)\b", lambda m: values.get(m.group(1), m.group(0)), sql)


_execute_query_job = executor.execute_query_job


async def execute_query_job_with_inlined_parameters(project_id, job_id, bq_sql, query_params=None, *args,
                                                    **kwargs):
    if query_params and all(p.get("name") for p in query_params):
        bq_sql, query_params = inline_parameters(bq_sql, query_params), None
    return await _execute_query_job(project_id, job_id, bq_sql, query_params, *args, **kwargs)


builtin_udfs.register_builtin_udfs = register_with_corrections
executor.execute_query_job = execute_query_job_with_inlined_parameters
job_routes.execute_query_job = execute_query_job_with_inlined_parameters

if __name__ == "__main__":
    sys.exit(main())
