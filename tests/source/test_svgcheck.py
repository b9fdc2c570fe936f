"""The SVG logotype check: fixtures in tests/fixtures/svg/ of what a drawing program writes (accepted) and of what is refused.

Each fixture, in markdown-it-py's fixture format, is an SVG file and either 'godkänd' or a part of the
Swedish message it must give; a failure names the fixture's file and line.
"""

from __future__ import annotations

import pytest
from markdown_it.utils import read_fixture_file

from conftest import ROOT
from tjanste import limits
from tjanste.source.svgcheck import svg_problem

FIXTURES = ROOT / "tests" / "fixtures" / "svg"


@pytest.mark.parametrize(("line", "title", "svg", "expected"), read_fixture_file(FIXTURES / "tillatna.md"))
def test_what_drawing_programs_write_is_accepted(line: int, title: str, svg: str, expected: str) -> None:
    assert expected.strip() == "godkänd", f"tillatna.md:{line}"
    assert svg_problem(svg.encode()) is None, f"tillatna.md:{line}: {title}"


@pytest.mark.parametrize(("line", "title", "svg", "expected"), read_fixture_file(FIXTURES / "nekade.md"))
def test_what_could_run_move_or_reach_outside_is_refused(line: int, title: str, svg: str, expected: str) -> None:
    problem = svg_problem(svg.encode())
    assert problem is not None, f"nekade.md:{line}: {title} godkändes"
    assert expected.strip() in problem, f"nekade.md:{line}: {title}: {problem}"


def test_a_file_in_utf16_is_refused_before_it_is_parsed() -> None:
    """libxml2 reads UTF-16, where a search for '<!DOCTYPE' in the bytes finds nothing."""
    svg = '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
    assert svg_problem(svg.encode("utf-16")) == "är inte sparad som UTF-8; spara om den som UTF-8 från ritprogrammet"


def test_a_byte_order_mark_before_utf8_is_accepted() -> None:
    assert svg_problem(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><svg xmlns="http://www.w3.org/2000/svg"/>') is None


def test_more_elements_than_the_limit_are_refused() -> None:
    count = limits.SVG_ELEMENTS.value + 1
    svg = '<svg xmlns="http://www.w3.org/2000/svg">' + "<rect/>" * (count - 1) + "</svg>"
    assert svg_problem(svg.encode()) == f"är för stor: {limits.SVG_ELEMENTS.message(count)}"
    assert svg_problem(svg.replace("<rect/>", "", 1).encode()) is None  # at the limit itself


def test_use_that_draws_a_large_group_many_times_is_counted_against_the_limit() -> None:
    """Each <use> draws its target again: 200 uses of a group of 200 shapes are 40 000 shapes from a file of 400 elements."""
    group = '<g id="a">' + "<rect/>" * 200 + "</g>"
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><defs>{group}</defs>' + '<use href="#a"/>' * 200 + "</svg>"
    problem = svg_problem(svg.encode())
    assert problem is not None and "(SVG_ELEMENTS)" in problem and "räknat med det som <use> ritar igen" in problem, problem
