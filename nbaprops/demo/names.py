"""Deterministic player names and the `player_lookup` normalisation (raw-inputs §3.3).

Names are drawn from the lists below, unique per league by `player_lookup`. About a tenth carry a
diacritic, an apostrophe or a hyphen and ~7% a generational suffix ("Jr.", "II", "III", "IV"),
so every normalisation rule is exercised: "José Šarić Jr." → "josesaricjr".
"""
from __future__ import annotations

import numpy as np

from nbaprops.raw.names import player_lookup  # the one normaliser (re-exported for the demo)

FIRST_NAMES = (
    "James", "Marcus", "Tyler", "Jalen", "Anthony", "Kevin", "Chris", "Devin", "Jaylen", "Brandon",
    "Malik", "Isaiah", "Jordan", "Trey", "Cameron", "Derrick", "Kyle", "Darius", "Luka", "Nikola",
    "Michael", "Josh", "Zach", "Paul", "Terrence", "Andre", "Jamal", "Keegan", "Mikal", "Bam",
    "Donovan", "Jaren", "Tobias", "Julius", "Dejounte", "Fred", "Gary", "Harrison", "Ivan", "Jonas",
    "Kenyon", "Lonzo", "Myles", "Norman", "Obi", "Patrick", "Quentin", "Reggie", "Shai", "Tre",
    "Victor", "Walker", "Xavier", "Aaron", "Bennedict", "Caleb", "Dillon", "Evan", "Franz", "Grant",
    "Herbert", "Immanuel", "Jabari", "Keldon", "Lauri", "Moses", "Nickeil", "Onyeka", "Precious",
    "Royce", "Scottie", "Taurean", "Usman", "Vince", "Wendell", "Yuta", "Zion", "Amen", "Bogdan",
    "Cade", "Desmond", "Ausar", "Goran", "Hamidou", "Jusuf", "Kristaps", "Dario", "Killian", "Mason",
    "José", "Théo", "Álex", "Andrés", "Timothé", "Dāvis", "Nicolò", "Sekou", "Ömer", "Rafael",
    "De'Aaron", "D'Angelo", "Ja'Kobe", "De'Andre", "Day'Ron", "Jae'Sean", "Ty-Shon", "Jean-Luc",
)
LAST_NAMES = (
    "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner",
    "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan",
    "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Howard", "Ward", "Cox", "Richardson", "Wood",
    "Watson", "Brooks", "Bennett", "Gray", "James", "Hughes", "Price", "Sanders", "Myers", "Long",
    "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Fisher", "Henderson",
    "Coleman", "Simmons", "Patterson", "Jordan", "Reynolds", "Hamilton", "Graham", "Wallace",
    "Holiday", "Bridges", "Porter", "Ball", "Hayes", "Barnes", "Mobley", "Gordon", "Hunter",
    "Okafor", "Adebayo", "Antetokounmpo", "Nwora", "Okongwu", "Achiuwa", "Diallo", "Sarr", "Fall",
    "Jokić", "Dončić", "Šarić", "Valančiūnas", "Bogdanović", "Nurkić", "Porziņģis", "Şengün",
    "Schröder", "Müller", "Peña", "Núñez", "Álvarez", "Hernangómez", "Vučević", "Krejčí",
    "O'Neale", "O'Brien", "O'Connor", "DiVincenzo", "McDaniels", "MacLeod", "Walker-Reed",
    "Smith-Jones", "Gilmore-Price",
)
SUFFIXES = ("Jr.", "II", "III", "IV")


class NameFactory:
    """Hands out display names whose lookups are unique across the whole league history."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def draw(self, rng: np.random.Generator, n: int) -> list[str]:
        names: list[str] = []
        while len(names) < n:
            name = f"{FIRST_NAMES[rng.integers(len(FIRST_NAMES))]} {LAST_NAMES[rng.integers(len(LAST_NAMES))]}"
            if rng.random() < 0.07:
                name = f"{name} {SUFFIXES[rng.integers(len(SUFFIXES))]}"
            key = player_lookup(name)
            if key not in self._taken:
                self._taken.add(key)
                names.append(name)
        return names
