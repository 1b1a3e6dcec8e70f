"""The deterministic demo league: the embedded default raw input (DESIGN.md §7).

    from nbaprops.demo import calendar, generate
    calendar.game_dates(start, end, seed)        # cheap: dates with games
    generate.generate(start, end, seed)          # every raw table as DataFrames
"""
from nbaprops.demo import calendar, generate

__all__ = ["calendar", "generate"]
