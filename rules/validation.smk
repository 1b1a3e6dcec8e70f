# Gates: a phase is complete for the exact set of expected game dates, keys unique, invariants
# hold. Later phases take a gate as ancient() input (ordering only) plus the precise chunk
# markers they read.


rule phase3_gate:
    input:
        [m for t in PHASE_TABLES[3] for m in chunk_markers(t)],
    output:
        gate_marker(3),
    log:
        f"{LOGS}/gates/phase3.log",
    params:
        phase=3,
        start=config["start_date"],
        end=config["end_date"],
    script:
        "../scripts/gate.py"
