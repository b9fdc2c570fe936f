"""A table's regler with proportions and bounds ('oh <= intakt * 15 %'): checked exactly on every row and group, naming the one that breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tjanste.errors import CaseError
from tjanste.review.reviewer import load_and_review

NBSP = "\u00a0"

CASE = """---
typ: tjansteskrivelse
organisation: region-jamtland-harjedalen
datum: 2026-03-02
rubrik: Overhead per verksamhet
tabeller:
  oh:
    enhet: mnkr
    visa_enhet: nej
    decimaler: 1
    kolumner:
      - Verksamhet
      - {{rubrik: Intäkt, namn: intakt, belopp: ja}}
      - {{rubrik: OH, namn: oh, belopp: ja}}
      - {{rubrik: Andel OH, namn: andel, typ: procent}}
      - {{rubrik: Enheter, namn: enheter, typ: antal}}
      - {{rubrik: varav nya, namn: nya, typ: antal}}
    regler:
{rules}
    rader:
      - vard: Vård | 10,0 | 1,2 | 12 % | 11 | 5
      - grupp: Skola | 5,0 | 0,5
        namn: skola
        rader:
          - grundskola: 8 % | 4 | 2
          - gymnasium: 12 % | 3 | 1
      - stod: Stöd | 3,2 | 0,4 | 12,5 % | 2 | 2
