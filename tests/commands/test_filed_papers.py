"""Filed papers are locked: a change to a template or the code that changes a filed .docx fails, until declared as a revision."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CASES, KORPUS, rewrite_part
from tjanste.cli.main import main
from tjanste.commands.pipeline import filing_problems, render_documents
from tjanste.source.case import load_case

FILED = [name for name in CASES if load_case(KORPUS / "cases" / f"{name}.md").diariefort]


def test_some_case_is_filed() -> None:
    assert FILED, "minst ett ärende ska vara diariefört (diariefort:) så att låset prövas"


@pytest.mark.parametrize("name", FILED)
def test_filed_paper_is_reproduced_byte_for_byte(name: str) -> None:
    case = load_case(KORPUS / "cases" / f"{name}.md")
    problems = filing_problems(case, render_documents(case))
    assert not problems, f"{name}: " + "; ".join(str(p) for p in problems)


def test_a_template_change_fails_until_the_revision_is_declared(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy
    name = FILED[0]
    case = load_case(root / "cases" / f"{name}.md")
    template = root / "templates" / "beslut" / f"{case.typ}.docx"
    before = template.read_bytes()
    rewrite_part(
        template,
        "word/styles.xml",
        lambda xml: xml.replace(b"</w:styles>", b'<w:style w:type="paragraph" w:styleId="Ny"><w:name w:val="Ny"/></w:style></w:styles>'),
    )
    assert template.read_bytes() != before  # a style added: a real change to the template, whatever its styles hold

    assert main(["check", "--diarieforda", name]) == 1
    err = capsys.readouterr().err
    assert f"cases/{name}.md" in err and "fel: diariefort: beslut.docx är diarieförd" in err
    new_sha = re.search(r"beslut.docx: ([0-9a-f]{64})", err).group(1)
    assert main(["render", name, "--ut", str(tmp_path / "ut")]) == 0  # an official may still render it, warned
    assert "varning: diariefort: beslut.docx är diarieförd" in capsys.readouterr().err

    case_file = root / "cases" / f"{name}.md"
    text = case_file.read_text(encoding="utf-8")
    declared = re.sub(
        r"(diariefort:\n(?:  - .*\n|    .*\n|      .*\n)+)",
        lambda m: m.group(1) + f"  - datum: 2026-11-23\n    handlingar:\n      beslut.docx: {new_sha}\n",
        text,
        count=1,
    )
    assert declared != text
    case_file.write_text(declared, encoding="utf-8")
    assert main(["check", "--diarieforda", name]) == 0
