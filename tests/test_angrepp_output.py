"""Hostile and careless output folders: a render replaces only what it made, and refuses, changing nothing, where it may not write.

Each test gives the exact first line tjanste prints and checks that nothing on disk
changed (the project copy and the output folder hashed before and after).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT
from tjanste.cli.main import main
from tjanste.commands.stamp import outputs_intact

CASE = "2015-primarvard"


def tree(*roots: Path) -> dict[str, str]:
    """Every entry under the roots, by path: a file's sha256, a folder's mode, a link's target."""
    found: dict[str, str] = {}
    for root in roots:
        if not os.path.lexists(root):
            continue
        for path in [root, *sorted(root.rglob("*"))]:
            if path.is_symlink():
                found[str(path)] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[str(path)] = f"mapp {oct(path.stat().st_mode)}"
            else:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def first_error(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    lines = capsys.readouterr().err.splitlines()
    # the first error; a warning (the corpus protocol's example signatories) may be printed before it
    return code, next((line for line in lines if ": fel: " in line), lines[0])


@pytest.fixture
def rendered(project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case rendered once into build/ of a project copy, which is the working directory."""
    monkeypatch.chdir(project_copy)
    assert main(["render", CASE]) == 0
    capsys.readouterr()
    return project_copy / "build" / CASE


def test_a_render_keeps_every_file_it_did_not_make(rendered: Path) -> None:
    (rendered / "anteckningar.txt").write_text("mina anteckningar\n", encoding="utf-8")
    (rendered / "utkast").mkdir()
    (rendered / "utkast" / "beslut-v2.docx").write_bytes(b"mitt eget utkast")
    kept = tree(rendered / "anteckningar.txt", rendered / "utkast")
    assert main(["render", CASE]) == 0
    assert tree(rendered / "anteckningar.txt", rendered / "utkast") == kept


def test_a_file_in_the_way_that_is_not_ours_is_an_error_and_nothing_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Dokument" / CASE
    folder.mkdir(parents=True)
    (folder / "beslut.docx").write_bytes(b"en handling som tjanste inte skrev")
    (folder / "bilder").mkdir()
    before = tree(tmp_path)
    code, line = first_error(capsys, "render", CASE, "--ut", str(tmp_path / "Dokument"))
    assert code == 1
    assert (
        line
        == f"{folder / 'beslut.docx'}: fel: finns redan och är inte skriven av tjanste (den står inte i metadata.json); tjanste skriver inte över den. Flytta den, eller skriv till en annan mapp"
    )
    assert tree(tmp_path) == before


def test_an_output_changed_by_hand_is_not_overwritten(rendered: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open(rendered / "beslut.txt", "a", encoding="utf-8") as stream:
        stream.write("en rättelse för hand\n")
    before = tree(rendered)
    code, line = first_error(capsys, "render", CASE)
    assert code == 1
    assert (
        line
        == "build/2015-primarvard/beslut.txt: fel: finns redan och har ändrats efter att tjanste skrev den; tjanste skriver inte över den. Flytta den, eller skriv till en annan mapp"
    )
    assert tree(rendered) == before


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "cases",
            "cases: fel: --ut: ligger i cases/, där ärendena och deras bilder och bilagor finns; tjanste skriver aldrig där. Ange en annan mapp, t.ex. --ut build",
        ),
        (
            "cases/2016-naravard-blekinge",
            "cases/2016-naravard-blekinge: fel: --ut: ligger i cases/, där ärendena och deras bilder och bilagor finns; tjanste skriver aldrig där. Ange en annan mapp, t.ex. --ut build",
        ),
        (
            "templates/beslut",
            "templates/beslut: fel: --ut: ligger i templates/, där mallarna och organisationernas profiler finns; tjanste skriver aldrig där. Ange en annan mapp, t.ex. --ut build",
        ),
        ("", "tjanste: fel: --ut: sökvägen är tom; ange mappen att skriva i, t.ex. --ut build"),
        (
            "cases/2015-primarvard.md",
            "cases/2015-primarvard.md: fel: --ut: ligger i cases/, där ärendena och deras bilder och bilagor finns; tjanste skriver aldrig där. Ange en annan mapp, t.ex. --ut build",
        ),
    ],
)
def test_ut_where_inputs_live_is_refused(
    given: str, expected: str, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_copy)
    before = tree(project_copy)
    for command in (["render", "2016-naravard-blekinge", "--ut", given], ["alla", "--ut", given]):
        code, line = first_error(capsys, *command)
        assert (code, line) == (1, expected)
    assert tree(project_copy) == before


def test_ut_at_the_case_files_own_folder_is_refused(tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "eget" / "x.md"
    (tmp_path / "eget" / "x").mkdir(parents=True)
    case.write_text((project_copy / "cases" / f"{CASE}.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "eget" / "x" / "figur.png").write_bytes(b"en bild")
    before = tree(tmp_path)
    code, line = first_error(capsys, "render", str(case), "--ut", str(tmp_path / "eget"))
    assert code == 1
    assert (
        line
        == f"{tmp_path / 'eget' / 'x'}: fel: --ut: är ärendets egen mapp med bilder och bilagor ({tmp_path / 'eget' / 'x'}); tjanste skriver aldrig där. Ange en annan mapp, t.ex. --ut build"
    )
    assert tree(tmp_path) == before


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ut").write_text("en fil\n", encoding="utf-8")
    (tmp_path / "ut2").mkdir()
    (tmp_path / "ut2" / CASE).write_text("en fil\n", encoding="utf-8")
    before = tree(tmp_path)
    assert first_error(capsys, "render", CASE, "--ut", str(tmp_path / "ut")) == (
        1,
        f"{tmp_path / 'ut'}: fel: --ut: är en fil, inte en mapp; tjanste skriver inte över den. Ange en mapp att skriva i",
    )
    assert first_error(capsys, "render", CASE, "--ut", str(tmp_path / "ut2")) == (
        1,
        f"{tmp_path / 'ut2' / CASE}: fel: är en fil, inte en mapp; tjanste skriver inte över den. Ange en mapp att skriva i",
    )
    assert tree(tmp_path) == before


def test_a_symlinked_case_folder_is_refused(rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()
    (elsewhere / "viktig.txt").write_text("rör inte\n", encoding="utf-8")
    for path in sorted(rendered.iterdir()):
        path.unlink()
    rendered.rmdir()
    rendered.symlink_to(elsewhere, target_is_directory=True)
    before = tree(rendered.parent, elsewhere)
    code, line = first_error(capsys, "render", CASE)
    assert (code, line) == (
        1,
        "build/2015-primarvard: fel: är en symbolisk länk; tjanste skriver bara i en vanlig mapp. Ta bort länken, eller skriv till en annan mapp",
    )
    assert tree(rendered.parent, elsewhere) == before


def test_a_read_only_folder_is_an_error_not_replaced(rendered: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rendered.chmod(0o555)
    try:
        before = tree(rendered.parent)
        code, line = first_error(capsys, "render", CASE)
        assert (code, line) == (
            1,
            "build/2015-primarvard: fel: mappen är skrivskyddad; tjanste skriver inte i den. Ge skrivrätt, eller skriv till en annan mapp",
        )
        assert tree(rendered.parent) == before
    finally:
        rendered.chmod(0o755)


def test_concurrent_first_renders_of_one_case_all_succeed(project_copy: Path) -> None:
    """Three processes render the same case into a build/ that does not exist yet: none fails, and the folder is whole."""
    env = {**os.environ, "TJANSTE_ROT": str(project_copy)}
    for attempt in range(2):
        shutil.rmtree(project_copy / "build", ignore_errors=True)
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tjanste", "render", "2022-godnara"],
                cwd=project_copy,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        results = [(p.wait(), p.stderr.read(), p.stdout.read()) for p in processes]  # type: ignore[union-attr]
        for code, err, out in results:
            assert (code, err) == (0, ""), f"körning {attempt}: {err}"
            assert out.splitlines()[0] == f"skrev {project_copy / 'build' / '2022-godnara' / 'beslut.docx'}"
        folder = project_copy / "build" / "2022-godnara"
        assert outputs_intact(folder)
        assert sorted(p.name for p in (project_copy / "build").iterdir()) == ["2022-godnara"]  # no staging folder left


def _disk_full(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("command", ["render", "protokoll"])
def test_a_full_disk_names_the_output_folder_and_changes_nothing(
    command: str, rendered: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = rendered.parent.parent / "cases" / f"{CASE}.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nEtt nytt stycke, så att något ska skrivas.\n", encoding="utf-8")
    before = tree(rendered.parent.parent)
    monkeypatch.setattr("tjanste.files.writer.os.fsync", _disk_full)
    code, line = first_error(capsys, command, CASE)
    assert (code, line) == (1, "build/2015-primarvard: fel: kan inte skriva: disken är full")
    assert tree(rendered.parent.parent) == before


def test_alla_reports_a_full_disk_as_an_error_of_the_case_not_an_internal_one(
    project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_copy)
    monkeypatch.setattr("tjanste.files.writer.os.fsync", _disk_full)
    capsys.readouterr()
    assert main(["alla", "-j", "1"]) == 1  # in this process, where the full disk is
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("[1/5] 2015-primarvard: fel")
    assert err.splitlines()[1] == "build/2015-primarvard:1:1: fel: kan inte skriva: disken är full"
    assert "internt fel" not in err and ".ny-" not in err and "--ut" not in err
    assert tree(project_copy / "build") == {
        str(project_copy / "build"): tree(project_copy / "build")[str(project_copy / "build")]
    }  # no case folder, no staging folder


def test_text_to_a_full_disk_is_an_error_not_a_traceback(tmp_path: Path, build: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tjanste", "text", str(build / CASE / "beslut.docx")], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert (result.returncode, result.stderr) == (1, "tjanste: fel: kan inte skriva till standard ut: disken är full\n")


PNG = ROOT / "tests" / "trasiga" / "figur.png"


def _nfd(name: str) -> str:
    return unicodedata.normalize("NFD", name)


@pytest.mark.parametrize("on_disk", [_nfd, lambda name: unicodedata.normalize("NFC", name)], ids=["nfd-pa-disken", "nfc-pa-disken"])
def test_swedish_letters_spaces_and_either_unicode_form_work_in_names(
    on_disk, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Images, bilagor and the case file itself, named with å, ä, ö and spaces, written in the other Unicode form than on disk."""
    monkeypatch.chdir(project_copy)
    cases = project_copy / "cases"
    folder = cases / on_disk("mitt ärende")
    folder.mkdir()
    for name in ("bildö.png", "min bild.png"):
        shutil.copyfile(PNG, folder / on_disk(name))
    (folder / on_disk("bilaga-å.md")).write_text("# Bilaga\n\nFortbildningen får {{ belopp.fortbildning }}.\n", encoding="utf-8")
    text = (cases / f"{CASE}.md").read_text(encoding="utf-8")
    other = _nfd if on_disk("ö") == "ö" else (lambda name: unicodedata.normalize("NFC", name))
    text = text.replace("bilagor:\n", f"bilagor:\n  - {{titel: Fördelning, fil: '{other('mitt ärende/bilaga-å.md')}'}}\n", 1)
    text += (
        f'\n![Karta över vårdcentralerna]({other("mitt ärende/bildö.png").replace(" ", "%20")} "Figur 1. Karta")\n'
        f'\n![Karta över vårdcentralerna](<{other("mitt ärende/min bild.png")}> "Figur 2. Karta")\n'
    )
    (cases / on_disk("mitt ärende.md")).write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["render", unicodedata.normalize("NFC", "mitt ärende")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"skrev {project_copy / 'build' / on_disk('mitt ärende') / 'beslut.docx'}"
    with zipfile.ZipFile(project_copy / "build" / on_disk("mitt ärende") / "beslut.docx") as package:
        assert package.read("word/document.xml").decode("utf-8").count('descr="Karta över vårdcentralerna"') == 2  # both pictures placed
    assert (project_copy / "build" / on_disk("mitt ärende") / "bilaga-1.docx").is_file()


def test_outside_the_project_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TJANSTE_ROT")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.md").write_text((KORPUS / "cases" / f"{CASE}.md").read_text(encoding="utf-8"), encoding="utf-8")
    before = tree(tmp_path)
    expected = f"{tmp_path}: fel: hittar ingen projektmapp: varken här eller i mapparna ovanför finns både cases/ (ärendena) och templates/ (mallarna). Kör tjanste i projektmappen, eller ange den med TJANSTE_ROT"
    for command in (["check"], ["check", "x.md"], ["render", "x.md"], ["alla"], ["protokoll", "x"]):
        assert first_error(capsys, *command) == (1, expected), command
    assert tree(tmp_path) == before


def test_a_wrong_tjanste_rot_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rot" / "cases").mkdir(parents=True)
    monkeypatch.setenv("TJANSTE_ROT", str(tmp_path / "rot"))
    before = tree(tmp_path)
    expected = f"{tmp_path / 'rot'}: fel: TJANSTE_ROT: mappen har ingen templates/; TJANSTE_ROT ska peka på projektmappen, den som har cases/ (ärendena) och templates/ (mallarna)"
    for command in (["check"], ["alla"], ["render", CASE]):
        assert first_error(capsys, *command) == (1, expected), command
    monkeypatch.setenv("TJANSTE_ROT", str(tmp_path / "finns-inte"))
    assert first_error(capsys, "check") == (
        1,
        f"{tmp_path / 'finns-inte'}: fel: TJANSTE_ROT: mappen har ingen cases/ och ingen templates/; TJANSTE_ROT ska peka på projektmappen, den som har cases/ (ärendena) och templates/ (mallarna)",
    )
    assert tree(tmp_path) == before


def test_an_image_path_with_a_space_is_named_not_printed_as_text(
    project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_copy)
    case = project_copy / "cases" / f"{CASE}.md"
    text = case.read_text(encoding="utf-8") + '\n![Karta](2015-primarvard/min bild.png "Figur 1. Karta")\n'
    case.write_text(text, encoding="utf-8")
    line = text.count("\n") - 1 + 1
    before = tree(project_copy)
    assert first_error(capsys, "render", CASE) == (
        1,
        f'cases/{CASE}.md:{line}:1: fel: bild: sökvägen har ett mellanslag, så bilden blir text; skriv sökvägen inom < >: ![Karta](<2015-primarvard/min bild.png> "Figur 1. Karta")',
    )
    assert tree(project_copy) == before


def test_records_nested_deeper_than_json_can_read_are_not_ours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A metadata.json or .indata of 200 000 '[' reached a RecursionError (an internal error, and alla stopped)."""
    out = tmp_path / "ut"
    assert main(["render", CASE, "--ut", str(out)]) == 0
    folder = out / CASE
    (folder / ".indata").write_text("[" * 200_000, encoding="utf-8")
    assert main(["alla", "--ut", str(out)]) == 0  # the record is not ours: the case is rendered again
    (folder / "metadata.json").write_text("[" * 200_000, encoding="utf-8")
    before = tree(tmp_path)
    code, line = first_error(capsys, "render", CASE, "--ut", str(out))
    assert code == 1
    assert line == f"{folder / 'metadata.json'}: fel: metadata.json är inte skriven av tjanste; flytta den, eller skriv till en annan mapp"
    assert tree(tmp_path) == before


# --- files the project names that stand for files elsewhere -------------------------------------------------------


def _outside(tmp_path: Path, name: str, data: bytes) -> Path:
    target = tmp_path / "utanfor" / name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(data)
    return target


@pytest.mark.parametrize("command", [["check"], ["render", "--ut", "ut"], ["alla", "--ut", "ut"]])
def test_a_case_file_that_links_outside_cases_is_refused(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """alla rendered the outside file and check echoed its values; bilagor and images are refused the same way."""
    monkeypatch.chdir(project_copy)
    secret = _outside(tmp_path, "hemligt.md", (KORPUS / "cases" / "2015-primarvard.md").read_bytes())
    (project_copy / "cases" / "lank.md").symlink_to(secret)
    arguments = [*command[:1], *([] if command[0] == "alla" else ["lank"]), *command[1:]]
    assert main(arguments) == 1
    err = capsys.readouterr().err
    assert f"cases/lank.md:1:1: fel: ärende: ärendefilen är en symbolisk länk till '{secret}', utanför cases/" in err
    assert not (project_copy / "ut" / "lank").exists()


def test_a_link_to_another_case_in_cases_is_read(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_copy)
    (project_copy / "cases" / "kopia.md").symlink_to("2015-primarvard.md")
    assert main(["check", "kopia"]) == 0


@pytest.mark.parametrize("given", ["..md", "..", "cases/..md"])
def test_a_case_named_dot_dot_md_is_refused_by_name_or_path(
    project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """'..md' named by its name in cases/ was rendered into build/. itself: an internal error (AssertionError)."""
    monkeypatch.chdir(project_copy)
    shutil.copy(KORPUS / "cases" / "2015-primarvard.md", project_copy / "cases" / "..md")
    for command in (["render", given, "--ut", "ut"], ["arkiv", given, "--ut", "ut"], ["check", given]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert "internt fel" not in err and ("filnamnet '..md' kan inte bli en mapp under build/" in err or "finns inte" in err), err
    assert not (project_copy / "ut").exists()


def test_a_template_a_profile_or_a_logotype_that_links_outside_templates_is_refused(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates and profiles arrive in pull requests, and git carries symbolic links."""
    from tjanste.source.profile import load_profile

    monkeypatch.chdir(project_copy)
    template = project_copy / "templates" / "beslut" / "tjansteskrivelse.docx"
    moved = _outside(tmp_path, "mall.docx", template.read_bytes())
    template.unlink()
    template.symlink_to(moved)
    assert main(["render", "2015-primarvard", "--ut", "ut"]) == 1
    assert "mallen är en symbolisk länk till" in capsys.readouterr().err
    template.unlink()
    template.write_bytes(moved.read_bytes())

    profile = project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    text = profile.read_text(encoding="utf-8")
    logo = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("fil:"))
    outside_logo = _outside(tmp_path, "logo.png", (profile.parent / logo).read_bytes())
    (profile.parent / logo).unlink()
    (profile.parent / logo).symlink_to(outside_logo)
    load_profile.cache_clear()  # one process keeps each profile it read
    assert main(["check", "2015-primarvard"]) == 1
    assert f"'{logo}' ligger utanför profilens mapp" in capsys.readouterr().err

    moved_profile = _outside(tmp_path, "profil.yaml", text.encode())
    profile.unlink()
    profile.symlink_to(moved_profile)
    load_profile.cache_clear()
    assert main(["check", "2015-primarvard"]) == 1
    assert "profilen är en symbolisk länk till" in capsys.readouterr().err


def test_a_full_disk_leaves_no_temporary_where_files_are_written_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """write_all (beside files not ours, the record, `schema --ut`): the temporary that could not be filled is removed too."""
    from tjanste.files.writer import write_all

    folder = tmp_path / "ut"
    folder.mkdir()
    (folder / "mitt.txt").write_text("inte tjanstes\n", encoding="utf-8")
    monkeypatch.setattr("tjanste.files.writer.os.fsync", _disk_full)
    with pytest.raises(OSError):
        write_all(folder, {"beslut.docx": b"x" * 1000, "metadata.json": b"{}"})
    assert sorted(p.name for p in folder.iterdir()) == ["mitt.txt"]
