"""A bilaga that is a letter of its own (a yttrande sent as a bilaga): its addressee above the title, its signatures at the end,
and a letterhead line in the organisation's words ('Bilaga 1 till tjänsteskrivelse'), on tests/arenden/yttrande.md."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from tjanste.commands.pipeline import read_and_word, render_case
from tjanste.errors import CaseError

CASE = ROOT / "tests" / "arenden" / "yttrande.md"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("yttrande")
    render_case(str(CASE), out)
    return out / "yttrande"


def test_the_addressee_stands_above_the_title_and_the_signatures_after_the_text(rendered: Path) -> None:
    text = (rendered / "bilaga-1.txt").read_text(encoding="utf-8")
    body = text.split("[sidhuvud]")[0]
    assert (
        "| Region Jämtland Härjedalen | Sida [sida] ([sidor]) / 2026-03-02 / Dnr RS/412/2026 |\n\nBilaga 1 till tjänsteskrivelse\n" in text
    )
    assert re.search(
        r"\n\nFörsvarsdepartementet\n103 33 Stockholm\n\n# Yttrande över remissen Ett stärkt civilt försvar \(Ds 2026:4\)\n\n", body
    )
    assert body.rstrip().endswith(
        "vad det kostar.\n\nÖstersund dag som ovan\n\nAnna Berg\n\nRegionstyrelsens ordförande\n\nPer Ek\n\nRegiondirektör"
    )
    decision = (rendered / "beslut.txt").read_text(encoding="utf-8")
    assert "Försvarsdepartementet" not in decision.split("# Ärendet")[0]  # the paper itself keeps its own addressee
    assert decision.count("Per Ek") == 1 and "Anna Berg" not in decision


def test_the_addressee_is_one_paragraph_with_line_breaks_and_the_signatures_real_signature_lines(rendered: Path) -> None:
    with zipfile.ZipFile(rendered / "bilaga-1.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    [addressee] = [p for p in re.findall(r"<w:p>.*?</w:p>", document) if '<w:pStyle w:val="Mottagare"/>' in p]
    assert re.search(r">Försvarsdepartementet</w:t>.*<w:br/>.*>103 33 Stockholm</w:t>", addressee)
    assert document.count('<w:pStyle w:val="Underskrift"/>') == 2


def test_the_registrar_records_the_bilaga_as_sent_to_its_own_addressee(rendered: Path) -> None:
    documents = json.loads((rendered / "metadata.json").read_text(encoding="utf-8"))["handlingar"]
    assert [(d["namn"], d["mottagare"]) for d in documents] == [
        ("beslut", "Regionstyrelsen"),
        ("bilaga-1", "Försvarsdepartementet, 103 33 Stockholm"),
    ]


def test_a_bilaga_that_is_only_listed_cannot_carry_an_addressee(tmp_path: Path) -> None:
    case = tmp_path / "yttrande.md"
    case.write_text(CASE.read_text(encoding="utf-8").replace("    fil: yttrande/yttrande.md\n", ""), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        read_and_word(str(case))
    assert [(p.place.line, p.field, p.message) for p in caught.value.problems] == [
        (
            line,
            f"bilagor[1].{key}",
            f"står i bilagans egen handling, men bilagan har ingen fil; ange fil: med bilagans text, eller ta bort {key}:",
        )
        for line, key in ((20, "mottagare"), (24, "underskrifter"))
    ]


def _with_profile(project_copy: Path, header_line: str) -> Path:
    """The case and its bilaga in a project whose region profile says header_line."""
    profile = project_copy / "templates" / "organisationer" / "region-jamtland-harjedalen.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + header_line, encoding="utf-8")
    shutil.copy(CASE, project_copy / "cases" / "yttrande.md")
    shutil.copytree(CASE.parent / "yttrande", project_copy / "cases" / "yttrande")
    return project_copy / "cases" / "yttrande.md"


def test_the_organisation_words_the_bilaga_line_in_its_profile(project_copy: Path, tmp_path: Path) -> None:
    case = _with_profile(project_copy, 'bilagehuvud: "Bilaga {nummer} till {handling} {datum}, dnr {dnr}"\n')
    render_case(str(case), tmp_path / "build")
    text = (tmp_path / "build" / "yttrande" / "bilaga-1.txt").read_text(encoding="utf-8")
    assert "\n\nBilaga 1 till tjänsteskrivelse 2026-03-02, dnr RS/412/2026\n" in text


def test_a_profile_line_naming_what_does_not_exist_is_the_profiles_error(project_copy: Path) -> None:
    case = _with_profile(project_copy, 'bilagehuvud: "Bilaga {nummr} till {handling}"\n')
    with pytest.raises(CaseError) as caught:
        read_and_word(str(case))
    [problem] = caught.value.problems
    assert problem.place.path.endswith("region-jamtland-harjedalen.yaml") and problem.field == "bilagehuvud"
    assert problem.message == (
        "'{nummr}' kan inte stå i bilagehuvud (menade du 'nummer'?); skriv {nummer}, {handling}, {rubrik}, {dnr}, {datum}"
    )


def test_the_documented_bilaga_renders_its_addressee_and_signatures(tmp_path: Path) -> None:
    """The README's example of a bilaga with mottagare and underskrifter, put in place of the test case's own."""
    import textwrap

    texts = [p.read_text(encoding="utf-8") for p in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]]
    [example] = [b for text in texts for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL) if "mottagare: |" in b]
    example = re.sub(r"fil: \S+", "fil: yttrande/yttrande.md", textwrap.dedent(example))
    text = CASE.read_text(encoding="utf-8")
    case = tmp_path / "yttrande.md"
    case.write_text(text[: text.index("bilagor:\n")] + example + text[text.index("---\n# Ärendet") :], encoding="utf-8")
    shutil.copytree(CASE.parent / "yttrande", tmp_path / "yttrande")
    _, papers = read_and_word(str(case))
    record = papers[1].context["bilaga"]
    assert record["mottagare"] == "Försvarsdepartementet\n103 33 Stockholm"
    assert [s["namn"] for s in record["underskrifter"]] == ["Anna Berg", "Per Ek"] and record["huvud"] == "Bilaga 1 till tjänsteskrivelse"


def test_signatures_stand_side_by_side_where_the_profile_says_so(tmp_path: Path) -> None:
    """Landstinget Blekinge places signatures beside each other: the bilaga's too, in one row of a layout table."""
    case = tmp_path / "yttrande.md"
    text = (
        CASE.read_text(encoding="utf-8").replace("region-jamtland-harjedalen", "landstinget-blekinge").replace("RS/412/2026", "2026/00412")
    )
    case.write_text(text, encoding="utf-8")
    shutil.copytree(CASE.parent / "yttrande", tmp_path / "yttrande")
    render_case(str(case), tmp_path / "build")
    with zipfile.ZipFile(tmp_path / "build" / "yttrande" / "bilaga-1.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    [row] = [r for r in re.findall(r"<w:tr>.*?</w:tr>", document) if "UnderskriftBredvid" in r]
    assert row.count('<w:pStyle w:val="UnderskriftBredvid"/>') == 2 and "Anna Berg" in row and "Per Ek" in row
    assert "Karlskrona dag som ovan" in (tmp_path / "build" / "yttrande" / "bilaga-1.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bilaga {nummer} till {handling}", None),
        ("Bilaga {nummer}, {rubrik}, {dnr}, {datum}", None),
        ("Bilaga {{nummer}}", None),  # doubled braces are printed as braces
        ("Bilaga {nummer:>99999999}", "'{nummer:>99999999}' kan inte stå i bilagehuvud"),  # a width would allocate
        ("Bilaga {handling.__class__}", "'{handling.__class__}' kan inte stå i bilagehuvud"),  # no attribute access
        ("Bilaga {nummer!r}", "'{nummer!r}' kan inte stå i bilagehuvud"),
        ("Bilaga {0}", "'{0}' kan inte stå i bilagehuvud"),
        ("Bilaga {nummer", "'Bilaga {nummer' har en { eller } utan sin motsvarighet"),
    ],
)
def test_a_profile_line_may_name_only_the_case_s_own_fields(header: str, message: str | None) -> None:
    from tjanste.source.profile import attachment_header_problem

    problem = attachment_header_problem(header)
    assert problem == message if message is None else problem is not None and problem.startswith(message)
