"""Random changes to a case's text: the tracked-changes copy always accepts to the new paper's text and rejects to the old's."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import KORPUS
from tjanste.commands.pipeline import make_rendering
from tjanste.diffing.tracked import tracked_docx
from tjanste.diffing.views import view
from tjanste.diffing.words import changes, new_text, old_text
from tjanste.docx.text import docx_text

CASE = KORPUS / "cases" / "2015-primarvard.md"
FRONT = CASE.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n"
WORDS = ["budget", "primärvården", "{{ belopp.utveckling }}", "läkare", "och", "*äldre*", "**vård**", "2016"]
_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
_block = st.one_of(
    _words.map(lambda w: w[0].upper() + w[1:] + "."),
    _words.map(lambda w: "## " + w),
    st.lists(_words, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_words, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
)
_prose = st.lists(_block, min_size=1, max_size=6)


def paper(blocks: list[str]) -> dict[str, bytes]:
    text = FRONT + "\n\n".join(blocks) + "\n"
    return make_rendering(str(CASE), text=text).files


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_prose, _prose)
@example(["- budget"], ["Budget."])  # the old list's number meant nothing in the new numbering
@example(["1. budget\n2. budget"], ["- budget", "1. budget"])  # one list became two: paired by look, not by number
@example(["1. budget", "Budget.", "1. budget"], ["1. budget\n2. budget"])  # two lists of one look became one
def test_any_change_of_the_prose_accepts_to_the_new_and_rejects_to_the_old(old_blocks: list[str], new_blocks: list[str]) -> None:
    old, new = paper(old_blocks), paper(new_blocks)
    tracked = tracked_docx(old["beslut.docx"], new["beslut.docx"], "Granskare", "2015-01-19T00:00:00Z")
    assert docx_text(view(tracked, accept=True)) == new["beslut.txt"].decode()
    assert docx_text(view(tracked, accept=False)) == old["beslut.txt"].decode()
    assert docx_text(tracked) == new["beslut.txt"].decode()
    passages = changes(old["beslut.txt"].decode(), new["beslut.txt"].decode())
    assert bool(passages) == (old["beslut.txt"] != new["beslut.txt"])
    for passage in passages:  # every passage is a real difference of the two texts
        assert old_text(passage.pieces) != new_text(passage.pieces)


_rows = st.lists(
    st.tuples(st.sampled_from(["Ett", "Två", "Tre område"]), st.sampled_from(["2 mnkr", "3 mnkr", "0,5 mnkr"])), min_size=1, max_size=4
)


def paper_with_table(rows: list[tuple[str, str]], note: str, blocks: list[str]) -> dict[str, bytes]:
    table = "".join(f"      - {name} | {amount}\n" for name, amount in rows)
    front = FRONT.removesuffix("\n---\n") + (
        "\ntabeller:\n  t:\n    kolumner:\n      - Område\n      - {rubrik: Belopp, namn: belopp, belopp: ja}\n    rader:\n" + table
    )
    prose = "\n\n".join([*blocks, '{{ tabell("t") }}', "Slutet[^1].", f"[^1]: {note}"])
    return make_rendering(str(CASE), text=f"{front}\n---\n{prose}\n").files


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rows, _words, _prose, _rows, _words, _prose)
def test_any_change_of_a_table_or_a_footnote_accepts_to_the_new_and_rejects_to_the_old(
    old_rows, old_note, old_blocks, new_rows, new_note, new_blocks
) -> None:
    old, new = paper_with_table(old_rows, old_note, old_blocks), paper_with_table(new_rows, new_note, new_blocks)
    tracked = tracked_docx(old["beslut.docx"], new["beslut.docx"], "Granskare", "2015-01-19T00:00:00Z")
    assert docx_text(view(tracked, accept=True)) == new["beslut.txt"].decode()
    assert docx_text(view(tracked, accept=False)) == old["beslut.txt"].decode()


_kinds = st.sampled_from(["tjansteskrivelse", "underlag", "beslutsunderlag", "andringsforslag"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_kinds, _prose, _kinds, _prose)
def test_another_template_accepts_to_the_new_and_rejects_to_the_old(old_kind, old_blocks, new_kind, new_blocks) -> None:
    def made(kind: str, blocks: list[str]) -> dict[str, bytes]:
        front = FRONT.replace("typ: tjansteskrivelse", f"typ: {kind}", 1)
        return make_rendering(str(CASE), text=front + "\n\n".join(blocks) + "\n").files

    old, new = made(old_kind, old_blocks), made(new_kind, new_blocks)
    tracked = tracked_docx(old["beslut.docx"], new["beslut.docx"], "Granskare", "2015-01-19T00:00:00Z")
    assert docx_text(view(tracked, accept=True)) == new["beslut.txt"].decode()
    assert docx_text(view(tracked, accept=False)) == old["beslut.txt"].decode()
