"""Production warehouse: BigQuery, date-partitioned tables, one transaction per replaced range.

How the interface maps onto BigQuery (DESIGN §4, bigquery-practice D):

* ``ensure_table`` creates the dataset and a table DAY-partitioned on the contract's date column
  (no partition expiration, DESIGN D9) and clustered by ``cluster_by``. It reads before it creates
  and remembers what it ensured for the life of the process: BigQuery allows about five table
  metadata updates per table per 10 s, and Snakemake runs many jobs against one table.
* ``replace_range`` runs ONE multi-statement script: ``BEGIN TRANSACTION``, DELETE the range,
  INSERT the new rows, ``COMMIT``. A failure anywhere rolls the whole range back. The INSERT's
  rows pass a guard that raises ``ERROR()`` on any row outside the range, so a SELECT that
  forgets its date filter fails the script instead of deleting one range and writing another.
* DataFrames go through a staging table: conformed to the contract, checked to lie inside the
  range, written as Parquet and loaded (a load job, never streaming inserts, whose rows DML cannot
  touch for ~30 min) into a uniquely named table in the same dataset that expires after an hour,
  moved by the same script, then dropped. Staging holds JSON columns as STRING, parsed on the way
  in, because batch loads fill JSON columns only from CSV, Avro or JSON sources
  (https://cloud.google.com/bigquery/docs/json-data#limitations). ``append`` uses the same
  staging load plus one INSERT, for the same reason (run history has JSON columns).
* Every query job carries ``maximum_bytes_billed`` (dry runs excepted: they bill nothing),
  labels, the configured location and a job id prefix ``nbaprops_<dataset>_<table>_<operation>_``;
  the client completes each id with a random suffix, so a resubmitted job never collides with the
  one that failed.
* Each job is submitted and awaited inside :func:`nbaprops.warehouse.retry.run_with_retry`, which
  resubmits the whole job on transient errors and stops at once on fatal ones. Every step is
  idempotent, so a retry after a lost response is safe: the script replaces the same range
  again, staging loads truncate, and ``append`` inserts only rows whose primary key is new.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import numbers
import re
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nbaprops import sqlrender
from nbaprops.contracts import TableContract
from nbaprops.warehouse.base import Closing, WarehouseError
from nbaprops.warehouse.retry import run_with_retry
from nbaprops.warehouse.schema import check_in_range, conform, date_bounds
from nbaprops.warehouse.schema import element_type as array_element

if TYPE_CHECKING:
    from google.cloud import bigquery

log = logging.getLogger(__name__)

T = TypeVar("T")

# Names of the range parameters in generated SQL; a SELECT's own parameters must not reuse them.
RANGE_START, RANGE_END = "nbaprops_range_start", "nbaprops_range_end"
STAGING_LIFETIME = dt.timedelta(hours=1)
MAX_CLUSTER_FIELDS = 4
CLUSTERABLE_TYPES = {"STRING", "INT64", "BOOL", "DATE", "TIMESTAMP"}
MAX_DESCRIPTION = 1024  # BigQuery rejects longer column descriptions
_STANDARD_TYPE = {"INTEGER": "INT64", "FLOAT": "FLOAT64", "BOOLEAN": "BOOL"}  # the API answers legacy names
_COLUMN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,299}")
_LABEL_KEY = re.compile(r"[a-z][a-z0-9_-]{0,62}")
_LABEL_VALUE = re.compile(r"[a-z0-9_-]{0,63}")

# Datasets and tables this process has ensured (ids are project-qualified).
_ENSURED: set[str] = set()


def _bigquery():
    """The ``google.cloud.bigquery`` module, imported on first use so nbaprops loads without it."""
    try:
        from google.cloud import bigquery
    except ImportError as exc:
        raise WarehouseError(
            "backend 'bigquery' needs the google-cloud-bigquery package, which is not importable "
            f"({exc}); install the project with `make install`, or set `backend: duckdb`") from exc
    return bigquery


# ------------------------------------------------------------------------------- parameters
def _plain(value: object) -> object:
    """NumPy scalars as Python ones: the client serialises parameters with the json module."""
    return value.item() if isinstance(value, np.generic) else value


def _parameter_type(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return "TIMESTAMP"
    if isinstance(value, dt.date):
        return "DATE"
    if isinstance(value, numbers.Integral):
        return "INT64"
    if isinstance(value, numbers.Real):
        return "FLOAT64"
    if isinstance(value, str):
        return "STRING"
    raise WarehouseError(f"query parameter @{name}: cannot bind {value!r} ({type(value).__name__}); pass a "
                         "date, datetime, int, float, bool or str, or a list of one of them")


def query_parameters(params: Mapping[str, object] | None) -> list:
    """``@name`` values as BigQuery query parameters: scalars typed from their Python type
    (date → DATE, datetime → TIMESTAMP, int → INT64, float → FLOAT64, bool → BOOL, str → STRING),
    lists and tuples as ARRAY of their elements' type."""
    bq = _bigquery()
    out = []
    for name, value in (params or {}).items():
        if isinstance(value, (list, tuple, np.ndarray)):
            elements = [_plain(v) for v in value]
            types = {_parameter_type(name, v) for v in elements}
            if types == {"INT64", "FLOAT64"}:
                types = {"FLOAT64"}
            if len(types) != 1:
                raise WarehouseError(f"query parameter @{name}: a list needs elements of one type to bind as "
                                     f"an ARRAY, got {sorted(types) if types else 'an empty list'}")
            out.append(bq.ArrayQueryParameter(name, types.pop(), elements))
        else:
            value = _plain(value)
            out.append(bq.ScalarQueryParameter(name, _parameter_type(name, value), value))
    return out


