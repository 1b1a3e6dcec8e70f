"""Warehouse backends behind one interface (base.Warehouse); pick one with ``open_warehouse``."""
from __future__ import annotations

from typing import Mapping

from nbaprops.warehouse.base import Warehouse, WarehouseError


def open_warehouse(config: Mapping) -> Warehouse:
    """The warehouse named by ``config["backend"]``; heavy SDKs are imported only when chosen."""
    backend = config.get("backend", "duckdb")
    if backend == "duckdb":
        from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

        duck = config.get("duckdb") or {}
        return DuckDBWarehouse(config["paths"]["warehouse"], threads=duck.get("threads"),
                               markers_root=config["paths"].get("markers"), memory_limit=duck.get("memory_limit"))
    if backend == "bigquery":
        from nbaprops.warehouse.bigquery_backend import BigQueryWarehouse

        return BigQueryWarehouse.from_config(config)
    raise WarehouseError(f"config 'backend' is {backend!r}; choose 'duckdb' or 'bigquery'")


__all__ = ["Warehouse", "WarehouseError", "open_warehouse"]
