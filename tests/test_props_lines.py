"""nba_staging.player_prop_lines on the hand-made slate: main lines of ladders (with the
tie-breaks), players attached by lookup, alias and name key, unmatched players kept apart."""
import re
from pathlib import Path

import pandas as pd
import pytest

from nbaprops.contracts import load_contract
from nbaprops.gates import check_table
from nbaprops.raw.names import NAME_KEY_SUFFIX
from test_props_fixtures import D1, D2, LINES, build_lines, day, prop, slate_warehouse

START, END = day(D1), day(D2)


def build(wh):
    return build_lines(wh, START, END)


@pytest.fixture(scope="module")
def slate(tmp_path_factory):
    wh = slate_warehouse(tmp_path_factory.mktemp("props"))
    return wh, build(wh)


def test_consensus_rows_of_the_slate(slate):
    _, lines = slate
    got = [(str(pd.Timestamp(r.game_date).date()), r.player_lookup, r.current_points_line,
            r.opening_points_line, int(r.current_points_line_books), r.player_match)
           for r in lines.itertuples()]
    assert got == [
        # DraftKings: earliest 23.5, latest ladder -> main 24.5; FanDuel 25.5 (its in-game 30.5 and
        # BetMGM's snapshot without minutes_before_tipoff are not pre-game lines)
        # current median(24.5, 25.5) = 25.0, opening median(23.5, 25.5) = 24.5
        (D1, "garypaytonii", 15.5, 15.5, 1, "name_key"),      # tie on prices and on the middle: lower line
        (D1, "herbjones", 8.5, 8.5, 1, "unmatched"),          # its alias names two players: ignored
        (D1, "jarenjacksonjr", 20.5, 20.5, 1, "name_key"),    # tie on prices: nearest the mean 20.5
        (D1, "jimmybutleriii", 20.0, 20.0, 2, "exact"),       # 19.5 by name key + 20.5 exact
        (D1, "lebronjames", 25.0, 24.5, 2, "exact"),          # the alias lebronjames -> bronnyjames is not used
        (D1, "marcusmorrisjr", 7.5, 7.5, 1, "unmatched"),     # name key names two players of the date
        (D1, "mysteryman", 5.5, 5.5, 1, "unmatched"),
        (D1, "nicolasclaxton", 11.5, 11.5, 1, "alias"),       # the unpriced 10.5 loses to the priced 11.5
        (D2, "anthonyedwards", 27.5, 27.5, 1, "exact"),
        (D2, "mysteryman", 6.5, 6.5, 1, "unmatched"),
    ]


def test_the_slate_meets_the_contract(slate):
    wh, lines = slate
    report = check_table(wh, LINES, [], START, END)
    assert report.rows == len(lines) == 10
    assert report.duplicate_keys == 0
    assert {i.name: i.sample for i in report.invariants if i.violations} == {}


@pytest.mark.parametrize("ladder, main", [
    # (line, over, under): the most balanced prices win wherever they sit in the ladder
    ([(20.5, -160, +130), (21.5, -105, -115), (22.5, +125, -155)], 21.5),
    ([(21.5, -105, -115), (22.5, -110, -110)], 22.5),
    # mirrored prices are equally balanced and 20.5, 22.5 equally far from the mean 21.5: the lower
    ([(20.5, -120, +100), (22.5, +100, -120), (21.5, -130, +110)], 20.5),
    # a ladder whose lines all lack prices: nearest the mean, then the lower
    ([(18.5, None, None), (19.5, None, None)], 18.5),
    # one missing price makes a line unpriced
    ([(18.5, -110, None), (25.5, -300, +240)], 25.5),
])
def test_main_line_of_a_ladder(tmp_path, ladder, main):
    props = [prop(D1, "lebronjames", "draftkings", line, over, under) for line, over, under in ladder]
    lines = build(slate_warehouse(tmp_path, props))
    assert lines[["current_points_line", "current_points_line_books"]].values.tolist() == [[main, 1]]