# ------------------------------------------------------------------------------- schema
def _check_contract(contract: TableContract) -> None:
    """Raise if the contract cannot become a partitioned, clustered BigQuery table."""
    problems = [f"column name {c.name!r} is not a BigQuery column name (letters, digits and _, "
                f"not starting with a digit)" for c in contract.columns if not _COLUMN_NAME.fullmatch(c.name)]
    date_type = contract.column(contract.date_column).type
    if date_type != "DATE":
        problems.append(f"date_column {contract.date_column} is {date_type}; tables are partitioned by day "
                        f"on a DATE column")
    if len(contract.cluster_by) > MAX_CLUSTER_FIELDS:
        problems.append(f"cluster_by names {len(contract.cluster_by)} columns; "
                        f"BigQuery allows {MAX_CLUSTER_FIELDS}")
    problems += [f"cluster_by column {name} is {contract.column(name).type}; BigQuery clusters only on "
                 f"{', '.join(sorted(CLUSTERABLE_TYPES))}"
                 for name in contract.cluster_by if contract.column(name).type not in CLUSTERABLE_TYPES]
    if problems:
        raise WarehouseError(f"{contract.path or contract.table} cannot be a BigQuery table: "
                             f"{'; '.join(problems)}")


def schema_fields(contract: TableContract, *, staging: bool = False) -> list:
    """The contract's columns as BigQuery fields: REQUIRED as declared, REPEATED for ``ARRAY<…>``.

    A staging table (``staging=True``) is all NULLABLE, so loads never trip over Parquet's
    nullability (the INSERT into the real table enforces REQUIRED), and holds JSON as STRING.
    """
    bq = _bigquery()
    fields = []
    for col in contract.columns:
        element = array_element(col.type)
        if element:
            type_, mode = element, "REPEATED"
        elif staging:
            type_, mode = ("STRING" if col.type == "JSON" else col.type), "NULLABLE"
        else:
            type_, mode = col.type, ("REQUIRED" if col.required else "NULLABLE")
        # Without a description the key stays unset: passing None would send an explicit null.
        described = {} if staging or not col.description else {"description": col.description[:MAX_DESCRIPTION]}
        fields.append(bq.SchemaField(col.name, type_, mode=mode, **described))
    return fields


def table_definition(contract: TableContract, table_id: str) -> bigquery.Table:
    """The table a contract declares: schema, DAY partitions on the date column that never
    expire (DESIGN D9), clustering, description."""
    bq = _bigquery()
    _check_contract(contract)
    table = bq.Table(table_id, schema=schema_fields(contract))
    table.time_partitioning = bq.TimePartitioning(type_=bq.TimePartitioningType.DAY, field=contract.date_column)
    if contract.cluster_by:  # assigning None would send an explicit null
        table.clustering_fields = list(contract.cluster_by)
    if contract.description:
        table.description = contract.description
    return table


