"""The bad-input corpus (tests/raw_corpus/cases.yaml): each defect gets a clear error or a
counted quarantine, and no row is lost or changed without a count."""
from __future__ import annotations

import codecs
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nbaprops.demo.export import export_files
from nbaprops.raw.files import RawInputError, read_raw_folder_with_report, read_schedule

CORPUS = yaml.safe_load((Path(__file__).parent / "raw_corpus" / "cases.yaml").read_text(encoding="utf-8"))
BASE = CORPUS["base"]
START, END = BASE["start"], BASE["end"]
BOX_SCORES = ("nbac_gamebook_player_stats.csv", "bdl_player_boxscores.csv", "nbac_team_boxscore.csv")


def test_the_corpus_has_at_least_25_documented_cases():
    assert len(CORPUS["cases"]) >= 25
    assert all(case.get("doc") and case.get("do") and case.get("expect") for case in CORPUS["cases"].values())


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raw_corpus") / "base"
    export_files(folder, START, END, seed=BASE["seed"], through=END, omit=BASE["omit"])
    frames, report = read_raw_folder_with_report(folder, START, END)
    for name in _csv_names(folder):
        file_report = report[name]
        assert file_report.rows_read == file_report.rows_kept > 0, name  # the base is clean
    return folder, frames, report


def _csv_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.csv"))


# --------------------------------------------------------------------------------------------
# mutations (lines are the base file's: header = 1, no field spans lines in the base)


class Mutation:
    def __init__(self, folder: Path):
        self.folder = folder
        self.touched: dict[str, set[int]] = {}  # file → base lines changed or removed
        self.added: Counter = Counter()  # file → rows added

    def count(self, expected: int | str, file: str) -> int:
        """An expected count, where "touched" is the number of base lines the mutation touched."""
        return len(self.touched[file]) if expected == "touched" else expected

    def touch(self, file: str, lines) -> None:
        self.touched.setdefault(file, set()).update(int(x) for x in lines)

    def frame(self, file: str) -> pd.DataFrame:
        frame = pd.read_csv(self.folder / file, dtype=str, keep_default_na=False)
        frame.index = range(2, len(frame) + 2)
        return frame

    def write(self, file: str, frame: pd.DataFrame) -> None:
        frame.to_csv(self.folder / file, index=False)

    def set(self, file, line, column, value):
        frame = self.frame(file)
        frame.loc[line, column] = value
        self.write(file, frame)
        self.touch(file, [line])

    def set_all(self, file, column, value):
        frame = self.frame(file)
        frame[column] = value
        self.write(file, frame)
        self.touch(file, frame.index)

    def append_copy(self, file, line, set=None):
        frame = self.frame(file)
        row = frame.loc[[line]].copy()
        for column, value in (set or {}).items():
            row[column] = value
        self.write(file, pd.concat([frame, row]))
        self.added[file] += 1

    def insert_text(self, file, before, text):
        lines = (self.folder / file).read_text().split("\n")
        lines.insert(before - 1, text)
        (self.folder / file).write_text("\n".join(lines))

    def drop(self, file, where):
        frame = self.frame(file)
        hit = pd.Series(True, index=frame.index)
        for column, value in where.items():
            hit &= frame[column] == str(value)
        assert hit.any(), (file, where)
        self.write(file, frame[~hit])
        self.touch(file, frame.index[hit])

    def swap_home_away(self, game_id):
        day, away, home = game_id.split("_")
        swapped = f"{day}_{home}_{away}"
        for file in BOX_SCORES:
            frame = self.frame(file)
            hit = frame["game_id"] == game_id
            frame.loc[hit, "game_id"] = swapped
            if "home_team_abbr" in frame:
                frame.loc[hit, ["home_team_abbr", "away_team_abbr"]] = [away, home]
            if "is_home" in frame:
                frame.loc[hit, "is_home"] = frame.loc[hit, "is_home"].map({"true": "false", "false": "true"})
            self.write(file, frame)
            self.touch(file, frame.index[hit])

    def rename_column(self, file, **names):
        frame = self.frame(file).rename(columns={names["from"]: names["to"]})
        self.write(file, frame)

    def upper_header(self, file):
        frame = self.frame(file)
        self.write(file, frame.rename(columns=str.upper))

    def bytes(self, file, action, count=0):
        path = self.folder / file
        data = path.read_bytes()
        if action == "bom":
            data = codecs.BOM_UTF8 + data
        elif action == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif action == "cp1252":
            # a name Windows-1252 cannot spell (ć) is written as "?" there: that line is touched
            lines = data.decode("utf-8").split("\n")
            for number, text in enumerate(lines, start=1):
                try:
                    text.encode("cp1252")
                except UnicodeEncodeError:
                    self.touch(file, [number])
            data = "\n".join(lines).encode("cp1252", errors="replace")
        elif action == "truncate":
            data = data[:-count]
            self.touch(file, [len(self.frame(file)) + 1])
        elif action in ("zero", "header_only"):
            self.touch(file, self.frame(file).index)
            data = b"" if action == "zero" else data.split(b"\n")[0] + b"\n"
        else:
            raise ValueError(action)
        path.write_bytes(data)


