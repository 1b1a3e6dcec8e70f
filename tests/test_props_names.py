"""The one name normaliser: lookups (suffix kept, as every table's player_lookup) and name keys
(suffix dropped, what props are matched by when the lookup fails)."""
import pandas as pd
import pytest

from nbaprops.raw.names import name_key, player_lookup, player_lookups


@pytest.mark.parametrize("name, lookup, key", [
    ("Luka Dončić", "lukadoncic", "lukadoncic"),
    ("Jaren Jackson Jr.", "jarenjacksonjr", "jarenjackson"),
    ("Gary Payton II", "garypaytonii", "garypayton"),
    ("Jimmy Butler III", "jimmybutleriii", "jimmybutler"),
    ("Kevin Knox IV", "kevinknoxiv", "kevinknox"),
    ("Larry Nance Sr.", "larrynancesr", "larrynance"),
    ("De'Aaron Fox", "deaaronfox", "deaaronfox"),
    ("P.J. Washington", "pjwashington", "pjwashington"),
    ("Alperen Şengün", "alperensengun", "alperensengun"),
    ("Dāvis Bertāns", "davisbertans", "davisbertans"),
    ("Karl-Anthony Towns", "karlanthonytowns", "karlanthonytowns"),
    ("  SHAI Gilgeous-Alexander ", "shaigilgeousalexander", "shaigilgeousalexander"),
    ("Nikola Jokić", "nikolajokic", "nikolajokic"),
])
def test_lookup_and_name_key(name, lookup, key):
    assert player_lookup(name) == lookup
    assert name_key(name) == key
    assert player_lookup(lookup) == lookup          # idempotent: a lookup is its own lookup
    assert name_key(lookup) == key                  # a lookup and its name give the same key


def test_lookups_of_a_column_keep_nulls():
    values = pd.Series(["Luka Dončić", None, "lukadoncic", "P.J. Washington"], dtype=object)
    lookups = player_lookups(values)
    assert lookups.isna().tolist() == [False, True, False, False]
    assert lookups.dropna().tolist() == ["lukadoncic", "lukadoncic", "pjwashington"]
