"""LibreOffice's private profile: the export settings, and the installation's version and build that spare each start two detours."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import docx
from conftest import soffice
from tjanste.pdf.office import office_environment
from tjanste.pdf.officeprofile import Installation, installation, registry, seed


@pytest.mark.parametrize(
    ("program", "bootstrap", "version_file", "line_end"),
    [
        ("lib/libreoffice/program/soffice", "program/bootstraprc", "program/versionrc", "\n"),
        ("opt/libreoffice24.8/program/soffice", "program/bootstraprc", "program/versionrc", "\r\n"),
        ("LibreOffice/program/soffice.exe", "program/bootstrap.ini", "program/version.ini", "\r\n"),
        ("LibreOffice.app/Contents/MacOS/soffice", "Resources/bootstraprc", "Resources/versionrc", "\n"),
    ],
    ids=["debian", "libreoffice.org", "windows", "macos"],
)
def test_version_and_build_are_read_beside_the_program_that_a_link_on_path_starts(
    tmp_path: Path, program: str, bootstrap: str, version_file: str, line_end: str
) -> None:
    executable = tmp_path / program
    executable.parent.mkdir(parents=True)
    executable.write_text("#!/bin/sh\n")
    installed = executable.parent.parent
    for name, lines in ((bootstrap, ["[Bootstrap]", "ProductKey=LibreOffice 24.8", "UserInstallation=$SYSUSERCONFIG/x"]),
                        (version_file, ["[Version]", "buildid=40(Build:2)", "Vendor=The Document Foundation"])):  # fmt: skip
        (installed / name).parent.mkdir(parents=True, exist_ok=True)
        (installed / name).write_text(line_end.join(lines) + line_end, encoding="utf-8", newline="")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "soffice").symlink_to(executable)
    assert installation(str(tmp_path / "bin" / "soffice")) == Installation("24.8", "40(Build:2)")
    seed(tmp_path / "profil", str(tmp_path / "bin" / "soffice"), macro=False)
    user = tmp_path / "profil" / "user"
    assert (user / "extensions" / "buildid").read_bytes() == b"40(Build:2)"
    assert '<prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>24.8</value>' in (user / "registrymodifications.xcu").read_text()


def test_without_the_installations_files_the_profile_keeps_the_export_settings_and_names_neither(tmp_path: Path) -> None:
    (tmp_path / "soffice").write_text('#!/bin/sh\nexec /snap/bin/libreoffice "$@"\n')  # a wrapper, far from the installation
    (tmp_path / "bootstraprc").write_text("[Bootstrap]\nProductKey=LibreOffice\n")
    (tmp_path / "versionrc").write_text("[Version]\nbuildid=\n")
    assert installation(str(tmp_path / "soffice")) == Installation(None, None)
    seed(tmp_path / "profil", str(tmp_path / "soffice"), macro=True)
    user = tmp_path / "profil" / "user"
    written = (user / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert "ooSetupLastVersion" not in written and written == registry(None)
    for setting in ("SelectPdfVersion", "UseTaggedPDF", "PDFUACompliance"):
        assert f'oor:name="{setting}"' in written
    assert not (user / "extensions").exists()
    assert (user / "Scripts" / "python" / "tjanste_export.py").is_file()


def test_a_seeded_profile_makes_the_pdf_in_one_start_without_the_render_tests(tmp_path: Path) -> None:
    """soffice.bin run by itself: a fresh profile makes it end after its first start (81, for its launcher to start it
    again) and each start draws its graphics tests and logs them in the profile; seeded, it does neither. Two controls
    show that this LibreOffice takes each detour: without the build it ends with 81, without the version it logs."""
    office = soffice()
    if office is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    program = Path(os.path.realpath(office)).parent / "soffice.bin"
    if None in installation(office) or not program.is_file():
        pytest.skip("LibreOffice-installationens version, bygge eller soffice.bin står inte bredvid programmet")
    document = docx.Document()
    document.add_paragraph("Beslut")
    document.save(str(tmp_path / "beslut.docx"))

    def converted(name: str, *, build: bool = True, version: bool = True) -> tuple[int, Path]:
        folder = tmp_path / name
        seed(folder, office, macro=False)
        if not build:
            (folder / "user" / "extensions" / "buildid").unlink()
        if not version:
            (folder / "user" / "registrymodifications.xcu").write_text(registry(None), encoding="utf-8")
        profile = f"-env:UserInstallation={folder.as_uri()}"
        command = [str(program), profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(folder / "ut")]
        done = subprocess.run([*command, str(tmp_path / "beslut.docx")], capture_output=True, timeout=180, env=office_environment())
        return done.returncode, folder

    code, seeded = converted("seedad")
    assert code == 0 and (seeded / "ut" / "beslut.pdf").read_bytes().startswith(b"%PDF-")
    assert not (seeded / "user" / "GraphicsRenderTests.log").exists()
    code, without_build = converted("utan-bygge", build=False)
    assert code == 81 and not (without_build / "ut" / "beslut.pdf").exists()
    code, without_version = converted("utan-version", version=False)
    assert code == 0 and (without_version / "user" / "GraphicsRenderTests.log").is_file()
