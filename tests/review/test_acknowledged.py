"""Acknowledged warnings (kvitterat): a warning the case says is intended is shown by no command; one that matches nothing warns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from tjanste.cli.main import main
from tjanste.commands.preview import Preview
from tjanste.errors import WARNINGS

# A kommun's budget reallocation where one part is rightly in tkr among mnkr: the kontroll and the table column both warn.
CASE = """\
---
typ: tjansteskrivelse
organisation: landstinget-blekinge
datum: 2026-03-02
till: Landstingsstyrelsen
rubrik: Omfördelning av budgetram mellan nämnderna
belopp:
  totalt: 4,7 mnkr
  barn: 2,2 mnkr
  omsorg: 1,65 mnkr
  kultur: 850 tkr
kontroller:
  - totalt = barn + omsorg + kultur
  - totalt = fordelning.belopp
tabeller:
  fordelning:
    enhet: mnkr
    kolumner:
      - Nämnd
      - {{rubrik: Belopp, namn: belopp, belopp: ja}}
    rader:
      - Barn- och utbildningsnämnden | 2,2
      - Omsorgsnämnden | 1,65
      - Kultur- och fritidsnämnden | 850 tkr
    summa:
      rubrik: Summa
      skrivet: 4,7
{kvitterat}---
Nämnderna får {{{{ belopp.totalt }}}} sammanlagt.

{{{{ tabell("fordelning") }}}}
"""


def write_case(root: Path, kvitterat: str = "") -> Path:
    path = root / "cases" / "omfordelning.md"
    path.write_text(CASE.format(kvitterat=kvitterat), encoding="utf-8")
    return path


def warnings_of(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if ": varning: " in line]


def test_a_unit_warning_names_itself_for_kvitterat(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_case(project_copy)
    assert main(["check", "omfordelning"]) == 0
    warnings = warnings_of(capsys)
    assert len(warnings) == 2, warnings
    assert all(w.endswith("stämmer enheten? [enhet]") for w in warnings), warnings
    assert any(":13:5: varning: kontroller[1]: 'kultur' (850\u00a0tkr) är skrivet i tkr" in w for w in warnings), warnings
    assert any(
        ":24:9: varning: tabeller.fordelning.rader: kolumnen 'Belopp', raden 'Kultur- och fritidsnämnden': 850\u00a0tkr" in w
        for w in warnings
    ), warnings


def test_an_acknowledged_warning_is_silent_in_check_render_alla_and_the_preview(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_case(project_copy, "kvitterat: [enhet]  # som förhandsvisningen visar det\n")
    assert main(["check", "omfordelning"]) == 0
    assert capsys.readouterr().err == ""
    write_case(project_copy, "kvitterat:\n  - varning: enhet\n    skal: Kulturnämndens ram beslutas i tkr\n")
    assert main(["check", "omfordelning"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["render", "omfordelning", "--ut", str(tmp_path / "en")]) == 0
    assert capsys.readouterr().err == ""
    for run in ("skrivet", "oförändrat"):  # alla keeps the warnings to show in its record: none are kept
        assert main(["alla", "--ut", str(tmp_path / "alla")]) == 0
        err = capsys.readouterr().err
        assert f"omfordelning: {run}" in err and "omfordelning.md" not in err, err
    preview = Preview("omfordelning")
    preview.render()
    assert (preview.state.errors, preview.state.warnings) == ([], [])


def test_the_preview_shows_how_to_acknowledge_a_warning(project_copy: Path) -> None:
    from tjanste.commands.preview_page import content_html

    write_case(project_copy)
    preview = Preview("omfordelning")
    preview.render()
    page = content_html(preview.state, pdf=False, drawing=False)
    assert page.count("(avsiktlig? kvittera med <code>kvitterat: [enhet]</code>)") == 2


def test_galler_narrows_an_acknowledgement_to_what_it_names(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_case(project_copy, "kvitterat:\n  - varning: enhet\n    galler: fordelning\n")
    assert main(["check", "omfordelning"]) == 0
    [warning] = warnings_of(capsys)
    assert "varning: kontroller[1]: 'kultur' (850\u00a0tkr)" in warning  # the table's warning is acknowledged, the kontroll's is not


def test_an_acknowledgement_that_matches_nothing_is_a_warning(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_case(project_copy, "kvitterat:\n  - enhet\n  - varning: och-att\n  - varning: enhet\n    galler: investeringar\n")
    assert main(["check", "omfordelning"]) == 0
    warnings = warnings_of(capsys)
    assert [w.split(": varning: ", 1)[1] for w in warnings] == [
        "kvitterat[2]: kvitterar ingen varning: ärendet ger ingen varning [och-att]; "
        "ta bort kvitteringen, eller rätta galler så att den gäller varningen",
        "kvitterat[3]: kvitterar ingen varning: ärendet ger ingen varning [enhet] som gäller 'investeringar'; "
        "ta bort kvitteringen, eller rätta galler så att den gäller varningen",
    ]
    assert re.search(r"omfordelning\.md:30:5: varning: kvitterat\[2\]", warnings[0]), warnings


def test_an_unknown_warning_name_is_an_error_with_a_suggestion(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_case(project_copy, "kvitterat:\n  - enheter\n")
    assert main(["check", "omfordelning"]) == 1
    err = capsys.readouterr().err
    assert "fel: kvitterat[1].varning: 'enheter' finns inte (menade du 'enhet'?); välj en av: att-verb, " in err


def test_every_warning_name_is_given_by_a_check_and_documented() -> None:
    """WARNINGS lists what a case may acknowledge: each name is used by a check, and the guide explains each."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "tjanste").rglob("*.py"))
    used = set(re.findall(r'code="([a-z-]+)"', source))
    assert used == set(WARNINGS)
    guide = (ROOT / "docs" / "handlaggare.md").read_text(encoding="utf-8")
    for name in WARNINGS:
        assert f"`{name}`" in guide, name


def test_the_corpus_kommun_case_acknowledges_its_tkr_and_is_otherwise_silent(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = project_copy / "cases" / "2026-ramomfordelning-namnder.md"
    assert main(["check", "2026-ram"]) == 0
    assert capsys.readouterr().err == ""
    text = case.read_text(encoding="utf-8")
    case.write_text(re.sub(r"\nkvitterat:\n(  .*\n)+", "\n", text), encoding="utf-8")
    assert main(["check", "2026-ram"]) == 0
    warnings = warnings_of(capsys)
    assert len(warnings) == 2 and all("850\u00a0tkr" in w and w.endswith("[enhet]") for w in warnings), warnings