---
{{{{ tabell("oh") }}}}
"""


def problems_of(tmp_path: Path, *rules: str) -> list[str]:
    """The errors the review finds with the given regler, as 'line: field: message'."""
    path = tmp_path / "regler.md"
    path.write_text(CASE.format(rules="\n".join(f"      - {rule}" for rule in rules)), encoding="utf-8")
    try:
        load_and_review(path)
    except CaseError as caught:
        return [f"{p.place.line}: {p.field}: {p.message}" for p in caught.problems]
    return []


def test_bounds_and_shares_that_hold_give_nothing(tmp_path: Path) -> None:
    assert (
        problems_of(
            tmp_path,
            "oh >= intakt * 10 %",
            "oh <= intakt * 15 %",
            "oh ≤ intakt * 15 %",
            "oh ≤ intakt × 15 %",
            "oh / intakt >= 10 %",
            "nya <= enheter",
            "nya ≤ enheter",
            "enheter > 0",
            "oh >= 0",  # a written 0 compares with any kind
            "intakt - oh > 0",
            "intakt - oh >= oh * 5",
        )
        == []
    )


def test_a_bound_broken_by_one_row_names_that_row_both_sides_and_the_difference(tmp_path: Path) -> None:
    """The acceptance of issue 25: 'oh <= intakt * 15 %' fails for the row that breaks it and names it."""
    [problem] = problems_of(tmp_path, "oh <= intakt * 12 %")
    assert problem == (
        f"27: tabeller.oh.regler[1]: 'oh <= intakt * 12 %' stämmer inte för raden 'Stöd': oh är 0,400{NBSP}mkr men ska vara "
        f"högst intakt * 12 %, som är 0,384{NBSP}mkr; skillnad 0,016{NBSP}mkr"
    )


def test_a_bound_is_checked_for_a_group_on_its_own_cells(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, "oh > intakt * 11 %")
    assert problem == (
        f"22: tabeller.oh.regler[1]: 'oh > intakt * 11 %' stämmer inte för gruppen 'Skola': oh är 0,50{NBSP}mkr men ska vara "
        f"mer än intakt * 11 %, som är 0,55{NBSP}mkr; skillnad 0,05{NBSP}mkr"
    )


def test_a_share_and_a_count_bound_name_percentages_and_counts(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "andel >= 11 %", "nya * 2 <= enheter")
    assert problems == [
        f"26: tabeller.oh.regler[1]: 'andel >= 11 %' stämmer inte för raden 'grundskola' i gruppen 'Skola': andel är 8{NBSP}% "
        f"men ska vara minst 11 %, som är 11{NBSP}%; skillnad 3{NBSP}procentenheter",
        "28: tabeller.oh.regler[2]: 'nya * 2 <= enheter' stämmer inte för raden 'Stöd': nya * 2 är 4 men ska vara högst enheter, "
        "som är 2; skillnad 2",
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "oh <= intakt * oh",
            "'intakt * oh' multiplicerar ett belopp med ett belopp, vilket inte betyder något; "
            "multiplicera med ett tal eller en procentsats, t.ex. intakt * 15 %",
        ),
        ("oh <= intakt / 0", "'intakt / 0' delar med noll; dela med ett tal som inte är noll"),
        (
            "oh <= intakt + 15 %",
            "'intakt + 15 %' lägger ihop ett belopp och en procentsats; en procentsats av ett belopp skrivs med *, "
            "t.ex. oh <= intakt * 15 % eller intakt * 110 % för 10 % mer",
        ),
        ("andel <= 15", "'andel <= 15' jämför en procentsats med ett tal; skriv procentsatsen med %, t.ex. andel <= 50 %"),
        (
            "oh = andel",
            "'oh = andel' jämför ett belopp med en procentsats; en procentsats av ett belopp skrivs med *, t.ex. oh <= intakt * 15 % eller intakt * 110 % för 10 % mer",
        ),
        ("oh", "'oh' saknar '=' eller en jämförelse (<, <=, >, >=); skriv t.ex. fordelning = intakt - oh eller oh <= intakt * 15 %"),
        ("oh <= intakt * 15 % * x", "'x' är ingen kolumn med tal i tabellen oh; kolumner: intakt, oh, andel, enheter, nya"),
    ],
)
def test_what_cannot_be_meant_is_refused_at_the_rule_with_what_to_write(tmp_path: Path, rule: str, message: str) -> None:
    assert problems_of(tmp_path, rule) == [f"19: tabeller.oh.regler[1]: {message}"]


def test_a_divisor_that_is_zero_in_a_row_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "regler.md"
    path.write_text(CASE.format(rules="      - oh / intakt <= 15 %").replace("Stöd | 3,2", "Stöd | 0,0"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(path)
    messages = [p.message for p in caught.value.problems]
    assert "'oh / intakt <= 15 %' kan inte prövas för raden 'Stöd': intakt är noll, och ingenting kan delas med noll" in messages


def test_a_condition_over_the_limits_is_refused_before_it_is_parsed_or_computed() -> None:
    """Ten thousand brackets would recurse past Python's stack; ten thousand terms would be computed on every row."""
    from tjanste import limits
    from tjanste.values.conditions import ConditionError, parse_condition

    with pytest.raises(ConditionError) as deep:
        parse_condition("a = " + "(" * 30 + "b" + ")" * 30)
    assert str(deep.value).startswith("nästlingen av parenteser och tecken i villkoret är 21 nivåer, över gränsen 20 nivåer")
    with pytest.raises(ConditionError) as signs:
        parse_condition("a = " + "-" * 30 + "b")
    assert "(CONDITION_NESTING)" in str(signs.value)
    with pytest.raises(ConditionError, match=r"\(CONDITION_TOKENS\)"):
        parse_condition("a = " + "(" * 10_000 + "b" + ")" * 10_000)
    with pytest.raises(ConditionError) as long:
        parse_condition("a = " + " + ".join(["b"] * 5_000))
    assert str(long.value) == (
        f"villkoret är 10001 led, över gränsen {limits.CONDITION_TOKENS.value} led (CONDITION_TOKENS); "
        "en regel eller kontroll är några namn och tal; dela upp den i flera"
    )
    with pytest.raises(ConditionError, match="har fler än 40 siffror"):
        parse_condition("a = b * " + "9" * 50_000)