def _schema_differences(contract: TableContract, expected: bigquery.Table, actual: bigquery.Table) -> list[str]:
    def shape(fields) -> dict[str, tuple[str, str]]:
        return {f.name: (_STANDARD_TYPE.get(f.field_type, f.field_type), f.mode or "NULLABLE") for f in fields}

    want, have = shape(expected.schema), shape(actual.schema)
    differences = [f"column {name} is missing" for name in want if name not in have]
    differences += [f"column {name} is {' '.join(have[name])} there but {' '.join(spec)} in the contract"
                    for name, spec in want.items() if name in have and have[name] != spec]
    differences += [f"column {name} is not in the contract" for name in have if name not in want]
    partitioning = actual.time_partitioning
    if partitioning is None or partitioning.field != contract.date_column:
        differences.append(f"it is not partitioned by {contract.date_column}")
    elif partitioning.expiration_ms:
        differences.append(f"its partitions expire after {partitioning.expiration_ms} ms "
                           f"(nbaprops keeps every partition, DESIGN D9)")
    return differences


# ------------------------------------------------------------------------------- SQL text
def _quoted(names) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _replace_script(contract: TableContract, table_id: str, source_sql: str) -> str:
    """One transaction: delete [start, end], insert the source's rows (each checked to lie in the
    range), count the range, commit; the script's result is that count."""
    date_col = f"`{contract.date_column}`"
    in_range = f"{date_col} BETWEEN @{RANGE_START} AND @{RANGE_END}"
    columns = _quoted(contract.column_names)
    guard = (f"{contract.table}: a new row dated %t lies outside the range %t..%t being replaced; the SELECT "
             f"must return only rows whose {contract.date_column} lies between its start_date and end_date")
    return (
        "DECLARE rows_written INT64 DEFAULT 0;\n"
        "BEGIN TRANSACTION;\n"
        f"DELETE FROM `{table_id}` WHERE {in_range};\n"
        f"INSERT INTO `{table_id}` ({columns})\n"
        f"SELECT {columns}\n"
        "FROM (\n"
        f"{source_sql.strip().rstrip(';')}\n"
        ")\n"
        f"WHERE IF({in_range}, TRUE, ERROR(FORMAT('{guard}', {date_col}, @{RANGE_START}, @{RANGE_END})));\n"
        f"SET rows_written = (SELECT COUNT(*) FROM `{table_id}` WHERE {in_range});\n"
        "COMMIT TRANSACTION;\n"
        "SELECT rows_written;\n"
    )


def _append_statement(contract: TableContract, table_id: str, source_sql: str, first: dt.date,
                      last: dt.date) -> str:
    """INSERT the source's rows except those whose primary key the table already holds: when the
    response to a committed INSERT is lost, the retried INSERT adds nothing (proven with injected
    faults in tests/test_emulator_pipeline.py). Only the new rows' dates are scanned."""
    columns = _quoted(contract.column_names)
    same_key = " AND ".join(f"existing.`{k}` = new_rows.`{k}`" for k in contract.primary_key)
    date_col = f"existing.`{contract.date_column}`"
    return (
        f"INSERT INTO `{table_id}` ({columns})\n"
        f"SELECT {columns} FROM (\n{source_sql}\n) AS new_rows\n"
        f"WHERE NOT EXISTS (SELECT 1 FROM `{table_id}` AS existing WHERE {same_key}\n"
        f"    AND {date_col} BETWEEN DATE '{first.isoformat()}' AND DATE '{last.isoformat()}')"
    )


def _staging_select(contract: TableContract, staging_id: str) -> str:
    columns = ", ".join(f"PARSE_JSON(`{c.name}`) AS `{c.name}`" if c.type == "JSON" else f"`{c.name}`"
                        for c in contract.columns)
    return f"SELECT {columns} FROM `{staging_id}`"


def _describe(sql: str, limit: int = 60) -> str:
    text = " ".join(sql.split())
    return f"query «{text if len(text) <= limit else text[:limit] + '…'}»"


def _finished(job):
    """A query job's rows once it is done (raising its error if it failed). The client's own
    job retry is off: whole-job retries are run_with_retry's, so attempts and waits stay bounded
    and logged rather than nesting the client's 40-minute job retry inside each of ours."""
    return job.result(job_retry=None)


