# Raw stage: load the nba_raw contract from the configured source (demo league, files, BigQuery),
# one job per season. Its `version` param is the digest of what the source holds for the season
# now (nbaprops/raw/versions.py, D11): new or corrected raw data re-loads exactly the seasons it
# touches, with no --forcerun. Jobs reading raw tables take these markers as ancient() inputs
# and carry the version of the dates they read, so only chunks whose raw rows changed re-run.


checkpoint raw:
    output:
        marker=raw_marker("{season}"),
    log:
        f"{LOGS}/raw/{{season}}.log",
    benchmark:
        "benchmarks/raw/{season}.tsv"
    resources:
        writes_raw=1,  # every season's job writes the same raw tables
    params:
        version=get_raw_season_version,
    script:
        "../scripts/load_raw.py"