def documented(heading: str) -> str:
    """The section under a heading of the users' documentation: in docs/ (docs/referens.md) once it lives there, or README.md."""
    from conftest import ROOT

    for path in [ROOT / "docs" / "referens.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        starts = [i for i, line in enumerate(lines) if line.lstrip("#") == f" {heading}" and line.startswith("#")]
        if not starts:
            continue
        level = len(lines[starts[0]]) - len(lines[starts[0]].lstrip("#"))
        section, fenced = [], False
        for line in lines[starts[0] + 1 :]:
            fenced ^= line.startswith("```")
            if not fenced and line.startswith("#") and len(line) - len(line.lstrip("#")) <= level:
                break
            section.append(line)
        return "\n".join(section)
    raise AssertionError(f"avsnittet '{heading}' finns varken i docs/ eller README.md")


def _blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


def test_the_documented_rules_hold_and_a_broken_row_gives_the_documented_error(tmp_path: Path) -> None:
    section = documented("Regler och kontroller")
    yaml = _blocks(section, "yaml")[0]
    head = "---\ntyp: tjansteskrivelse\norganisation: region-jamtland-harjedalen\ndatum: 2026-03-02\nrubrik: Exempel\n"
    path = tmp_path / "x.md"
    path.write_text(head + yaml + '---\n{{ tabell("verksamheter") }}\n', encoding="utf-8")
    load_and_review(path)  # the example as documented: every rule and kontroll holds
    variant = re.search(r"med\s+raden `([^`]+)`", section).group(1)
    row = next(line for line in yaml.splitlines() if line.strip().startswith(f"- {variant.split(' | ')[0]} |"))
    path.write_text(head + yaml.replace(row, f"      - {variant}") + '---\n{{ tabell("verksamheter") }}\n', encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(path)
    [expected] = _blocks(section, "text")
    place, message = expected.strip().split(": fel: ", 1)
    [problem] = [p for p in caught.value.problems if f"{p.field}: {p.message}".replace(NBSP, " ") == message]
    line = yaml.splitlines().index(row) + 6  # the broken row's line, after the five lines of head
    assert (problem.place.line, problem.place.col) == (line, 9) and place.endswith(f"x.md:{line}:9")


def test_the_documented_written_and_computed_sums_render_as_documented(tmp_path: Path) -> None:
    from tjanste.commands.pipeline import read_and_word

    section = documented("Skriven och framräknad summa")
    yaml = _blocks(section, "yaml")[0]
    citations = re.findall(r"^\| `(\{\{.*?\}\})` \| .*`([^`]+)` \|$", section, flags=re.MULTILINE)
    assert len(citations) == 3
    head = "---\ntyp: tjansteskrivelse\norganisation: region-jamtland-harjedalen\ndatum: 2026-03-02\nrubrik: Exempel\n"
    path = tmp_path / "x.md"
    path.write_text(head + yaml + "---\n" + "\n\n".join(written for written, _ in citations) + "\n", encoding="utf-8")
    _, papers = read_and_word(str(path))
    assert [p.replace(NBSP, " ") for p in papers[0].prose.strip().split("\n\n")] == [shown for _, shown in citations]


def test_a_share_rounded_in_the_paper_passes_within_a_tolerance_in_percentage_points(tmp_path: Path) -> None:
    """Stöd's share is 0,4 / 3,2 = 12,5 %; written 13 % it is half a percentage point off, which tolerans: 0,5 allows."""
    path = tmp_path / "regler.md"
    rounded = CASE.replace("Stöd | 3,2 | 0,4 | 12,5 %", "Stöd | 3,2 | 0,4 | 13 %")
    path.write_text(rounded.format(rules="      - andel = oh / intakt"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(path)
    assert [p.message for p in caught.value.problems] == [
        (
            f"'andel = oh / intakt' stämmer inte för raden 'Stöd': andel är 13{NBSP}% men oh / intakt är 12,5{NBSP}%, "
            f"skillnad 0,5{NBSP}procentenheter"
        )
    ]
    path.write_text(rounded.format(rules="      - {villkor: andel = oh / intakt, tolerans: '0,5'}"), encoding="utf-8")
    assert load_and_review(path).tabeller["oh"].complete
    path.write_text(rounded.format(rules="      - {villkor: andel = oh / intakt, tolerans: '0,4'}"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(path)
    assert caught.value.problems[0].message.endswith(f"skillnad 0,5{NBSP}procentenheter (tillåten avvikelse 0,4{NBSP}procentenheter)")
