"""The JSON Schemas of the exported shapes (``schemas/<name>.schema.json``) and which one an
object key follows."""
from __future__ import annotations

import functools
import hashlib
import json
import re

from nbaprops import diskcache
from nbaprops.exporters.base import API_VERSION
from nbaprops.paths import REPO_DIR

SCHEMA_DIR = REPO_DIR / "schemas"
_PLACEHOLDERS = {"date": r"\d{4}-\d{2}-\d{2}", "player_lookup": r"[A-Za-z0-9._\-]+", "season": r"\d{4}-\d{2}"}


class SchemaError(ValueError):
    """An object does not match its schema, or no schema covers its key."""


def _pattern(key: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", key)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_PLACEHOLDERS[p]})" for i, p in enumerate(parts))
    return re.compile(f"{re.escape(API_VERSION)}/{regex}")


@functools.lru_cache(maxsize=1)
def key_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """(key regex, schema name) for every object key the catalogue writes; literal keys first."""
    from nbaprops.exporters import CATALOGUE
    from nbaprops.exporters.players import PlayerProfileExporter

    entries = []
    for exporter in CATALOGUE:
        for key in exporter.keys:
            schema = exporter.schema
            if isinstance(exporter, PlayerProfileExporter) and key == "players/index.json":
                schema = "players-index"
            entries.append((key, schema))
        if exporter.alias:
            entries.append((exporter.alias[0], exporter.schema))
    entries.sort(key=lambda e: ("{" in e[0], e[0]))
    return tuple((_pattern(key), schema) for key, schema in entries)


def schema_for_key(key: str) -> str | None:
    for pattern, schema in key_patterns():
        if pattern.fullmatch(key):
            return schema
    return None


COMMON = "common.schema.json"


def _inline(node, common: dict):
    """``node`` with every ``common.schema.json#/$defs/<name>`` reference replaced by its definition.
    The files keep the references (standard tools follow them); validating against the inlined
    schema is twice as fast as resolving references per document (~0.6 ms for a game report)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            prefix = f"{COMMON}#/$defs/"
            if not ref.startswith(prefix) or len(node) != 1:
                raise SchemaError(f"unsupported reference {ref!r}: schemas may only reference {prefix}<name>")
            return _inline(common["$defs"][ref[len(prefix):]], common)
        return {k: _inline(v, common) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, common) for v in node]
    return node


@functools.lru_cache(maxsize=1)
def schemas_digest() -> str:
    """A digest of every schema file: an export marker records the schemas its job validated
    against, and vouches for its objects only while they are the same."""
    h = hashlib.sha256()
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def schema_names() -> list[str]:
    return sorted(p.name[: -len(".schema.json")] for p in SCHEMA_DIR.glob("*.schema.json") if p.name != COMMON)


@functools.lru_cache(maxsize=None)
def _inlined(name: str) -> dict:
    path = SCHEMA_DIR / f"{name}.schema.json"
    if not path.exists():
        raise SchemaError(f"no schema file {path}")
    return _inline(json.loads(path.read_text()), json.loads((SCHEMA_DIR / COMMON).read_text()))


@functools.lru_cache(maxsize=None)
def inlined_schema(name: str) -> dict:
    """Schema ``name`` checked against its draft, with the common definitions inlined."""
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text()))
    return _inlined(name)


@functools.lru_cache(maxsize=None)
def validator(name: str):
    """The reference validator (draft 2020-12): slow, but its messages say where and what."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(inlined_schema(name))


@functools.lru_cache(maxsize=None)
def compiled_validator(name: str):
    """Schema ``name`` compiled to Python (~10x faster than the reference validator: a backfill
    validates ~100,000 objects). Our schemas use only keywords both drafts share (type,
    properties, required, additionalProperties, items, enum, const, pattern, anyOf, oneOf,
    minimum/maximum), so the compiled draft-07 validator accepts exactly what 2020-12 does;
    tests/test_phase6_run.py checks both agree on valid and broken documents. The check of the
    schema against its draft (half a second for all of them, in every export job) is left to the
    reference validator and the tests: the files are the repository's.

    fastjsonschema writes the validator as Python source, and compiling that source to bytecode
    took ~0.45 s of every export job for the schemas it used; the bytecode is kept in
    nbaprops.diskcache (named by the schema, fastjsonschema's version and Python's, since marshal
    is Python's own format), so a later job only loads it (~0.1 ms a schema)."""
    import marshal
    import sys

    import fastjsonschema

    schema = {k: v for k, v in _inlined(name).items() if k not in ("$schema", "$id")}
    identity = json.dumps([schema, fastjsonschema.VERSION, sys.version], sort_keys=True)
    entry = f"{name}-{hashlib.sha256(identity.encode()).hexdigest()[:24]}.marshal"
    code = None
    data = diskcache.read_bytes("schemas", entry)
    if data:
        try:
            code = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            code = None
    if code is None:
        code = compile(fastjsonschema.compile_to_code(schema), f"<schema {name}>", "exec")
        diskcache.write_bytes("schemas", entry, marshal.dumps(code))
    namespace: dict = {}
    exec(code, namespace)  # the generated module: its validate(document) raises on a violation
    return namespace["validate"]


def problems(name: str, document) -> list[str]:
    """Readable violations of schema ``name`` by ``document`` (empty when it conforms). The
    compiled validator passes the valid ones fast; a document it rejects goes to the reference
    validator, which decides and words the problems."""
    import fastjsonschema

    try:
        compiled_validator(name)(document)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top level)'}: {e.message}" for e in errors]


def check(name: str, document) -> None:
    found = problems(name, document)
    if found:
        raise SchemaError(f"document does not match schema {name!r}: " + "; ".join(found[:5]))


def check_object(key: str, document) -> str:
    """Validate ``document`` (plain JSON values) as the object under ``key``; returns its schema's
    name, or raises SchemaError with a sentence naming the object and its first problems. Export
    jobs call this on every object before writing it, so their markers vouch for what they wrote
    and the Phase 6 gate need not parse it again."""
    schema = schema_for_key(key)
    if schema is None:
        raise SchemaError(f"{key}: no exporter declares this key, so no schema covers it; add its key pattern "
                          f"to the exporter that builds it (nbaprops/exporters/__init__.py)")
    found = problems(schema, document)
    if found:
        more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
        raise SchemaError(f"{key} does not match schema {schema!r} (schemas/{schema}.schema.json): {found[0]}{more}; "
                          f"it was not written: fix the exporter or the schema and re-run the export")
    return schema
