"""LibreOffice's private profile: the export settings, and the installed version that spares every start its render tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import docx
from conftest import soffice
from tjanste.pdf.office import office_environment
from tjanste.pdf.officeprofile import installed_version, registry, seed


@pytest.mark.parametrize(
    ("program", "bootstrap", "line"),
    [
        ("lib/libreoffice/program/soffice", "lib/libreoffice/program/bootstraprc", "ProductKey=LibreOffice 7.4"),
        ("opt/libreoffice24.8/program/soffice", "opt/libreoffice24.8/program/bootstraprc", "ProductKey=LibreOffice 24.8\r"),
        ("LibreOffice/program/soffice.exe", "LibreOffice/program/bootstrap.ini", "ProductKey=LibreOffice 25.2"),
        ("LibreOffice.app/Contents/MacOS/soffice", "LibreOffice.app/Contents/Resources/bootstraprc", "ProductKey=LibreOffice 26.2"),
    ],
    ids=["debian", "libreoffice.org", "windows", "macos"],
)
def test_the_version_is_read_beside_the_program_that_a_link_on_path_starts(tmp_path: Path, program: str, bootstrap: str, line: str) -> None:
    (tmp_path / program).parent.mkdir(parents=True)
    (tmp_path / program).write_text("#!/bin/sh\n")
    (tmp_path / bootstrap).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / bootstrap).write_text(f"[Bootstrap]\nInstallMode=<installmode>\n{line}\nUserInstallation=$SYSUSERCONFIG/x\n")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "soffice").symlink_to(tmp_path / program)
    version = line.split()[-1]
    assert installed_version(str(tmp_path / "bin" / "soffice")) == version
    assert f'oor:name="ooSetupLastVersion" oor:op="fuse"><value>{version}</value>' in registry(version)


def test_without_a_version_the_profile_keeps_the_export_settings_and_names_no_version(tmp_path: Path) -> None:
    (tmp_path / "soffice").write_text('#!/bin/sh\nexec /snap/bin/libreoffice "$@"\n')  # a wrapper, far from its bootstrap file
    (tmp_path / "bootstraprc").write_text("[Bootstrap]\nProductKey=LibreOffice\n")
    assert installed_version(str(tmp_path / "soffice")) is None
    seed(tmp_path / "profil", str(tmp_path / "soffice"), macro=True)
    written = (tmp_path / "profil" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert "ooSetupLastVersion" not in written
    for setting in ("SelectPdfVersion", "UseTaggedPDF", "PDFUACompliance"):
        assert f'oor:name="{setting}"' in written
    assert (tmp_path / "profil" / "user" / "Scripts" / "python" / "tjanste_export.py").is_file()


def test_a_seeded_profile_spares_libreoffice_its_render_tests(tmp_path: Path) -> None:
    """Without the version, each start draws its graphics tests (0,7 s) and logs them in the profile; seeded, it does not."""
    office = soffice()
    if office is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    if installed_version(office) is None:
        pytest.skip("LibreOffice-installationens version står inte i en bootstrap-fil bredvid programmet")
    document = docx.Document()
    document.add_paragraph("Beslut")
    document.save(str(tmp_path / "beslut.docx"))
    seed(tmp_path / "profil", office, macro=False)
    profile = f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}"
    subprocess.run(
        [office, profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "beslut.docx")],
        check=True,
        capture_output=True,
        timeout=180,
        env=office_environment(),
    )
    assert (tmp_path / "beslut.pdf").read_bytes().startswith(b"%PDF-")
    assert not (tmp_path / "profil" / "user" / "GraphicsRenderTests.log").exists()