def _check_labels(labels: Mapping[str, str]) -> None:
    for key, value in labels.items():
        if not (_LABEL_KEY.fullmatch(str(key)) and _LABEL_VALUE.fullmatch(str(value))):
            raise WarehouseError(
                f"config 'bigquery.labels': {key!r}: {value!r} is not a valid BigQuery label; keys start with a "
                "lowercase letter, and keys and values hold at most 63 lowercase letters, digits, _ or -")


def _make_client(project: str, location: str, api_endpoint: str | None = None) -> bigquery.Client:
    """A client for Google's endpoint with Application Default Credentials, or for
    ``api_endpoint``. A plain-``http://`` endpoint can only be a local emulator (Google serves
    HTTPS only), so it gets anonymous credentials: no token is sent over an unencrypted channel."""
    bq = _bigquery()
    import google.auth.exceptions

    if api_endpoint:
        from google.api_core.client_options import ClientOptions

        extra = {"client_options": ClientOptions(api_endpoint=api_endpoint)}
        if api_endpoint.startswith("http://"):
            from google.auth.credentials import AnonymousCredentials

            extra["credentials"] = AnonymousCredentials()
    else:
        extra = {}
    try:
        return bq.Client(project=project, location=location, **extra)
    except google.auth.exceptions.DefaultCredentialsError as exc:
        raise WarehouseError(
            "BigQuery credentials not found: the backend uses Application Default Credentials from the "
            "environment; set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file or run "
            "`gcloud auth application-default login`") from exc


