"""LibreOffice as the real client: every document of every case opens and converts to PDF, and the PDF holds its words."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CASES, soffice
from test_render import ATT_SATSER


@pytest.fixture(scope="module")
def pdfs(build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    office = soffice()
    if office is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas: apt-get install poppler-utils")
    out = tmp_path_factory.mktemp("pdf")
    documents = sorted(build.glob("*/*.docx"))
    for document in documents:  # one folder per case keeps same-named files apart
        (out / document.parent.name).mkdir(exist_ok=True)
    profile = tmp_path_factory.mktemp("lo-profil")
    for case in sorted({d.parent.name for d in documents}):
        subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out / case), *map(str, sorted((build / case).glob("*.docx")))],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return out


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("case", CASES)
def test_every_document_converts(case: str, build: Path, pdfs: Path) -> None:
    for document in sorted((build / case).glob("*.docx")):
        pdf = pdfs / case / f"{document.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice gav ingen PDF för {document}"
        text = pdf_text(pdf)
        first_heading = next(line for line in (build / case / f"{document.stem}.txt").read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        assert " ".join(first_heading[2:].replace("\u00a0", " ").split()) in text


def test_the_pdf_holds_every_att_sats(pdfs: Path) -> None:
    text = pdf_text(pdfs / "2015-primarvard" / "beslut.pdf")
    for clause in ATT_SATSER:
        assert " ".join(clause.replace("\u00a0", " ").split()) in text
    assert "Sida 1 (2)" in text


def test_the_footnote_and_totals_reach_the_pdf(pdfs: Path) -> None:
    text = pdf_text(pdfs / "2022-godnara" / "beslut.pdf")
    assert "Kontinuitetsindex är ett internationellt index" in text
    assert "TOTALT 64 410 035" in text
