"""The command-line contract: exit 0 on success, 1 on case errors as path:line:col: fel:, 2 on wrong usage; light imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT
from tjanste.cli.main import main


def tjanste(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TJANSTE_ROT": str(KORPUS)}
    return subprocess.run([sys.executable, "-m", "tjanste", *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_check_all_cases() -> None:
    result = tjanste("check")
    assert result.returncode == 0, result.stderr
    assert "ärenden utan fel" in result.stdout


def test_check_reports_errors_with_place_and_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.md"
    broken.write_text(
        "---\ntyp: tjansteskrivelse\norganisation: landstinget-blekinge\ndatum: 2015-13-01\nrubrik: X\n---\n", encoding="utf-8"
    )
    result = tjanste("check", str(broken))
    assert result.returncode == 1
    assert f"{broken}:4:8: fel: datum: '2015-13-01' är inget datum som finns" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_case_name() -> None:
    result = tjanste("render", "finns-inte")
    assert result.returncode == 1
    assert result.stderr.startswith("tjanste: fel: ärende: ärendet 'finns-inte' finns inte; ärendena i cases/ är 2015-primarvard, ")


def test_wrong_usage_exits_2() -> None:
    assert tjanste("render").returncode == 2
    assert tjanste("okänt-kommando").returncode == 2
    assert tjanste().returncode == 2


def test_text_of_a_docx(tmp_path: Path) -> None:
    assert tjanste("render", "2015-primarvard", "--ut", str(tmp_path)).returncode == 0
    result = tjanste("text", str(tmp_path / "2015-primarvard" / "beslut.docx"))
    assert result.returncode == 0
    assert result.stdout == (tmp_path / "2015-primarvard" / "beslut.txt").read_text(encoding="utf-8")


def test_text_of_something_else_is_an_error(tmp_path: Path) -> None:
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("inte en docx", encoding="utf-8")
    result = tjanste("text", str(not_docx))
    assert result.returncode == 1
    assert "fel:" in result.stderr and "Traceback" not in result.stderr


def test_import_and_check_stay_light() -> None:
    probe = (
        "import sys, tjanste, tjanste.cli.main\n"
        "from tjanste.commands.pipeline import check_case\n"
        "check_case('2015-primarvard')\n"
        "heavy = sorted(m for m in ('docx', 'lxml', 'docxtpl') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    env = {**os.environ, "TJANSTE_ROT": str(KORPUS)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == ""


def test_a_render_imports_only_what_it_uses(tmp_path: Path) -> None:
    """Start time: a render writes no PDF, meets no error and has no SVG logotype, so the page check (and subprocess with
    it), the PDF packages, diffing, the preview and the SVG check stay unimported, as do markdown-it for prose parsed before."""
    probe = (
        "import sys\n"
        "from tjanste.cli.main import main\n"
        f"main(['render', '2015-primarvard', '--ut', {str(tmp_path / 'ut')!r}])\n"
        "unused = ('subprocess', 'tjanste.pdf.layout', 'tjanste.pdf.convert', 'tjanste.diffing', 'tjanste.commands.preview',\n"
        "          'tjanste.source.svgcheck', 'markdown_it', 'html')\n"
        "print('importerade:', ','.join(sorted(m for m in unused if m in sys.modules)))\n"
    )
    env = {**os.environ, "TJANSTE_ROT": str(KORPUS), "TJANSTE_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # the first fills the cache with the prose parsed, as an earlier render has
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.splitlines()[-1] == "importerade: "


def test_a_command_imports_its_modules_with_the_collector_held_off_and_frozen_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a process, a command's modules are frozen out of the collector's searches; from a test, main() freezes nothing."""
    import gc

    from tjanste.cli import main as cli

    # Counted by its calls: the freeze count also falls when frozen objects are freed (conftest freezes after collection).
    freezes: list[None] = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(None) or real_freeze())
    assert main(["check", "2015-primarvard"]) == 0
    assert freezes == [] and gc.isenabled()
    monkeypatch.setattr(cli, "_as_process", True)
    seen = []
    before = gc.get_freeze_count()
    with cli._imported_for_good():
        seen.append(gc.isenabled())
        made = [[index] for index in range(1000)]  # as a module's functions and tables would be
    assert seen == [False] and gc.isenabled()
    assert freezes == [None] and gc.get_freeze_count() >= before + len(made)


