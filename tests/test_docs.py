"""The README's first screen and the guides in docs/: short where it must be, linked in order, and right about proposals."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT
from tjanste.wording.proposal import introduction

GUIDES = ["handlaggare.md", "registrator.md", "granskning.md", "mallar.md", "referens.md"]
WRITTEN_ELSEWHERE = {"granskning.md"}  # the reviewer's guide comes with the review tools


def test_the_readme_is_a_first_screen_with_the_two_commands_and_the_guides_in_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 60, "README.md ska rymmas på en första skärm; det mesta hör hemma i docs/"
    assert "make beslut CASE=2015-primarvard" in readme and "\nmake test " in readme  # CI and users run exactly these
    assert "kommuner och\nregioner" in readme or "kommuner och regioner" in readme
    linked = re.findall(r"\]\(docs/([a-z]+\.md)", readme)
    guides = [name for name in dict.fromkeys(linked) if name in GUIDES]
    assert guides == GUIDES, guides  # the reference last
    for name in dict.fromkeys(linked):
        assert name in WRITTEN_ELSEWHERE or (ROOT / "docs" / name).is_file(), name


def test_every_link_between_the_guides_resolves() -> None:
    for guide in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([a-z]+\.md)(?:#[^)]*)?\)", guide.read_text(encoding="utf-8")):
            assert target in WRITTEN_ELSEWHERE or (ROOT / "docs" / target).is_file(), (guide.name, target)


def test_every_proposal_example_in_the_guides_says_the_sentence_it_renders() -> None:
    """The new case's foreslar comment was backwards; the guides' examples are checked against the renderer's own words."""
    checked = 0
    for guide in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```(?:yaml|markdown)\n(.*?)\n```", guide.read_text(encoding="utf-8"), flags=re.DOTALL):
            if "\nforslag:" not in f"\n{block}":
                continue
            front = block.split("\n---\n")[0].removeprefix("---\n")
            proposal = yaml.safe_load(front)["forslag"]
            said = re.search(r"beslutar: .*# .*?\"([^\"]+)\"", block)
            if said:
                assert said.group(1) == introduction(proposal["beslutar"], proposal.get("foreslar", "")), (guide.name, block)
                checked += 1
    assert checked >= 3
