"""tjanste diff, without git: the word diff, the passages by heading, the figures that changed and the report's three formats."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import KORPUS, edited
from tjanste.commands.pipeline import make_rendering
from tjanste.diffing.compare import compare_case
from tjanste.diffing.figures import changed, figures
from tjanste.diffing.report import as_html, as_markdown, as_text, trimmed
from tjanste.diffing.words import Piece, changes, new_text, old_text, tokens, word_diff

NBSP = "\u00a0"
PRIMARVARD = KORPUS / "cases" / "2015-primarvard.md"
GODNARA = KORPUS / "cases" / "2022-godnara.md"


def test_an_amount_written_with_a_no_break_space_is_one_word_and_punctuation_stands_apart() -> None:
    assert tokens(f"avsätta 2{NBSP}mnkr, (samt)") == ["avsätta", " ", f"2{NBSP}mnkr", ",", " ", "(", "samt", ")"]


def test_a_changed_amount_is_one_deletion_and_one_insertion() -> None:
    pieces = word_diff(f"Resterande 15,1{NBSP}mnkr ska fördelas.", f"Resterande 16{NBSP}mnkr ska fördelas.")
    assert pieces == [
        Piece("lika", "Resterande "),
        Piece("bort", f"15,1{NBSP}mnkr"),
        Piece("till", f"16{NBSP}mnkr"),
        Piece("lika", " ska fördelas."),
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \n\tab,.()" + NBSP, max_size=40), st.text(alphabet=" \n\tab,.()" + NBSP, max_size=40))
def test_the_pieces_give_back_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert old_text(pieces) == old
    assert new_text(pieces) == new
    assert all(p.text for p in pieces)


def test_only_the_changed_paragraph_shows_under_its_heading() -> None:
    old = "# Rubrik\n\nEtt stycke som står kvar.\n\n## Ekonomi\n\nKostnaden är 2 mnkr.\n\nSista stycket.\n"
    new = old.replace("2 mnkr", "3 mnkr")
    (change,) = changes(old, new)
    assert change.heading == "## Ekonomi"
    assert change.pieces == [Piece("lika", "Kostnaden är "), Piece("bort", "2"), Piece("till", "3"), Piece("lika", " mnkr.")]


def test_a_removed_paragraph_stands_under_the_heading_it_had() -> None:
    old = "# A\n\nett\n\n# B\n\ntvå\n\ntre\n"
    new = "# A\n\nett\n\n# B\n\ntre\n"
    (change,) = changes(old, new)
    assert (change.heading, change.pieces) == ("# B", [Piece("bort", "två")])


def test_a_changed_heading_and_its_changed_paragraph_are_two_passages_the_second_under_the_new_heading() -> None:
    old = "# Bakgrund\n\nKostnaden är 2 mnkr.\n\n# Förslag\n\nsamma\n"
    new = "# Bakgrunden\n\nKostnaden är 3 mnkr.\n\n# Förslag\n\nsamma\n"
    assert [(c.heading, new_text(c.pieces)) for c in changes(old, new)] == [
        ("", "# Bakgrunden"),
        ("# Bakgrunden", "Kostnaden är 3 mnkr."),
    ]


def test_a_long_paragraph_keeps_a_few_words_around_its_change() -> None:
    before = " ".join(f"ord{i}" for i in range(40))
    pieces = word_diff(before + " gammalt " + before, before + " nytt " + before)
    shown = "".join(p.text for p in trimmed(pieces))
    assert shown.startswith("…") and shown.endswith("…")
    assert "ord39 " in shown and "ord31" not in shown.split("gammalt")[0]


def primarvard_diff():
    """2015-primarvard with one named amount and one word of an att-sats changed, compared as the command compares it."""
    text = edited(
        PRIMARVARD,
        ("  halsovalspeng: 10 mnkr", "  halsovalspeng: 12 mnkr"),
        ("till läkarförsörjning under", "till läkarförsörjningen under"),
    )
    sides = [make_rendering(str(PRIMARVARD)), make_rendering(str(PRIMARVARD), text=text)]
    texts = [{n: r.files[n.removesuffix(".docx") + ".txt"].decode() for n in r.files if n.endswith(".docx")} for r in sides]
    figure_sets = (figures(sides[0].case, sides[0].papers), figures(sides[1].case, sides[1].papers))
    return compare_case("2015-primarvard", ("HEAD", "arbetskatalogen"), (texts[0], texts[1]), figure_sets)


def test_the_figures_list_the_amount_and_the_att_sats_as_the_paper_writes_them() -> None:
    diff = primarvard_diff()
    names = {c.name: (c.old, c.new) for c in diff.figures}
    assert names["belopp.halsovalspeng"] == (f"10{NBSP}mnkr", f"12{NBSP}mnkr")
    old, new = names["forslag.att[1]"]
    assert old.startswith(f"att avsätta 2{NBSP}mnkr till läkarförsörjning under") and "läkarförsörjningen under" in new
    assert len(names) == 2, names


def test_the_markdown_has_the_table_first_and_marks_the_changed_word() -> None:
    text = as_markdown(primarvard_diff())
    assert text.index("**Belopp och beslut**") < text.index("### beslut.docx") < text.index("### protokollsutdrag.docx")
    assert f"| `belopp.halsovalspeng` | 10{NBSP}mnkr → 12{NBSP}mnkr |" in text
    assert f"~~10{NBSP}mnkr~~ **12{NBSP}mnkr**" in text
    assert "~~läkarförsörjning~~ **läkarförsörjningen**" in text


def test_the_text_marks_words_and_colours_them_only_when_asked() -> None:
    diff = primarvard_diff()
    plain = as_text(diff)
    assert "[-läkarförsörjning-]{+läkarförsörjningen+}" in plain
    assert f"belopp.halsovalspeng: 10{NBSP}mnkr → 12{NBSP}mnkr" in plain
    assert "\x1b[" not in plain
    assert "\x1b[31m[-läkarförsörjning-]\x1b[m\x1b[32m{+läkarförsörjningen+}\x1b[m" in as_text(diff, colour=True)


def test_the_html_page_uses_del_and_ins_and_escapes_the_text() -> None:
    page = as_html([primarvard_diff()], "Ändringar <HEAD>")
    assert "<del>läkarförsörjning</del><ins>läkarförsörjningen</ins>" in page
    assert "<title>Ändringar &lt;HEAD&gt;</title>" in page and page.startswith("<!DOCTYPE html>")


def test_markdown_characters_of_the_paper_are_escaped() -> None:
    diff = compare_case("x", ("a", "b"), ({"beslut.docx": "| a | *b* |\n"}, {"beslut.docx": "| a | *c* |\n"}), ({}, {}))
    assert r"\| a \| ~~\*b\*~~ **\*c\*** \|" in as_markdown(diff)


def test_nothing_changed_is_one_line() -> None:
    same = {"beslut.docx": "# Rubrik\n"}
    diff = compare_case("2015-primarvard", ("HEAD", "arbetskatalogen"), (same, same), ({"belopp.a": "1"}, {"belopp.a": "1"}))
    assert as_text(diff) == "2015-primarvard: ingen ändring i texten (HEAD → arbetskatalogen)\n"


def changed_figures(path: Path, text: str) -> dict[str, tuple[str, str]]:
    """Each figure of the case that the edited text changes, by name: (old, new)."""
    before, after = make_rendering(str(path), documents=False), make_rendering(str(path), text=text, documents=False)
    return {c.name: (c.old, c.new) for c in changed(figures(before.case, before.papers), figures(after.case, after.papers))}


def test_a_table_cell_changes_its_column_sum_and_the_kontroll_that_names_it() -> None:
    text = edited(
        GODNARA,
        ("Fast läkar- och vårdkontakt, 300 000 kr", "Fast läkar- och vårdkontakt, 299 500 kr"),
        ("skrivet: [30 594 000 kr]", "skrivet: [30 593 500 kr]"),
    )
    found = changed_figures(GODNARA, text)
    assert [found["tabell.narakort.summa"][0].replace(NBSP, " "), found["tabell.narakort.summa"][1].replace(NBSP, " ")] == [
        "30 594 000 kr",
        "30 593 500 kr",
    ]
    check = found["kontroller[1] fordelning.summa = narakort.summa + medarbetare.summa + ehalsa_rjh + ambulans_rjh"]
    assert [side.replace(NBSP, " ").split(" = ")[1].split(" + ")[0] for side in check] == ["30 594 000 kr", "30 593 500 kr"]


def test_a_document_that_is_gone_is_named_and_a_new_one_shown_whole() -> None:
    diff = compare_case("x", ("a", "b"), ({"bilaga-1.docx": "Gammal bilaga.\n"}, {"bilaga-2.docx": "Ny bilaga.\n"}), ({}, {}))
    text = as_text(diff)
    assert "bilaga-1.docx (handlingen finns inte längre)\n" in text and "Gammal" not in text
    assert "bilaga-2.docx (ny handling)" in text and "{+Ny bilaga.+}" in text


def test_a_change_over_the_word_limit_is_shown_replaced_whole(monkeypatch) -> None:
    from tjanste import limits

    monkeypatch.setattr(limits, "DIFF_WORDS", limits.DIFF_WORDS._replace(value=5))
    assert Piece("lika", "ett ") in word_diff("ett två tre", "ett tre fyra")  # five tokens: still word by word
    assert word_diff("ett två tre fyra", "ett två tre fem") == [Piece("bort", "ett två tre fyra"), Piece("till", "ett två tre fem")]


def test_the_decision_recorded_is_among_the_figures() -> None:
    text = edited(
        PRIMARVARD,
        ("  paragraf: 12", "  paragraf: 13"),
        ("  utfall: enligt förslaget", "  utfall: med ändringar\n  att:\n    - avslå allt"),
    )
    found = changed_figures(PRIMARVARD, text)
    assert found["beslut.paragraf"] == ("12", "13")
    assert found["beslut.utfall"] == ("enligt förslaget", "med ändringar")
    assert found["beslut.att[1]"][1].startswith("att avslå allt")