def test_a_ladder_counts_once_in_the_median(tmp_path):
    """Five alternate lines of one book would have outvoted the two other books."""
    props = [prop(D1, "lebronjames", "draftkings", line, over, under)
             for line, over, under in [(17.5, -300, +240), (18.5, -250, +200), (19.5, -200, +160),
                                       (20.5, -160, +130), (24.5, -110, -110)]]
    props += [prop(D1, "lebronjames", "fanduel", 25.5), prop(D1, "lebronjames", "betmgm", 26.5)]
    lines = build(slate_warehouse(tmp_path, props))
    assert lines[["current_points_line", "current_points_line_books"]].values.tolist() == [[25.5, 3]]


def test_the_sql_strips_the_suffixes_the_python_normaliser_strips():
    sql = Path(load_contract(LINES).sql_path).read_text()
    patterns = re.findall(r"regexp_replace\([^,]+, r'([^']+)', ''\)", sql)
    assert patterns and set(patterns) == {NAME_KEY_SUFFIX}


def test_the_bets_on_offer(tmp_path):
    """D14 (issue 13): consensus prices, line shopping and the no-vig over probability, from each
    book's latest main line. Current consensus median(23.5, 24.5, 24.5, 25.5) = 24.5."""
    props = [prop(D1, "lebronjames", "draftkings", 24.5, -120, +100),
             prop(D1, "lebronjames", "fanduel", 24.5, -105, -115),
             prop(D1, "lebronjames", "betmgm", 25.5, +105, -125),
             prop(D1, "lebronjames", "caesars", 23.5, None, None)]
    [row] = build(slate_warehouse(tmp_path, props)).to_dict("records")
    assert {k: row[k] for k in ("current_points_line", "current_points_line_mean", "no_vig_over_mean")} == {
        "current_points_line": 24.5, "current_points_line_mean": 24.5,
        # mean over the priced books of over / (over + under) implied: (0.5217 + 0.4892 + 0.4675) / 3
        "no_vig_over_mean": 0.4928}
    # the books on 24.5: over payouts 0.8333 (-120) and 0.9524 (-105), median 0.8929 = -112;
    # under payouts 1.0 (+100) and 0.8696 (-115), median 0.9348 = -107
    assert (row["consensus_over_price_american"], row["consensus_under_price_american"]) == (-112, -107)
    # the lowest line is the best over (unpriced: pricing assumes -110), the highest the best under
    assert (row["best_over_line"], row["best_over_bookmaker"], pd.isna(row["best_over_price_american"])) == (
        23.5, "caesars", True)
    assert (row["best_under_line"], row["best_under_price_american"], row["best_under_bookmaker"]) == (
        25.5, -125, "betmgm")


def test_best_price_breaks_a_tie_of_lines_and_no_book_on_the_consensus_leaves_its_price_null(tmp_path):
    props = [prop(D1, "lebronjames", "draftkings", 24.5, -120, +100),
             prop(D1, "lebronjames", "fanduel", 24.5, -105, -115),
             prop(D1, "lebronjames", "betmgm", 25.5, +105, -125),
             prop(D1, "lebronjames", "caesars", 25.5, +100, -120)]
    [row] = build(slate_warehouse(tmp_path, props)).to_dict("records")
    assert row["current_points_line"] == 25.0  # median of an even split: no book sits on 25.0
    assert pd.isna(row["consensus_over_price_american"]) and pd.isna(row["consensus_under_price_american"])
    assert (row["best_over_line"], row["best_over_price_american"], row["best_over_bookmaker"]) == (
        24.5, -105, "fanduel")
    assert (row["best_under_line"], row["best_under_price_american"], row["best_under_bookmaker"]) == (
        25.5, -120, "caesars")


def test_each_line_names_the_team_it_is_for(slate):
    """The roster team of a rostered player; none for a player no roster or registry places."""
    _, lines = slate
    teams = {(str(pd.Timestamp(r.game_date).date()), r.player_lookup): (r.team_abbr, r.team_source)
             for r in lines.itertuples()}
    assert teams[(D1, "lebronjames")] == ("LAL", "roster")
    assert teams[(D2, "anthonyedwards")] == ("MIN", "roster")
    assert all(pd.isna(v) for v in teams[(D1, "mysteryman")])
