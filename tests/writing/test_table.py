"""Case tables in Word: a table made again of the same data comes from memory with the same bytes, and only then."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from tjanste import limits
from tjanste.commands.pipeline import make_rendering
from tjanste.files.kept import Kept
from tjanste.writing import table

TABLE = {
    "kolumner": ["Område", "{rubrik: Summa, namn: summa, belopp: ja}"],
    "rader": ["[Nära vård, 30 mnkr]", "[E-hälsa, 12 mnkr]"],
}


def test_a_table_from_memory_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "_papers", Kept(lambda: limits.BUILT_TABLES_KEPT))
    case = str(ROOT / "tests" / "arenden" / "tabeller.md")
    made = make_rendering(case).files
    assert any(kept.made for kept in table._papers.values())  # the tables without a footnote, link or picture are kept...
    again = make_rendering(case).files  # ...and come back from memory
    assert again == made


def test_each_case_gets_its_own_table(make_case: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "_papers", Kept(lambda: limits.BUILT_TABLES_KEPT))
    prose = '{{ tabell("fordelning") }}'
    first = make_case("forsta", prose, tabeller={"fordelning": TABLE})
    other = make_case("andra", prose, tabeller={"fordelning": {**TABLE, "rader": ["[Nära vård, 30 mnkr]", "[Ambulans, 12 mnkr]"]}})
    for path in (first, other, first):
        text = make_rendering(str(path)).files["beslut.txt"].decode("utf-8")
        assert ("E-hälsa" in text) == (path == first) and ("Ambulans" in text) == (path == other)


def test_a_table_with_a_footnote_is_made_each_time(make_case: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A footnote in a cell is numbered in the paper's own notes: never kept."""
    monkeypatch.setattr(table, "_papers", Kept(lambda: limits.BUILT_TABLES_KEPT))
    noted = {**TABLE, "rader": ["[Nära vård, 30 mnkr]", '["E-hälsa[^n]", 12 mnkr]']}
    path = make_case("fotnot", '{{ tabell("fordelning") }}\n\n[^n]: En not.', tabeller={"fordelning": noted})
    made = make_rendering(str(path)).files
    assert not any(kept.made for kept in table._papers.values())
    assert "[^1]: En not." in made["beslut.txt"].decode("utf-8")
    assert make_rendering(str(path)).files == made


def test_tables_too_large_to_keep_are_made_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "_papers", Kept(lambda: limits.BUILT_TABLES_KEPT))
    case = str(ROOT / "tests" / "arenden" / "tabeller.md")
    kept = make_rendering(case).files
    monkeypatch.setattr(table, "_papers", Kept(lambda: limits.BUILT_TABLES_KEPT))
    monkeypatch.setattr(limits, "BUILT_TABLES_KEY_BYTES", 100)
    assert make_rendering(case).files == kept
    assert not table._papers


def test_the_same_tables_in_another_file_are_the_same_entry(make_case: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a table was written only names it in messages: `alla` over copies of a case makes its tables once."""
    monkeypatch.setattr(table, "_papers", Kept(lambda: limits.BUILT_TABLES_KEPT))
    prose = '{{ tabell("fordelning") }}'
    first = make_rendering(str(make_case("forsta", prose, tabeller={"fordelning": TABLE}))).files
    copy = make_rendering(str(make_case("kopia", "Text före.\n\n" + prose, tabeller={"fordelning": TABLE}))).files
    assert len(table._papers) == 1
    assert first["beslut.txt"].split(b"Omr")[1] == copy["beslut.txt"].split(b"Omr")[1]
