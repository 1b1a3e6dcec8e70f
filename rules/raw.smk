# Raw stage: load the nba_raw contract from the configured source (demo league, files, BigQuery).


rule raw:
    output:
        **{t.replace(".", "__"): raw_marker(t) for t in RAW_TABLES},
    log:
        f"{LOGS}/raw.log",
    benchmark:
        "benchmarks/raw.tsv"
    params:
        source=config["raw"]["source"],
        seed=config["raw"]["seed"],
        path=config["raw"]["path"],
        seasons=RAW_SEASONS,
    script:
        "../scripts/load_raw.py"
