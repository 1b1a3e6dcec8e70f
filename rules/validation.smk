# Gates: a phase is complete for the exact set of expected game dates (Phase 4 on: minus each
# season's 14 bootstrap days), keys unique, invariants hold. Later phases take a gate as
# ancient() input (ordering only) plus the precise chunk markers they read.

for gated_phase in PHASE_TABLES:

    rule:
        name:
            f"phase{gated_phase}_gate"
        input:
            [m for t in PHASE_TABLES[gated_phase] for m in chunk_markers(t)],
        output:
            gate_marker(gated_phase),
        log:
            f"{LOGS}/gates/phase{gated_phase}.log",
        params:
            phase=gated_phase,
            start=config["start_date"],
            end=config["end_date"],
            raw_version=get_range_raw_version(),
            # per chunk: a gate re-checks in full only the chunks that changed since its last pass
            raw_chunk_versions=get_chunk_raw_versions(),
            excluded_games=config.get("excluded_games") or [],
        script:
            "../scripts/gate.py"