class BigQueryWarehouse(Closing):
    """The warehouse in a BigQuery project (see the module docstring for how writes work)."""

    backend = "bigquery"

    def __init__(self, project: str, *, location: str = "US", datasets: Mapping[str, str] | None = None,
                 maximum_bytes_billed: int | None = None, max_attempts: int = 8,
                 labels: Mapping[str, str] | None = None, client: bigquery.Client | None = None,
                 api_endpoint: str | None = None):
        self.project = project
        self.location = location
        # Only real renames: an identity map must not send every query through sqlglot.
        self.datasets = {logical: real for logical, real in (datasets or {}).items() if logical != real}
        self.maximum_bytes_billed = maximum_bytes_billed
        self.max_attempts = max_attempts
        self.labels = dict(labels or {})
        self._owns_client = client is None
        self.client = _make_client(project, location, api_endpoint) if client is None else client

    @classmethod
    def from_config(cls, config: Mapping, *, client: bigquery.Client | None = None) -> BigQueryWarehouse:
        """From ``config["bigquery"]``: project (required), location, datasets, maximum_bytes_billed,
        max_attempts, labels, api_endpoint (an emulator's URL; null = Google). Credentials come from
        the environment, never from config."""
        section = config.get("bigquery") or {}
        project = section.get("project")
        if not project:
            raise WarehouseError(
                "config 'bigquery.project' is missing: set it to the GCP project that holds the nbaprops "
                "datasets (credentials come from the environment: GOOGLE_APPLICATION_CREDENTIALS or "
                "`gcloud auth application-default login`)")
        labels = section.get("labels") or {}
        _check_labels(labels)
        return cls(project, location=section.get("location") or "US", datasets=section.get("datasets") or {},
                   maximum_bytes_billed=section.get("maximum_bytes_billed"),
                   max_attempts=section.get("max_attempts") or 8, labels=labels, client=client,
                   api_endpoint=section.get("api_endpoint"))

    # ---------------------------------------------------------------- names and jobs
    def _dataset_id(self, logical: str) -> str:
        return f"{self.project}.{self.datasets.get(logical, logical)}"

    def _table_id(self, contract: TableContract) -> str:
        return f"{self._dataset_id(contract.dataset)}.{contract.name}"

    def _render(self, sql: str) -> str:
        return sqlrender.to_bigquery(sql, self.datasets)

    def _labels(self, operation: str, contract: TableContract | None) -> dict[str, str]:
        labels = {**self.labels, "nbaprops_op": operation}
        if contract is not None:
            labels["nbaprops_table"] = re.sub(r"[^a-z0-9_-]", "-", contract.table.lower())[:63]
        return labels

    @staticmethod
    def _job_prefix(operation: str, contract: TableContract | None) -> str:
        table = f"{contract.dataset}_{contract.name}_" if contract is not None else ""
        return re.sub(r"[^A-Za-z0-9_-]", "_", f"nbaprops_{table}{operation}_")

    def _retry(self, fn: Callable[[], T], what: str) -> T:
        return run_with_retry(fn, what=what, max_attempts=self.max_attempts)

    def _query_job(self, sql: str, params: Mapping[str, object] | None, read: Callable[[Any], T], *,
                   operation: str, what: str, contract: TableContract | None = None, **options) -> T:
        """Submit one query job and ``read`` it, the pair retried as a whole."""
        bq = _bigquery()
        # A dry run bills nothing and must report the bytes of a query over the cap, not fail on it.
        # Unset rather than None: the client would send None as the string 'None'.
        if self.maximum_bytes_billed is not None and not options.get("dry_run"):
            options["maximum_bytes_billed"] = self.maximum_bytes_billed
        parameters = query_parameters(params)

        def attempt() -> T:
            config = bq.QueryJobConfig(query_parameters=parameters, labels=self._labels(operation, contract),
                                       **options)
            job = self.client.query(sql, job_config=config, job_id_prefix=self._job_prefix(operation, contract),
                                    location=self.location, job_retry=None)
            return read(job)

        return self._retry(attempt, what)

    # ---------------------------------------------------------------- reading
    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        return self._query_job(self._render(sql), params, lambda job: _finished(job).to_dataframe(),
                               operation="query", what=_describe(sql))

    def query_arrow(self, sql: str, params: Mapping[str, object] | None = None) -> pa.Table:
        return self._query_job(self._render(sql), params, lambda job: _finished(job).to_arrow(),
                               operation="query", what=_describe(sql))

    def estimate_bytes(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        """Bytes the query would process, from a dry run (free; validates the SQL; runs nothing)."""
        return self._query_job(self._render(sql), params, lambda job: int(job.total_bytes_processed or 0),
                               operation="estimate", what=f"dry run of {_describe(sql)}",
                               dry_run=True, use_query_cache=False)

    def dates_present(self, contract: TableContract, start: dt.date, end: dt.date) -> list[dt.date]:
        self.ensure_table(contract)
        col = f"`{contract.date_column}`"
        sql = (f"SELECT DISTINCT {col} FROM `{self._table_id(contract)}` "
               f"WHERE {col} BETWEEN @{RANGE_START} AND @{RANGE_END} ORDER BY 1")
        dates = self._query_job(sql, {RANGE_START: start, RANGE_END: end}, lambda job: _finished(job).to_arrow(),
                                operation="dates", what=f"dates_present {contract.table} {start}..{end}",
                                contract=contract)
        return dates.column(0).to_pylist()

    # ---------------------------------------------------------------- creating
    def _get(self, getter: Callable[[str], T], resource_id: str, what: str) -> T | None:
        from google.api_core.exceptions import NotFound

        def attempt() -> T | None:
            try:
                return getter(resource_id)
            except NotFound:
                return None

        return self._retry(attempt, what)

    def _ensure_dataset(self, logical: str) -> None:
        dataset_id = self._dataset_id(logical)
        if dataset_id in _ENSURED:
            return
        what = f"ensure dataset {dataset_id}"
        existing = self._get(self.client.get_dataset, dataset_id, what)
        if existing is None:
            dataset = _bigquery().Dataset(dataset_id)
            dataset.location = self.location
            self._retry(lambda: self.client.create_dataset(dataset, exists_ok=True), what)
        else:
            problems = []
            if existing.location and existing.location.lower() != self.location.lower():
                problems.append(f"it is in {existing.location} but `bigquery.location` is {self.location}")
            if existing.default_table_expiration_ms or existing.default_partition_expiration_ms:
                problems.append("it sets a default table or partition expiration, which would delete "
                                "warehouse data (DESIGN D9); remove it with `bq update "
                                "--default_table_expiration 0 --default_partition_expiration 0`")
            if problems:
                raise WarehouseError(f"dataset {dataset_id}: {'; '.join(problems)}")
        _ENSURED.add(dataset_id)

    def ensure_table(self, contract: TableContract) -> None:
        table_id = self._table_id(contract)
        if table_id in _ENSURED:
            return
        definition = table_definition(contract, table_id)
        self._ensure_dataset(contract.dataset)
        what = f"ensure_table {contract.table}"
        existing = self._get(self.client.get_table, table_id, what)
        if existing is None:
            self._retry(lambda: self.client.create_table(definition, exists_ok=True), what)
        else:
            differences = _schema_differences(contract, definition, existing)
            if differences:
                raise WarehouseError(
                    f"{contract.table}: the BigQuery table {table_id} does not match {contract.path}: "
                    f"{'; '.join(differences)}. Migrate the table (ALTER TABLE) or drop it so nbaprops "
                    f"recreates it, then re-run.")
        _ENSURED.add(table_id)

    # ---------------------------------------------------------------- writing
    @contextmanager
    def _staged(self, contract: TableContract, data: pa.Table, what: str) -> Iterator[str]:
        """Load ``data`` into a fresh staging table; yield a SELECT of it shaped like the real
        table; drop the staging table afterwards (it expires by itself if this process dies)."""
        bq = _bigquery()
        staging_id = f"{self._dataset_id(contract.dataset)}.{contract.name}__staging_{uuid.uuid4().hex[:12]}"
        staging_schema = schema_fields(contract, staging=True)
        table = bq.Table(staging_id, schema=staging_schema)
        table.expires = dt.datetime.now(dt.timezone.utc) + STAGING_LIFETIME
        buffer = io.BytesIO()
        pq.write_table(data, buffer)
        payload = buffer.getvalue()
        load_config = bq.LoadJobConfig(
            source_format=bq.SourceFormat.PARQUET,
            schema=staging_schema,
            # Truncate, not append: a load retried after a lost response must not double the rows.
            write_disposition=bq.WriteDisposition.WRITE_TRUNCATE,
            labels=self._labels("load", contract),
        )
        parquet_options = bq.ParquetOptions()  # the config hands out copies: set it, then assign it
        parquet_options.enable_list_inference = True  # Parquet LIST → REPEATED, not a record
        load_config.parquet_options = parquet_options

        def load():
            job = self.client.load_table_from_file(io.BytesIO(payload), staging_id, job_config=load_config,
                                                   job_id_prefix=self._job_prefix("load", contract),
                                                   location=self.location)
            return job.result()

        try:
            self._retry(lambda: self.client.create_table(table, exists_ok=True), f"{what}: create staging table")
            self._retry(load, f"{what}: load staging table {staging_id}")
            yield _staging_select(contract, staging_id)
        finally:
            try:
                self._retry(lambda: self.client.delete_table(staging_id, not_found_ok=True),
                            f"{what}: drop staging table")
            except WarehouseError as exc:  # never hide the real outcome; the table expires by itself
                log.warning("%s; it expires within %s anyway", exc, STAGING_LIFETIME)

    def _replace(self, contract: TableContract, start: dt.date, end: dt.date, source_sql: str,
                 params: Mapping[str, object], what: str) -> int:
        script = _replace_script(contract, self._table_id(contract), source_sql)
        counts = self._query_job(script, {**params, RANGE_START: start, RANGE_END: end},
                                 lambda job: _finished(job).to_arrow(),
                                 operation="replace", what=what, contract=contract)
        return int(counts.column(0)[0].as_py())

    def replace_range(self, contract: TableContract, start: dt.date, end: dt.date,
                      rows: pd.DataFrame | pa.Table | None = None, *, select_sql: str | None = None,
                      params: Mapping[str, object] | None = None) -> int:
        if (rows is None) == (select_sql is None):
            raise ValueError("replace_range needs exactly one of rows or select_sql")
        what = f"replace_range {contract.table} {start}..{end}"
        if select_sql is not None:
            reserved = {RANGE_START, RANGE_END} & set(params or {})
            if reserved:
                raise ValueError(f"replace_range: parameter names {sorted(reserved)} are reserved for the range")
            self.ensure_table(contract)
            return self._replace(contract, start, end, self._render(select_sql), params or {}, what)
        data = conform(contract, rows)
        check_in_range(contract, data, start, end)
        self.ensure_table(contract)
        with self._staged(contract, data, what) as source:
            return self._replace(contract, start, end, source, {}, what)

    def append(self, contract: TableContract, rows: pd.DataFrame | pa.Table) -> int:
        data = conform(contract, rows)
        if data.num_rows == 0:
            return 0
        self.ensure_table(contract)
        what = f"append {contract.table}"
        with self._staged(contract, data, what) as source:
            insert = _append_statement(contract, self._table_id(contract), source, *date_bounds(contract, data))
            self._query_job(insert, None, _finished, operation="append", what=what, contract=contract)
        return data.num_rows

    def close(self) -> None:
        if self._owns_client:
            self.client.close()
