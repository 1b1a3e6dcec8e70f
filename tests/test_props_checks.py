"""prop_findings on the hand-made slate: exact counts and examples of unmatched players,
alternate lines, unusable snapshots and contradictory aliases; a range without one consensus line."""
import pytest

from nbaprops.checks.props import prop_findings
from test_props_fixtures import D1, D2, build_lines, day, game, prop, slate_warehouse

START, END = day(D1), day(D2)


def with_lines(wh):
    build_lines(wh, START, END)
    return wh


def by_kind(findings):
    return {f.kind: f for f in findings}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return by_kind(prop_findings(with_lines(slate_warehouse(tmp_path_factory.mktemp("checks"))), START, END))


def test_kinds_and_severities(findings):
    assert {k: f.severity for k, f in findings.items()} == {
        "unusable_prop_snapshots": "warning",
        "unmatched_prop_players": "warning",
        "prop_players_matched_by_name": "info",
        "alternate_lines": "info",
        "conflicting_player_aliases": "warning",
    }


def test_unmatched_prop_player_days(findings):
    # herbjones, marcusmorrisjr, mysteryman on D1 and mysteryman on D2, of 10 player-days with a line
    unmatched = findings["unmatched_prop_players"]
    assert unmatched.count == 4
    assert unmatched.examples == ["mysteryman (2 days)", "herbjones (1 day)", "marcusmorrisjr (1 day)"]
    assert "4 of 10 prop player-days dated 2025-01-20..2025-01-21" in unmatched.message
    assert "player_aliases.csv" in unmatched.message


def test_players_matched_by_alias_or_name_key(findings):
    # nicolasclaxton by alias; garypaytonii and jarenjacksonjr by name key (jimmybutleriii also has
    # an exact spelling)
    matched = findings["prop_players_matched_by_name"]
    assert matched.count == 3
    assert "by the alias table (1) or by the name without its suffix (2)" in matched.message


def test_alternate_line_groups(findings):
    ladders = findings["alternate_lines"]
    assert ladders.count == 4                       # LeBron, Payton, Jackson, Claxton at DraftKings
    assert "the 6 alternate lines are not graded" in ladders.message   # 2 + 1 + 2 + 1
    assert ladders.examples == ["2025-01-20 jarenjackson draftkings: 3 lines",
                                "2025-01-20 lebronjames draftkings: 3 lines",
                                "2025-01-20 garypayton draftkings: 2 lines",
                                "2025-01-20 nicclaxton draftkings: 2 lines"]


def test_unusable_snapshots_name_their_consequence(findings):
    unusable = findings["unusable_prop_snapshots"]
    assert unusable.count == 1                      # BetMGM's LeBron line
    assert unusable.examples == ["2025-01-20 (1 snapshot)"]
    assert "1 of 21 prop snapshots" in unusable.message
    assert "NO_LINE" in unusable.message


def test_contradictory_alias(findings):
    conflict = findings["conflicting_player_aliases"]
    assert conflict.count == 1
    assert conflict.examples == ["herbjones → herbertjones / herbjonesjr"]


def test_props_without_any_pre_game_line_fail_the_gate(tmp_path):
    props = [prop(D1, "lebronjames", "draftkings", 24.5, minutes_before_tipoff=None),
             prop(D1, "jimmybutleriii", "fanduel", 20.5, minutes_before_tipoff=None)]
    found = by_kind(prop_findings(with_lines(slate_warehouse(tmp_path, props)), START, END))
    assert found["no_consensus_lines"].severity == "error"
    assert found["no_consensus_lines"].count == 2
    assert "none has minutes_before_tipoff" in found["no_consensus_lines"].message
    assert "no pre-game lines: every prediction is NO_LINE" in found["unusable_prop_snapshots"].message


def test_in_game_only_props_fail_the_gate_naming_the_cause(tmp_path):
    props = [prop(D1, "lebronjames", "draftkings", 12.5, minutes_before_tipoff=-30)]
    found = by_kind(prop_findings(with_lines(slate_warehouse(tmp_path, props)), START, END))
    assert "taken after tip-off" in found["no_consensus_lines"].message
    assert "unusable_prop_snapshots" not in found


def test_a_clean_range_has_no_warnings(tmp_path):
    props = [prop(D1, "lebronjames", "draftkings", 24.5), prop(D1, "jimmybutleriii", "fanduel", 20.5)]
    wh = with_lines(slate_warehouse(tmp_path, props, aliases=[]))
    assert prop_findings(wh, START, END) == []


def test_props_of_a_date_without_rosters_are_not_called_unmatched(tmp_path):
    """2025-01-22: a game of two teams that never played before (no box score, no registry)."""
    d3 = "2025-01-22"
    props = [prop(D1, "lebronjames", "draftkings", 24.5), prop(d3, "lebronjames", "draftkings", 25.5),
             prop(d3, "jimmybutler", "draftkings", 19.5)]
    wh = slate_warehouse(tmp_path, props, aliases=[], games=[game(d3, "VAN", "SEA", status=1)])
    lines = build_lines(wh, START, day(d3))
    assert lines["player_match"].tolist() == ["exact", "no_roster", "no_roster"]
    found = by_kind(prop_findings(wh, START, day(d3)))
    assert set(found) == {"prop_players_without_rosters"}
    assert found["prop_players_without_rosters"].count == 2
