"""The deterministic demo league: the embedded default raw input (DESIGN.md §7).

    from nbaprops.demo import calendar, generate
    calendar.game_dates(start, end, seed)        # cheap: dates with games
    generate.generate(start, end, seed)          # every raw table as DataFrames

The submodules are not imported here: Snakemake plans every run from the calendar, and the
generator's imports (pandas) cost ~0.3 s of each plan.
"""
__all__ = ["calendar", "generate"]