def _apply(folder: Path, steps: list[dict]) -> Mutation:
    mutation = Mutation(folder)
    for step in steps:
        ((op, args),) = step.items()
        getattr(mutation, op)(**args)
    return mutation


# --------------------------------------------------------------------------------------------
# the cases


def _rows(frame: pd.DataFrame) -> Counter:
    return Counter(tuple(str(v) for v in row) for row in frame.astype(object).itertuples(index=False))


def _table(report, file: str) -> str:
    return report[file].table


@pytest.mark.parametrize("name", sorted(CORPUS["cases"]))
def test_case(name, base, tmp_path):
    case = CORPUS["cases"][name]
    base_folder, base_frames, base_report = base
    folder = tmp_path / name
    shutil.copytree(base_folder, folder)
    mutation = _apply(folder, case["do"])
    expect = case["expect"]
    bad_values = case.get("bad_values", "error")

    if "error" in expect:
        with pytest.raises(RawInputError) as err:
            read_raw_folder_with_report(folder, START, END, bad_values=bad_values)
        message = str(err.value)
        assert any(name in message for name in _csv_names(folder)), message  # names the file
        for part in expect["error"]:
            assert part in message, (part, message)
        if "nbac_schedule.csv" in message and "final game" not in message:
            with pytest.raises(RawInputError) as again:  # the chunk plan's reader says the same
                read_schedule(folder)
            assert str(again.value) == message
        return

    frames, report = read_raw_folder_with_report(folder, START, END, bad_values=bad_values)
    for file in _csv_names(folder):
        r = report[file]
        # nothing lost without a count
        assert r.rows_read == r.rows_kept + r.rows_outside_seasons + r.rows_quarantined, file
        quarantined = {reason: q.count for reason, q in r.quarantined.items()}
        assert quarantined == expect.get("quarantined", {}).get(file, {}), file
        assert r.rows_outside_seasons == expect.get("outside", {}).get(file, 0), file
        corrected = mutation.count(expect.get("corrected", {}).get(file, 0), file)
        assert sum(q.count for q in r.corrected.values()) == corrected, file
        for note in expect.get("notes", {}).get(file, []):
            assert any(note in text for text in r.notes), (note, r.notes)
        # nothing changed without a count: every untouched base row is kept as it was
        table = _table(report, file)
        base_frame = base_frames[table].copy()
        base_frame.index = range(2, len(base_frame) + 2)
        untouched = _rows(base_frame.drop(index=sorted(mutation.touched.get(file, ()))))
        kept = _rows(frames[table])
        lost = sum((untouched - kept).values())
        assert lost == expect.get("lost", {}).get(file, 0), f"{file}: untouched base rows lost or changed"
        assert lost <= r.rows_quarantined + r.rows_outside_seasons, file
        if file in expect.get("equals_base", []):
            assert kept == _rows(base_frames[table]), file
        else:
            extra = mutation.count(expect.get("extra_kept", {}).get(file, 0), file)
            assert sum((kept - untouched).values()) == extra, file
    for value in expect.get("values", []):
        table = _table(report, value["file"])
        row = base_frames[table].iloc[value["line"] - 2]
        key = [c for c in ("game_date", "player_lookup", "bookmaker", "snapshot_timestamp", "game_id")
               if c in row.index]
        match = frames[table][(frames[table][key] == row[key]).all(axis=1)]
        assert match[value["column"]].tolist() == [value["equals"]]
    if "finding" in expect:
        wanted = expect["finding"]
        found = [f for f in report.findings() if f.kind == wanted["kind"]]
        assert found and found[0].severity == wanted["severity"] and wanted["example"] in found[0].examples


@pytest.mark.parametrize("name", sorted(n for n, case in CORPUS["cases"].items() if "error" in case["expect"]))
def test_error_cases_with_bad_values_quarantined_lose_nothing_uncounted(name, base, tmp_path):
    """The same defects with bad_values="quarantine": a file-level defect still fails; a
    row-level one is dropped with a count, and every untouched base row is kept as it was."""
    case = CORPUS["cases"][name]
    base_folder, base_frames, _ = base
    folder = tmp_path / name
    shutil.copytree(base_folder, folder)
    mutation = _apply(folder, case["do"])
    try:
        frames, report = read_raw_folder_with_report(folder, START, END, bad_values="quarantine")
    except RawInputError as err:
        assert any(file in str(err) for file in _csv_names(folder)), str(err)
        return
    assert report.rows_quarantined >= 1
    for file in _csv_names(folder):
        r = report[file]
        assert r.rows_read == r.rows_kept + r.rows_outside_seasons + r.rows_quarantined, file
        table = r.table
        base_frame = base_frames[table].copy()
        base_frame.index = range(2, len(base_frame) + 2)
        untouched = _rows(base_frame.drop(index=sorted(mutation.touched.get(file, ()))))
        lost = sum((untouched - _rows(frames[table])).values())
        assert lost <= r.rows_quarantined, file  # a conflict takes its untouched twin along