def test_a_case_name_cannot_leave_the_output_folder(tmp_path: Path) -> None:
    """'...md' has the stem '..': its outputs would land beside build/, and the clean-up of stale outputs with them."""
    for name in ("...md", ".dold.md"):
        case = tmp_path / name
        case.write_text((KORPUS / "cases" / "2015-primarvard.md").read_text(encoding="utf-8"), encoding="utf-8")
        result = tjanste("render", str(case), "--ut", str(tmp_path / "ut" / "build"))
        assert result.returncode == 1
        assert f"fel: ärende: filnamnet '{name}' kan inte bli en mapp under build/" in result.stderr
    assert not (tmp_path / "ut").exists()


def test_an_output_folder_that_is_a_file_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "build"
    blocker.write_text("en fil, ingen mapp\n", encoding="utf-8")
    result = tjanste("render", "2015-primarvard", "--ut", str(blocker))
    assert result.returncode == 1
    assert result.stderr == f"{blocker}: fel: --ut: är en fil, inte en mapp; tjanste skriver inte över den. Ange en mapp att skriva i\n"


def test_the_guide_case_example_is_a_valid_case(tmp_path: Path) -> None:
    readme = (ROOT / "docs" / "handlaggare.md").read_text(encoding="utf-8")
    section = readme.split("## Ett ärende", 1)[1]
    example = section.split("```markdown\n", 1)[1].split("\n```", 1)[0]
    case = tmp_path / "exempel.md"
    case.write_text(example + "\n", encoding="utf-8")
    result = tjanste("render", str(case), "--ut", str(tmp_path / "ut"))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "ut" / "exempel" / "beslut.txt").read_text(encoding="utf-8")
    assert "att avsätta 2\u00a0mnkr till läkarförsörjning, samt" in text


@pytest.mark.parametrize(
    ("argv", "seldom"),
    [
        (["render", "2015-primarvard"], True),
        (["check", "2015-primarvard"], True),
        (["check", "2015-primarvard", "2018-patientmiljarden"], False),
        (["check"], False),
    ],
)
def test_the_collector_runs_seldom_for_one_case_and_as_before_afterwards(
    argv: list[str], seldom: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-case command raises the collector's threshold but keeps it on; many cases keep Python's; main() restores it."""
    import gc

    from tjanste.cli import main as cli

    seen = []
    monkeypatch.setitem(cli.COMMANDS, argv[0], lambda args: seen.append((gc.isenabled(), gc.get_threshold()[0])) or 0)
    before = gc.get_threshold()
    assert main(argv) == 0
    assert seen == [(True, cli.ONE_CASE_GC_THRESHOLD if seldom else before[0])]
    assert gc.get_threshold() == before and gc.isenabled()


def test_check_with_several_flags_makes_each_case_once(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """--tillganglighet and --diarieforda (and --sidor) inspect the same documents: each case's are made once."""
    from tjanste.commands import pipeline

    made: list[str] = []
    real = pipeline.render_documents

    def counting(case, papers=None):  # type: ignore[no-untyped-def]
        made.append(case.name)
        return real(case, papers)

    monkeypatch.setattr(pipeline, "render_documents", counting)
    assert main(["check", "--tillganglighet", "--diarieforda", "2015-primarvard", "2018-patientmiljarden"]) == 0
    assert made == ["2015-primarvard", "2018-patientmiljarden"]
    assert "2 av 2 ärenden utan fel" in capsys.readouterr().out


def test_every_error_a_user_can_see_derives_from_one_root() -> None:
    """The command line catches TjansteError once; each error class of tjanste is one."""
    import ast

    from tjanste.errors import TjansteError

    package = ROOT / "src" / "tjanste"
    named = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error") and node.name != "TjansteError":
                module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
                named.append(getattr(__import__(module, fromlist=[node.name]), node.name))
    assert len(named) >= 8
    assert [c.__name__ for c in named if not issubclass(c, TjansteError)] == []
