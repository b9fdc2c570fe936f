"""One source for every figure: the official's guide's table example reads, its rules hold, and every citation in its table renders as it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from tjanste.commands.pipeline import read_and_word
from tjanste.errors import CaseError

HEAD = """---
typ: beslutsunderlag
organisation: region-jamtland-harjedalen
datum: 2023-03-14
rubrik: Exempel
"""


def readme_example() -> tuple[str, list[tuple[str, str]]]:
    """The YAML of the guide's section on citing (docs/handlaggare.md), and its table of (written, shown) citations."""
    section = (ROOT / "docs" / "handlaggare.md").read_text(encoding="utf-8").split("### Varje tal har en källa", 1)[1]
    yaml = section.split("```yaml\n", 1)[1].split("\n```", 1)[0]
    rows = re.findall(r"^\| `(\{\{.*?\}\})` \| .*?`([^`]+)` \|$", section.split("```text", 1)[0], flags=re.MULTILINE)
    return yaml, [(written.replace("\\|", "|"), shown) for written, shown in rows]


def write_case(tmp_path: Path, yaml: str, prose: str) -> Path:
    path = tmp_path / "exempel.md"
    path.write_text(HEAD + yaml + "\n---\n" + prose + "\n", encoding="utf-8")
    return path


def test_the_guide_example_reads_and_its_citations_render_as_the_guide_says(tmp_path: Path) -> None:
    yaml, citations = readme_example()
    assert len(citations) >= 5
    prose = "\n\n".join(written for written, _ in citations) + '\n\n{{ tabell("fordelning") }}\n\n[^1]: En fotnot.'
    _, papers = read_and_word(str(write_case(tmp_path, yaml, prose)))
    paragraphs = papers[0].prose.split("\n\n")
    for (written, shown), paragraph in zip(citations, paragraphs, strict=False):
        assert paragraph.replace("\u00a0", " ") == shown, written


def test_a_rule_that_fails_for_a_group_names_table_group_sides_and_difference(tmp_path: Path) -> None:
    yaml, _ = readme_example()
    broken = yaml.replace("vardcentraler: 20,0[^1]", "vardcentraler: 20,2[^1]").replace("27,1 | 1,3 | 25,8", "27,1 | 1,3 | 26,0")
    with pytest.raises(CaseError) as caught:
        read_and_word(str(write_case(tmp_path, broken, '{{ tabell("fordelning") }}\n\n[^1]: En fotnot.')))
    [problem] = caught.value.problems
    assert problem.field == "tabeller.fordelning.regler[1]"
    assert (
        problem.message
        == "'fordelning = intakt - oh' stämmer inte för gruppen 'Nära vård': fordelning är 24,9\u00a0mkr men intakt − oh är 24,7\u00a0mkr, skillnad 0,2\u00a0mkr"
    )


def test_an_amount_column_without_a_total_needs_none_written(tmp_path: Path) -> None:
    yaml, _ = readme_example()
    case, _ = read_and_word(str(write_case(tmp_path, yaml, '{{ tabell("fordelning") }}\n\n[^1]: En fotnot.')))
    table = case.tabeller["fordelning"]
    assert [table.kolumner[i].namn for i in table.summed_columns] == ["intakt", "oh", "fordelning", "enheter"]
    assert [row.cells[0] for row in table.rows if row.subtotal] == ["Summa nära vård"]


SUMS = """tabeller:
  ar:
    enhet: mnkr
    kolumner:
      - Område
      - {rubrik: "2018", namn: ar2018, belopp: ja}
      - {rubrik: Andel, namn: andel, typ: procent, summa: ja}
    rader:
      - Vård | 6,34 | 50 %
      - Skola | 6,26 | 50 %
    summa:
      rubrik: Summa
      skrivet: 12,6 | 100 %
      tolerans: 0 kr
"""


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("{{ tabell.ar.ar2018 }}", "12,6 mkr"),
        ("{{ tabell.ar.ar2018.summa }}", "12,6 mkr"),
        ("{{ tabell.ar.ar2018.skriven_summa }}", "12,6 mkr"),
        ("{{ tabell.ar.ar2018.summa | kr }}", "12 600 000 kr"),
        ("{{ tabell.ar.andel.skriven_summa }}", "100 %"),
        ("{{ tabell.ar.ar2018 | mnkr(2) }}", "12,60 mkr"),
    ],
)
def test_the_computed_and_the_written_sum_are_cited_by_their_own_names(tmp_path: Path, written: str, shown: str) -> None:
    _, papers = read_and_word(str(write_case(tmp_path, SUMS, written)))
    assert papers[0].prose.strip().replace("\u00a0", " ") == shown


def test_the_written_sum_is_what_the_sum_row_writes_within_its_tolerance(tmp_path: Path) -> None:
    """tabell.t.k and .summa are the rows' sum; .skriven_summa is the sum row as the case writes it (here 0,1 mnkr off, allowed)."""
    case = SUMS.replace("6,26", "6,16").replace("tolerans: 0 kr", "tolerans: 0,1 mnkr")
    _, papers = read_and_word(
        str(write_case(tmp_path, case, "{{ tabell.ar.ar2018 }} / {{ tabell.ar.ar2018.summa }} / {{ tabell.ar.ar2018.skriven_summa }}"))
    )
    assert papers[0].prose.strip().replace("\u00a0", " ") == "12,5 mkr / 12,5 mkr / 12,6 mkr"


def test_a_sum_name_that_does_not_exist_names_both(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as caught:
        read_and_word(str(write_case(tmp_path, SUMS, "{{ tabell.ar.ar2018.skrivet }}")))
    [problem] = caught.value.problems
    assert "'skrivet' finns inte för kolumnens summa (menade du 'skriven_summa'?)" in problem.message
    assert "ar.ar2018.summa" in problem.message and "ar.ar2018.skriven_summa" in problem.message


def test_a_written_sum_that_is_itself_wrong_adds_no_second_error(tmp_path: Path) -> None:
    """A sum row that cannot be read is the table's error; citing its written sum says nothing more."""
    with pytest.raises(CaseError) as caught:
        read_and_word(
            str(
                write_case(tmp_path, SUMS.replace("skrivet: 12,6 | 100 %", "skrivet: tolv | 100 %"), "{{ tabell.ar.ar2018.skriven_summa }}")
            )
        )
    assert [p.field for p in caught.value.problems] == ["tabeller.ar.summa.skrivet[1]"]
